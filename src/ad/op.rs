//! The op set of the tape: one enum variant per kind of operation, each naming its input
//! and output slots. Ops that reshape or select (transpose, indexing, diagonal, rep_*)
//! are all [`Op::Gather`]; composite functions (quad_form, crossprod, …) are built from
//! these by the builder, so every variant here has its own hand-written adjoint.

use super::chain::ChainOp;
use super::kernel::{Kernel, ScalarKernel};
use super::normal_chain::NormalChainOp;
use super::normal_op::NormalOp;
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::gp::GpKernel;
use crate::math::reduce::{PairReduce, Reduce, VectorMap};
use std::sync::Arc;

/// One operation of a tape. Outputs are fresh slots written by exactly this op.
#[derive(Clone)]
pub enum Op {
    /// A function of one scalar: the fast path for scalar code (no slices, one match).
    ScalarUnary { f: Unary, x: u32, out: u32 },
    /// A function of two scalars; `a_active`/`b_active` say which get adjoints.
    ScalarBinary {
        f: Binary,
        a: u32,
        b: u32,
        a_active: bool,
        b_active: bool,
        out: u32,
    },
    /// Elementwise function of one argument.
    Unary { f: Unary, x: Slot, out: Slot },
    /// Elementwise function of two arguments; either may be a broadcast scalar.
    Binary {
        f: Binary,
        a: Slot,
        b: Slot,
        out: Slot,
    },
    /// Container to scalar.
    Reduce { f: Reduce, x: Slot, out: Slot },
    /// Two equally long containers to a scalar.
    Pair {
        f: PairReduce,
        a: Slot,
        b: Slot,
        out: Slot,
    },
    /// Vector to vector of the same length.
    Map { f: VectorMap, x: Slot, out: Slot },
    /// `out[i] = x[index[i]]`: indexing, slicing, transposes, repetition.
    Gather {
        x: Slot,
        index: Arc<[u32]>,
        out: Slot,
    },
    /// `out = 0; out[index[i]] = x[i]`: diag_matrix and other placements.
    Scatter {
        x: Slot,
        index: Arc<[u32]>,
        out: Slot,
    },
    /// The parts laid end to end.
    Concat { parts: Arc<[Slot]>, out: Slot },
    /// A matrix operation (products, factorisations, solves, GP covariances).
    Matrix(MatrixOp),
    /// A scalar kernel whose partials are kept in the scratch's partial buffer at
    /// `partials` (one entry per element of each active input).
    ScalarKernel {
        kernel: Arc<dyn ScalarKernel>,
        inputs: Arc<[Slot]>,
        partials: u32,
        out: Slot,
    },
    /// A container kernel with a vector-Jacobian product.
    Kernel {
        kernel: Arc<dyn Kernel>,
        inputs: Arc<[Slot]>,
        out: Slot,
    },
    /// The fused normal log density (with gathers folded into its arguments).
    Normal(Arc<NormalOp>),
    /// A fused chain of elementwise ops (formed when the tape is finished).
    Chain(Arc<ChainOp>),
    /// The normal log density with the chain computing its location folded in.
    NormalChain(Arc<NormalChainOp>),
}

impl Op {
    /// The output slot.
    pub fn out(&self) -> Slot {
        match self {
            Op::ScalarUnary { out, .. } | Op::ScalarBinary { out, .. } => scalar_slot(*out, true),
            Op::Unary { out, .. }
            | Op::Binary { out, .. }
            | Op::Reduce { out, .. }
            | Op::Pair { out, .. }
            | Op::Map { out, .. }
            | Op::Gather { out, .. }
            | Op::Scatter { out, .. }
            | Op::Concat { out, .. }
            | Op::ScalarKernel { out, .. }
            | Op::Kernel { out, .. } => *out,
            Op::Matrix(m) => m.out(),
            Op::Normal(n) => n.out,
            Op::Chain(c) => c.out,
            Op::NormalChain(n) => n.normal.out,
        }
    }

    /// The input slots, in order.
    pub fn inputs(&self) -> Vec<Slot> {
        match self {
            Op::ScalarUnary { x, .. } => vec![scalar_slot(*x, true)],
            Op::ScalarBinary {
                a,
                b,
                a_active,
                b_active,
                ..
            } => {
                vec![scalar_slot(*a, *a_active), scalar_slot(*b, *b_active)]
            }
            Op::Unary { x, .. }
            | Op::Reduce { x, .. }
            | Op::Map { x, .. }
            | Op::Gather { x, .. }
            | Op::Scatter { x, .. } => vec![*x],
            Op::Binary { a, b, .. } | Op::Pair { a, b, .. } => vec![*a, *b],
            Op::Matrix(m) => m.inputs(),
            Op::Normal(n) => n.inputs(),
            Op::Chain(c) => c.input_slots(),
            Op::NormalChain(n) => n.inputs(),
            Op::Concat { parts: inputs, .. }
            | Op::ScalarKernel { inputs, .. }
            | Op::Kernel { inputs, .. } => inputs.to_vec(),
        }
    }

