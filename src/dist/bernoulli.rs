//! The Bernoulli families `bernoulli(n | theta)` and `bernoulli_logit(n | alpha)`.
//!
//! Outcome validity follows Stan: n outside {0, 1} is an error.

use super::args::Keep;
use super::error::{Violation, req, require, require_int};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{inv_logit, log_inv_logit, log1m_inv_logit};
use rand::{Rng, RngExt};

/// `bernoulli(n | theta)`.
pub struct Bernoulli;
/// `bernoulli_logit(n | alpha)`: bernoulli with theta = inv_logit(alpha).
pub struct BernoulliLogit;

fn check_n(n: &[i64]) -> Result<(), Violation> {
    require_int(n[0] == 0 || n[0] == 1, 0, n[0], "in the interval [0, 1]")
}

impl Family for Bernoulli {
    const NAME: &'static str = "bernoulli";
    const REALS: &'static [&'static str] = &["theta"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_n(n)?;
        let theta = x[0];
        require((0.0..=1.0).contains(&theta), 0, theta, req::PROBABILITY)?;
        let (lp, g) = if n[0] == 1 {
            (theta.ln(), 1.0 / theta)
        } else {
            ((-theta).ln_1p(), -1.0 / (1.0 - theta))
        };
        d[0] = g;
        Ok(if keep.any(&[0]) { lp } else { 0.0 })
    }
}

impl Sample for Bernoulli {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
        let u: f64 = rng.random();
        Ok(Outcome::Int(i64::from(u < x[0])))
    }
}

/// log P(N <= n) (or log P(N > n)) for N ~ bernoulli(theta), with d/dtheta.
fn bernoulli_log_cdf(n: i64, x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
    let theta = x[0];
    Ok(match (n, upper) {
        (..0, false) | (1.., true) => f64::NEG_INFINITY,
        (..0, true) | (1.., false) => 0.0,
        (0, false) => {
            d[0] = -1.0 / (1.0 - theta);
            (-theta).ln_1p()
        }
        (0, true) => {
            d[0] = 1.0 / theta;
            theta.ln()
        }
    })
}

impl Cdf for Bernoulli {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        bernoulli_log_cdf(n[0], x, d, false)
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        bernoulli_log_cdf(n[0], x, d, true)
    }
}

impl Family for BernoulliLogit {
    const NAME: &'static str = "bernoulli_logit";
    const REALS: &'static [&'static str] = &["alpha"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_n(n)?;
        let alpha = x[0];
        require(!alpha.is_nan(), 0, alpha, req::NOT_NAN)?;
        let lp = if n[0] == 1 {
            log_inv_logit(alpha)
        } else {
            log1m_inv_logit(alpha)
        };
        d[0] = n[0] as f64 - inv_logit(alpha);
        Ok(if keep.any(&[0]) { lp } else { 0.0 })
    }
}

impl Sample for BernoulliLogit {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        require(!x[0].is_nan(), 0, x[0], req::NOT_NAN)?;
        let u: f64 = rng.random();
        Ok(Outcome::Int(i64::from(u < inv_logit(x[0]))))
    }
}
