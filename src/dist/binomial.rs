//! The binomial, binomial_logit and beta_binomial families.
//!
//! Outcome validity follows Stan: for binomial(_logit), N < 0 or n outside [0, N] is an
//! error; for beta_binomial, N < 0 is an error and n outside [0, N] has mass zero.

use super::args::Keep;
use super::beta::draw_beta;
use super::error::{Slot, Violation, req, require, require_int};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{
    beta_reg, digamma, inv_logit, ln_beta, ln_gamma, log_inv_logit, log1m_inv_logit,
};
use rand::Rng;
use rand_distr::{Binomial as RandBinomial, Distribution};

/// `binomial(n | N, theta)`.
pub struct Binomial;
/// `binomial_logit(n | N, alpha)`: binomial with theta = inv_logit(alpha).
pub struct BinomialLogit;
/// `beta_binomial(n | N, alpha, beta)`.
pub struct BetaBinomial;

/// log C(N, n).
pub(crate) fn lchoose(big_n: i64, n: i64) -> f64 {
    ln_gamma(big_n as f64 + 1.0) - ln_gamma(n as f64 + 1.0) - ln_gamma((big_n - n) as f64 + 1.0)
}

fn check_counts(n: &[i64]) -> Result<(), Violation> {
    require_int(n[1] >= 0, 1, n[1], req::NONNEGATIVE)?;
    require_int(n[0] >= 0 && n[0] <= n[1], 0, n[0], "in the interval [0, N]")
}

/// `a * log(p)` with the convention 0 log 0 = 0.
fn xlogy(a: f64, p: f64) -> f64 {
    if a == 0.0 { 0.0 } else { a * p.ln() }
}

impl Family for Binomial {
    const NAME: &'static str = "binomial";
    const REALS: &'static [&'static str] = &["theta"];
    const INTS: &'static [&'static str] = &["n", "N"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_counts(n)?;
        let theta = x[0];
        require((0.0..=1.0).contains(&theta), 0, theta, req::PROBABILITY)?;
        let (k, m) = (n[0] as f64, (n[1] - n[0]) as f64);
        let mut lp = 0.0;
        if keep.constants() {
            lp += lchoose(n[1], n[0]);
        }
        if keep.any(&[0]) {
            lp += xlogy(k, theta) + xlogy(m, 1.0 - theta);
        }
        d[0] =
            (if k > 0.0 { k / theta } else { 0.0 }) - if m > 0.0 { m / (1.0 - theta) } else { 0.0 };
        Ok(lp)
    }
}

/// log P(X <= n) (or log P(X > n)) for X ~ binomial(N, theta), with d/dtheta.
fn binomial_log_cdf(n: i64, big_n: i64, theta: f64, upper: bool) -> (f64, f64) {
    if n >= big_n {
        return if upper {
            (f64::NEG_INFINITY, 0.0)
        } else {
            (0.0, 0.0)
        };
    }
    if n < 0 {
        return if upper {
            (0.0, 0.0)
        } else {
            (f64::NEG_INFINITY, 0.0)
        };
    }
    let (a, b) = ((big_n - n) as f64, n as f64 + 1.0);
    // P(X <= n) = I_{1-theta}(N - n, n + 1); d/dtheta = -N C(N-1, n) theta^n (1-theta)^(N-n-1).
    let p = if upper {
        beta_reg(b, a, theta)
    } else {
        beta_reg(a, b, 1.0 - theta)
    };
    let log_dens = -ln_beta(a, b) + xlogy(b - 1.0, theta) + xlogy(a - 1.0, 1.0 - theta);
    let sign = if upper { 1.0 } else { -1.0 };
    (p.ln(), sign * (log_dens - p.ln()).exp())
}

impl Cdf for Binomial {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require_int(n[1] >= 0, 1, n[1], req::NONNEGATIVE)?;
        require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
        let (v, g) = binomial_log_cdf(n[0], n[1], x[0], false);
        d[0] = g;
        Ok(v)
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require_int(n[1] >= 0, 1, n[1], req::NONNEGATIVE)?;
        require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
        let (v, g) = binomial_log_cdf(n[0], n[1], x[0], true);
        d[0] = g;
        Ok(v)
    }
}

/// A binomial(N, theta) draw.
fn draw_binomial<R: Rng + ?Sized>(big_n: i64, theta: f64, rng: &mut R) -> Result<i64, Violation> {
    require_int(big_n >= 0, 1, big_n, req::NONNEGATIVE)?;
    let dist = RandBinomial::new(big_n as u64, theta).map_err(|_| Violation {
        slot: Slot::Real(0),
        value: theta,
        requirement: req::PROBABILITY,
    })?;
    Ok(dist.sample(rng) as i64)
}

