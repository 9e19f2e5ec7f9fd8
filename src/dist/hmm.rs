//! Hidden Markov models with discrete states: `hmm_marginal` (the forward algorithm on a
//! rescaled scale, with partials in the emission log densities, the transition matrix and
//! the initial distribution from one backward pass), `hmm_hidden_state_prob` (the
//! smoothed state marginals) and `hmm_latent_rng` (forward filtering, backward sampling).
//!
//! Conventions follow the Stan Functions Reference ("Hidden Markov models"): `log_omega`
//! is K x N with `log_omega[k, n]` the log density of observation n in state k,
//! `Gamma[i, j]` = P(z_{n+1} = j | z_n = i) (rows are simplexes), `rho` = P(z_1).
//!
//! With ω̃ₙ = exp(log_omega[:, n] − maxₖ log_omega\[k, n\]) the forward pass keeps
//! âₙ = aₙ / cₙ, aₙ = (Γᵀ âₙ₋₁) ∘ ω̃ₙ (a₁ = ρ ∘ ω̃₁), cₙ = Σ aₙ, so log p = Σ log cₙ + Σ maxₙ.
//! The backward pass b̂_N = 1, b̂ₙ₋₁ = Γ (ω̃ₙ ∘ b̂ₙ) / cₙ gives ∂log p/∂log_omega\[k, n\] =
//! âₙ\[k\] b̂ₙ\[k\], ∂log p/∂Γ\[i, j\] = Σₙ₌₂ âₙ₋₁\[i\] ω̃ₙ\[j\] b̂ₙ\[j\] / cₙ and
//! ∂log p/∂ρ\[k\] = ω̃₁\[k\] b̂₁\[k\] / c₁.

use super::args::MatRef;
use super::dirichlet::check_simplexes;
use super::error::{DistError, check_partial};
use rand::{Rng, RngExt};

/// Partial buffers of [`hmm_marginal`]; `None` marks a constant.
#[derive(Debug, Default)]
pub struct HmmPartials<'a> {
    /// K x N column-major, shaped like `log_omega`.
    pub log_omega: Option<&'a mut [f64]>,
    /// K x K column-major, shaped like `Gamma`.
    pub gamma: Option<&'a mut [f64]>,
    /// Length K.
    pub rho: Option<&'a mut [f64]>,
}

/// The forward pass: rescaled emissions ω̃ (K x N), filtered âₙ (K x N), scales cₙ and
/// the log marginal.
struct Forward {
    k: usize,
    n: usize,
    omega: Vec<f64>,
    alpha: Vec<f64>,
    scale: Vec<f64>,
    log_p: f64,
}

fn shape(function: &str, arg: &'static str, message: String) -> DistError {
    DistError::Shape {
        function: function.to_string(),
        arg,
        message,
    }
}

/// Checks the arguments: `Gamma` K x K with simplex rows, `rho` a K-simplex, `log_omega`
/// K x N (N ≥ 1) without NaN or +∞.
fn check(function: &str, log_omega: &MatRef, gamma: &MatRef, rho: &[f64]) -> Result<(), DistError> {
    let k = log_omega.rows;
    if k == 0 || log_omega.cols == 0 {
        return Err(shape(
            function,
            "log_omega",
            format!(
                "must have at least one state and one observation, got {} x {}",
                log_omega.rows, log_omega.cols
            ),
        ));
    }
    if gamma.rows != k || gamma.cols != k {
        return Err(shape(
            function,
            "Gamma",
            format!(
                "must be {k} x {k} (one row and column per state of log_omega), got {} x {}",
                gamma.rows, gamma.cols
            ),
        ));
    }
    if rho.len() != k {
        return Err(shape(
            function,
            "rho",
            format!("must have {k} elements (one per state), got {}", rho.len()),
        ));
    }
    if let Some(i) = log_omega
        .data
        .iter()
        .position(|v| v.is_nan() || *v == f64::INFINITY)
    {
        return Err(DistError::Domain {
            function: function.to_string(),
            arg: "log_omega",
            index: format!("[{}, {}]", i % k + 1, i / k + 1),
            value: log_omega.data[i],
            requirement: "not NaN and less than +infinity",
        });
    }
    for i in 0..k {
        let row: Vec<f64> = (0..k).map(|j| gamma.at(i, j)).collect();
        check_simplexes(function, "Gamma", &row, k).map_err(|_| DistError::Domain {
            function: function.to_string(),
            arg: "Gamma",
            index: format!("[{}]", i + 1),
            value: row.iter().sum(),
            requirement: "a row that is a simplex (nonnegative entries summing to 1); value is the row sum",
        })?;
    }
    check_simplexes(function, "rho", rho, k)
}

