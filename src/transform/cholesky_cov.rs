//! The Cholesky-factor-of-covariance transform for an M x N factor (M >= N): the top N x N
//! lower triangle is read row by row with the diagonal through exp, then the remaining
//! M − N rows in full (Stan reference manual, "Cholesky factors of covariance matrices").
//! log |J| = Σ (diagonal coordinates).

use super::{Transform, TransformError, check_not_nan};

/// `cholesky_factor_cov[M, N]`.
#[derive(Debug, Clone, Copy)]
pub struct CholeskyCov {
    /// Rows (M).
    pub m: usize,
    /// Columns (N <= M).
    pub n: usize,
}

impl CholeskyCov {
    fn check_shape(&self) -> Result<(), TransformError> {
        if self.n > self.m {
            Err(TransformError::new(
                "cholesky_factor_cov",
                0,
                self.n as f64,
                format!("at most M = {} columns", self.m),
            ))
        } else {
            Ok(())
        }
    }

    /// Visits the free entries in coordinate order: (coordinate index, row, column).
    fn for_each_free(&self, mut f: impl FnMut(usize, usize, usize)) {
        let mut idx = 0;
        for i in 0..self.m {
            for j in 0..=i.min(self.n - 1) {
                f(idx, i, j);
                idx += 1;
            }
        }
    }
}

impl Transform for CholeskyCov {
    fn unconstrained_len(&self) -> usize {
        self.n * (self.n + 1) / 2 + (self.m - self.n.min(self.m)) * self.n
    }
    fn constrained_len(&self) -> usize {
        self.m * self.n
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        self.check_shape()?;
        x[..self.m * self.n].fill(0.0);
        if self.n == 0 {
            return Ok(0.0);
        }
        let mut log_j = 0.0;
        self.for_each_free(|idx, i, j| {
            x[i + j * self.m] = if i == j {
                log_j += u[idx];
                u[idx].exp()
            } else {
                u[idx]
            };
        });
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        self.check_shape()?;
        check_not_nan("cholesky_factor_cov", x)?;
        for j in 0..self.n {
            for i in 0..j {
                if x[i + j * self.m] != 0.0 {
                    return Err(TransformError::new(
                        "cholesky_factor_cov",
                        i + j * self.m,
                        x[i + j * self.m],
                        "zero above the diagonal",
                    ));
                }
            }
            if x[j + j * self.m].is_nan() || x[j + j * self.m] <= 0.0 {
                return Err(TransformError::new(
                    "cholesky_factor_cov",
                    j + j * self.m,
                    x[j + j * self.m],
                    "positive on the diagonal",
                ));
            }
        }
        if self.n == 0 {
            return Ok(());
        }
        self.for_each_free(|idx, i, j| {
            let v = x[i + j * self.m];
            u[idx] = if i == j { v.ln() } else { v };
        });
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        self.check_shape()?;
        if self.n == 0 {
            return Ok(());
        }
        self.for_each_free(|idx, i, j| {
            let a = x_adj[i + j * self.m];
            u_adj[idx] += if i == j { a * u[idx].exp() + 1.0 } else { a };
        });
        Ok(())
    }
}
