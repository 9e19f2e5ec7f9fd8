//! The No-U-Turn sampler as Stan (≥ 2.21) runs it: trajectories doubled in a random
//! direction, multinomial sampling (biased progressive at the top level, uniform
//! progressive inside subtrees), and the generalized U-turn criterion checked across the
//! whole trajectory and across each pair of merged subtrees.

use rand::RngExt;

use super::config::DEFAULT_MAX_DEPTH;
use super::evaluator::Evaluator;
use super::kernel::{Position, TransitionInfo};
use super::leapfrog::{PhasePoint, leapfrog};
use super::metric::Metric;
use super::uturn::{no_uturn, no_uturn_sum};
use crate::rng::ChainRng;

/// A transition is divergent when the energy error exceeds this (Stan reference manual,
/// divergent transitions: `max_deltaH = 1000`), or is NaN.
pub const MAX_DELTA_H: f64 = 1000.0;

/// NUTS with a maximum tree depth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nuts {
    /// At most `2^max_depth − 1` leapfrog steps per transition.
    pub max_depth: u32,
}

impl Default for Nuts {
    fn default() -> Self {
        Nuts {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// A candidate draw: a point on the trajectory and its Hamiltonian.
#[derive(Debug, Clone)]
struct Proposal {
    q: Vec<f64>,
    grad: Vec<f64>,
    lp: f64,
    energy: f64,
}

impl Proposal {
    fn of(z: &PhasePoint, energy: f64) -> Self {
        Proposal {
            q: z.q.clone(),
            grad: z.grad.clone(),
            lp: z.lp,
            energy,
        }
    }

    fn copy_from(&mut self, other: &Proposal) {
        self.q.copy_from_slice(&other.q);
        self.grad.copy_from_slice(&other.grad);
        self.lp = other.lp;
        self.energy = other.energy;
    }

    fn set(&mut self, z: &PhasePoint, energy: f64) {
        self.q.copy_from_slice(&z.q);
        self.grad.copy_from_slice(&z.grad);
        self.lp = z.lp;
        self.energy = energy;
    }
}

/// `log(exp(a) + exp(b))`, exact when either is `-inf`.
fn log_sum_exp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let m = a.max(b);
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The momenta at the two ends of a subtree and its summed momentum.
struct Ends<'a> {
    v_beg: &'a mut [f64],
    v_end: &'a mut [f64],
    p_beg: &'a mut [f64],
    p_end: &'a mut [f64],
    rho: &'a mut [f64],
}

/// State shared by one transition's recursion, with a pool of spare vectors so that
/// building a tree allocates only while the pool grows.
struct Tree<'e, 'a> {
    ev: &'e mut Evaluator<'a>,
    metric: &'e Metric,
    rng: &'e mut ChainRng,
    eps: f64,
    h0: f64,
    n_leapfrog: u32,
    sum_metro_prob: f64,
    divergent: bool,
    pool: Vec<Vec<f64>>,
}

/// Scratch vectors of an internal node: the inner ends of its two halves and their sums.
struct Halves {
    p_init_end: Vec<f64>,
    v_init_end: Vec<f64>,
    rho_init: Vec<f64>,
    p_final_beg: Vec<f64>,
    v_final_beg: Vec<f64>,
    rho_final: Vec<f64>,
}

impl Tree<'_, '_> {
    /// A zeroed vector of length `d` from the pool.
    fn take(&mut self, d: usize) -> Vec<f64> {
        match self.pool.pop() {
            Some(mut v) => {
                v.fill(0.0);
                v
            }
            None => vec![0.0; d],
        }
    }

    /// Extends the trajectory from `z` by `2^depth` steps of `sign · eps`. Returns whether
    /// the subtree is valid (no divergence, no U-turn inside it); `propose` receives the
    /// subtree's draw, `ends` its boundary momenta, `log_sum_weight` its weight.
    fn build(
        &mut self,
        z: &mut PhasePoint,
        depth: u32,
        sign: f64,
        propose: &mut Proposal,
        ends: Ends<'_>,
        log_sum_weight: &mut f64,
    ) -> Result<bool, String> {
        if depth == 0 {
            return self.leaf(z, sign, propose, ends, log_sum_weight);
        }
        let d = z.q.len();
        let mut h = Halves {
            p_init_end: self.take(d),
            v_init_end: self.take(d),
            rho_init: self.take(d),
            p_final_beg: self.take(d),
            v_final_beg: self.take(d),
            rho_final: self.take(d),
        };
        let mut propose_final = Proposal {
            q: self.take(d),
            grad: self.take(d),
            lp: f64::NEG_INFINITY,
            energy: f64::INFINITY,
        };
        let res = self.merge(
            z,
            depth,
            sign,
            propose,
            &mut propose_final,
            ends,
            &mut h,
            log_sum_weight,
        );
        self.pool.extend([
            h.p_init_end,
            h.v_init_end,
            h.rho_init,
            h.p_final_beg,
            h.v_final_beg,
            h.rho_final,
            propose_final.q,
            propose_final.grad,
        ]);
        res
    }

    /// One leapfrog step: the base case of the recursion.
    fn leaf(
        &mut self,
        z: &mut PhasePoint,
        sign: f64,
        propose: &mut Proposal,
        ends: Ends<'_>,
        log_sum_weight: &mut f64,
    ) -> Result<bool, String> {
        leapfrog(self.ev, self.metric, z, sign * self.eps)?;
        self.n_leapfrog += 1;
        let h = z.hamiltonian();
        if h - self.h0 > MAX_DELTA_H {
            self.divergent = true;
        }
        *log_sum_weight = log_sum_exp(*log_sum_weight, self.h0 - h);
        self.sum_metro_prob += if self.h0 - h > 0.0 {
            1.0
        } else {
            (self.h0 - h).exp()
        };
        propose.set(z, h);
        ends.v_beg.copy_from_slice(&z.v);
        ends.v_end.copy_from_slice(&z.v);
        for (r, p) in ends.rho.iter_mut().zip(&z.p) {
            *r += p;
        }
        ends.p_beg.copy_from_slice(&z.p);
        ends.p_end.copy_from_slice(&z.p);
        Ok(!self.divergent)
    }

    /// Builds two halves of depth `depth − 1`, samples between them uniformly and checks
    /// the U-turn criterion over the merged subtree and across its halves.
    #[allow(clippy::too_many_arguments)]
    fn merge(
        &mut self,
        z: &mut PhasePoint,
        depth: u32,
        sign: f64,
        propose: &mut Proposal,
        propose_final: &mut Proposal,
        ends: Ends<'_>,
        h: &mut Halves,
        log_sum_weight: &mut f64,
    ) -> Result<bool, String> {
        let mut lsw_init = f64::NEG_INFINITY;
        let valid_init = self.build(
            z,
            depth - 1,
            sign,
            propose,
            Ends {
                v_beg: &mut *ends.v_beg,
                v_end: &mut h.v_init_end,
                p_beg: &mut *ends.p_beg,
                p_end: &mut h.p_init_end,
                rho: &mut h.rho_init,
            },
            &mut lsw_init,
        )?;
        if !valid_init {
            return Ok(false);
        }
        let mut lsw_final = f64::NEG_INFINITY;
        let valid_final = self.build(
            z,
            depth - 1,
            sign,
            propose_final,
            Ends {
                v_beg: &mut h.v_final_beg,
                v_end: &mut *ends.v_end,
                p_beg: &mut h.p_final_beg,
                p_end: &mut *ends.p_end,
                rho: &mut h.rho_final,
            },
            &mut lsw_final,
        )?;
        if !valid_final {
            return Ok(false);
        }
        // Uniform progressive sampling between the two halves.
        let lsw_subtree = log_sum_exp(lsw_init, lsw_final);
        *log_sum_weight = log_sum_exp(*log_sum_weight, lsw_subtree);
        if lsw_final > lsw_subtree || self.rng.random::<f64>() < (lsw_final - lsw_subtree).exp() {
            std::mem::swap(propose, propose_final);
        }
        let mut persist = no_uturn_sum(ends.v_beg, ends.v_end, &h.rho_init, &h.rho_final);
        persist &= no_uturn_sum(ends.v_beg, &h.v_final_beg, &h.rho_init, &h.p_final_beg);
        persist &= no_uturn_sum(&h.v_init_end, ends.v_end, &h.rho_final, &h.p_init_end);
        for ((r, a), b) in ends.rho.iter_mut().zip(&h.rho_init).zip(&h.rho_final) {
            *r += a + b;
        }
        Ok(persist)
    }
}

impl Nuts {
    /// One NUTS transition from `start` with step size `eps`.
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
        let d = z.q.len();

        let mut fwd = z.clone();
        let mut bck = z.clone();
        let mut sample = Proposal::of(&z, h0);
        let mut propose = sample.clone();

        // Momenta and velocities at the ends of the forward and backward parts.
        let (mut p_fwd_fwd, mut p_fwd_bck) = (z.p.clone(), z.p.clone());
        let (mut p_bck_fwd, mut p_bck_bck) = (z.p.clone(), z.p.clone());
        let (mut v_fwd_fwd, mut v_fwd_bck) = (z.v.clone(), z.v.clone());
        let (mut v_bck_fwd, mut v_bck_bck) = (z.v.clone(), z.v.clone());
        let mut rho = z.p.clone();
        let mut log_sum_weight = 0.0;

        let mut tree = Tree {
            ev,
            metric,
            rng,
            eps,
            h0,
            n_leapfrog: 0,
            sum_metro_prob: 0.0,
            divergent: false,
            pool: Vec::new(),
        };
        let mut depth = 0;
        let (mut rho_fwd, mut rho_bck) = (vec![0.0; d], vec![0.0; d]);
        while depth < self.max_depth {
            rho_fwd.fill(0.0);
            rho_bck.fill(0.0);
            let mut lsw_subtree = f64::NEG_INFINITY;
            let valid = if tree.rng.random::<f64>() > 0.5 {
                // Extend forward: the existing trajectory becomes the backward part.
                rho_bck.copy_from_slice(&rho);
                p_bck_fwd.copy_from_slice(&p_fwd_fwd);
                v_bck_fwd.copy_from_slice(&v_fwd_fwd);
                tree.build(
                    &mut fwd,
                    depth,
                    1.0,
                    &mut propose,
                    Ends {
                        v_beg: &mut v_fwd_bck,
                        v_end: &mut v_fwd_fwd,
                        p_beg: &mut p_fwd_bck,
                        p_end: &mut p_fwd_fwd,
                        rho: &mut rho_fwd,
                    },
                    &mut lsw_subtree,
                )?
            } else {
                // Extend backward: the existing trajectory becomes the forward part.
                rho_fwd.copy_from_slice(&rho);
                p_fwd_bck.copy_from_slice(&p_bck_bck);
                v_fwd_bck.copy_from_slice(&v_bck_bck);
                tree.build(
                    &mut bck,
                    depth,
                    -1.0,
                    &mut propose,
                    Ends {
                        v_beg: &mut v_bck_fwd,
                        v_end: &mut v_bck_bck,
                        p_beg: &mut p_bck_fwd,
                        p_end: &mut p_bck_bck,
                        rho: &mut rho_bck,
                    },
                    &mut lsw_subtree,
                )?
            };
            if !valid {
                break;
            }
            depth += 1;
            // Biased progressive sampling: favour the new subtree.
            if lsw_subtree > log_sum_weight
                || tree.rng.random::<f64>() < (lsw_subtree - log_sum_weight).exp()
            {
                sample.copy_from(&propose);
            }
            log_sum_weight = log_sum_exp(log_sum_weight, lsw_subtree);
            for ((r, b), f) in rho.iter_mut().zip(&rho_bck).zip(&rho_fwd) {
                *r = b + f;
            }
            let mut persist = no_uturn(&v_bck_bck, &v_fwd_fwd, &rho);
            persist &= no_uturn_sum(&v_bck_bck, &v_fwd_bck, &rho_bck, &p_fwd_bck);
            persist &= no_uturn_sum(&v_bck_fwd, &v_fwd_fwd, &rho_fwd, &p_bck_fwd);
            if !persist {
                break;
            }
        }
        let info = TransitionInfo {
            accept_stat: if tree.n_leapfrog > 0 {
                tree.sum_metro_prob / tree.n_leapfrog as f64
            } else {
                0.0
            },
            step_size: eps,
            depth,
            n_leapfrog: tree.n_leapfrog,
            divergent: tree.divergent,
            energy: sample.energy,
        };
        let pos = Position {
            q: sample.q,
            grad: sample.grad,
            lp: sample.lp,
        };
        Ok((pos, info))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EvalError, LogDensity};
    use crate::rng::chain_rng;

    struct StdNormal(usize);
    impl LogDensity for StdNormal {
        fn dim(&self) -> usize {
            self.0
        }
        fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
            for (gi, xi) in g.iter_mut().zip(x) {
                *gi = -xi;
            }
            Ok(-0.5 * x.iter().map(|v| v * v).sum::<f64>())
        }
    }