fn forward(log_omega: &MatRef, gamma: &MatRef, rho: &[f64]) -> Forward {
    let (k, n) = (log_omega.rows, log_omega.cols);
    let mut omega = vec![0.0; k * n];
    let mut alpha = vec![0.0; k * n];
    let mut scale = vec![0.0; n];
    let mut log_p = 0.0;
    for t in 0..n {
        let col = &log_omega.data[t * k..(t + 1) * k];
        let mx = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // an all -inf column: every state impossible; the scale becomes 0 and log p -inf
        let shift = if mx.is_finite() { mx } else { 0.0 };
        for i in 0..k {
            omega[t * k + i] = (col[i] - shift).exp();
        }
        let mut c = 0.0;
        for j in 0..k {
            let prior = if t == 0 {
                rho[j]
            } else {
                (0..k)
                    .map(|i| gamma.at(i, j) * alpha[(t - 1) * k + i])
                    .sum()
            };
            let a = prior * omega[t * k + j];
            alpha[t * k + j] = a;
            c += a;
        }
        scale[t] = c;
        log_p += c.ln() + shift;
        if c > 0.0 {
            for a in &mut alpha[t * k..(t + 1) * k] {
                *a /= c;
            }
        }
    }
    Forward {
        k,
        n,
        omega,
        alpha,
        scale,
        log_p,
    }
}

/// The rescaled backward vectors b̂ₙ (K x N).
fn backward(f: &Forward, gamma: &MatRef) -> Vec<f64> {
    let (k, n) = (f.k, f.n);
    let mut beta = vec![0.0; k * n];
    beta[(n - 1) * k..].fill(1.0);
    for t in (1..n).rev() {
        for i in 0..k {
            let s: f64 = (0..k)
                .map(|j| gamma.at(i, j) * f.omega[t * k + j] * beta[t * k + j])
                .sum();
            beta[(t - 1) * k + i] = s / f.scale[t];
        }
    }
    beta
}

/// `hmm_marginal(log_omega, Gamma, rho)`: the log density of the observations with the
/// hidden states summed out, adding its partials into the buffers of `d`.
pub fn hmm_marginal(
    log_omega: MatRef,
    gamma: MatRef,
    rho: &[f64],
    d: HmmPartials,
) -> Result<f64, DistError> {
    const F: &str = "hmm_marginal";
    check(F, &log_omega, &gamma, rho)?;
    check_partial(F, "log_omega", d.log_omega.as_deref(), log_omega.data.len())?;
    check_partial(F, "Gamma", d.gamma.as_deref(), gamma.data.len())?;
    check_partial(F, "rho", d.rho.as_deref(), rho.len())?;
    let f = forward(&log_omega, &gamma, rho);
    if !f.log_p.is_finite() || (d.log_omega.is_none() && d.gamma.is_none() && d.rho.is_none()) {
        return Ok(f.log_p);
    }
    let (k, n) = (f.k, f.n);
    let beta = backward(&f, &gamma);
    if let Some(b) = d.log_omega {
        for (o, (a, be)) in b.iter_mut().zip(f.alpha.iter().zip(&beta)) {
            *o += a * be;
        }
    }
    if let Some(b) = d.gamma {
        for t in 1..n {
            for j in 0..k {
                let w = f.omega[t * k + j] * beta[t * k + j] / f.scale[t];
                for i in 0..k {
                    b[i + j * k] += f.alpha[(t - 1) * k + i] * w;
                }
            }
        }
    }
    if let Some(b) = d.rho {
        for i in 0..k {
            b[i] += f.omega[i] * beta[i] / f.scale[0];
        }
    }
    Ok(f.log_p)
}

/// `hmm_hidden_state_prob(log_omega, Gamma, rho)`: the K x N matrix (column-major) of
/// P(z_n = k | all observations).
pub fn hmm_hidden_state_prob(
    log_omega: MatRef,
    gamma: MatRef,
    rho: &[f64],
) -> Result<Vec<f64>, DistError> {
    const F: &str = "hmm_hidden_state_prob";
    check(F, &log_omega, &gamma, rho)?;
    let f = forward(&log_omega, &gamma, rho);
    if !f.log_p.is_finite() {
        return Err(DistError::Domain {
            function: F.into(),
            arg: "log_omega",
            index: String::new(),
            value: f.log_p,
            requirement: "such that the observations have positive probability (log marginal)",
        });
    }
    let beta = backward(&f, &gamma);
    Ok(f.alpha.iter().zip(&beta).map(|(a, b)| a * b).collect())
}

