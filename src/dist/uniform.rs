//! The uniform family `uniform(y | alpha, beta)`.
//!
//! Outcome validity follows Stan: y outside [alpha, beta] has log density -inf.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use rand::{Rng, RngExt};

/// `uniform(y | alpha, beta)`.
pub struct Uniform;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(x[1].is_finite(), 1, x[1], req::FINITE)?;
    require(x[2].is_finite(), 2, x[2], req::FINITE)?;
    require(x[2] > x[1], 2, x[2], "greater than alpha")
}

impl Family for Uniform {
    const NAME: &'static str = "uniform";
    const REALS: &'static [&'static str] = &["y", "alpha", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, a, b) = (x[0], x[1], x[2]);
        if y < a || y > b {
            return Ok(f64::NEG_INFINITY);
        }
        let w = b - a;
        d[0] = 0.0;
        d[1] = 1.0 / w;
        d[2] = -1.0 / w;
        Ok(if keep.any(&[1, 2]) { -w.ln() } else { 0.0 })
    }
}

impl Cdf for Uniform {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, a, b) = (x[0], x[1], x[2]);
        if y <= a {
            return Ok(f64::NEG_INFINITY);
        }
        if y >= b {
            return Ok(0.0);
        }
        d[0] = 1.0 / (y - a);
        d[1] = -1.0 / (y - a) + 1.0 / (b - a);
        d[2] = -1.0 / (b - a);
        Ok(((y - a) / (b - a)).ln())
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, a, b) = (x[0], x[1], x[2]);
        if y <= a {
            return Ok(0.0);
        }
        if y >= b {
            return Ok(f64::NEG_INFINITY);
        }
        d[0] = -1.0 / (b - y);
        d[1] = 1.0 / (b - a);
        d[2] = 1.0 / (b - y) - 1.0 / (b - a);
        Ok(((b - y) / (b - a)).ln())
    }
}

impl Sample for Uniform {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[x[1], x[1], x[2]])?;
        let u: f64 = rng.random();
        Ok(Outcome::Real(x[1] + (x[2] - x[1]) * u))
    }
}
