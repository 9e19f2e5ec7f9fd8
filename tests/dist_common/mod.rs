//! Shared helpers of the distribution tests: valid random arguments per family, and an
//! independent reference log density per family (statrs or a closed form).
#![allow(dead_code)]

use hazel::dist::MatRef;
use hazel::dist::special::{ln_gamma, log_bessel_i0_and_ratio, log_phi};
use nalgebra::DMatrix;
use rand::{Rng, RngExt};
use statrs::distribution as sd;
use statrs::distribution::{Continuous, ContinuousCDF, Discrete, DiscreteCDF};

fn u<R: Rng>(rng: &mut R, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}
fn pos<R: Rng>(rng: &mut R) -> f64 {
    u(rng, 0.3, 4.0)
}
fn count<R: Rng>(rng: &mut R, hi: i64) -> i64 {
    (rng.random::<f64>() * (hi + 1) as f64).floor() as i64
}

/// One element's (ints, reals) in the family's full layout, inside the family's domain.
pub fn gen_element<R: Rng>(name: &str, rng: &mut R) -> (Vec<i64>, Vec<f64>) {
    let loc = u(rng, -2.0, 2.0);
    match name {
        "normal" | "cauchy" | "double_exponential" | "logistic" | "gumbel" => {
            (vec![], vec![u(rng, -4.0, 4.0), loc, pos(rng)])
        }
        "std_normal" => (vec![], vec![u(rng, -4.0, 4.0)]),
        "student_t" => (
            vec![],
            vec![u(rng, -4.0, 4.0), u(rng, 0.5, 10.0), loc, pos(rng)],
        ),
        "skew_normal" => (
            vec![],
            vec![u(rng, -4.0, 4.0), loc, pos(rng), u(rng, -3.0, 3.0)],
        ),
        "lognormal" => (vec![], vec![u(rng, 0.1, 5.0), u(rng, -1.0, 1.0), pos(rng)]),
        "exponential" | "chi_square" | "inv_chi_square" => {
            (vec![], vec![u(rng, 0.1, 5.0), pos(rng)])
        }
        "gamma" | "inv_gamma" | "weibull" | "frechet" | "scaled_inv_chi_square" => {
            (vec![], vec![u(rng, 0.1, 5.0), pos(rng), pos(rng)])
        }
        "pareto" => {
            let ymin = u(rng, 0.2, 2.0);
            (vec![], vec![ymin + u(rng, 0.05, 3.0), ymin, pos(rng)])
        }
        "beta" => (vec![], vec![u(rng, 0.05, 0.95), pos(rng), pos(rng)]),
        "beta_proportion" => (
            vec![],
            vec![u(rng, 0.05, 0.95), u(rng, 0.1, 0.9), u(rng, 1.0, 10.0)],
        ),
        "uniform" => {
            let a = u(rng, -2.0, 0.0);
            let b = a + u(rng, 1.0, 3.0);
            (vec![], vec![u(rng, a + 0.01, b - 0.01), a, b])
        }
        "von_mises" => (
            vec![],
            vec![u(rng, -3.0, 3.0), u(rng, -1.0, 1.0), u(rng, 0.1, 60.0)],
        ),
        "bernoulli" => (vec![count(rng, 1)], vec![u(rng, 0.05, 0.95)]),
        "bernoulli_logit" => (vec![count(rng, 1)], vec![u(rng, -3.0, 3.0)]),
        "binomial" => {
            let n = 1 + count(rng, 20);
            (vec![count(rng, n), n], vec![u(rng, 0.05, 0.95)])
        }
        "binomial_logit" => {
            let n = 1 + count(rng, 20);
            (vec![count(rng, n), n], vec![u(rng, -3.0, 3.0)])
        }
        "beta_binomial" => {
            let n = 1 + count(rng, 20);
            (vec![count(rng, n), n], vec![pos(rng), pos(rng)])
        }
        "poisson" => (vec![count(rng, 12)], vec![u(rng, 0.2, 10.0)]),
        "poisson_log" => (vec![count(rng, 12)], vec![u(rng, -1.0, 2.5)]),
        "neg_binomial" => (vec![count(rng, 12)], vec![pos(rng), pos(rng)]),
        "neg_binomial_2" => (vec![count(rng, 12)], vec![u(rng, 0.2, 10.0), pos(rng)]),
        "neg_binomial_2_log" => (vec![count(rng, 12)], vec![u(rng, -1.0, 2.5), pos(rng)]),
        other => panic!("no generator for {other}"),
    }
}

