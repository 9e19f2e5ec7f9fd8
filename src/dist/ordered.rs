//! Ordinal outcomes with cutpoints: `ordered_logistic(k | eta, c)` and
//! `ordered_probit(k | eta, c)` in every Stan form — one outcome, N outcomes sharing one
//! cutpoint vector, or N outcomes with a cutpoint vector each — and `ordered_probit_rng`.
//!
//! P(k = 1) = 1 − F(η − c₁), P(k) = F(η − c_{k−1}) − F(η − c_k), P(k = K) = F(η − c_{K−1}),
//! with F the logistic or the standard normal CDF (Stan Functions Reference, "Ordered
//! logistic" and "Ordered probit").

use super::args::Arg;
use super::categorical::{check_categories, check_cutpoints, draw_category, ordered_logistic_one};
use super::error::{DistError, check_partial};
use super::special::{LOG_SQRT_TWO_PI, dlog_phi, log_phi, log1m_exp};
use rand::Rng;

/// The link function F of an ordinal model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The logistic CDF (`ordered_logistic`).
    Logit,
    /// The standard normal CDF (`ordered_probit`).
    Probit,
}

impl Link {
    fn function(self) -> &'static str {
        match self {
            Link::Logit => "ordered_logistic_lpmf",
            Link::Probit => "ordered_probit_lpmf",
        }
    }
}

/// log P(y = k | eta, c) under the probit link, with its partial in eta and in the (at
/// most two) cutpoints bounding category k.
fn ordered_probit_one(k: usize, eta: f64, c: &[f64]) -> (f64, f64, [(usize, f64); 2]) {
    let big_k = c.len() + 1;
    if big_k == 1 {
        return (0.0, 0.0, [(0, 0.0), (0, 0.0)]);
    }
    if k == 1 {
        let x = c[0] - eta;
        let g = dlog_phi(x);
        return (log_phi(x), -g, [(0, g), (0, 0.0)]);
    }
    if k == big_k {
        let x = eta - c[k - 2];
        let g = dlog_phi(x);
        return (log_phi(x), g, [(k - 2, -g), (0, 0.0)]);
    }
    // P = Φ(a) − Φ(b) with a > b; in the upper tail use Φ(−b) − Φ(−a) (same value) so
    // both terms stay small and the difference keeps its precision.
    let (a, b) = (eta - c[k - 2], eta - c[k - 1]);
    let lp = if a + b > 0.0 {
        log_phi(-b) + log1m_exp(log_phi(-a) - log_phi(-b))
    } else {
        log_phi(a) + log1m_exp(log_phi(b) - log_phi(a))
    };
    let ratio = |x: f64| (-0.5 * x * x - LOG_SQRT_TWO_PI - lp).exp();
    let (ra, rb) = (ratio(a), ratio(b));
    (lp, ra - rb, [(k - 2, -ra), (k - 1, rb)])
}

fn one(link: Link, k: usize, eta: f64, c: &[f64]) -> (f64, f64, [(usize, f64); 2]) {
    match link {
        Link::Logit => ordered_logistic_one(k, eta, c),
        Link::Probit => ordered_probit_one(k, eta, c),
    }
}

/// `ordered_logistic_lpmf` / `ordered_probit_lpmf(k | eta, c)`: `k` holds N outcomes in
/// 1..=K, `eta` is a scalar or N values, `c` holds either one cutpoint vector of length
/// `cut_len` = K − 1 shared by every outcome, or N of them (one per outcome, consecutive).
#[allow(clippy::too_many_arguments)]
pub fn ordered_lpmf(
    link: Link,
    k: &[i64],
    eta: Arg,
    c: &[f64],
    cut_len: usize,
    propto: bool,
    mut deta: Option<&mut [f64]>,
    mut dc: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    let f = link.function();
    if cut_len == 0 {
        return Err(DistError::Shape {
            function: f.into(),
            arg: "c",
            message: "must have at least one cutpoint (K >= 2 categories)".into(),
        });
    }
    let per_outcome = c.len() != cut_len;
    if per_outcome && c.len() != cut_len * k.len() {
        return Err(DistError::SizeMismatch {
            function: f.into(),
            arg: "c",
            len: c.len() / cut_len,
            other: "k",
            other_len: k.len(),
        });
    }
    for block in c.chunks(cut_len) {
        check_cutpoints(f, block)?;
    }
    check_categories(f, k, cut_len + 1)?;
    if let Some(len) = eta.len()
        && len != k.len()
    {
        return Err(DistError::SizeMismatch {
            function: f.into(),
            arg: "eta",
            len,
            other: "k",
            other_len: k.len(),
        });
    }
    check_partial(f, "eta", deta.as_deref(), eta.partial_len())?;
    check_partial(f, "c", dc.as_deref(), c.len())?;
    if propto && deta.is_none() && dc.is_none() {
        return Ok(0.0);
    }
    let mut lp = 0.0;
    for (i, &ki) in k.iter().enumerate() {
        let e = eta.at(i);
        if !e.is_finite() {
            return Err(DistError::Domain {
                function: f.into(),
                arg: "eta",
                index: format!("[{}]", i + 1),
                value: e,
                requirement: "finite",
            });
        }
        let off = if per_outcome { i * cut_len } else { 0 };
        let (v, de, dcs) = one(link, ki as usize, e, &c[off..off + cut_len]);
        lp += v;
        if let Some(b) = deta.as_deref_mut() {
            b[if b.len() == 1 { 0 } else { i }] += de;
        }
        if let Some(b) = dc.as_deref_mut() {
            for (j, g) in dcs {
                if g != 0.0 {
                    b[off + j] += g;
                }
            }
        }
    }
    Ok(lp)
}

