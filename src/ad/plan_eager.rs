//! Target terms evaluated eagerly. The log density is a sum of terms (`target +=`, `~`),
//! and the adjoint of a term that only that sum reads is exactly one. Such a term's step
//! can therefore add its gradient to its inputs' adjoints during the forward sweep,
//! while its values are in registers, instead of storing partials for a reverse step
//! to read back: the reverse sweep then skips it, and the sum passes its adjoint only to
//! the leaves that are not eager terms.
//!
//! The eager sweep is what `Tape::value_and_gradient` runs. It is an optimisation with a
//! complete fallback: when any step of it meets a possibly invalid argument, the
//! adjoints are cleared and the whole forward sweep runs again in the plain (lazy) form,
//! which reports errors exactly as before and is followed by the plain reverse sweep.

use super::chain_form::Uses;
use super::op::Op;
use super::plan::{Bufs, Forward, Reverse, Step};
use super::plan_fuse;
use super::slot::Slot;

/// How a step runs in the eager sweeps.
pub(crate) enum Mode {
    /// Not a target term: the same forward, and its reverse in the reverse sweep.
    Lazy,
    /// A target term with no eager form of its own: its forward and then its reverse
    /// with a unit adjoint at `out`, both in the forward sweep.
    Unit(usize),
    /// A target term whose own forward also adds its gradient (unit adjoint).
    Eager(Forward),
    /// The sum of the terms: this reverse, over the leaves that are not eager terms,
    /// replaces its own.
    Root(Reverse),
}

/// The target terms of a tape whose result `output` is computed by a run of scalar
/// additions that no op reads (or by one term alone).
pub(super) struct Terms {
    /// The op computing the result.
    root: usize,
    /// Per op: is it a term (read once, by the run of additions, or the root itself when
    /// it is not an addition)?
    term: Vec<bool>,
    /// The leaves of the run of additions that no eager term computes and that take an
    /// adjoint (parameters, and results read elsewhere too).
    rest: Vec<usize>,
}

impl Terms {
    /// The terms of `ops`, or `None` when the result is not computed by an op read by
    /// nothing else.
    pub(super) fn new(ops: &[Op], uses: &Uses, output: Slot) -> Option<Terms> {
        let root = uses.owner_of(output.offset())?;
        if ops[root].out() != output || uses.reads(root) != 1 {
            return None;
        }
        let mut term = vec![false; ops.len()];
        let mut rest = Vec::new();
        match plan_fuse::add_run(ops, uses, root) {
            None => term[root] = true,
            Some(run) => {
                for (offset, active) in run.leaves {
                    let leaf = Slot {
                        start: offset as u32,
                        rows: 1,
                        cols: 1,
                        active,
                    };
                    match uses.single_use(ops, leaf) {
                        Some(k) if active => term[k] = true,
                        _ if active => rest.push(offset),
                        _ => {}
                    }
                }
            }
        }
        Some(Terms { root, term, rest })
    }

    /// True when op `i` is a term.
    pub(super) fn is_term(&self, i: usize) -> bool {
        self.term[i]
    }

    /// Sets each step's mode: terms without an eager form of their own run forward and
    /// reverse at once, and the root's reverse passes its adjoint to the other leaves.
    pub(super) fn apply(&self, ops: &[Op], steps: &mut [Step]) {
        for step in steps.iter_mut() {
            if self.term[step.op] && matches!(step.mode, Mode::Lazy) {
                step.mode = Mode::Unit(ops[step.op].out().offset());
            }
        }
        if self.term[self.root] {
            return;
        }
        let Some(root) = steps.iter_mut().find(|s| s.op == self.root) else {
            return;
        };
        let o = ops[self.root].out().offset();
        root.mode = Mode::Root(plan_fuse::spread(o, self.rest.clone()));
    }
}

/// The eager forward sweep over `steps`; false when a step met a possibly invalid
/// argument (the adjoints may then hold partial sums and must be cleared).
#[inline]
pub(crate) fn forward(steps: &[Step], bufs: &mut Bufs) -> bool {
    for step in steps {
        let ok = match &step.mode {
            Mode::Lazy | Mode::Root(_) => (step.forward)(bufs),
            Mode::Eager(f) => f(bufs),
            Mode::Unit(out) => {
                (step.forward)(bufs) && {
                    bufs.adj[*out] = 1.0;
                    (step.reverse)(bufs);
                    true
                }
            }
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The steps the reverse sweep after [`forward`] runs, last first: eager terms are
/// done, and the root passes its adjoint to the remaining leaves.
pub(crate) fn reverse_order(steps: &[Step]) -> Vec<usize> {
    (0..steps.len())
        .rev()
        .filter(|&i| matches!(steps[i].mode, Mode::Lazy | Mode::Root(_)))
        .collect()
}

/// The reverse sweep after [`forward`], over the steps in `order` (see
/// [`reverse_order`]).
#[inline]
pub(crate) fn reverse(steps: &[Step], order: &[usize], bufs: &mut Bufs) {
    for &i in order {
        let step = &steps[i];
        match &step.mode {
            Mode::Root(r) => r(bufs),
            _ => (step.reverse)(bufs),
        }
    }
}
