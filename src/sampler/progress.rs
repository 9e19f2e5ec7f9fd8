//! Progress reporting: chains tell an observer where they are after every iteration.

/// The phase an iteration belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Adaptation.
    Warmup,
    /// Kept draws.
    Sampling,
}

/// One chain's position after an iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressEvent {
    /// Iterations completed in this phase (1-based count).
    pub iteration: usize,
    /// Iterations in this phase.
    pub total: usize,
    /// The phase.
    pub phase: Phase,
    /// Divergent transitions so far in this phase.
    pub divergences: usize,
}

/// An observer of chain progress (a progress bar, a log). Called from chain threads.
pub trait Progress: Sync {
    /// Chain `chain` (0-based) finished an iteration.
    fn update(&self, chain: usize, ev: &ProgressEvent);

    /// Chain `chain`'s model rejected a point with `message` (a `reject`, a transformed
    /// parameter outside its constraint, a function outside its domain), the first time
    /// this chain sees that message; repeats are only counted, in
    /// [`crate::sampler::ChainOutcome::rejections`]. Stan shows such messages as they
    /// happen; the default ignores them.
    fn rejected(&self, _chain: usize, _message: &str) {}
}

/// The line shown for a chain's first rejection with `message`.
pub fn rejection_line(chain: usize, message: &str) -> String {
    format!(
        "chain {}: the model rejected a proposal: {message} (repeats are counted, not shown)",
        chain + 1
    )
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _chain: usize, _ev: &ProgressEvent) {}
}

/// Progress as plain lines on standard error: one line per chain each time it passes a
/// tenth of a phase (`chain 2 warmup 300/1000 (30%), 1 divergent, 12.4 s`), for programs
/// using the Rust API (the `hazel` command line draws live bars instead).
#[derive(Debug)]
pub struct LineProgress {
    start: std::time::Instant,
}

/// Lines per chain and phase printed by [`LineProgress`].
pub const LINE_PROGRESS_STEPS: usize = 10;

impl LineProgress {
    /// A reporter whose times count from now.
    pub fn new() -> Self {
        LineProgress {
            start: std::time::Instant::now(),
        }
    }

    /// The line for `ev` when it completes a tenth of its phase, else `None`.
    pub fn line(&self, chain: usize, ev: &ProgressEvent) -> Option<String> {
        let step = ev.total.div_ceil(LINE_PROGRESS_STEPS).max(1);
        if !ev.iteration.is_multiple_of(step) && ev.iteration != ev.total {
            return None;
        }
        let phase = match ev.phase {
            Phase::Warmup => "warmup",
            Phase::Sampling => "sampling",
        };
        Some(format!(
            "chain {} {phase} {}/{} ({}%), {} divergent, {:.1} s",
            chain + 1,
            ev.iteration,
            ev.total,
            100 * ev.iteration / ev.total.max(1),
            ev.divergences,
            self.start.elapsed().as_secs_f64()
        ))
    }
}

impl Default for LineProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for LineProgress {
    fn update(&self, chain: usize, ev: &ProgressEvent) {
        if let Some(line) = self.line(chain, ev) {
            eprintln!("{line}");
        }
    }

    fn rejected(&self, chain: usize, message: &str) {
        eprintln!("{}", rejection_line(chain, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_progress_reports_every_tenth_and_the_end() {
        let p = LineProgress::new();
        let at = |iteration, total| ProgressEvent {
            iteration,
            total,
            phase: Phase::Sampling,
            divergences: 2,
        };
        let shown: Vec<usize> = (1..=1000)
            .filter(|&i| p.line(0, &at(i, 1000)).is_some())
            .collect();
        assert_eq!(shown, (1..=10).map(|k| k * 100).collect::<Vec<_>>());
        let line = p.line(3, &at(300, 1000)).expect("a tenth");
        assert!(
            line.starts_with("chain 4 sampling 300/1000 (30%), 2 divergent"),
            "{line}"
        );
        // fewer iterations than steps: every one is shown
        assert_eq!(
            (1..=7).filter(|&i| p.line(0, &at(i, 7)).is_some()).count(),
            7
        );
    }
}
