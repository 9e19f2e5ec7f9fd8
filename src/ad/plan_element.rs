//! The plan's step for a distribution call whose arguments are all one element (a
//! scalar prior such as `tau ~ cauchy(0, 5)`): the family's rule for one element
//! (`ElementRule`) evaluated directly, with the number of arguments fixed in the code so
//! that gathering them and using their partials are straight-line. Its partials are
//! stored as the generic kernel op stores them; as a target term its eager form adds them
//! to the adjoints at once.

use super::kernel::ElementRule;
use super::op::Op;
use super::plan::{Bufs, Step, fallback};
use super::plan_eager::Mode;
use std::sync::Arc;

/// The step for `op`, a call of `rule` on the one-element values at `at` (those
/// `active` take adjoints), storing partials from `p0` and its value at `o`; `term` when
/// it is a target term. `None` for more than four arguments.
pub(super) fn step(
    op: &Op,
    rule: Box<dyn ElementRule>,
    at: &[usize],
    active: &[bool],
    p0: usize,
    o: usize,
    term: bool,
) -> Option<Step> {
    let rule: Arc<dyn ElementRule> = Arc::from(rule);
    Some(match at.len() {
        1 => form::<1>(op, rule, at, active, p0, o, term),
        2 => form::<2>(op, rule, at, active, p0, o, term),
        3 => form::<3>(op, rule, at, active, p0, o, term),
        4 => form::<4>(op, rule, at, active, p0, o, term),
        _ => return None,
    })
}

/// [`step`] for `K` arguments.
fn form<const K: usize>(
    op: &Op,
    rule: Arc<dyn ElementRule>,
    at: &[usize],
    active: &[bool],
    p0: usize,
    o: usize,
    term: bool,
) -> Step {
    let ins: [usize; K] = std::array::from_fn(|j| at[j]);
    let on: [bool; K] = std::array::from_fn(|j| active[j]);
    // partial offset of each argument (the active ones are stored in order)
    let mut next = p0;
    let partial: [usize; K] = std::array::from_fn(|j| {
        let at = next;
        next += usize::from(on[j]);
        at
    });
    let gather = move |v: &[f64]| -> [f64; K] { std::array::from_fn(|j| v[ins[j]]) };
    let op = op.clone();
    let lazy = rule.clone();
    let mut step = Step::new(
        Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            let x = gather(v);
            let mut d = [0.0; K];
            match lazy.eval(&x, &mut d) {
                Some(lp) => {
                    for j in 0..K {
                        if on[j] {
                            p[partial[j]] = d[j];
                        }
                    }
                    v[o] = lp;
                    true
                }
                None => fallback(&op, v, p, w),
            }
        }),
        Box::new(move |bufs: &mut Bufs| {
            let (_, adj, p, _) = bufs.reverse();
            let g = adj[o];
            adj[o] = 0.0;
            for j in 0..K {
                if on[j] {
                    adj[ins[j]] += g * p[partial[j]];
                }
            }
        }),
    );
    if term {
        step.mode = Mode::Eager(Box::new(move |bufs: &mut Bufs| {
            let (v, adj) = bufs.eager();
            let x = gather(v);
            let mut d = [0.0; K];
            let Some(lp) = rule.eval(&x, &mut d) else {
                return false;
            };
            for j in 0..K {
                if on[j] {
                    adj[ins[j]] += d[j];
                }
            }
            v[o] = lp;
            true
        }));
    }
    step
}
