//! The Cauchy family `cauchy(y | mu, sigma)`.

use super::args::Keep;
use super::error::Violation;
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::normal::{check_location_scale, loc_scale_partials};
use super::special::LOG_PI;
use rand::{Rng, RngExt};
use std::f64::consts::PI;

/// `cauchy(y | mu, sigma)`.
pub struct Cauchy;

impl Family for Cauchy {
    const NAME: &'static str = "cauchy";
    const REALS: &'static [&'static str] = &["y", "mu", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let (sigma, z) = (x[2], (x[0] - x[1]) / x[2]);
        let mut lp = 0.0;
        if keep.constants() {
            lp -= LOG_PI;
        }
        if keep.any(&[2]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp -= (z * z).ln_1p();
        }
        let g = -2.0 * z / (1.0 + z * z);
        d[0] = g / sigma;
        d[1] = -g / sigma;
        d[2] = -(1.0 + g * z) / sigma;
        Ok(lp)
    }
}

/// P(Z <= z) for the standard Cauchy, without cancellation in the lower tail.
fn std_cdf(z: f64) -> f64 {
    if z < -1.0 {
        -(1.0 / z).atan() / PI
    } else {
        0.5 + z.atan() / PI
    }
}

fn log_cdf_side(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check_location_scale(x)?;
    let s = if upper { -1.0 } else { 1.0 };
    let z = (x[0] - x[1]) / x[2];
    let p = std_cdf(s * z);
    let dz = s / (PI * (1.0 + z * z) * p);
    loc_scale_partials(dz, z, x[2], d);
    Ok(p.ln())
}

impl Cdf for Cauchy {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, true)
    }
}

impl Sample for Cauchy {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_location_scale(&[0.0, x[1], x[2]])?;
        let u: f64 = rng.random();
        Ok(Outcome::Real(x[1] + x[2] * (PI * (u - 0.5)).tan()))
    }
}
