//! Moving ops to new places in the value buffer: every slot an op names (inputs and
//! output) rewritten through one mapping. Passes that insert vector ops after a tape is
//! recorded use it to move the ops that follow to the end of the buffer, where the
//! sweeps' rule "an op's output lies after all of its inputs" still holds.

use super::chain::ChainOp;
use super::normal_chain::NormalChainOp;
use super::normal_op::{NormalOp, Operand};
use super::op::{MatrixOp, Op};
use super::slot::Slot;
use std::sync::Arc;

/// Output ranges moved so far: `(old start, length, new start)`, in order of old start.
#[derive(Default)]
pub(super) struct Moves {
    moved: Vec<(u32, u32, u32)>,
}

impl Moves {
    /// Records that the value at `old` (and every view into it) now lives at `new`.
    pub fn add(&mut self, old: Slot, new: Slot) {
        let at = self.moved.partition_point(|m| m.0 < old.start);
        self.moved
            .insert(at, (old.start, old.len() as u32, new.start));
    }

    /// Where `s` lives now (views into a moved value move with it).
    pub fn at(&self, s: Slot) -> Slot {
        let k = self.moved.partition_point(|m| m.0 <= s.start);
        match k.checked_sub(1).map(|k| self.moved[k]) {
            Some((old, len, new)) if s.start < old + len.max(1) => Slot {
                start: new + (s.start - old),
                ..s
            },
            _ => s,
        }
    }
}

fn operand(o: &Operand, f: &mut impl FnMut(Slot) -> Slot) -> Operand {
    Operand {
        slot: f(o.slot),
        index: o.index.clone(),
    }
}

fn offset(x: u32, active: bool, f: &mut impl FnMut(Slot) -> Slot) -> u32 {
    f(Slot {
        start: x,
        rows: 1,
        cols: 1,
        active,
    })
    .start
}

impl NormalOp {
    fn remapped(&self, f: &mut impl FnMut(Slot) -> Slot, out: Slot) -> NormalOp {
        NormalOp {
            y: operand(&self.y, &mut *f),
            mu: operand(&self.mu, &mut *f),
            sigma: operand(&self.sigma, &mut *f),
            out,
            ..self.clone()
        }
    }
}

impl ChainOp {
    fn remapped(&self, f: &mut impl FnMut(Slot) -> Slot, out: Slot) -> ChainOp {
        ChainOp {
            inputs: self.inputs.iter().map(|o| operand(o, &mut *f)).collect(),
            out,
            ..self.clone()
        }
    }
}

impl MatrixOp {
    fn remapped(&self, f: &mut impl FnMut(Slot) -> Slot, out: Slot) -> MatrixOp {
        match *self {
            MatrixOp::MatMul { a, b, .. } => MatrixOp::MatMul {
                a: f(a),
                b: f(b),
                out,
            },
            MatrixOp::Cholesky { a, .. } => MatrixOp::Cholesky { a: f(a), out },
            MatrixOp::TriSolveLeft { l, b, .. } => MatrixOp::TriSolveLeft {
                l: f(l),
                b: f(b),
                out,
            },
            MatrixOp::TriSolveRight { b, l, .. } => MatrixOp::TriSolveRight {
                b: f(b),
                l: f(l),
                out,
            },
            MatrixOp::Inverse { a, .. } => MatrixOp::Inverse { a: f(a), out },
            MatrixOp::LogDeterminant { a, .. } => MatrixOp::LogDeterminant { a: f(a), out },
            MatrixOp::Determinant { a, .. } => MatrixOp::Determinant { a: f(a), out },
            MatrixOp::GpCov {
                kernel,
                x,
                dim,
                hyper,
                ..
            } => MatrixOp::GpCov {
                kernel,
                x: f(x),
                dim,
                hyper: hyper.map(&mut *f),
                out,
            },
        }
    }
}

impl Op {
    /// The same op with every input slot passed through `f` and its output at `out`
    /// (of the same shape).
    pub(super) fn remapped(&self, mut f: impl FnMut(Slot) -> Slot, out: Slot) -> Op {
        let slots = |v: &Arc<[Slot]>, f: &mut dyn FnMut(Slot) -> Slot| -> Arc<[Slot]> {
            v.iter().map(|&s| f(s)).collect()
        };
        match self {
            Op::ScalarUnary { f: g, x, .. } => Op::ScalarUnary {
                f: *g,
                x: offset(*x, true, &mut f),
                out: out.start,
            },
            Op::ScalarBinary {
                f: g,
                a,
                b,
                a_active,
                b_active,
                ..
            } => Op::ScalarBinary {
                f: *g,
                a: offset(*a, *a_active, &mut f),
                b: offset(*b, *b_active, &mut f),
                a_active: *a_active,
                b_active: *b_active,
                out: out.start,
            },
            Op::Unary { f: g, x, .. } => Op::Unary {
                f: *g,
                x: f(*x),
                out,
            },
            Op::Binary { f: g, a, b, .. } => Op::Binary {
                f: *g,
                a: f(*a),
                b: f(*b),
                out,
            },
            Op::Reduce { f: g, x, .. } => Op::Reduce {
                f: *g,
                x: f(*x),
                out,
            },
            Op::Pair { f: g, a, b, .. } => Op::Pair {
                f: *g,
                a: f(*a),
                b: f(*b),
                out,
            },
            Op::Map { f: g, x, .. } => Op::Map {
                f: *g,
                x: f(*x),
                out,
            },
            Op::Gather { x, index, .. } => Op::Gather {
                x: f(*x),
                index: index.clone(),
                out,
            },
            Op::Scatter { x, index, .. } => Op::Scatter {
                x: f(*x),
                index: index.clone(),
                out,
            },
            Op::Concat { parts, .. } => Op::Concat {
                parts: slots(parts, &mut f),
                out,
            },
            Op::Matrix(m) => Op::Matrix(m.remapped(&mut f, out)),
            Op::ScalarKernel {
                kernel,
                inputs,
                partials,
                ..
            } => Op::ScalarKernel {
                kernel: kernel.clone(),
                inputs: slots(inputs, &mut f),
                partials: *partials,
                out,
            },
            Op::Kernel { kernel, inputs, .. } => Op::Kernel {
                kernel: kernel.clone(),
                inputs: slots(inputs, &mut f),
                out,
            },
            Op::Normal(n) => Op::Normal(Arc::new(n.remapped(&mut f, out))),
            Op::Chain(c) => Op::Chain(Arc::new(c.remapped(&mut f, out))),
            Op::NormalChain(n) => {
                let location = f(n.mu.out);
                Op::NormalChain(Arc::new(NormalChainOp {
                    normal: n.normal.remapped(&mut f, out),
                    mu: n.mu.remapped(&mut f, location),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(start: u32, rows: u32) -> Slot {
        Slot {
            start,
            rows,
            cols: 1,
            active: true,
        }
    }

    #[test]
    fn views_move_with_their_value_and_other_slots_stay() {
        let mut m = Moves::default();
        m.add(slot(10, 4), slot(100, 4));
        m.add(slot(3, 1), slot(50, 1));
        assert_eq!(m.at(slot(12, 1)).start, 102);
        assert_eq!(m.at(slot(10, 4)).start, 100);
        assert_eq!(m.at(slot(3, 1)).start, 50);
        assert_eq!(m.at(slot(14, 1)).start, 14);
        assert_eq!(m.at(slot(4, 2)).start, 4);
        assert_eq!(m.at(slot(0, 3)).start, 0);
    }
}
