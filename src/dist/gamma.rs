//! The gamma and inverse gamma families.
//!
//! Outcome validity follows Stan: a NaN outcome is an error; y < 0 (gamma) or y <= 0
//! (inverse gamma) has log density -inf. CDF partials in the shape `alpha` use central
//! differences ([`shape_derivative`]); the others are analytic.

use super::args::Keep;
use super::error::{Slot, Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{digamma, gamma_lr, gamma_ur, ln_gamma, shape_derivative};
use rand::Rng;
use rand_distr::{Distribution, Gamma as RandGamma};

/// `gamma(y | alpha, beta)` (shape, rate).
pub struct Gamma;

/// `inv_gamma(y | alpha, beta)` (shape, scale).
pub struct InvGamma;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )
}

/// Log density of the standard gamma(alpha, 1) at s > 0.
pub(crate) fn log_std_gamma_pdf(s: f64, alpha: f64) -> f64 {
    (alpha - 1.0) * s.ln() - s - ln_gamma(alpha)
}

/// A gamma(shape, rate = 1) draw; errors name the shape's slot.
pub(crate) fn draw_std_gamma<R: Rng + ?Sized>(
    shape: f64,
    slot: usize,
    rng: &mut R,
) -> Result<f64, Violation> {
    let g = RandGamma::new(shape, 1.0).map_err(|_| Violation {
        slot: Slot::Real(slot),
        value: shape,
        requirement: req::POSITIVE_FINITE,
    })?;
    Ok(g.sample(rng))
}

impl Family for Gamma {
    const NAME: &'static str = "gamma";
    const REALS: &'static [&'static str] = &["y", "alpha", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, alpha, beta) = (x[0], x[1], x[2]);
        if y < 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let ly = y.ln();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp -= ln_gamma(alpha);
        }
        if keep.any(&[1, 2]) {
            lp += alpha * beta.ln();
        }
        if keep.any(&[0, 1]) && alpha != 1.0 {
            lp += (alpha - 1.0) * ly;
        }
        if keep.any(&[0, 2]) {
            lp -= beta * y;
        }
        d[0] = (alpha - 1.0) / y - beta;
        if keep.varying(1) {
            d[1] = beta.ln() - digamma(alpha) + ly;
        }
        d[2] = alpha / beta - y;
        Ok(lp)
    }
}

fn gamma_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    let (y, alpha, beta) = (x[0].max(0.0), x[1], x[2]);
    let s = beta * y;
    let f = |a: f64| {
        if upper {
            gamma_ur(a, s).ln()
        } else {
            gamma_lr(a, s).ln()
        }
    };
    let lc = f(alpha);
    if y == 0.0 {
        return Ok(lc);
    }
    let sign = if upper { -1.0 } else { 1.0 };
    // d/ds P(alpha, s) is the standard gamma density at s.
    let ds = sign * (log_std_gamma_pdf(s, alpha) - lc).exp();
    d[0] = ds * beta;
    d[1] = shape_derivative(f, alpha);
    d[2] = ds * y;
    Ok(lc)
}

impl Cdf for Gamma {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        gamma_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        gamma_log_cdf(x, d, true)
    }
}

impl Sample for Gamma {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        Ok(Outcome::Real(draw_std_gamma(x[1], 1, rng)? / x[2]))
    }
}

impl Family for InvGamma {
    const NAME: &'static str = "inv_gamma";
    const REALS: &'static [&'static str] = &["y", "alpha", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, alpha, beta) = (x[0], x[1], x[2]);
        if y <= 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let ly = y.ln();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp -= ln_gamma(alpha);
        }
        if keep.any(&[1, 2]) {
            lp += alpha * beta.ln();
        }
        if keep.any(&[0, 1]) {
            lp -= (alpha + 1.0) * ly;
        }
        if keep.any(&[0, 2]) {
            lp -= beta / y;
        }
        d[0] = -(alpha + 1.0) / y + beta / (y * y);
        if keep.varying(1) {
            d[1] = beta.ln() - digamma(alpha) - ly;
        }
        d[2] = alpha / beta - 1.0 / y;
        Ok(lp)
    }
}

pub(super) fn inv_gamma_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    let (y, alpha, beta) = (x[0], x[1], x[2]);
    if y <= 0.0 {
        return Ok(if upper { 0.0 } else { f64::NEG_INFINITY });
    }
    // P(Y <= y) = Q(alpha, beta / y).
    let s = beta / y;
    let f = |a: f64| {
        if upper {
            gamma_lr(a, s).ln()
        } else {
            gamma_ur(a, s).ln()
        }
    };
    let lc = f(alpha);
    let sign = if upper { 1.0 } else { -1.0 };
    let ds = sign * (log_std_gamma_pdf(s, alpha) - lc).exp();
    d[0] = -ds * beta / (y * y);
    d[1] = shape_derivative(f, alpha);
    d[2] = ds / y;
    Ok(lc)
}

impl Cdf for InvGamma {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        inv_gamma_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        inv_gamma_log_cdf(x, d, true)
    }
}

impl Sample for InvGamma {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        Ok(Outcome::Real(x[2] / draw_std_gamma(x[1], 1, rng)?))
    }
}
