//! Fused elementwise chains: a tree of elementwise ops over vectors of one length (with
//! gathers and broadcast scalars at its leaves), such as the flagship's
//! `a[head] + u[passage] - exp(log_alpha[head] + beta * conv) .* log_d`, becomes one op.
//!
//! The op runs its steps block by block ([`BLOCK`] elements at a time) with the
//! existing slice kernels of [`Unary`] and [`Binary`], so there is no per-element
//! dispatch, and intermediate adjoints live in a small stack buffer instead of
//! full-length adjoint vectors (no zeroing, no long scatter passes). Step values are kept
//! in the scratch partial buffer for the reverse sweep. Chains are formed when the tape is
//! finished, from ops whose result no other op reads (see [`super::chain_form`]). The
//! block kernels ([`forward_block`], [`backward_block`]) are shared with ops that run a
//! chain inside themselves ([`super::normal_chain`]).

use super::normal_op::Operand;
use super::slot::Slot;
use super::sweep::{domain_message, total_binary, total_unary};
use crate::math::elementwise::{Binary, Unary};

/// Registers (inputs plus steps) of one chain; a longer tree is split into chains.
pub const MAX_REGISTERS: usize = 12;

/// Elements processed per block: small enough that every register's block stays in
/// the L1 cache, large enough that the per-step dispatch is amortised.
const BLOCK: usize = 128;

/// One step of a chain: an elementwise function of earlier registers (inputs are
/// registers `0..inputs.len()`, step `j` is register `inputs.len() + j`).
#[derive(Clone, Copy, Debug)]
pub enum Step {
    Unary(Unary, u8),
    Binary(Binary, u8, u8),
}

/// A fused elementwise chain over `n` elements; the last step's value is the output.
#[derive(Clone)]
pub struct ChainOp {
    pub inputs: Vec<Operand>,
    pub steps: Vec<Step>,
    pub n: u32,
    /// Offset of the stored step values (all steps but the last) in the partial buffer.
    pub partials: u32,
    pub out: Slot,
}

impl ChainOp {
    /// Step values kept between the sweeps.
    pub fn partials_len(&self) -> usize {
        (self.steps.len() - 1) * self.n as usize
    }

    /// Elements per block (the whole vector when it is shorter than [`BLOCK`]).
    pub(super) fn block(&self) -> usize {
        BLOCK.min(self.n as usize)
    }

    /// Scratch floats for one block: gathered inputs and register adjoints.
    pub fn work_len(&self) -> usize {
        (2 * self.inputs.len() + self.steps.len()) * self.block()
    }

    /// The input slots (sources of folded gathers).
    pub fn input_slots(&self) -> Vec<Slot> {
        self.inputs.iter().map(|o| o.slot).collect()
    }

    /// `chain(add, exp, …)`: the steps' function names.
    pub fn name(&self) -> String {
        let names: Vec<&str> = self
            .steps
            .iter()
            .map(|s| match s {
                Step::Unary(f, _) => f.name(),
                Step::Binary(f, _, _) => f.name(),
            })
            .collect();
        format!("chain({})", names.join(", "))
    }
}

/// Where a block's register values are read, for elements `base..base + len`: the
/// value buffer (plain and broadcast inputs), the block of gathered inputs (input `r` at
/// `r · block`), the steps but the last (step `j` at `j · stride`, already offset to the
/// block) and the last step's values (from the block's first element).
pub(super) struct Regs<'a> {
    pub values: &'a [f64],
    pub gathered: &'a [f64],
    pub steps: &'a [f64],
    pub stride: usize,
    pub last: &'a [f64],
}

/// The values of register `r` for elements `base..base + len`.
fn reg<'a>(op: &ChainOp, r: usize, at: &Regs<'a>, base: usize, len: usize) -> &'a [f64] {
    let n = op.n as usize;
    match op.inputs.get(r) {
        Some(o) if o.index.is_some() => &at.gathered[r * op.block()..r * op.block() + len],
        Some(o) if o.slot.len() == 1 && n != 1 => &at.values[o.slot.range()],
        Some(o) => &at.values[o.slot.offset() + base..o.slot.offset() + base + len],
        None => {
            let j = r - op.inputs.len();
            if j + 1 == op.steps.len() {
                &at.last[..len]
            } else {
                &at.steps[j * at.stride..j * at.stride + len]
            }
        }
    }
}

