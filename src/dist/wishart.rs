//! The Wishart and inverse Wishart families over K x K symmetric positive-definite
//! matrices, with symmetric partials (half on each of (i, j) and (j, i)), and their RNGs
//! (Bartlett decomposition).
//!
//! wishart(W | ν, S) = (ν−K−1)/2 log|W| − tr(S⁻¹W)/2 − νK/2 log 2 − ν/2 log|S| − log Γ_K(ν/2)
//! inv_wishart(W | ν, S) = ν/2 log|S| − νK/2 log 2 − log Γ_K(ν/2) − (ν+K+1)/2 log|W| − tr(S W⁻¹)/2

use super::args::MatRef;
use super::error::{DistError, check_partial};
use super::gamma::draw_std_gamma;
use super::mvn::cholesky_of;
use super::special::{LOG_PI, LOG_TWO, digamma, ln_gamma};
use nalgebra::DMatrix;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// Partial buffers of the Wishart densities; `None` marks a constant.
#[derive(Debug, Default)]
pub struct WishartPartials<'a> {
    /// K x K column-major, shaped like `W`.
    pub w: Option<&'a mut [f64]>,
    /// The degrees of freedom.
    pub nu: Option<&'a mut f64>,
    /// K x K column-major, shaped like the scale matrix.
    pub s: Option<&'a mut [f64]>,
}

/// log Γ_K(x), the multivariate log gamma function, and its derivative in x.
pub fn lmgamma(k: usize, x: f64) -> (f64, f64) {
    let mut v = 0.25 * (k * k.saturating_sub(1)) as f64 * LOG_PI;
    let mut dv = 0.0;
    for j in 0..k {
        v += ln_gamma(x - 0.5 * j as f64);
        dv += digamma(x - 0.5 * j as f64);
    }
    (v, dv)
}

struct Parts {
    k: usize,
    log_det_w: f64,
    log_det_s: f64,
    w_inv: DMatrix<f64>,
    s_inv: DMatrix<f64>,
}

fn parts(
    function: &str,
    w: &MatRef,
    nu: f64,
    s: &MatRef,
    d: &WishartPartials,
) -> Result<Parts, DistError> {
    check_partial(function, "W", d.w.as_deref(), w.data.len())?;
    check_partial(function, "Sigma", d.s.as_deref(), s.data.len())?;
    let cw = cholesky_of(function, "W", w)?;
    let cs = cholesky_of(function, "Sigma", s)?;
    let k = w.rows;
    if s.rows != k {
        return Err(DistError::Shape {
            function: function.into(),
            arg: "Sigma",
            message: format!("is {} x {}, but W is {k} x {k}", s.rows, s.cols),
        });
    }
    if !(nu > k as f64 - 1.0 && nu.is_finite()) {
        return Err(DistError::Domain {
            function: function.into(),
            arg: "nu",
            index: String::new(),
            value: nu,
            requirement: "greater than K - 1 and finite",
        });
    }
    let log_det = |c: &nalgebra::Cholesky<f64, nalgebra::Dyn>| {
        2.0 * c.l().diagonal().iter().map(|v| v.ln()).sum::<f64>()
    };
    Ok(Parts {
        k,
        log_det_w: log_det(&cw),
        log_det_s: log_det(&cs),
        w_inv: cw.inverse(),
        s_inv: cs.inverse(),
    })
}

fn add(buf: Option<&mut [f64]>, m: &DMatrix<f64>) {
    if let Some(b) = buf {
        for (o, v) in b.iter_mut().zip(m.as_slice()) {
            *o += v;
        }
    }
}

/// `wishart_lpdf(W | nu, Sigma)`.
pub fn wishart_lpdf(
    w: MatRef,
    nu: f64,
    s: MatRef,
    propto: bool,
    d: WishartPartials,
) -> Result<f64, DistError> {
    let p = parts("wishart_lpdf", &w, nu, &s, &d)?;
    let kf = p.k as f64;
    let wm = w.to_dmatrix();
    let (lmg, dlmg) = lmgamma(p.k, 0.5 * nu);
    let mut lp = 0.0;
    if !propto || d.nu.is_some() {
        lp -= 0.5 * nu * kf * LOG_TWO + lmg;
    }
    if !propto || d.nu.is_some() || d.s.is_some() {
        lp -= 0.5 * nu * p.log_det_s;
    }
    if !propto || d.nu.is_some() || d.w.is_some() {
        lp += 0.5 * (nu - kf - 1.0) * p.log_det_w;
    }
    if !propto || d.w.is_some() || d.s.is_some() {
        lp -= 0.5 * (&p.s_inv * &wm).trace();
    }
    add(d.w, &(0.5 * (nu - kf - 1.0) * &p.w_inv - 0.5 * &p.s_inv));
    add(
        d.s,
        &(-0.5 * nu * &p.s_inv + 0.5 * &p.s_inv * &wm * &p.s_inv),
    );
    if let Some(v) = d.nu {
        *v += 0.5 * p.log_det_w - 0.5 * kf * LOG_TWO - 0.5 * p.log_det_s - 0.5 * dlmg;
    }
    Ok(lp)
}

