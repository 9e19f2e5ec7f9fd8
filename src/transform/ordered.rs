//! The ordered-vector transform: x_0 = u_0, x_k = x_{k−1} + exp(u_k); log |J| = Σ_{k≥1} u_k
//! (Stan reference manual, "Ordered vector").

use super::{Transform, TransformError, check_not_nan};

/// `ordered[K]`.
#[derive(Debug, Clone, Copy)]
pub struct Ordered {
    /// K, the vector length.
    pub k: usize,
}

/// Adds the adjoint of the cumulative sums to `u_adj`: `ū_j += e_j Σ_{i≥j} x̄_i + 1`,
/// where `e_j` is 1 for the identity-mapped first coordinate when `first_exp` is false.
pub(crate) fn cumulative_exp_vjp(u: &[f64], x_adj: &[f64], u_adj: &mut [f64], first_exp: bool) {
    let mut suffix = 0.0;
    for j in (0..u.len()).rev() {
        suffix += x_adj[j];
        if j == 0 && !first_exp {
            u_adj[0] += suffix;
        } else {
            u_adj[j] += suffix * u[j].exp() + 1.0;
        }
    }
}

/// Checks that `x` is strictly increasing.
pub(crate) fn check_increasing(constraint: &'static str, x: &[f64]) -> Result<(), TransformError> {
    check_not_nan(constraint, x)?;
    match (1..x.len()).find(|&i| x[i] <= x[i - 1]) {
        Some(i) => Err(TransformError::new(
            constraint,
            i,
            x[i],
            format!("greater than the previous element {}", x[i - 1]),
        )),
        None => Ok(()),
    }
}

impl Transform for Ordered {
    fn unconstrained_len(&self) -> usize {
        self.k
    }
    fn constrained_len(&self) -> usize {
        self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        if self.k == 0 {
            return Ok(0.0);
        }
        x[0] = u[0];
        let mut log_j = 0.0;
        for i in 1..self.k {
            x[i] = x[i - 1] + u[i].exp();
            log_j += u[i];
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_increasing("ordered", x)?;
        if self.k > 0 {
            u[0] = x[0];
        }
        for i in 1..self.k {
            u[i] = (x[i] - x[i - 1]).ln();
        }
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        cumulative_exp_vjp(&u[..self.k], x_adj, u_adj, false);
        Ok(())
    }
}
