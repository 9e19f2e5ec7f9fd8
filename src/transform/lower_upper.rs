//! The interval transform `x = lb + (ub - lb) inv_logit(u)`, log |J| =
//! log(ub - lb) + log inv_logit(u) + log(1 - inv_logit(u)) (Stan reference manual, "Lower
//! and upper bounded scalar"); an infinite bound falls back to the one-sided transform.

use super::{Transform, TransformError, check_bound_len, check_not_nan};
use crate::dist::Arg;
use crate::dist::special::{inv_logit, log_inv_logit, log1m_inv_logit};

/// `real<lower=lb, upper=ub>` (elementwise over a container of `len` values).
#[derive(Debug, Clone, Copy)]
pub struct LowerUpper<'a> {
    /// Lower bound: one value or one per element.
    pub lb: Arg<'a>,
    /// Upper bound: one value or one per element.
    pub ub: Arg<'a>,
    /// Number of elements.
    pub len: usize,
}

fn add(buf: &mut Option<&mut [f64]>, i: usize, v: f64) {
    if let Some(b) = buf.as_deref_mut() {
        b[if b.len() == 1 { 0 } else { i }] += v;
    }
}

impl LowerUpper<'_> {
    fn bounds(&self, i: usize) -> Result<(f64, f64), TransformError> {
        if i == 0 {
            check_bound_len("lower_upper", &self.lb, self.len)?;
            check_bound_len("lower_upper", &self.ub, self.len)?;
        }
        let (lb, ub) = (self.lb.at(i), self.ub.at(i));
        if lb.is_nan() || ub.is_nan() || lb == f64::INFINITY || ub == f64::NEG_INFINITY {
            return Err(TransformError::new(
                "lower_upper",
                i,
                if lb.is_nan() { lb } else { ub },
                "bounds that are not nan",
            ));
        }
        if ub <= lb {
            return Err(TransformError::new(
                "lower_upper",
                i,
                ub,
                format!("an upper bound greater than the lower bound {lb}"),
            ));
        }
        Ok((lb, ub))
    }

    /// Like [`Transform::constrain_vjp`], also adding the bounds' adjoints.
    pub fn constrain_vjp_bounds(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        mut lb_adj: Option<&mut [f64]>,
        mut ub_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        for i in 0..self.len {
            let (lb, ub) = self.bounds(i)?;
            let (a, ui) = (x_adj[i], u[i]);
            match (lb.is_finite(), ub.is_finite()) {
                (false, false) => u_adj[i] += a,
                (true, false) => {
                    u_adj[i] += a * ui.exp() + 1.0;
                    add(&mut lb_adj, i, a);
                }
                (false, true) => {
                    u_adj[i] += -a * ui.exp() + 1.0;
                    add(&mut ub_adj, i, a);
                }
                (true, true) => {
                    let s = inv_logit(ui);
                    let w = ub - lb;
                    u_adj[i] += a * w * s * (1.0 - s) + 1.0 - 2.0 * s;
                    add(&mut lb_adj, i, a * (1.0 - s) - 1.0 / w);
                    add(&mut ub_adj, i, a * s + 1.0 / w);
                }
            }
        }
        Ok(())
    }
}

impl Transform for LowerUpper<'_> {
    fn unconstrained_len(&self) -> usize {
        self.len
    }
    fn constrained_len(&self) -> usize {
        self.len
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let mut log_j = 0.0;
        for i in 0..self.len {
            let (lb, ub) = self.bounds(i)?;
            x[i] = match (lb.is_finite(), ub.is_finite()) {
                (false, false) => u[i],
                (true, false) => {
                    log_j += u[i];
                    lb + u[i].exp()
                }
                (false, true) => {
                    log_j += u[i];
                    ub - u[i].exp()
                }
                (true, true) => {
                    log_j += (ub - lb).ln() + log_inv_logit(u[i]) + log1m_inv_logit(u[i]);
                    // Clamp so rounding never puts x outside [lb, ub].
                    (lb + (ub - lb) * inv_logit(u[i])).clamp(lb, ub)
                }
            };
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_not_nan("lower_upper", x)?;
        for i in 0..self.len {
            let (lb, ub) = self.bounds(i)?;
            if !(x[i] > lb && x[i] < ub) {
                return Err(TransformError::new(
                    "lower_upper",
                    i,
                    x[i],
                    format!("in the open interval ({lb}, {ub})"),
                ));
            }
            u[i] = match (lb.is_finite(), ub.is_finite()) {
                (false, false) => x[i],
                (true, false) => (x[i] - lb).ln(),
                (false, true) => (ub - x[i]).ln(),
                (true, true) => {
                    let p = (x[i] - lb) / (ub - lb);
                    (p / (1.0 - p)).ln()
                }
            };
        }
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        self.constrain_vjp_bounds(u, x_adj, u_adj, None, None)
    }
}
