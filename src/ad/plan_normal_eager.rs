//! The eager forward of a normal density that is a target term (its adjoint is one, see
//! `plan_eager`): the value as the plan's normal step computes it, and each element's
//! partials added straight to the arguments' adjoints as they are computed, no partials
//! stored.

use super::plan::{Bufs, Forward};
use super::plan_access::{At, Mu, On};
use super::plan_fold::Prior;
use super::plan_normal::{Shape, log_scale, positive, standardise};
use std::cell::Cell;

/// The forward of a target term (its adjoint is one): the value as the plain forward computes
/// it, each element's partials added to the adjoints as they are computed, no partials
/// stored. False on a possibly invalid argument, the adjoints then partly updated.
///
/// With `prior`, the loop also computes a prior over the location's last operand
/// (`plan_fold`); only for data `y`, which is where `plan_fold` folds one.
pub(super) fn forward<Y: At, M: Mu, S: At>(
    shape: Shape,
    y: Y,
    m: M,
    s: S,
    on: On,
    prior: Option<Prior>,
) -> Forward {
    // whether y and sigma take adjoints is fixed in the loop's code, not tested per
    // element (the location's operands: see `Mu::push`)
    let p = prior.unwrap_or(NO_PRIOR);
    match (shape.active[0], shape.active[2], prior.is_some()) {
        (false, true, true) => form::<Y, M, S, false, true, true>(shape, y, m, s, on, p),
        (false, false, true) => form::<Y, M, S, false, false, true>(shape, y, m, s, on, p),
        (true, true, _) => form::<Y, M, S, true, true, false>(shape, y, m, s, on, p),
        (true, false, _) => form::<Y, M, S, true, false, false>(shape, y, m, s, on, p),
        (false, true, false) => form::<Y, M, S, false, true, false>(shape, y, m, s, on, p),
        (false, false, false) => form::<Y, M, S, false, false, false>(shape, y, m, s, on, p),
    }
}

/// The prior of a loop without one (never read).
const NO_PRIOR: Prior = Prior {
    m: 0.0,
    inv: 1.0,
    log_sum: 0.0,
    constant: 0.0,
    out: 0,
};

/// [`forward`], with `y` active when `YA`, sigma when `SA`, and the prior `p` computed
/// when `PR`.
fn form<Y: At, M: Mu, S: At, const YA: bool, const SA: bool, const PR: bool>(
    shape: Shape,
    y: Y,
    m: M,
    s: S,
    on: On,
    p: Prior,
) -> Forward {
    let Shape { n, out, .. } = shape;
    let (log_sigma, constant) = (shape.log_sigma(), shape.constant());
    Box::new(move |bufs: &mut Bufs| {
        let (v, adj) = bufs.eager();
        let (ys, ms, ss) = (y.slice(v, n), m.view(v, n), s.slice(v, n));
        let adj = Cell::from_mut(adj).as_slice_of_cells();
        // data get no adjoint cells (nothing reads them)
        let yc = if YA { y.cells(adj, n) } else { &[] };
        let sc = if SA { s.cells(adj, n) } else { &[] };
        let mc = m.cells(adj, n);
        // as in the plain forward: a bad sigma is caught here, anything else by the sum
        let mut bad = S::ONE && !positive(ss[0]);
        let (mut sum_sq, mut y_acc, mut s_acc, mut m_acc) = (0.0, 0.0, 0.0, [0.0; 3]);
        let mut prior_sq = 0.0;
        for i in 0..n {
            let (inv, z, z2) = standardise::<Y, M, S>(ys, ms, ss, i, &mut bad);
            sum_sq += z2;
            let t = z * inv;
            if YA {
                Y::push(yc, i, -t, &mut y_acc);
            }
            M::push(ms, mc, i, t, &mut m_acc, on);
            if SA && !S::ONE {
                S::push(sc, i, (z2 - 1.0) * inv, &mut s_acc);
            }
            if PR {
                // as the prior's own step: z = (r - m) / s, adjoint -z / s
                let zp = (M::last(ms, i) - p.m) * p.inv;
                prior_sq += zp * zp;
                M::add_last(mc, i, -(zp * p.inv));
            }
        }
        if bad || !sum_sq.is_finite() || (PR && !prior_sq.is_finite()) {
            return false;
        }
        if YA {
            Y::flush(yc, y_acc);
        }
        M::flush(mc, m_acc, on);
        let log_sum = if log_sigma {
            log_scale::<S>(ss, n)
        } else {
            0.0
        };
        if SA && S::ONE {
            // Σᵢ (zᵢ² - 1) / sigma
            sc[0].set(sc[0].get() + (sum_sq - n as f64) / ss[0]);
        }
        v[out] = -0.5 * sum_sq - log_sum - constant;
        if PR {
            v[p.out] = p.value(prior_sq);
        }
        true
    })
}
