//! The tape builder: allocates slots, checks shapes, records ops, and folds any op whose
//! inputs are all data into a constant at build time (so data transformations cost
//! nothing per evaluation). This is the interface the compiler lowers onto; [`super::Var`]
//! wraps it with operator overloading.

use super::kernel::{Kernel, MAX_KERNEL_INPUTS, ScalarKernel};
use super::op::Op;
use super::slot::Slot;
use super::sweep;
use super::tape::Tape;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::{PairReduce, Reduce, VectorMap};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// A tape could not be built: shapes that do not fit, an index out of range, or data
/// for which a data-only computation fails.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{op}: {message}")]
pub struct BuildError {
    /// The operation being recorded.
    pub op: String,
    /// What is wrong.
    pub message: String,
}

pub(crate) fn err<T>(op: &str, message: impl Into<String>) -> Result<T, BuildError> {
    Err(BuildError {
        op: op.to_string(),
        message: message.into(),
    })
}

#[derive(Default)]
struct Inner {
    dim: usize,
    init: Vec<f64>,
    ops: Vec<Op>,
    n_partials: usize,
    error: Option<BuildError>,
    /// Recorded gathers by output offset: fused ops read through their index instead.
    gathers: HashMap<u32, usize>,
    /// True once a fused op has read a gather's source directly (dead gathers may exist).
    fused: bool,
}

/// Records a tape. All methods take `&self`, so [`super::Var`]s can share one builder.
pub struct TapeBuilder {
    inner: RefCell<Inner>,
}

impl TapeBuilder {
    /// A builder for a density of `dim` parameters (value slots `0..dim`).
    pub fn new(dim: usize) -> Self {
        TapeBuilder {
            inner: RefCell::new(Inner {
                dim,
                init: vec![0.0; dim],
                ops: Vec::new(),
                n_partials: 0,
                error: None,
                gathers: HashMap::new(),
                fused: false,
            }),
        }
    }

    /// The parameter vector as one `dim×1` slot.
    pub fn param_slot(&self) -> Slot {
        let dim = self.inner.borrow().dim as u32;
        Slot {
            start: 0,
            rows: dim,
            cols: 1,
            active: true,
        }
    }

    /// Number of ops recorded so far (folded data ops excluded).
    pub fn op_count(&self) -> usize {
        self.inner.borrow().ops.len()
    }

    /// Bakes `values` (column-major, `rows×cols`) into the tape as data.
    pub fn constant(&self, values: &[f64], rows: usize, cols: usize) -> Result<Slot, BuildError> {
        if values.len() != rows * cols {
            return err(
                "constant",
                format!("{} values given for a {rows}x{cols} shape", values.len()),
            );
        }
        let s = self.alloc(rows, cols, false)?;
        self.inner.borrow_mut().init[s.range()].copy_from_slice(values);
        Ok(s)
    }

    /// A scalar datum.
    pub fn scalar(&self, v: f64) -> Slot {
        match self.constant(&[v], 1, 1) {
            Ok(s) => s,
            Err(e) => {
                // only a full value buffer fails here; `finish` reports it
                self.record_error(e);
                Slot {
                    start: 0,
                    rows: 1,
                    cols: 1,
                    active: false,
                }
            }
        }
    }

    /// A reinterpretation of `len = rows·cols` consecutive elements of `x` starting at
    /// `offset` as a `rows×cols` value: slicing and reshaping without an op.
    pub fn view(
        &self,
        x: Slot,
        offset: usize,
        rows: usize,
        cols: usize,
    ) -> Result<Slot, BuildError> {
        if offset + rows * cols > x.len() {
            return err(
                "view",
                format!(
                    "elements {}..{} of a {} value",
                    offset + 1,
                    offset + rows * cols,
                    x.shape()
                ),
            );
        }
        Ok(Slot {
            start: x.start + offset as u32,
            rows: rows as u32,
            cols: cols as u32,
            active: x.active,
        })
    }

