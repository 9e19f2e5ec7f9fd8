//! The fused normal log density op: `normal_lpdf(y | mu, sigma)` (or its `propto` form)
//! evaluated natively on the tape, with `mu` and `sigma` read either directly, as a
//! broadcast scalar, or through an index array (a fused gather: `sigma[group]` costs no
//! gather op, no intermediate buffer and no adjoint zeroing, and its reverse is one
//! scatter-add into the short source vector).
//!
//! The forward sweep stores one partial per element (`z / sigma`, shared by `y` and
//! `mu`, and `(z² - 1) / sigma` for a per-element `sigma`); the reverse sweep only scales
//! them by the output adjoint. On an invalid argument the op hands the materialised
//! arguments to the generic distribution kernel it replaces, so errors read exactly as
//! they do without the fusion.

use super::builder::{BuildError, TapeBuilder, err};
use super::kernel::ScalarKernel;
use super::op::Op;
use super::slot::Slot;
use crate::dist::special::LOG_SQRT_TWO_PI;
use std::sync::Arc;

/// One argument of the fused op: a slot read elementwise, as a broadcast scalar (a 1×1
/// slot and more than one element), or through `index` (element `i` is
/// `slot[index[i]]`).
#[derive(Clone)]
pub struct Operand {
    /// Where the values live.
    pub slot: Slot,
    /// The gather folded into this argument, if any.
    pub index: Option<Arc<[u32]>>,
}

impl Operand {
    pub(super) fn is_broadcast(&self, n: usize) -> bool {
        self.index.is_none() && self.slot.len() == 1 && n != 1
    }

    /// The argument as the generic kernel sees it (the gather applied).
    pub(super) fn materialise(&self, values: &[f64]) -> Vec<f64> {
        let xs = &values[self.slot.range()];
        match &self.index {
            Some(ix) => ix.iter().map(|&i| xs[i as usize]).collect(),
            None => xs.to_vec(),
        }
    }
}

/// `normal_lpdf(y | mu, sigma)` over `n` elements.
#[derive(Clone)]
pub struct NormalOp {
    pub y: Operand,
    pub mu: Operand,
    pub sigma: Operand,
    /// Number of elements (the common length of the container arguments).
    pub n: u32,
    /// Drop terms that do not depend on a parameter (`~`, `_lupdf`).
    pub propto: bool,
    /// For a gathered `sigma`: how many elements read each source element, so that
    /// `Σᵢ log sigma[index[i]]` costs one logarithm per source element.
    pub sigma_counts: Option<Arc<[f64]>>,
    /// Offset of this op's partials in the scratch partial buffer.
    pub partials: u32,
    pub out: Slot,
    /// The generic kernel this op replaces: it reports invalid arguments.
    pub fallback: Arc<dyn ScalarKernel>,
}

impl NormalOp {
    /// Partials kept between the sweeps: `n` shared by `y` and `mu` when either is
    /// active, and `n` (1 for a broadcast scalar) for an active `sigma`.
    pub fn partials_len(&self) -> usize {
        let n = self.n as usize;
        let loc = if self.y.slot.active || self.mu.slot.active {
            n
        } else {
            0
        };
        let scale = match (self.sigma.slot.active, self.sigma.is_broadcast(n)) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => n,
        };
        loc + scale
    }

    /// The argument slots (sources of folded gathers), in signature order.
    pub fn inputs(&self) -> Vec<Slot> {
        vec![self.y.slot, self.mu.slot, self.sigma.slot]
    }
}

/// Element access of one argument, resolved once per sweep so the element loop is
/// specialised for every combination of argument forms.
pub(super) trait Get: Copy {
    fn get(self, i: usize) -> f64;
    /// Asserts that elements `0..n` exist, once before the loop, so the loop itself
    /// carries no bounds checks.
    fn reaches(self, n: usize);
}

/// A broadcast scalar.
#[derive(Clone, Copy)]
pub(super) struct One(pub f64);
/// Element `i` of a vector.
#[derive(Clone, Copy)]
pub(super) struct All<'a>(pub &'a [f64]);
/// Element `index[i]` of a vector (a folded gather).
#[derive(Clone, Copy)]
pub(super) struct Pick<'a>(pub &'a [f64], pub &'a [u32]);

impl Get for One {
    #[inline(always)]
    fn get(self, _: usize) -> f64 {
        self.0
    }
    #[inline(always)]
    fn reaches(self, _: usize) {}
}
impl Get for All<'_> {
    #[inline(always)]
    fn get(self, i: usize) -> f64 {
        self.0[i]
    }
    #[inline(always)]
    fn reaches(self, n: usize) {
        assert!(self.0.len() >= n);
    }
}
impl Get for Pick<'_> {
    #[inline(always)]
    fn get(self, i: usize) -> f64 {
        self.0[self.1[i] as usize]
    }
    #[inline(always)]
    fn reaches(self, n: usize) {
        assert!(self.1.len() >= n);
    }
}

