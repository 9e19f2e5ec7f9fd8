//! The multivariate Student-t family `multi_student_t(y | nu, mu, Sigma)`, vectorised over
//! arrays of vectors like the multivariate normal (see `mvn`).

use super::args::MatRef;
use super::error::{DistError, check_partial};
use super::mvn::{check_vectors, cholesky_of, residual};
use super::special::{LOG_PI, digamma, ln_gamma};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

fn check_nu(function: &str, nu: f64) -> Result<(), DistError> {
    if nu > 0.0 && nu.is_finite() {
        Ok(())
    } else {
        Err(DistError::scalar(function, "nu", nu, "positive finite"))
    }
}

/// Partial buffers of [`multi_student_t_lpdf`]; `None` marks a constant.
#[derive(Debug, Default)]
pub struct MultiStudentTPartials<'a> {
    /// Shaped like `y`.
    pub y: Option<&'a mut [f64]>,
    /// The degrees of freedom.
    pub nu: Option<&'a mut f64>,
    /// Shaped like `mu`.
    pub mu: Option<&'a mut [f64]>,
    /// K x K column-major; symmetric partial (half on each of (i, j) and (j, i)).
    pub sigma: Option<&'a mut [f64]>,
}

/// `multi_student_t_lpdf(y | nu, mu, Sigma)`.
pub fn multi_student_t_lpdf(
    y: &[f64],
    nu: f64,
    mu: &[f64],
    sigma: MatRef,
    propto: bool,
    d: MultiStudentTPartials,
) -> Result<f64, DistError> {
    const F: &str = "multi_student_t_lpdf";
    check_nu(F, nu)?;
    let chol = cholesky_of(F, "Sigma", &sigma)?;
    let k = sigma.rows;
    let n = check_vectors(F, y, mu, k)?;
    check_partial(F, "y", d.y.as_deref(), y.len())?;
    check_partial(F, "mu", d.mu.as_deref(), mu.len())?;
    check_partial(F, "Sigma", d.sigma.as_deref(), k * k)?;
    let kf = k as f64;
    let log_det = 2.0 * chol.l().diagonal().iter().map(|v| v.ln()).sum::<f64>();
    let inv = chol.inverse();
    let mut lp = 0.0;
    if !propto {
        lp -= 0.5 * n as f64 * kf * LOG_PI;
    }
    if !propto || d.nu.is_some() {
        lp += n as f64 * (ln_gamma(0.5 * (nu + kf)) - ln_gamma(0.5 * nu) - 0.5 * kf * nu.ln());
    }
    if !propto || d.sigma.is_some() {
        lp -= 0.5 * n as f64 * log_det;
    }
    let MultiStudentTPartials {
        y: mut dy,
        nu: dnu,
        mu: mut dmu,
        sigma: dsigma,
    } = d;
    let mut dnu_acc = 0.0;
    let mut s = DMatrix::<f64>::zeros(k, k);
    for obs in 0..n {
        let r = residual(y, mu, k, obs);
        let a = &inv * &r;
        let q = r.dot(&a);
        lp -= 0.5 * (nu + kf) * (q / nu).ln_1p();
        let w = (nu + kf) / (nu + q);
        let off = |len: usize| if len == k { 0 } else { obs * k };
        if let Some(b) = dy.as_deref_mut() {
            let o = off(b.len());
            for i in 0..k {
                b[o + i] -= w * a[i];
            }
        }
        if let Some(b) = dmu.as_deref_mut() {
            let o = off(b.len());
            for i in 0..k {
                b[o + i] += w * a[i];
            }
        }
        s += w * &a * a.transpose();
        dnu_acc += 0.5 * (digamma(0.5 * (nu + kf)) - digamma(0.5 * nu) - kf / nu)
            - 0.5 * (q / nu).ln_1p()
            + 0.5 * (nu + kf) * q / (nu * (nu + q));
    }
    if let Some(v) = dnu {
        *v += dnu_acc;
    }
    if let Some(b) = dsigma {
        let g = 0.5 * s - 0.5 * n as f64 * &inv;
        for (o, v) in b.iter_mut().zip(g.as_slice()) {
            *o += v;
        }
    }
    Ok(lp)
}

/// `multi_student_t_rng(nu, mu, Sigma)`: mu + L z / sqrt(w / nu), z standard normal,
/// w chi-square(nu).
pub fn multi_student_t_rng<R: Rng + ?Sized>(
    nu: f64,
    mu: &[f64],
    sigma: MatRef,
    rng: &mut R,
) -> Result<Vec<f64>, DistError> {
    const F: &str = "multi_student_t_rng";
    check_nu(F, nu)?;
    let l = cholesky_of(F, "Sigma", &sigma)?.l();
    check_vectors(F, mu, mu, sigma.rows)?;
    if mu.len() != sigma.rows {
        return Err(DistError::Shape {
            function: F.into(),
            arg: "mu",
            message: format!(
                "has length {}, but Sigma is {k} x {k}",
                mu.len(),
                k = sigma.rows
            ),
        });
    }
    let w = 2.0
        * super::gamma::draw_std_gamma(0.5 * nu, 0, rng)
            .map_err(|_| DistError::scalar(F, "nu", nu, "positive finite"))?;
    let z = DVector::from_iterator(mu.len(), (0..mu.len()).map(|_| StandardNormal.sample(rng)));
    let scale = (nu / w).sqrt();
    Ok((l * z).iter().zip(mu).map(|(v, m)| m + scale * v).collect())
}
