//! The tape: a program of ops over a value buffer, built once and replayed for many
//! parameter vectors, and the per-chain [`Scratch`] buffers that a replay runs in.

use super::op::Op;
use super::plan::{self, Bufs, Forward, Reverse, Step};
use super::plan_eager;
use super::slot::Slot;
use crate::model::EvalError;
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_TAPE_ID: AtomicU64 = AtomicU64::new(1);

/// A replayable log-density program: the parameters occupy the first `dim` values, data
/// (constants) are baked into `init`, each op writes one fresh slot, and `output` is the
/// scalar result.
pub struct Tape {
    pub(crate) id: u64,
    pub(crate) dim: usize,
    pub(crate) init: Vec<f64>,
    pub(crate) ops: Vec<Op>,
    pub(crate) output: Slot,
    pub(crate) n_partials: usize,
    pub(crate) work_len: usize,
    /// The ops as resolved closures, one step per op: what the sweeps run.
    steps: Vec<Step>,
    /// What the eager forward and reverse sweeps run, in order (`plan_eager::program`).
    eager_forward: Vec<Forward>,
    eager_reverse: Vec<Reverse>,
}

/// The buffers one evaluation needs: values, adjoints, kernel partials and matrix
/// workspace. Create one per chain (per thread) and reuse it; evaluations then allocate
/// nothing. Between evaluations the adjoint buffer is all zeros: the reverse sweep
/// clears each op's output adjoint right after using it (while it is in cache) instead
/// of clearing the whole buffer in a separate pass first.
pub struct Scratch {
    tape_id: u64,
    bufs: Bufs,
    /// The last forward sweep was the eager one (`plan_eager`): the reverse sweep must
    /// be too.
    eager: bool,
}

impl Scratch {
    /// Buffers sized for `tape`, with its data already in place.
    pub fn new(tape: &Tape) -> Self {
        Scratch {
            tape_id: tape.id,
            bufs: Bufs {
                values: tape.init.clone(),
                adj: vec![0.0; tape.init.len()],
                partials: vec![0.0; tape.n_partials],
                work: vec![0.0; tape.work_len],
            },
            eager: false,
        }
    }

    /// The value buffer after the last forward sweep (for inspection and tests).
    pub fn values(&self) -> &[f64] {
        &self.bufs.values
    }
}

impl Tape {
    pub(crate) fn new(dim: usize, init: Vec<f64>, ops: Vec<Op>, output: Slot) -> Self {
        let mut n_partials = 0;
        let mut work_len = 0;
        for op in &ops {
            work_len = work_len.max(op.work_len());
            if let Some((start, len)) = op.partials() {
                n_partials = n_partials.max(start + len);
            }
        }
        let steps = plan::plan(&ops, &init, output);
        let (eager_forward, eager_reverse) = plan_eager::program(&steps);
        Tape {
            id: NEXT_TAPE_ID.fetch_add(1, Ordering::Relaxed),
            dim,
            eager_forward,
            eager_reverse,
            steps,
            init,
            ops,
            output,
            n_partials,
            work_len,
        }
    }

    /// The number of parameters (unconstrained coordinates).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The ops, in execution order.
    pub fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// Steps the sweeps run: the ops less those folded into another op's step.
    #[cfg(test)]
    pub(crate) fn step_count(&self) -> usize {
        self.steps.len()
    }

    /// Each step's mode in the eager sweeps, in order: `L` plain, `U` a term run forward
    /// and reverse at once, `E` a term with its own eager forward, `R` the sum of the
    /// terms, `F` a term another term's eager forward computes.
    #[cfg(test)]
    pub(crate) fn modes(&self) -> String {
        use super::plan_eager::Mode;
        self.steps
            .iter()
            .map(|s| match s.mode {
                Mode::Lazy => 'L',
                Mode::Unit(_) => 'U',
                Mode::Eager(_) => 'E',
                Mode::Root(_) => 'R',
                Mode::Folded => 'F',
            })
            .collect()
    }

    /// The slot holding the result.
    pub fn output(&self) -> Slot {
        self.output
    }

    /// Length of the value buffer (parameters, data and intermediates).
    pub fn buffer_len(&self) -> usize {
        self.init.len()
    }

    #[inline]
    fn check(&self, x: &[f64], scratch: &Scratch) -> Result<(), EvalError> {
        if scratch.tape_id != self.id || x.len() != self.dim {
            return Err(self.mismatch(x.len(), scratch));
        }
        Ok(())
    }

    /// The error for a parameter vector or scratch that does not fit the tape.
    #[cold]
    #[inline(never)]
    fn mismatch(&self, len: usize, scratch: &Scratch) -> EvalError {
        if scratch.tape_id != self.id {
            return EvalError::Fatal("scratch buffers belong to a different tape".into());
        }
        EvalError::Fatal(format!(
            "parameter vector has length {len} but the tape expects {}",
            self.dim
        ))
    }