/// Binds `$a` to the accessor of operand `$op` and evaluates `$body`.
macro_rules! with_access {
    ($op:expr, $vals:expr, $n:expr, |$a:ident| $body:expr) => {
        match &$op.index {
            Some(ix) => {
                let $a = Pick(&$vals[$op.slot.range()], ix);
                $body
            }
            None if $op.is_broadcast($n) => {
                let $a = One($vals[$op.slot.offset()]);
                $body
            }
            None => {
                let $a = All(&$vals[$op.slot.range()]);
                $body
            }
        }
    };
}

/// The element loop: `Σ z²` and whether any element is invalid; writes `z / sigma` into
/// `loc` and `(z² - 1) / sigma` into `scale` when they are non-empty.
#[inline(always)]
fn elements<Y: Get, M: Get, S: Get>(
    y: Y,
    mu: M,
    sigma: S,
    n: usize,
    loc: &mut [f64],
    scale: &mut [f64],
) -> (f64, bool) {
    match (loc.len() == n, scale.len() == n) {
        (true, true) => elements_into::<Y, M, S, true, true>(y, mu, sigma, n, loc, scale),
        (true, false) => elements_into::<Y, M, S, true, false>(y, mu, sigma, n, loc, scale),
        (false, true) => elements_into::<Y, M, S, false, true>(y, mu, sigma, n, loc, scale),
        (false, false) => elements_into::<Y, M, S, false, false>(y, mu, sigma, n, loc, scale),
    }
}

/// [`elements`] with the partials it writes fixed at compile time and every length
/// checked before the loop, so the loop has no branches but the loop test.
#[inline(always)]
fn elements_into<Y: Get, M: Get, S: Get, const LOC: bool, const SCALE: bool>(
    y: Y,
    mu: M,
    sigma: S,
    n: usize,
    loc: &mut [f64],
    scale: &mut [f64],
) -> (f64, bool) {
    y.reaches(n);
    mu.reaches(n);
    sigma.reaches(n);
    assert!(!LOC || loc.len() >= n);
    assert!(!SCALE || scale.len() >= n);
    let mut sum_sq = 0.0;
    let mut bad = false;
    for i in 0..n {
        let (yv, mv, sv) = (y.get(i), mu.get(i), sigma.get(i));
        bad |= yv.is_nan() | !mv.is_finite() | !(sv > 0.0 && sv.is_finite());
        let inv = 1.0 / sv;
        let z = (yv - mv) * inv;
        let z2 = z * z;
        sum_sq += z2;
        if LOC {
            loc[i] = z * inv;
        }
        if SCALE {
            scale[i] = (z2 - 1.0) * inv;
        }
    }
    (sum_sq, bad)
}

/// `Σᵢ log sigma_i` over the `n` elements (`counts`: see [`NormalOp::sigma_counts`]).
fn log_sigma_sum(sigma: &Operand, counts: Option<&[f64]>, n: usize, values: &[f64]) -> f64 {
    let xs = &values[sigma.slot.range()];
    match (counts, sigma.is_broadcast(n)) {
        (Some(counts), _) => counts
            .iter()
            .zip(xs)
            .filter(|(c, _)| **c > 0.0)
            .map(|(c, s)| c * s.ln())
            .sum(),
        (None, true) => n as f64 * xs[0].ln(),
        (None, false) => xs.iter().map(|s| s.ln()).sum(),
    }
}

/// Forward rule: the value into `out`, the partials into `partials`.
pub(super) fn forward(
    op: &NormalOp,
    lo: &[f64],
    out: &mut [f64],
    partials: &mut [f64],
) -> Result<(), String> {
    let n = op.n as usize;
    let buf = &mut partials[op.partials as usize..op.partials as usize + op.partials_len()];
    let (loc, scale) = buf.split_at_mut(if op.y.slot.active || op.mu.slot.active {
        n
    } else {
        0
    });
    let (sum_sq, bad) = with_access!(op.y, lo, n, |y| with_access!(op.mu, lo, n, |m| {
        with_access!(op.sigma, lo, n, |s| elements(y, m, s, n, loc, scale))
    }));
    if bad {
        return Err(invalid(op, lo));
    }
    if scale.len() == 1 && n != 1 {
        // a broadcast scalar sigma: Σᵢ (zᵢ² - 1) / sigma
        scale[0] = (sum_sq - n as f64) / lo[op.sigma.slot.offset()];
    }
    out[0] = log_density(
        &op.sigma,
        op.sigma_counts.as_deref(),
        n,
        op.propto,
        sum_sq,
        lo,
    );
    Ok(())
}

/// The log density from `Σ z²`: `-Σ z² / 2 - Σ log sigma - n log √(2π)`, dropping the
/// terms `propto` allows (`counts`: see [`NormalOp::sigma_counts`]).
pub(super) fn log_density(
    sigma: &Operand,
    counts: Option<&[f64]>,
    n: usize,
    propto: bool,
    sum_sq: f64,
    values: &[f64],
) -> f64 {
    let mut lp = -0.5 * sum_sq;
    if !propto || sigma.slot.active {
        lp -= log_sigma_sum(sigma, counts, n, values);
    }
    if !propto {
        lp -= n as f64 * LOG_SQRT_TWO_PI;
    }
    lp
}

