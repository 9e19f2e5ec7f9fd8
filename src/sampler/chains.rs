//! Chains in parallel: validates the configuration, runs one rayon task per chain (in a
//! dedicated pool when a thread count is given) and gathers per-chain outcomes.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::chain::run_chain;
use super::config::SamplerConfig;
use super::evaluator::Rejections;
use super::progress::{NoProgress, Progress};
use crate::draws::{Adaptation, ChainDraws, ChainTiming, DrawSink, Draws, SAMPLER_COLUMNS};
use crate::model::Model;

/// Why a run failed. Chain and iteration numbers are 1-based, as Stan reports them.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// A setting is invalid.
    #[error("invalid sampler configuration: {0}")]
    Config(String),
    /// No usable initial point.
    #[error("chain {chain}: initialisation failed: {message}")]
    Init {
        /// Chain number.
        chain: usize,
        /// What failed.
        message: String,
    },
    /// The initial step-size search failed.
    #[error("chain {chain}: step-size search failed: {message}")]
    StepSize {
        /// Chain number.
        chain: usize,
        /// What failed.
        message: String,
    },
    /// The model reported a fatal error (iteration 0: during initialisation).
    #[error("chain {chain}, iteration {iteration}: the model failed: {message}")]
    Fatal {
        /// Chain number.
        chain: usize,
        /// Iteration, counting warmup then draws.
        iteration: usize,
        /// The model's message.
        message: String,
    },
    /// The adapted metric could not be used.
    #[error("chain {chain}, warmup iteration {iteration}: {message}")]
    Adaptation {
        /// Chain number.
        chain: usize,
        /// Warmup iteration.
        iteration: usize,
        /// What failed.
        message: String,
    },
    /// The model could not compute its output columns for a draw.
    #[error("chain {chain}, iteration {iteration}: computing output values failed: {message}")]
    Output {
        /// Chain number.
        chain: usize,
        /// Iteration, counting warmup then draws.
        iteration: usize,
        /// The model's message.
        message: String,
    },
    /// A sink failed to write.
    #[error("chain {chain}: writing draws failed: {source}")]
    Sink {
        /// Chain number.
        chain: usize,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The thread pool could not be built.
    #[error("could not start {threads} sampler threads: {message}")]
    ThreadPool {
        /// Requested threads.
        threads: usize,
        /// rayon's message.
        message: String,
    },
}

/// Per-chain counts.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ChainCounts {
    /// Divergent transitions during warmup.
    pub divergences_warmup: usize,
    /// Divergent transitions among the kept draws.
    pub divergences: usize,
    /// Kept draws that hit the maximum tree depth.
    pub max_treedepth_hits: usize,
    /// Kept draws produced.
    pub draws: usize,
    /// Gradient evaluations during initialisation and warmup.
    pub grad_evals_warmup: u64,
    /// Gradient evaluations while drawing.
    pub grad_evals_sampling: u64,
    /// The step size used for the kept draws.
    pub step_size: f64,
}

/// One chain's result.
#[derive(Debug)]
pub struct ChainOutcome<S> {
    /// The chain's sink, after `finish`.
    pub sink: S,
    /// Wall-clock time per phase.
    pub timing: ChainTiming,
    /// Counts of divergences, tree-depth hits, gradient evaluations.
    pub counts: ChainCounts,
    /// The adaptation result (`None` without warmup).
    pub adaptation: Option<Adaptation>,
    /// True when the chain was stopped early.
    pub interrupted: bool,
    /// Why and how often the model rejected points (each counts as a divergence where it
    /// ends a trajectory).
    pub rejections: Rejections,
}

/// The result of a run: one outcome per chain, in chain order.
#[derive(Debug)]
pub struct RunOutcome<S> {
    /// Per-chain outcomes.
    pub chains: Vec<ChainOutcome<S>>,
}

impl<S> RunOutcome<S> {
    /// True when any chain was stopped early.
    pub fn interrupted(&self) -> bool {
        self.chains.iter().any(|c| c.interrupted)
    }
}

/// Runs `cfg.chains` chains of `model`, streaming chain `k`'s rows to `sinks[k]`.
///
/// Each row is [`SAMPLER_COLUMNS`] followed by `model.write_output`. Draws are identical for
/// any thread count. When one chain fails, the others stop at their next iteration and the
/// first error (in chain order) is returned.
pub fn sample_with_sinks<M: Model, S: DrawSink>(
    model: &M,
    cfg: &SamplerConfig,
    sinks: Vec<S>,
    progress: &dyn Progress,
) -> Result<RunOutcome<S>, SampleError> {
    cfg.validate(model.dim()).map_err(SampleError::Config)?;
    if sinks.len() != cfg.chains {
        return Err(SampleError::Config(format!(
            "{} sinks given for {} chains",
            sinks.len(),
            cfg.chains
        )));
    }
    let abort = AtomicBool::new(false);
    let run = || -> Vec<Result<ChainOutcome<S>, SampleError>> {
        sinks
            .into_par_iter()
            .enumerate()
            .map(|(k, sink)| {
                let res = run_chain(model, cfg, k, sink, progress, &abort);
                if res.is_err() {
                    abort.store(true, Ordering::Relaxed);
                }
                res
            })
            .collect()
    };
    let results = match cfg.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| SampleError::ThreadPool {
                threads,
                message: e.to_string(),
            })?
            .install(run),
        None => run(),
    };
    let chains = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(RunOutcome { chains })
}

/// Runs the chains into memory and returns the draws: columns are [`SAMPLER_COLUMNS`]
/// followed by `model.output_names()`.
pub fn sample<M: Model>(model: &M, cfg: &SamplerConfig) -> Result<Draws, SampleError> {
    sample_with_progress(model, cfg, &NoProgress)
}

/// Like [`sample`], telling `progress` where each chain is after every iteration.
pub fn sample_with_progress<M: Model>(
    model: &M,
    cfg: &SamplerConfig,
    progress: &dyn Progress,
) -> Result<Draws, SampleError> {
    let columns: Vec<String> = SAMPLER_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(model.output_names())
        .collect();
    let sinks = (0..cfg.chains)
        .map(|_| ChainDraws::with_columns(columns.len()))
        .collect();
    let outcome = sample_with_sinks(model, cfg, sinks, progress)?;
    Ok(Draws {
        columns,
        chains: outcome.chains.into_iter().map(|c| c.sink).collect(),
    })
}
