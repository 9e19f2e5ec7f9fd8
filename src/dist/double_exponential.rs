//! The double exponential (Laplace) family `double_exponential(y | mu, sigma)`.

use super::args::Keep;
use super::error::Violation;
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::normal::{check_location_scale, loc_scale_partials};
use super::special::LOG_TWO;
use rand::{Rng, RngExt};

/// `double_exponential(y | mu, sigma)`.
pub struct DoubleExponential;

impl Family for DoubleExponential {
    const NAME: &'static str = "double_exponential";
    const REALS: &'static [&'static str] = &["y", "mu", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let (sigma, z) = (x[2], (x[0] - x[1]) / x[2]);
        let mut lp = 0.0;
        if keep.constants() {
            lp -= LOG_TWO;
        }
        if keep.any(&[2]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp -= z.abs();
        }
        let g = -z.signum() * if z == 0.0 { 0.0 } else { 1.0 };
        d[0] = g / sigma;
        d[1] = -g / sigma;
        d[2] = -(1.0 + g * z) / sigma;
        Ok(lp)
    }
}

/// log P(Z <= z) and its derivative for the standard Laplace.
fn log_std_cdf(z: f64) -> (f64, f64) {
    if z < 0.0 {
        (z - LOG_TWO, 1.0)
    } else {
        let t = 0.5 * (-z).exp();
        ((-t).ln_1p(), t / (1.0 - t))
    }
}

impl Cdf for DoubleExponential {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        let (v, dz) = log_std_cdf(z);
        loc_scale_partials(dz, z, x[2], d);
        Ok(v)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        let (v, dz) = log_std_cdf(-z);
        loc_scale_partials(-dz, z, x[2], d);
        Ok(v)
    }
}

impl Sample for DoubleExponential {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_location_scale(&[0.0, x[1], x[2]])?;
        let u: f64 = rng.random::<f64>() - 0.5;
        let z = -u.signum() * (1.0 - 2.0 * u.abs()).ln();
        Ok(Outcome::Real(x[1] + x[2] * z))
    }
}
