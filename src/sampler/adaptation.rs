//! Warmup: observes transitions and adapts the step size (dual averaging) and the metric
//! (windowed Welford estimates, regularised), as Stan's `adapt_diag_e_nuts` and
//! `adapt_dense_e_nuts` do.

use super::config::MetricKind;
use super::dual_averaging::DualAveraging;
use super::kernel::TransitionInfo;
use super::metric::Metric;
use super::welford::{WelfordCov, WelfordVar};
use super::windows::WindowSchedule;

/// Stan's regularisation: the estimate is shrunk toward `REGULARIZATION_TARGET · I` with
/// weight `REGULARIZATION_PSEUDO_COUNT / (n + REGULARIZATION_PSEUDO_COUNT)`
/// (Stan's `var_adaptation` / `covar_adaptation`).
pub const REGULARIZATION_TARGET: f64 = 1e-3;
/// The pseudo-count of the regularisation (5 in Stan).
pub const REGULARIZATION_PSEUDO_COUNT: f64 = 5.0;

#[derive(Debug, Clone)]
enum Estimator {
    Diag(WelfordVar),
    Dense(WelfordCov),
}

/// What an observed transition changed.
#[derive(Debug, Clone, PartialEq)]
pub enum AdaptStep {
    /// Only the step size: use this one next.
    StepSize(f64),
    /// A slow window ended: use this metric, re-run the initial step-size heuristic and
    /// then call [`Adapter::restart_step_size`].
    Metric(Metric),
}

/// The warmup adapter of one chain.
#[derive(Debug, Clone)]
pub struct Adapter {
    dual: DualAveraging,
    windows: WindowSchedule,
    estimator: Estimator,
}

impl Adapter {
    /// An adapter for `num_warmup` iterations targeting acceptance `delta`, with the
    /// dual-averaging centre set from the nominal step size `step_size`.
    pub fn new(
        kind: MetricKind,
        dim: usize,
        num_warmup: usize,
        delta: f64,
        step_size: f64,
    ) -> Self {
        Adapter {
            dual: DualAveraging::new(delta, step_size),
            windows: WindowSchedule::new(num_warmup),
            estimator: match kind {
                MetricKind::Diag => Estimator::Diag(WelfordVar::new(dim)),
                MetricKind::Dense => Estimator::Dense(WelfordCov::new(dim)),
            },
        }
    }

    /// Observes a warmup transition that moved the chain to `q`. `Err` names a metric
    /// estimate that is not usable (non-finite or not positive definite).
    pub fn observe(&mut self, info: &TransitionInfo, q: &[f64]) -> Result<AdaptStep, String> {
        let eps = self.dual.learn(info.accept_stat);
        let step = self.windows.step();
        if step.collect {
            match &mut self.estimator {
                Estimator::Diag(w) => w.add(q),
                Estimator::Dense(w) => w.add(q),
            }
        }
        if !step.end_window {
            return Ok(AdaptStep::StepSize(eps));
        }
        let metric = match &mut self.estimator {
            Estimator::Diag(w) => {
                let (keep, add) = shrink_weights(w.count());
                let var = w.variance().iter().map(|v| keep * v + add).collect();
                w.reset();
                Metric::diag(var)
            }
            Estimator::Dense(w) => {
                let (keep, add) = shrink_weights(w.count());
                let dim = q.len();
                let mut cov: Vec<f64> = w.covariance().iter().map(|v| keep * v).collect();
                for i in 0..dim {
                    cov[i * dim + i] += add;
                }
                w.reset();
                Metric::dense(dim, cov)
            }
        }
        .map_err(|e| format!("the adapted metric is unusable: {e}"))?;
        Ok(AdaptStep::Metric(metric))
    }

    /// Restarts dual averaging around `step_size` (after a metric update and the heuristic).
    pub fn restart_step_size(&mut self, step_size: f64) {
        self.dual.restart(step_size);
    }

    /// The step size to sample with once warmup ends.
    pub fn final_step_size(&self) -> f64 {
        self.dual.final_step_size()
    }
}

/// `(n / (n + 5), 1e-3 · 5 / (n + 5))` for a window of `count` draws.
fn shrink_weights(count: usize) -> (f64, f64) {
    let n = count as f64;
    let w = n + REGULARIZATION_PSEUDO_COUNT;
    (
        n / w,
        REGULARIZATION_TARGET * REGULARIZATION_PSEUDO_COUNT / w,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> TransitionInfo {
        TransitionInfo {
            accept_stat: 0.8,
            step_size: 1.0,
            depth: 1,
            n_leapfrog: 1,
            divergent: false,
            energy: 0.0,
        }
    }

    #[test]
    fn window_end_yields_regularised_variance() {
        // Warmup 20: one window over iterations 3..=17 (15 draws).
        let mut a = Adapter::new(MetricKind::Diag, 1, 20, 0.8, 1.0);
        let mut got = None;
        for i in 0..20 {
            let q = [if i % 2 == 0 { 1.0 } else { -1.0 }];
            if let AdaptStep::Metric(m) = a.observe(&info(), &q).unwrap() {
                assert_eq!(i, 17);
                got = Some(m);
            }
        }
        let Some(Metric::Diag { inv, .. }) = got else {
            panic!("no diagonal metric update")
        };
        // 15 alternating ±1 draws starting at i = 3 (-1): 7 of +1, 8 of −1.
        let xs: Vec<f64> = (3..18)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let m = xs.iter().sum::<f64>() / 15.0;
        let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 14.0;
        let want = 15.0 / 20.0 * var + 1e-3 * 5.0 / 20.0;
        assert!((inv[0] - want).abs() < 1e-12);
    }

    #[test]
    fn dense_regularises_toward_identity_scale() {
        let mut a = Adapter::new(MetricKind::Dense, 2, 20, 0.8, 1.0);
        let mut last = None;
        for i in 0..20 {
            let t = i as f64;
            if let AdaptStep::Metric(m) = a.observe(&info(), &[t, 2.0 * t]).unwrap() {
                last = Some(m);
            }
        }
        let Some(Metric::Dense { inv, .. }) = last else {
            panic!("no dense metric update")
        };
        // Perfectly correlated draws: the 1e-3 ridge keeps the estimate positive definite.
        assert!(inv[1] > 0.0 && (inv[1] - inv[2]).abs() < 1e-12);
    }
}
