//! The negative binomial families: `neg_binomial(n | alpha, beta)`,
//! `neg_binomial_2(n | mu, phi)` and `neg_binomial_2_log(n | eta, phi)`.
//!
//! Outcome validity follows Stan: n < 0 is an error. The CDF partial in phi uses central
//! differences ([`shape_derivative`]); the partial in mu is analytic.

use super::args::Keep;
use super::error::{Violation, req, require, require_int};
use super::gamma::draw_std_gamma;
use super::kernel::{Cdf, Family, Outcome, Sample};
use super::poisson::draw_poisson;
use super::special::{beta_reg, digamma, ln_beta, ln_gamma, shape_derivative};
use rand::Rng;

/// `neg_binomial(n | alpha, beta)` (shape, inverse scale).
pub struct NegBinomial;
/// `neg_binomial_2(n | mu, phi)` (mean, inverse overdispersion).
pub struct NegBinomial2;
/// `neg_binomial_2_log(n | eta, phi)`: neg_binomial_2 with mu = exp(eta).
pub struct NegBinomial2Log;

fn check(n: &[i64], x: &[f64]) -> Result<(), Violation> {
    require_int(n[0] >= 0, 0, n[0], req::NONNEGATIVE)?;
    require(
        x[1] > 0.0 && x[1].is_finite(),
        1,
        x[1],
        req::POSITIVE_FINITE,
    )
}

impl Family for NegBinomial {
    const NAME: &'static str = "neg_binomial";
    const REALS: &'static [&'static str] = &["alpha", "beta"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(n, x)?;
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        let (k, alpha, beta) = (n[0] as f64, x[0], x[1]);
        let log_ratio = beta.ln() - beta.ln_1p();
        let mut lp = 0.0;
        if keep.constants() {
            lp -= ln_gamma(k + 1.0);
        }
        if keep.any(&[0]) {
            lp += ln_gamma(k + alpha) - ln_gamma(alpha);
        }
        if keep.any(&[0, 1]) {
            lp += alpha * log_ratio;
        }
        if keep.any(&[1]) {
            lp -= k * beta.ln_1p();
        }
        if keep.varying(0) {
            d[0] = digamma(k + alpha) - digamma(alpha) + log_ratio;
        }
        d[1] = alpha / (beta * (1.0 + beta)) - k / (1.0 + beta);
        Ok(lp)
    }
}

impl Sample for NegBinomial {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0], x)?;
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        let lambda = draw_std_gamma(x[0], 0, rng)? / x[1];
        Ok(Outcome::Int(draw_poisson(lambda, 0, rng)?))
    }
}

/// Log mass of neg_binomial_2 at count k with mean `mu` given as `log_mu`, and partials in
/// (log mu, phi). Terms are kept per (any(mu), any(phi), any(mu, phi)).
fn nb2_core(k: f64, log_mu: f64, phi: f64, keep: &Keep, d: &mut [f64; 2]) -> f64 {
    let mu = log_mu.exp();
    let log_sum = if log_mu > phi.ln() {
        log_mu + (phi / mu).ln_1p()
    } else {
        phi.ln() + (mu / phi).ln_1p()
    };
    let mut lp = 0.0;
    if keep.constants() {
        lp -= ln_gamma(k + 1.0);
    }
    if keep.any(&[1]) {
        lp += ln_gamma(k + phi) - ln_gamma(phi) + phi * phi.ln();
    }
    if keep.any(&[0]) {
        lp += k * log_mu;
    }
    if keep.any(&[0, 1]) {
        lp -= (k + phi) * log_sum;
    }
    let frac = mu / (mu + phi);
    d[0] = k - (k + phi) * frac;
    // d/dphi: digamma terms + log(phi / (mu + phi)) + 1 - (k + phi) / (mu + phi).
    if keep.varying(1) {
        d[1] = digamma(k + phi) - digamma(phi) + (phi.ln() - log_sum) + (mu - k) / (mu + phi);
    }
    lp
}

impl Family for NegBinomial2 {
    const NAME: &'static str = "neg_binomial_2";
    const REALS: &'static [&'static str] = &["mu", "phi"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(n, x)?;
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        let mut g = [0.0; 2];
        let lp = nb2_core(n[0] as f64, x[0].ln(), x[1], keep, &mut g);
        d[0] = g[0] / x[0];
        d[1] = g[1];
        Ok(lp)
    }
}

