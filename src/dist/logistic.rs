//! The logistic family `logistic(y | mu, sigma)`.

use super::args::Keep;
use super::error::Violation;
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::normal::{check_location_scale, loc_scale_partials};
use super::special::{inv_logit, log_inv_logit, log1m_inv_logit, log1p_exp};
use rand::{Rng, RngExt};

/// `logistic(y | mu, sigma)`.
pub struct Logistic;

impl Family for Logistic {
    const NAME: &'static str = "logistic";
    const REALS: &'static [&'static str] = &["y", "mu", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let (sigma, z) = (x[2], (x[0] - x[1]) / x[2]);
        let mut lp = 0.0;
        if keep.any(&[2]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp += -z - 2.0 * log1p_exp(-z);
        }
        let g = 1.0 - 2.0 * inv_logit(z);
        d[0] = g / sigma;
        d[1] = -g / sigma;
        d[2] = -(1.0 + g * z) / sigma;
        Ok(lp)
    }
}

impl Cdf for Logistic {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        loc_scale_partials(inv_logit(-z), z, x[2], d);
        Ok(log_inv_logit(z))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        loc_scale_partials(-inv_logit(z), z, x[2], d);
        Ok(log1m_inv_logit(z))
    }
}

impl Sample for Logistic {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_location_scale(&[0.0, x[1], x[2]])?;
        let u: f64 = rng.random();
        Ok(Outcome::Real(x[1] + x[2] * (u / (1.0 - u)).ln()))
    }
}
