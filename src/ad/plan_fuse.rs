//! Fusions made when the plan is built: an op whose result exactly one other op reads
//! can be folded into that op's step and need no step of its own. A run of scalar
//! additions (a model's `target` terms) becomes one sum, and a normal density whose
//! location is `p + q .* r` (the non-centred `mu + tau * z`, or `alpha + beta * x`)
//! computes its location element by element instead of reading a vector two other ops
//! wrote (see `plan_normal`).

use super::op::Op;
use super::plan::{Bufs, Step};
use super::slot::Slot;
use crate::math::elementwise::Binary;

/// Who reads each op's result.
pub(super) struct Readers {
    /// For each value of the buffer, the op that writes it (`u32::MAX` for parameters
    /// and data).
    owner: Vec<u32>,
    /// How many times each op's result is read (once per input slot overlapping it,
    /// and once for the tape's result).
    count: Vec<u32>,
    /// The last op reading each op's result (`u32::MAX` for the tape's result).
    last: Vec<u32>,
}

impl Readers {
    /// The readers of every op of `ops` over a value buffer of `len` values with result
    /// `output`.
    pub(super) fn new(ops: &[Op], output: Slot, len: usize) -> Readers {
        let mut owner = vec![u32::MAX; len];
        for (i, op) in ops.iter().enumerate() {
            owner[op.out().range()].fill(i as u32);
        }
        let mut r = Readers {
            count: vec![0; ops.len()],
            last: vec![u32::MAX; ops.len()],
            owner,
        };
        for (j, op) in ops.iter().enumerate() {
            for s in op.inputs() {
                r.read(s, j as u32);
            }
        }
        r.read(output, u32::MAX);
        r
    }

    fn read(&mut self, s: Slot, by: u32) {
        let mut prev = u32::MAX;
        for &o in &self.owner[s.range()] {
            if o != u32::MAX && o != prev {
                self.count[o as usize] += 1;
                self.last[o as usize] = by;
                prev = o;
            }
        }
    }

    /// The op whose result is exactly `s`, if any.
    pub(super) fn producer(&self, ops: &[Op], s: Slot) -> Option<usize> {
        let &o = self.owner.get(s.offset())?;
        (o != u32::MAX && ops[o as usize].out() == s).then_some(o as usize)
    }

    /// True when op `i`'s result is read once, by op `j`.
    pub(super) fn only(&self, i: usize, j: usize) -> bool {
        self.count[i] == 1 && self.last[i] as usize == j
    }
}

/// The fused sum at the root `root` of a run of scalar additions: the additions that
/// feed it through their left operand and that nothing else reads are marked in
/// `absorbed`, and the step adds the leaves left to right (the order, and so the
/// rounding, of the additions it replaces). `None` when nothing is absorbed.
pub(super) fn sum(
    ops: &[Op],
    readers: &Readers,
    root: usize,
    absorbed: &mut [bool],
) -> Option<Step> {
    let Op::ScalarBinary {
        f: Binary::Add,
        out,
        ..
    } = ops[root]
    else {
        return None;
    };
    let mut leaves: Vec<(usize, bool)> = Vec::new();
    let mut covered = Vec::new();
    let mut at = root;
    // walk down the left operands, collecting right operands on the way
    let mut rights = Vec::new();
    loop {
        let Op::ScalarBinary {
            f: Binary::Add,
            a,
            b,
            a_active,
            b_active,
            ..
        } = ops[at]
        else {
            unreachable!("only additions are walked");
        };
        rights.push((b as usize, b_active));
        let left = Slot {
            start: a,
            rows: 1,
            cols: 1,
            active: a_active,
        };
        match readers.producer(ops, left) {
            Some(k) if readers.only(k, at) && is_scalar_add(&ops[k]) => {
                covered.push(k);
                at = k;
            }
            _ => {
                leaves.push((a as usize, a_active));
                break;
            }
        }
    }
    if covered.is_empty() {
        return None;
    }
    leaves.extend(rights.into_iter().rev());
    for &k in &covered {
        absorbed[k] = true;
    }
    covered.reverse();
    let o = out as usize;
    let values: Vec<usize> = leaves.iter().map(|&(l, _)| l).collect();
    let active: Vec<usize> = leaves.iter().filter(|l| l.1).map(|&(l, _)| l).collect();
    Some(Step {
        forward: Box::new(move |bufs: &mut Bufs| {
            let v = &mut bufs.values;
            let mut s = v[values[0]];
            for &l in &values[1..] {
                s += v[l];
            }
            v[o] = s;
            true
        }),
        reverse: Box::new(move |bufs: &mut Bufs| {
            let adj = &mut bufs.adj;
            let g = adj[o];
            adj[o] = 0.0;
            for &l in &active {
                adj[l] += g;
            }
        }),
        op: root,
        absorbed: covered,
    })
}

fn is_scalar_add(op: &Op) -> bool {
    matches!(op, Op::ScalarBinary { f: Binary::Add, .. })
}

/// The location `p + q .* r` of the normal op `normal`: the addition and product that
/// compute it (`[product, addition]`) and the operands `[p, q, r]`, when nothing else
/// reads either result.
pub(super) fn affine_location(
    ops: &[Op],
    readers: &Readers,
    normal: usize,
    mu: Slot,
) -> Option<([usize; 2], [Slot; 3])> {
    let add = readers.producer(ops, mu)?;
    let Op::Binary {
        f: Binary::Add,
        a,
        b,
        ..
    } = ops[add]
    else {
        return None;
    };
    if !readers.only(add, normal) {
        return None;
    }
    let product = |s: Slot| {
        let m = readers.producer(ops, s)?;
        match ops[m] {
            Op::Binary {
                f: Binary::Mul,
                a: q,
                b: r,
                ..
            } if readers.only(m, add) => Some((m, q, r)),
            _ => None,
        }
    };
    let (m, p, q, r) = match (product(b), product(a)) {
        (Some((m, q, r)), _) => (m, a, q, r),
        (None, Some((m, q, r))) => (m, b, q, r),
        (None, None) => return None,
    };
    Some(([m, add], [p, q, r]))
}
