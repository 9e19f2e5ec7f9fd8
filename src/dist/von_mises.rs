//! The von Mises family `von_mises(y | mu, kappa)` on the circle (no CDF).
//!
//! Validity follows Stan: y and mu finite, kappa nonnegative finite.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Family, Outcome, Sample};
use super::special::log_bessel_i0_and_ratio;
use rand::{Rng, RngExt};
use std::f64::consts::PI;

/// `von_mises(y | mu, kappa)`.
pub struct VonMises;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(x[0].is_finite(), 0, x[0], req::FINITE)?;
    require(x[1].is_finite(), 1, x[1], req::FINITE)?;
    require(
        x[2] >= 0.0 && x[2].is_finite(),
        2,
        x[2],
        "nonnegative finite",
    )
}

impl Family for VonMises {
    const NAME: &'static str = "von_mises";
    const REALS: &'static [&'static str] = &["y", "mu", "kappa"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (kappa, delta) = (x[2], x[0] - x[1]);
        let (log_i0, ratio) = log_bessel_i0_and_ratio(kappa);
        let mut lp = 0.0;
        if keep.constants() {
            lp -= (2.0 * PI).ln();
        }
        if keep.any(&[2]) {
            lp -= log_i0;
        }
        if keep.any(&[0, 1, 2]) {
            lp += kappa * delta.cos();
        }
        d[0] = -kappa * delta.sin();
        d[1] = kappa * delta.sin();
        d[2] = delta.cos() - ratio;
        Ok(lp)
    }
}

impl Sample for VonMises {
    /// Best & Fisher (1979) rejection sampler, result wrapped into [mu - pi, mu + pi].
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        let (mu, kappa) = (x[1], x[2]);
        if kappa < 1e-8 {
            let u: f64 = rng.random();
            return Ok(Outcome::Real(mu + PI * (2.0 * u - 1.0)));
        }
        let tau = 1.0 + (1.0 + 4.0 * kappa * kappa).sqrt();
        let rho = (tau - (2.0 * tau).sqrt()) / (2.0 * kappa);
        let r = (1.0 + rho * rho) / (2.0 * rho);
        loop {
            let (u1, u2, u3): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
            let z = (PI * u1).cos();
            let f = (1.0 + r * z) / (r + z);
            let c = kappa * (r - f);
            if c * (2.0 - c) - u2 > 0.0 || (c / u2).ln() + 1.0 - c >= 0.0 {
                let theta = if u3 > 0.5 { f.acos() } else { -f.acos() };
                return Ok(Outcome::Real(mu + theta));
            }
        }
    }
}
