//! Categorical-outcome families: `categorical(y | theta)`, `categorical_logit(y | beta)`,
//! `ordered_logistic(k | eta, c)` and `multinomial(y | theta)`, with their RNGs.
//!
//! Outcome validity follows Stan: a category outside 1..=K or a negative count is an
//! error; theta must be a simplex, c strictly increasing and finite.

use super::args::Arg;
use super::dirichlet::check_simplexes;
use super::error::{DistError, check_partial};
use super::special::{inv_logit, ln_gamma, log_inv_logit, log_sum_exp, log1m_exp, log1m_inv_logit};
use rand::{Rng, RngExt};

fn domain(
    function: &str,
    arg: &'static str,
    i: usize,
    value: f64,
    requirement: &'static str,
) -> DistError {
    DistError::Domain {
        function: function.to_string(),
        arg,
        index: format!("[{}]", i + 1),
        value,
        requirement,
    }
}

pub(crate) fn check_categories(function: &str, y: &[i64], k: usize) -> Result<(), DistError> {
    match y.iter().position(|v| *v < 1 || *v as usize > k) {
        Some(i) => Err(domain(function, "y", i, y[i] as f64, "a category in 1..=K")),
        None => Ok(()),
    }
}

/// `categorical_lpmf(y | theta)` for outcomes `y` (1-based) and a simplex `theta`.
pub fn categorical_lpmf(
    y: &[i64],
    theta: &[f64],
    propto: bool,
    dtheta: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    const F: &str = "categorical_lpmf";
    if theta.is_empty() {
        return Err(DistError::Shape {
            function: F.into(),
            arg: "theta",
            message: "must not be empty".into(),
        });
    }
    check_simplexes(F, "theta", theta, theta.len())?;
    check_categories(F, y, theta.len())?;
    check_partial(F, "theta", dtheta.as_deref(), theta.len())?;
    if propto && dtheta.is_none() {
        return Ok(0.0);
    }
    let lp = y.iter().map(|&c| theta[c as usize - 1].ln()).sum();
    if let Some(b) = dtheta {
        for &c in y {
            b[c as usize - 1] += 1.0 / theta[c as usize - 1];
        }
    }
    Ok(lp)
}

/// `categorical_logit_lpmf(y | beta)`: categorical with theta = softmax(beta).
pub fn categorical_logit_lpmf(
    y: &[i64],
    beta: &[f64],
    propto: bool,
    dbeta: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    const F: &str = "categorical_logit_lpmf";
    if beta.is_empty() {
        return Err(DistError::Shape {
            function: F.into(),
            arg: "beta",
            message: "must not be empty".into(),
        });
    }
    if let Some(i) = beta.iter().position(|v| !v.is_finite()) {
        return Err(domain(F, "beta", i, beta[i], "finite"));
    }
    check_categories(F, y, beta.len())?;
    check_partial(F, "beta", dbeta.as_deref(), beta.len())?;
    if propto && dbeta.is_none() {
        return Ok(0.0);
    }
    let lse = log_sum_exp(beta);
    let lp = y.iter().map(|&c| beta[c as usize - 1] - lse).sum();
    if let Some(b) = dbeta {
        let n = y.len() as f64;
        for (o, v) in b.iter_mut().zip(beta) {
            *o -= n * (v - lse).exp();
        }
        for &c in y {
            b[c as usize - 1] += 1.0;
        }
    }
    Ok(lp)
}

/// Draws a category (1-based) from probabilities `p` by inversion.
pub(crate) fn draw_category<R: Rng + ?Sized>(p: &[f64], rng: &mut R) -> i64 {
    let u: f64 = rng.random();
    let mut acc = 0.0;
    for (i, v) in p.iter().enumerate() {
        acc += v;
        if u < acc {
            return i as i64 + 1;
        }
    }
    p.len() as i64
}

/// `categorical_rng(theta)`.
pub fn categorical_rng<R: Rng + ?Sized>(theta: &[f64], rng: &mut R) -> Result<i64, DistError> {
    check_simplexes("categorical_rng", "theta", theta, theta.len().max(1))?;
    Ok(draw_category(theta, rng))
}

/// `categorical_logit_rng(beta)`.
pub fn categorical_logit_rng<R: Rng + ?Sized>(beta: &[f64], rng: &mut R) -> Result<i64, DistError> {
    if let Some(i) = beta.iter().position(|v| !v.is_finite()) {
        return Err(domain(
            "categorical_logit_rng",
            "beta",
            i,
            beta[i],
            "finite",
        ));
    }
    let lse = log_sum_exp(beta);
    let p: Vec<f64> = beta.iter().map(|v| (v - lse).exp()).collect();
    Ok(draw_category(&p, rng))
}

