//! Distribution functions on numbers (generated quantities, transformed data, the numeric
//! pass of a dynamic model): a univariate `_lpdf`/`_lpmf` whose arguments are all known
//! now calls the family's kernel directly, with its argument lists on the stack — no
//! kernel object, op or gradient buffer. The arguments are classified exactly as
//! `dist_call.rs` does for the tape, so both give the same bits.

use super::eval::{Eval, R};
use super::values::Val;
use crate::dist::args::{Arg, IntArg, MAX_ARGS};
use crate::dist::descriptor::{ArgType, Descriptor, Evaluation};
use crate::lang::Span;

/// The integer arguments of a call, converted once: scalars inline, containers stored.
struct Ints {
    len: usize,
    scalar: [i64; MAX_ARGS],
    /// Containers only (empty, so unallocated, for scalars).
    store: [Vec<i64>; MAX_ARGS],
}

impl Ints {
    fn args(&self) -> [IntArg<'_>; MAX_ARGS] {
        std::array::from_fn(|k| {
            if k < self.len && !self.store[k].is_empty() {
                IntArg::Vector(&self.store[k])
            } else {
                IntArg::Scalar(self.scalar[k])
            }
        })
    }
}

impl Eval<'_, '_, '_> {
    /// `dist_lpdf(vals)` (or `_lupdf` when `propto`) computed now, when the family has a
    /// univariate kernel and every argument is a constant; `None` otherwise.
    pub fn numeric_density(
        &self,
        d: &Descriptor,
        vals: &[Val],
        propto: bool,
        span: Span,
    ) -> R<Option<Val>> {
        let Evaluation::Univariate(k) = d.eval else {
            return Ok(None);
        };
        if vals.len() != d.args.len() || vals.iter().any(|v| v.as_const().is_none()) {
            return Ok(None);
        }
        let mut ints = Ints {
            len: 0,
            scalar: [0; MAX_ARGS],
            store: Default::default(),
        };
        let mut reals = [Arg::Scalar(0.0); MAX_ARGS];
        let mut n_real = 0;
        for (v, spec) in vals.iter().zip(d.args) {
            let xs = v.as_const().unwrap_or(&[]);
            let int = matches!(spec.ty, ArgType::Ints | ArgType::Int | ArgType::IntArray)
                || (v.ty.is_int_based() && spec.ty == ArgType::Ints);
            if int {
                if ints.len == MAX_ARGS {
                    return Ok(None);
                }
                // a container of one element is still a container (`Val::as_const`
                // cannot tell), so the type decides, as for the tape
                if v.ty.dims == 0 {
                    ints.scalar[ints.len] = xs.first().map_or(0, |&x| x as i64);
                    if xs.len() != 1 {
                        return Ok(None);
                    }
                } else {
                    ints.store[ints.len] = xs.iter().map(|&x| x as i64).collect();
                    if xs.is_empty() {
                        return Ok(None);
                    }
                }
                ints.len += 1;
            } else {
                if n_real == MAX_ARGS {
                    return Ok(None);
                }
                reals[n_real] = if v.ty.is_scalar() {
                    Arg::Scalar(xs[0])
                } else {
                    Arg::Vector(xs)
                };
                n_real += 1;
            }
        }
        let int_args = ints.args();
        let mut parts: [Option<&mut [f64]>; MAX_ARGS] = Default::default();
        (k.density)(
            &int_args[..ints.len],
            &reals[..n_real],
            propto,
            &mut parts[..n_real],
        )
        .map(|lp| Some(Val::real(lp)))
        .map_err(|e| self.op_err(span, e.to_string()))
    }
}
