//! The Student-t family `student_t(y | nu, mu, sigma)`.
//!
//! The CDF uses the regularized incomplete beta function; its partial in `nu` is taken by
//! central differences ([`shape_derivative`]), all other partials are analytic.

use super::args::{Arg, IntArg, Keep};
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{LOG_PI, beta_reg, digamma, ln_gamma, shape_derivative};
use rand::Rng;
use rand_distr::{Distribution, StudentT as RandStudentT};

/// `student_t(y | nu, mu, sigma)`.
pub struct StudentT;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )?;
    require(x[2].is_finite(), 2, x[2], req::FINITE)?;
    require(
        x[3] > 0.0 && x[3].is_finite(),
        3,
        x[3],
        req::POSITIVE_FINITE,
    )
}

impl Family for StudentT {
    const NAME: &'static str = "student_t";
    const REALS: &'static [&'static str] = &["y", "nu", "mu", "sigma"];

    /// A scalar `nu` with any mix of scalar and container `y`, `mu`, `sigma`: the log-gamma
    /// and digamma terms of `nu` (and `log sigma` for a scalar `sigma`) are computed once
    /// per call instead of once per element.
    fn fast_log_density(
        _: &[IntArg],
        reals: &[Arg],
        keep: &Keep,
        partials: &mut [Option<&mut [f64]>],
    ) -> Option<f64> {
        let (&[y, Arg::Scalar(nu), mu, sigma], [py, pnu, pmu, ps]) = (reals, partials) else {
            return None;
        };
        let lens = [y.len(), mu.len(), sigma.len()];
        let n = lens.iter().flatten().copied().max()?;
        if lens.iter().flatten().any(|&l| l != n) || !(nu > 0.0 && nu.is_finite()) {
            return None;
        }
        let valid = (0..n).all(|i| {
            let s = sigma.at(i);
            !y.at(i).is_nan() && mu.at(i).is_finite() && s > 0.0 && s.is_finite()
        });
        if !valid {
            return None;
        }
        let slot = |b: &[f64], i: usize| if b.len() == 1 { 0 } else { i };
        let (mut sum_log1p, mut sum_log_sigma, mut sum_dnu) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let s = sigma.at(i);
            let inv = 1.0 / s;
            let z = (y.at(i) - mu.at(i)) * inv;
            let z2 = z * z;
            let log1p_t = (z2 / nu).ln_1p();
            sum_log1p += log1p_t;
            if let Arg::Vector(_) = sigma {
                sum_log_sigma += s.ln();
            }
            let w = (nu + 1.0) / (nu + z2);
            let g = w * z * inv;
            if let Some(b) = py.as_deref_mut() {
                b[slot(b, i)] -= g;
            }
            if let Some(b) = pmu.as_deref_mut() {
                b[slot(b, i)] += g;
            }
            if let Some(b) = ps.as_deref_mut() {
                b[slot(b, i)] += (w * z2 - 1.0) * inv;
            }
            if pnu.is_some() {
                sum_dnu += w * z2 / nu - log1p_t;
            }
        }
        let nf = n as f64;
        if let Arg::Scalar(s) = sigma {
            sum_log_sigma = nf * s.ln();
        }
        if let Some(b) = pnu.as_deref_mut() {
            let per = digamma(0.5 * (nu + 1.0)) - digamma(0.5 * nu) - 1.0 / nu;
            b[0] += 0.5 * (nf * per + sum_dnu);
        }
        let mut lp = 0.0;
        if keep.constants() {
            lp -= nf * 0.5 * LOG_PI;
        }
        if keep.any(&[1]) {
            lp += nf * (ln_gamma(0.5 * (nu + 1.0)) - ln_gamma(0.5 * nu) - 0.5 * nu.ln());
        }
        if keep.any(&[3]) {
            lp -= sum_log_sigma;
        }
        if keep.any(&[0, 1, 2, 3]) {
            lp -= 0.5 * (nu + 1.0) * sum_log1p;
        }
        Some(lp)
    }

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, nu, mu, sigma) = (x[0], x[1], x[2], x[3]);
        let z = (y - mu) / sigma;
        let z2 = z * z;
        let log1p_t = (z2 / nu).ln_1p();
        let mut lp = 0.0;
        if keep.constants() {
            lp -= 0.5 * LOG_PI;
        }
        if keep.any(&[1]) {
            lp += ln_gamma(0.5 * (nu + 1.0)) - ln_gamma(0.5 * nu) - 0.5 * nu.ln();
        }
        if keep.any(&[3]) {
            lp -= sigma.ln();
        }
        if keep.any(&[0, 1, 2, 3]) {
            lp -= 0.5 * (nu + 1.0) * log1p_t;
        }
        let w = (nu + 1.0) / (nu + z2);
        d[0] = -w * z / sigma;
        // Digammas only when nu is a parameter (the driver ignores partials of constants).
        if keep.varying(1) {
            d[1] = 0.5
                * (digamma(0.5 * (nu + 1.0)) - digamma(0.5 * nu) - 1.0 / nu - log1p_t
                    + w * z2 / nu);
        }
        d[2] = w * z / sigma;
        d[3] = (w * z2 - 1.0) / sigma;
        Ok(lp)
    }
}

/// log P(T <= z) for a standard t with `nu` degrees of freedom.
fn log_std_cdf(z: f64, nu: f64) -> f64 {
    let tail = 0.5 * beta_reg(0.5 * nu, 0.5, nu / (nu + z * z));
    if z < 0.0 { tail.ln() } else { (-tail).ln_1p() }
}

/// Log density of the standard t at z.
fn log_std_pdf(z: f64, nu: f64) -> f64 {
    ln_gamma(0.5 * (nu + 1.0))
        - ln_gamma(0.5 * nu)
        - 0.5 * (nu * std::f64::consts::PI).ln()
        - 0.5 * (nu + 1.0) * (z * z / nu).ln_1p()
}

fn log_cdf_side(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check(x)?;
    let (nu, sigma) = (x[1], x[3]);
    let s = if upper { -1.0 } else { 1.0 };
    let z = s * (x[0] - x[2]) / sigma;
    let lc = log_std_cdf(z, nu);
    let dz = (log_std_pdf(z, nu) - lc).exp();
    d[0] = s * dz / sigma;
    d[1] = shape_derivative(|v| log_std_cdf(z, v), nu);
    d[2] = -s * dz / sigma;
    d[3] = -dz * z / sigma;
    Ok(lc)
}

impl Cdf for StudentT {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        log_cdf_side(x, d, true)
    }
}

impl Sample for StudentT {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2], x[3]])?;
        let t = RandStudentT::new(x[1]).map_err(|_| Violation {
            slot: super::error::Slot::Real(1),
            value: x[1],
            requirement: req::POSITIVE_FINITE,
        })?;
        Ok(Outcome::Real(x[2] + x[3] * t.sample(rng)))
    }
}
