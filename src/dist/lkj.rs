//! The LKJ correlation families `lkj_corr_cholesky(L | eta)` and `lkj_corr(Omega | eta)`
//! (Lewandowski, Kurowicka & Joe 2009).
//!
//! The normalising constant is log c_K(eta) = Σ_{k=1}^{K-1} (K−k) [(2η−2+K−k) log 2 +
//! lbeta(b_k, b_k)], b_k = η + (K−k−1)/2, the integral of det(Ω)^{η−1} over correlation
//! matrices (LKJ 2009, eq. 16). The Cholesky form adds the Jacobian of L ↦ LLᵀ on the
//! correlation manifold, Σ_j (K−j) log L_jj (1-based j).

use super::args::MatRef;
use super::error::{DistError, check_partial};
use super::mvn::cholesky_of;
use super::special::{LOG_TWO, digamma, ln_beta};

/// Tolerance on unit row norms of a Cholesky factor of a correlation matrix and on unit
/// diagonals of a correlation matrix (Stan's `CONSTRAINT_TOLERANCE`).
pub const CORR_TOLERANCE: f64 = 1e-8;

/// log c_K(eta) and its derivative in eta.
pub fn lkj_log_normaliser(eta: f64, k: usize) -> (f64, f64) {
    let (mut v, mut dv) = (0.0, 0.0);
    for j in 1..k {
        let m = (k - j) as f64;
        let b = eta + 0.5 * (m - 1.0);
        v += m * ((2.0 * eta - 2.0 + m) * LOG_TWO + ln_beta(b, b));
        dv += m * (2.0 * LOG_TWO + 2.0 * (digamma(b) - digamma(2.0 * b)));
    }
    (v, dv)
}

fn check_eta(function: &str, eta: f64) -> Result<(), DistError> {
    if eta > 0.0 && eta.is_finite() {
        Ok(())
    } else {
        Err(DistError::Domain {
            function: function.to_string(),
            arg: "eta",
            index: String::new(),
            value: eta,
            requirement: "positive finite",
        })
    }
}

fn check_cholesky_corr(function: &str, l: &MatRef) -> Result<(), DistError> {
    if l.rows != l.cols {
        return Err(DistError::Shape {
            function: function.to_string(),
            arg: "L",
            message: format!("must be square, got {} x {}", l.rows, l.cols),
        });
    }
    for i in 0..l.rows {
        let norm: f64 = (0..=i).map(|j| l.at(i, j) * l.at(i, j)).sum();
        let upper = (i + 1..l.cols).any(|j| l.at(i, j) != 0.0);
        if l.at(i, i).is_nan() || l.at(i, i) <= 0.0 || upper || (norm - 1.0).abs() > CORR_TOLERANCE
        {
            return Err(DistError::Domain {
                function: function.to_string(),
                arg: "L",
                index: format!("[{}]", i + 1),
                value: norm,
                requirement: "a Cholesky factor of a correlation matrix (lower triangular, positive diagonal, unit row norms)",
            });
        }
    }
    Ok(())
}

/// `lkj_corr_cholesky_lpdf(L | eta)`; `dl` (K x K column-major) gets diagonal partials.
pub fn lkj_corr_cholesky_lpdf(
    l: MatRef,
    eta: f64,
    propto: bool,
    dl: Option<&mut [f64]>,
    deta: Option<&mut f64>,
) -> Result<f64, DistError> {
    const F: &str = "lkj_corr_cholesky_lpdf";
    check_eta(F, eta)?;
    check_cholesky_corr(F, &l)?;
    check_partial(F, "L", dl.as_deref(), l.data.len())?;
    let k = l.rows;
    let mut lp = 0.0;
    let (log_c, dlog_c) = lkj_log_normaliser(eta, k);
    if !propto || deta.is_some() {
        lp -= log_c;
    }
    let mut sum_log_diag = 0.0;
    for i in 1..k {
        let w = (k - i - 1) as f64 + 2.0 * eta - 2.0;
        let ld = l.at(i, i).ln();
        sum_log_diag += ld;
        if !propto || deta.is_some() || dl.is_some() {
            lp += w * ld;
        }
    }
    if let Some(b) = dl {
        for i in 1..k {
            b[i + i * k] += ((k - i - 1) as f64 + 2.0 * eta - 2.0) / l.at(i, i);
        }
    }
    if let Some(d) = deta {
        *d += 2.0 * sum_log_diag - dlog_c;
    }
    Ok(lp)
}

