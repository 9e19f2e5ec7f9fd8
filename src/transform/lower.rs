//! The lower-bound transform `x = lb + exp(u)`, log |J| = u; an infinite `lb` is the
//! identity (Stan reference manual, "Lower bounded scalar").

use super::one_sided::LOWER;
use super::{Transform, TransformError};
use crate::dist::Arg;

/// `real<lower=lb>` (elementwise over a container of `len` values).
#[derive(Debug, Clone, Copy)]
pub struct Lower<'a> {
    /// The bound: one value or one per element.
    pub lb: Arg<'a>,
    /// Number of elements.
    pub len: usize,
}

impl Lower<'_> {
    /// Like [`Transform::constrain_vjp`], also adding `∂(x̄·x + log|J|)/∂lb` to `lb_adj`
    /// (length 1 for a scalar bound, else `len`).
    pub fn constrain_vjp_bounds(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        lb_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        LOWER.constrain_vjp(&self.lb, self.len, u, x_adj, u_adj, lb_adj)
    }
}

impl Transform for Lower<'_> {
    fn unconstrained_len(&self) -> usize {
        self.len
    }
    fn constrained_len(&self) -> usize {
        self.len
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        LOWER.constrain(&self.lb, self.len, u, x)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        LOWER.unconstrain(&self.lb, self.len, x, u)
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        self.constrain_vjp_bounds(u, x_adj, u_adj, None)
    }
}
