//! The upper-bound transform `x = ub - exp(u)`, log |J| = u; an infinite `ub` is the
//! identity (Stan reference manual, "Upper bounded scalar").

use super::{Transform, TransformError, check_bound_len, check_not_nan};
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
    /// Like [`Transform::constrain_vjp`], also adding the bound's adjoint to `ub_adj`.
    pub fn constrain_vjp_bounds(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        mut ub_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        check_bound_len("upper", &self.ub, self.len)?;
        for i in 0..self.len {
            if self.ub.at(i) == f64::INFINITY {
                u_adj[i] += x_adj[i];
                continue;
            }
            u_adj[i] += -x_adj[i] * u[i].exp() + 1.0;
            if let Some(b) = ub_adj.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += x_adj[i];
            }
        }
        Ok(())
    }
}

fn check_bound(ub: f64, i: usize) -> Result<(), TransformError> {
    if ub.is_nan() || ub == f64::NEG_INFINITY {
        Err(TransformError::new(
            "upper",
            i,
            ub,
            "an upper bound that is not nan or -inf",
        ))
    } else {
        Ok(())
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
        check_bound_len("upper", &self.ub, self.len)?;
        let mut log_j = 0.0;
        for i in 0..self.len {
            let ub = self.ub.at(i);
            check_bound(ub, i)?;
            if ub == f64::INFINITY {
                x[i] = u[i];
            } else {
                x[i] = ub - u[i].exp();
                log_j += u[i];
            }
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_not_nan("upper", x)?;
        check_bound_len("upper", &self.ub, self.len)?;
        for i in 0..self.len {
            let ub = self.ub.at(i);
            check_bound(ub, i)?;
            if ub == f64::INFINITY {
                u[i] = x[i];
            } else if x[i] < ub {
                u[i] = (ub - x[i]).ln();
            } else {
                return Err(TransformError::new(
                    "upper",
                    i,
                    x[i],
                    format!("less than the upper bound {ub}"),
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
