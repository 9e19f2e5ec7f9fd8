//! The plan's step for the fused normal op (`normal_op`) when no argument is read
//! through an index: each argument read elementwise or as a broadcast scalar at an offset
//! fixed when the plan is made, the element loop monomorphised for the argument forms and
//! the partials it stores. Values, partials and messages are those of `normal_op`.

use super::chain_form::Uses;
use super::normal_op::NormalOp;
use super::op::Op;
use super::plan::{Bufs, Forward, Reverse, Step, fallback};
use super::plan_eager::Mode;
use super::plan_fuse;
use super::plan_scalar;
use super::slot::Slot;
use crate::dist::special::LOG_SQRT_TWO_PI;

/// Element access of one argument at a fixed offset.
trait At: Copy + Send + Sync + 'static {
    /// The accessor of the operand at `at`.
    fn new(at: usize) -> Self;
    /// True for a broadcast scalar.
    const ONE: bool;
    /// True for data known, when the plan was made, to be a valid scale.
    const VALID: bool = false;
    /// The argument's elements in `v` (one for a broadcast scalar, else `n`).
    fn slice(self, v: &[f64], n: usize) -> &[f64];
    /// Element `i` of the argument, given its [`At::slice`].
    fn get(xs: &[f64], i: usize) -> f64;
    /// Adds `x`, the adjoint of element `i`, to the argument's adjoint: at once for
    /// elements, into `acc` for a broadcast scalar (see [`At::flush`]).
    fn push(self, adj: &mut [f64], i: usize, x: f64, acc: &mut f64);
    /// Adds what [`At::push`] collected in `acc` (a broadcast scalar's adjoint).
    fn flush(self, adj: &mut [f64], acc: f64);
}

/// A broadcast scalar.
#[derive(Clone, Copy)]
struct One(usize);
/// Elements `at..at + n`; with `VALID`, data known to be positive and finite.
#[derive(Clone, Copy)]
struct Elems<const VALID: bool>(usize);
/// Elements of any argument.
type All = Elems<false>;
/// A data scale vector checked when the plan was made.
type Valid = Elems<true>;

impl At for One {
    fn new(at: usize) -> Self {
        One(at)
    }
    const ONE: bool = true;
    #[inline(always)]
    fn slice(self, v: &[f64], _: usize) -> &[f64] {
        &v[self.0..self.0 + 1]
    }
    #[inline(always)]
    fn get(xs: &[f64], _: usize) -> f64 {
        xs[0]
    }
    #[inline(always)]
    fn push(self, _: &mut [f64], _: usize, x: f64, acc: &mut f64) {
        *acc += x;
    }
    #[inline(always)]
    fn flush(self, adj: &mut [f64], acc: f64) {
        adj[self.0] += acc;
    }
}
impl<const V: bool> At for Elems<V> {
    fn new(at: usize) -> Self {
        Elems(at)
    }
    const ONE: bool = false;
    const VALID: bool = V;
    #[inline(always)]
    fn slice(self, v: &[f64], n: usize) -> &[f64] {
        &v[self.0..self.0 + n]
    }
    #[inline(always)]
    fn get(xs: &[f64], i: usize) -> f64 {
        xs[i]
    }
    #[inline(always)]
    fn push(self, adj: &mut [f64], i: usize, x: f64, _: &mut f64) {
        adj[self.0 + i] += x;
    }
    #[inline(always)]
    fn flush(self, _: &mut [f64], _: f64) {}
}

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
    let valid = valid_scale(n.sigma.slot, init);
    if len == 1 {
        return Some(plan_scalar::normal(op, shape, valid, reverse(shape), term));
    }
    let eager = term.then_some([shape.active[1], false, false]);
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
    eager: Option<On>,
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
/// of the location's operands take adjoints), a target term's eager forward too.
fn build<Y: At, M: Mu, S: At>(
    generic: Vec<Op>,
    reverse: Reverse,
    shape: Shape,
    y: Y,
    m: M,
    s: S,
    eager: Option<On>,
) -> Step {
    let g = generic;
    let forward = match (shape.loc.is_some(), shape.scale.is_some() && !shape.one[2]) {
        (true, true) => forward::<Y, M, S, true, true>(g, shape, y, m, s),
        (true, false) => forward::<Y, M, S, true, false>(g, shape, y, m, s),
        (false, true) => forward::<Y, M, S, false, true>(g, shape, y, m, s),
        (false, false) => forward::<Y, M, S, false, false>(g, shape, y, m, s),
    };
    let mut step = Step::new(forward, reverse);
    if let Some(on) = eager {
        step.mode = Mode::Eager(eager_forward(shape, y, m, s, on));
    }
    step
}