/// An independent reference log density (statrs where it has the family).
pub fn reference_lpdf(name: &str, n: &[i64], x: &[f64]) -> f64 {
    let k = n.first().copied().unwrap_or(0);
    match name {
        "normal" => sd::Normal::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "std_normal" => sd::Normal::new(0.0, 1.0).unwrap().ln_pdf(x[0]),
        "student_t" => sd::StudentsT::new(x[2], x[3], x[1]).unwrap().ln_pdf(x[0]),
        "cauchy" => sd::Cauchy::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "double_exponential" => sd::Laplace::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "gumbel" => sd::Gumbel::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "lognormal" => sd::LogNormal::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "exponential" => sd::Exp::new(x[1]).unwrap().ln_pdf(x[0]),
        "gamma" => sd::Gamma::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "inv_gamma" => sd::InverseGamma::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "weibull" => sd::Weibull::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "pareto" => sd::Pareto::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "beta" => sd::Beta::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "beta_proportion" => sd::Beta::new(x[1] * x[2], (1.0 - x[1]) * x[2])
            .unwrap()
            .ln_pdf(x[0]),
        "uniform" => sd::Uniform::new(x[1], x[2]).unwrap().ln_pdf(x[0]),
        "chi_square" => sd::ChiSquared::new(x[1]).unwrap().ln_pdf(x[0]),
        // If X ~ inv_chi_square(nu) then 1/X ~ chi_square(nu): change of variables.
        "inv_chi_square" => sd::ChiSquared::new(x[1]).unwrap().ln_pdf(1.0 / x[0]) - 2.0 * x[0].ln(),
        // scaled_inv_chi_square(nu, s) = inv_gamma(nu/2, nu s^2 / 2).
        "scaled_inv_chi_square" => sd::InverseGamma::new(0.5 * x[1], 0.5 * x[1] * x[2] * x[2])
            .unwrap()
            .ln_pdf(x[0]),
        "logistic" => {
            let z = (x[0] - x[1]) / x[2];
            (z.exp() / (x[2] * (1.0 + z.exp()).powi(2))).ln()
        }
        "frechet" => {
            let (y, a, s) = (x[0], x[1], x[2]);
            (a / s * (y / s).powf(-1.0 - a) * (-(y / s).powf(-a)).exp()).ln()
        }
        "skew_normal" => {
            let z = (x[0] - x[1]) / x[2];
            (2.0 / x[2]).ln() + sd::Normal::new(0.0, 1.0).unwrap().ln_pdf(z) + log_phi(x[3] * z)
        }
        "von_mises" => {
            x[2] * (x[0] - x[1]).cos()
                - (2.0 * std::f64::consts::PI).ln()
                - log_bessel_i0_and_ratio(x[2]).0
        }
        "bernoulli" => sd::Bernoulli::new(x[0]).unwrap().ln_pmf(k as u64),
        "bernoulli_logit" => sd::Bernoulli::new(inv_logit(x[0]))
            .unwrap()
            .ln_pmf(k as u64),
        "binomial" => sd::Binomial::new(x[0], n[1] as u64)
            .unwrap()
            .ln_pmf(k as u64),
        "binomial_logit" => sd::Binomial::new(inv_logit(x[0]), n[1] as u64)
            .unwrap()
            .ln_pmf(k as u64),
        "beta_binomial" => {
            let big = n[1] as f64;
            let lchoose =
                ln_gamma(big + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma(big - k as f64 + 1.0);
            let lbeta = |a: f64, b: f64| ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
            lchoose + lbeta(k as f64 + x[0], big - k as f64 + x[1]) - lbeta(x[0], x[1])
        }
        "poisson" => sd::Poisson::new(x[0]).unwrap().ln_pmf(k as u64),
        "poisson_log" => sd::Poisson::new(x[0].exp()).unwrap().ln_pmf(k as u64),
        "neg_binomial" => sd::NegativeBinomial::new(x[0], x[1] / (1.0 + x[1]))
            .unwrap()
            .ln_pmf(k as u64),
        "neg_binomial_2" => sd::NegativeBinomial::new(x[1], x[1] / (x[0] + x[1]))
            .unwrap()
            .ln_pmf(k as u64),
        "neg_binomial_2_log" => {
            let mu = x[0].exp();
            sd::NegativeBinomial::new(x[1], x[1] / (mu + x[1]))
                .unwrap()
                .ln_pmf(k as u64)
        }
        other => panic!("no reference for {other}"),
    }
}

/// An independent reference CDF P(Y <= y).
pub fn reference_cdf(name: &str, n: &[i64], x: &[f64]) -> f64 {
    let k = n.first().copied().unwrap_or(0);
    match name {
        "normal" => sd::Normal::new(x[1], x[2]).unwrap().cdf(x[0]),
        "std_normal" => sd::Normal::new(0.0, 1.0).unwrap().cdf(x[0]),
        "student_t" => sd::StudentsT::new(x[2], x[3], x[1]).unwrap().cdf(x[0]),
        "cauchy" => sd::Cauchy::new(x[1], x[2]).unwrap().cdf(x[0]),
        "double_exponential" => sd::Laplace::new(x[1], x[2]).unwrap().cdf(x[0]),
        "gumbel" => sd::Gumbel::new(x[1], x[2]).unwrap().cdf(x[0]),
        "lognormal" => sd::LogNormal::new(x[1], x[2]).unwrap().cdf(x[0]),
        "exponential" => sd::Exp::new(x[1]).unwrap().cdf(x[0]),
        "gamma" => sd::Gamma::new(x[1], x[2]).unwrap().cdf(x[0]),
        "inv_gamma" => sd::InverseGamma::new(x[1], x[2]).unwrap().cdf(x[0]),
        "weibull" => sd::Weibull::new(x[1], x[2]).unwrap().cdf(x[0]),
        "pareto" => sd::Pareto::new(x[1], x[2]).unwrap().cdf(x[0]),
        "beta" => sd::Beta::new(x[1], x[2]).unwrap().cdf(x[0]),
        "uniform" => sd::Uniform::new(x[1], x[2]).unwrap().cdf(x[0]),
        "chi_square" => sd::ChiSquared::new(x[1]).unwrap().cdf(x[0]),
        "logistic" => inv_logit((x[0] - x[1]) / x[2]),
        "frechet" => (-(x[0] / x[2]).powf(-x[1])).exp(),
        "poisson" => sd::Poisson::new(x[0]).unwrap().cdf(k as u64),
        "binomial" => sd::Binomial::new(x[0], n[1] as u64).unwrap().cdf(k as u64),
        "neg_binomial_2" => sd::NegativeBinomial::new(x[1], x[1] / (x[0] + x[1]))
            .unwrap()
            .cdf(k as u64),
        "inv_chi_square" => sd::InverseGamma::new(0.5 * x[1], 0.5).unwrap().cdf(x[0]),
        "scaled_inv_chi_square" => sd::InverseGamma::new(0.5 * x[1], 0.5 * x[1] * x[2] * x[2])
            .unwrap()
            .cdf(x[0]),
        "beta_proportion" => sd::Beta::new(x[1] * x[2], (1.0 - x[1]) * x[2])
            .unwrap()
            .cdf(x[0]),
        "bernoulli" => sd::Bernoulli::new(x[0]).unwrap().cdf(k as u64),
        "neg_binomial" => sd::NegativeBinomial::new(x[0], x[1] / (1.0 + x[1]))
            .unwrap()
            .cdf(k as u64),
        "beta_binomial" => (0..=k)
            .map(|j| reference_lpdf(name, &[j, n[1]], x).exp())
            .sum(),
        "skew_normal" => {
            // Simpson's rule on the density 2/ω φ(z) Φ(αz) from 12 scales below ξ
            let density = |t: f64| reference_lpdf(name, &[], &[t, x[1], x[2], x[3]]).exp();
            simpson(density, x[1] - 12.0 * x[2], x[0])
        }
        "von_mises" => {
            // Simpson's rule on the unnormalised density, normalised the same way
            let kernel = |t: f64| (x[2] * ((t - x[1]).cos() - 1.0)).exp();
            let pi = std::f64::consts::PI;
            simpson(kernel, -pi, x[0]) / simpson(kernel, -pi, pi)
        }
        other => panic!("no reference CDF for {other}"),
    }
}

/// Intervals of the reference Simpson's rule (error O(h⁴), about 1e-13 here).
const SIMPSON_INTERVALS: usize = 20_000;

/// ∫ f over [lo, hi] by composite Simpson's rule (0 when hi <= lo).
fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    if hi <= lo {
        return 0.0;
    }
    let n = SIMPSON_INTERVALS;
    let h = (hi - lo) / n as f64;
    let inner: f64 = (1..n)
        .map(|i| f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
        .sum();
    (f(lo) + f(hi) + inner) * h / 3.0
}

pub fn inv_logit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

// ---- Helpers of the multivariate tests ----

pub const H: f64 = 1e-6;

/// Central differences of `f` at `x` in every coordinate.
pub fn fd(f: &dyn Fn(&[f64]) -> f64, x: &[f64]) -> Vec<f64> {
    (0..x.len())
        .map(|i| {
            let (mut a, mut b) = (x.to_vec(), x.to_vec());
            a[i] += H;
            b[i] -= H;
            (f(&a) - f(&b)) / (2.0 * H)
        })
        .collect()
}

/// Central differences along symmetric perturbations of a K x K matrix: entry (i, j) of
/// the result is the derivative when both (i, j) and (j, i) move.
pub fn fd_sym(f: &dyn Fn(&[f64]) -> f64, x: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let shift = |d: f64| {
                let mut m = x.to_vec();
                m[i + j * k] += d;
                if i != j {
                    m[j + i * k] += d;
                }
                f(&m)
            };
            let v = (shift(H) - shift(-H)) / (2.0 * H);
            out[i + j * k] = v;
            out[j + i * k] = v;
        }
    }
    out
}

