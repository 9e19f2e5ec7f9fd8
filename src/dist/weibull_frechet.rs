//! The Weibull and Fréchet families (both built on `w = (y/sigma)^±alpha`).
//!
//! Outcome validity follows Stan: y < 0 has log density -inf (Weibull); y <= 0 is an
//! error for the Fréchet, whose support is y > 0.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::log1m_exp;
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// `weibull(y | alpha, sigma)` (shape, scale).
pub struct Weibull;
/// `frechet(y | alpha, sigma)` (shape, scale).
pub struct Frechet;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )
}

impl Family for Weibull {
    const NAME: &'static str = "weibull";
    const REALS: &'static [&'static str] = &["y", "alpha", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, alpha, sigma) = (x[0], x[1], x[2]);
        if y < 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let (ly, ls) = (y.ln(), sigma.ln());
        let w = (alpha * (ly - ls)).exp();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp += alpha.ln();
        }
        if keep.any(&[0, 1]) && alpha != 1.0 {
            lp += (alpha - 1.0) * ly;
        }
        if keep.any(&[1, 2]) {
            lp -= alpha * ls;
        }
        if keep.any(&[0, 1, 2]) {
            lp -= w;
        }
        d[0] = (alpha - 1.0 - alpha * w) / y;
        d[1] = 1.0 / alpha + (ly - ls) * (1.0 - w);
        d[2] = alpha * (w - 1.0) / sigma;
        Ok(lp)
    }
}

/// Partials of `w = (y/sigma)^alpha` in (y, alpha, sigma).
fn weibull_w(x: &[f64]) -> (f64, [f64; 3]) {
    let (y, alpha, sigma) = (x[0], x[1], x[2]);
    let r = (y / sigma).ln();
    let w = (alpha * r).exp();
    (w, [alpha * w / y, w * r, -alpha * w / sigma])
}

fn chain(g: f64, dw: [f64; 3], d: &mut [f64]) {
    for (dj, wj) in d.iter_mut().zip(dw) {
        *dj = g * wj;
    }
}

impl Cdf for Weibull {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        if x[0] <= 0.0 {
            return Ok(f64::NEG_INFINITY);
        }
        let (w, dw) = weibull_w(x);
        chain(1.0 / w.exp_m1(), dw, d);
        Ok(log1m_exp(-w))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        if x[0] <= 0.0 {
            return Ok(0.0);
        }
        let (w, dw) = weibull_w(x);
        chain(-1.0, dw, d);
        Ok(-w)
    }
}

impl Sample for Weibull {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        let e: f64 = Exp1.sample(rng);
        Ok(Outcome::Real(x[2] * e.powf(1.0 / x[1])))
    }
}

fn check_frechet(x: &[f64]) -> Result<(), Violation> {
    check(x)?;
    require(x[0] > 0.0, 0, x[0], "positive")
}

impl Family for Frechet {
    const NAME: &'static str = "frechet";
    const REALS: &'static [&'static str] = &["y", "alpha", "sigma"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_frechet(x)?;
        let (y, alpha, sigma) = (x[0], x[1], x[2]);
        let (ly, ls) = (y.ln(), sigma.ln());
        let w = (alpha * (ls - ly)).exp();
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp += alpha.ln();
        }
        if keep.any(&[0, 1]) {
            lp -= (1.0 + alpha) * ly;
        }
        if keep.any(&[1, 2]) {
            lp += alpha * ls;
        }
        if keep.any(&[0, 1, 2]) {
            lp -= w;
        }
        d[0] = (alpha * w - 1.0 - alpha) / y;
        d[1] = 1.0 / alpha + (ls - ly) * (1.0 - w);
        d[2] = alpha * (1.0 - w) / sigma;
        Ok(lp)
    }
}

/// Partials of `w = (sigma/y)^alpha` in (y, alpha, sigma).
fn frechet_w(x: &[f64]) -> (f64, [f64; 3]) {
    let (y, alpha, sigma) = (x[0], x[1], x[2]);
    let r = (sigma / y).ln();
    let w = (alpha * r).exp();
    (w, [-alpha * w / y, w * r, alpha * w / sigma])
}

impl Cdf for Frechet {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_frechet(x)?;
        let (w, dw) = frechet_w(x);
        chain(-1.0, dw, d);
        Ok(-w)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check_frechet(x)?;
        let (w, dw) = frechet_w(x);
        chain(1.0 / w.exp_m1(), dw, d);
        Ok(log1m_exp(-w))
    }
}

impl Sample for Frechet {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        let e: f64 = Exp1.sample(rng);
        Ok(Outcome::Real(x[2] * e.powf(-1.0 / x[1])))
    }
}
