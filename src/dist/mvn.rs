//! The multivariate normal families `multi_normal_cholesky(y | mu, L)` and
//! `multi_normal(y | mu, Sigma)`, vectorised over arrays of vectors.
//!
//! `y` is one or more vectors of length K stored one after another (an array of vectors);
//! `mu` is one vector (shared) or as many as `y`. Partials with respect to a covariance
//! matrix are symmetric: `d[i,j] = d[j,i]` = half the derivative for a symmetric change of
//! both entries, so their sum is the derivative along the symmetric direction.

use super::args::MatRef;
use super::error::{DistError, check_partial};
use super::special::LOG_SQRT_TWO_PI;
use nalgebra::{DMatrix, DVector};

/// Checks `y` and `mu` against dimension `k`; returns the number of observations.
pub(crate) fn check_vectors(
    function: &str,
    y: &[f64],
    mu: &[f64],
    k: usize,
) -> Result<usize, DistError> {
    let shape = |arg, message: String| DistError::Shape {
        function: function.to_string(),
        arg,
        message,
    };
    if k == 0 || !y.len().is_multiple_of(k) {
        return Err(shape(
            "y",
            format!(
                "has length {}, not a multiple of the dimension {k}",
                y.len()
            ),
        ));
    }
    let n = y.len() / k;
    if mu.len() != k && mu.len() != y.len() {
        return Err(shape(
            "mu",
            format!("has length {}, expected {k} or {}", mu.len(), y.len()),
        ));
    }
    if let Some(bad) = y.iter().chain(mu).find(|v| !v.is_finite()) {
        return Err(DistError::Domain {
            function: function.to_string(),
            arg: "y or mu",
            index: String::new(),
            value: *bad,
            requirement: "finite",
        });
    }
    Ok(n)
}

/// Checks that `l` is square `k x k` with a positive finite diagonal.
pub(crate) fn check_cholesky(
    function: &str,
    arg: &'static str,
    l: &MatRef,
) -> Result<(), DistError> {
    if l.rows != l.cols {
        return Err(DistError::Shape {
            function: function.to_string(),
            arg,
            message: format!("must be square, got {} x {}", l.rows, l.cols),
        });
    }
    for i in 0..l.rows {
        let v = l.at(i, i);
        if !(v > 0.0 && v.is_finite()) {
            return Err(DistError::Domain {
                function: function.to_string(),
                arg,
                index: format!("[{},{}]", i + 1, i + 1),
                value: v,
                requirement: "positive finite on the diagonal",
            });
        }
    }
    Ok(())
}

/// Solves L z = r in place (forward substitution, lower triangle of `l` only).
pub(crate) fn forward_solve(l: &MatRef, z: &mut [f64]) {
    for i in 0..z.len() {
        let mut s = z[i];
        for (j, zj) in z.iter().enumerate().take(i) {
            s -= l.at(i, j) * zj;
        }
        z[i] = s / l.at(i, i);
    }
}

/// Solves Lᵀ w = z in place (back substitution).
pub(crate) fn backward_solve(l: &MatRef, w: &mut [f64]) {
    for i in (0..w.len()).rev() {
        let mut s = w[i];
        for (j, wj) in w.iter().enumerate().skip(i + 1) {
            s -= l.at(j, i) * wj;
        }
        w[i] = s / l.at(i, i);
    }
}

/// The residual `y_obs − mu_obs` of observation `obs` (mu shared or one per observation).
pub(crate) fn residual(y: &[f64], mu: &[f64], k: usize, obs: usize) -> DVector<f64> {
    let m = if mu.len() == k {
        mu
    } else {
        &mu[obs * k..(obs + 1) * k]
    };
    DVector::from_iterator(k, (0..k).map(|i| y[obs * k + i] - m[i]))
}

/// Adds `g` (a per-observation gradient of length k) into a buffer shaped like `mu`.
fn add_into(buf: &mut [f64], obs: usize, k: usize, g: &[f64], sign: f64) {
    let off = if buf.len() == k { 0 } else { obs * k };
    for (b, v) in buf[off..off + k].iter_mut().zip(g) {
        *b += sign * v;
    }
}

/// `multi_normal_cholesky_lpdf(y | mu, L)` with partials added into `dy`, `dmu` (shaped like
/// the arguments) and `dl` (K x K column-major, lower triangle). `None` marks a constant.
pub fn multi_normal_cholesky_lpdf(
    y: &[f64],
    mu: &[f64],
    l: MatRef,
    propto: bool,
    dy: Option<&mut [f64]>,
    dmu: Option<&mut [f64]>,
    dl: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    let l_varying = dl.is_some();
    mvn_cholesky_core(
        "multi_normal_cholesky_lpdf",
        y,
        mu,
        l,
        propto,
        dy,
        dmu,
        dl,
        l_varying,
    )
}

