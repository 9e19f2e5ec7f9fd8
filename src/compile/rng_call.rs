//! `_rng` calls (transformed data and generated quantities): draws from the evaluator's
//! random stream through the distribution table's samplers. RNGs never reach the tape.

use super::eval::{Eval, R};
use super::values::{Data, Val};
use crate::dist::args::{Arg, IntArg, MAX_ARGS};
use crate::dist::descriptor::{ArgType, DESCRIPTORS, Evaluation};
use crate::dist::kernel::Outcome;
use crate::lang::Span;
use crate::lang::types::Type;

/// Draws `dist_rng(args)` with result type `ty`.
pub fn rng(ev: &mut Eval<'_, '_, '_>, dist: &str, vals: &[Val], ty: Type, span: Span) -> R<Val> {
    let Some(d) = DESCRIPTORS.iter().find(|d| d.name == dist) else {
        return ev.fatal(span, format!("`{dist}_rng` has no implementation"));
    };
    // multivariate and function-style families (`dirichlet`, `wishart`, …); the full name
    // is built only for them, not for every univariate draw
    let dedicated = super::rng_dedicated::DEDICATED
        .iter()
        .any(|n| n.strip_suffix("_rng") == Some(dist));
    if dedicated
        && let Some(v) =
            super::rng_dedicated::dedicated_rng(ev, &format!("{dist}_rng"), vals, ty, span)?
    {
        return Ok(v);
    }
    if vals.iter().any(|v| v.as_const().is_none()) {
        return ev.fatal(span, format!("`{dist}_rng` in parameter-dependent code"));
    }
    let consts = |k: usize| vals[k].as_const().unwrap_or(&[]);
    let Evaluation::Univariate(k) = d.eval else {
        return ev.fatal(
            span,
            format!("`{dist}_rng` is not implemented by the compiler"),
        );
    };
    let Some(f) = k.rng else {
        return ev.fatal(span, format!("`{dist}_rng` is not available"));
    };
    let params = &d.args[1..];
    if params.len() != vals.len() || params.len() > MAX_ARGS {
        return ev.fatal(
            span,
            format!("`{dist}_rng` takes {} arguments", params.len()),
        );
    }
    let is_int = |t: ArgType| matches!(t, ArgType::Ints | ArgType::Int | ArgType::IntArray);
    let scalar = |t: Type| t.dims == 0 && t.is_scalar();
    // integer containers converted once (scalars need no storage)
    let mut store: [Vec<i64>; MAX_ARGS] = Default::default();
    for (k, spec) in params.iter().enumerate() {
        if is_int(spec.ty) && !scalar(vals[k].ty) {
            store[k] = consts(k).iter().map(|&v| v as i64).collect();
        }
    }
    let mut ints = [IntArg::Scalar(0); MAX_ARGS];
    let mut reals = [Arg::Scalar(0.0); MAX_ARGS];
    let (mut n_int, mut n_real) = (0, 0);
    for (k, spec) in params.iter().enumerate() {
        let x = consts(k);
        if is_int(spec.ty) {
            ints[n_int] = if scalar(vals[k].ty) {
                IntArg::Scalar(x[0] as i64)
            } else {
                IntArg::Vector(&store[k])
            };
            n_int += 1;
        } else {
            reals[n_real] = if scalar(vals[k].ty) {
                Arg::Scalar(x[0])
            } else {
                Arg::Vector(x)
            };
            n_real += 1;
        }
    }
    let Some(rng) = ev.rng.as_deref_mut() else {
        return ev.fatal(
            span,
            "random numbers are only available in transformed data and generated quantities",
        );
    };
    // the evaluator's buffer: no allocation per draw
    let mut out = std::mem::take(&mut ev.draws);
    out.clear();
    let drawn = f(&ints[..n_int], &reals[..n_real], rng, &mut out);
    let v = match drawn {
        Ok(()) => value(ev, dist, &out, ty, span),
        Err(e) => Err(crate::model::EvalError::Recoverable(format!(
            "{e} (at {})",
            ev.loc(span)
        ))),
    };
    ev.draws = out;
    v
}

/// The draws `out` as a value of type `ty`.
fn value(ev: &Eval<'_, '_, '_>, dist: &str, out: &[Outcome], ty: Type, span: Span) -> R<Val> {
    if ty.dims == 0 {
        let Some(x) = out.first() else {
            return ev.fatal(span, format!("`{dist}_rng` drew nothing"));
        };
        // `Val::constant` of one value, without the temporary vector
        Ok(Val {
            ty,
            shape: Vec::new(),
            data: Data::Scalar(x.as_f64()),
        })
    } else {
        let xs: Vec<f64> = out.iter().map(|o| o.as_f64()).collect();
        let n = xs.len();
        Ok(Val::constant(ty, vec![n], xs))
    }
}
