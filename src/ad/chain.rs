//! Fused elementwise chains: a tree of elementwise ops over vectors of one length (with
//! gathers and broadcast scalars at its leaves), such as the flagship's
//! `a[head] + u[passage] - exp(log_alpha[head] + beta * conv) .* log_d`, becomes one op.
//!
//! The op runs its steps block by block ([`BLOCK`] elements at a time) with the
//! existing slice kernels of [`Unary`] and [`Binary`], so there is no per-element
//! dispatch, and intermediate adjoints live in a small stack buffer instead of
//! full-length adjoint vectors (no zeroing, no long scatter passes). Step values are kept
//! in the scratch partial buffer for the reverse sweep. Chains are formed when the tape is
//! finished, from ops whose result no other op reads.

use super::normal_op::Operand;
use super::op::Op;
use super::slot::Slot;
use super::sweep::{domain_message, total_binary, total_unary};
use crate::math::elementwise::{Binary, Unary};
use std::sync::Arc;

/// Registers (inputs plus steps) of one chain; a longer tree is split into chains.
pub const MAX_REGISTERS: usize = 12;

/// Shortest vectors worth a chain: below this the per-block set-up costs more than the
/// separate ops it replaces (measured with callgrind on eight schools, 8 elements).
const MIN_CHAIN_LEN: usize = 32;

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
    fn block(&self) -> usize {
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

/// Where a sweep reads register values: the value buffer, the stored step values, the
/// output, and the block of gathered inputs (input `r` at `r · block`).
struct Regs<'a> {
    values: &'a [f64],
    steps: &'a [f64],
    out: &'a [f64],
    gathered: &'a [f64],
}

/// The values of register `r` for elements `base..base + len`.
fn reg<'a>(op: &ChainOp, r: usize, at: &Regs<'a>, base: usize, len: usize) -> &'a [f64] {
    let n = op.n as usize;
    let Regs {
        values,
        steps,
        out,
        gathered,
    } = *at;
    match op.inputs.get(r) {
        Some(o) if o.index.is_some() => &gathered[r * op.block()..r * op.block() + len],
        Some(o) if o.slot.len() == 1 && n != 1 => &values[o.slot.range()],
        Some(o) => &values[o.slot.offset() + base..o.slot.offset() + base + len],
        None => {
            let j = r - op.inputs.len();
            if j + 1 == op.steps.len() {
                &out[base..base + len]
            } else {
                &steps[j * n + base..j * n + base + len]
            }
        }
    }
}

/// Loads the gathered inputs of elements `base..base + len` (input `r` at `r · block`).
fn gather_block(op: &ChainOp, values: &[f64], gathered: &mut [f64], base: usize, len: usize) {
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

/// Forward rule: step values into the partial buffer, the last into `out`.
pub(super) fn forward(
    op: &ChainOp,
    lo: &[f64],
    out: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    let n = op.n as usize;
    let bl = op.block();
    let steps = &mut partials[op.partials as usize..op.partials as usize + op.partials_len()];
    let gathered = &mut work[..op.inputs.len() * bl];
    for base in (0..n).step_by(bl) {
        let len = bl.min(n - base);
        gather_block(op, lo, gathered, base, len);
        for (j, step) in op.steps.iter().enumerate() {
            // earlier steps are read, this one is written in place (the last into `out`)
            let (done, rest) = steps.split_at_mut(j * n);
            let at = Regs {
                values: lo,
                steps: done,
                out: &[],
                gathered,
            };
            let y = if j + 1 == op.steps.len() {
                &mut out[base..base + len]
            } else {
                &mut rest[base..base + len]
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
    }
    Ok(())
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
    let (gathered, radj) = work.split_at_mut(k * bl);
    for base in (0..n).step_by(bl) {
        let len = bl.min(n - base);
        gather_block(op, values, gathered, base, len);
        let at = Regs {
            values,
            steps,
            out: &values[op.out.range()],
            gathered,
        };
        for r in 0..last {
            radj[r * bl..r * bl + len].fill(0.0);
        }
        radj[last * bl..last * bl + len].copy_from_slice(&g[base..base + len]);
        for (j, step) in op.steps.iter().enumerate().rev() {
            let r = k + j;
            // operands are lower registers: their adjoints lie below this step's
            let (lower, upper) = radj.split_at_mut(r * bl);
            let gy = &upper[..len];
            let y = reg(op, r, &at, base, len);
            // a data input needs no adjoint
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
                        let x = reg(op, a as usize, &at, base, len);
                        f.backward(x, y, gy, &mut lower[to..to + len]);
                    }
                }
                Step::Binary(f, a, b) => {
                    let xa = reg(op, a as usize, &at, base, len);
                    let xb = reg(op, b as usize, &at, base, len);
                    f.backward(xa, xb, y, gy, lower, to(a), to(b));
                }
            }
        }
        for (r, o) in op.inputs.iter().enumerate().filter(|(_, o)| o.slot.active) {
            let d = &radj[r * bl..r * bl + len];
            let a = &mut adj[o.slot.range()];
            match &o.index {
                Some(ix) => {
                    for (&i, &v) in ix[base..base + len].iter().zip(d) {
                        a[i as usize] += v;
                    }
                }
                None if o.slot.len() == 1 && n != 1 => a[0] += d[0],
                None => {
                    for (t, &v) in a[base..base + len].iter_mut().zip(d) {
                        *t += v;
                    }
                }
            }
        }
    }
}

