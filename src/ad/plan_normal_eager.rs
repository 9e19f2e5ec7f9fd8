//! The eager forward of a normal density that is a target term (its adjoint is one, see
//! `plan_eager`): the value as the plan's normal step computes it, and each element's
//! partials added straight to the arguments' adjoints as they are computed, no partials
//! stored.

use super::plan::{Bufs, Forward};
use super::plan_access::{At, Mu, On};
use super::plan_fold::Prior;
use super::plan_normal::{Eager, Shape, log_scale, positive, scaled, standardise};
use std::cell::Cell;
use std::sync::Arc;

/// The forward of a target term (its adjoint is one): the value as the plain forward computes
/// it, each element's partials added to the adjoints as they are computed, no partials
/// stored. False on a possibly invalid argument, the adjoints then partly updated.
///
/// With a prior (`e.prior`), the loop also computes a prior over the location's last
/// operand (`plan_fold`); only for data `y`, which is where `plan_fold` folds one.
pub(super) fn forward<Y: At, M: Mu, S: At>(shape: Shape, y: Y, m: M, s: S, e: Eager) -> Forward {
    // whether y and sigma take adjoints is fixed in the loop's code, not tested per
    // element (the location's operands: see `Mu::push`); so is the kind of prior
    let Eager { on, prior, inverse } = e;
    let p = prior.unwrap_or(NO_PRIOR);
    let fold = match prior {
        None => NONE,
        // +0 only: with m = -0, (r - m) is +0 where r is -0
        Some(p) if p.m.to_bits() == 0 && p.inv == 1.0 => STANDARD,
        Some(_) => GENERAL,
    };
    // a valid data scale's inverses (`inverse_scale`), used only with `S::VALID`
    let inv = inverse.unwrap_or_else(|| Arc::from(Vec::new()));
    let f = (shape, y, m, s, on, p, inv);
    match (shape.active[0], shape.active[2], fold) {
        (false, true, STANDARD) => form::<Y, M, S, false, true, STANDARD>(f),
        (false, true, GENERAL) => form::<Y, M, S, false, true, GENERAL>(f),
        (false, false, STANDARD) => form::<Y, M, S, false, false, STANDARD>(f),
        (false, false, GENERAL) => form::<Y, M, S, false, false, GENERAL>(f),
        (true, true, _) => form::<Y, M, S, true, true, NONE>(f),
        (true, false, _) => form::<Y, M, S, true, false, NONE>(f),
        (false, true, _) => form::<Y, M, S, false, true, NONE>(f),
        (false, false, _) => form::<Y, M, S, false, false, NONE>(f),
    }
}

/// No prior folded into the loop.
const NONE: u8 = 0;
/// A folded prior `normal(0, 1)`: its `z` is `r` itself and its adjoint `-r`, which is
/// what the general form computes (`(r - 0) * 1`), exactly.
const STANDARD: u8 = 1;
/// A folded prior `normal(m, 1 / inv)`.
const GENERAL: u8 = 2;

/// The prior of a loop without one (never read).
const NO_PRIOR: Prior = Prior {
    m: 0.0,
    inv: 1.0,
    log_sum: 0.0,
    constant: 0.0,
    out: 0,
};

/// [`forward`], with `y` active when `YA`, sigma when `SA`, and the prior `p` of kind
/// `PR` ([`NONE`], [`STANDARD`] or [`GENERAL`]) computed; `inv` holds `1 / sigma` when
/// `S::VALID`.
// `i` indexes the arguments and their adjoint cells, through their accessors, as well as
// the inverse scales (empty unless `S::VALID`): an iterator over one of them would not help
#[allow(clippy::needless_range_loop)]
fn form<Y: At, M: Mu, S: At, const YA: bool, const SA: bool, const PR: u8>(
    (shape, y, m, s, on, p, inv): (Shape, Y, M, S, On, Prior, Arc<[f64]>),
) -> Forward {
    let Shape { n, out, .. } = shape;
    let (log_sigma, constant) = (shape.log_sigma(), shape.constant());
    Box::new(move |bufs: &mut Bufs| {
        let (v, adj) = bufs.eager();
        let (ys, ms, ss) = (y.val(v, n), m.view(v, n), s.val(v, n));
        let adj = Cell::from_mut(adj).as_slice_of_cells();
        // data get no adjoint cells (nothing reads them)
        let yc = if YA { y.cells(adj, n) } else { &[] };
        let sc = if SA { s.cells(adj, n) } else { &[] };
        let mc = m.cells(adj, n);
        // as in the plain forward: a bad sigma is caught here, anything else by the sum
        let mut bad = S::ONE && !positive(S::get(ss, 0));
        let (mut sum_sq, mut y_acc, mut s_acc, mut m_acc) = (0.0, 0.0, 0.0, [0.0; 3]);
        let mut prior_sq = 0.0;
        let is = &inv[..if S::VALID { n } else { 0 }];
        for i in 0..n {
            let (inv, z, z2) = match S::VALID {
                true => scaled::<Y, M>(ys, ms, i, is[i]),
                false => standardise::<Y, M, S>(ys, ms, ss, i, &mut bad),
            };
            sum_sq += z2;
            let t = z * inv;
            // as the prior's own step: z = (r - m) / s, adjoint -z / s; r read before
            // any adjoint is stored (the compiler cannot tell the two buffers apart)
            let zp = match PR {
                NONE => 0.0,
                STANDARD => M::last(ms, i),
                _ => (M::last(ms, i) - p.m) * p.inv,
            };
            if YA {
                Y::push(yc, i, -t, &mut y_acc);
            }
            M::push(ms, mc, i, t, &mut m_acc, on);
            if SA && !S::ONE {
                S::push(sc, i, (z2 - 1.0) * inv, &mut s_acc);
            }
            if PR != NONE {
                prior_sq += zp * zp;
                M::add_last(mc, i, if PR == STANDARD { -zp } else { -(zp * p.inv) });
            }
        }
        if bad || !sum_sq.is_finite() || (PR != NONE && !prior_sq.is_finite()) {
            return false;
        }
        if YA {
            Y::flush(yc, y_acc);
        }
        M::flush(mc, m_acc, on);
        let log_sum = if log_sigma {
            log_scale::<S>(s.slice(v, n), n)
        } else {
            0.0
        };
        if SA && S::ONE {
            // Σᵢ (zᵢ² - 1) / sigma
            sc[0].set(sc[0].get() + (sum_sq - n as f64) / S::get(ss, 0));
        }
        v[out] = -0.5 * sum_sq - log_sum - constant;
        if PR != NONE {
            v[p.out] = p.value(prior_sq);
        }
        true
    })
}
