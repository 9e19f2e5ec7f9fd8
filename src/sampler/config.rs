//! The resolved sampler configuration and its defaults, each citing where it comes from.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Chains run by default (CmdStanPy and PyStan default to 4 chains).
pub const DEFAULT_CHAINS: usize = 4;
/// Warmup iterations per chain (CmdStan guide, `num_warmup`: 1000).
pub const DEFAULT_WARMUP: usize = 1000;
/// Kept draws per chain (CmdStan guide, `num_samples`: 1000).
pub const DEFAULT_DRAWS: usize = 1000;
/// The fixed default seed, so that runs without a seed are reproducible (a hazel choice).
pub const DEFAULT_SEED: u64 = 20_261_128;
/// Target acceptance statistic (Stan reference manual, HMC algorithm parameters: δ = 0.8).
pub const DEFAULT_ADAPT_DELTA: f64 = 0.8;
/// Maximum NUTS tree depth (Stan reference manual, NUTS: max depth 10).
pub const DEFAULT_MAX_DEPTH: u32 = 10;
/// The largest accepted `max_depth`: 2^30 leapfrog steps per draw already exceeds any
/// practical budget, and keeps step counts inside `u32` (a hazel limit).
pub const MAX_ALLOWED_DEPTH: u32 = 30;
/// Half-width of the uniform initialisation interval on the unconstrained scale
/// (Stan reference manual, initialisation: uniform(-2, 2)).
pub const DEFAULT_INIT_RADIUS: f64 = 2.0;
/// Integration time of static HMC (CmdStan guide, `algorithm=hmc engine=static int_time`: 2π).
pub const DEFAULT_INTEGRATION_TIME: f64 = 2.0 * std::f64::consts::PI;
/// The nominal step size before the initial heuristic (CmdStan guide, `stepsize`: 1).
pub const INITIAL_STEP_SIZE: f64 = 1.0;

/// The Euclidean metric's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricKind {
    /// Diagonal inverse metric (Stan's `diag_e`, the default).
    #[default]
    Diag,
    /// Dense inverse metric (Stan's `dense_e`).
    Dense,
}

impl MetricKind {
    /// CmdStan's name: `diag_e` or `dense_e`.
    pub fn cmdstan_name(self) -> &'static str {
        match self {
            MetricKind::Diag => "diag_e",
            MetricKind::Dense => "dense_e",
        }
    }
}

/// The transition kernel.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Algorithm {
    /// The No-U-Turn sampler with multinomial sampling (Stan's `nuts`).
    #[default]
    Nuts,
    /// Hamiltonian Monte Carlo with a fixed integration time (Stan's `static`).
    StaticHmc {
        /// Integration time; the number of leapfrog steps is `max(1, floor(time / ε))`.
        integration_time: f64,
    },
}

/// How each chain's initial point is chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    /// Uniform on `(-radius, radius)` in every unconstrained coordinate, retried up to
    /// [`crate::sampler::init::MAX_INIT_TRIES`] times. Radius 0 starts every chain at 0.
    Random {
        /// Half-width of the interval.
        radius: f64,
    },
    /// Given unconstrained points: one per chain, or a single point shared by all chains.
    Given(Vec<Vec<f64>>),
}

impl Default for Init {
    fn default() -> Self {
        Init::Random {
            radius: DEFAULT_INIT_RADIUS,
        }
    }
}

/// Everything a run needs, resolved before any work starts.
#[derive(Debug, Clone)]
pub struct SamplerConfig {
    /// Number of chains.
    pub chains: usize,
    /// Warmup (adaptation) iterations per chain.
    pub warmup: usize,
    /// Kept draws per chain.
    pub draws: usize,
    /// Run seed; chain `k` uses `crate::rng::chain_rng(seed, k)`.
    pub seed: u64,
    /// Diagonal or dense metric.
    pub metric: MetricKind,
    /// Target acceptance statistic of step-size adaptation, in (0, 1).
    pub adapt_delta: f64,
    /// Maximum NUTS tree depth (at most 2^max_depth − 1 leapfrog steps per draw).
    pub max_depth: u32,
    /// NUTS or static HMC.
    pub algorithm: Algorithm,
    /// Initial points.
    pub init: Init,
    /// Whether warmup iterations are passed to the sinks.
    pub save_warmup: bool,
    /// Size of a dedicated thread pool; `None` uses rayon's global pool.
    pub threads: Option<usize>,
    /// When set to true (e.g. by a Ctrl-C handler), chains stop at the next iteration.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for SamplerConfig {
    fn default() -> Self {
        SamplerConfig {
            chains: DEFAULT_CHAINS,
            warmup: DEFAULT_WARMUP,
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            metric: MetricKind::Diag,
            adapt_delta: DEFAULT_ADAPT_DELTA,
            max_depth: DEFAULT_MAX_DEPTH,
            algorithm: Algorithm::Nuts,
            init: Init::default(),
            save_warmup: false,
            threads: None,
            stop: None,
        }
    }
}

impl SamplerConfig {
    /// Checks the configuration against a model of dimension `dim`, naming the first
    /// offending setting.
    pub fn validate(&self, dim: usize) -> Result<(), String> {
        if self.chains == 0 {
            return Err("chains must be at least 1".into());
        }
        if !(self.adapt_delta > 0.0 && self.adapt_delta < 1.0) {
            return Err(format!(
                "adapt_delta must lie strictly between 0 and 1, got {}",
                self.adapt_delta
            ));
        }
        if self.max_depth == 0 || self.max_depth > MAX_ALLOWED_DEPTH {
            return Err(format!(
                "max_depth must be between 1 and {MAX_ALLOWED_DEPTH}, got {}",
                self.max_depth
            ));
        }
        if let Algorithm::StaticHmc { integration_time } = self.algorithm
            && !(integration_time.is_finite() && integration_time > 0.0)
        {
            return Err(format!(
                "static HMC integration time must be positive and finite, got {integration_time}"
            ));
        }
        if self.threads == Some(0) {
            return Err("threads must be at least 1".into());
        }
        match &self.init {
            Init::Random { radius } => {
                if !(radius.is_finite() && *radius >= 0.0) {
                    return Err(format!(
                        "init radius must be finite and non-negative, got {radius}"
                    ));
                }
            }
            Init::Given(points) => {
                if points.len() != 1 && points.len() != self.chains {
                    return Err(format!(
                        "{} initial points given for {} chains (give one per chain, or one for all)",
                        points.len(),
                        self.chains
                    ));
                }
                for (k, p) in points.iter().enumerate() {
                    if p.len() != dim {
                        return Err(format!(
                            "initial point {} has {} values but the model has {} unconstrained parameters",
                            k + 1,
                            p.len(),
                            dim
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_stans() {
        let c = SamplerConfig::default();
        assert_eq!(
            (c.chains, c.warmup, c.draws, c.max_depth),
            (4, 1000, 1000, 10)
        );
        assert_eq!(c.adapt_delta, 0.8);
        assert!(c.validate(3).is_ok());
    }

    #[test]
    fn bad_settings_are_named() {
        let c = SamplerConfig {
            adapt_delta: 1.0,
            ..Default::default()
        };
        assert!(c.validate(1).unwrap_err().contains("adapt_delta"));
        let c = SamplerConfig {
            init: Init::Given(vec![vec![0.0; 2]]),
            ..Default::default()
        };
        assert!(c.validate(3).unwrap_err().contains("2 values"));
        let c = SamplerConfig {
            threads: Some(0),
            ..Default::default()
        };
        assert!(c.validate(3).unwrap_err().contains("threads"));
    }
}
