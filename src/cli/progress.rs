//! Live sampling progress on stderr: one bar per chain redrawn in place on a terminal
//! (phase, iteration, iterations per second, divergences, ETA), plain periodic lines when
//! stderr is not a terminal, nothing at all with `--quiet`.

use hazel::sampler::{Phase, Progress, ProgressEvent, rejection_line};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

/// How many plain lines a chain prints per phase when stderr is not a terminal.
const PLAIN_LINES_PER_PHASE: usize = 10;

/// A progress observer for all chains of a run.
pub enum Reporter {
    /// Nothing is shown.
    Quiet,
    /// Bars redrawn in place.
    Bars {
        bars: Vec<ProgressBar>,
        multi: MultiProgress,
    },
    /// Periodic plain lines (logs, CI).
    Plain {
        start: Instant,
        last: Mutex<Vec<(Phase, usize)>>,
    },
}

impl Reporter {
    /// A reporter for `chains` chains of `warmup + draws` iterations.
    pub fn new(chains: usize, warmup: usize, draws: usize, quiet: bool) -> Reporter {
        if quiet {
            return Reporter::Quiet;
        }
        if !std::io::stderr().is_terminal() {
            return Reporter::Plain {
                start: Instant::now(),
                last: Mutex::new(vec![(Phase::Warmup, 0); chains]),
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "chain {prefix:>2} {msg:<9} [{bar:30}] {pos:>5}/{len:5} {per_sec:>9} eta {eta:>4}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bars = (0..chains)
            .map(|c| {
                let bar = multi.add(ProgressBar::new((warmup + draws) as u64));
                bar.set_style(style.clone());
                bar.set_prefix(format!("{}", c + 1));
                bar.set_message("warmup");
                bar
            })
            .collect();
        Reporter::Bars { bars, multi }
    }

    /// Marks every bar finished (or abandoned when interrupted).
    pub fn finish(&self, interrupted: bool) {
        if let Reporter::Bars { bars, .. } = self {
            for bar in bars {
                if interrupted {
                    bar.abandon_with_message("stopped");
                } else {
                    bar.finish();
                }
            }
        }
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Warmup => "warmup",
        Phase::Sampling => "sampling",
    }
}

impl Progress for Reporter {
    fn rejected(&self, chain: usize, message: &str) {
        let line = rejection_line(chain, message);
        match self {
            Reporter::Quiet => {}
            // Printed above the bars, which are redrawn below it.
            Reporter::Bars { multi, .. } => {
                if multi.println(&line).is_err() {
                    eprintln!("{line}");
                }
            }
            Reporter::Plain { .. } => eprintln!("{line}"),
        }
    }

    fn update(&self, chain: usize, ev: &ProgressEvent) {
        match self {
            Reporter::Quiet => {}
            Reporter::Bars { bars, .. } => {
                let Some(bar) = bars.get(chain) else { return };
                let done = match ev.phase {
                    Phase::Warmup => ev.iteration,
                    Phase::Sampling => bar.length().unwrap_or(0) as usize - ev.total + ev.iteration,
                };
                bar.set_position(done as u64);
                let msg = if ev.divergences > 0 {
                    format!("{} ({} div)", phase_name(ev.phase), ev.divergences)
                } else {
                    phase_name(ev.phase).to_string()
                };
                bar.set_message(msg);
            }
            Reporter::Plain { start, last } => {
                let step = ev.total.div_ceil(PLAIN_LINES_PER_PHASE).max(1);
                if !ev.iteration.is_multiple_of(step) && ev.iteration != ev.total {
                    return;
                }
                let Ok(mut last) = last.lock() else { return };
                if last.get(chain) == Some(&(ev.phase, ev.iteration)) {
                    return;
                }
                if let Some(slot) = last.get_mut(chain) {
                    *slot = (ev.phase, ev.iteration);
                }
                eprintln!(
                    "chain {} {} {}/{} ({:.0}%), {} divergent, {:.1} s",
                    chain + 1,
                    phase_name(ev.phase),
                    ev.iteration,
                    ev.total,
                    100.0 * ev.iteration as f64 / ev.total.max(1) as f64,
                    ev.divergences,
                    start.elapsed().as_secs_f64()
                );
            }
        }
    }
}
