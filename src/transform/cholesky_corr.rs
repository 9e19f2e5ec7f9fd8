//! The Cholesky-factor-of-correlation transform (Stan reference manual, "Cholesky factors
//! of correlation matrices"): K(K−1)/2 reals map through tanh to canonical partial
//! correlations z, and row i of L is built as L_ij = z_ij sqrt(1 − Σ_{m<j} L_im²),
//! L_ii = sqrt(1 − Σ_{m<i} L_im²). Coordinates are read row by row over the strict lower
//! triangle. log |J| = Σ [log(1 − z²) + ½ log(1 − Σ_{m<j} L_im²)], the Jacobian of u ↦ the
//! strict lower triangle of L.

use super::{CONSTRAINT_TOLERANCE, Transform, TransformError, check_not_nan};

/// `cholesky_factor_corr[K]`.
#[derive(Debug, Clone, Copy)]
pub struct CholeskyCorr {
    /// K, the matrix size.
    pub k: usize,
}

impl CholeskyCorr {
    /// Adds the pull-back of `l_adj` (K x K, column-major, including the diagonal) plus the
    /// gradient of log |J| to `u_adj`. Shared with the correlation-matrix transform.
    pub(crate) fn vjp_from_l(&self, u: &[f64], l_adj: &[f64], u_adj: &mut [f64]) {
        let k = self.k;
        let (mut z, mut w, mut lv) = (vec![0.0; k], vec![0.0; k], vec![0.0; k]);
        let mut start = 0;
        for i in 1..k {
            // Forward over row i: z_j, w_j = sqrt(1 - ss_j), L_ij = z_j w_j.
            let mut ss = 0.0f64;
            for j in 0..i {
                z[j] = u[start + j].tanh();
                w[j] = (1.0 - ss).sqrt();
                lv[j] = z[j] * w[j];
                ss += lv[j] * lv[j];
            }
            let lii = (1.0 - ss).sqrt();
            // Reverse: ss_bar is the adjoint of the running sum of squares.
            let mut ss_bar = -l_adj[i + i * k] / (2.0 * lii);
            for j in (0..i).rev() {
                let l_bar = l_adj[i + j * k] + 2.0 * lv[j] * ss_bar;
                let z_bar = l_bar * w[j];
                ss_bar += -l_bar * z[j] / (2.0 * w[j]) - 0.5 / (w[j] * w[j]);
                u_adj[start + j] += z_bar * (1.0 - z[j] * z[j]) - 2.0 * z[j];
            }
            start += i;
        }
    }
}

impl Transform for CholeskyCorr {
    fn unconstrained_len(&self) -> usize {
        self.k * self.k.saturating_sub(1) / 2
    }
    fn constrained_len(&self) -> usize {
        self.k * self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let k = self.k;
        x[..k * k].fill(0.0);
        if k == 0 {
            return Ok(0.0);
        }
        x[0] = 1.0;
        let mut log_j = 0.0;
        let mut idx = 0;
        for i in 1..k {
            let mut ss = 0.0f64;
            for j in 0..i {
                let z = u[idx].tanh();
                idx += 1;
                log_j += (-z * z).ln_1p() + 0.5 * (-ss).ln_1p();
                let v = z * (1.0 - ss).sqrt();
                x[i + j * k] = v;
                ss += v * v;
            }
            x[i + i * k] = (1.0 - ss).max(0.0).sqrt();
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        let k = self.k;
        check_not_nan("cholesky_factor_corr", x)?;
        let mut idx = 0;
        for i in 0..k {
            if let Some(j) = (i + 1..k).find(|&j| x[i + j * k] != 0.0) {
                return Err(TransformError::new(
                    "cholesky_factor_corr",
                    i + j * k,
                    x[i + j * k],
                    "zero above the diagonal",
                ));
            }
            if x[i + i * k].is_nan() || x[i + i * k] <= 0.0 {
                return Err(TransformError::new(
                    "cholesky_factor_corr",
                    i + i * k,
                    x[i + i * k],
                    "positive on the diagonal",
                ));
            }
            let norm: f64 = (0..=i).map(|j| x[i + j * k] * x[i + j * k]).sum();
            if (norm - 1.0).abs() > CONSTRAINT_TOLERANCE {
                return Err(TransformError::new(
                    "cholesky_factor_corr",
                    i,
                    norm.sqrt(),
                    "in a row of unit norm (got this norm)",
                ));
            }
            let mut ss = 0.0f64;
            for j in 0..i {
                let v = x[i + j * k];
                let z = (v / (1.0 - ss).sqrt()).clamp(-1.0, 1.0);
                u[idx] = z.atanh();
                idx += 1;
                ss += v * v;
            }
        }
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        self.vjp_from_l(u, x_adj, u_adj);
        Ok(())
    }
}
