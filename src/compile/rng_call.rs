//! `_rng` calls (transformed data and generated quantities): draws from the evaluator's
//! random stream through the distribution table's samplers. RNGs never reach the tape.

use super::eval::{Eval, R};
use super::values::Val;
use crate::dist::args::{Arg, IntArg};
use crate::dist::descriptor::{ArgType, DESCRIPTORS, Evaluation};
use crate::lang::Span;
use crate::lang::types::Type;

/// Draws `dist_rng(args)` with result type `ty`.
pub fn rng(ev: &mut Eval<'_, '_, '_>, dist: &str, vals: &[Val], ty: Type, span: Span) -> R<Val> {
    let Some(d) = DESCRIPTORS.iter().find(|d| d.name == dist) else {
        return ev.fatal(span, format!("`{dist}_rng` has no implementation"));
    };
    if let Some(v) =
        super::rng_dedicated::dedicated_rng(ev, &format!("{dist}_rng"), vals, ty, span)?
    {
        return Ok(v);
    }
    let mut consts = Vec::with_capacity(vals.len());
    for v in vals {
        match v.as_const() {
            Some(x) => consts.push((x.to_vec(), v.ty)),
            None => return ev.fatal(span, format!("`{dist}_rng` in parameter-dependent code")),
        }
    }
    let Evaluation::Univariate(k) = d.eval else {
        return ev.fatal(
            span,
            format!("`{dist}_rng` is not implemented by the compiler"),
        );
    };
    let Some(f) = k.rng else {
        return ev.fatal(span, format!("`{dist}_rng` is not available"));
    };
    let ints_store: Vec<Vec<i64>> = consts
        .iter()
        .map(|(x, _)| x.iter().map(|&v| v as i64).collect())
        .collect();
    let mut ints = Vec::new();
    let mut reals = Vec::new();
    for (k, spec) in d.args[1..].iter().enumerate() {
        let (x, t) = &consts[k];
        let scalar = t.dims == 0 && t.is_scalar();
        if matches!(spec.ty, ArgType::Ints | ArgType::Int | ArgType::IntArray) {
            ints.push(if scalar {
                IntArg::Scalar(ints_store[k][0])
            } else {
                IntArg::Vector(&ints_store[k])
            });
        } else {
            reals.push(if scalar {
                Arg::Scalar(x[0])
            } else {
                Arg::Vector(x)
            });
        }
    }
    let Some(rng) = ev.rng.as_deref_mut() else {
        return ev.fatal(
            span,
            "random numbers are only available in transformed data and generated quantities",
        );
    };
    let mut out = Vec::new();
    if let Err(e) = f(&ints, &reals, rng, &mut out) {
        return Err(crate::model::EvalError::Recoverable(format!(
            "{e} (at {})",
            ev.loc(span)
        )));
    }
    let xs: Vec<f64> = out.iter().map(|o| o.as_f64()).collect();
    if ty.dims == 0 {
        Ok(Val::constant(ty, vec![], vec![xs[0]]))
    } else {
        let n = xs.len();
        Ok(Val::constant(ty, vec![n], xs))
    }
}