impl Sample for Binomial {
    fn sample<R: Rng + ?Sized>(n: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
        Ok(Outcome::Int(draw_binomial(n[1], x[0], rng)?))
    }
}

impl Family for BinomialLogit {
    const NAME: &'static str = "binomial_logit";
    const REALS: &'static [&'static str] = &["alpha"];
    const INTS: &'static [&'static str] = &["n", "N"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_counts(n)?;
        let alpha = x[0];
        require(alpha.is_finite(), 0, alpha, req::FINITE)?;
        let (k, m) = (n[0] as f64, (n[1] - n[0]) as f64);
        let mut lp = 0.0;
        if keep.constants() {
            lp += lchoose(n[1], n[0]);
        }
        if keep.any(&[0]) {
            lp += k * log_inv_logit(alpha) + m * log1m_inv_logit(alpha);
        }
        d[0] = k - n[1] as f64 * inv_logit(alpha);
        Ok(lp)
    }
}

impl Sample for BinomialLogit {
    fn sample<R: Rng + ?Sized>(n: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require(x[0].is_finite(), 0, x[0], req::FINITE)?;
        Ok(Outcome::Int(draw_binomial(n[1], inv_logit(x[0]), rng)?))
    }
}

fn check_shapes(x: &[f64]) -> Result<(), Violation> {
    require(
        x[0] > 0.0 && x[0].is_finite(),
        0,
        x[0],
        req::POSITIVE_FINITE,
    )?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )
}

impl Family for BetaBinomial {
    const NAME: &'static str = "beta_binomial";
    const REALS: &'static [&'static str] = &["alpha", "beta"];
    const INTS: &'static [&'static str] = &["n", "N"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        require_int(n[1] >= 0, 1, n[1], req::NONNEGATIVE)?;
        check_shapes(x)?;
        if n[0] < 0 || n[0] > n[1] {
            return Ok(f64::NEG_INFINITY);
        }
        let (a, b) = (x[0], x[1]);
        let (k, big) = (n[0] as f64, n[1] as f64);
        let mut lp = 0.0;
        if keep.constants() {
            lp += lchoose(n[1], n[0]);
        }
        if keep.any(&[0, 1]) {
            lp += ln_beta(k + a, big - k + b) - ln_beta(a, b);
        }
        let common = digamma(a + b) - digamma(big + a + b);
        d[0] = digamma(k + a) - digamma(a) + common;
        d[1] = digamma(big - k + b) - digamma(b) + common;
        Ok(lp)
    }
}

/// log P(X <= n) (or log P(X > n)) for X ~ beta_binomial(N, alpha, beta) as the
/// log-sum of the masses in the range (N is data; the masses are finitely many), with
/// partials in (alpha, beta) as the mass-weighted partials of each term.
fn beta_binomial_log_cdf(
    n: &[i64],
    x: &[f64],
    d: &mut [f64],
    upper: bool,
) -> Result<f64, Violation> {
    require_int(n[1] >= 0, 1, n[1], req::NONNEGATIVE)?;
    check_shapes(x)?;
    let (k, big) = (n[0], n[1]);
    let range = if upper {
        (k + 1).max(0)..=big
    } else {
        0..=k.min(big)
    };
    if range.is_empty() {
        return Ok(f64::NEG_INFINITY);
    }
    let (a, b) = (x[0], x[1]);
    let bigf = big as f64;
    let log_mass =
        |j: i64| lchoose(big, j) + ln_beta(j as f64 + a, bigf - j as f64 + b) - ln_beta(a, b);
    let top = range
        .clone()
        .map(log_mass)
        .fold(f64::NEG_INFINITY, f64::max);
    let common = digamma(a + b) - digamma(bigf + a + b);
    let (da, db) = (digamma(a), digamma(b));
    let (mut total, mut ga, mut gb) = (0.0, 0.0, 0.0);
    for j in range {
        let w = (log_mass(j) - top).exp();
        let jf = j as f64;
        total += w;
        ga += w * (digamma(jf + a) - da + common);
        gb += w * (digamma(bigf - jf + b) - db + common);
    }
    d[0] = ga / total;
    d[1] = gb / total;
    Ok(top + total.ln())
}

impl Cdf for BetaBinomial {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        beta_binomial_log_cdf(n, x, d, false)
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        beta_binomial_log_cdf(n, x, d, true)
    }
}

impl Sample for BetaBinomial {
    fn sample<R: Rng + ?Sized>(n: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_shapes(x)?;
        let theta = draw_beta(x[0], x[1], rng)?;
        Ok(Outcome::Int(draw_binomial(n[1], theta, rng)?))
    }
}
