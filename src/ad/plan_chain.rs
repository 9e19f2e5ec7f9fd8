//! The plan's step for a normal density fused with an affine location (`normal_chain`):
//! when the fused chain is `p + q .* r` (radon's `alpha[county] + beta * floor`), the
//! step goes through the rows once, forming each row's location, its density term and
//! its gradient contributions in registers, instead of the op's block-by-block slice
//! kernels (which gather, multiply, add and push adjoints back through each step, reading
//! every row several times). The gradient lands in the op's own partial layout, so the
//! op's reverse rule applies unchanged; an invalid argument re-runs the op's generic rule.

use super::chain::{ChainOp, Step as ChainStep};
use super::normal_chain::NormalChainOp;
use super::normal_op::{self, Operand};
use super::op::Op;
use super::plan::{self, Bufs, Forward, Step};
use super::plan_normal;
use crate::math::elementwise::Binary;
use std::sync::Arc;

/// How element `i` of an operand is found in its slot.
trait Arg: Clone + Send + Sync + 'static {
    /// True for a broadcast scalar (its gradient is summed in a register).
    const ONE: bool = false;
    fn of(o: &Operand) -> Self;
    fn at(&self, i: usize) -> usize;
}

/// A broadcast scalar.
#[derive(Clone)]
struct Bcast;
/// Element `i` itself.
#[derive(Clone)]
struct Elems;
/// Element `index[i]` (a gather folded into the operand).
#[derive(Clone)]
struct Picked(Arc<[u32]>);

impl Arg for Bcast {
    const ONE: bool = true;
    fn of(_: &Operand) -> Self {
        Bcast
    }
    #[inline(always)]
    fn at(&self, _: usize) -> usize {
        0
    }
}
impl Arg for Elems {
    fn of(_: &Operand) -> Self {
        Elems
    }
    #[inline(always)]
    fn at(&self, i: usize) -> usize {
        i
    }
}
impl Arg for Picked {
    fn of(o: &Operand) -> Self {
        Picked(o.index.clone().unwrap_or_else(|| Arc::from(Vec::new())))
    }
    #[inline(always)]
    fn at(&self, i: usize) -> usize {
        self.0[i] as usize
    }
}

/// The form of an operand over `n` elements: 0 broadcast, 1 elementwise, 2 gathered.
fn form(o: &Operand, n: usize) -> Option<u8> {
    match (&o.index, o.slot.len()) {
        (Some(ix), _) if ix.len() == n => Some(2),
        (Some(_), _) => None,
        (None, 1) if n != 1 => Some(0),
        (None, l) if l == n => Some(1),
        _ => None,
    }
}

/// The chain's inputs `[p, q, r]` when it computes `p + q .* r` (in either order).
fn affine(c: &ChainOp) -> Option<[usize; 3]> {
    let m = u8::try_from(c.inputs.len()).ok()?;
    let [
        ChainStep::Binary(Binary::Mul, a, b),
        ChainStep::Binary(Binary::Add, x, y),
    ] = c.steps[..]
    else {
        return None;
    };
    let p = match (x == m, y == m) {
        (true, false) if y < m => y,
        (false, true) if x < m => x,
        _ => return None,
    };
    (a < m && b < m).then_some([p, a, b].map(usize::from))
}

/// Where one operand's gradient starts in the op's partial region, if it is active.
#[derive(Clone, Copy)]
struct Layout {
    p: Option<usize>,
    q: Option<usize>,
    r: Option<usize>,
    y: Option<usize>,
    sigma: Option<usize>,
    len: usize,
}

/// The step for `op` (tape op `i`), or `None` when its chain is not affine or its `y`
/// or `sigma` has a form this step does not cover (a `y` that is not elementwise; a
/// `sigma` that is neither a broadcast scalar nor data checked here to be positive).
pub(super) fn step(op: &Op, nc: &NormalChainOp, init: &[f64]) -> Option<Step> {
    let (d, c) = (&nc.normal, &nc.mu);
    let n = d.n as usize;
    if n == 0 {
        return None;
    }
    let [pi, mut qi, mut ri] = affine(c)?;
    if form(&d.y, n)? != 1 || d.sigma.index.is_some() {
        return None;
    }
    let sigma_one = d.sigma.slot.len() == 1 && n != 1;
    let sigma_valid_data = d.sigma.slot.len() == n && plan_normal::valid_scale(d.sigma.slot, init);
    if !sigma_one && !sigma_valid_data {
        return None;
    }
    if form(&c.inputs[qi], n)? > form(&c.inputs[ri], n)? {
        // q .* r = r .* q exactly: keep the simpler form first
        std::mem::swap(&mut qi, &mut ri);
    }
    // the op's partial layout: active chain inputs in order, then y, then sigma
    let mut at = 0;
    let mut starts = vec![None; c.inputs.len()];
    for (s, o) in starts.iter_mut().zip(&c.inputs) {
        if o.slot.active {
            *s = Some(at);
            at += o.slot.len();
        }
    }
    let y = d.y.slot.active.then(|| {
        at += d.y.slot.len();
        at - d.y.slot.len()
    });
    let sigma = d.sigma.slot.active.then(|| {
        at += d.sigma.slot.len();
        at - d.sigma.slot.len()
    });
    if at != nc.partials_len() {
        return None;
    }
    let layout = Layout {
        p: starts[pi],
        q: starts[qi],
        r: starts[ri],
        y,
        sigma,
        len: at,
    };
    let [fp, fq, fr] = [pi, qi, ri].map(|k| form(&c.inputs[k], n));
    let operands = [pi, qi, ri].map(|k| c.inputs[k].clone());
    let args = Args {
        op: op.clone(),
        nc: nc.clone(),
        operands,
        layout,
    };
    let forward = match (fp?, fq?, fr?) {
        (0, q, r) => with_p::<Bcast>(args, q, r),
        (1, q, r) => with_p::<Elems>(args, q, r),
        (_, q, r) => with_p::<Picked>(args, q, r),
    }?;
    let generic = plan::generic(op);
    Some(Step::new(forward, generic.reverse))
}

