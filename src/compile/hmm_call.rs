//! `hmm_marginal` as one scalar tape op (value and partials in log_omega, Gamma and rho
//! from `dist::hmm`'s forward-backward pass), and `hmm_hidden_state_prob` on data.

use super::eval::{Eval, R};
use super::values::Val;
use crate::ad::ScalarKernel;
use crate::dist::args::MatRef;
use crate::dist::hmm::{HmmPartials, hmm_hidden_state_prob, hmm_marginal};
use crate::lang::Span;
use crate::lang::types::Type;
use std::sync::Arc;

/// `hmm_marginal(log_omega, Gamma, rho)` over tape inputs; `states` is K.
struct HmmKernel {
    states: usize,
}

fn mat(x: &[f64], rows: usize) -> Result<MatRef<'_>, String> {
    let rows = rows.max(1);
    MatRef::new(x, rows, x.len() / rows).ok_or_else(|| "hmm_marginal: malformed matrix".into())
}

fn opt(g: &mut [f64]) -> Option<&mut [f64]> {
    if g.is_empty() { None } else { Some(g) }
}

impl ScalarKernel for HmmKernel {
    fn name(&self) -> &str {
        "hmm_marginal"
    }

    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        let [glo, gg, gr] = grads else {
            return Err("hmm_marginal: expects 3 arguments".into());
        };
        let lo = mat(inputs[0], self.states)?;
        let g = mat(inputs[1], self.states)?;
        let d = HmmPartials {
            log_omega: opt(glo),
            gamma: opt(gg),
            rho: opt(gr),
        };
        hmm_marginal(lo, g, inputs[2], d).map_err(|e| e.to_string())
    }
}

/// Rows of a matrix value (its first size), 1 for anything else.
fn rows(v: &Val) -> usize {
    if v.shape.len() == 2 {
        v.shape[0]
    } else {
        v.len()
    }
}

impl Eval<'_, '_, '_> {
    /// `hmm_marginal` / `hmm_hidden_state_prob`, or `None` for other names.
    pub fn hmm_call(&mut self, name: &str, a: &[Val], ty: Type, span: Span) -> R<Option<Val>> {
        match (name, a) {
            ("hmm_marginal", [lo, g, rho]) => {
                let kernel = Arc::new(HmmKernel { states: rows(lo) });
                if let (Some(x), Some(y), Some(z)) = (lo.as_const(), g.as_const(), rho.as_const()) {
                    // data only (transformed data, generated quantities): no gradients
                    let v = kernel.value_and_gradient(&[x, y, z], &mut [&mut [], &mut [], &mut []]);
                    return v
                        .map(|v| Some(Val::real(v)))
                        .map_err(|m| self.op_err(span, m));
                }
                let v = self.apply(&[lo, g, rho], Type::REAL, None, span, |b, s| {
                    b.scalar_kernel(kernel, s)
                })?;
                Ok(Some(v))
            }
            ("hmm_hidden_state_prob", [lo, g, rho]) => {
                let (Some(x), Some(y), Some(z)) = (lo.as_const(), g.as_const(), rho.as_const())
                else {
                    return self.fatal(
                        span,
                        "hmm_hidden_state_prob: arguments must not depend on the parameters \
                         (use it in generated quantities)",
                    );
                };
                let (k, n) = (rows(lo), lo.len() / rows(lo).max(1));
                let probs = mat(x, k)
                    .and_then(|l| {
                        hmm_hidden_state_prob(l, mat(y, rows(g))?, z).map_err(|e| e.to_string())
                    })
                    .map_err(|m| self.op_err(span, m))?;
                Ok(Some(Val::constant(ty, vec![k, n], probs)))
            }
            _ => Ok(None),
        }
    }
}
