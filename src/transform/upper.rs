//! The upper-bound transform `x = ub - exp(u)`, log |J| = u; an infinite `ub` is the
//! identity (Stan reference manual, "Upper bounded scalar").

use super::one_sided::UPPER;
use super::{Transform, TransformError};
use crate::dist::Arg;

/// `real<upper=ub>` (elementwise over a container of `len` values).
#[derive(Debug, Clone, Copy)]
pub struct Upper<'a> {
    /// The bound: one value or one per element.
    pub ub: Arg<'a>,
    /// Number of elements.
    pub len: usize,
}

impl Upper<'_> {
    /// Like [`Transform::constrain_vjp`], also adding `∂(x̄·x + log|J|)/∂ub` to `ub_adj`
    /// (length 1 for a scalar bound, else `len`).
    pub fn constrain_vjp_bounds(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        ub_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        UPPER.constrain_vjp(&self.ub, self.len, u, x_adj, u_adj, ub_adj)
    }
}

impl Transform for Upper<'_> {
    fn unconstrained_len(&self) -> usize {
        self.len
    }
    fn constrained_len(&self) -> usize {
        self.len
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        UPPER.constrain(&self.ub, self.len, u, x)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        UPPER.unconstrain(&self.ub, self.len, x, u)
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
