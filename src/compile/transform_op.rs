//! Simplex, unit-vector and matrix constraints through `crate::transform`: each array element's
//! transform becomes one tape kernel whose output is the constrained value followed by its
//! log |Jacobian|, with the transform's own vector-Jacobian product as adjoint.

use super::params::Con;
use crate::ad::Kernel;
use crate::transform::{
    CholeskyCorr, CholeskyCov, CorrMatrix, CovMatrix, Simplex, Transform, UnitVector,
};

/// The transform of one base value (vector or matrix of `base` sizes) under `con`, if it
/// is one of the transforms handled here.
pub fn transform_of(con: &Con, base: &[usize]) -> Option<Box<dyn Transform + Send + Sync>> {
    let last = *base.last().unwrap_or(&1);
    Some(match con {
        Con::Simplex => Box::new(Simplex { k: last }),
        Con::UnitVector => Box::new(UnitVector { k: last }),
        Con::CholeskyCorr => Box::new(CholeskyCorr { k: last }),
        Con::CholeskyCov => Box::new(CholeskyCov {
            m: base.first().copied().unwrap_or(0),
            n: last,
        }),
        Con::CorrMatrix => Box::new(CorrMatrix { k: last }),
        Con::CovMatrix => Box::new(CovMatrix { k: last }),
        _ => return None,
    })
}

/// One transform as a tape kernel: input `u`, output `[x, log |J|]`.
pub struct TransformKernel {
    pub name: &'static str,
    pub t: Box<dyn Transform + Send + Sync>,
}

impl Kernel for TransformKernel {
    fn name(&self) -> &str {
        self.name
    }

    fn eval(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), String> {
        let n = self.t.constrained_len();
        let lj = self
            .t
            .constrain(inputs[0], &mut out[..n])
            .map_err(|e| e.to_string())?;
        out[n] = lj;
        Ok(())
    }

    fn vjp(&self, inputs: &[&[f64]], _out: &[f64], out_adj: &[f64], input_adj: &mut [&mut [f64]]) {
        let n = self.t.constrained_len();
        let Some(u_adj) = input_adj.first_mut() else {
            return;
        };
        if u_adj.is_empty() {
            return;
        }
        let c = out_adj[n];
        // constrain_vjp adds Jᵀ x̄ + ∇ log|J|; the log |J| output's adjoint is `c`, which is
        // 1 whenever it was added to the target (the usual case, no extra work).
        if c == 1.0 {
            let _ = self.t.constrain_vjp(inputs[0], &out_adj[..n], u_adj);
        } else {
            let m = u_adj.len();
            let mut with = vec![0.0; m];
            let mut only = vec![0.0; m];
            let zeros = vec![0.0; n];
            let _ = self.t.constrain_vjp(inputs[0], &out_adj[..n], &mut with);
            let _ = self.t.constrain_vjp(inputs[0], &zeros, &mut only);
            for ((a, w), o) in u_adj.iter_mut().zip(&with).zip(&only) {
                *a += w + (c - 1.0) * o;
            }
        }
    }
}
