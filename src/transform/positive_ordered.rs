//! The positive-ordered transform: x_0 = exp(u_0), x_k = x_{k−1} + exp(u_k); log |J| = Σ u_k
//! (Stan reference manual, "Positive ordered vector").

use super::ordered::{check_increasing, cumulative_exp_vjp};
use super::{Transform, TransformError};

/// `positive_ordered[K]`.
#[derive(Debug, Clone, Copy)]
pub struct PositiveOrdered {
    /// K, the vector length.
    pub k: usize,
}

impl Transform for PositiveOrdered {
    fn unconstrained_len(&self) -> usize {
        self.k
    }
    fn constrained_len(&self) -> usize {
        self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let mut acc = 0.0;
        for i in 0..self.k {
            acc += u[i].exp();
            x[i] = acc;
        }
        Ok(u[..self.k].iter().sum())
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_increasing("positive_ordered", x)?;
        if self.k > 0 && x[0] <= 0.0 {
            return Err(TransformError::new("positive_ordered", 0, x[0], "positive"));
        }
        let mut prev = 0.0;
        for i in 0..self.k {
            u[i] = (x[i] - prev).ln();
            prev = x[i];
        }
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        cumulative_exp_vjp(&u[..self.k], x_adj, u_adj, true);
        Ok(())
    }
}
