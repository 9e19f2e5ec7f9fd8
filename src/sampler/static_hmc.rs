//! Static HMC: a fixed integration time, one Metropolis accept/reject at the end
//! (Stan's `base_static_hmc`).

use rand::RngExt;

use super::evaluator::Evaluator;
use super::kernel::{Position, TransitionInfo};
use super::leapfrog::{PhasePoint, leapfrog};
use super::metric::Metric;
use super::nuts::MAX_DELTA_H;
use crate::rng::ChainRng;

/// Static HMC with integration time `integration_time`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaticHmc {
    /// The trajectory length in time units.
    pub integration_time: f64,
}

impl StaticHmc {
    /// Leapfrog steps for step size `eps`: `max(1, floor(time / eps))`, as Stan computes it.
    pub fn steps(&self, eps: f64) -> u32 {
        let l = self.integration_time / eps;
        if l > 1.0 {
            l.min(u32::MAX as f64) as u32
        } else {
            1
        }
    }

    /// One transition from `start` with step size `eps`.
    pub fn transition(
        &self,
        ev: &mut Evaluator<'_>,
        metric: &Metric,
        eps: f64,
        start: &Position,
        rng: &mut ChainRng,
    ) -> Result<(Position, TransitionInfo), String> {
        let mut z = PhasePoint::at(start);
        z.refresh_momentum(metric, rng);
        let h0 = z.hamiltonian();
        let steps = self.steps(eps);
        let mut n_leapfrog = 0;
        let mut h = h0;
        for _ in 0..steps {
            leapfrog(ev, metric, &mut z, eps)?;
            n_leapfrog += 1;
            h = z.hamiltonian();
            if !h.is_finite() {
                // Zero density: the proposal is rejected whatever follows.
                break;
            }
        }
        let accept = (h0 - h).exp().min(1.0);
        let divergent = h - h0 > MAX_DELTA_H;
        let (pos, energy) = if rng.random::<f64>() < accept {
            (z.position(), h)
        } else {
            (start.clone(), h0)
        };
        let info = TransitionInfo {
            accept_stat: accept,
            step_size: eps,
            depth: 0,
            n_leapfrog,
            divergent,
            energy,
        };
        Ok((pos, info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_stan() {
        let k = StaticHmc {
            integration_time: 1.0,
        };
        assert_eq!(k.steps(0.3), 3);
        assert_eq!(k.steps(2.0), 1);
    }
}
