//! Fusions made when the plan is built: an op whose result exactly one other op reads
//! can be folded into that op's step and need no step of its own. A run of scalar
//! additions (a model's `target` terms) becomes one sum, and a normal density whose
//! location is `p + q .* r` (the non-centred `mu + tau * z`, or `alpha + beta * x`)
//! computes its location element by element instead of reading a vector two other ops
//! wrote (see `plan_normal`).

use super::chain_form::Uses;
use super::op::Op;
use super::plan::{Bufs, Forward, Reverse, Step};
use super::plan_eager::Mode;
use super::slot::Slot;
use crate::math::elementwise::Binary;

/// The additions of the run rooted at the scalar addition `root`: the additions that
/// feed it through their left operand and that nothing else reads (`covered`, in tape
/// order, the root excluded) and the operands they add (`leaves`: offset and activity,
/// left to right). `None` when `root` is not a scalar addition.
pub(super) fn add_run(ops: &[Op], uses: &Uses, root: usize) -> Option<AddRun> {
    if !is_scalar_add(&ops[root]) {
        return None;
    }
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
        // read once, the reader being this addition
        match uses.single_use(ops, left) {
            Some(k) if is_scalar_add(&ops[k]) => {
                covered.push(k);
                at = k;
            }
            _ => {
                leaves.push((a as usize, a_active));
                break;
            }
        }
    }
    leaves.extend(rights.into_iter().rev());
    covered.reverse();
    Some(AddRun { covered, leaves })
}

/// A run of scalar additions (see [`add_run`]).
pub(super) struct AddRun {
    pub(super) covered: Vec<usize>,
    pub(super) leaves: Vec<(usize, bool)>,
}

/// The fused sum at the root `root` of a run of scalar additions: the additions of its
/// run ([`add_run`]) are marked in `absorbed`, and the step adds the leaves left to right
/// (the order, and so the rounding, of the additions it replaces). `None` when nothing
/// is absorbed.
pub(super) fn sum(ops: &[Op], uses: &Uses, root: usize, absorbed: &mut [bool]) -> Option<Step> {
    let AddRun { covered, leaves } = add_run(ops, uses, root)?;
    if covered.is_empty() {
        return None;
    }
    for &k in &covered {
        absorbed[k] = true;
    }
    let o = ops[root].out().offset();
    let values: Vec<usize> = leaves.iter().map(|&(l, _)| l).collect();
    let active: Vec<usize> = leaves.iter().filter(|l| l.1).map(|&(l, _)| l).collect();
    Some(Step {
        forward: add_leaves(&values, o, Vec::new()),
        reverse: spread(o, active),
        op: root,
        absorbed: covered,
        mode: Mode::Lazy,
    })
}

/// The forward of a sum of the scalars at `values` (at least one), left to right, into
/// `o`; it also adds one to the adjoint of each of `unit` (a leaf listed twice takes it
/// twice): the eager sweep's root, whose own adjoint is one (`plan_eager`). The number
/// of leaves is fixed in the code up to eight.
pub(super) fn add_leaves(values: &[usize], o: usize, unit: Vec<usize>) -> Forward {
    match values.len() {
        1 => fixed::<1>(values, o, unit),
        2 => fixed::<2>(values, o, unit),
        3 => fixed::<3>(values, o, unit),
        4 => fixed::<4>(values, o, unit),
        5 => fixed::<5>(values, o, unit),
        6 => fixed::<6>(values, o, unit),
        7 => fixed::<7>(values, o, unit),
        8 => fixed::<8>(values, o, unit),
        _ => {
            let values = values.to_vec();
            Box::new(move |bufs: &mut Bufs| add_into(bufs, &values, o, &unit))
        }
    }
}

/// [`add_leaves`] for `K` leaves.
fn fixed<const K: usize>(values: &[usize], o: usize, unit: Vec<usize>) -> Forward {
    let at: [usize; K] = std::array::from_fn(|j| values[j]);
    Box::new(move |bufs: &mut Bufs| add_into(bufs, &at, o, &unit))
}

/// The body of [`add_leaves`]: the sum of the values at `at` into `o`, and one added to
/// the adjoint of each of `unit` (inlined, so that a fixed-length `at` stays unrolled).
#[inline(always)]
fn add_into(bufs: &mut Bufs, at: &[usize], o: usize, unit: &[usize]) -> bool {
    let v = &mut bufs.values;
    let mut s = v[at[0]];
    for &l in &at[1..] {
        s += v[l];
    }
    v[o] = s;
    for &l in unit {
        bufs.adj[l] += 1.0;
    }
    true
}

/// The reverse of a sum at `o`: its adjoint added to each of `leaves` (a leaf listed
/// twice takes it twice), then cleared.
pub(super) fn spread(o: usize, leaves: Vec<usize>) -> Reverse {
    Box::new(move |bufs: &mut Bufs| {
        let adj = &mut bufs.adj;
        let g = adj[o];
        adj[o] = 0.0;
        for &l in &leaves {
            adj[l] += g;
        }
    })
}

fn is_scalar_add(op: &Op) -> bool {
    matches!(op, Op::ScalarBinary { f: Binary::Add, .. })
}

/// The location `mu = p + q .* r` of a normal density: the addition and product that
/// compute it (`[product, addition]`) and the operands `[p, q, r]`, when nothing but the
/// density reads the sum and nothing but the addition reads the product.
pub(super) fn affine_location(
    ops: &[Op],
    uses: &Uses,
    mu: Slot,
) -> Option<([usize; 2], [Slot; 3])> {
    // each result read once: by the density, by the addition
    let add = uses.single_use(ops, mu)?;
    let Op::Binary {
        f: Binary::Add,
        a,
        b,
        ..
    } = ops[add]
    else {
        return None;
    };
    let product = |s: Slot| {
        let m = uses.single_use(ops, s)?;
        match ops[m] {
            Op::Binary {
                f: Binary::Mul,
                a: q,
                b: r,
                ..
            } => Some((m, q, r)),
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
