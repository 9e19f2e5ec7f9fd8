//! The leapfrog (Störmer–Verlet) integrator for a separable Hamiltonian
//! `H(q, p) = −log π(q) + ½ pᵀ M⁻¹ p`.

use super::evaluator::Evaluator;
use super::kernel::Position;
use super::metric::{Metric, kinetic_energy};

/// A point in phase space with its log density, gradient and velocity `M⁻¹p`.
#[derive(Debug, Clone, PartialEq)]
pub struct PhasePoint {
    /// Position.
    pub q: Vec<f64>,
    /// Momentum.
    pub p: Vec<f64>,
    /// Velocity `M⁻¹p` at the current momentum.
    pub v: Vec<f64>,
    /// Gradient of the log density at `q`.
    pub grad: Vec<f64>,
    /// Log density at `q` (`-inf` outside the support or after a failed evaluation).
    pub lp: f64,
}

impl PhasePoint {
    /// A point at `pos` with zero momentum.
    pub fn at(pos: &Position) -> Self {
        let d = pos.q.len();
        PhasePoint {
            q: pos.q.clone(),
            p: vec![0.0; d],
            v: vec![0.0; d],
            grad: pos.grad.clone(),
            lp: pos.lp,
        }
    }

    /// Draws a fresh momentum from the metric and updates the velocity.
    pub fn refresh_momentum(&mut self, metric: &Metric, rng: &mut crate::rng::ChainRng) {
        metric.sample_momentum(rng, &mut self.p);
        metric.velocity(&self.p, &mut self.v);
    }

    /// The Hamiltonian; NaN is reported as `+inf` (Stan treats both as divergent).
    pub fn hamiltonian(&self) -> f64 {
        let h = -self.lp + kinetic_energy(&self.p, &self.v);
        if h.is_nan() { f64::INFINITY } else { h }
    }

    /// The position part.
    pub fn position(&self) -> Position {
        Position {
            q: self.q.clone(),
            grad: self.grad.clone(),
            lp: self.lp,
        }
    }
}

/// One leapfrog step of size `eps` (negative to integrate backwards): half momentum step,
/// full position step, gradient, half momentum step. Leaves `z.v` at the final momentum.
/// `Err` carries a fatal evaluation message.
pub fn leapfrog(
    ev: &mut Evaluator<'_>,
    metric: &Metric,
    z: &mut PhasePoint,
    eps: f64,
) -> Result<(), String> {
    let half = 0.5 * eps;
    for (p, g) in z.p.iter_mut().zip(&z.grad) {
        *p += half * g;
    }
    metric.velocity(&z.p, &mut z.v);
    for (q, v) in z.q.iter_mut().zip(&z.v) {
        *q += eps * v;
    }
    z.lp = ev.log_density(&z.q, &mut z.grad)?;
    for (p, g) in z.p.iter_mut().zip(&z.grad) {
        *p += half * g;
    }
    metric.velocity(&z.p, &mut z.v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvalError, LogDensity};

    struct StdNormal;
    impl LogDensity for StdNormal {
        fn dim(&self) -> usize {
            1
        }
        fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
            g[0] = -x[0];
            Ok(-0.5 * x[0] * x[0])
        }
    }

    #[test]
    fn leapfrog_is_reversible_and_nearly_conserves_energy() {
        let mut ev = Evaluator::new(&StdNormal);
        let metric = Metric::unit_diag(1);
        let mut z = PhasePoint {
            q: vec![1.0],
            p: vec![0.5],
            v: vec![0.5],
            grad: vec![-1.0],
            lp: -0.5,
        };
        let h0 = z.hamiltonian();
        for _ in 0..10 {
            leapfrog(&mut ev, &metric, &mut z, 0.1).unwrap();
        }
        assert!((z.hamiltonian() - h0).abs() < 1e-3);
        for _ in 0..10 {
            leapfrog(&mut ev, &metric, &mut z, -0.1).unwrap();
        }
        assert!((z.q[0] - 1.0).abs() < 1e-12 && (z.p[0] - 0.5).abs() < 1e-12);
        assert_eq!(ev.evals(), 20);
    }
}
