//! Target terms evaluated eagerly. The log density is a sum of terms (`target +=`, `~`),
//! and the adjoint of a term that only that sum reads is exactly one. Such a term's step
//! can therefore add its gradient to its inputs' adjoints during the forward sweep,
//! while its values are in registers, instead of storing partials for a reverse step
//! to read back: the reverse sweep then skips it. The sum's adjoint is one as well, so
//! its forward passes it at once to the leaves that are not eager terms (a log-Jacobian
//! such as `log tau`), and it has no reverse step either.
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
    /// The sum of the terms: this forward also adds the sum's adjoint (one) to the
    /// leaves that are not eager terms, and the step has no reverse.
    Root(Forward),
    /// A term that another term's eager forward computes, value and gradient
    /// (`plan_fold`): skipped by both eager sweeps.
    Folded,
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
    /// All leaves of the run of additions, in order.
    leaves: Vec<usize>,
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
        let (mut rest, mut leaves) = (Vec::new(), Vec::new());
        match plan_fuse::add_run(ops, uses, root) {
            None => term[root] = true,
            Some(run) => {
                for (offset, active) in run.leaves {
                    leaves.push(offset);
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
        Some(Terms {
            root,
            term,
            rest,
            leaves,
        })
    }

    /// True when op `i` is a term.
    pub(super) fn is_term(&self, i: usize) -> bool {
        self.term[i]
    }

    /// Sets each step's mode: terms without an eager form of their own run forward and
    /// reverse at once, and the root's forward passes its adjoint (one) to the other
    /// leaves.
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
        // the leaves added left to right: the rounding of the additions the root stands
        // for, fused or not (`plan_fuse::sum`)
        root.mode = Mode::Root(plan_fuse::add_leaves(&self.leaves, o, self.rest.clone()));
    }
}

/// The eager sweeps' programs of `steps`: the closures the forward sweep runs, in
/// order (a term's own eager forward, or its forward and then its reverse with a unit
/// adjoint; folded terms left out; the root, which also passes its adjoint to the
/// leaves that are not terms), and those the reverse sweep runs, last first (the steps
/// that are not terms).
/// Resolved once, so that each sweep is a plain list of calls.
pub(crate) fn program(steps: &[Step]) -> (Vec<Forward>, Vec<Reverse>) {
    let mut forward: Vec<Forward> = Vec::with_capacity(steps.len());
    for step in steps {
        match &step.mode {
            Mode::Lazy => forward.push(step.forward.clone()),
            Mode::Eager(f) | Mode::Root(f) => forward.push(f.clone()),
            Mode::Unit(out) => {
                let (f, r, out) = (step.forward.clone(), step.reverse.clone(), *out);
                forward.push(Box::new(move |bufs: &mut Bufs| {
                    f(bufs) && {
                        bufs.adj[out] = 1.0;
                        r(bufs);
                        true
                    }
                }));
            }
            Mode::Folded => {}
        }
    }
    let reverse = steps
        .iter()
        .rev()
        .filter_map(|step| match &step.mode {
            Mode::Lazy => Some(step.reverse.clone()),
            _ => None,
        })
        .collect();
    (forward, reverse)
}

/// The eager forward sweep (see [`program`]); false when a step met a possibly invalid
/// argument (the adjoints may then hold partial sums and must be cleared).
#[inline]
pub(crate) fn forward(program: &[Forward], bufs: &mut Bufs) -> bool {
    program.iter().all(|f| f(bufs))
}

/// The reverse sweep after [`forward`] (see [`program`]).
#[inline]
pub(crate) fn reverse(program: &[Reverse], bufs: &mut Bufs) {
    for r in program {
        r(bufs);
    }
}
