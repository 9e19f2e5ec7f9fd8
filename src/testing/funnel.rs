//! Neal's funnel, centered: `y ~ N(0, 3)`, `x_i ~ N(0, exp(y/2))`, a target whose neck
//! makes NUTS diverge.

use crate::model::{EvalError, LogDensity, Model};
use crate::rng::ChainRng;

/// Neal's funnel of dimension `dim` (one `y`, `dim − 1` x's).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Funnel {
    /// Total dimension (the issue uses 10).
    pub dim: usize,
}

impl Default for Funnel {
    fn default() -> Self {
        Funnel { dim: 10 }
    }
}

impl LogDensity for Funnel {
    fn dim(&self) -> usize {
        self.dim
    }
    fn log_density_and_gradient(&self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let y = q[0];
        let n = (self.dim - 1) as f64;
        let inv_var = (-y).exp();
        let sum_sq: f64 = q[1..].iter().map(|x| x * x).sum();
        let lp = -y * y / 18.0 - 0.5 * sum_sq * inv_var - 0.5 * n * y;
        grad[0] = -y / 9.0 + 0.5 * sum_sq * inv_var - 0.5 * n;
        for (g, x) in grad[1..].iter_mut().zip(&q[1..]) {
            *g = -x * inv_var;
        }
        Ok(lp)
    }
}

impl Model for Funnel {
    fn output_names(&self) -> Vec<String> {
        std::iter::once("y".to_string())
            .chain((1..self.dim).map(|i| format!("x.{i}")))
            .collect()
    }
    fn write_output(
        &self,
        q: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.extend_from_slice(q);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::finite_diff::{gradient_error, test_point};

    #[test]
    fn gradient_matches_finite_differences() {
        let f = Funnel::default();
        assert!(gradient_error(&f, &test_point(10, 1.5), 1e-6).unwrap() < 1e-5);
        assert_eq!(f.output_names()[1], "x.1");
    }
}
