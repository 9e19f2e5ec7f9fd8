//! The chi-square, inverse chi-square and scaled inverse chi-square families.
//!
//! Outcome validity follows Stan: y < 0 is an error (chi_square); y <= 0 has log density
//! -inf for the inverse families. CDF partials in `nu` use central differences
//! ([`shape_derivative`]); the inverse families' CDFs are inverse gamma CDFs
//! (inv_chi_square(nu) = inv_gamma(nu / 2, 1 / 2), scaled_inv_chi_square(nu, s) =
//! inv_gamma(nu / 2, nu s^2 / 2)) with the chain rule.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::gamma::{draw_std_gamma, inv_gamma_log_cdf, log_std_gamma_pdf};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{LOG_TWO, digamma, gamma_lr, gamma_ur, ln_gamma, shape_derivative};
use rand::Rng;

/// `chi_square(y | nu)`.
pub struct ChiSquare;
/// `inv_chi_square(y | nu)`.
pub struct InvChiSquare;
/// `scaled_inv_chi_square(y | nu, s)`.
pub struct ScaledInvChiSquare;

fn check_nu(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )
}

impl Family for ChiSquare {
    const NAME: &'static str = "chi_square";
    const REALS: &'static [&'static str] = &["y", "nu"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_nu(x)?;
        require(x[0] >= 0.0, 0, x[0], req::NONNEGATIVE)?;
        let (y, half_nu) = (x[0], 0.5 * x[1]);
        let ly = y.ln();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp -= half_nu * LOG_TWO + ln_gamma(half_nu);
        }
        if keep.any(&[0, 1]) && half_nu != 1.0 {
            lp += (half_nu - 1.0) * ly;
        }
        if keep.any(&[0]) {
            lp -= 0.5 * y;
        }
        d[0] = (half_nu - 1.0) / y - 0.5;
        if keep.varying(1) {
            d[1] = 0.5 * (ly - LOG_TWO - digamma(half_nu));
        }
        Ok(lp)
    }
}

fn chi_square_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check_nu(x)?;
    require(x[0] >= 0.0, 0, x[0], req::NONNEGATIVE)?;
    let (y, nu) = (x[0], x[1]);
    let s = 0.5 * y;
    let f = |v: f64| {
        if upper {
            gamma_ur(0.5 * v, s).ln()
        } else {
            gamma_lr(0.5 * v, s).ln()
        }
    };
    let lc = f(nu);
    if y == 0.0 {
        return Ok(lc);
    }
    let sign = if upper { -1.0 } else { 1.0 };
    d[0] = sign * 0.5 * (log_std_gamma_pdf(s, 0.5 * nu) - lc).exp();
    d[1] = shape_derivative(f, nu);
    Ok(lc)
}

impl Cdf for ChiSquare {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        chi_square_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        chi_square_log_cdf(x, d, true)
    }
}

impl Sample for ChiSquare {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_nu(&[0.0, x[1]])?;
        Ok(Outcome::Real(2.0 * draw_std_gamma(0.5 * x[1], 1, rng)?))
    }
}

impl Family for InvChiSquare {
    const NAME: &'static str = "inv_chi_square";
    const REALS: &'static [&'static str] = &["y", "nu"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_nu(x)?;
        let (y, half_nu) = (x[0], 0.5 * x[1]);
        if y <= 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let ly = y.ln();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp -= half_nu * LOG_TWO + ln_gamma(half_nu);
        }
        if keep.any(&[0, 1]) {
            lp -= (half_nu + 1.0) * ly;
        }
        if keep.any(&[0]) {
            lp -= 0.5 / y;
        }
        d[0] = -(half_nu + 1.0) / y + 0.5 / (y * y);
        if keep.varying(1) {
            d[1] = -0.5 * (ly + LOG_TWO + digamma(half_nu));
        }
        Ok(lp)
    }
}

fn inv_chi_square_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check_nu(x)?;
    let mut g = [0.0; 3];
    let v = inv_gamma_log_cdf(&[x[0], 0.5 * x[1], 0.5], &mut g, upper)?;
    d[0] = g[0];
    d[1] = 0.5 * g[1];
    Ok(v)
}

impl Cdf for InvChiSquare {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        inv_chi_square_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        inv_chi_square_log_cdf(x, d, true)
    }
}

impl Sample for InvChiSquare {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_nu(&[0.0, x[1]])?;
        Ok(Outcome::Real(0.5 / draw_std_gamma(0.5 * x[1], 1, rng)?))
    }
}

impl Family for ScaledInvChiSquare {
    const NAME: &'static str = "scaled_inv_chi_square";
    const REALS: &'static [&'static str] = &["y", "nu", "s"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_nu(x)?;
        require(
            x[2] > 0.0 && x[2].is_finite(),
            2,
            x[2],
            req::POSITIVE_FINITE,
        )?;
        let (y, nu, s) = (x[0], x[1], x[2]);
        if y <= 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let half_nu = 0.5 * nu;
        let ly = y.ln();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp += half_nu * half_nu.ln() - ln_gamma(half_nu);
        }
        if keep.any(&[1, 2]) {
            lp += nu * s.ln();
        }
        if keep.any(&[0, 1]) {
            lp -= (half_nu + 1.0) * ly;
        }
        if keep.any(&[0, 1, 2]) {
            lp -= half_nu * s * s / y;
        }
        d[0] = -(half_nu + 1.0) / y + half_nu * s * s / (y * y);
        d[1] = 0.5 * (half_nu.ln() + 1.0 - digamma(half_nu)) + s.ln() - 0.5 * ly - 0.5 * s * s / y;
        d[2] = nu / s - nu * s / y;
        Ok(lp)
    }
}

fn scaled_inv_chi_square_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check_nu(x)?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )?;
    let (nu, s2) = (x[1], x[2] * x[2]);
    let mut g = [0.0; 3];
    let v = inv_gamma_log_cdf(&[x[0], 0.5 * nu, 0.5 * nu * s2], &mut g, upper)?;
    d[0] = g[0];
    d[1] = 0.5 * (g[1] + s2 * g[2]);
    d[2] = nu * x[2] * g[2];
    Ok(v)
}

impl Cdf for ScaledInvChiSquare {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        scaled_inv_chi_square_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        scaled_inv_chi_square_log_cdf(x, d, true)
    }
}

impl Sample for ScaledInvChiSquare {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_nu(&[0.0, x[1]])?;
        require(
            x[2] > 0.0 && x[2].is_finite(),
            2,
            x[2],
            req::POSITIVE_FINITE,
        )?;
        let chi2 = 2.0 * draw_std_gamma(0.5 * x[1], 1, rng)?;
        Ok(Outcome::Real(x[1] * x[2] * x[2] / chi2))
    }
}
