//! The lognormal family `lognormal(y | mu, sigma)`.
//!
//! Outcome validity follows Stan: y < 0 is an error, y = 0 has log density -inf.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{LOG_SQRT_TWO_PI, dlog_phi, log_phi};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `lognormal(y | mu, sigma)`.
pub struct LogNormal;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(x[0] >= 0.0, 0, x[0], req::NONNEGATIVE)?;
    require(x[1].is_finite(), 1, x[1], req::FINITE)?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )
}

impl Family for LogNormal {
    const NAME: &'static str = "lognormal";
    const REALS: &'static [&'static str] = &["y", "mu", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, mu, sigma) = (x[0], x[1], x[2]);
        if y == 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let ly = y.ln();
        let z = (ly - mu) / sigma;
        let mut lp = 0.0;
        if keep.constants() {
            lp -= LOG_SQRT_TWO_PI;
        }
        if keep.any(&[2]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0]) {
            lp -= ly;
        }
        if keep.any(&[0, 1, 2]) {
            lp -= 0.5 * z * z;
        }
        d[0] = -(1.0 + z / sigma) / y;
        d[1] = z / sigma;
        d[2] = (z * z - 1.0) / sigma;
        Ok(lp)
    }
}

fn log_cdf_side(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    let (y, sigma) = (x[0], x[2]);
    if y == 0.0 {
        return Ok(if upper { 0.0 } else { f64::NEG_INFINITY });
    }
    let s = if upper { -1.0 } else { 1.0 };
    let z = (y.ln() - x[1]) / sigma;
    let dz = s * dlog_phi(s * z);
    d[0] = dz / (sigma * y);
    d[1] = -dz / sigma;
    d[2] = -dz * z / sigma;
    Ok(log_phi(s * z))
}

impl Cdf for LogNormal {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, true)
    }
}

impl Sample for LogNormal {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        let z: f64 = StandardNormal.sample(rng);
        Ok(Outcome::Real((x[1] + x[2] * z).exp()))
    }
}