    /// The op's name as listed by `dump` and cited in errors.
    pub fn name(&self) -> String {
        match self {
            Op::Unary { f, .. } | Op::ScalarUnary { f, .. } => f.name().into(),
            Op::ScalarBinary { f, .. } => f.name().into(),
            Op::Binary { f, .. } => f.name().into(),
            Op::Reduce { f, .. } => f.name().into(),
            Op::Pair { f, .. } => f.name().into(),
            Op::Map { f, .. } => f.name().into(),
            Op::Gather { .. } => "gather".into(),
            Op::Scatter { .. } => "scatter".into(),
            Op::Concat { .. } => "concat".into(),
            Op::Matrix(m) => m.name().into(),
            Op::ScalarKernel { kernel, .. } => kernel.name().into(),
            Op::Kernel { kernel, .. } => kernel.name().into(),
            Op::Normal(n) => n.fallback.name().into(),
            Op::Chain(c) => c.name(),
            Op::NormalChain(n) => n.normal.fallback.name().into(),
        }
    }

    /// Scratch floats this op needs beyond its output (matrix temporaries, kernel
    /// adjoint buffers).
    pub fn work_len(&self) -> usize {
        match self {
            Op::Matrix(m) => m.work_len(),
            Op::Kernel { inputs, .. } => inputs.iter().map(Slot::len).sum(),
            Op::Chain(c) => c.work_len(),
            Op::NormalChain(n) => n.work_len(),
            _ => 0,
        }
    }

    /// Scratch partials this op keeps between the sweeps, starting at its offset.
    pub fn partials(&self) -> Option<(usize, usize)> {
        match self {
            Op::ScalarKernel {
                inputs, partials, ..
            } => Some((
                *partials as usize,
                inputs.iter().filter(|s| s.active).map(Slot::len).sum(),
            )),
            Op::Normal(n) => Some((n.partials as usize, n.partials_len())),
            Op::Chain(c) => Some((c.partials as usize, c.partials_len())),
            Op::NormalChain(n) => Some((n.normal.partials as usize, n.partials_len())),
            _ => None,
        }
    }
}

fn scalar_slot(start: u32, active: bool) -> Slot {
    Slot {
        start,
        rows: 1,
        cols: 1,
        active,
    }
}

/// The matrix ops: each has its forward and reverse rule in `linalg_op`.
#[derive(Clone, Copy, Debug)]
pub enum MatrixOp {
    /// Matrix product `a · b`.
    MatMul { a: Slot, b: Slot, out: Slot },
    /// Lower Cholesky factor of a symmetric positive-definite matrix.
    Cholesky { a: Slot, out: Slot },
    /// `L⁻¹ b` for lower-triangular `L` (mdivide_left_tri_low).
    TriSolveLeft { l: Slot, b: Slot, out: Slot },
    /// `b L⁻¹` for lower-triangular `L` (mdivide_right_tri_low).
    TriSolveRight { b: Slot, l: Slot, out: Slot },
    /// Matrix inverse.
    Inverse { a: Slot, out: Slot },
    /// `log |det a|`.
    LogDeterminant { a: Slot, out: Slot },
    /// `det a`.
    Determinant { a: Slot, out: Slot },
    /// GP covariance of the points in `x` (`dim` coordinates each).
    GpCov {
        kernel: GpKernel,
        x: Slot,
        dim: u32,
        hyper: [Slot; 3],
        out: Slot,
    },
}

impl MatrixOp {
    /// The output slot.
    pub fn out(&self) -> Slot {
        match *self {
            MatrixOp::MatMul { out, .. }
            | MatrixOp::Cholesky { out, .. }
            | MatrixOp::TriSolveLeft { out, .. }
            | MatrixOp::TriSolveRight { out, .. }
            | MatrixOp::Inverse { out, .. }
            | MatrixOp::LogDeterminant { out, .. }
            | MatrixOp::Determinant { out, .. }
            | MatrixOp::GpCov { out, .. } => out,
        }
    }

    /// The input slots, in order.
    pub fn inputs(&self) -> Vec<Slot> {
        match *self {
            MatrixOp::Cholesky { a, .. }
            | MatrixOp::Inverse { a, .. }
            | MatrixOp::LogDeterminant { a, .. }
            | MatrixOp::Determinant { a, .. } => vec![a],
            MatrixOp::MatMul { a, b, .. } => vec![a, b],
            MatrixOp::TriSolveLeft { l, b, .. } => vec![l, b],
            MatrixOp::TriSolveRight { b, l, .. } => vec![b, l],
            MatrixOp::GpCov {
                kernel, x, hyper, ..
            } => {
                let mut v = vec![x];
                v.extend_from_slice(&hyper[..kernel.n_hyper()]);
                v
            }
        }
    }

    /// The function's name in the Stan language.
    pub fn name(&self) -> &'static str {
        match self {
            MatrixOp::MatMul { .. } => "multiply",
            MatrixOp::Cholesky { .. } => "cholesky_decompose",
            MatrixOp::TriSolveLeft { .. } => "mdivide_left_tri_low",
            MatrixOp::TriSolveRight { .. } => "mdivide_right_tri_low",
            MatrixOp::Inverse { .. } => "inverse",
            MatrixOp::LogDeterminant { .. } => "log_determinant",
            MatrixOp::Determinant { .. } => "determinant",
            MatrixOp::GpCov { kernel, .. } => kernel.name(),
        }
    }

    /// Scratch floats needed beyond the output.
    pub fn work_len(&self) -> usize {
        match *self {
            MatrixOp::Cholesky { a, .. } => a.len(),
            MatrixOp::TriSolveLeft { b, .. } | MatrixOp::TriSolveRight { b, .. } => b.len(),
            MatrixOp::Inverse { a, .. }
            | MatrixOp::LogDeterminant { a, .. }
            | MatrixOp::Determinant { a, .. } => 2 * a.len() + a.rows as usize,
            MatrixOp::MatMul { .. } | MatrixOp::GpCov { .. } => 0,
        }
    }
}
