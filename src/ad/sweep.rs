//! The forward and reverse rule of every op, over the shared value, adjoint, partial and
//! work buffers. An op's output slot always lies after all of its inputs (slots are
//! allocated in SSA order), so each rule splits the buffer at the output and reads inputs
//! from the lower part.

use super::chain;
use super::kernel::MAX_KERNEL_INPUTS;
use super::linalg_op;
use super::normal_chain;
use super::normal_op;
use super::op::Op;
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::PairReduce;
use crate::math::sum;

/// Functions whose output can only be NaN when an input is: no domain check needed.
pub(super) fn total_unary(f: Unary) -> bool {
    matches!(
        f,
        Unary::Neg | Unary::Square | Unary::Exp | Unary::Abs | Unary::Step
    )
}

pub(super) fn total_binary(f: Binary) -> bool {
    matches!(
        f,
        Binary::Add | Binary::Sub | Binary::Mul | Binary::Fmin | Binary::Fmax
    )
}

/// True when `out` holds a NaN: a branch-free OR over the elements, which vectorises,
/// unlike an early-exit search.
#[inline]
fn has_nan(out: &[f64]) -> bool {
    out.iter().fold(false, |acc, v| acc | v.is_nan())
}

/// Describes the first NaN in `out` produced from a non-NaN input, if any.
#[cold]
fn domain_error(out: &[f64], inputs: &[&[f64]]) -> Result<(), String> {
    match out.iter().any(|v| v.is_nan()) {
        true => Err(domain_message(out, inputs, 0)),
        false => Ok(()),
    }
}

/// The message for the first NaN in `out` (elements numbered from `base + 1`): a NaN
/// argument, or the arguments outside the function's domain.
#[cold]
pub(super) fn domain_message(out: &[f64], inputs: &[&[f64]], base: usize) -> String {
    let i = out.iter().position(|v| v.is_nan()).unwrap_or(0);
    let args: Vec<f64> = inputs
        .iter()
        .map(|x| if x.len() == 1 { x[0] } else { x[i] })
        .collect();
    if args.iter().any(|a| a.is_nan()) {
        return format!("argument is NaN at element {}", base + i + 1);
    }
    format!(
        "argument {args:?} is outside the domain (element {})",
        base + i + 1
    )
}

/// Forward rule of the fast-path ops (scalar functions, dot products); `None` for any
/// other op. Kept small and
/// inlined into the sweep loop so scalar code pays no large-frame call per op.
#[inline(always)]
pub fn scalar_forward(op: &Op, values: &mut [f64]) -> Option<Result<(), String>> {
    match *op {
        Op::ScalarUnary { f, x, out } => {
            let xv = values[x as usize];
            let y = f.value(xv);
            values[out as usize] = y;
            if y.is_nan() && !total_unary(f) {
                Some(domain_error(&[y], &[&[xv]]))
            } else {
                Some(Ok(()))
            }
        }
        Op::ScalarBinary { f, a, b, out, .. } => {
            let (av, bv) = (values[a as usize], values[b as usize]);
            let y = f.value(av, bv);
            values[out as usize] = y;
            if y.is_nan() && !total_binary(f) {
                Some(domain_error(&[y], &[&[av], &[bv]]))
            } else {
                Some(Ok(()))
            }
        }
        Op::Pair {
            f: PairReduce::DotProduct,
            a,
            b,
            out,
        } => {
            values[out.offset()] = sum::dot(&values[a.range()], &values[b.range()]);
            Some(Ok(()))
        }
        _ => None,
    }
}

/// Reverse rule of the fast-path ops; false for any other op.
#[inline(always)]
pub fn scalar_backward(op: &Op, values: &[f64], adj: &mut [f64]) -> bool {
    match *op {
        Op::ScalarUnary { f, x, out } => {
            let (x, out) = (x as usize, out as usize);
            adj[x] += adj[out] * f.deriv(values[x], values[out]);
            true
        }
        Op::ScalarBinary {
            f,
            a,
            b,
            a_active,
            b_active,
            out,
        } => {
            let (a, b, out) = (a as usize, b as usize, out as usize);
            let (da, db) = f.partials(values[a], values[b], values[out]);
            let g = adj[out];
            if a_active {
                adj[a] += g * da;
            }
            if b_active {
                adj[b] += g * db;
            }
            true
        }
        Op::Pair {
            f: PairReduce::DotProduct,
            a,
            b,
            out,
        } => {
            // ∂/∂a = g·b and ∂/∂b = g·a: values and adjoints are separate buffers, so
            // this is right even for dot_product(x, x)
            let g = adj[out.offset()];
            if a.active {
                for (t, &v) in adj[a.range()].iter_mut().zip(&values[b.range()]) {
                    *t += g * v;
                }
            }
            if b.active {
                for (t, &v) in adj[b.range()].iter_mut().zip(&values[a.range()]) {
                    *t += g * v;
                }
            }
            true
        }
        _ => false,
    }
}