    fn alloc(&self, rows: usize, cols: usize, active: bool) -> Result<Slot, BuildError> {
        let mut inner = self.inner.borrow_mut();
        let start = inner.init.len();
        let end = start + rows * cols;
        if end > u32::MAX as usize || rows > u32::MAX as usize || cols > u32::MAX as usize {
            return err("alloc", "the tape's value buffer exceeds 2^32 elements");
        }
        inner.init.resize(end, 0.0);
        Ok(Slot {
            start: start as u32,
            rows: rows as u32,
            cols: cols as u32,
            active,
        })
    }

    /// Records the op made by `make(out)` over `inputs`, or evaluates it now when every
    /// input is data.
    pub(super) fn push(
        &self,
        inputs: &[Slot],
        rows: usize,
        cols: usize,
        make: impl FnOnce(Slot, u32) -> Op,
    ) -> Result<Slot, BuildError> {
        let active = inputs.iter().any(|s| s.active);
        let out = self.alloc(rows, cols, active)?;
        let mut inner = self.inner.borrow_mut();
        if active {
            let p0 = inner.n_partials as u32;
            let op = make(out, p0);
            if let Some((_, len)) = op.partials() {
                inner.n_partials += len;
            }
            if let Op::Gather { .. } = op {
                let at = inner.ops.len();
                inner.gathers.insert(out.start, at);
            }
            inner.ops.push(op);
        } else {
            let op = make(out, 0);
            let mut work = vec![0.0; op.work_len()];
            sweep::forward(&op, &mut inner.init, &mut [], &mut work).map_err(|m| BuildError {
                op: op.name(),
                message: format!("on data: {m}"),
            })?;
        }
        Ok(out)
    }

    /// Elementwise `f(x)`.
    pub fn unary(&self, f: Unary, x: Slot) -> Result<Slot, BuildError> {
        if x.is_scalar() {
            return self.push(&[x], 1, 1, |out, _| Op::ScalarUnary {
                f,
                x: x.start,
                out: out.start,
            });
        }
        self.push(&[x], x.rows as usize, x.cols as usize, |out, _| Op::Unary {
            f,
            x,
            out,
        })
    }

    /// True when `s` is the datum `v` (a scalar constant).
    fn is_datum(&self, s: Slot, v: f64) -> bool {
        !s.active && s.is_scalar() && self.inner.borrow().init[s.offset()] == v
    }

    /// `x + 0`, `0 + x`, `x - 0`, `x * 1`, `1 * x` and `x / 1` are `x` itself (when `x`
    /// has the result's shape): no op, as for the zero offset of a `<lower=0>` transform.
    fn identity(&self, f: Binary, a: Slot, b: Slot) -> Option<Slot> {
        let (zero, one) = (|s| self.is_datum(s, 0.0), |s| self.is_datum(s, 1.0));
        match f {
            Binary::Add if zero(a) => Some(b),
            Binary::Add | Binary::Sub if zero(b) => Some(a),
            Binary::Mul if one(a) => Some(b),
            Binary::Mul | Binary::Div if one(b) => Some(a),
            _ => None,
        }
    }

    /// Elementwise `f(a, b)`; equal shapes, or one side a scalar broadcast to the other.
    pub fn binary(&self, f: Binary, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        let shape = if a.rows == b.rows && a.cols == b.cols || b.is_scalar() {
            a
        } else if a.is_scalar() {
            b
        } else {
            return err(
                f.name(),
                format!("shapes {} and {} do not match", a.shape(), b.shape()),
            );
        };
        if let Some(x) = self.identity(f, a, b) {
            return Ok(x);
        }
        if a.is_scalar() && b.is_scalar() {
            return self.push(&[a, b], 1, 1, |out, _| Op::ScalarBinary {
                f,
                a: a.start,
                b: b.start,
                a_active: a.active,
                b_active: b.active,
                out: out.start,
            });
        }
        self.push(
            &[a, b],
            shape.rows as usize,
            shape.cols as usize,
            |out, _| Op::Binary { f, a, b, out },
        )
    }

