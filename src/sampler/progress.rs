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
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _chain: usize, _ev: &ProgressEvent) {}
}
