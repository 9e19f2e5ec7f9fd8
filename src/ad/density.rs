//! [`TapeDensity`]: a built tape as a [`LogDensity`], with its scratch buffers kept per
//! thread (each chain runs on one thread, and the trait takes `&self`).

use super::tape::{Scratch, Tape};
use crate::model::{EvalError, LogDensity};
use std::cell::RefCell;
use std::sync::Arc;

/// Scratch sets kept per thread; the oldest is dropped beyond this (a
/// thread rarely evaluates more than a couple of tapes).
const SCRATCH_PER_THREAD: usize = 8;

thread_local! {
    static SCRATCH: RefCell<Vec<(u64, Scratch)>> = const { RefCell::new(Vec::new()) };
}

/// Adds a scratch set for `tape` to this thread's `list` (dropping the least recently
/// created one beyond [`SCRATCH_PER_THREAD`]); returns its position. Once per thread and
/// tape, so kept out of the evaluation path.
#[cold]
#[inline(never)]
fn add_scratch(list: &mut Vec<(u64, Scratch)>, tape: &Tape) -> usize {
    if list.len() >= SCRATCH_PER_THREAD {
        list.remove(0);
    }
    list.push((tape.id, Scratch::new(tape)));
    list.len() - 1
}

/// A tape evaluated as a log density over its parameters.
#[derive(Clone)]
pub struct TapeDensity {
    tape: Arc<Tape>,
}

impl TapeDensity {
    /// Wraps a tape.
    pub fn new(tape: Tape) -> Self {
        TapeDensity {
            tape: Arc::new(tape),
        }
    }

    /// The wrapped tape.
    pub fn tape(&self) -> &Tape {
        &self.tape
    }

    /// Runs `f` with this thread's scratch for the tape, creating it on first use.
    #[inline]
    fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|cell| {
            let mut list = cell.borrow_mut();
            let id = self.tape.id;
            let pos = match list.iter().position(|(k, _)| *k == id) {
                Some(p) => p,
                None => add_scratch(&mut list, &self.tape),
            };
            f(&mut list[pos].1)
        })
    }

    /// The log density alone (forward sweep only).
    pub fn log_density(&self, x: &[f64]) -> Result<f64, EvalError> {
        self.with_scratch(|s| self.tape.forward(x, s))
    }
}

impl LogDensity for TapeDensity {
    fn dim(&self) -> usize {
        self.tape.dim()
    }

    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        self.with_scratch(|s| self.tape.value_and_gradient(x, s, grad))
    }
}