    /// A reduction to a scalar.
    pub fn reduce(&self, f: Reduce, x: Slot) -> Result<Slot, BuildError> {
        if x.len() < f.min_len() {
            return err(f.name(), "argument is empty");
        }
        if f == Reduce::Sum && x.is_scalar() {
            return Ok(x);
        }
        self.push(&[x], 1, 1, |out, _| Op::Reduce { f, x, out })
    }

    /// A reduction of two equally long containers.
    pub fn pair(&self, f: PairReduce, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        if a.len() != b.len() {
            return err(
                f.name(),
                format!("sizes {} and {} differ", a.len(), b.len()),
            );
        }
        self.push(&[a, b], 1, 1, |out, _| Op::Pair { f, a, b, out })
    }

    /// softmax, log_softmax or cumulative_sum.
    pub fn map(&self, f: VectorMap, x: Slot) -> Result<Slot, BuildError> {
        if x.is_empty() && f != VectorMap::CumulativeSum {
            return err(f.name(), "argument is empty");
        }
        self.push(&[x], x.rows as usize, x.cols as usize, |out, _| Op::Map {
            f,
            x,
            out,
        })
    }

    /// A `rows×cols` value whose element `i` is element `index[i]` (0-based) of `x`.
    pub fn gather(
        &self,
        x: Slot,
        index: Vec<u32>,
        rows: usize,
        cols: usize,
    ) -> Result<Slot, BuildError> {
        if index.len() != rows * cols {
            return err(
                "gather",
                format!("{} indices for a {rows}x{cols} result", index.len()),
            );
        }
        if let Some(&bad) = index.iter().find(|&&i| i as usize >= x.len()) {
            return err(
                "gather",
                format!("index {} out of range for size {}", bad + 1, x.len()),
            );
        }
        let index: Arc<[u32]> = index.into();
        self.push(&[x], rows, cols, |out, _| Op::Gather { x, index, out })
    }

    /// A `rows×cols` value of zeros with element `index[i]` set to element `i` of `x`.
    pub fn scatter(
        &self,
        x: Slot,
        index: Vec<u32>,
        rows: usize,
        cols: usize,
    ) -> Result<Slot, BuildError> {
        if index.len() != x.len() {
            return err(
                "scatter",
                format!("{} indices for {} values", index.len(), x.len()),
            );
        }
        if let Some(&bad) = index.iter().find(|&&i| i as usize >= rows * cols) {
            return err(
                "scatter",
                format!("index {} out of range for {rows}x{cols}", bad + 1),
            );
        }
        let index: Arc<[u32]> = index.into();
        self.push(&[x], rows, cols, |out, _| Op::Scatter { x, index, out })
    }

    /// The parts' elements laid end to end as a `rows×cols` value.
    pub fn concat(&self, parts: &[Slot], rows: usize, cols: usize) -> Result<Slot, BuildError> {
        let total: usize = parts.iter().map(Slot::len).sum();
        if total != rows * cols {
            return err(
                "concat",
                format!("{total} elements for a {rows}x{cols} result"),
            );
        }
        let parts: Arc<[Slot]> = parts.into();
        let inputs = parts.clone();
        self.push(&inputs, rows, cols, |out, _| Op::Concat { parts, out })
    }

    fn check_kernel_inputs(name: &str, inputs: &[Slot]) -> Result<(), BuildError> {
        if inputs.len() > MAX_KERNEL_INPUTS {
            return err(
                name,
                format!(
                    "{} inputs; at most {MAX_KERNEL_INPUTS} are supported",
                    inputs.len()
                ),
            );
        }
        Ok(())
    }