/// A chain under construction.
#[derive(Clone, Default)]
struct Draft {
    inputs: Vec<Operand>,
    steps: Vec<Step>,
    absorbed: Vec<usize>,
    gathers: usize,
}

impl Draft {
    fn registers(&self) -> usize {
        self.inputs.len() + self.steps.len()
    }

    fn input(&mut self, o: Operand) -> u8 {
        let same = |p: &Operand| {
            p.slot == o.slot
                && match (&p.index, &o.index) {
                    (None, None) => true,
                    (Some(x), Some(y)) => Arc::ptr_eq(x, y),
                    _ => false,
                }
        };
        match self.inputs.iter().position(same) {
            Some(r) => r as u8,
            None => {
                self.inputs.push(o);
                (self.inputs.len() - 1) as u8
            }
        }
    }
}

/// Which ops may be folded into a consumer: read by exactly one op, as a whole.
pub(super) struct Uses {
    owner: Vec<u32>,
    count: Vec<u32>,
    escaped: Vec<bool>,
}

const NO_OWNER: u32 = u32::MAX;

impl Uses {
    pub(super) fn new(ops: &[Op], len: usize, output: Slot) -> Self {
        let mut owner = vec![NO_OWNER; len];
        for (k, op) in ops.iter().enumerate() {
            owner[op.out().range()].fill(k as u32);
        }
        let mut count = vec![0; ops.len()];
        let mut escaped = vec![false; ops.len()];
        let mut read = |s: Slot, escaped: &mut Vec<bool>| {
            for &o in &owner[s.range()] {
                if o != NO_OWNER && ops[o as usize].out() != s {
                    escaped[o as usize] = true;
                }
            }
            if let Some(&o) = owner.get(s.offset())
                && o != NO_OWNER
                && ops[o as usize].out() == s
            {
                count[o as usize] += 1;
            }
        };
        read(output, &mut escaped);
        if let Some(&o) = owner.get(output.offset())
            && o != NO_OWNER
        {
            escaped[o as usize] = true;
        }
        for op in ops {
            for s in op.inputs() {
                read(s, &mut escaped);
            }
        }
        Uses {
            owner,
            count,
            escaped,
        }
    }

    /// The op whose output holds the value at `offset`, if an op produces it.
    pub(super) fn owner_of(&self, offset: usize) -> Option<usize> {
        let o = *self.owner.get(offset)?;
        (o != NO_OWNER).then_some(o as usize)
    }

    /// The op producing exactly `s` when only one op reads it.
    pub(super) fn single_use(&self, ops: &[Op], s: Slot) -> Option<usize> {
        let o = *self.owner.get(s.offset())?;
        (o != NO_OWNER
            && ops[o as usize].out() == s
            && self.count[o as usize] == 1
            && !self.escaped[o as usize])
            .then_some(o as usize)
    }
}