/// The generic kernel's message for the invalid arguments (cold path; allocates).
#[cold]
fn invalid(op: &NormalOp, values: &[f64]) -> String {
    let args = [&op.y, &op.mu, &op.sigma].map(|a| a.materialise(values));
    let active = [&op.y, &op.mu, &op.sigma].map(|a| a.slot.active);
    fallback_message(&*op.fallback, &args, active)
}

/// What `fallback` says about the materialised arguments `(y, mu, sigma)`, of which
/// those marked `active` get gradients as on the tape (cold path; allocates).
#[cold]
pub(super) fn fallback_message(
    fallback: &dyn ScalarKernel,
    args: &[Vec<f64>; 3],
    active: [bool; 3],
) -> String {
    let mut grads: Vec<Vec<f64>> = args
        .iter()
        .zip(active)
        .map(|(x, a)| vec![0.0; if a { x.len() } else { 0 }])
        .collect();
    let ins: Vec<&[f64]> = args.iter().map(Vec::as_slice).collect();
    let mut gs: Vec<&mut [f64]> = grads.iter_mut().map(Vec::as_mut_slice).collect();
    match fallback.value_and_gradient(&ins, &mut gs) {
        Err(m) => m,
        Ok(_) => format!("{}: an argument is outside its domain", fallback.name()),
    }
}

/// Adds `scale · d` to the adjoint of `arg` (`d` per element, or one total for a
/// broadcast scalar).
fn add_adjoint(arg: &Operand, n: usize, adj: &mut [f64], d: &[f64], scale: f64) {
    let a = &mut adj[arg.slot.range()];
    match &arg.index {
        Some(ix) => {
            for (&i, &v) in ix.iter().zip(d) {
                a[i as usize] += scale * v;
            }
        }
        None if arg.is_broadcast(n) => a[0] += scale * crate::math::sum::sum(d),
        None => {
            for (t, &v) in a.iter_mut().zip(d) {
                *t += scale * v;
            }
        }
    }
}

/// Reverse rule: the output adjoint `g` times the stored partials.
pub(super) fn backward(op: &NormalOp, adj: &mut [f64], g: f64, partials: &[f64]) {
    let n = op.n as usize;
    let buf = &partials[op.partials as usize..op.partials as usize + op.partials_len()];
    let (loc, scale) = buf.split_at(if op.y.slot.active || op.mu.slot.active {
        n
    } else {
        0
    });
    if op.y.slot.active {
        add_adjoint(&op.y, n, adj, loc, -g);
    }
    if op.mu.slot.active {
        add_adjoint(&op.mu, n, adj, loc, g);
    }
    if op.sigma.slot.active {
        if scale.len() == 1 {
            adj[op.sigma.slot.offset()] += g * scale[0];
        } else {
            add_adjoint(&op.sigma, n, adj, scale, g);
        }
    }
}

impl TapeBuilder {
    /// `normal_lpdf(y | mu, sigma)` (all terms) or its `propto` form as one fused op;
    /// `fallback` is the generic kernel for the same call, used for error messages and
    /// whenever the arguments' sizes do not fit the fused op (it then reports them). A
    /// `mu` or `sigma` produced by a gather is read through its index, and the gather
    /// is dropped from the tape when nothing else reads it.
    pub fn normal_lpdf(
        &self,
        fallback: Arc<dyn ScalarKernel>,
        y: Slot,
        mu: Slot,
        sigma: Slot,
        propto: bool,
    ) -> Result<Slot, BuildError> {
        let lens = [y.len(), mu.len(), sigma.len()];
        let n = lens.iter().copied().find(|&l| l != 1).unwrap_or(1);
        let sizes_fit = lens.iter().all(|&l| l == 1 || l == n);
        if !sizes_fit || ![y, mu, sigma].iter().any(|s| s.active) {
            return self.scalar_kernel(fallback, &[y, mu, sigma]);
        }
        if n > u32::MAX as usize {
            return err(fallback.name(), "too many elements");
        }
        let plain = |slot: Slot| Operand { slot, index: None };
        let fused = |slot: Slot| match self.gather_source(slot) {
            Some((src, index)) if slot.len() == n && n != 1 => Operand {
                slot: src,
                index: Some(index),
            },
            _ => plain(slot),
        };
        let (mu, sigma) = (fused(mu), fused(sigma));
        let sigma_counts = sigma.index.as_ref().map(|ix| {
            let mut c = vec![0.0; sigma.slot.len()];
            for &i in ix.iter() {
                c[i as usize] += 1.0;
            }
            c.into()
        });
        let inputs = [y, mu.slot, sigma.slot];
        let op = NormalOp {
            y: plain(y),
            mu,
            sigma,
            n: n as u32,
            propto,
            sigma_counts,
            partials: 0,
            out: inputs[0],
            fallback,
        };
        self.push(&inputs, 1, 1, |out, partials| {
            Op::Normal(Arc::new(NormalOp {
                partials,
                out,
                ..op
            }))
        })
    }
}
