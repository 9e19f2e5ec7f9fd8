//! The beta and beta_proportion families.
//!
//! Outcome validity follows Stan: y outside [0, 1] is an error. CDF partials in the shape
//! arguments use central differences ([`shape_derivative`]); the partial in y is analytic.

use super::args::Keep;
use super::error::{Slot, Violation, req, require};
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::special::{beta_reg, digamma, ln_beta, ln_gamma, shape_derivative};
use rand::Rng;
use rand_distr::{Beta as RandBeta, Distribution};

/// `beta(theta | alpha, beta)`.
pub struct Beta;
/// `beta_proportion(theta | mu, kappa)`: beta with alpha = mu kappa, beta = (1 - mu) kappa.
pub struct BetaProportion;

fn check(x: &[f64]) -> Result<(), Violation> {
    require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
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

/// Log beta density and its partials in (y, a, b), keeping terms by `keep_norm` (the
/// normaliser) and `keep_y_a` / `keep_y_b` (the two kernel terms).
fn beta_core(y: f64, a: f64, b: f64, keep: [bool; 3], d: &mut [f64; 3]) -> f64 {
    let (ly, l1my) = (y.ln(), (-y).ln_1p());
    let mut lp = 0.0;
    if keep[0] {
        lp -= ln_beta(a, b);
    }
    if keep[1] && a != 1.0 {
        lp += (a - 1.0) * ly;
    }
    if keep[2] && b != 1.0 {
        lp += (b - 1.0) * l1my;
    }
    let dab = digamma(a + b);
    *d = [
        (a - 1.0) / y - (b - 1.0) / (1.0 - y),
        dab - digamma(a) + ly,
        dab - digamma(b) + l1my,
    ];
    lp
}

impl Family for Beta {
    const NAME: &'static str = "beta";
    const REALS: &'static [&'static str] = &["theta", "alpha", "beta"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        let mut g = [0.0; 3];
        let lp = beta_core(
            x[0],
            x[1],
            x[2],
            [keep.any(&[1, 2]), keep.any(&[0, 1]), keep.any(&[0, 2])],
            &mut g,
        );
        d.copy_from_slice(&g);
        Ok(lp)
    }
}

/// log I_y(a, b) (lower) or log(1 - I_y(a, b)) (upper) with partials.
fn beta_log_cdf(y: f64, a: f64, b: f64, upper: bool, d: &mut [f64; 3]) -> f64 {
    let f = |yy: f64, aa: f64, bb: f64| {
        if upper {
            beta_reg(bb, aa, 1.0 - yy).ln()
        } else {
            beta_reg(aa, bb, yy).ln()
        }
    };
    let lc = f(y, a, b);
    let log_pdf = (a - 1.0) * y.ln() + (b - 1.0) * (-y).ln_1p() - ln_beta(a, b);
    let sign = if upper { -1.0 } else { 1.0 };
    d[0] = sign * (log_pdf - lc).exp();
    d[1] = shape_derivative(|aa| f(y, aa, b), a);
    d[2] = shape_derivative(|bb| f(y, a, bb), b);
    lc
}

fn beta_edges(y: f64, upper: bool) -> Option<f64> {
    match (y, upper) {
        (0.0, false) | (1.0, true) => Some(f64::NEG_INFINITY),
        (0.0, true) | (1.0, false) => Some(0.0),
        _ => None,
    }
}

impl Cdf for Beta {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        if let Some(v) = beta_edges(x[0], false) {
            return Ok(v);
        }
        let mut g = [0.0; 3];
        let v = beta_log_cdf(x[0], x[1], x[2], false, &mut g);
        d.copy_from_slice(&g);
        Ok(v)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        check(x)?;
        if let Some(v) = beta_edges(x[0], true) {
            return Ok(v);
        }
        let mut g = [0.0; 3];
        let v = beta_log_cdf(x[0], x[1], x[2], true, &mut g);
        d.copy_from_slice(&g);
        Ok(v)
    }
}

/// A beta(a, b) draw; errors name real argument 1.
pub(crate) fn draw_beta<R: Rng + ?Sized>(a: f64, b: f64, rng: &mut R) -> Result<f64, Violation> {
    let dist = RandBeta::new(a, b).map_err(|_| Violation {
        slot: Slot::Real(1),
        value: a,
        requirement: req::POSITIVE_FINITE,
    })?;
    Ok(dist.sample(rng))
}

impl Sample for Beta {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0.5, x[1], x[2]])?;
        Ok(Outcome::Real(draw_beta(x[1], x[2], rng)?))
    }
}

fn check_proportion(x: &[f64]) -> Result<(), Violation> {
    require((0.0..=1.0).contains(&x[0]), 0, x[0], req::PROBABILITY)?;
    require(x[1] > 0.0 && x[1] < 1.0, 1, x[1], "in the interval (0, 1)")?;
    require(
        x[2] > 0.0 && x[2].is_finite(),
        2,
        x[2],
        req::POSITIVE_FINITE,
    )
}

/// beta_proportion's CDFs: the beta CDFs at alpha = mu kappa, beta = (1 - mu) kappa.
fn beta_proportion_log_cdf(x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    check_proportion(x)?;
    if let Some(v) = beta_edges(x[0], upper) {
        return Ok(v);
    }
    let (mu, kappa) = (x[1], x[2]);
    let mut g = [0.0; 3];
    let v = beta_log_cdf(x[0], mu * kappa, (1.0 - mu) * kappa, upper, &mut g);
    d[0] = g[0];
    d[1] = kappa * (g[1] - g[2]);
    d[2] = mu * g[1] + (1.0 - mu) * g[2];
    Ok(v)
}

impl Cdf for BetaProportion {
    fn lcdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        beta_proportion_log_cdf(x, d, false)
    }
    fn lccdf(_: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        beta_proportion_log_cdf(x, d, true)
    }
}

impl Family for BetaProportion {
    const NAME: &'static str = "beta_proportion";
    const REALS: &'static [&'static str] = &["theta", "mu", "kappa"];

    fn log_density(_: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check_proportion(x)?;
        let (mu, kappa) = (x[1], x[2]);
        let (a, b) = (mu * kappa, (1.0 - mu) * kappa);
        let mut g = [0.0; 3];
        let mut lp = beta_core(
            x[0],
            a,
            b,
            [false, keep.any(&[0, 1, 2]), keep.any(&[0, 1, 2])],
            &mut g,
        );
        // -lbeta(a, b) = lgamma(kappa) - lgamma(a) - lgamma(b), split by dependence.
        if keep.any(&[2]) {
            lp += ln_gamma(kappa);
        }
        if keep.any(&[1, 2]) {
            lp -= ln_gamma(a) + ln_gamma(b);
        }
        d[0] = g[0];
        d[1] = kappa * (g[1] - g[2]);
        d[2] = mu * g[1] + (1.0 - mu) * g[2];
        Ok(lp)
    }
}

impl Sample for BetaProportion {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check_proportion(&[0.5, x[1], x[2]])?;
        Ok(Outcome::Real(draw_beta(
            x[1] * x[2],
            (1.0 - x[1]) * x[2],
            rng,
        )?))
    }
}