/// Loads the gathered inputs of elements `base..base + len` (input `r` at `r · block`).
pub(super) fn gather_block(
    op: &ChainOp,
    values: &[f64],
    gathered: &mut [f64],
    base: usize,
    len: usize,
) {
    for (r, o) in op.inputs.iter().enumerate() {
        if let Some(ix) = &o.index {
            let src = &values[o.slot.range()];
            let dst = &mut gathered[r * op.block()..r * op.block() + len];
            for (v, &i) in dst.iter_mut().zip(&ix[base..base + len]) {
                *v = src[i as usize];
            }
        }
    }
}

/// Names the step function in the message for its first NaN.
#[cold]
fn domain(name: &str, y: &[f64], args: &[&[f64]], base: usize) -> String {
    format!("{name}: {}", domain_message(y, args, base))
}

/// Runs the steps over elements `base..base + len` (gathered inputs already loaded):
/// step `j` but the last into `steps[j · stride..]`, the last into `last`.
#[allow(clippy::too_many_arguments)]
pub(super) fn forward_block(
    op: &ChainOp,
    values: &[f64],
    gathered: &[f64],
    steps: &mut [f64],
    stride: usize,
    last: &mut [f64],
    base: usize,
    len: usize,
) -> Result<(), String> {
    for (j, step) in op.steps.iter().enumerate() {
        // earlier steps are read, this one is written (the last into `last`)
        let (done, y): (&[f64], &mut [f64]) = if j + 1 == op.steps.len() {
            (&*steps, &mut last[..len])
        } else {
            let (done, rest) = steps.split_at_mut(j * stride);
            (done, &mut rest[..len])
        };
        let at = Regs {
            values,
            gathered,
            steps: done,
            stride,
            last: &[],
        };
        let bad = match *step {
            Step::Unary(f, a) => {
                let x = reg(op, a as usize, &at, base, len);
                f.forward(x, y);
                (!total_unary(f) && y.iter().any(|v| v.is_nan()))
                    .then(|| domain(f.name(), y, &[x], base))
            }
            Step::Binary(f, a, b) => {
                let xa = reg(op, a as usize, &at, base, len);
                let xb = reg(op, b as usize, &at, base, len);
                f.forward(xa, xb, y);
                (!total_binary(f) && y.iter().any(|v| v.is_nan()))
                    .then(|| domain(f.name(), y, &[xa, xb], base))
            }
        };
        if let Some(m) = bad {
            return Err(m);
        }
    }
    Ok(())
}

/// Runs the whole chain: step values (all but the last) into `steps` (`n` each), the
/// output into `out`, with `gathered` as the block buffer of gathered inputs.
fn run(
    op: &ChainOp,
    values: &[f64],
    steps: &mut [f64],
    out: &mut [f64],
    gathered: &mut [f64],
) -> Result<(), String> {
    let n = op.n as usize;
    let bl = op.block();
    for base in (0..n).step_by(bl) {
        let len = bl.min(n - base);
        gather_block(op, values, gathered, base, len);
        // a one-step chain keeps no step values
        let at = base.min(steps.len());
        let last = &mut out[base..base + len];
        forward_block(op, values, gathered, &mut steps[at..], n, last, base, len)?;
    }
    Ok(())
}

/// Forward rule: step values into the partial buffer, the last into `out`.
pub(super) fn forward(
    op: &ChainOp,
    lo: &[f64],
    out: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    let steps = &mut partials[op.partials as usize..op.partials as usize + op.partials_len()];
    run(
        op,
        lo,
        steps,
        out,
        &mut work[..op.inputs.len() * op.block()],
    )
}

/// The chain's output computed apart from any tape sweep (the cold path of ops that
/// report an invalid argument with the materialised values).
#[cold]
pub(super) fn evaluate(op: &ChainOp, values: &[f64]) -> Result<Vec<f64>, String> {
    let mut out = vec![0.0; op.n as usize];
    let mut steps = vec![0.0; op.partials_len()];
    let mut gathered = vec![0.0; op.inputs.len() * op.block()];
    run(op, values, &mut steps, &mut out, &mut gathered)?;
    Ok(out)
}

