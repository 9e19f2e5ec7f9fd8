//! The normal log density fused with the elementwise chain that computes its location:
//! `y ~ normal(alpha[county] + beta * floor, sigma)` is one op instead of a chain writing
//! the location vector and a normal op reading it back.
//!
//! The op works block by block (the chain's block of 128 elements at a time, in the
//! scratch work buffer): it runs the chain's steps, evaluates the density's elements,
//! and at once pushes each element's location derivative `z / sigma` back through the
//! steps into the chain's inputs. Because the op's result is a scalar, its gradient with
//! respect to every input is known after the forward sweep: it is kept in the partial
//! buffer shaped like the inputs' slots (85 values for `alpha[county]` over 919 rows),
//! and the reverse sweep only scales it by the output adjoint. The location vector, its
//! adjoint, the stored step values and the second gather of the reverse sweep all
//! disappear. The op is formed by [`fuse`] when the tape is finished, from a
//! [`NormalOp`] whose location a [`ChainOp`] that nothing else reads produces.
//!
//! Errors read as without the fusion: a step outside its domain names the chain and
//! the element, an invalid argument of the density is reported by the generic kernel
//! over the materialised arguments.

use super::chain::{self, ChainOp, Regs};
use super::chain_form::Uses;
use super::normal_op::{self, All, Get, NormalOp, One, Operand, Pick};
use super::op::Op;
use super::slot::Slot;
use std::sync::Arc;

/// `normal_lpdf(y | chain(...), sigma)` over `n` elements.
#[derive(Clone)]
pub struct NormalChainOp {
    /// The density with this op's `partials` (where the gradient is kept between the
    /// sweeps) and `out`; its `mu` names the chain's output slot, which is never written.
    pub normal: NormalOp,
    /// The chain computing the location (its `out` and `partials` are not used: the
    /// location lives only block by block in the work buffer).
    pub mu: ChainOp,
}

impl NormalChainOp {
    /// The operands in the order of the kept gradient: the chain's inputs, `y`, `sigma`.
    fn operands(&self) -> impl Iterator<Item = &Operand> {
        self.mu
            .inputs
            .iter()
            .chain([&self.normal.y, &self.normal.sigma])
    }

    /// The kept gradient: one value per element of each active operand's slot (for `y`
    /// its negation, so that every operand accumulates `+ z / sigma`).
    pub fn partials_len(&self) -> usize {
        self.operands()
            .filter(|o| o.slot.active)
            .map(|o| o.slot.len())
            .sum()
    }

    /// Scratch floats for one block: gathered inputs, step values, register adjoints
    /// and the scale derivatives.
    pub fn work_len(&self) -> usize {
        // inputs and steps once for values, once for adjoints
        let registers = self.mu.inputs.len() + self.mu.steps.len();
        (2 * registers + 1) * self.mu.block()
    }

    /// The input slots: the chain's inputs (sources of folded gathers), `y`, `sigma`.
    pub fn inputs(&self) -> Vec<Slot> {
        self.operands().map(|o| o.slot).collect()
    }

    /// Scale derivatives are needed per element (an active, not broadcast `sigma`).
    fn per_element_scale(&self) -> bool {
        let sigma = &self.normal.sigma;
        sigma.slot.active && !sigma.is_broadcast(self.normal.n as usize)
    }
}

/// Binds `$a` to the accessor of operand `$op` over elements `$base..$base + $len`
/// and evaluates `$body`.
macro_rules! with_block_access {
    ($op:expr, $vals:expr, $n:expr, $base:expr, $len:expr, |$a:ident| $body:expr) => {
        match &$op.index {
            Some(ix) => {
                let $a = Pick(&$vals[$op.slot.range()], &ix[$base..$base + $len]);
                $body
            }
            None if $op.is_broadcast($n) => {
                let $a = One($vals[$op.slot.offset()]);
                $body
            }
            None => {
                let at = $op.slot.offset() + $base;
                let $a = All(&$vals[at..at + $len]);
                $body
            }
        }
    };
}

