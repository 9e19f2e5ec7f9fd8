//! The shared arithmetic of the one-sided bound transforms: `x = b + s·exp(u)` with
//! `s = +1` for a lower bound and `s = -1` for an upper one, log |J| = u; a bound at
//! `-s·∞` (no bound) is the identity (Stan reference manual, "Lower/Upper bounded scalar").

use super::{TransformError, check_bound_len, check_not_nan};
use crate::dist::Arg;

/// Which side the bound is on.
#[derive(Debug, Clone, Copy)]
pub(super) struct Side {
    /// `lower` or `upper`, for messages.
    pub name: &'static str,
    /// +1 for a lower bound, -1 for an upper bound.
    pub sign: f64,
    /// What a valid bound is, for messages.
    pub valid_bound: &'static str,
    /// How x must relate to the bound, for messages.
    pub relation: &'static str,
}

/// `real<lower=…>`.
pub(super) const LOWER: Side = Side {
    name: "lower",
    sign: 1.0,
    valid_bound: "a lower bound that is not nan or +inf",
    relation: "greater than the lower bound",
};
/// `real<upper=…>`.
pub(super) const UPPER: Side = Side {
    name: "upper",
    sign: -1.0,
    valid_bound: "an upper bound that is not nan or -inf",
    relation: "less than the upper bound",
};

impl Side {
    /// True when `b` means "no bound" on this side.
    fn unbounded(self, b: f64) -> bool {
        b == -self.sign * f64::INFINITY
    }

    fn check_bound(self, b: f64, i: usize) -> Result<(), TransformError> {
        if b.is_nan() || b == self.sign * f64::INFINITY {
            Err(TransformError::new(self.name, i, b, self.valid_bound))
        } else {
            Ok(())
        }
    }

    pub fn constrain(
        self,
        bound: &Arg,
        len: usize,
        u: &[f64],
        x: &mut [f64],
    ) -> Result<f64, TransformError> {
        check_bound_len(self.name, bound, len)?;
        let mut log_j = 0.0;
        for i in 0..len {
            let b = bound.at(i);
            self.check_bound(b, i)?;
            if self.unbounded(b) {
                x[i] = u[i];
            } else {
                x[i] = b + self.sign * u[i].exp();
                log_j += u[i];
            }
        }
        Ok(log_j)
    }

    pub fn unconstrain(
        self,
        bound: &Arg,
        len: usize,
        x: &[f64],
        u: &mut [f64],
    ) -> Result<(), TransformError> {
        check_not_nan(self.name, x)?;
        check_bound_len(self.name, bound, len)?;
        for i in 0..len {
            let b = bound.at(i);
            self.check_bound(b, i)?;
            let gap = self.sign * (x[i] - b);
            if self.unbounded(b) {
                u[i] = x[i];
            } else if gap > 0.0 {
                u[i] = gap.ln();
            } else {
                return Err(TransformError::new(
                    self.name,
                    i,
                    x[i],
                    format!("{} {b}", self.relation),
                ));
            }
        }
        Ok(())
    }

    /// The vector-Jacobian product, also adding `∂(x̄·x + log|J|)/∂b` to `bound_adj`.
    pub fn constrain_vjp(
        self,
        bound: &Arg,
        len: usize,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        mut bound_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        check_bound_len(self.name, bound, len)?;
        for i in 0..len {
            if self.unbounded(bound.at(i)) {
                u_adj[i] += x_adj[i];
                continue;
            }
            u_adj[i] += self.sign * x_adj[i] * u[i].exp() + 1.0;
            if let Some(b) = bound_adj.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += x_adj[i];
            }
        }
        Ok(())
    }
}