/// `ordered_probit_rng(eta, c)`.
pub fn ordered_probit_rng<R: Rng + ?Sized>(
    eta: f64,
    c: &[f64],
    rng: &mut R,
) -> Result<i64, DistError> {
    const F: &str = "ordered_probit_rng";
    check_cutpoints(F, c)?;
    if !eta.is_finite() {
        return Err(DistError::scalar(F, "eta", eta, "finite"));
    }
    let p: Vec<f64> = (1..=c.len() + 1)
        .map(|k| ordered_probit_one(k, eta, c).0.exp())
        .collect();
    Ok(draw_category(&p, rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::normal::phi;

    const C: [f64; 3] = [-1.0, 0.4, 2.0];

    #[test]
    fn probit_probabilities_are_normal_cdf_differences_and_sum_to_one() {
        for eta in [-3.0, 0.3, 4.5, 9.0] {
            let mut total = 0.0;
            for k in 1..=4 {
                let lp = ordered_lpmf(
                    Link::Probit,
                    &[k],
                    Arg::Scalar(eta),
                    &C,
                    3,
                    false,
                    None,
                    None,
                )
                .unwrap();
                let upper = if k == 1 {
                    1.0
                } else {
                    phi(eta - C[k as usize - 2])
                };
                let lower = if k == 4 {
                    0.0
                } else {
                    phi(eta - C[k as usize - 1])
                };
                let want = upper - lower;
                assert!((lp.exp() - want).abs() < 1e-12 * want.max(1e-300) + 1e-15);
                total += lp.exp();
            }
            assert!((total - 1.0).abs() < 1e-12, "eta {eta}: {total}");
        }
    }

    #[test]
    fn partials_match_central_differences_for_both_links_and_per_outcome_cutpoints() {
        let ks = [1, 2, 3, 4, 2];
        let etas = [0.1, -0.7, 1.9, 3.0, 0.5];
        let cs: Vec<f64> = (0..5).flat_map(|i| C.map(|v| v + 0.1 * i as f64)).collect();
        for link in [Link::Logit, Link::Probit] {
            for c in [&C[..], &cs[..]] {
                let (mut de, mut dc) = (vec![0.0; 5], vec![0.0; c.len()]);
                let f = |e: &[f64], c: &[f64]| {
                    ordered_lpmf(link, &ks, Arg::Vector(e), c, 3, false, None, None).unwrap()
                };
                ordered_lpmf(
                    link,
                    &ks,
                    Arg::Vector(&etas),
                    c,
                    3,
                    false,
                    Some(&mut de),
                    Some(&mut dc),
                )
                .unwrap();
                let h = 1e-6;
                for i in 0..5 {
                    let (mut p, mut q) = (etas, etas);
                    p[i] += h;
                    q[i] -= h;
                    let want = (f(&p, c) - f(&q, c)) / (2.0 * h);
                    assert!((de[i] - want).abs() < 1e-7, "{link:?} eta {i}");
                }
                for i in 0..c.len() {
                    let (mut p, mut q) = (c.to_vec(), c.to_vec());
                    p[i] += h;
                    q[i] -= h;
                    let want = (f(&etas, &p) - f(&etas, &q)) / (2.0 * h);
                    assert!((dc[i] - want).abs() < 1e-7, "{link:?} c {i}");
                }
            }
        }
    }

    #[test]
    fn bad_cutpoints_and_outcomes_are_named() {
        let msg = |r: Result<f64, DistError>| r.unwrap_err().to_string();
        let m = msg(ordered_lpmf(
            Link::Probit,
            &[2],
            Arg::Scalar(0.0),
            &[0.5, 0.2],
            2,
            false,
            None,
            None,
        ));
        assert!(m.contains("c[2]") && m.contains("previous cutpoint"), "{m}");
        let m = msg(ordered_lpmf(
            Link::Logit,
            &[4],
            Arg::Scalar(0.0),
            &[0.1, 0.2],
            2,
            false,
            None,
            None,
        ));
        assert!(m.contains("1..=K"), "{m}");
        let m = msg(ordered_lpmf(
            Link::Logit,
            &[1, 2],
            Arg::Scalar(0.0),
            &[0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            2,
            false,
            None,
            None,
        ));
        assert!(m.contains("size of c"), "{m}");
    }
}
