//! The normal and standard normal families.
//!
//! Outcome validity follows Stan: a NaN outcome is an error; every real outcome is in the
//! support.

use super::args::{Arg, IntArg, Keep};
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{LOG_SQRT_TWO_PI, dlog_phi, log_phi};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `normal(y | mu, sigma)`.
pub struct Normal;

/// Validity of `(y, location, scale)`: y not NaN, location finite, scale positive finite.
pub(crate) fn check_location_scale(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(x[1].is_finite(), 1, x[1], req::FINITE)?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )
}

impl Family for Normal {
    const NAME: &'static str = "normal";
    const REALS: &'static [&'static str] = &["y", "mu", "sigma"];

    /// `y ~ normal(mu, sigma)` with a scalar sigma and container y or mu: log sigma and
    /// 1/sigma are computed once per call instead of once per element.
    fn fast_log_density(
        _: &[IntArg],
        reals: &[Arg],
        keep: &Keep,
        partials: &mut [Option<&mut [f64]>],
    ) -> Option<f64> {
        let (&[y, mu, Arg::Scalar(sigma)], [py, pmu, ps]) = (reals, partials) else {
            return None;
        };
        let n = match (y.len(), mu.len()) {
            (Some(a), Some(b)) if a != b => return None,
            (Some(a), _) | (None, Some(a)) => a,
            (None, None) => return None,
        };
        let valid = sigma > 0.0
            && sigma.is_finite()
            && (0..n).all(|i| !y.at(i).is_nan() && mu.at(i).is_finite());
        if !valid {
            return None;
        }
        let inv = 1.0 / sigma;
        let mut sum_sq = 0.0;
        for i in 0..n {
            let z = (y.at(i) - mu.at(i)) * inv;
            sum_sq += z * z;
            let g = z * inv;
            if let Some(b) = py.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] -= g;
            }
            if let Some(b) = pmu.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += g;
            }
        }
        if let Some(b) = ps.as_deref_mut() {
            b[0] += (sum_sq - n as f64) * inv;
        }
        let nf = n as f64;
        let mut lp = 0.0;
        if keep.constants() {
            lp -= nf * LOG_SQRT_TWO_PI;
        }
        if keep.any(&[2]) {
            lp -= nf * sigma.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp -= 0.5 * sum_sq;
        }
        Some(lp)
    }

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let (y, mu, sigma) = (x[0], x[1], x[2]);
        let z = (y - mu) / sigma;
        let mut lp = 0.0;
        if keep.constants() {
            lp -= LOG_SQRT_TWO_PI;
        }
        if keep.any(&[2]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp -= 0.5 * z * z;
        }
        d[0] = -z / sigma;
        d[1] = z / sigma;
        d[2] = (z * z - 1.0) / sigma;
        Ok(lp)
    }
}

/// Partials of a log CDF `g(z)` with `z = (y - mu) / sigma`, given `g'(z)`.
pub(crate) fn loc_scale_partials(dz: f64, z: f64, sigma: f64, d: &mut [f64]) {
    d[0] = dz / sigma;
    d[1] = -dz / sigma;
    d[2] = -dz * z / sigma;
}

impl Cdf for Normal {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        loc_scale_partials(dlog_phi(z), z, x[2], d);
        Ok(log_phi(z))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_location_scale(x)?;
        let z = (x[0] - x[1]) / x[2];
        loc_scale_partials(-dlog_phi(-z), z, x[2], d);
        Ok(log_phi(-z))
    }
}

impl Sample for Normal {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require(x[1].is_finite(), 1, x[1], req::FINITE)?;
        require(
            x[2] > 0.0 && x[2].is_finite(),
            2,
            x[2],
            req::POSITIVE_FINITE,
        )?;
        let z: f64 = StandardNormal.sample(rng);
        Ok(Outcome::Real(x[1] + x[2] * z))
    }
}

/// `std_normal(y)`.
pub struct StdNormal;

impl Family for StdNormal {
    const NAME: &'static str = "std_normal";
    const REALS: &'static [&'static str] = &["y"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
        let mut lp = 0.0;
        if keep.constants() {
            lp -= LOG_SQRT_TWO_PI;
        }
        if keep.any(&[0]) {
            lp -= 0.5 * x[0] * x[0];
        }
        d[0] = -x[0];
        Ok(lp)
    }
}

impl Cdf for StdNormal {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
        d[0] = dlog_phi(x[0]);
        Ok(log_phi(x[0]))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
        d[0] = -dlog_phi(-x[0]);
        Ok(log_phi(-x[0]))
    }
}

impl Sample for StdNormal {
    fn sample<R: Rng + ?Sized>(_: &[i64], _: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        Ok(Outcome::Real(StandardNormal.sample(rng)))
    }
}