/// Zeroes `op`'s output adjoint once its reverse rule has consumed it, restoring the
/// all-zero adjoint buffer the next reverse sweep starts from.
#[inline(always)]
pub fn clear_output(op: &Op, adj: &mut [f64]) {
    match *op {
        Op::ScalarUnary { out, .. } | Op::ScalarBinary { out, .. } => adj[out as usize] = 0.0,
        _ => {
            // a scalar result (densities, reductions) skips the memset call
            let out = op.out();
            match out.len() {
                1 => adj[out.offset()] = 0.0,
                _ => adj[out.range()].fill(0.0),
            }
        }
    }
}

/// Runs `op` forward. `Err` carries a message for a recoverable evaluation failure.
pub fn forward(
    op: &Op,
    values: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    match scalar_forward(op, values) {
        Some(r) => r,
        None => forward_slices(op, values, partials, work),
    }
}

/// [`forward`] of an op that is not on the scalar fast path (the sweep loop has
/// already tried [`scalar_forward`]).
pub fn forward_slices(
    op: &Op,
    values: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    let out_slot = op.out();
    let (lo, hi) = values.split_at_mut(out_slot.offset());
    let out = &mut hi[..out_slot.len()];
    match op {
        Op::Unary { f, x, .. } => {
            let xs = &lo[x.range()];
            f.forward(xs, out);
            if !total_unary(*f) && has_nan(out) {
                domain_error(out, &[xs])?;
            }
        }
        Op::Binary { f, a, b, .. } => {
            let (av, bv) = (&lo[a.range()], &lo[b.range()]);
            f.forward(av, bv, out);
            if !total_binary(*f) && has_nan(out) {
                domain_error(out, &[av, bv])?;
            }
        }
        Op::Reduce { f, x, .. } => out[0] = f.value(&lo[x.range()]),
        Op::Pair { f, a, b, .. } => out[0] = f.value(&lo[a.range()], &lo[b.range()]),
        Op::Map { f, x, .. } => f.forward(&lo[x.range()], out),
        Op::Gather { x, index, .. } => {
            let xs = &lo[x.range()];
            for (o, &i) in out.iter_mut().zip(index.iter()) {
                *o = xs[i as usize];
            }
        }
        _ => forward_rare(op, lo, out, partials, work)?,
    }
    Ok(())
}

/// Forward rules of the ops with heavier set-up (kernels, matrices, placements), kept
/// out of line so the common elementwise arms above run in a small frame.
#[inline(never)]
fn forward_rare(
    op: &Op,
    lo: &[f64],
    out: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    match op {
        Op::Scatter { x, index, .. } => {
            out.fill(0.0);
            for (&v, &i) in lo[x.range()].iter().zip(index.iter()) {
                out[i as usize] = v;
            }
        }
        Op::Concat { parts, .. } => {
            let mut at = 0;
            for p in parts.iter() {
                // scalar parts (`target` terms, array literals) skip the memcpy call
                if p.len() == 1 {
                    out[at] = lo[p.offset()];
                } else {
                    out[at..at + p.len()].copy_from_slice(&lo[p.range()]);
                }
                at += p.len();
            }
        }
        Op::ScalarKernel {
            kernel,
            inputs,
            partials: p0,
            ..
        } => {
            let ins = gather_inputs(lo, inputs);
            let mut grads = split_for(inputs, &mut partials[*p0 as usize..]);
            for g in grads.iter_mut() {
                g.fill(0.0);
            }
            out[0] = kernel.value_and_gradient(&ins[..inputs.len()], &mut grads[..inputs.len()])?;
        }
        Op::Kernel { kernel, inputs, .. } => {
            let ins = gather_inputs(lo, inputs);
            kernel.eval(&ins[..inputs.len()], out)?;
        }
        Op::Matrix(m) => linalg_op::forward(m, lo, out, work)?,
        Op::Normal(n) => normal_op::forward(n, lo, out, partials)?,
        Op::Chain(c) => chain::forward(c, lo, out, partials, work)?,
        Op::NormalChain(n) => normal_chain::forward(n, lo, out, partials, work)?,
        // handled by `forward` itself
        Op::ScalarUnary { .. }
        | Op::ScalarBinary { .. }
        | Op::Unary { .. }
        | Op::Binary { .. }
        | Op::Reduce { .. }
        | Op::Pair { .. }
        | Op::Map { .. }
        | Op::Gather { .. } => {}
    }
    Ok(())
}