/// `lkj_corr_lpdf(Omega | eta)`; `domega` gets the symmetric partial (half on each of
/// (i, j) and (j, i)).
pub fn lkj_corr_lpdf(
    omega: MatRef,
    eta: f64,
    propto: bool,
    domega: Option<&mut [f64]>,
    deta: Option<&mut f64>,
) -> Result<f64, DistError> {
    const F: &str = "lkj_corr_lpdf";
    check_eta(F, eta)?;
    let chol = cholesky_of(F, "Omega", &omega)?;
    check_partial(F, "Omega", domega.as_deref(), omega.data.len())?;
    let k = omega.rows;
    if let Some(i) = (0..k).find(|&i| (omega.at(i, i) - 1.0).abs() > CORR_TOLERANCE) {
        return Err(DistError::Domain {
            function: F.to_string(),
            arg: "Omega",
            index: format!("[{},{}]", i + 1, i + 1),
            value: omega.at(i, i),
            requirement: "1 on the diagonal",
        });
    }
    let log_det = 2.0 * chol.l().diagonal().iter().map(|v| v.ln()).sum::<f64>();
    let (log_c, dlog_c) = lkj_log_normaliser(eta, k);
    let mut lp = 0.0;
    if !propto || deta.is_some() {
        lp -= log_c;
    }
    if !propto || deta.is_some() || domega.is_some() {
        lp += (eta - 1.0) * log_det;
    }
    if let Some(b) = domega {
        let inv = chol.inverse();
        for (o, v) in b.iter_mut().zip(inv.as_slice()) {
            *o += (eta - 1.0) * v;
        }
    }
    if let Some(d) = deta {
        *d += log_det - dlog_c;
    }
    Ok(lp)
}

/// `lkj_corr_cholesky_rng(K, eta)`: canonical partial correlations at level j (0-based)
/// are 2 Beta(b, b) − 1 with b = eta + (K − 2 − j)/2 (LKJ 2009, the C-vine method), then
/// L is built from them as the Cholesky-correlation transform does. Column-major K x K.
pub fn lkj_corr_cholesky_rng<R: rand::Rng + ?Sized>(
    k: usize,
    eta: f64,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    check_eta("lkj_corr_cholesky_rng", eta)?;
    let mut l = vec![0.0; k * k];
    if k == 0 {
        return Ok(l);
    }
    l[0] = 1.0;
    for i in 1..k {
        let mut ss = 0.0f64;
        for j in 0..i {
            let b = eta + 0.5 * (k as f64 - 2.0 - j as f64);
            let z =
                2.0 * super::beta::draw_beta(b, b, rng).map_err(|_| DistError::Domain {
                    function: "lkj_corr_cholesky_rng".into(),
                    arg: "eta",
                    index: String::new(),
                    value: eta,
                    requirement: "positive finite",
                })? - 1.0;
            let v = z * (1.0 - ss).sqrt();
            l[i + j * k] = v;
            ss += v * v;
        }
        l[i + i * k] = (1.0 - ss).max(0.0).sqrt();
    }
    Ok(l)
}

/// `lkj_corr_rng(K, eta)`: L Lᵀ of [`lkj_corr_cholesky_rng`].
pub fn lkj_corr_rng<R: rand::Rng + ?Sized>(
    k: usize,
    eta: f64,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    let l = lkj_corr_cholesky_rng(k, eta, rng)?;
    let mut x = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            x[i + j * k] = (0..k).map(|m| l[i + m * k] * l[j + m * k]).sum();
        }
    }
    Ok(x)
}
