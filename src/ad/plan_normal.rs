//! The plan's step for the fused normal op (`normal_op`) when no argument is read
//! through an index: each argument read elementwise or as a broadcast scalar at an offset
//! fixed when the plan is made, the element loop monomorphised for the argument forms and
//! the partials it stores. Values, partials and messages are those of `normal_op`.

use super::chain_form::Uses;
use super::normal_op::NormalOp;
use super::op::Op;
use super::plan::{Bufs, Forward, Reverse, Step, fallback};
use super::plan_access::{Affine, All, At, Mu, On, One, Valid};
use super::plan_eager::Mode;
use super::plan_fold::{self, Prior};
use super::plan_fuse;
use super::plan_normal_eager;
use super::plan_scalar;
use super::slot::Slot;
use crate::dist::special::LOG_SQRT_TWO_PI;
use std::sync::Arc;

/// What a step needs besides the argument accessors.
#[derive(Clone, Copy)]
pub(super) struct Shape {
    pub(super) n: usize,
    pub(super) out: usize,
    /// Offset of the location partials (`z / sigma`), when `y` or `mu` is active.
    pub(super) loc: Option<usize>,
    /// Offset of the scale partials, when `sigma` is active.
    pub(super) scale: Option<usize>,
    /// Which arguments (y, mu, sigma) are broadcast scalars.
    pub(super) one: [bool; 3],
    pub(super) propto: bool,
    pub(super) active: [bool; 3],
    pub(super) at: [usize; 3],
}

impl Shape {
    /// True when `Σ log sigma` is part of the value (kept by `target +=`, or sigma is a
    /// parameter).
    pub(super) fn log_sigma(&self) -> bool {
        !self.propto || self.active[2]
    }

    /// The value's constant `n · log √(2π)`, dropped by `~`.
    pub(super) fn constant(&self) -> f64 {
        if self.propto {
            0.0
        } else {
            self.n as f64 * LOG_SQRT_TWO_PI
        }
    }

    /// Offsets of the location and scale partials and the scale partials' length (one
    /// for a broadcast scalar `sigma`).
    fn partial_ranges(&self) -> (usize, usize, usize) {
        let scale_len = if self.one[2] { 1 } else { self.n };
        (self.loc.unwrap_or(0), self.scale.unwrap_or(0), scale_len)
    }
}

/// The step for `n`, or `None` when an argument is read through an index. `init` holds
/// the data, which no evaluation changes.
pub(super) fn step(op: &Op, n: &NormalOp, init: &[f64], term: bool) -> Option<Step> {
    if n.y.index.is_some() || n.mu.index.is_some() || n.sigma.index.is_some() {
        return None;
    }
    let len = n.n as usize;
    let one = |s: &Slot| s.len() == 1 && len != 1;
    let args = [&n.y.slot, &n.mu.slot, &n.sigma.slot];
    if args.iter().any(|s| !one(s) && s.len() != len) {
        return None;
    }
    let p0 = n.partials as usize;
    let loc_len = if n.y.slot.active || n.mu.slot.active {
        len
    } else {
        0
    };
    let shape = Shape {
        n: len,
        out: n.out.offset(),
        loc: (loc_len > 0).then_some(p0),
        scale: n.sigma.slot.active.then_some(p0 + loc_len),
        one: args.map(one),
        propto: n.propto,
        active: args.map(|s| s.active),
        at: args.map(|s| s.offset()),
    };
    let s = shape.at[2];
    let inverse = inverse_scale(n.sigma.slot, init);
    let valid = inverse.is_some();
    if len == 1 {
        return Some(plan_scalar::normal(
            op,
            shape,
            valid,
            init,
            reverse(shape),
            term,
        ));
    }
    let eager = term.then(|| Eager {
        on: [shape.active[1], false, false],
        prior: None,
        inverse,
    });
    Some(match (shape.one[0], shape.one[1], shape.one[2]) {
        (y1, m1, true) => with_sigma(op, shape, y1, m1, One(s), eager),
        (y1, m1, false) if valid => with_sigma(op, shape, y1, m1, Valid::new(s), eager),
        (y1, m1, false) => with_sigma(op, shape, y1, m1, All::new(s), eager),
    })
}

/// [`build`] for the forms of `y` and `mu`, given the accessor of `sigma`.
fn with_sigma<S: At>(
    op: &Op,
    shape: Shape,
    y_one: bool,
    m_one: bool,
    s: S,
    eager: Option<Eager>,
) -> Step {
    let [y, m, _] = shape.at;
    let (g, r) = (vec![op.clone()], reverse(shape));
    match (y_one, m_one) {
        (false, false) => build(g, r, shape, All::new(y), All::new(m), s, eager),
        (false, true) => build(g, r, shape, All::new(y), One(m), s, eager),
        (true, false) => build(g, r, shape, One(y), All::new(m), s, eager),
        (true, true) => build(g, r, shape, One(y), One(m), s, eager),
    }
}

