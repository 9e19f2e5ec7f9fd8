//! Distribution calls: `_lpdf`/`_lpmf` (and `~`), `_cdf`/`_lcdf`/`_lccdf`, each lowered
//! to one scalar kernel op over its real arguments through the distribution table (see
//! `density.rs`), computed directly when every argument is known now, and batched when
//! it is a scalar `~` statement (see `batch.rs`).

use super::density::{self, DistFn, DistKernel};
use super::eval::{Eval, R};
use super::values::Val;
use crate::dist::descriptor::{ArgType, DESCRIPTORS, Descriptor, Evaluation};
use crate::dist::ordered::Link;
use crate::lang::Span;
use crate::lang::ast::BaseType;
use crate::lang::types::Type;
use std::sync::Arc;

fn descriptor(name: &str) -> Option<&'static Descriptor> {
    DESCRIPTORS.iter().find(|d| d.name == name)
}

fn is_int_arg(t: ArgType) -> bool {
    matches!(t, ArgType::Ints | ArgType::Int | ArgType::IntArray)
}

impl Eval<'_, '_, '_> {
    /// A `~` statement's or `_lpdf` call's density.
    pub fn density(
        &mut self,
        dist: &str,
        vals: &[Val],
        propto: bool,
        tilde: bool,
        span: Span,
    ) -> R<Val> {
        let Some(d) = descriptor(dist) else {
            return self.fatal(span, format!("distribution `{dist}` has no implementation"));
        };
        if let Some(v) = self.composed_density(dist, vals, propto, span)? {
            return Ok(v);
        }
        if !tilde && let Some(v) = self.numeric_density(d, vals, propto, span)? {
            return Ok(v);
        }
        let suffix = if d.discrete { "lpmf" } else { "lpdf" };
        let name = format!("{dist}_{suffix}");
        let f = match d.eval {
            Evaluation::Univariate(k) => DistFn::Density(k.density, propto),
            Evaluation::Dedicated(_) => match dist {
                "normal_id_glm" => DistFn::NormalIdGlm(propto),
                "bernoulli_logit_glm" => DistFn::IntGlm(false, propto),
                "poisson_log_glm" => DistFn::IntGlm(true, propto),
                "multi_normal_cholesky" => DistFn::MultiNormal(true, propto),
                "multi_normal" => DistFn::MultiNormal(false, propto),
                "lkj_corr_cholesky" => DistFn::Lkj(true, propto),
                "lkj_corr" => DistFn::Lkj(false, propto),
                "ordered_logistic" | "ordered_probit" => {
                    let link = if dist == "ordered_probit" {
                        Link::Probit
                    } else {
                        Link::Logit
                    };
                    let cut_len = vals.get(2).map_or(0, |c| *c.shape.last().unwrap_or(&0));
                    DistFn::Ordered(link, cut_len, propto)
                }
                "multi_student_t" => DistFn::MultiStudentT(propto),
                "multi_student_t_cholesky" => DistFn::MultiStudentTCholesky(propto),
                "wishart_cholesky" => DistFn::WishartCholesky(false, propto),
                "inv_wishart_cholesky" => DistFn::WishartCholesky(true, propto),
                "binomial_logit_glm" => DistFn::BinomialLogitGlm(propto),
                "wishart" => DistFn::Wishart(false, propto),
                "inv_wishart" => DistFn::Wishart(true, propto),
                "dirichlet" => {
                    let k = vals.get(1).map_or(0, |a| *a.shape.last().unwrap_or(&0));
                    DistFn::Dirichlet(k, propto)
                }
                _ => {
                    return self
                        .fatal(span, format!("`{name}` is not implemented by the compiler"));
                }
            },
        };
        if tilde && let (DistFn::Density(fp, _), Evaluation::Univariate(k)) = (f, d.eval) {
            let mut ints = Vec::new();
            let mut reals = Vec::new();
            for (v, spec) in vals.iter().zip(d.args) {
                if is_int_arg(spec.ty) {
                    match v.as_const() {
                        Some([x]) => ints.push(*x as i64),
                        _ => return self.dist_op(name, f, d, vals, span),
                    }
                } else {
                    reals.push(v);
                }
            }
            if vals.len() == d.args.len()
                && self.batch_density(&name, (fp, k.element), propto, &ints, &reals)
            {
                return Ok(Val::real(0.0));
            }
        }
        self.dist_op(name, f, d, vals, span)
    }

    /// `_cdf` (0), `_lcdf` (1) or `_lccdf` (2) of a family.
    pub fn cdf(&mut self, dist: &str, which: usize, vals: &[Val], span: Span) -> R<Val> {
        let Some(d) = descriptor(dist) else {
            return self.fatal(span, format!("distribution `{dist}` has no implementation"));
        };
        let names = ["cdf", "lcdf", "lccdf"];
        let name = format!("{dist}_{}", names[which]);
        let f = match d.eval {
            Evaluation::Univariate(k) => match k.cdfs {
                Some(c) => DistFn::Cdf(c[which]),
                None => return self.fatal(span, format!("`{name}` is not available")),
            },
            Evaluation::Dedicated(_) => {
                return self.fatal(span, format!("`{name}` is not available"));
            }
        };
        self.dist_op(name, f, d, vals, span)
    }

    fn dist_op(
        &mut self,
        name: String,
        f: DistFn,
        d: &Descriptor,
        vals: &[Val],
        span: Span,
    ) -> R<Val> {
        if vals.len() != d.args.len() {
            return self.fatal(span, format!("{name}: {} arguments given", vals.len()));
        }
        let mut ints = Vec::new();
        let mut reals: Vec<&Val> = Vec::new();
        let mut scalar = Vec::new();
        let mut rows = Vec::new();
        for (v, spec) in vals.iter().zip(d.args) {
            if is_int_arg(spec.ty) || (v.ty.is_int_based() && spec.ty == ArgType::Ints) {
                let xs = self.consts(v, "an integer argument", span)?;
                ints.push((xs.iter().map(|&x| x as i64).collect(), v.ty.dims == 0));
            } else {
                reals.push(v);
                scalar.push(v.ty.is_scalar());
                rows.push(if v.ty.base == BaseType::Matrix && v.ty.dims == 0 {
                    v.shape[0]
                } else {
                    0
                });
            }
        }
        let element = match d.eval {
            Evaluation::Univariate(k) => Some(k.element),
            Evaluation::Dedicated(_) => None,
        };
        let kernel = Arc::new(DistKernel {
            name,
            f,
            ints,
            scalar,
            rows,
            element,
        });
        if reals.iter().all(|v| v.as_const().is_some()) {
            // numeric fast path (transformed data, generated quantities): no tape at all
            let inputs: Vec<&[f64]> = reals.iter().map(|v| v.as_const().unwrap_or(&[])).collect();
            let mut grads: Vec<&mut [f64]> = inputs.iter().map(|_| &mut [][..]).collect();
            return kernel
                .eval(&inputs, &mut grads)
                .map(Val::real)
                .map_err(|m| self.op_err(span, m));
        }
        self.apply(&reals, Type::REAL, None, span, |b, s| {
            density::lower(b, kernel, s)
        })
    }
}
