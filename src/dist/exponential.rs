//! The exponential family `exponential(y | beta)` (beta is the rate).
//!
//! Outcome validity follows Stan: y < 0 is an error.

use super::args::Keep;
use super::error::{Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::log1m_exp;
use rand::Rng;
use rand_distr::{Distribution, Exp1};

/// `exponential(y | beta)`.
pub struct Exponential;

fn check(x: &[f64]) -> Result<(), Violation> {
    require(x[0] >= 0.0, 0, x[0], req::NONNEGATIVE)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )
}

impl Family for Exponential {
    const NAME: &'static str = "exponential";
    const REALS: &'static [&'static str] = &["y", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, beta) = (x[0], x[1]);
        let mut lp = 0.0;
        if keep.any(&[1]) {
            lp += beta.ln();
        }
        if keep.any(&[0, 1]) {
            lp -= beta * y;
        }
        d[0] = -beta;
        d[1] = 1.0 / beta - y;
        Ok(lp)
    }
}

impl Cdf for Exponential {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let (y, beta) = (x[0], x[1]);
        let r = 1.0 / (beta * y).exp_m1();
        d[0] = beta * r;
        d[1] = y * r;
        Ok(log1m_exp(-beta * y))
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        d[0] = -x[1];
        d[1] = -x[0];
        Ok(-x[0] * x[1])
    }
}

impl Sample for Exponential {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.0, x[1]])?;
        let e: f64 = Exp1.sample(rng);
        Ok(Outcome::Real(e / x[1]))
    }
}
