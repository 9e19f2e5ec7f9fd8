//! The Gumbel family `gumbel(y | mu, beta)`.

use super::args::Keep;
use super::error::Violation;
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::normal::{check_location_scale, loc_scale_partials};
use super::special::log1m_exp;
use rand::{Rng, RngExt};

/// `gumbel(y | mu, beta)`.
pub struct Gumbel;

impl Family for Gumbel {
    const NAME: &'static str = "gumbel";
    const REALS: &'static [&'static str] = &["y", "mu", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let (beta, z) = (x[2], (x[0] - x[1]) / x[2]);
        let e = (-z).exp();
        let mut lp = 0.0;
        if keep.any(&[2]) {
            lp -= beta.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp += -z - e;
        }
        let g = e - 1.0;
        d[0] = g / beta;
        d[1] = -g / beta;
        d[2] = -(1.0 + g * z) / beta;
        Ok(lp)
    }
}

impl Cdf for Gumbel {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        let e = (-z).exp();
        loc_scale_partials(e, z, x[2], d);
        Ok(-e)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        let e = (-z).exp();
        loc_scale_partials(-e / e.exp_m1(), z, x[2], d);
        Ok(log1m_exp(-e))
    }
}

impl Sample for Gumbel {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_location_scale(&[0.0, x[1], x[2]])?;
        let u: f64 = rng.random();
        Ok(Outcome::Real(x[1] - x[2] * (-u.ln()).ln()))
    }
}
