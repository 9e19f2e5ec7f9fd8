//! The Poisson families `poisson(n | lambda)` and `poisson_log(n | alpha)`.
//!
//! Outcome validity follows Stan: n < 0 is an error.

use super::args::Keep;
use super::error::{Slot, Violation, req, require, require_int};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{gamma_lr, gamma_ur, ln_gamma};
use rand::Rng;
use rand_distr::{Distribution, Poisson as RandPoisson};

/// `poisson(n | lambda)`.
pub struct Poisson;
/// `poisson_log(n | alpha)`: Poisson with lambda = exp(alpha).
pub struct PoissonLog;

/// Largest rate the RNG accepts (Stan's `POISSON_MAX_RATE` = 2^30).
pub const POISSON_MAX_RATE: f64 = 1_073_741_824.0;

fn check_n(n: &[i64]) -> Result<(), Violation> {
    require_int(n[0] >= 0, 0, n[0], req::NONNEGATIVE)
}

impl Family for Poisson {
    const NAME: &'static str = "poisson";
    const REALS: &'static [&'static str] = &["lambda"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_n(n)?;
        let lambda = x[0];
        require(
            lambda >= 0.0 && lambda.is_finite(),
            0,
            lambda,
            "nonnegative finite",
        )?;
        let k = n[0] as f64;
        if lambda == 0.0 {
            d[0] = if n[0] == 0 { -1.0 } else { 0.0 };
            return Ok(if n[0] == 0 { 0.0 } else { f64::NEG_INFINITY });
        }
        let mut lp = 0.0;
        if keep.constants() {
            lp -= ln_gamma(k + 1.0);
        }
        if keep.any(&[0]) {
            lp += k * lambda.ln() - lambda;
        }
        d[0] = k / lambda - 1.0;
        Ok(lp)
    }
}

fn poisson_log_cdf(n: &[i64], x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    let lambda = x[0];
    require(
        lambda >= 0.0 && lambda.is_finite(),
        0,
        lambda,
        "nonnegative finite",
    )?;
    if n[0] < 0 {
        return Ok(if upper { 0.0 } else { f64::NEG_INFINITY });
    }
    let k = n[0] as f64;
    // P(N <= n) = Q(n + 1, lambda); d/dlambda = -pmf(n).
    let p = if upper {
        gamma_lr(k + 1.0, lambda)
    } else {
        gamma_ur(k + 1.0, lambda)
    };
    let log_pmf = k * lambda.ln() - lambda - ln_gamma(k + 1.0);
    let sign = if upper { 1.0 } else { -1.0 };
    d[0] = sign * (log_pmf - p.ln()).exp();
    Ok(p.ln())
}

impl Cdf for Poisson {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        poisson_log_cdf(n, x, d, false)
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        poisson_log_cdf(n, x, d, true)
    }
}

/// A Poisson(lambda) draw; `slot` names the argument in errors.
pub(crate) fn draw_poisson<R: Rng + ?Sized>(
    lambda: f64,
    slot: usize,
    rng: &mut R,
) -> Result<i64, Violation> {
    require(lambda < POISSON_MAX_RATE, slot, lambda, "less than 2^30")?;
    if lambda == 0.0 {
        return Ok(0);
    }
    let dist = RandPoisson::new(lambda).map_err(|_| Violation {
        slot: Slot::Real(slot),
        value: lambda,
        requirement: req::POSITIVE_FINITE,
    })?;
    Ok(dist.sample(rng) as i64)
}

impl Sample for Poisson {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require(
            x[0] >= 0.0 && x[0].is_finite(),
            0,
            x[0],
            "nonnegative finite",
        )?;
        Ok(Outcome::Int(draw_poisson(x[0], 0, rng)?))
    }
}

impl Family for PoissonLog {
    const NAME: &'static str = "poisson_log";
    const REALS: &'static [&'static str] = &["alpha"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_n(n)?;
        let alpha = x[0];
        require(
            !alpha.is_nan() && alpha != f64::INFINITY,
            0,
            alpha,
            "not nan and less than +inf",
        )?;
        let k = n[0] as f64;
        if alpha == f64::NEG_INFINITY {
            d[0] = k;
            return Ok(if n[0] == 0 { 0.0 } else { f64::NEG_INFINITY });
        }
        let lambda = alpha.exp();
        let mut lp = 0.0;
        if keep.constants() {
            lp -= ln_gamma(k + 1.0);
        }
        if keep.any(&[0]) {
            lp += k * alpha - lambda;
        }
        d[0] = k - lambda;
        Ok(lp)
    }
}

impl Sample for PoissonLog {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
        Ok(Outcome::Int(draw_poisson(x[0].exp(), 0, rng)?))
    }
}