/// The step with the forward for the argument forms and the partials stored; `generic`
/// are the ops it stands for, in order, run on an invalid argument. With `eager` (which
/// of the location's operands take adjoints, and a prior folded into the loop, see
/// `plan_fold`), a target term's eager forward too.
fn build<Y: At, M: Mu, S: At>(
    generic: Vec<Op>,
    reverse: Reverse,
    shape: Shape,
    y: Y,
    m: M,
    s: S,
    eager: Option<Eager>,
) -> Step {
    let g = generic;
    let forward = match (shape.loc.is_some(), shape.scale.is_some() && !shape.one[2]) {
        (true, true) => forward::<Y, M, S, true, true>(g, shape, y, m, s),
        (true, false) => forward::<Y, M, S, true, false>(g, shape, y, m, s),
        (false, true) => forward::<Y, M, S, false, true>(g, shape, y, m, s),
        (false, false) => forward::<Y, M, S, false, false>(g, shape, y, m, s),
    };
    let mut step = Step::new(forward, reverse);
    if let Some(e) = eager {
        step.mode = Mode::Eager(plan_normal_eager::forward(shape, y, m, s, e));
    }
    step
}

fn forward<Y: At, M: Mu, S: At, const LOC: bool, const SCALE: bool>(
    generic: Vec<Op>,
    shape: Shape,
    y: Y,
    m: M,
    s: S,
) -> Forward {
    let Shape { n, out, .. } = shape;
    let (loc, scale) = (shape.loc.unwrap_or(0), shape.scale.unwrap_or(0));
    let (log_sigma, constant) = (shape.log_sigma(), shape.constant());
    Box::new(move |bufs: &mut Bufs| {
        let (v, p, w) = bufs.forward();
        let mut sum_sq = 0.0;
        let (ys, ms, ss) = (y.val(v, n), m.view(v, n), s.val(v, n));
        // a NaN y, a non-finite mu or a zero sigma makes the sum non-finite, checked
        // after the loop; a negative or infinite sigma is checked here
        let mut bad = S::ONE && !positive(S::get(ss, 0));
        let (pl, ps) = p.split_at_mut(if SCALE {
            scale
        } else {
            loc + n * usize::from(LOC)
        });
        let pl = if LOC {
            &mut pl[loc..loc + n]
        } else {
            &mut [][..]
        };
        let ps = if SCALE { &mut ps[..n] } else { &mut [][..] };
        for i in 0..n {
            let (inv, z, z2) = standardise::<Y, M, S>(ys, ms, ss, i, &mut bad);
            sum_sq += z2;
            if LOC {
                pl[i] = z * inv;
            }
            if SCALE {
                ps[i] = (z2 - 1.0) * inv;
            }
        }
        if bad || !sum_sq.is_finite() {
            // the generic rules, as without the plan (a location first)
            return generic.iter().all(|op| fallback(op, v, p, w));
        }
        let log_sum = if log_sigma {
            log_scale::<S>(s.slice(v, n), n)
        } else {
            0.0
        };
        if shape.one[2] && shape.scale.is_some() {
            // a broadcast scalar sigma: Σᵢ (zᵢ² - 1) / sigma
            p[scale] = (sum_sq - n as f64) / v[shape.at[2]];
        }
        v[out] = -0.5 * sum_sq - log_sum - constant;
        true
    })
}

/// Element `i` of a normal density: `1 / sigma`, `z = (y - mu) / sigma` and `z²`. A
/// sigma that is not known valid is checked here (`bad`); anything else invalid makes the
/// sum of `z²` non-finite, which the caller checks after its loop.
#[inline(always)]
pub(super) fn standardise<Y: At, M: Mu, S: At>(
    ys: Y::Val<'_>,
    ms: M::View<'_>,
    ss: S::Val<'_>,
    i: usize,
    bad: &mut bool,
) -> (f64, f64, f64) {
    let sv = S::get(ss, i);
    if !S::ONE && !S::VALID {
        *bad |= !positive(sv);
    }
    scaled::<Y, M>(ys, ms, i, 1.0 / sv)
}

/// [`standardise`] given `inv`, which is `1 / sigma`.
#[inline(always)]
pub(super) fn scaled<Y: At, M: Mu>(
    ys: Y::Val<'_>,
    ms: M::View<'_>,
    i: usize,
    inv: f64,
) -> (f64, f64, f64) {
    let z = (Y::get(ys, i) - M::at(ms, i)) * inv;
    (inv, z, z * z)
}

