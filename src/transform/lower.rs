//! The lower-bound transform `x = lb + exp(u)`, log |J| = u; an infinite `lb` is the
//! identity (Stan reference manual, "Lower bounded scalar").

use super::{Transform, TransformError, check_bound_len, check_not_nan};
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
        mut lb_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        check_bound_len("lower", &self.lb, self.len)?;
        for i in 0..self.len {
            let lb = self.lb.at(i);
            if lb == f64::NEG_INFINITY {
                u_adj[i] += x_adj[i];
                continue;
            }
            u_adj[i] += x_adj[i] * u[i].exp() + 1.0;
            if let Some(b) = lb_adj.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += x_adj[i];
            }
        }
        Ok(())
    }
}

fn check_bound(lb: f64, i: usize) -> Result<(), TransformError> {
    if lb.is_nan() || lb == f64::INFINITY {
        Err(TransformError::new(
            "lower",
            i,
            lb,
            "a lower bound that is not nan or +inf",
        ))
    } else {
        Ok(())
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
        check_bound_len("lower", &self.lb, self.len)?;
        let mut log_j = 0.0;
        for i in 0..self.len {
            let lb = self.lb.at(i);
            check_bound(lb, i)?;
            if lb == f64::NEG_INFINITY {
                x[i] = u[i];
            } else {
                x[i] = lb + u[i].exp();
                log_j += u[i];
            }
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_not_nan("lower", x)?;
        check_bound_len("lower", &self.lb, self.len)?;
        for i in 0..self.len {
            let lb = self.lb.at(i);
            check_bound(lb, i)?;
            if lb == f64::NEG_INFINITY {
                u[i] = x[i];
            } else if x[i] > lb {
                u[i] = (x[i] - lb).ln();
            } else {
                return Err(TransformError::new(
                    "lower",
                    i,
                    x[i],
                    format!("greater than the lower bound {lb}"),
                ));
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
        self.constrain_vjp_bounds(u, x_adj, u_adj, None)
    }
}
