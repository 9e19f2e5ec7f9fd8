//! The skew normal family `skew_normal(y | xi, omega, alpha)` (no CDF: it needs Owen's T,
//! and truncation of skew normals is not used by the project's models).

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Family, Outcome, Sample};
use super::special::{LOG_SQRT_TWO_PI, LOG_TWO, dlog_phi, log_phi};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// `skew_normal(y | xi, omega, alpha)`.
pub struct SkewNormal;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(x[1].is_finite(), 1, x[1], req::FINITE)?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )?;
    require(x[3].is_finite(), 3, x[3], req::FINITE)
}

impl Family for SkewNormal {
    const NAME: &'static str = "skew_normal";
    const REALS: &'static [&'static str] = &["y", "xi", "omega", "alpha"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (omega, alpha) = (x[2], x[3]);
        let z = (x[0] - x[1]) / omega;
        let mut lp = 0.0;
        if keep.constants() {
            lp += LOG_TWO - LOG_SQRT_TWO_PI;
        }
        if keep.any(&[2]) {
            lp -= omega.ln();
        }
        if keep.any(&[0, 1, 2]) {
            lp -= 0.5 * z * z;
        }
        if keep.any(&[0, 1, 2, 3]) {
            lp += log_phi(alpha * z);
        }
        let r = dlog_phi(alpha * z);
        let g = -z + alpha * r;
        d[0] = g / omega;
        d[1] = -g / omega;
        d[2] = -(1.0 + g * z) / omega;
        d[3] = z * r;
        Ok(lp)
    }
}

impl Sample for SkewNormal {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2], x[3]])?;
        let delta = x[3] / (1.0 + x[3] * x[3]).sqrt();
        let u0: f64 = StandardNormal.sample(rng);
        let v: f64 = StandardNormal.sample(rng);
        let u1 = delta * u0 + (1.0 - delta * delta).sqrt() * v;
        let z = if u0 >= 0.0 { u1 } else { -u1 };
        Ok(Outcome::Real(x[1] + x[2] * z))
    }
}