/// `Σᵢ log sigmaᵢ` over `n` elements (a call, so that it is not computed speculatively
/// when unused).
#[inline(never)]
pub(super) fn log_scale<S: At>(ss: &[f64], n: usize) -> f64 {
    match S::ONE {
        true => n as f64 * ss[0].ln(),
        false => ss.iter().map(|x| x.ln()).sum(),
    }
}

/// What a target term's eager forward (`plan_normal_eager`) needs besides the argument
/// accessors.
pub(super) struct Eager {
    /// Which of the location's operands take adjoints.
    pub(super) on: On,
    /// A prior folded into the loop (`plan_fold`).
    pub(super) prior: Option<Prior>,
    /// `1 / sigma` of a valid data scale ([`inverse_scale`]).
    pub(super) inverse: Option<Arc<[f64]>>,
}

/// `1 / sigmaᵢ` for each element of `s` when it is a valid data scale ([`valid_scale`]):
/// a loop over a scale that no evaluation changes multiplies by these instead of
/// dividing. They are the values the loop would compute (`1.0 / sigmaᵢ`), so its results
/// are unchanged.
pub(super) fn inverse_scale(s: Slot, init: &[f64]) -> Option<Arc<[f64]>> {
    valid_scale(s, init).then(|| init[s.range()].iter().map(|x| 1.0 / x).collect())
}

/// True when `s` is data (which no evaluation changes) and every value of it in `init`
/// is a valid scale.
pub(super) fn valid_scale(s: Slot, init: &[f64]) -> bool {
    !s.active
        && init
            .get(s.range())
            .is_some_and(|xs| xs.iter().all(|&x| positive(x)))
}

/// `0 < x < ∞` (false for NaN).
#[inline(always)]
pub(super) fn positive(x: f64) -> bool {
    x > 0.0 && x < f64::INFINITY
}

fn reverse(shape: Shape) -> Reverse {
    let Shape { n, out, at, .. } = shape;
    let [ya, ma, sa] = shape.active;
    let [y_one, m_one, sigma_one] = shape.one;
    let (loc, scale, scale_len) = shape.partial_ranges();
    Box::new(move |bufs: &mut Bufs| {
        let (_, adj, p, _) = bufs.reverse();
        let g = adj[out];
        adj[out] = 0.0;
        if ya {
            add(adj, at[0], y_one, &p[loc..loc + n], -g);
        }
        if ma {
            add(adj, at[1], m_one, &p[loc..loc + n], g);
        }
        if sa {
            add(adj, at[2], sigma_one, &p[scale..scale + scale_len], g);
        }
    })
}

/// Adds `scale · d` to the adjoint at `at` (elementwise, or summed into one scalar).
#[inline(always)]
fn add(adj: &mut [f64], at: usize, one: bool, d: &[f64], scale: f64) {
    if one {
        adj[at] += scale * crate::math::sum::sum(d);
    } else {
        for (t, &v) in adj[at..at + d.len()].iter_mut().zip(d) {
            *t += scale * v;
        }
    }
}

/// The step of the normal op `i` whose location `p + q .* r` is computed by a product
/// and an addition that nothing else reads (found by `plan_fuse::affine_location`):
/// the location is formed element by element, the two ops are marked in `absorbed` and
/// get no step, and the reverse sweep sends each element's location adjoint straight to
/// `p`, `q` and `r`. Only for an elementwise `y` and no folded gathers. A target term's
/// eager loop also takes a normal prior over `r` (`plan_fold`), marked in `folded`;
/// `is_term` says which ops are target terms.
#[allow(clippy::too_many_arguments)]
pub(super) fn fused(
    ops: &[Op],
    uses: &Uses,
    i: usize,
    n: &NormalOp,
    init: &[f64],
    is_term: impl Fn(usize) -> bool,
    absorbed: &mut [bool],
    folded: &mut [bool],
) -> Option<Step> {
    let term = is_term(i);
    let len = n.n as usize;
    let no_index = n.y.index.is_none() && n.mu.index.is_none() && n.sigma.index.is_none();
    let sigma_one = n.sigma.slot.len() == 1;
    if len < 2 || !no_index || n.y.slot.len() != len || !n.mu.slot.active {
        return None;
    }
    if !sigma_one && n.sigma.slot.len() != len {
        return None;
    }
    let ([m, add], [p, mut q, mut r]) = plan_fuse::affine_location(ops, uses, n.mu.slot)?;
    if [p, q, r].iter().any(|s| s.len() != 1 && s.len() != len) {
        return None;
    }
    if r.len() == 1 {
        // q .* r = r .* q exactly: keep a vector, if any, in r
        std::mem::swap(&mut q, &mut r);
    }
    absorbed[m] = true;
    absorbed[add] = true;
    let p0 = n.partials as usize;
    let shape = Shape {
        n: len,
        out: n.out.offset(),
        loc: Some(p0),
        scale: n.sigma.slot.active.then_some(p0 + len),
        one: [false, false, sigma_one],
        propto: n.propto,
        active: [n.y.slot.active, true, n.sigma.slot.active],
        at: [n.y.slot.offset(), 0, n.sigma.slot.offset()],
    };
    let location = Location {
        at: [p, q, r].map(|s| s.offset()),
        active: [p, q, r].map(|s| s.active),
    };
    let generic = vec![ops[m].clone(), ops[add].clone(), ops[i].clone()];
    let inverse = inverse_scale(n.sigma.slot, init);
    // a prior over r folded into this loop (only a term's eager loop, over data y)
    let prior = match term && !n.y.slot.active {
        true => plan_fold::find(ops, init, r, len, is_term, folded),
        false => None,
    };
    if let Some((k, _)) = prior {
        folded[k] = true;
    }
    let prior = prior.map(|(_, p)| p);
    let (g, l) = (generic, location);
    let step = match (p.len() == 1, q.len() == 1, r.len() == 1) {
        (true, true, _) => affine::<One, One, All>(g, shape, l, inverse, term, prior),
        (true, false, _) => affine::<One, All, All>(g, shape, l, inverse, term, prior),
        (false, true, false) => affine::<All, One, All>(g, shape, l, inverse, term, prior),
        (false, true, true) => affine::<All, One, One>(g, shape, l, inverse, term, prior),
        (false, false, _) => affine::<All, All, All>(g, shape, l, inverse, term, prior),
    };
    Some(Step {
        op: i,
        absorbed: vec![m, add],
        ..step
    })
}