/// An elementwise op over vectors: its length.
fn elementwise_len(op: &Op) -> Option<usize> {
    match op {
        Op::Unary { out, .. } | Op::Binary { out, .. } if out.len() >= MIN_CHAIN_LEN => {
            Some(out.len())
        }
        _ => None,
    }
}

/// Adds the value `s` to the draft (folding its producer when possible); its register.
fn operand(d: &mut Draft, ops: &[Op], uses: &Uses, taken: &[bool], s: Slot, n: usize) -> u8 {
    if s.len() == n
        && let Some(o) = uses.single_use(ops, s)
        && !taken[o]
    {
        match &ops[o] {
            Op::Gather { x, index, .. } => {
                let r = d.input(Operand {
                    slot: *x,
                    index: Some(index.clone()),
                });
                d.absorbed.push(o);
                d.gathers += 1;
                return r;
            }
            op if elementwise_len(op) == Some(n) && d.registers() + 2 <= MAX_REGISTERS => {
                let mut trial = d.clone();
                let r = step(&mut trial, ops, uses, taken, o, n);
                if trial.registers() <= MAX_REGISTERS {
                    *d = trial;
                    d.absorbed.push(o);
                    return r;
                }
            }
            _ => {}
        }
    }
    d.input(Operand {
        slot: s,
        index: None,
    })
}

/// Adds elementwise op `k` as a step (its operands first); its register.
fn step(d: &mut Draft, ops: &[Op], uses: &Uses, taken: &[bool], k: usize, n: usize) -> u8 {
    let s = match ops[k] {
        Op::Unary { f, x, .. } => Step::Unary(f, operand(d, ops, uses, taken, x, n)),
        Op::Binary { f, a, b, .. } => {
            let ra = operand(d, ops, uses, taken, a, n);
            let rb = operand(d, ops, uses, taken, b, n);
            Step::Binary(f, ra, rb)
        }
        ref op => {
            let slot = op.out();
            return d.input(Operand { slot, index: None });
        }
    };
    d.steps.push(s);
    // provisional step register: renumbered after the inputs once the draft is done
    (MAX_REGISTERS + d.steps.len() - 1) as u8
}

/// Step registers drafted as `MAX_REGISTERS + j` become `inputs + j`.
fn renumber(d: &mut Draft) {
    let k = d.inputs.len() as u8;
    let at = |r: u8| {
        if r as usize >= MAX_REGISTERS {
            r - MAX_REGISTERS as u8 + k
        } else {
            r
        }
    };
    for s in &mut d.steps {
        *s = match *s {
            Step::Unary(f, a) => Step::Unary(f, at(a)),
            Step::Binary(f, a, b) => Step::Binary(f, at(a), at(b)),
        };
    }
}

/// Replaces every tree of single-use elementwise ops (and the gathers feeding them) by
/// one chain op; new step storage is allocated from `n_partials`.
pub(super) fn fuse(ops: Vec<Op>, len: usize, output: Slot, n_partials: &mut usize) -> Vec<Op> {
    let uses = Uses::new(&ops, len, output);
    let mut taken = vec![false; ops.len()];
    let mut chains: Vec<(usize, ChainOp)> = Vec::new();
    for k in (0..ops.len()).rev() {
        let Some(n) = elementwise_len(&ops[k]) else {
            continue;
        };
        if taken[k] {
            continue;
        }
        let mut d = Draft::default();
        step(&mut d, &ops, &uses, &taken, k, n);
        if d.steps.len() < 2 && d.gathers == 0 {
            continue;
        }
        renumber(&mut d);
        for &o in &d.absorbed {
            taken[o] = true;
        }
        taken[k] = true;
        let chain = ChainOp {
            partials: *n_partials as u32,
            out: ops[k].out(),
            inputs: d.inputs,
            steps: d.steps,
            n: n as u32,
        };
        *n_partials += chain.partials_len();
        chains.push((k, chain));
    }
    let mut fused: Vec<Option<ChainOp>> = vec![None; ops.len()];
    for (k, c) in chains {
        fused[k] = Some(c);
    }
    ops.into_iter()
        .zip(fused)
        .zip(taken)
        .filter_map(|((op, c), t)| match c {
            Some(c) => Some(Op::Chain(Arc::new(c))),
            None => (!t).then_some(op),
        })
        .collect()
}