/// What the forward closure needs.
#[derive(Clone)]
struct Args {
    op: Op,
    nc: NormalChainOp,
    operands: [Operand; 3],
    layout: Layout,
}

fn with_p<P: Arg>(args: Args, q: u8, r: u8) -> Option<Forward> {
    Some(match (q, r) {
        (0, 0) => forward::<P, Bcast, Bcast>(args),
        (0, 1) => forward::<P, Bcast, Elems>(args),
        (0, _) => forward::<P, Bcast, Picked>(args),
        (1, 1) => forward::<P, Elems, Elems>(args),
        (1, _) => forward::<P, Elems, Picked>(args),
        (_, 2) => forward::<P, Picked, Picked>(args),
        _ => return None,
    })
}

fn forward<P: Arg, Q: Arg, R: Arg>(args: Args) -> Forward {
    let sigma_one = args.nc.normal.sigma.slot.len() == 1 && args.nc.normal.n != 1;
    match sigma_one {
        true => forward_with::<P, Q, R, true>(args),
        false => forward_with::<P, Q, R, false>(args),
    }
}

/// [`forward`] for a broadcast scalar `sigma` (`SIGMA_ONE`) or a vector of data.
fn forward_with<P: Arg, Q: Arg, R: Arg, const SIGMA_ONE: bool>(args: Args) -> Forward {
    let [po, qo, ro] = &args.operands;
    let (p, q, r) = (P::of(po), Q::of(qo), R::of(ro));
    let slots = [po.slot.range(), qo.slot.range(), ro.slot.range()];
    let Args { op, nc, layout, .. } = args;
    let d = &nc.normal;
    let n = d.n as usize;
    let (g0, y0) = (d.partials as usize, d.y.slot.offset());
    Box::new(move |bufs: &mut Bufs| {
        let (v, part, w) = bufs.forward();
        let d = &nc.normal;
        let grads = &mut part[g0..g0 + layout.len];
        grads.fill(0.0);
        let (ps, qs, rs) = (
            &v[slots[0].clone()],
            &v[slots[1].clone()],
            &v[slots[2].clone()],
        );
        let ys = &v[y0..y0 + n];
        let ss = &v[d.sigma.slot.range()];
        if SIGMA_ONE && !(ss[0] > 0.0 && ss[0] < f64::INFINITY) {
            return plan::fallback(&op, v, part, w);
        }
        let inv_one = 1.0 / ss[0];
        let mut sum_sq = 0.0;
        // gradients of broadcast operands, summed here
        let (mut dp, mut dq, mut dr) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let (pa, qa, ra) = (p.at(i), q.at(i), r.at(i));
            let (qv, rv) = (qs[qa], rs[ra]);
            let inv = if SIGMA_ONE { inv_one } else { 1.0 / ss[i] };
            let z = (ys[i] - (ps[pa] + qv * rv)) * inv;
            sum_sq += z * z;
            let l = z * inv;
            match (P::ONE, layout.p) {
                (true, _) => dp += l,
                (false, Some(o)) => grads[o + pa] += l,
                _ => {}
            }
            match (Q::ONE, layout.q) {
                (true, _) => dq += l * rv,
                (false, Some(o)) => grads[o + qa] += l * rv,
                _ => {}
            }
            match (R::ONE, layout.r) {
                (true, _) => dr += l * qv,
                (false, Some(o)) => grads[o + ra] += l * qv,
                _ => {}
            }
            if let Some(o) = layout.y {
                grads[o + i] += l;
            }
        }
        if !sum_sq.is_finite() {
            return plan::fallback(&op, v, part, w);
        }
        for (one, at, x) in [
            (P::ONE, layout.p, dp),
            (Q::ONE, layout.q, dq),
            (R::ONE, layout.r, dr),
        ] {
            if let (true, Some(o)) = (one, at) {
                grads[o] += x;
            }
        }
        if let Some(o) = layout.sigma {
            // a broadcast scalar sigma (a vector sigma here is data)
            grads[o] = (sum_sq - n as f64) / ss[0];
        }
        let counts = d.sigma_counts.as_deref();
        let lp = normal_op::log_density(&d.sigma, counts, n, d.propto, sum_sq, v);
        v[d.out.offset()] = lp;
        true
    })
}