/// `inv_wishart_lpdf(W | nu, Sigma)`.
pub fn inv_wishart_lpdf(
    w: MatRef,
    nu: f64,
    s: MatRef,
    propto: bool,
    d: WishartPartials,
) -> Result<f64, DistError> {
    let p = parts("inv_wishart_lpdf", &w, nu, &s, &d)?;
    let kf = p.k as f64;
    let sm = s.to_dmatrix();
    let (lmg, dlmg) = lmgamma(p.k, 0.5 * nu);
    let mut lp = 0.0;
    if !propto || d.nu.is_some() {
        lp -= 0.5 * nu * kf * LOG_TWO + lmg;
    }
    if !propto || d.nu.is_some() || d.s.is_some() {
        lp += 0.5 * nu * p.log_det_s;
    }
    if !propto || d.nu.is_some() || d.w.is_some() {
        lp -= 0.5 * (nu + kf + 1.0) * p.log_det_w;
    }
    if !propto || d.w.is_some() || d.s.is_some() {
        lp -= 0.5 * (&sm * &p.w_inv).trace();
    }
    add(
        d.w,
        &(-0.5 * (nu + kf + 1.0) * &p.w_inv + 0.5 * &p.w_inv * &sm * &p.w_inv),
    );
    add(d.s, &(0.5 * nu * &p.s_inv - 0.5 * &p.w_inv));
    if let Some(v) = d.nu {
        *v += 0.5 * p.log_det_s - 0.5 * kf * LOG_TWO - 0.5 * dlmg - 0.5 * p.log_det_w;
    }
    Ok(lp)
}

/// A Wishart(nu, S) draw from the Cholesky factor `l` of S (Bartlett decomposition).
fn bartlett<R: Rng + ?Sized>(
    function: &str,
    nu: f64,
    l: &DMatrix<f64>,
    rng: &mut R,
) -> Result<DMatrix<f64>, DistError> {
    let k = l.nrows();
    if !(nu > k as f64 - 1.0 && nu.is_finite()) {
        return Err(DistError::Domain {
            function: function.into(),
            arg: "nu",
            index: String::new(),
            value: nu,
            requirement: "greater than K - 1 and finite",
        });
    }
    let mut a = DMatrix::<f64>::zeros(k, k);
    for i in 0..k {
        let shape = 0.5 * (nu - i as f64);
        let chi2 = 2.0
            * draw_std_gamma(shape, 0, rng).map_err(|_| DistError::Domain {
                function: function.into(),
                arg: "nu",
                index: String::new(),
                value: nu,
                requirement: "greater than K - 1",
            })?;
        a[(i, i)] = chi2.sqrt();
        for j in 0..i {
            a[(i, j)] = StandardNormal.sample(rng);
        }
    }
    let la = l * a;
    Ok(&la * la.transpose())
}

/// `wishart_rng(nu, Sigma)`, column-major K x K.
pub fn wishart_rng<R: Rng + ?Sized>(
    nu: f64,
    s: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    let l = cholesky_of("wishart_rng", "Sigma", &s)?.l();
    Ok(bartlett("wishart_rng", nu, &l, rng)?.as_slice().to_vec())
}

/// `inv_wishart_rng(nu, Sigma)`: the inverse of a Wishart(nu, Sigma⁻¹) draw.
pub fn inv_wishart_rng<R: Rng + ?Sized>(
    nu: f64,
    s: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    const F: &str = "inv_wishart_rng";
    let s_inv = cholesky_of(F, "Sigma", &s)?.inverse();
    let l = nalgebra::Cholesky::new(s_inv)
        .map(|c| c.l())
        .ok_or_else(|| DistError::Domain {
            function: F.into(),
            arg: "Sigma",
            index: String::new(),
            value: f64::NAN,
            requirement: "well-conditioned positive definite",
        })?;
    let w = bartlett(F, nu, &l, rng)?;
    let inv = w.try_inverse().ok_or_else(|| DistError::Domain {
        function: F.into(),
        arg: "nu",
        index: String::new(),
        value: nu,
        requirement: "large enough for an invertible draw",
    })?;
    Ok(inv.as_slice().to_vec())
}