/// The element loop of one block: adds `z²` to `sum_sq` (continuing the running sum,
/// so the total is summed in element order); writes `z / sigma` into `loc` and, with
/// `SCALE`, `(z² - 1) / sigma` into `scale`. It checks nothing: a NaN or infinite
/// argument makes the sum non-finite, which [`forward`] then inspects.
#[inline(always)]
fn block_elements<Y: Get, S: Get, const SCALE: bool>(
    y: Y,
    mu: &[f64],
    sigma: S,
    mut sum_sq: f64,
    loc: &mut [f64],
    scale: &mut [f64],
) -> f64 {
    let len = mu.len();
    y.reaches(len);
    sigma.reaches(len);
    let loc = &mut loc[..len];
    let scale = &mut scale[..if SCALE { len } else { 0 }];
    for i in 0..len {
        let (yv, mv, sv) = (y.get(i), mu[i], sigma.get(i));
        let inv = 1.0 / sv;
        let z = (yv - mv) * inv;
        let z2 = z * z;
        sum_sq += z2;
        loc[i] = z * inv;
        if SCALE {
            scale[i] = (z2 - 1.0) * inv;
        }
    }
    sum_sq
}

/// True when an element of the block is outside the density's domain: a NaN `y`, a
/// non-finite `mu`, a `sigma` that is not positive and finite (the fused normal op's
/// rule, checked only when the block's sum or `sigma` looked suspicious).
#[cold]
#[inline(never)]
fn block_invalid<Y: Get, S: Get>(y: Y, mu: &[f64], sigma: S) -> bool {
    (0..mu.len()).any(|i| {
        let (yv, mv, sv) = (y.get(i), mu[i], sigma.get(i));
        yv.is_nan() || !mv.is_finite() || !(sv > 0.0 && sv.is_finite())
    })
}

/// True when every value of `sigma`'s slot is positive and finite (a cheap, vectorised
/// screen over the source values; an unused bad value only costs a closer look).
fn sigma_values_fine(sigma: &Operand, values: &[f64]) -> bool {
    values[sigma.slot.range()]
        .iter()
        .fold(true, |ok, &s| ok & (s > 0.0) & (s < f64::INFINITY))
}

/// Forward rule: the value into `out` and the gradient with respect to every active
/// operand into the partial buffer.
pub(super) fn forward(
    op: &NormalChainOp,
    lo: &[f64],
    out: &mut [f64],
    partials: &mut [f64],
    work: &mut [f64],
) -> Result<(), String> {
    let (d, c) = (&op.normal, &op.mu);
    let n = d.n as usize;
    let bl = c.block();
    let (k, s) = (c.inputs.len(), c.steps.len());
    let grads = &mut partials[d.partials as usize..d.partials as usize + op.partials_len()];
    grads.fill(0.0);
    let (gathered, rest) = work.split_at_mut(k * bl);
    let (steps, rest) = rest.split_at_mut(s * bl);
    let (radj, rest) = rest.split_at_mut((k + s) * bl);
    let scale = &mut rest[..bl];
    let (steps, last) = steps.split_at_mut((s - 1) * bl);
    let with_scale = op.per_element_scale();
    let sigma_fine = sigma_values_fine(&d.sigma, lo);
    let mut sum_sq = 0.0;
    for base in (0..n).step_by(bl) {
        let len = bl.min(n - base);
        chain::gather_block(c, lo, gathered, base, len);
        let mu = &mut last[..len];
        chain::forward_block(c, lo, gathered, steps, bl, mu, base, len)
            .map_err(|m| format!("{}: {m}", c.name()))?;
        let loc = &mut radj[(k + s - 1) * bl..];
        let bad = with_block_access!(d.y, lo, n, base, len, |y| {
            with_block_access!(d.sigma, lo, n, base, len, |sg| {
                sum_sq = match with_scale {
                    true => block_elements::<_, _, true>(y, mu, sg, sum_sq, loc, scale),
                    false => block_elements::<_, _, false>(y, mu, sg, sum_sq, loc, scale),
                };
                !(sum_sq.is_finite() && sigma_fine) && block_invalid(y, mu, sg)
            })
        });
        if bad {
            return Err(invalid(op, lo));
        }
        let at = Regs {
            values: lo,
            gathered,
            steps,
            stride: bl,
            last: mu,
        };
        chain::backward_block(c, &at, radj, base, len);
        let mut g = &mut grads[..];
        for (r, o) in c.inputs.iter().enumerate() {
            if o.slot.active {
                let (here, next) = g.split_at_mut(o.slot.len());
                chain::add_input(o, n, &radj[r * bl..r * bl + len], here, base);
                g = next;
            }
        }
        if d.y.slot.active {
            let (here, next) = g.split_at_mut(d.y.slot.len());
            let loc = &radj[(k + s - 1) * bl..(k + s - 1) * bl + len];
            if d.y.is_broadcast(n) {
                here[0] += crate::math::sum::sum(loc);
            } else {
                chain::add_input(&d.y, n, loc, here, base);
            }
            g = next;
        }
        if with_scale {
            chain::add_input(&d.sigma, n, &scale[..len], g, base);
        }
    }
    if d.sigma.slot.active && !with_scale {
        // a broadcast scalar sigma: Σᵢ (zᵢ² - 1) / sigma
        let last = grads.len() - 1;
        grads[last] = (sum_sq - n as f64) / lo[d.sigma.slot.offset()];
    }
    let counts = d.sigma_counts.as_deref();
    out[0] = normal_op::log_density(&d.sigma, counts, n, d.propto, sum_sq, lo);
    Ok(())
}