/// Runs `op` backward, for an op not on the scalar fast path (the sweep loop tries
/// [`scalar_backward`] first): adds its output adjoint, pushed through the op's
/// Jacobian, to the adjoints of its active inputs.
pub fn backward_slices(
    op: &Op,
    values: &[f64],
    adj: &mut [f64],
    partials: &[f64],
    work: &mut [f64],
) {
    let out_slot = op.out();
    let (lo, hi) = adj.split_at_mut(out_slot.offset());
    let g = &hi[..out_slot.len()];
    let y = &values[out_slot.range()];
    match op {
        Op::Unary { f, x, .. } => {
            if x.active {
                f.backward(&values[x.range()], y, g, &mut lo[x.range()]);
            }
        }
        Op::Binary { f, a, b, .. } => {
            let at = |s: &Slot| s.active.then(|| s.offset());
            f.backward(
                &values[a.range()],
                &values[b.range()],
                y,
                g,
                lo,
                at(a),
                at(b),
            );
        }
        Op::Reduce { f, x, .. } => f.backward(&values[x.range()], y[0], g[0], &mut lo[x.range()]),
        Op::Pair { f, a, b, .. } => {
            let (av, bv) = (&values[a.range()], &values[b.range()]);
            for i in 0..av.len() {
                let (da, db) = f.partials(av[i], bv[i], y[0]);
                if a.active {
                    lo[a.offset() + i] += g[0] * da;
                }
                if b.active {
                    lo[b.offset() + i] += g[0] * db;
                }
            }
        }
        Op::Map { f, x, .. } => f.backward(y, g, &mut lo[x.range()]),
        Op::Gather { x, index, .. } => {
            let xa = &mut lo[x.range()];
            for (&gi, &i) in g.iter().zip(index.iter()) {
                xa[i as usize] += gi;
            }
        }
        Op::ScalarKernel {
            inputs,
            partials: p0,
            ..
        } => {
            let mut at = *p0 as usize;
            for s in inputs.iter().filter(|s| s.active) {
                for (a, d) in lo[s.range()].iter_mut().zip(&partials[at..at + s.len()]) {
                    *a += g[0] * d;
                }
                at += s.len();
            }
        }
        Op::Normal(n) => normal_op::backward(n, lo, g[0], partials),
        Op::Chain(c) => chain::backward(c, values, lo, g, partials, work),
        Op::NormalChain(n) => normal_chain::backward(n, lo, g[0], partials),
        _ => backward_rare(op, values, lo, g, y, work),
    }
}

/// Reverse rules of the ops with heavier set-up, kept out of line like [`forward_rare`].
#[inline(never)]
fn backward_rare(op: &Op, values: &[f64], lo: &mut [f64], g: &[f64], y: &[f64], work: &mut [f64]) {
    match op {
        Op::Scatter { x, index, .. } => {
            for (a, &i) in lo[x.range()].iter_mut().zip(index.iter()) {
                *a += g[i as usize];
            }
        }
        Op::Concat { parts, .. } => {
            let mut at = 0;
            for p in parts.iter() {
                if p.len() == 1 {
                    if p.active {
                        lo[p.offset()] += g[at];
                    }
                } else if p.active {
                    for (a, gi) in lo[p.range()].iter_mut().zip(&g[at..at + p.len()]) {
                        *a += gi;
                    }
                }
                at += p.len();
            }
        }
        Op::Kernel { kernel, inputs, .. } => {
            let tmp = &mut work[..inputs.iter().filter(|s| s.active).map(Slot::len).sum()];
            tmp.fill(0.0);
            {
                let ins = gather_inputs(values, inputs);
                let mut adjs = split_for(inputs, tmp);
                kernel.vjp(&ins[..inputs.len()], y, g, &mut adjs[..inputs.len()]);
            }
            let mut at = 0;
            for s in inputs.iter().filter(|s| s.active) {
                for (a, d) in lo[s.range()].iter_mut().zip(&tmp[at..at + s.len()]) {
                    *a += d;
                }
                at += s.len();
            }
        }
        Op::Matrix(m) => linalg_op::backward(m, values, lo, g, work),
        // handled by `backward_slices` itself
        Op::ScalarUnary { .. }
        | Op::ScalarBinary { .. }
        | Op::Unary { .. }
        | Op::Binary { .. }
        | Op::Reduce { .. }
        | Op::Pair { .. }
        | Op::Map { .. }
        | Op::Gather { .. }
        | Op::ScalarKernel { .. }
        | Op::Normal(_)
        | Op::Chain(_)
        | Op::NormalChain(_) => {}
    }
}

/// The input values of a kernel op as a fixed-size array of slices (no allocation).
fn gather_inputs<'a>(values: &'a [f64], inputs: &[Slot]) -> [&'a [f64]; MAX_KERNEL_INPUTS] {
    let mut ins: [&[f64]; MAX_KERNEL_INPUTS] = [&[]; MAX_KERNEL_INPUTS];
    for (i, s) in ins.iter_mut().zip(inputs) {
        *i = &values[s.range()];
    }
    ins
}

/// Splits `buf` into one slice per active input (empty for data inputs).
fn split_for<'a>(inputs: &[Slot], mut buf: &'a mut [f64]) -> [&'a mut [f64]; MAX_KERNEL_INPUTS] {
    let mut out: [&mut [f64]; MAX_KERNEL_INPUTS] = Default::default();
    for (o, s) in out.iter_mut().zip(inputs) {
        if s.active {
            let (head, tail) = std::mem::take(&mut buf).split_at_mut(s.len());
            *o = head;
            buf = tail;
        }
    }
    out
}
