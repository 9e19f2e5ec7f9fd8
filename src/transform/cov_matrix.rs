//! The covariance-matrix transform (Stan reference manual, "Covariance matrices"): a
//! lower-triangular L is read row by row with its diagonal through exp, and Σ = L Lᵀ.
//! log |J| = K log 2 + Σ_k (K − k + 1) u_kk (0-based k), the Jacobian of u ↦ the lower
//! triangle of Σ (including the exp of the diagonal).

use super::{CONSTRAINT_TOLERANCE, Transform, TransformError, check_not_nan};
use crate::dist::special::LOG_TWO;

/// `cov_matrix[K]`.
#[derive(Debug, Clone, Copy)]
pub struct CovMatrix {
    /// K, the matrix size.
    pub k: usize,
}

/// Lower triangle of L from `u` (row by row, diagonal through exp), column-major K x K.
fn lower_from(u: &[f64], k: usize, l: &mut [f64]) {
    l.fill(0.0);
    let mut idx = 0;
    for i in 0..k {
        for j in 0..=i {
            l[i + j * k] = if i == j { u[idx].exp() } else { u[idx] };
            idx += 1;
        }
    }
}

/// x = L Lᵀ (column-major K x K).
pub(crate) fn multiply_lower_self_transpose(l: &[f64], k: usize, x: &mut [f64]) {
    for i in 0..k {
        for j in 0..=i {
            let v: f64 = (0..=j).map(|m| l[i + m * k] * l[j + m * k]).sum();
            x[i + j * k] = v;
            x[j + i * k] = v;
        }
    }
}

/// L̄ = (X̄ + X̄ᵀ) L restricted to the lower triangle, for X = L Lᵀ.
pub(crate) fn lower_self_transpose_vjp(l: &[f64], x_adj: &[f64], k: usize, l_adj: &mut [f64]) {
    for i in 0..k {
        for j in 0..=i {
            l_adj[i + j * k] += (0..k)
                .map(|m| (x_adj[i + m * k] + x_adj[m + i * k]) * l[m + j * k])
                .sum::<f64>();
        }
    }
}

/// Checks that `x` (K x K) is symmetric; returns its Cholesky factor (column-major) or
/// says it is not positive definite.
pub(crate) fn checked_cholesky(
    constraint: &'static str,
    x: &[f64],
    k: usize,
) -> Result<Vec<f64>, TransformError> {
    check_not_nan(constraint, x)?;
    for i in 0..k {
        for j in 0..i {
            let (a, b) = (x[i + j * k], x[j + i * k]);
            if (a - b).abs() > CONSTRAINT_TOLERANCE * (1.0 + a.abs()) {
                return Err(TransformError::new(
                    constraint,
                    j + i * k,
                    b,
                    format!("symmetric (mirror element is {a})"),
                ));
            }
        }
    }
    let m = nalgebra::DMatrix::from_column_slice(k, k, &x[..k * k]);
    match nalgebra::Cholesky::new(m) {
        Some(c) => Ok(c.l().as_slice().to_vec()),
        None => Err(TransformError::new(
            constraint,
            0,
            x[0],
            "part of a positive-definite matrix",
        )),
    }
}

impl Transform for CovMatrix {
    fn unconstrained_len(&self) -> usize {
        self.k * (self.k + 1) / 2
    }
    fn constrained_len(&self) -> usize {
        self.k * self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let k = self.k;
        let mut l = vec![0.0; k * k];
        lower_from(u, k, &mut l);
        multiply_lower_self_transpose(&l, k, x);
        let mut log_j = k as f64 * LOG_TWO;
        let mut idx = 0;
        for i in 0..k {
            idx += i;
            log_j += (k - i + 1) as f64 * u[idx];
            idx += 1;
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        let k = self.k;
        let l = checked_cholesky("cov_matrix", x, k)?;
        let mut idx = 0;
        for i in 0..k {
            for j in 0..=i {
                u[idx] = if i == j {
                    l[i + j * k].ln()
                } else {
                    l[i + j * k]
                };
                idx += 1;
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
        let k = self.k;
        let mut l = vec![0.0; k * k];
        lower_from(u, k, &mut l);
        let mut l_adj = vec![0.0; k * k];
        lower_self_transpose_vjp(&l, x_adj, k, &mut l_adj);
        let mut idx = 0;
        for i in 0..k {
            for j in 0..=i {
                u_adj[idx] += if i == j {
                    l_adj[i + j * k] * l[i + j * k] + (k - i + 1) as f64
                } else {
                    l_adj[i + j * k]
                };
                idx += 1;
            }
        }
        Ok(())
    }
}