    #[test]
    fn log_sum_exp_handles_infinities() {
        assert_eq!(
            log_sum_exp(f64::NEG_INFINITY, f64::NEG_INFINITY),
            f64::NEG_INFINITY
        );
        assert_eq!(log_sum_exp(f64::NEG_INFINITY, 1.0), 1.0);
        assert!((log_sum_exp(0.0, 0.0) - 2f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn transitions_respect_max_depth_and_count_steps() {
        let target = StdNormal(3);
        let mut ev = Evaluator::new(&target);
        let metric = Metric::unit_diag(3);
        let mut rng = chain_rng(3, 0);
        let start = Position {
            q: vec![0.5, -0.2, 1.0],
            grad: vec![-0.5, 0.2, -1.0],
            lp: -0.5 * (0.25 + 0.04 + 1.0),
        };
        let nuts = Nuts { max_depth: 2 };
        // A tiny step never U-turns, so the tree reaches max depth: 1 + 2 = 3 steps.
        let (_, info) = nuts
            .transition(&mut ev, &metric, 1e-3, &start, &mut rng)
            .unwrap();
        assert_eq!((info.depth, info.n_leapfrog), (2, 3));
        assert_eq!(ev.evals(), 3);
        assert!(info.accept_stat > 0.99 && !info.divergent);
        // A huge step diverges at once.
        let (pos, info) = nuts
            .transition(&mut ev, &metric, 1e3, &start, &mut rng)
            .unwrap();
        assert!(info.divergent);
        assert_eq!((info.depth, info.n_leapfrog), (0, 1));
        assert_eq!(pos, start);
    }
}