/// Folds a symmetric partial into the symmetric-direction derivative: d_ij + d_ji.
pub fn sym_dir(d: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            out[i + j * k] = if i == j {
                d[i + j * k]
            } else {
                d[i + j * k] + d[j + i * k]
            };
        }
    }
    out
}

pub fn close(label: &str, a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{label}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= 1e-5 * x.abs().max(y.abs()).max(1.0),
            "{label}[{i}]: analytic {x}, numeric {y}"
        );
    }
}

pub const SIGMA3: [f64; 9] = [2.0, 0.3, -0.4, 0.3, 1.5, 0.2, -0.4, 0.2, 1.0];

pub fn chol3() -> Vec<f64> {
    DMatrix::from_column_slice(3, 3, &SIGMA3)
        .cholesky()
        .unwrap()
        .l()
        .as_slice()
        .to_vec()
}

pub fn m(d: &[f64], k: usize) -> MatRef<'_> {
    MatRef::new(d, k, k).unwrap()
}

/// Sample mean of `draws` (rows of length `k`) within 4.5 MCSE of `want`, per coordinate.
pub fn assert_means(label: &str, draws: &[Vec<f64>], want: &[f64]) {
    let n = draws.len() as f64;
    for (j, w) in want.iter().enumerate() {
        let mean = draws.iter().map(|d| d[j]).sum::<f64>() / n;
        let var = draws.iter().map(|d| (d[j] - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let mcse = (var / n).sqrt();
        assert!(
            (mean - w).abs() <= 4.5 * mcse + 1e-12,
            "{label}[{j}]: mean {mean}, expected {w}, mcse {mcse}"
        );
    }
}