/// Draws an index from unnormalised nonnegative weights (1-based).
fn draw_weighted<R: Rng + ?Sized>(w: &[f64], rng: &mut R) -> usize {
    let total: f64 = w.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, v) in w.iter().enumerate() {
        if u < *v {
            return i + 1;
        }
        u -= v;
    }
    // rounding: the last state with positive weight
    w.iter().rposition(|v| *v > 0.0).map_or(w.len(), |i| i + 1)
}

/// `hmm_latent_rng(log_omega, Gamma, rho)`: one joint draw of the N hidden states
/// (1-based) from their posterior, by forward filtering and backward sampling.
pub fn hmm_latent_rng<R: Rng + ?Sized>(
    log_omega: MatRef,
    gamma: MatRef,
    rho: &[f64],
    rng: &mut R,
) -> Result<Vec<i64>, DistError> {
    const F: &str = "hmm_latent_rng";
    check(F, &log_omega, &gamma, rho)?;
    let f = forward(&log_omega, &gamma, rho);
    if !f.log_p.is_finite() {
        return Err(DistError::Domain {
            function: F.into(),
            arg: "log_omega",
            index: String::new(),
            value: f.log_p,
            requirement: "such that the observations have positive probability (log marginal)",
        });
    }
    let (k, n) = (f.k, f.n);
    let mut z = vec![0i64; n];
    z[n - 1] = draw_weighted(&f.alpha[(n - 1) * k..], rng) as i64;
    let mut w = vec![0.0; k];
    for t in (0..n - 1).rev() {
        let next = z[t + 1] as usize - 1;
        for (i, wi) in w.iter_mut().enumerate() {
            *wi = f.alpha[t * k + i] * gamma.at(i, next);
        }
        z[t] = draw_weighted(&w, rng) as i64;
    }
    Ok(z)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chain_rng;

    const K: usize = 3;
    const N: usize = 4;
    /// Row-stochastic, stored column-major.
    const GAMMA: [f64; 9] = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6];
    const RHO: [f64; 3] = [0.5, 0.3, 0.2];
    const LOG_OMEGA: [f64; 12] = [
        -1.0, -2.5, -0.3, -0.7, -1.9, -3.0, -2.2, -0.4, -1.1, -0.9, -0.8, -5.0,
    ];

    fn m(data: &[f64], rows: usize) -> MatRef<'_> {
        MatRef::new(data, rows, data.len() / rows).unwrap()
    }

    /// Every path's joint probability, by enumeration of all K^N state sequences.
    fn paths(lo: &[f64], g: &[f64], rho: &[f64]) -> Vec<(Vec<usize>, f64)> {
        let mut out = Vec::new();
        for code in 0..K.pow(N as u32) {
            let z: Vec<usize> = (0..N).map(|t| code / K.pow(t as u32) % K).collect();
            let mut p = rho[z[0]] * lo[z[0]].exp();
            for t in 1..N {
                p *= g[z[t - 1] + z[t] * K] * lo[z[t] + t * K].exp();
            }
            out.push((z, p));
        }
        out
    }

    fn brute(lo: &[f64], g: &[f64], rho: &[f64]) -> f64 {
        paths(lo, g, rho).iter().map(|(_, p)| p).sum::<f64>().ln()
    }

    #[test]
    fn marginal_equals_enumeration_of_all_paths() {
        let v = hmm_marginal(m(&LOG_OMEGA, K), m(&GAMMA, K), &RHO, HmmPartials::default());
        let want = brute(&LOG_OMEGA, &GAMMA, &RHO);
        assert!((v.unwrap() - want).abs() < 1e-12, "{want}");
        // a large common shift of the emissions is carried exactly (rescaling)
        let shifted: Vec<f64> = LOG_OMEGA.iter().map(|v| v - 800.0).collect();
        let v = hmm_marginal(m(&shifted, K), m(&GAMMA, K), &RHO, HmmPartials::default());
        assert!((v.unwrap() - (want - 800.0 * N as f64)).abs() < 1e-9);
    }

    /// Central finite differences of the brute-force marginal, in every argument.
    #[test]
    fn partials_match_finite_differences_of_the_enumeration() {
        let (mut dlo, mut dg, mut dr) = ([0.0; 12], [0.0; 9], [0.0; 3]);
        hmm_marginal(
            m(&LOG_OMEGA, K),
            m(&GAMMA, K),
            &RHO,
            HmmPartials {
                log_omega: Some(&mut dlo),
                gamma: Some(&mut dg),
                rho: Some(&mut dr),
            },
        )
        .unwrap();
        // all 24 arguments in one vector: log_omega, Gamma, rho
        let all: Vec<f64> = LOG_OMEGA
            .iter()
            .chain(&GAMMA)
            .chain(&RHO)
            .copied()
            .collect();
        let f = |v: &[f64]| brute(&v[..12], &v[12..21], &v[21..]);
        let analytic: Vec<f64> = dlo.iter().chain(&dg).chain(&dr).copied().collect();
        let h = 1e-6;
        for i in 0..all.len() {
            let (mut p, mut q) = (all.clone(), all.clone());
            p[i] += h;
            q[i] -= h;
            let want = (f(&p) - f(&q)) / (2.0 * h);
            assert!(
                (analytic[i] - want).abs() < 1e-7,
                "argument {i}: {} vs {want}",
                analytic[i]
            );
        }
    }

    #[test]
    fn hidden_state_probabilities_equal_path_marginals() {
        let probs = hmm_hidden_state_prob(m(&LOG_OMEGA, K), m(&GAMMA, K), &RHO).unwrap();
        let all = paths(&LOG_OMEGA, &GAMMA, &RHO);
        let total: f64 = all.iter().map(|(_, p)| p).sum();
        for t in 0..N {
            for s in 0..K {
                let want: f64 = all
                    .iter()
                    .filter(|(z, _)| z[t] == s)
                    .map(|(_, p)| p)
                    .sum::<f64>()
                    / total;
                assert!((probs[s + t * K] - want).abs() < 1e-12);
            }
        }
    }

    /// Path frequencies of `hmm_latent_rng` against the exact posterior of the 81 paths:
    /// each within 4.5 binomial standard errors (fixed seed).
    #[test]
    fn latent_rng_draws_paths_with_their_posterior_probability() {
        let all = paths(&LOG_OMEGA, &GAMMA, &RHO);
        let total: f64 = all.iter().map(|(_, p)| p).sum();
        let draws = 40_000;
        let mut counts = vec![0usize; all.len()];
        let mut rng = chain_rng(7, 0);
        for _ in 0..draws {
            let z = hmm_latent_rng(m(&LOG_OMEGA, K), m(&GAMMA, K), &RHO, &mut rng).unwrap();
            let code: usize = z
                .iter()
                .enumerate()
                .map(|(t, s)| (*s as usize - 1) * K.pow(t as u32))
                .sum();
            counts[code] += 1;
        }
        for (code, (_, p)) in all.iter().enumerate() {
            let p = p / total;
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            let f = counts[code] as f64 / draws as f64;
            assert!((f - p).abs() < 4.5 * se + 1e-12, "path {code}: {f} vs {p}");
        }
    }

    #[test]
    fn bad_arguments_are_named() {
        let e = |r: Result<f64, DistError>| r.unwrap_err().to_string();
        let bad_gamma = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.7];
        let msg = e(hmm_marginal(
            m(&LOG_OMEGA, K),
            m(&bad_gamma, K),
            &RHO,
            HmmPartials::default(),
        ));
        assert!(msg.contains("Gamma") && msg.contains("simplex"), "{msg}");
        let msg = e(hmm_marginal(
            m(&LOG_OMEGA, K),
            m(&GAMMA, K),
            &[0.5, 0.5, 0.5],
            HmmPartials::default(),
        ));
        assert!(msg.contains("rho") && msg.contains("simplex"), "{msg}");
        let msg = e(hmm_marginal(
            m(&LOG_OMEGA, K),
            m(&GAMMA, K),
            &[0.5, 0.5],
            HmmPartials::default(),
        ));
        assert!(msg.contains("rho") && msg.contains("3 elements"), "{msg}");
        let msg = e(hmm_marginal(
            m(&LOG_OMEGA[..8], 2),
            m(&GAMMA, K),
            &RHO,
            HmmPartials::default(),
        ));
        assert!(msg.contains("Gamma") && msg.contains("2 x 2"), "{msg}");
        let mut nan = LOG_OMEGA;
        nan[5] = f64::NAN;
        let msg = e(hmm_marginal(
            m(&nan, K),
            m(&GAMMA, K),
            &RHO,
            HmmPartials::default(),
        ));
        assert!(msg.contains("log_omega[3, 2]"), "{msg}");
    }
}
