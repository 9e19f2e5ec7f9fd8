//! Sorting and ranking in the compiler: `sort_asc` / `sort_desc` of parameters become one
//! permutation op (`math::sort::SortKernel`, gradient routed through the permutation);
//! `sort_indices_*` and `rank` return integers, so on parameters each result element is
//! a *decision* of the evaluator (recorded at the evaluation point, replayed while
//! tracing, see `eval.rs`) and the model is traced per evaluation.

use super::eval::{Eval, R};
use super::values::{Val, dims_for};
use crate::lang::Span;
use crate::lang::types::Type;
use crate::math::sort::{SortKernel, argsort_asc, argsort_desc, rank};
use std::sync::Arc;

impl Eval<'_, '_, '_> {
    /// `sort_asc`, `sort_desc`, `sort_indices_asc`, `sort_indices_desc`, `rank`, or
    /// `None` for other names.
    pub fn sort_call(&mut self, name: &str, a: &[Val], ty: Type, span: Span) -> R<Option<Val>> {
        let v = match (name, a) {
            ("sort_asc" | "sort_desc", [x]) => {
                let descending = name == "sort_desc";
                if let Some(xs) = x.as_const() {
                    let idx = if descending {
                        argsort_desc(xs)
                    } else {
                        argsort_asc(xs)
                    };
                    if let Some(i) = xs.iter().position(|v| v.is_nan()) {
                        return self.fatal(span, format!("{name}: element [{}] is NaN", i + 1));
                    }
                    let sorted = idx.iter().map(|&i| xs[i]).collect();
                    Val::constant(ty, x.shape.clone(), sorted)
                } else {
                    let shape = x.shape.clone();
                    let (r, c) = dims_for(ty, &shape);
                    let k = Arc::new(SortKernel { descending });
                    self.apply(&[x], ty, Some(shape), span, |b, s| b.kernel(k, s, r, c))?
                }
            }
            ("sort_indices_asc" | "sort_indices_desc", [x]) => {
                let n = x.len();
                let known = x.as_const().map(|xs| {
                    if name.ends_with("desc") {
                        argsort_desc(xs)
                    } else {
                        argsort_asc(xs)
                    }
                });
                let mut out = Vec::with_capacity(n);
                for p in 0..n {
                    let k = known.as_ref().map(|idx| (idx[p] + 1) as f64);
                    out.push(self.decide(k, span)?);
                }
                Val::constant(ty, vec![n], out)
            }
            ("rank", [x, s]) => {
                let s = match s.as_const() {
                    Some([s]) => *s as i64,
                    _ => return self.fatal(span, "rank: the index must be an integer"),
                };
                let n = x.len();
                if s < 1 || s as usize > n {
                    return self.fatal(span, format!("rank: index {s} is outside 1..{n}"));
                }
                let known = x.as_const().map(|xs| rank(xs, s as usize - 1) as f64);
                Val::int(self.decide(known, span)? as i64)
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }
}
