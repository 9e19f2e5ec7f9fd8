//! One chain's access to the log density: counts gradient evaluations and turns
//! recoverable failures into zero density.

use crate::model::{EvalError, LogDensity};

/// Evaluates a density for one chain, counting gradient evaluations.
pub struct Evaluator<'a> {
    density: &'a dyn LogDensity,
    evals: u64,
}

impl<'a> Evaluator<'a> {
    /// Wraps `density`.
    pub fn new(density: &'a dyn LogDensity) -> Self {
        Evaluator { density, evals: 0 }
    }

    /// The unconstrained dimension.
    pub fn dim(&self) -> usize {
        self.density.dim()
    }

    /// Gradient evaluations so far.
    pub fn evals(&self) -> u64 {
        self.evals
    }

    /// The raw result at `q`, with the gradient written into `grad`.
    pub fn raw(&mut self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        self.evals += 1;
        self.density.log_density_and_gradient(q, grad)
    }

    /// The log density at `q` (gradient into `grad`), `-inf` when the density or gradient is
    /// not finite or the evaluation failed recoverably. `Err` carries a fatal message.
    pub fn log_density(&mut self, q: &[f64], grad: &mut [f64]) -> Result<f64, String> {
        match self.raw(q, grad) {
            Ok(lp) if lp.is_finite() && grad.iter().all(|g| g.is_finite()) => Ok(lp),
            Ok(_) | Err(EvalError::Recoverable(_)) => Ok(f64::NEG_INFINITY),
            Err(EvalError::Fatal(msg)) => Err(msg),
        }
    }
}
