//! The von Mises family `von_mises(y | mu, kappa)` on the circle.
//!
//! Validity follows Stan: y and mu finite, kappa nonnegative finite; the CDF is defined
//! for y in [-π, π] as the density's integral from -π (Stan's `von_mises_cdf`, which
//! reduces mu modulo 2π: the density is periodic, so the integral needs no reduction).
//! It is computed by quadrature ([`super::quadrature`]) on panels no wider than the
//! density's scale 1/√κ; its partials in y and mu are closed forms (differences of the
//! density at the ends), the partial in kappa a second integral over the same nodes.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::quadrature::integrate;
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

/// Most quadrature panels of the CDF: panels of width 1/√κ cover [-π, π] for κ up to
/// about 10⁵ (where the von Mises is a normal to within 1e-5 anyway).
const MAX_CDF_PANELS: usize = 2048;

/// log P(Y <= y) (or log P(Y > y)) for y in [-π, π], with partials in (y, mu, kappa).
fn von_mises_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    require(
        (-PI..=PI).contains(&x[0]),
        0,
        x[0],
        "in the interval [-pi, pi]",
    )?;
    let (y, mu, kappa) = (x[0], x[1], x[2]);
    let (log_i0, ratio) = log_bessel_i0_and_ratio(kappa);
    let log_norm = log_i0 + (2.0 * PI).ln();
    let pdf = |t: f64| (kappa * (t - mu).cos() - log_norm).exp();
    let (lo, hi) = if upper { (y, PI) } else { (-PI, y) };
    let panels = (((hi - lo) * kappa.max(1.0).sqrt()).ceil() as usize + 1).min(MAX_CDF_PANELS);
    let [p, dk] = integrate(
        |t| {
            let f = pdf(t);
            [f, f * ((t - mu).cos() - ratio)]
        },
        lo,
        hi,
        panels,
    );
    if p <= 0.0 {
        return Ok(f64::NEG_INFINITY);
    }
    let (at_y, at_edge) = (pdf(y), pdf(PI));
    let sign = if upper { -1.0 } else { 1.0 };
    d[0] = sign * at_y / p;
    d[1] = sign * (at_edge - at_y) / p;
    d[2] = dk / p;
    Ok(p.ln())
}

impl Cdf for VonMises {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        von_mises_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        von_mises_log_cdf(x, d, true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdf_matches_a_reference_and_sums_to_one() {
        // the density's integral from -π to 0.5 (mu 0.3, kappa 2) by mpmath at 30 digits
        let x = [0.5, 0.3, 2.0];
        let lc = VonMises::lcdf(&[], &x, &mut [0.0; 3]).unwrap();
        assert!(
            (lc.exp() - 0.604_742_020_980_494_1).abs() < 1e-14,
            "{}",
            lc.exp()
        );
        let lcc = VonMises::lccdf(&[], &x, &mut [0.0; 3]).unwrap();
        assert!((lc.exp() + lcc.exp() - 1.0).abs() < 1e-14);
        // a sharp density (kappa 1e4) still integrates to one
        let whole = VonMises::lcdf(&[], &[PI, 0.3, 1e4], &mut [0.0; 3]).unwrap();
        assert!(whole.abs() < 1e-11, "{whole}");
        assert!(VonMises::lcdf(&[], &[4.0, 0.3, 2.0], &mut [0.0; 3]).is_err());
    }
}
