//! The skew normal family `skew_normal(y | xi, omega, alpha)`; its CDF is
//! Φ(z) - 2 T(z, α) with z = (y - ξ)/ω and Owen's T function ([`super::owens_t`]), whose
//! partials are closed forms: ∂F/∂z = 2φ(z)Φ(αz), ∂F/∂α = -2 ∂T/∂a.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::owens_t::{owens_t, owens_t_da};
use super::special::{LOG_SQRT_TWO_PI, LOG_TWO, dlog_phi, log_phi};
use crate::math::normal::{phi, std_normal_pdf};
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

/// log P(Y <= y) (or log P(Y > y)) with partials in (y, xi, omega, alpha).
fn skew_normal_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    let (omega, alpha) = (x[2], x[3]);
    let z = (x[0] - x[1]) / omega;
    if z.is_infinite() {
        let below = (z < 0.0) != upper;
        return Ok(if below { f64::NEG_INFINITY } else { 0.0 });
    }
    let t = 2.0 * owens_t(z, alpha);
    let p = if upper { phi(-z) + t } else { phi(z) - t };
    let sign = if upper { -1.0 } else { 1.0 };
    let dz = sign * 2.0 * std_normal_pdf(z) * phi(alpha * z) / p;
    d[0] = dz / omega;
    d[1] = -dz / omega;
    d[2] = -dz * z / omega;
    d[3] = -sign * 2.0 * owens_t_da(z, alpha) / p;
    Ok(p.ln())
}

impl Cdf for SkewNormal {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        skew_normal_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        skew_normal_log_cdf(x, d, true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_matches_a_reference_and_its_y_derivative_is_the_density() {
        // Φ(z) - 2T(z, α) at z = 0.375, α = 1.4 by mpmath at 30 digits
        let x = [0.5, 0.2, 0.8, 1.4];
        let mut d = [0.0; 4];
        let lc = SkewNormal::lcdf(&[], &x, &mut d).unwrap();
        assert!(
            (lc.exp() - 0.373_190_272_906_551_63).abs() < 1e-14,
            "{}",
            lc.exp()
        );
        let lcc = SkewNormal::lccdf(&[], &x, &mut [0.0; 4]).unwrap();
        assert!((lc.exp() + lcc.exp() - 1.0).abs() < 1e-14);
        let mut g = [0.0; 4];
        let lp = SkewNormal::log_density(&[], &x, &Keep::new(false, &[true; 4]), &mut g).unwrap();
        assert!((d[0] * lc.exp() - lp.exp()).abs() < 1e-13);
    }
}
