//! A normal prior folded into the eager loop of another target term. In a non-centred
//! model the same parameter vector `r` appears twice among the target terms:
//! `r ~ normal(c, s)` with data `c` and `s`, and a likelihood whose location
//! `p + q .* r` reads `r` element by element. Both are eager terms (their adjoint is
//! one, see `plan_eager`), so the likelihood's loop can add the prior's value and
//! adjoint while it holds `r[i]`, and the prior's own step is skipped in the eager
//! sweep ([`Mode::Folded`](super::plan_eager::Mode)). That saves a step's fixed cost
//! and a second pass over `r`.
//!
//! The prior's value is computed by the same expressions, in the same order, as its own
//! step computes it, so the eager and the plain sweeps agree exactly; the plain sweeps
//! (value-only evaluations, and the fallback on an invalid argument) still run the
//! prior's own step.

use super::op::Op;
use super::plan_normal::{Shape, valid_scale};
use super::slot::Slot;

/// What the host loop needs to compute a folded prior `r ~ normal(m, 1 / inv)`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Prior {
    /// The prior's data location.
    pub(super) m: f64,
    /// One over its data scale.
    pub(super) inv: f64,
    /// `n log sigma` when the value keeps it (`target +=`), else 0.
    pub(super) log_sum: f64,
    /// `n log √(2π)` when the value keeps it, else 0.
    pub(super) constant: f64,
    /// Where the prior's value goes (its own op's output).
    pub(super) out: usize,
}

impl Prior {
    /// The prior's value from `Σ zᵢ²`, as its own step computes it.
    #[inline(always)]
    pub(super) fn value(&self, sum_sq: f64) -> f64 {
        -0.5 * sum_sq - self.log_sum - self.constant
    }
}

/// The op among `ops` that can be folded into a host loop over the `n` elements of `r`:
/// a normal density over exactly `r` (a parameter vector) with a data scalar location
/// and a valid data scalar scale, that is a target term (`term`) and not yet folded.
/// Returns the op and its [`Prior`].
pub(super) fn find(
    ops: &[Op],
    init: &[f64],
    r: Slot,
    n: usize,
    term: impl Fn(usize) -> bool,
    folded: &[bool],
) -> Option<(usize, Prior)> {
    if !r.active || r.len() != n || n < 2 {
        return None;
    }
    ops.iter().enumerate().find_map(|(k, op)| {
        let Op::Normal(p) = op else {
            return None;
        };
        let scalar_data = |s: Slot| !s.active && s.len() == 1;
        let fits = p.y.slot == r
            && p.n as usize == n
            && p.y.index.is_none()
            && p.mu.index.is_none()
            && p.sigma.index.is_none()
            && p.sigma_counts.is_none()
            && scalar_data(p.mu.slot)
            && scalar_data(p.sigma.slot)
            && valid_scale(p.sigma.slot, init)
            && term(k)
            && !folded[k];
        if !fits {
            return None;
        }
        let (m, s) = (init[p.mu.slot.offset()], init[p.sigma.slot.offset()]);
        let shape = Shape {
            n,
            out: p.out.offset(),
            loc: None,
            scale: None,
            one: [false, true, true],
            propto: p.propto,
            active: [true, false, false],
            at: [r.offset(), p.mu.slot.offset(), p.sigma.slot.offset()],
        };
        let log_sum = if shape.log_sigma() {
            n as f64 * s.ln()
        } else {
            0.0
        };
        let prior = Prior {
            m,
            inv: 1.0 / s,
            log_sum,
            constant: shape.constant(),
            out: shape.out,
        };
        Some((k, prior))
    })
}
