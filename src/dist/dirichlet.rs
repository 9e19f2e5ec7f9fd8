//! The Dirichlet family `dirichlet(theta | alpha)`, vectorised over arrays of simplexes.
//!
//! Validity follows Stan: theta must be a simplex (nonnegative, summing to 1 within
//! 1e-8) and alpha positive finite; violations are errors.

use super::error::{DistError, check_partial};
use super::gamma::draw_std_gamma;
use super::special::{digamma, ln_gamma};
use rand::Rng;

/// Tolerance on |Σθ − 1| (Stan's `CONSTRAINT_TOLERANCE`, 1e-8).
pub const SIMPLEX_TOLERANCE: f64 = 1e-8;

/// Checks that every length-`k` block of `theta` is a simplex.
pub(crate) fn check_simplexes(
    function: &str,
    arg: &'static str,
    theta: &[f64],
    k: usize,
) -> Result<(), DistError> {
    for (b, block) in theta.chunks(k).enumerate() {
        let sum: f64 = block.iter().sum();
        let bad = block.iter().position(|v| v.is_nan() || *v < 0.0);
        if bad.is_some() || (sum - 1.0).abs() > SIMPLEX_TOLERANCE {
            return Err(DistError::Domain {
                function: function.to_string(),
                arg,
                index: format!("[{}]", b * k + bad.unwrap_or(0) + 1),
                value: bad.map_or(sum, |i| block[i]),
                requirement: "a simplex (nonnegative entries summing to 1)",
            });
        }
    }
    Ok(())
}

fn check(function: &str, theta: &[f64], alpha: &[f64], k: usize) -> Result<usize, DistError> {
    let shape = |arg, message: String| DistError::Shape {
        function: function.to_string(),
        arg,
        message,
    };
    if k == 0 || !theta.len().is_multiple_of(k) || theta.is_empty() {
        return Err(shape(
            "theta",
            format!(
                "has length {}, not a positive multiple of K = {k}",
                theta.len()
            ),
        ));
    }
    if alpha.len() != k && alpha.len() != theta.len() {
        return Err(shape(
            "alpha",
            format!(
                "has length {}, expected {k} or {}",
                alpha.len(),
                theta.len()
            ),
        ));
    }
    if let Some(i) = alpha.iter().position(|a| !(*a > 0.0 && a.is_finite())) {
        return Err(DistError::Domain {
            function: function.to_string(),
            arg: "alpha",
            index: format!("[{}]", i + 1),
            value: alpha[i],
            requirement: "positive finite",
        });
    }
    check_simplexes(function, "theta", theta, k)?;
    Ok(theta.len() / k)
}

/// `dirichlet_lpdf(theta | alpha)`: `theta` holds one or more simplexes of length `k` one
/// after another, `alpha` one vector of length `k` (shared) or one per simplex.
pub fn dirichlet_lpdf(
    theta: &[f64],
    alpha: &[f64],
    k: usize,
    propto: bool,
    mut dtheta: Option<&mut [f64]>,
    mut dalpha: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    let n = check("dirichlet_lpdf", theta, alpha, k)?;
    check_partial("dirichlet_lpdf", "theta", dtheta.as_deref(), theta.len())?;
    check_partial("dirichlet_lpdf", "alpha", dalpha.as_deref(), alpha.len())?;
    let mut lp = 0.0;
    for obs in 0..n {
        let a = if alpha.len() == k {
            alpha
        } else {
            &alpha[obs * k..(obs + 1) * k]
        };
        let t = &theta[obs * k..(obs + 1) * k];
        let sum_a: f64 = a.iter().sum();
        if !propto || dalpha.is_some() {
            lp += ln_gamma(sum_a) - a.iter().map(|v| ln_gamma(*v)).sum::<f64>();
        }
        if !propto || dalpha.is_some() || dtheta.is_some() {
            lp += a
                .iter()
                .zip(t)
                .filter(|(ai, _)| **ai != 1.0)
                .map(|(ai, ti)| (ai - 1.0) * ti.ln())
                .sum::<f64>();
        }
        if let Some(b) = dtheta.as_deref_mut() {
            for i in 0..k {
                b[obs * k + i] += (a[i] - 1.0) / t[i];
            }
        }
        if let Some(b) = dalpha.as_deref_mut() {
            let off = if alpha.len() == k { 0 } else { obs * k };
            let dsum = digamma(sum_a);
            for i in 0..k {
                b[off + i] += dsum - digamma(a[i]) + t[i].ln();
            }
        }
    }
    Ok(lp)
}

/// `dirichlet_rng(alpha)`: a simplex drawn by normalising independent gamma draws.
pub fn dirichlet_rng<R: Rng + ?Sized>(alpha: &[f64], rng: &mut R) -> Result<Vec<f64>, DistError> {
    let ones = vec![1.0 / alpha.len().max(1) as f64; alpha.len()];
    check("dirichlet_rng", &ones, alpha, alpha.len())?;
    let mut g = Vec::with_capacity(alpha.len());
    for a in alpha {
        g.push(draw_std_gamma(*a, 0, rng).map_err(|_| DistError::Domain {
            function: "dirichlet_rng".into(),
            arg: "alpha",
            index: String::new(),
            value: *a,
            requirement: "positive finite",
        })?);
    }
    let s: f64 = g.iter().sum();
    Ok(g.into_iter().map(|v| v / s).collect())
}