/// Where the operands `p`, `q`, `r` of a fused location `p + q .* r` live.
#[derive(Clone, Copy)]
struct Location {
    at: [usize; 3],
    active: [bool; 3],
}

fn affine<P: At, Q: At, R: At>(
    generic: Vec<Op>,
    shape: Shape,
    l: Location,
    inverse: Option<Arc<[f64]>>,
    term: bool,
    prior: Option<Prior>,
) -> Step {
    let [p, q, r] = l.at;
    let m = Affine(P::new(p), Q::new(q), R::new(r));
    let (y, s) = (All::new(shape.at[0]), shape.at[2]);
    let rev = affine_reverse::<P, Q, R>(shape, l);
    let valid = inverse.is_some();
    let e = term.then_some(Eager {
        on: l.active,
        prior,
        inverse,
    });
    match (shape.one[2], valid) {
        (true, _) => build(generic, rev, shape, y, m, One(s), e),
        (false, true) => build(generic, rev, shape, y, m, Valid::new(s), e),
        (false, false) => build(generic, rev, shape, y, m, All::new(s), e),
    }
}

fn affine_reverse<P: At, Q: At, R: At>(shape: Shape, l: Location) -> Reverse {
    let Shape { n, out, at, .. } = shape;
    let [ya, _, sa] = shape.active;
    let sigma_one = shape.one[2];
    let (loc, scale, scale_len) = shape.partial_ranges();
    let [pa, qa, ra] = l.at;
    let [p_on, q_on, r_on] = l.active;
    Box::new(move |bufs: &mut Bufs| {
        let (v, adj, p, _) = bufs.reverse();
        let g = adj[out];
        adj[out] = 0.0;
        let d = &p[loc..loc + n];
        if ya {
            add(adj, at[0], false, d, -g);
        }
        let (qs, rs) = (Q::new(qa).val(v, n), R::new(ra).val(v, n));
        // one pass: each element's location adjoint t to p (t), q (t·r) and r (t·q),
        // summed locally for a broadcast scalar
        let mut sums = [0.0; 3];
        for (i, &di) in d.iter().enumerate() {
            let t = g * di;
            let (qv, rv) = (Q::get(qs, i), R::get(rs, i));
            let parts = [
                (P::ONE, p_on, pa, t),
                (Q::ONE, q_on, qa, t * rv),
                (R::ONE, r_on, ra, t * qv),
            ];
            for (k, (one, on, at, x)) in parts.into_iter().enumerate() {
                match (on, one) {
                    (false, _) => {}
                    (true, true) => sums[k] += x,
                    (true, false) => adj[at + i] += x,
                }
            }
        }
        for ((&one, &on), (&at, s)) in [P::ONE, Q::ONE, R::ONE]
            .iter()
            .zip(&l.active)
            .zip(l.at.iter().zip(sums))
        {
            if on && one {
                adj[at] += s;
            }
        }
        if sa {
            add(adj, at[2], sigma_one, &p[scale..scale + scale_len], g);
        }
    })
}
