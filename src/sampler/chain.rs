//! One chain from start to end: initialisation, warmup with adaptation, sampling, and
//! streaming every row to the chain's sink.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::adaptation::{AdaptStep, Adapter};
use super::chains::{ChainCounts, ChainOutcome, SampleError};
use super::config::{Algorithm, INITIAL_STEP_SIZE, MetricKind, SamplerConfig};
use super::evaluator::{Evaluator, Rejections};
use super::init::{InitError, initial_position};
use super::kernel::{Kernel, Position, TransitionInfo};
use super::metric::Metric;
use super::nuts::Nuts;
use super::progress::{Phase, Progress, ProgressEvent};
use super::static_hmc::StaticHmc;
use super::step_size_init::{StepSizeError, initial_step_size};
use crate::draws::{Adaptation, ChainTiming, DrawSink, SamplerStats};
use crate::model::Model;
use crate::rng::{ChainRng, chain_rng};

/// Everything a running chain holds.
struct Runner<'m, M: Model, S: DrawSink> {
    model: &'m M,
    chain: usize,
    sink: S,
    rng: ChainRng,
    row: Vec<f64>,
}

impl<M: Model, S: DrawSink> Runner<'_, M, S> {
    fn sink_err(&self, source: std::io::Error) -> SampleError {
        SampleError::Sink {
            chain: self.chain + 1,
            source,
        }
    }

    /// Builds the row for a draw: sampler statistics, then the model's output columns.
    fn fill_row(
        &mut self,
        pos: &Position,
        info: &TransitionInfo,
        iteration: usize,
    ) -> Result<(), SampleError> {
        let stats = SamplerStats {
            lp: pos.lp,
            accept_stat: info.accept_stat,
            stepsize: info.step_size,
            treedepth: info.depth,
            n_leapfrog: info.n_leapfrog,
            divergent: info.divergent,
            energy: info.energy,
        };
        self.row.clear();
        self.row.extend_from_slice(&stats.as_row());
        self.model
            .write_output(&pos.q, &mut self.rng, &mut self.row)
            .map_err(|e| SampleError::Output {
                chain: self.chain + 1,
                iteration: iteration + 1,
                message: e.to_string(),
            })
    }
}

fn step_size_error(chain: usize, e: StepSizeError) -> SampleError {
    match e {
        StepSizeError::Fatal(message) => SampleError::Fatal {
            chain: chain + 1,
            iteration: 0,
            message,
        },
        StepSizeError::Search(message) => SampleError::StepSize {
            chain: chain + 1,
            message,
        },
    }
}

/// Runs chain `chain` (0-based) to the end, or until `stop`/`abort` is raised. When the
/// chain fails, its sink still gets `finish(.., interrupted = true)` so that file sinks keep
/// what was drawn.
pub fn run_chain<M: Model, S: DrawSink>(
    model: &M,
    cfg: &SamplerConfig,
    chain: usize,
    sink: S,
    progress: &dyn Progress,
    abort: &AtomicBool,
) -> Result<ChainOutcome<S>, SampleError> {
    let mut r = Runner {
        model,
        chain,
        sink,
        rng: chain_rng(cfg.seed, chain),
        row: Vec::new(),
    };
    let start = Instant::now();
    match drive(&mut r, cfg, progress, abort) {
        Ok(done) => {
            let res = r.sink.finish(&done.timing, done.interrupted);
            res.map_err(|e| r.sink_err(e))?;
            Ok(ChainOutcome {
                sink: r.sink,
                timing: done.timing,
                counts: done.counts,
                adaptation: done.adaptation,
                interrupted: done.interrupted,
                rejections: done.rejections,
            })
        }
        Err(e) => {
            let timing = ChainTiming {
                warmup_seconds: start.elapsed().as_secs_f64(),
                sampling_seconds: 0.0,
            };
            // The run error is what matters; a failure to close the sink adds nothing.
            let _ = r.sink.finish(&timing, true);
            Err(e)
        }
    }
}

/// What a chain that ran without error reports.
struct Done {
    timing: ChainTiming,
    counts: ChainCounts,
    adaptation: Option<Adaptation>,
    interrupted: bool,
    rejections: Rejections,
}

