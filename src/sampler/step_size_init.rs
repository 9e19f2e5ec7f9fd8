//! Stan's initial step-size heuristic (`base_hmc::init_stepsize`): double or halve the step
//! size until one leapfrog step's acceptance probability crosses 0.8.

use super::evaluator::Evaluator;
use super::kernel::Position;
use super::leapfrog::{PhasePoint, leapfrog};
use super::metric::Metric;
use crate::rng::ChainRng;

/// The acceptance probability the heuristic aims to cross (Stan: `log(0.8)` threshold).
pub const HEURISTIC_ACCEPT: f64 = 0.8;
/// Step sizes above this mean the posterior is improper (Stan: 1e7).
pub const MAX_STEP_SIZE: f64 = 1e7;

/// Energy change `H0 − H` of one leapfrog step from `pos` with a fresh momentum.
fn one_step_delta_h(
    ev: &mut Evaluator<'_>,
    metric: &Metric,
    pos: &Position,
    eps: f64,
    rng: &mut ChainRng,
) -> Result<f64, String> {
    let mut z = PhasePoint::at(pos);
    z.refresh_momentum(metric, rng);
    let h0 = z.hamiltonian();
    leapfrog(ev, metric, &mut z, eps)?;
    Ok(h0 - z.hamiltonian())
}

/// Why the heuristic failed.
#[derive(Debug, Clone, PartialEq)]
pub enum StepSizeError {
    /// The model failed fatally.
    Fatal(String),
    /// No step size in range works.
    Search(String),
}

/// Runs the heuristic from step size `eps` at `pos` and returns the new step size.
pub fn initial_step_size(
    ev: &mut Evaluator<'_>,
    metric: &Metric,
    pos: &Position,
    mut eps: f64,
    rng: &mut ChainRng,
) -> Result<f64, StepSizeError> {
    if eps == 0.0 || eps > MAX_STEP_SIZE || eps.is_nan() {
        return Ok(eps);
    }
    let threshold = HEURISTIC_ACCEPT.ln();
    let dh = one_step_delta_h(ev, metric, pos, eps, rng).map_err(StepSizeError::Fatal)?;
    let up = dh > threshold;
    loop {
        let dh = one_step_delta_h(ev, metric, pos, eps, rng).map_err(StepSizeError::Fatal)?;
        // NaN energy changes count as crossing in either direction, as in Stan.
        let keeps_going = if up { dh > threshold } else { dh < threshold };
        if !keeps_going {
            return Ok(eps);
        }
        eps = if up { 2.0 * eps } else { 0.5 * eps };
        if eps > MAX_STEP_SIZE {
            return Err(StepSizeError::Search(
                "the step size grew beyond 1e7 while searching for an initial step size: \
                 the posterior may be improper (check the model)"
                    .into(),
            ));
        }
        if eps == 0.0 {
            return Err(StepSizeError::Search(
                "no acceptably small step size could be found: the log density or its \
                 gradient may be wrong, or the initial point is in a region of zero density"
                    .into(),
            ));
        }
    }
}
