//! The unit-vector transform x = u / |u| with the "Jacobian" term −|u|²/2, which puts a
//! standard normal on u so its radius is identified (Stan reference manual, "Unit vector").
//! The map is not a bijection, so log |J| here is that density term.

use super::{CONSTRAINT_TOLERANCE, Transform, TransformError, check_not_nan};

/// `unit_vector[K]`.
#[derive(Debug, Clone, Copy)]
pub struct UnitVector {
    /// K, the vector length.
    pub k: usize,
}

fn norm(u: &[f64]) -> Result<f64, TransformError> {
    let r = u.iter().map(|v| v * v).sum::<f64>().sqrt();
    if r > 0.0 && r.is_finite() {
        Ok(r)
    } else {
        Err(TransformError::new(
            "unit_vector",
            0,
            r,
            "an unconstrained vector of positive finite norm",
        ))
    }
}

impl Transform for UnitVector {
    fn unconstrained_len(&self) -> usize {
        self.k
    }
    fn constrained_len(&self) -> usize {
        self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        let r = norm(&u[..self.k])?;
        for i in 0..self.k {
            x[i] = u[i] / r;
        }
        Ok(-0.5 * r * r)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        check_not_nan("unit_vector", x)?;
        let sq: f64 = x.iter().map(|v| v * v).sum();
        if (sq - 1.0).abs() > CONSTRAINT_TOLERANCE {
            return Err(TransformError::new(
                "unit_vector",
                0,
                sq.sqrt(),
                "part of a vector of norm 1 (got this norm)",
            ));
        }
        u[..self.k].copy_from_slice(&x[..self.k]);
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        let r = norm(&u[..self.k])?;
        let dot: f64 = (0..self.k).map(|i| u[i] / r * x_adj[i]).sum();
        for i in 0..self.k {
            u_adj[i] += (x_adj[i] - u[i] / r * dot) / r - u[i];
        }
        Ok(())
    }
}