/// Pushes the last register's adjoint (in `radj` at `last · block`, set by the caller)
/// back through the steps of one block; the other registers' adjoints (register `r` at
/// `r · block`) are cleared first. Data inputs get no adjoint, and a broadcast scalar's
/// is summed into its register's first element.
pub(super) fn backward_block(op: &ChainOp, at: &Regs, radj: &mut [f64], base: usize, len: usize) {
    let bl = op.block();
    let k = op.inputs.len();
    let last = k + op.steps.len() - 1;
    for (r, o) in op.inputs.iter().enumerate().filter(|(_, o)| o.slot.active) {
        let width = if o.slot.len() == 1 && op.n != 1 {
            1
        } else {
            len
        };
        radj[r * bl..r * bl + width].fill(0.0);
    }
    for r in k..last {
        radj[r * bl..r * bl + len].fill(0.0);
    }
    for (j, step) in op.steps.iter().enumerate().rev() {
        let r = k + j;
        // operands are lower registers: their adjoints lie below this step's
        let (lower, upper) = radj.split_at_mut(r * bl);
        let gy = &upper[..len];
        let y = reg(op, r, at, base, len);
        let to = |a: u8| {
            let a = a as usize;
            op.inputs
                .get(a)
                .is_none_or(|o| o.slot.active)
                .then_some(a * bl)
        };
        match *step {
            Step::Unary(f, a) => {
                if let Some(to) = to(a) {
                    let x = reg(op, a as usize, at, base, len);
                    f.backward(x, y, gy, &mut lower[to..to + len]);
                }
            }
            Step::Binary(f, a, b) => {
                let xa = reg(op, a as usize, at, base, len);
                let xb = reg(op, b as usize, at, base, len);
                f.backward(xa, xb, y, gy, lower, to(a), to(b));
            }
        }
    }
}

/// Adds the adjoint `d` of input `o` over elements `base..base + len` to `a`, an
/// adjoint shaped like the input's slot (scattered through a folded gather, summed for
/// a broadcast scalar).
pub(super) fn add_input(o: &Operand, n: usize, d: &[f64], a: &mut [f64], base: usize) {
    match &o.index {
        Some(ix) => {
            for (&i, &v) in ix[base..base + d.len()].iter().zip(d) {
                a[i as usize] += v;
            }
        }
        None if o.slot.len() == 1 && n != 1 => a[0] += d[0],
        None => {
            for (t, &v) in a[base..base + d.len()].iter_mut().zip(d) {
                *t += v;
            }
        }
    }
}

/// Reverse rule: per block, push the output adjoint back through the steps in a stack
/// buffer of register adjoints, then add the inputs' into the tape's adjoints.
pub(super) fn backward(
    op: &ChainOp,
    values: &[f64],
    adj: &mut [f64],
    g: &[f64],
    partials: &[f64],
    work: &mut [f64],
) {
    let n = op.n as usize;
    let bl = op.block();
    let steps = &partials[op.partials as usize..op.partials as usize + op.partials_len()];
    let k = op.inputs.len();
    let last = k + op.steps.len() - 1;
    let out = &values[op.out.range()];
    let (gathered, radj) = work.split_at_mut(k * bl);
    for base in (0..n).step_by(bl) {
        let len = bl.min(n - base);
        gather_block(op, values, gathered, base, len);
        let at = Regs {
            values,
            gathered,
            steps: &steps[base.min(steps.len())..],
            stride: n,
            last: &out[base..],
        };
        radj[last * bl..last * bl + len].copy_from_slice(&g[base..base + len]);
        backward_block(op, &at, radj, base, len);
        for (r, o) in op.inputs.iter().enumerate().filter(|(_, o)| o.slot.active) {
            add_input(
                o,
                n,
                &radj[r * bl..r * bl + len],
                &mut adj[o.slot.range()],
                base,
            );
        }
    }
}