    /// Evaluates the tape at `x`, leaving every intermediate value in `scratch`. A domain
    /// failure is a recoverable error naming the op; the result itself may be infinite.
    pub fn forward(&self, x: &[f64], scratch: &mut Scratch) -> Result<f64, EvalError> {
        self.load(x, scratch)?;
        scratch.eager = false;
        self.lazy_forward(&mut scratch.bufs)
    }

    /// Checks `x` and `scratch` against the tape and puts `x` in place.
    #[inline]
    fn load(&self, x: &[f64], scratch: &mut Scratch) -> Result<(), EvalError> {
        self.check(x, scratch)?;
        scratch.bufs.values[..self.dim].copy_from_slice(x);
        Ok(())
    }

    /// The plain forward sweep over parameters already in place.
    fn lazy_forward(&self, bufs: &mut Bufs) -> Result<f64, EvalError> {
        for step in &self.steps {
            if !(step.forward)(bufs) {
                let m = plan::failure(&self.ops, step, bufs);
                return Err(EvalError::Recoverable(m));
            }
        }
        Ok(bufs.values[self.output.offset()])
    }

    /// The eager forward sweep (target terms add their gradients as they go, see
    /// `plan_eager`), or the plain one when a step of it meets a possibly invalid
    /// argument: the adjoints are cleared and the plain sweep reports the error, or
    /// evaluates what was valid after all. `scratch.eager` says which sweep ran.
    #[inline]
    fn eager_forward(&self, x: &[f64], scratch: &mut Scratch) -> Result<f64, EvalError> {
        self.load(x, scratch)?;
        let bufs = &mut scratch.bufs;
        if plan_eager::forward(&self.eager_forward, bufs) {
            scratch.eager = true;
            return Ok(bufs.values[self.output.offset()]);
        }
        scratch.eager = false;
        clear(bufs);
        self.lazy_forward(bufs)
    }

    /// Propagates adjoints from the output back to the parameters after a successful
    /// [`Tape::forward`] on the same scratch; writes the gradient into `grad`.
    pub fn reverse(&self, scratch: &mut Scratch, grad: &mut [f64]) -> Result<(), EvalError> {
        if scratch.tape_id != self.id {
            return Err(EvalError::Fatal(
                "scratch buffers belong to a different tape".into(),
            ));
        }
        self.check_gradient(grad)?;
        self.back(scratch, grad);
        Ok(())
    }

    #[inline]
    fn check_gradient(&self, grad: &[f64]) -> Result<(), EvalError> {
        if grad.len() != self.dim {
            return Err(self.gradient_mismatch(grad.len()));
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn gradient_mismatch(&self, len: usize) -> EvalError {
        EvalError::Fatal(format!(
            "gradient buffer has length {len} but the tape has {} parameters",
            self.dim
        ))
    }

    /// The reverse sweep that follows the last forward sweep on `scratch` (eager or
    /// plain), checks done.
    fn back(&self, scratch: &mut Scratch, grad: &mut [f64]) {
        let bufs = &mut scratch.bufs;
        bufs.adj[self.output.offset()] = 1.0;
        if scratch.eager {
            plan_eager::reverse(&self.eager_reverse, bufs);
        } else {
            for step in self.steps.iter().rev() {
                (step.reverse)(bufs);
            }
        }
        // one pass (a small model's gradient is a few values: no library calls)
        for (g, a) in grad.iter_mut().zip(&mut bufs.adj[..self.dim]) {
            *g = std::mem::take(a);
        }
        // a result that is data (or a parameter) has no op to clear its adjoint
        bufs.adj[self.output.offset()] = 0.0;
    }

    /// Value and gradient at `x`; a non-finite value is a recoverable error. Runs the
    /// eager sweeps (target terms add their gradients during the forward sweep, see
    /// `plan_eager`), falling back to the plain ones on a possibly invalid argument; the
    /// result is that of [`Tape::forward`] then [`Tape::reverse`].
    #[inline]
    pub fn value_and_gradient(
        &self,
        x: &[f64],
        scratch: &mut Scratch,
        grad: &mut [f64],
    ) -> Result<f64, EvalError> {
        self.check_gradient(grad)?;
        let lp = self.eager_forward(x, scratch)?;
        if !lp.is_finite() {
            // no reverse sweep follows to clear what eager terms added
            if scratch.eager {
                clear(&mut scratch.bufs);
            }
            return Err(EvalError::Recoverable(format!("log density is {lp}")));
        }
        self.back(scratch, grad);
        Ok(lp)
    }
}

/// Clears the adjoints after an eager forward sweep that no reverse sweep follows (the
/// reverse sweep is what otherwise leaves them all zero).
#[cold]
fn clear(bufs: &mut Bufs) {
    bufs.adj.fill(0.0);
}

impl std::fmt::Debug for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tape")
            .field("dim", &self.dim)
            .field("ops", &self.ops.len())
            .field("values", &self.init.len())
            .field("output", &self.output)
            .finish()
    }
}