/// The message for an invalid argument, as the unfused ops give it: the chain's own
/// domain error if it has one anywhere, else the generic kernel's over the
/// materialised arguments (cold path; allocates).
#[cold]
fn invalid(op: &NormalChainOp, values: &[f64]) -> String {
    let d = &op.normal;
    let mu = match chain::evaluate(&op.mu, values) {
        Ok(mu) => mu,
        Err(m) => return format!("{}: {m}", op.mu.name()),
    };
    let args = [d.y.materialise(values), mu, d.sigma.materialise(values)];
    let active = [d.y.slot.active, true, d.sigma.slot.active];
    normal_op::fallback_message(&*d.fallback, &args, active)
}

/// Reverse rule: the output adjoint `g` times the gradient kept by the forward sweep
/// (`-g` for `y`, whose gradient is kept negated).
pub(super) fn backward(op: &NormalChainOp, adj: &mut [f64], g: f64, partials: &[f64]) {
    let d = &op.normal;
    let mut at = d.partials as usize;
    let mut add = |o: &Operand, scale: f64| {
        if o.slot.active {
            let d = &partials[at..at + o.slot.len()];
            for (a, &v) in adj[o.slot.range()].iter_mut().zip(d) {
                *a += scale * v;
            }
            at += o.slot.len();
        }
    };
    for o in &op.mu.inputs {
        add(o, g);
    }
    add(&d.y, -g);
    add(&d.sigma, g);
}

/// Folds every chain whose output only a normal density reads, as its whole location
/// vector, into that density; new gradient storage is allocated from `n_partials`.
pub(super) fn fuse(ops: Vec<Op>, len: usize, output: Slot, n_partials: &mut usize) -> Vec<Op> {
    if !ops.iter().any(|op| matches!(op, Op::Chain(_))) {
        return ops;
    }
    let uses = Uses::new(&ops, len, output);
    let mut replaced: Vec<Option<Op>> = vec![None; ops.len()];
    let mut absorbed = vec![false; ops.len()];
    for (k, op) in ops.iter().enumerate() {
        let Op::Normal(normal) = op else {
            continue;
        };
        let mu = &normal.mu;
        if mu.index.is_some() || mu.slot.len() != normal.n as usize || normal.n == 1 {
            continue;
        }
        let Some(c) = uses.single_use(&ops, mu.slot) else {
            continue;
        };
        let Op::Chain(chain) = &ops[c] else {
            continue;
        };
        let f = NormalChainOp {
            normal: NormalOp {
                partials: *n_partials as u32,
                ..(**normal).clone()
            },
            mu: (**chain).clone(),
        };
        *n_partials += f.partials_len();
        absorbed[c] = true;
        replaced[k] = Some(Op::NormalChain(Arc::new(f)));
    }
    ops.into_iter()
        .zip(replaced)
        .zip(absorbed)
        .filter_map(|((op, r), a)| (!a).then(|| r.unwrap_or(op)))
        .collect()
}
