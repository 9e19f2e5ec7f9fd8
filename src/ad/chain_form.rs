//! Forming chains when a tape is finished: every tree of elementwise ops over vectors of
//! one length whose intermediate results no other op reads (with the gathers feeding
//! them) is replaced by one [`ChainOp`]. [`Uses`] (which ops are read once, as a whole)
//! is shared with the other passes that fold one op into its reader.

use super::chain::{ChainOp, MAX_REGISTERS, Step};
use super::normal_op::Operand;
use super::op::Op;
use super::slot::Slot;
use std::sync::Arc;

/// Shortest vectors worth a chain: below this the per-block set-up costs more than the
/// separate ops it replaces (measured with callgrind on eight schools, 8 elements).
const MIN_CHAIN_LEN: usize = 32;

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

    /// How many times op `k`'s result is read whole, the tape's result counting as one
    /// read.
    pub(super) fn reads(&self, k: usize) -> u32 {
        self.count[k]
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
