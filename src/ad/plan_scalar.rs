//! The plan's step for a normal density of one element (`mu ~ normal(0, 5)`): the
//! element loop of `plan_normal` without the loop, so a scalar prior costs a few
//! arithmetic operations instead of the loop's set-up. Values, partials and messages are
//! those of `normal_op`. Likewise a one-element `cauchy` prior with data location and
//! scale.

use super::op::Op;
use super::plan::{Bufs, Reverse, Step, fallback};
use super::plan_eager::Mode;
use super::plan_normal::{Shape, positive};
use crate::dist::special::LOG_PI;

/// The step for the one-element normal `op` of `shape`; `valid` when sigma is data
/// checked when the plan was made; `reverse` reads the partials the forward stores; as
/// a target term (`term`), an eager forward too. `init` holds the data.
pub(super) fn normal(
    op: &Op,
    shape: Shape,
    valid: bool,
    init: &[f64],
    reverse: Reverse,
    term: bool,
) -> Step {
    let [_, m, s] = shape.at;
    if valid && shape.active == [true, false, false] && init[m].is_finite() {
        return data_normal(op, shape, init[m], init[s], reverse, term);
    }
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

/// [`normal`] of a parameter with data location `mv` and valid data scale `sv` (a
/// prior such as `mu ~ normal(0, 5)`): both, and the logarithm of the scale, fixed when
/// the plan is made. The value and partial are computed by the same expressions as in
/// [`form`].
fn data_normal(op: &Op, shape: Shape, mv: f64, sv: f64, reverse: Reverse, term: bool) -> Step {
    let Shape { out, .. } = shape;
    let y = shape.at[0];
    let p0 = shape.loc.unwrap_or(0);
    let log_sum = if shape.log_sigma() { sv.ln() } else { 0.0 };
    let (constant, inv) = (shape.constant(), 1.0 / sv);
    // (value, z / sigma), or None for a non-finite y
    let eval = move |yv: f64| {
        let z = (yv - mv) * inv;
        let z2 = z * z;
        z2.is_finite()
            .then_some((-0.5 * z2 - log_sum - constant, z * inv))
    };
    // the partial is z / sigma, the derivative in y its negative
    prior::<_, true>(op, [y, out, p0], eval, reverse, term)
}

/// The step for `op`, a one-element `cauchy` density (`drop`: constants dropped, `~`)
/// of the active `y` at `y` with data location `m` and scale `s` (a prior such as
/// `tau ~ cauchy(0, 5)`): the location, the scale and the constant terms are fixed
/// when the plan is made, so an evaluation is one `log1p` and a few operations. The
/// value and derivative are computed as the family's rule computes them
/// (`crate::dist::cauchy`); the partial is stored at `p0` and the value at `o`. `None`
/// when the scale is not a valid one.
pub(super) fn cauchy(
    op: &Op,
    [y, m, s]: [usize; 3],
    init: &[f64],
    drop: bool,
    p0: usize,
    o: usize,
    term: bool,
) -> Option<Step> {
    let (mv, sv) = (*init.get(m)?, *init.get(s)?);
    if !positive(sv) || !mv.is_finite() {
        return None;
    }
    // the family's kept terms, in its order: -log π, -log sigma (data: kept by
    // `target +=` only), then -log1p(z²)
    let constant = if drop { 0.0 } else { -LOG_PI - sv.ln() };
    let eval = move |yv: f64| {
        let z = (yv - mv) / sv;
        let lp = constant - (z * z).ln_1p();
        let g = -2.0 * z / (1.0 + z * z);
        (lp.is_finite()).then_some((lp, g / sv))
    };
    let reverse: Reverse = Box::new(move |bufs: &mut Bufs| {
        let (_, adj, p, _) = bufs.reverse();
        let g = adj[o];
        adj[o] = 0.0;
        adj[y] += g * p[p0];
    });
    Some(prior::<_, false>(op, [y, o, p0], eval, reverse, term))
}

/// The step of a density of one parameter `y` whose rule `eval` gives its value and a
/// partial (`None` for a possibly invalid argument, which the generic rule of `op`
/// then reports): the forward stores the partial at `p0` and the value at `o` for
/// `reverse`; a target term's (`term`) eager forward adds the derivative in `y` (the
/// partial, negated when `NEG`) to its adjoint at once.
fn prior<E, const NEG: bool>(
    op: &Op,
    [y, o, p0]: [usize; 3],
    eval: E,
    reverse: Reverse,
    term: bool,
) -> Step
where
    E: Fn(f64) -> Option<(f64, f64)> + Copy + Send + Sync + 'static,
{
    let generic = op.clone();
    let mut step = Step::new(
        Box::new(move |bufs: &mut Bufs| {
            let (v, p, w) = bufs.forward();
            let Some((lp, d)) = eval(v[y]) else {
                return fallback(&generic, v, p, w);
            };
            p[p0] = d;
            v[o] = lp;
            true
        }),
        reverse,
    );
    if term {
        step.mode = Mode::Eager(Box::new(move |bufs: &mut Bufs| {
            let (v, adj) = bufs.eager();
            let Some((lp, d)) = eval(v[y]) else {
                return false;
            };
            adj[y] += if NEG { -d } else { d };
            v[o] = lp;
            true
        }));
    }
    step
}
