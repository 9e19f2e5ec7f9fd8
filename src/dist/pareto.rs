//! The Pareto family `pareto(y | y_min, alpha)`.
//!
//! Outcome validity follows Stan: y < y_min has log density -inf.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::log1m_exp;
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// `pareto(y | y_min, alpha)`.
pub struct Pareto;

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

impl Family for Pareto {
    const NAME: &'static str = "pareto";
    const REALS: &'static [&'static str] = &["y", "y_min", "alpha"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, ymin, alpha) = (x[0], x[1], x[2]);
        if y < ymin {
            return Ok(f64::NEG_INFINITY);
        }
        let (ly, lm) = (y.ln(), ymin.ln());
        let mut lp = 0.0;
        if keep.any(&[2]) {
            lp += alpha.ln();
        }
        if keep.any(&[1, 2]) {
            lp += alpha * lm;
        }
        if keep.any(&[0, 2]) {
            lp -= (alpha + 1.0) * ly;
        }
        d[0] = -(alpha + 1.0) / y;
        d[1] = alpha / ymin;
        d[2] = 1.0 / alpha + lm - ly;
        Ok(lp)
    }
}

impl Cdf for Pareto {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, ymin, alpha) = (x[0], x[1], x[2]);
        if y <= ymin {
            return Ok(f64::NEG_INFINITY);
        }
        // log(1 - (ymin/y)^alpha) = log1m_exp(t), t = alpha log(ymin/y).
        let t = alpha * (ymin / y).ln();
        let g = -1.0 / (-t).exp_m1();
        d[0] = g * (-alpha / y);
        d[1] = g * (alpha / ymin);
        d[2] = g * (ymin / y).ln();
        Ok(log1m_exp(t))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, ymin, alpha) = (x[0], x[1], x[2]);
        if y <= ymin {
            return Ok(0.0);
        }
        d[0] = -alpha / y;
        d[1] = alpha / ymin;
        d[2] = (ymin / y).ln();
        Ok(alpha * (ymin / y).ln())
    }
}

impl Sample for Pareto {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1], x[2]])?;
        let e: f64 = Exp1.sample(rng);
        Ok(Outcome::Real(x[1] * (e / x[2]).exp()))
    }
}