/// The multivariate normal kernel given a Cholesky factor; `l_varying` says whether the
/// covariance is a parameter (keeps the log-determinant under `propto`) even when no dL
/// buffer is wanted.
#[allow(clippy::too_many_arguments)]
fn mvn_cholesky_core(
    function: &str,
    y: &[f64],
    mu: &[f64],
    l: MatRef,
    propto: bool,
    mut dy: Option<&mut [f64]>,
    mut dmu: Option<&mut [f64]>,
    mut dl: Option<&mut [f64]>,
    l_varying: bool,
) -> Result<f64, DistError> {
    check_cholesky(function, "L", &l)?;
    let k = l.rows;
    let n = check_vectors(function, y, mu, k)?;
    check_partial(function, "y", dy.as_deref(), y.len())?;
    check_partial(function, "mu", dmu.as_deref(), mu.len())?;
    check_partial(function, "L", dl.as_deref(), k * k)?;
    let any_varying = dy.is_some() || dmu.is_some() || l_varying;
    let mut lp = 0.0;
    if !propto {
        lp -= (n * k) as f64 * LOG_SQRT_TWO_PI;
    }
    if !propto || l_varying {
        lp -= n as f64 * (0..k).map(|i| l.at(i, i).ln()).sum::<f64>();
    }
    let (mut z, mut w) = (vec![0.0; k], vec![0.0; k]);
    for obs in 0..n {
        let m = if mu.len() == k {
            mu
        } else {
            &mu[obs * k..(obs + 1) * k]
        };
        for i in 0..k {
            z[i] = y[obs * k + i] - m[i];
        }
        forward_solve(&l, &mut z);
        if !propto || any_varying {
            lp -= 0.5 * z.iter().map(|v| v * v).sum::<f64>();
        }
        if !any_varying {
            continue;
        }
        w.copy_from_slice(&z);
        backward_solve(&l, &mut w);
        if let Some(b) = dy.as_deref_mut() {
            add_into(b, obs, k, &w, -1.0);
        }
        if let Some(b) = dmu.as_deref_mut() {
            add_into(b, obs, k, &w, 1.0);
        }
        if let Some(b) = dl.as_deref_mut() {
            for j in 0..k {
                for i in j..k {
                    b[i + j * k] += w[i] * z[j];
                }
            }
        }
    }
    if let Some(b) = dl {
        for i in 0..k {
            b[i + i * k] -= n as f64 / l.at(i, i);
        }
    }
    Ok(lp)
}

/// The Cholesky factor of a symmetric positive-definite `sigma`, or a domain error.
pub(crate) fn cholesky_of(
    function: &str,
    arg: &'static str,
    sigma: &MatRef,
) -> Result<nalgebra::Cholesky<f64, nalgebra::Dyn>, DistError> {
    if sigma.rows != sigma.cols {
        return Err(DistError::Shape {
            function: function.to_string(),
            arg,
            message: format!("must be square, got {} x {}", sigma.rows, sigma.cols),
        });
    }
    let m = sigma.to_dmatrix();
    let asym = (0..m.nrows())
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .find(|&(i, j)| (m[(i, j)] - m[(j, i)]).abs() > 1e-8 * (1.0 + m[(i, j)].abs()));
    if let Some((i, j)) = asym {
        return Err(DistError::Domain {
            function: function.to_string(),
            arg,
            index: format!("[{},{}]", i + 1, j + 1),
            value: m[(i, j)],
            requirement: "symmetric",
        });
    }
    nalgebra::Cholesky::new(m).ok_or_else(|| DistError::Domain {
        function: function.to_string(),
        arg,
        index: String::new(),
        value: f64::NAN,
        requirement: "positive definite",
    })
}

/// `multi_normal_lpdf(y | mu, Sigma)`; `dsigma` receives the symmetric partial (see the
/// module docs).
pub fn multi_normal_lpdf(
    y: &[f64],
    mu: &[f64],
    sigma: MatRef,
    propto: bool,
    dy: Option<&mut [f64]>,
    dmu: Option<&mut [f64]>,
    dsigma: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    const F: &str = "multi_normal_lpdf";
    let chol = cholesky_of(F, "Sigma", &sigma)?;
    check_partial(F, "Sigma", dsigma.as_deref(), sigma.data.len())?;
    let l = chol.l();
    let k = l.nrows();
    let lref = MatRef {
        data: l.as_slice(),
        rows: k,
        cols: k,
    };
    let lp = mvn_cholesky_core(F, y, mu, lref, propto, dy, dmu, None, dsigma.is_some())?;
    if let Some(out) = dsigma {
        // dΣ = ½ Σ⁻¹ (Σ_obs r rᵀ) Σ⁻¹ − (n/2) Σ⁻¹, computed directly.
        let n = check_vectors(F, y, mu, k)?;
        let inv = chol.inverse();
        let mut s = DMatrix::<f64>::zeros(k, k);
        for obs in 0..n {
            let r = residual(y, mu, k, obs);
            let a = &inv * r;
            s += &a * a.transpose();
        }
        let g = 0.5 * s - 0.5 * n as f64 * inv;
        for (o, v) in out.iter_mut().zip(g.as_slice()) {
            *o += v;
        }
    }
    Ok(lp)
}

/// `multi_normal_cholesky_rng(mu, L)`: mu + L z with z standard normal.
pub fn multi_normal_cholesky_rng<R: rand::Rng + ?Sized>(
    mu: &[f64],
    l: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    const F: &str = "multi_normal_cholesky_rng";
    check_cholesky(F, "L", &l)?;
    check_vectors(F, mu, mu, l.rows)?;
    if mu.len() != l.rows {
        return Err(DistError::Shape {
            function: F.into(),
            arg: "mu",
            message: format!("has length {}, expected {}", mu.len(), l.rows),
        });
    }
    let z: Vec<f64> = (0..mu.len())
        .map(|_| rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng))
        .collect();
    Ok((0..mu.len())
        .map(|i| mu[i] + (0..=i).map(|j| l.at(i, j) * z[j]).sum::<f64>())
        .collect())
}

/// `multi_normal_rng(mu, Sigma)`.
pub fn multi_normal_rng<R: rand::Rng + ?Sized>(
    mu: &[f64],
    sigma: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    let l = cholesky_of("multi_normal_rng", "Sigma", &sigma)?.l();
    let k = l.nrows();
    multi_normal_cholesky_rng(
        mu,
        MatRef {
            data: l.as_slice(),
            rows: k,
            cols: k,
        },
        rng,
    )
}