    /// A scalar kernel (value and gradient in one pass) over `inputs`.
    pub fn scalar_kernel(
        &self,
        kernel: Arc<dyn ScalarKernel>,
        inputs: &[Slot],
    ) -> Result<Slot, BuildError> {
        Self::check_kernel_inputs(kernel.name(), inputs)?;
        let ins: Arc<[Slot]> = inputs.into();
        self.push(inputs, 1, 1, |out, partials| Op::ScalarKernel {
            kernel,
            inputs: ins,
            partials,
            out,
        })
    }

    /// A container kernel with a vector-Jacobian product; its result is `rows×cols`.
    pub fn kernel(
        &self,
        kernel: Arc<dyn Kernel>,
        inputs: &[Slot],
        rows: usize,
        cols: usize,
    ) -> Result<Slot, BuildError> {
        Self::check_kernel_inputs(kernel.name(), inputs)?;
        let ins: Arc<[Slot]> = inputs.into();
        self.push(inputs, rows, cols, |out, _| Op::Kernel {
            kernel,
            inputs: ins,
            out,
        })
    }

    /// The source and index of the gather that produced `slot`, if a recorded gather
    /// did; the caller reads through the index, so the gather may become dead.
    pub(super) fn gather_source(&self, slot: Slot) -> Option<(Slot, Arc<[u32]>)> {
        let mut inner = self.inner.borrow_mut();
        let &at = inner.gathers.get(&slot.start)?;
        let Op::Gather { x, index, out } = &inner.ops[at] else {
            return None;
        };
        if *out != slot {
            return None;
        }
        let found = (*x, index.clone());
        inner.fused = true;
        Some(found)
    }

    /// Remembers the first error of a chain of [`super::Var`] operations.
    pub(crate) fn record_error(&self, e: BuildError) {
        let mut inner = self.inner.borrow_mut();
        if inner.error.is_none() {
            inner.error = Some(e);
        }
    }

    /// Finishes the tape with `output` (a scalar) as its result, leaving the builder
    /// empty. Fails with the first error recorded by a [`super::Var`] operation, if any.
    pub fn finish(&self, output: Slot) -> Result<Tape, BuildError> {
        let inner = std::mem::take(&mut *self.inner.borrow_mut());
        if let Some(e) = inner.error {
            return Err(e);
        }
        if !output.is_scalar() {
            return err(
                "finish",
                format!("the result must be a scalar, not {}", output.shape()),
            );
        }
        let mut n_partials = inner.n_partials;
        let (init, ops, output) =
            super::vectorise::vectorise(inner.dim, inner.init, inner.ops, output);
        let ops = super::chain_form::fuse(ops, init.len(), output, &mut n_partials);
        let ops = super::normal_chain::fuse(ops, init.len(), output, &mut n_partials);
        let ops = if inner.fused {
            drop_dead_gathers(ops, init.len(), output)
        } else {
            ops
        };
        Ok(Tape::new(inner.dim, init, ops, output))
    }
}

#[cfg(test)]
impl TapeBuilder {
    /// The tape exactly as recorded, without the passes `finish` runs (the reference the
    /// rebuilt and fused forms are tested against).
    pub(super) fn finish_as_recorded(&self, output: Slot) -> Tape {
        let inner = std::mem::take(&mut *self.inner.borrow_mut());
        Tape::new(inner.dim, inner.init, inner.ops, output)
    }
}

/// Removes gathers whose output no later op reads (those folded into fused ops).
fn drop_dead_gathers(ops: Vec<Op>, len: usize, output: Slot) -> Vec<Op> {
    let mut read = vec![false; len];
    read[output.range()].fill(true);
    let mut keep = vec![true; ops.len()];
    for (k, op) in ops.iter().enumerate().rev() {
        if let Op::Gather { out, .. } = op
            && !read[out.range()].iter().any(|&r| r)
        {
            keep[k] = false;
            continue;
        }
        for s in op.inputs() {
            read[s.range()].fill(true);
        }
    }
    ops.into_iter()
        .zip(keep)
        .filter_map(|(op, k)| k.then_some(op))
        .collect()
}