/// Initialisation, warmup and sampling; the sink is finished by the caller.
fn drive<M: Model, S: DrawSink>(
    r: &mut Runner<'_, M, S>,
    cfg: &SamplerConfig,
    progress: &dyn Progress,
    abort: &AtomicBool,
) -> Result<Done, SampleError> {
    let (model, chain) = (r.model, r.chain);
    let dim = model.dim();
    let mut ev = Evaluator::new(model);
    let fatal = |iteration: usize, message: String| SampleError::Fatal {
        chain: chain + 1,
        iteration,
        message,
    };
    let stopped = || {
        abort.load(Ordering::Relaxed)
            || cfg.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    };

    let start = Instant::now();
    let mut pos = initial_position(&mut ev, &cfg.init, chain, &mut r.rng).map_err(|e| match e {
        InitError::Fatal(m) => fatal(0, m),
        InitError::Exhausted(message) => SampleError::Init {
            chain: chain + 1,
            message,
        },
    })?;
    let mut metric = match cfg.metric {
        MetricKind::Diag => Metric::unit_diag(dim),
        MetricKind::Dense => Metric::unit_dense(dim),
    };
    let kernel = match cfg.algorithm {
        Algorithm::Nuts => Kernel::Nuts(Nuts {
            max_depth: cfg.max_depth,
        }),
        Algorithm::StaticHmc { integration_time } => Kernel::Static(StaticHmc { integration_time }),
    };
    let mut eps = initial_step_size(&mut ev, &metric, &pos, INITIAL_STEP_SIZE, &mut r.rng)
        .map_err(|e| step_size_error(chain, e))?;
    let mut adapter = Adapter::new(
        cfg.metric,
        dim,
        cfg.warmup,
        cfg.adapt_delta,
        INITIAL_STEP_SIZE,
    );
    let mut counts = ChainCounts::default();
    let mut interrupted = false;

    for it in 0..cfg.warmup {
        if stopped() {
            interrupted = true;
            break;
        }
        let (next, info) = kernel
            .transition(&mut ev, &metric, eps, &pos, &mut r.rng)
            .map_err(|m| fatal(it + 1, m))?;
        pos = next;
        report_rejections(&mut ev, chain, progress);
        counts.divergences_warmup += usize::from(info.divergent);
        match adapter
            .observe(&info, &pos.q)
            .map_err(|message| SampleError::Adaptation {
                chain: chain + 1,
                iteration: it + 1,
                message,
            })? {
            AdaptStep::StepSize(e) => eps = e,
            AdaptStep::Metric(m) => {
                metric = m;
                eps = initial_step_size(&mut ev, &metric, &pos, eps, &mut r.rng)
                    .map_err(|e| step_size_error(chain, e))?;
                adapter.restart_step_size(eps);
            }
        }
        if cfg.save_warmup {
            r.fill_row(&pos, &info, it)?;
            let res = r.sink.warmup_row(&r.row);
            res.map_err(|e| r.sink_err(e))?;
        }
        progress.update(
            chain,
            &ProgressEvent {
                iteration: it + 1,
                total: cfg.warmup,
                phase: Phase::Warmup,
                divergences: counts.divergences_warmup,
            },
        );
    }
    // Without warmup Stan would still switch to exp(x̄) = exp(0) = 1; the heuristic's step
    // size is kept instead. An interrupted warmup keeps the step size it had reached.
    if cfg.warmup > 0 && !interrupted {
        eps = adapter.final_step_size();
    }
    counts.grad_evals_warmup = ev.evals();
    counts.step_size = eps;
    let warmup_seconds = start.elapsed().as_secs_f64();
    let adaptation = (cfg.warmup > 0).then(|| Adaptation {
        step_size: eps,
        inv_metric: metric.to_inv_metric(),
    });
    let res = r.sink.adaptation(adaptation.as_ref());
    res.map_err(|e| r.sink_err(e))?;

    let start = Instant::now();
    if !interrupted {
        for it in 0..cfg.draws {
            if stopped() {
                interrupted = true;
                break;
            }
            let (next, info) = kernel
                .transition(&mut ev, &metric, eps, &pos, &mut r.rng)
                .map_err(|m| fatal(cfg.warmup + it + 1, m))?;
            pos = next;
            report_rejections(&mut ev, chain, progress);
            counts.divergences += usize::from(info.divergent);
            counts.max_treedepth_hits +=
                usize::from(matches!(kernel, Kernel::Nuts(_)) && info.depth >= cfg.max_depth);
            counts.draws += 1;
            r.fill_row(&pos, &info, cfg.warmup + it)?;
            let res = r.sink.draw_row(&r.row);
            res.map_err(|e| r.sink_err(e))?;
            progress.update(
                chain,
                &ProgressEvent {
                    iteration: it + 1,
                    total: cfg.draws,
                    phase: Phase::Sampling,
                    divergences: counts.divergences,
                },
            );
        }
    }
    counts.grad_evals_sampling = ev.evals() - counts.grad_evals_warmup;
    let timing = ChainTiming {
        warmup_seconds,
        sampling_seconds: start.elapsed().as_secs_f64(),
    };
    Ok(Done {
        timing,
        counts,
        adaptation,
        interrupted,
        rejections: ev.rejections().clone(),
    })
}

/// Hands the rejection messages the chain has seen for the first time to `progress`.
fn report_rejections(ev: &mut Evaluator<'_>, chain: usize, progress: &dyn Progress) {
    for message in ev.take_new_rejections() {
        progress.rejected(chain, &message);
    }
}
