//! The correlation-matrix transform: the Cholesky-correlation transform gives L, and
//! Ω = L Lᵀ. log |J| adds, to the Cholesky part, Σ_j (K − 1 − j) log L_jj (0-based j), the
//! Jacobian of the strict lower triangle of L ↦ the strict lower triangle of Ω (row i of Ω
//! depends on row i of L through the triangular matrix of earlier rows).

use super::cholesky_corr::CholeskyCorr;
use super::cov_matrix::{
    checked_cholesky, lower_self_transpose_vjp, multiply_lower_self_transpose,
};
use super::{CONSTRAINT_TOLERANCE, Transform, TransformError};

/// `corr_matrix[K]`.
#[derive(Debug, Clone, Copy)]
pub struct CorrMatrix {
    /// K, the matrix size.
    pub k: usize,
}

impl Transform for CorrMatrix {
    fn unconstrained_len(&self) -> usize {
        self.k * self.k.saturating_sub(1) / 2
    }
    fn constrained_len(&self) -> usize {
        self.k * self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let k = self.k;
        let mut l = vec![0.0; k * k];
        let mut log_j = CholeskyCorr { k }.constrain(u, &mut l)?;
        multiply_lower_self_transpose(&l, k, x);
        for j in 0..k {
            log_j += (k - 1 - j) as f64 * l[j + j * k].ln();
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        let k = self.k;
        if let Some(i) = (0..k).find(|&i| (x[i + i * k] - 1.0).abs() > CONSTRAINT_TOLERANCE) {
            return Err(TransformError::new(
                "corr_matrix",
                i + i * k,
                x[i + i * k],
                "1 on the diagonal",
            ));
        }
        let mut l = checked_cholesky("corr_matrix", x, k)?;
        // Renormalise rows so rounding in the factorisation keeps unit norms.
        for i in 0..k {
            let norm = (0..=i)
                .map(|j| l[i + j * k] * l[i + j * k])
                .sum::<f64>()
                .sqrt();
            for j in 0..=i {
                l[i + j * k] /= norm;
            }
        }
        CholeskyCorr { k }.unconstrain(&l, u)
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        let k = self.k;
        let mut l = vec![0.0; k * k];
        CholeskyCorr { k }.constrain(u, &mut l)?;
        let mut l_adj = vec![0.0; k * k];
        lower_self_transpose_vjp(&l, x_adj, k, &mut l_adj);
        for j in 0..k {
            l_adj[j + j * k] += (k - 1 - j) as f64 / l[j + j * k];
        }
        CholeskyCorr { k }.vjp_from_l(u, &l_adj, u_adj);
        Ok(())
    }
}