/// The forward of a target term (its adjoint is one): the value as [`forward`] computes
/// it, each element's partials added to the adjoints as they are computed, no partials
/// stored. False on a possibly invalid argument, the adjoints then partly updated.
fn eager_forward<Y: At, M: Mu, S: At>(shape: Shape, y: Y, m: M, s: S, on: On) -> Forward {
    let Shape { n, out, .. } = shape;
    let [ya, ma, sa] = shape.active;
    let log_sigma = !shape.propto || sa;
    let constant = if shape.propto {
        0.0
    } else {
        n as f64 * LOG_SQRT_TWO_PI
    };
    Box::new(move |bufs: &mut Bufs| {
        let (v, adj, _, _) = bufs.eager();
        let (ys, ms, ss) = (y.slice(v, n), m.view(v, n), s.slice(v, n));
        // as in `forward`: a bad sigma is caught here, anything else by the sum
        let mut bad = S::ONE && !positive(ss[0]);
        let (mut sum_sq, mut y_acc, mut s_acc, mut m_acc) = (0.0, 0.0, 0.0, [0.0; 3]);
        for i in 0..n {
            let (yv, mv, sv) = (Y::get(ys, i), M::at(ms, i), S::get(ss, i));
            if !S::ONE && !S::VALID {
                bad |= !positive(sv);
            }
            let inv = 1.0 / sv;
            let z = (yv - mv) * inv;
            let z2 = z * z;
            sum_sq += z2;
            let t = z * inv;
            if ya {
                y.push(adj, i, -t, &mut y_acc);
            }
            if ma {
                m.push(ms, adj, i, t, &mut m_acc, on);
            }
            if sa && !S::ONE {
                s.push(adj, i, (z2 - 1.0) * inv, &mut s_acc);
            }
        }
        if bad || !sum_sq.is_finite() {
            return false;
        }
        if ya {
            y.flush(adj, y_acc);
        }
        if ma {
            m.flush(adj, m_acc, on);
        }
        let log_sum = match (log_sigma, S::ONE) {
            (false, _) => 0.0,
            (true, true) => n as f64 * ss[0].ln(),
            (true, false) => ss.iter().map(|x| x.ln()).sum(),
        };
        if sa && S::ONE {
            // Σᵢ (zᵢ² - 1) / sigma
            adj[shape.at[2]] += (sum_sq - n as f64) / ss[0];
        }
        v[out] = -0.5 * sum_sq - log_sum - constant;
        true
    })
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
    let log_sigma = !shape.propto || shape.active[2];
    let constant = if shape.propto {
        0.0
    } else {
        n as f64 * LOG_SQRT_TWO_PI
    };
    Box::new(move |bufs: &mut Bufs| {
        let (v, p, w) = bufs.forward();
        let mut sum_sq = 0.0;
        let (ys, ms, ss) = (y.slice(v, n), m.view(v, n), s.slice(v, n));
        // a NaN y, a non-finite mu or a zero sigma makes the sum non-finite, checked
        // after the loop; a negative or infinite sigma is checked here
        let mut bad = S::ONE && !positive(ss[0]);
        let mut log_sum = 0.0;
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
            let (yv, mv, sv) = (Y::get(ys, i), M::at(ms, i), S::get(ss, i));
            if !S::ONE && !S::VALID {
                bad |= !positive(sv);
            }
            let inv = 1.0 / sv;
            let z = (yv - mv) * inv;
            let z2 = z * z;
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
        if log_sigma {
            log_sum = match shape.one[2] {
                true => n as f64 * ss[0].ln(),
                false => ss.iter().map(|x| x.ln()).sum(),
            };
        }
        if shape.one[2] && shape.scale.is_some() {
            // a broadcast scalar sigma: Σᵢ (zᵢ² - 1) / sigma
            p[scale] = (sum_sq - n as f64) / v[shape.at[2]];
        }
        v[out] = -0.5 * sum_sq - log_sum - constant;
        true
    })
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
/// `p`, `q` and `r`. Only for an elementwise `y` and no folded gathers.
pub(super) fn fused(
    ops: &[Op],
    uses: &Uses,
    i: usize,
    n: &NormalOp,
    init: &[f64],
    term: bool,
    absorbed: &mut [bool],
) -> Option<Step> {
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
    let valid = valid_scale(n.sigma.slot, init);
    let step = match (p.len() == 1, q.len() == 1, r.len() == 1) {
        (true, true, _) => affine::<One, One, All>(generic, shape, location, valid, term),
        (true, false, _) => affine::<One, All, All>(generic, shape, location, valid, term),
        (false, true, false) => affine::<All, One, All>(generic, shape, location, valid, term),
        (false, true, true) => affine::<All, One, One>(generic, shape, location, valid, term),
        (false, false, _) => affine::<All, All, All>(generic, shape, location, valid, term),
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
    valid: bool,
    term: bool,
) -> Step {
    let [p, q, r] = l.at;
    let m = Affine(P::new(p), Q::new(q), R::new(r));
    let (y, s) = (All::new(shape.at[0]), shape.at[2]);
    let rev = affine_reverse::<P, Q, R>(shape, l);
    let e = term.then_some(l.active);
    match (shape.one[2], valid) {
        (true, _) => build(generic, rev, shape, y, m, One(s), e),
        (false, true) => build(generic, rev, shape, y, m, Valid::new(s), e),
        (false, false) => build(generic, rev, shape, y, m, All::new(s), e),
    }
}

/// How the fused forward reads the location: one argument ([`At`]) or `p + q .* r`.
trait Mu: Copy + Send + Sync + 'static {
    type View<'a>: Copy;
    fn view(self, v: &[f64], n: usize) -> Self::View<'_>;
    /// Element `i` of the location.
    fn at(view: Self::View<'_>, i: usize) -> f64;
    /// Adds `t`, the adjoint of element `i` of the location, to its operands' adjoints
    /// (those `on`), broadcast scalars' shares collected in `acc` (see [`Mu::flush`]).
    fn push(self, view: Self::View<'_>, adj: &mut [f64], i: usize, t: f64, acc: &mut Acc, on: On);
    /// Adds the broadcast scalars' shares collected by [`Mu::push`].
    fn flush(self, adj: &mut [f64], acc: Acc, on: On);
}

/// Adjoint shares of a location's operands collected over the elements.
type Acc = [f64; 3];
/// Which operands of a location take adjoints (the first for a plain argument).
type On = [bool; 3];

impl<A: At> Mu for A {
    type View<'a> = &'a [f64];
    #[inline(always)]
    fn view(self, v: &[f64], n: usize) -> &[f64] {
        self.slice(v, n)
    }
    #[inline(always)]
    fn at(view: &[f64], i: usize) -> f64 {
        A::get(view, i)
    }
    #[inline(always)]
    fn push(self, _: &[f64], adj: &mut [f64], i: usize, t: f64, acc: &mut Acc, on: On) {
        if on[0] {
            At::push(self, adj, i, t, &mut acc[0]);
        }
    }
    #[inline(always)]
    fn flush(self, adj: &mut [f64], acc: Acc, on: On) {
        if on[0] {
            At::flush(self, adj, acc[0]);
        }
    }
}

/// The location `p + q .* r`.
#[derive(Clone, Copy)]
struct Affine<P, Q, R>(P, Q, R);

impl<P: At, Q: At, R: At> Mu for Affine<P, Q, R> {
    type View<'a> = (&'a [f64], &'a [f64], &'a [f64]);
    #[inline(always)]
    fn view(self, v: &[f64], n: usize) -> Self::View<'_> {
        (self.0.slice(v, n), self.1.slice(v, n), self.2.slice(v, n))
    }
    #[inline(always)]
    fn at((p, q, r): Self::View<'_>, i: usize) -> f64 {
        P::get(p, i) + Q::get(q, i) * R::get(r, i)
    }
    #[inline(always)]
    fn push(
        self,
        (_, q, r): Self::View<'_>,
        adj: &mut [f64],
        i: usize,
        t: f64,
        acc: &mut Acc,
        on: On,
    ) {
        let [a0, a1, a2] = acc;
        if on[0] {
            self.0.push(adj, i, t, a0);
        }
        if on[1] {
            self.1.push(adj, i, t * R::get(r, i), a1);
        }
        if on[2] {
            self.2.push(adj, i, t * Q::get(q, i), a2);
        }
    }
    #[inline(always)]
    fn flush(self, adj: &mut [f64], acc: Acc, on: On) {
        if on[0] {
            self.0.flush(adj, acc[0]);
        }
        if on[1] {
            self.1.flush(adj, acc[1]);
        }
        if on[2] {
            self.2.flush(adj, acc[2]);
        }
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
        let (qs, rs) = (Q::new(qa).slice(v, n), R::new(ra).slice(v, n));
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