/// log P(N <= n) (or log P(N > n)) for neg_binomial_2 with partials in (mu, phi).
fn nb2_log_cdf(n: i64, mu: f64, phi: f64, upper: bool, d: &mut [f64]) -> f64 {
    if n < 0 {
        return if upper { 0.0 } else { f64::NEG_INFINITY };
    }
    let b = n as f64 + 1.0;
    // P(N <= n) = I_p(phi, n + 1) with p = phi / (mu + phi).
    let f = |m: f64, ph: f64| {
        let p = ph / (m + ph);
        if upper {
            beta_reg(b, ph, 1.0 - p).ln()
        } else {
            beta_reg(ph, b, p).ln()
        }
    };
    let lc = f(mu, phi);
    let p = phi / (mu + phi);
    let log_dens = (phi - 1.0) * p.ln() + (b - 1.0) * (-p).ln_1p() - ln_beta(phi, b);
    let sign = if upper { -1.0 } else { 1.0 };
    let dp_dmu = -phi / ((mu + phi) * (mu + phi));
    d[0] = sign * (log_dens - lc).exp() * dp_dmu;
    d[1] = shape_derivative(|ph| f(mu, ph), phi);
    lc
}

impl Cdf for NegBinomial2 {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        require(
            x[1] > 0.0 && x[1].is_finite(),
            1,
            x[1],
            req::POSITIVE_FINITE,
        )?;
        Ok(nb2_log_cdf(n[0], x[0], x[1], false, d))
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        require(
            x[1] > 0.0 && x[1].is_finite(),
            1,
            x[1],
            req::POSITIVE_FINITE,
        )?;
        Ok(nb2_log_cdf(n[0], x[0], x[1], true, d))
    }
}

/// neg_binomial(alpha, beta) is neg_binomial_2(mu = alpha / beta, phi = alpha): its CDFs
/// are those, with the chain rule.
fn nb_log_cdf(n: i64, x: &[f64], d: &mut [f64], upper: bool) -> Result<f64, Violation> {
    for (k, &v) in x.iter().enumerate().take(2) {
        require(v > 0.0 && v.is_finite(), k, v, req::POSITIVE_FINITE)?;
    }
    let (alpha, beta) = (x[0], x[1]);
    let mut g = [0.0; 2];
    let v = nb2_log_cdf(n, alpha / beta, alpha, upper, &mut g);
    d[0] = g[0] / beta + g[1];
    d[1] = -g[0] * alpha / (beta * beta);
    Ok(v)
}

impl Cdf for NegBinomial {
    fn lcdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        nb_log_cdf(n[0], x, d, false)
    }
    fn lccdf(n: &[i64], x: &[f64], d: &mut [f64]) -> Result<f64, Violation> {
        nb_log_cdf(n[0], x, d, true)
    }
}

/// A neg_binomial_2 draw as a gamma-Poisson mixture.
fn draw_nb2<R: Rng + ?Sized>(mu: f64, phi: f64, rng: &mut R) -> Result<Outcome, Violation> {
    let lambda = draw_std_gamma(phi, 1, rng)? * mu / phi;
    Ok(Outcome::Int(draw_poisson(lambda, 0, rng)?))
}

impl Sample for NegBinomial2 {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0], x)?;
        require(
            x[0] > 0.0 && x[0].is_finite(),
            0,
            x[0],
            req::POSITIVE_FINITE,
        )?;
        draw_nb2(x[0], x[1], rng)
    }
}

impl Family for NegBinomial2Log {
    const NAME: &'static str = "neg_binomial_2_log";
    const REALS: &'static [&'static str] = &["eta", "phi"];
    const INTS: &'static [&'static str] = &["n"];
    const DISCRETE: bool = true;

    fn log_density(n: &[i64], x: &[f64], keep: &Keep, d: &mut [f64]) -> Result<f64, Violation> {
        check(n, x)?;
        require(x[0].is_finite(), 0, x[0], req::FINITE)?;
        let mut g = [0.0; 2];
        let lp = nb2_core(n[0] as f64, x[0], x[1], keep, &mut g);
        d.copy_from_slice(&g);
        Ok(lp)
    }
}

impl Sample for NegBinomial2Log {
    fn sample<R: Rng + ?Sized>(_: &[i64], x: &[f64], rng: &mut R) -> Result<Outcome, Violation> {
        check(&[0], x)?;
        require(x[0].is_finite(), 0, x[0], req::FINITE)?;
        draw_nb2(x[0].exp(), x[1], rng)
    }
}