pub(crate) fn check_cutpoints(function: &str, c: &[f64]) -> Result<(), DistError> {
    if let Some(i) = c.iter().position(|v| !v.is_finite()) {
        return Err(domain(function, "c", i, c[i], "finite"));
    }
    match (1..c.len()).find(|&i| c[i] <= c[i - 1]) {
        Some(i) => Err(domain(
            function,
            "c",
            i,
            c[i],
            "greater than the previous cutpoint",
        )),
        None => Ok(()),
    }
}

/// log P(y = k | eta, c) and its partials in eta and in the two cutpoints that bound k.
pub(crate) fn ordered_logistic_one(k: usize, eta: f64, c: &[f64]) -> (f64, f64, [(usize, f64); 2]) {
    let big_k = c.len() + 1;
    if big_k == 1 {
        return (0.0, 0.0, [(0, 0.0), (0, 0.0)]);
    }
    if k == 1 {
        let s = inv_logit(eta - c[0]);
        return (log1m_inv_logit(eta - c[0]), -s, [(0, s), (0, 0.0)]);
    }
    if k == big_k {
        let s = inv_logit(eta - c[k - 2]);
        return (
            log_inv_logit(eta - c[k - 2]),
            1.0 - s,
            [(k - 2, -(1.0 - s)), (0, 0.0)],
        );
    }
    let (a, b) = (eta - c[k - 2], eta - c[k - 1]);
    let lp = log_inv_logit(a) + log1m_exp(log_inv_logit(b) - log_inv_logit(a));
    let p = lp.exp();
    let (sa, sb) = (inv_logit(a), inv_logit(b));
    let (ga, gb) = (sa * (1.0 - sa), sb * (1.0 - sb));
    (lp, (ga - gb) / p, [(k - 2, -ga / p), (k - 1, gb / p)])
}

/// `ordered_logistic_lpmf(k | eta, c)`: `k` holds N outcomes in 1..=K, `eta` is a scalar
/// or N values, `c` the K−1 cutpoints shared by all outcomes.
pub fn ordered_logistic_lpmf(
    k: &[i64],
    eta: Arg,
    c: &[f64],
    propto: bool,
    deta: Option<&mut [f64]>,
    dc: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    use super::ordered::{Link, ordered_lpmf};
    ordered_lpmf(Link::Logit, k, eta, c, c.len(), propto, deta, dc)
}

/// `ordered_logistic_rng(eta, c)`.
pub fn ordered_logistic_rng<R: Rng + ?Sized>(
    eta: f64,
    c: &[f64],
    rng: &mut R,
) -> Result<i64, DistError> {
    check_cutpoints("ordered_logistic_rng", c)?;
    let p: Vec<f64> = (1..=c.len() + 1)
        .map(|k| ordered_logistic_one(k, eta, c).0.exp())
        .collect();
    Ok(draw_category(&p, rng))
}

/// `multinomial_lpmf(y | theta)` for counts `y` and a simplex `theta` of the same length.
pub fn multinomial_lpmf(
    y: &[i64],
    theta: &[f64],
    propto: bool,
    dtheta: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    const F: &str = "multinomial_lpmf";
    if y.len() != theta.len() || theta.is_empty() {
        return Err(DistError::SizeMismatch {
            function: F.into(),
            arg: "theta",
            len: theta.len(),
            other: "y",
            other_len: y.len(),
        });
    }
    check_simplexes(F, "theta", theta, theta.len())?;
    if let Some(i) = y.iter().position(|v| *v < 0) {
        return Err(domain(F, "y", i, y[i] as f64, "nonnegative"));
    }
    check_partial(F, "theta", dtheta.as_deref(), theta.len())?;
    let mut lp = 0.0;
    if !propto {
        let n: i64 = y.iter().sum();
        lp += ln_gamma(n as f64 + 1.0) - y.iter().map(|v| ln_gamma(*v as f64 + 1.0)).sum::<f64>();
    }
    if !propto || dtheta.is_some() {
        lp += y
            .iter()
            .zip(theta)
            .filter(|(n, _)| **n > 0)
            .map(|(n, t)| *n as f64 * t.ln())
            .sum::<f64>();
    }
    if let Some(b) = dtheta {
        for i in 0..y.len() {
            if y[i] > 0 {
                b[i] += y[i] as f64 / theta[i];
            }
        }
    }
    Ok(lp)
}

/// `multinomial_rng(theta, N)`: counts from N independent categorical draws.
pub fn multinomial_rng<R: Rng + ?Sized>(
    theta: &[f64],
    n: i64,
    rng: &mut R,
) -> Result<Vec<i64>, DistError> {
    check_simplexes("multinomial_rng", "theta", theta, theta.len().max(1))?;
    if n < 0 {
        return Err(DistError::Domain {
            function: "multinomial_rng".into(),
            arg: "N",
            index: String::new(),
            value: n as f64,
            requirement: "nonnegative",
        });
    }
    let mut counts = vec![0i64; theta.len()];
    for _ in 0..n {
        counts[draw_category(theta, rng) as usize - 1] += 1;
    }
    Ok(counts)
}
