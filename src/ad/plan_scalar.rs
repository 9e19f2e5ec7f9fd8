//! The plan's step for a normal density of one element (`mu ~ normal(0, 5)`): the
//! element loop of `plan_normal` without the loop, so a scalar prior costs a few
//! arithmetic operations instead of the loop's set-up. Values, partials and messages are
//! those of `normal_op`.

use super::op::Op;
use super::plan::{Bufs, Reverse, Step, fallback};
use super::plan_eager::Mode;
use super::plan_normal::{Shape, positive};

/// The step for the one-element normal `op` of `shape`; `valid` when sigma is data
/// checked when the plan was made; `reverse` reads the partials the forward stores; as
/// a target term (`term`), an eager forward too.
pub(super) fn normal(op: &Op, shape: Shape, valid: bool, reverse: Reverse, term: bool) -> Step {
    // two forms, so that the logarithm is not computed (speculatively) when unused
    match shape.log_sigma() {
        true => form::<true>(op, shape, valid, reverse, term),
        false => form::<false>(op, shape, valid, reverse, term),
    }
}

/// [`normal`], with `log(sigma)` in the value when `LOG_SIGMA`.
fn form<const LOG_SIGMA: bool>(
    op: &Op,
    shape: Shape,
    valid: bool,
    reverse: Reverse,
    term: bool,
) -> Step {
    let Shape { out, .. } = shape;
    let [y, m, s] = shape.at;
    let [ya, ma, sa] = shape.active;
    let constant = shape.constant();
    // (value, z / sigma, (z² - 1) / sigma), or None for a possibly invalid argument
    let eval = move |v: &[f64]| {
        let sv = v[s];
        let inv = 1.0 / sv;
        let z = (v[y] - v[m]) * inv;
        let z2 = z * z;
        if !(valid || positive(sv)) || !z2.is_finite() {
            return None;
        }
        let log_sum = if LOG_SIGMA { sv.ln() } else { 0.0 };
        Some((-0.5 * z2 - log_sum - constant, z * inv, (z2 - 1.0) * inv))
    };
    let generic = op.clone();
    let mut step = Step::new(
        Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            let Some((lp, dl, ds)) = eval(v) else {
                return fallback(&generic, v, p, w);
            };
            if let Some(l) = shape.loc {
                p[l] = dl;
            }
            if let Some(k) = shape.scale {
                p[k] = ds;
            }
            v[out] = lp;
            true
        }),
        reverse,
    );
    if term {
        step.mode = Mode::Eager(Box::new(move |bufs: &mut Bufs| {
            let (v, adj) = bufs.eager();
            let Some((lp, dl, ds)) = eval(v) else {
                return false;
            };
            if ya {
                adj[y] -= dl;
            }
            if ma {
                adj[m] += dl;
            }
            if sa {
                adj[s] += ds;
            }
            v[out] = lp;
            true
        }));
    }
    step
}
