//! What a transition is: a step from a [`Position`] to a new one plus [`TransitionInfo`],
//! by NUTS or static HMC.

use super::evaluator::Evaluator;
use super::metric::Metric;
use super::nuts::Nuts;
use super::static_hmc::StaticHmc;
use crate::rng::ChainRng;

/// A chain's state between transitions: position, log density and its gradient.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Unconstrained coordinates.
    pub q: Vec<f64>,
    /// Gradient of the log density at `q`.
    pub grad: Vec<f64>,
    /// Log density at `q`.
    pub lp: f64,
}

/// What a transition reports (Stan's sampler columns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransitionInfo {
    /// Mean Metropolis acceptance probability over the trajectory (`accept_stat__`).
    pub accept_stat: f64,
    /// Step size used (`stepsize__`).
    pub step_size: f64,
    /// Tree depth reached (`treedepth__`; 0 for static HMC).
    pub depth: u32,
    /// Leapfrog steps taken (`n_leapfrog__`).
    pub n_leapfrog: u32,
    /// Whether the trajectory diverged (`divergent__`).
    pub divergent: bool,
    /// Hamiltonian at the new point (`energy__`).
    pub energy: f64,
}

/// A transition kernel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kernel {
    /// NUTS.
    Nuts(Nuts),
    /// Static HMC.
    Static(StaticHmc),
}

impl Kernel {
    /// One transition from `start` with step size `eps`. `Err` carries a fatal message.
    pub fn transition(
        &self,
        ev: &mut Evaluator<'_>,
        metric: &Metric,
        eps: f64,
        start: &Position,
        rng: &mut ChainRng,
    ) -> Result<(Position, TransitionInfo), String> {
        match self {
            Kernel::Nuts(k) => k.transition(ev, metric, eps, start, rng),
            Kernel::Static(k) => k.transition(ev, metric, eps, start, rng),
        }
    }
}
