//! The affine transform `x = offset + multiplier * u`, log |J| = log(multiplier) per
//! element (Stan reference manual, "Affinely transformed real").

use super::{Transform, TransformError, check_bound_len, check_not_nan};
use crate::dist::Arg;

/// `real<offset=o, multiplier=m>` (elementwise over a container of `len` values).
#[derive(Debug, Clone, Copy)]
pub struct OffsetMultiplier<'a> {
    /// Offset: one value or one per element.
    pub offset: Arg<'a>,
    /// Multiplier (positive finite): one value or one per element.
    pub multiplier: Arg<'a>,
    /// Number of elements.
    pub len: usize,
}

impl OffsetMultiplier<'_> {
    fn params(&self, i: usize) -> Result<(f64, f64), TransformError> {
        if i == 0 {
            check_bound_len("offset_multiplier", &self.offset, self.len)?;
            check_bound_len("offset_multiplier", &self.multiplier, self.len)?;
        }
        let (o, m) = (self.offset.at(i), self.multiplier.at(i));
        if !o.is_finite() {
            return Err(TransformError::new(
                "offset_multiplier",
                i,
                o,
                "a finite offset",
            ));
        }
        if !(m > 0.0 && m.is_finite()) {
            return Err(TransformError::new(
                "offset_multiplier",
                i,
                m,
                "a positive finite multiplier",
            ));
        }
        Ok((o, m))
    }

    /// Like [`Transform::constrain_vjp`], also adding the offset's and multiplier's adjoints.
    pub fn constrain_vjp_bounds(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
        mut offset_adj: Option<&mut [f64]>,
        mut multiplier_adj: Option<&mut [f64]>,
    ) -> Result<(), TransformError> {
        for i in 0..self.len {
            let (_, m) = self.params(i)?;
            u_adj[i] += x_adj[i] * m;
            if let Some(b) = offset_adj.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += x_adj[i];
            }
            if let Some(b) = multiplier_adj.as_deref_mut() {
                b[if b.len() == 1 { 0 } else { i }] += x_adj[i] * u[i] + 1.0 / m;
            }
        }
        Ok(())
    }
}

impl Transform for OffsetMultiplier<'_> {
    fn unconstrained_len(&self) -> usize {
        self.len
    }
    fn constrained_len(&self) -> usize {
        self.len
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let mut log_j = 0.0;
        for i in 0..self.len {
            let (o, m) = self.params(i)?;
            x[i] = o + m * u[i];
            log_j += m.ln();
        }
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_not_nan("offset_multiplier", x)?;
        for i in 0..self.len {
            let (o, m) = self.params(i)?;
            u[i] = (x[i] - o) / m;
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
