//! The stick-breaking simplex transform (Stan reference manual up to 2.35, "Unit simplex";
//! Stan 2.36 switched to an isometric log-ratio map, equally correct in distribution — the
//! stick-breaking form is kept for fidelity with existing reference posteriors' inits).
//!
//! For k = 0..K-2: z_k = inv_logit(u_k − log(K−1−k)), x_k = s_k z_k, s_{k+1} = s_k − x_k,
//! with s_0 = 1 and x_{K−1} = s_{K−1}. The offset makes u = 0 the uniform simplex.
//! log |J| = Σ_k [log s_k + log z_k + log(1 − z_k)], the Jacobian of u ↦ x_{0..K−2}.

use super::{CONSTRAINT_TOLERANCE, Transform, TransformError, check_not_nan};
use crate::dist::special::{inv_logit, log_inv_logit, log1m_inv_logit};

/// `simplex[K]`.
#[derive(Debug, Clone, Copy)]
pub struct Simplex {
    /// K, the number of constrained values (at least 1).
    pub k: usize,
}

impl Simplex {
    fn check_size(&self) -> Result<(), TransformError> {
        if self.k == 0 {
            Err(TransformError::new(
                "simplex",
                0,
                0.0,
                "a simplex of at least one element",
            ))
        } else {
            Ok(())
        }
    }

    fn offset(&self, i: usize) -> f64 {
        ((self.k - 1 - i) as f64).ln()
    }
}

impl Transform for Simplex {
    fn unconstrained_len(&self) -> usize {
        self.k.saturating_sub(1)
    }
    fn constrained_len(&self) -> usize {
        self.k
    }
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError> {
        self.check_size()?;
        let mut stick = 1.0;
        let mut log_j = 0.0;
        for i in 0..self.k - 1 {
            let a = u[i] - self.offset(i);
            x[i] = stick * inv_logit(a);
            log_j += stick.ln() + log_inv_logit(a) + log1m_inv_logit(a);
            stick -= x[i];
        }
        x[self.k - 1] = stick.max(0.0);
        Ok(log_j)
    }
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError> {
        self.check_size()?;
        check_not_nan("simplex", x)?;
        if let Some(i) = x.iter().position(|v| *v < 0.0) {
            return Err(TransformError::new("simplex", i, x[i], "nonnegative"));
        }
        let sum: f64 = x.iter().sum();
        if (sum - 1.0).abs() > CONSTRAINT_TOLERANCE {
            return Err(TransformError::new(
                "simplex",
                self.k - 1,
                sum,
                "part of a vector summing to 1 (got this sum)",
            ));
        }
        let mut stick = 1.0;
        for i in 0..self.k - 1 {
            let z = x[i] / stick;
            u[i] = (z / (1.0 - z)).ln() + self.offset(i);
            stick -= x[i];
        }
        Ok(())
    }
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError> {
        self.check_size()?;
        let m = self.k - 1;
        // Forward pass, keeping each stick length and break fraction.
        let mut sticks = Vec::with_capacity(m);
        let mut zs = Vec::with_capacity(m);
        let mut stick = 1.0;
        for (i, ui) in u.iter().enumerate().take(m) {
            let z = inv_logit(ui - self.offset(i));
            sticks.push(stick);
            zs.push(z);
            stick -= stick * z;
        }
        // Reverse pass: s_bar is the adjoint of the stick length after break i.
        let mut s_bar = x_adj[m];
        for i in (0..m).rev() {
            let (s, z) = (sticks[i], zs[i]);
            let z_bar = x_adj[i] * s - s_bar * s;
            u_adj[i] += z_bar * z * (1.0 - z) + 1.0 - 2.0 * z;
            s_bar = x_adj[i] * z + 1.0 / s + s_bar * (1.0 - z);
        }
        Ok(())
    }
}
