//! Parameters: the unconstrained layout (one contiguous range per declared parameter, in
//! declaration order), the constraining transforms with their log |Jacobian| written as
//! evaluator operations (so the same code traces the density and computes output), and
//! the inverse transforms for user-supplied initial values.
//!
//! Transforms (Stan reference manual, "Constraint transforms"): lower bound
//! `y = L + exp(x)`; upper bound `y = U - exp(x)`; both `y = L + (U - L) logit⁻¹(x)`;
//! affine `y = o + m x`; ordered `y₁ = x₁, yₖ = yₖ₋₁ + exp(xₖ)`; positive ordered
//! `yₖ = Σ exp(xⱼ)`. Simplex, unit vector and the matrix constraints are one tape kernel
//! each over `crate::transform` (see `transform_op.rs`).

use super::eval::{Eval, R};
use super::transform_op::{TransformKernel, transform_of};
use super::values::{Data, Elem, Val};
use crate::lang::Span;
use crate::lang::ast::BaseType;
use crate::lang::typed::{Constraint, VarId};
use crate::lang::types::Type;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::{Reduce, VectorMap};

/// A declaration's constraint with its bounds evaluated.
#[derive(Clone, Debug)]
pub enum Con {
    None,
    Bounds(Option<Val>, Option<Val>),
    Affine(Option<Val>, Option<Val>),
    Simplex,
    Ordered,
    PositiveOrdered,
    UnitVector,
    CholeskyCorr,
    CholeskyCov,
    CorrMatrix,
    CovMatrix,
}

/// Length of the unconstrained representation of a parameter of `shape` under `con`.
pub fn unconstrained_len(con: &Con, shape: &[usize]) -> usize {
    let n: usize = shape.iter().product();
    match transform_of(con, base_of(con, shape)) {
        Some(t) => n
            .checked_div(t.constrained_len())
            .map_or(0, |b| b * t.unconstrained_len()),
        None => n,
    }
}

const REAL_ARRAY: Type = Type::array(BaseType::Real, 1);

/// The base sizes (last 1 or 2 entries of `shape`) a constraint applies to.
fn base_of<'s>(con: &Con, shape: &'s [usize]) -> &'s [usize] {
    let rank = match con {
        Con::CholeskyCorr | Con::CholeskyCov | Con::CorrMatrix | Con::CovMatrix => 2,
        _ => 1,
    };
    &shape[shape.len().saturating_sub(rank)..]
}

impl Con {
    /// The constraint's name as declared.
    pub fn name(&self) -> &'static str {
        match self {
            Con::None => "none",
            Con::Bounds(..) => "bounds",
            Con::Affine(..) => "offset/multiplier",
            Con::Simplex => "simplex",
            Con::Ordered => "ordered",
            Con::PositiveOrdered => "positive_ordered",
            Con::UnitVector => "unit_vector",
            Con::CholeskyCorr => "cholesky_factor_corr",
            Con::CholeskyCov => "cholesky_factor_cov",
            Con::CorrMatrix => "corr_matrix",
            Con::CovMatrix => "cov_matrix",
        }
    }
}

impl Eval<'_, '_, '_> {
    /// Evaluates the bounds of `id`'s declared constraint.
    pub fn constraint(&mut self, id: VarId) -> R<Con> {
        let Some(decl) = self.prog.var(id).decl.clone() else {
            return Ok(Con::None);
        };
        Ok(match &decl.constraint {
            Constraint::None => Con::None,
            Constraint::Bounds { lower, upper } => {
                let l = lower.as_ref().map(|e| self.expr(e)).transpose()?;
                let u = upper.as_ref().map(|e| self.expr(e)).transpose()?;
                Con::Bounds(l, u)
            }
            Constraint::Affine { offset, multiplier } => {
                let o = offset.as_ref().map(|e| self.expr(e)).transpose()?;
                let m = multiplier.as_ref().map(|e| self.expr(e)).transpose()?;
                Con::Affine(o, m)
            }
            Constraint::Simplex => Con::Simplex,
            Constraint::Ordered => Con::Ordered,
            Constraint::PositiveOrdered => Con::PositiveOrdered,
            Constraint::UnitVector => Con::UnitVector,
            Constraint::CholeskyFactorCorr => Con::CholeskyCorr,
            Constraint::CholeskyFactorCov => Con::CholeskyCov,
            Constraint::CorrMatrix => Con::CorrMatrix,
            Constraint::CovMatrix => Con::CovMatrix,
        })
    }

    fn flat_bound(&self, b: &Val) -> Val {
        if b.ty.is_scalar() {
            b.clone()
        } else {
            let n = b.len();
            b.clone().retyped(REAL_ARRAY, vec![n])
        }
    }

    fn sum(&mut self, v: &Val, span: Span) -> R<Val> {
        self.ops
            .apply(&[v], Type::REAL, None, |b, s| b.reduce(Reduce::Sum, s[0]))
            .map_err(|m| self.op_err(span, m))
    }

    /// Maps unconstrained `x` (a flat real array) to a value of `ty`/`shape` under `con`,
    /// with the log |Jacobian| (a scalar) when the transform has one.
    pub fn constrain(
        &mut self,
        x: &Val,
        con: &Con,
        ty: Type,
        shape: &[usize],
        span: Span,
    ) -> R<(Val, Option<Val>)> {
        let a = REAL_ARRAY;
        let n = x.len();
        let (y, lj) = match con {
            Con::None => (x.clone(), None),
            Con::Bounds(None, None) => (x.clone(), None),
            Con::Bounds(Some(l), None) => {
                let l = self.flat_bound(l);
                let e = self.unary(Unary::Exp, x, a, span)?;
                let y = self.elementwise(Binary::Add, &l, &e, a, span)?;
                (y, Some(self.sum(x, span)?))
            }
            Con::Bounds(None, Some(u)) => {
                let u = self.flat_bound(u);
                let e = self.unary(Unary::Exp, x, a, span)?;
                let y = self.elementwise(Binary::Sub, &u, &e, a, span)?;
                (y, Some(self.sum(x, span)?))
            }
            Con::Bounds(Some(l), Some(u)) => {
                let (l, u) = (self.flat_bound(l), self.flat_bound(u));
                let w = self.elementwise(Binary::Sub, &u, &l, l.ty, span)?;
                let z = self.unary(Unary::InvLogit, x, a, span)?;
                let wz = self.elementwise(Binary::Mul, &w, &z, a, span)?;
                let y = self.elementwise(Binary::Add, &l, &wz, a, span)?;
                let lw = self.unary(Unary::Log, &w, w.ty, span)?;
                let p = self.unary(Unary::LogInvLogit, x, a, span)?;
                let q = self.unary(Unary::Log1mInvLogit, x, a, span)?;
                let pq = self.elementwise(Binary::Add, &p, &q, a, span)?;
                let t = self.elementwise(Binary::Add, &pq, &lw, a, span)?;
                (y, Some(self.sum(&t, span)?))
            }
            Con::Affine(o, m) => {
                let mut y = x.clone();
                let mut lj = None;
                if let Some(m) = m {
                    let m = self.flat_bound(m);
                    y = self.elementwise(Binary::Mul, &m, &y, a, span)?;
                    let lm = self.unary(Unary::Log, &m, m.ty, span)?;
                    let s = if lm.ty.is_scalar() {
                        self.elementwise(Binary::Mul, &lm, &Val::real(n as f64), Type::REAL, span)?
                    } else {
                        self.sum(&lm, span)?
                    };
                    lj = Some(s);
                }
                if let Some(o) = o {
                    let o = self.flat_bound(o);
                    y = self.elementwise(Binary::Add, &o, &y, a, span)?;
                }
                (y, lj)
            }
            Con::Ordered | Con::PositiveOrdered => {
                let k = *shape.last().unwrap_or(&1);
                let e = self.unary(Unary::Exp, x, a, span)?;
                let mut parts = Vec::new();
                for b in 0..n / k.max(1) {
                    let mut elems: Vec<Elem> = (0..k).map(|i| e.elem(b * k + i)).collect();
                    if matches!(con, Con::Ordered) && k > 0 {
                        elems[0] = x.elem(b * k);
                    }
                    let v = Val {
                        ty: a,
                        shape: vec![k],
                        data: Data::Elems(elems),
                    }
                    .normalized();
                    let c = self
                        .ops
                        .apply(&[&v], a, Some(vec![k]), |bb, s| {
                            bb.map(VectorMap::CumulativeSum, s[0])
                        })
                        .map_err(|m| self.op_err(span, m))?;
                    parts.extend(c.elems());
                }
                let y = Val {
                    ty: a,
                    shape: vec![n],
                    data: Data::Elems(parts),
                }
                .normalized();
                let lj = if matches!(con, Con::Ordered) {
                    let keep: Vec<usize> = (0..n).filter(|i| i % k.max(1) != 0).collect();
                    if keep.is_empty() {
                        None
                    } else {
                        let m = keep.len();
                        let sel = self.select(x, &keep, a, vec![m], span)?;
                        Some(self.sum(&sel, span)?)
                    }
                } else {
                    Some(self.sum(x, span)?)
                };
                (y, lj)
            }
            Con::Simplex
            | Con::UnitVector
            | Con::CholeskyCorr
            | Con::CholeskyCov
            | Con::CorrMatrix
            | Con::CovMatrix => return self.kernel_transform(x, con, ty, shape, span),
        };
        let y = y.retyped(ty, shape.to_vec());
        Ok((y, lj))
    }

    fn kernel_transform(
        &mut self,
        x: &Val,
        con: &Con,
        ty: Type,
        shape: &[usize],
        span: Span,
    ) -> R<(Val, Option<Val>)> {
        let base = base_of(con, shape);
        let Some(probe) = transform_of(con, base) else {
            return self.fatal(span, format!("no transform for {}", con.name()));
        };
        let (ul, cl) = (probe.unconstrained_len(), probe.constrained_len());
        let total: usize = shape.iter().product();
        let blocks = total.checked_div(cl).unwrap_or(0);
        let mut out = Vec::with_capacity(total);
        let mut terms = Vec::with_capacity(blocks);
        for b in 0..blocks {
            let u = x.range(b * ul, REAL_ARRAY, vec![ul]);
            let Some(t) = transform_of(con, base) else {
                return self.fatal(span, format!("no transform for {}", con.name()));
            };
            let kernel = std::sync::Arc::new(TransformKernel {
                name: con.name(),
                t,
            });
            let v = self
                .ops
                .apply(&[&u], REAL_ARRAY, Some(vec![cl + 1]), |bb, s| {
                    bb.kernel(kernel, &[s[0]], cl + 1, 1)
                })
                .map_err(|m| self.op_err(span, m))?;
            out.extend((0..cl).map(|i| v.elem(i)));
            terms.push(v.elem(cl));
        }
        let y = Val {
            ty,
            shape: shape.to_vec(),
            data: Data::Elems(out),
        }
        .normalized();
        if terms.is_empty() {
            return Ok((y, None));
        }
        let m = terms.len();
        let all = Val {
            ty: REAL_ARRAY,
            shape: vec![m],
            data: Data::Elems(terms),
        }
        .normalized();
        Ok((y, Some(self.sum(&all, span)?)))
    }
}

/// The inverse transform on numbers: constrained `y` → unconstrained values, or a message
/// saying why `y` is not in the constrained set.
pub fn unconstrain(con: &Con, y: &[f64], shape: &[usize]) -> Result<Vec<f64>, String> {
    let bound = |b: &Option<Val>, i: usize| -> Option<f64> {
        b.as_ref()
            .and_then(|v| v.as_const().map(|c| if c.len() == 1 { c[0] } else { c[i] }))
    };
    let check = |ok: bool, i: usize, what: &str| -> Result<(), String> {
        if ok {
            Ok(())
        } else {
            Err(format!("element {} is {}, {what}", i + 1, y[i]))
        }
    };
    match con {
        Con::None => Ok(y.to_vec()),
        Con::Bounds(l, u) => y
            .iter()
            .enumerate()
            .map(|(i, &v)| match (bound(l, i), bound(u, i)) {
                (Some(l), Some(u)) => {
                    check(
                        v > l && v < u,
                        i,
                        &format!("but must lie strictly between {l} and {u}"),
                    )?;
                    let t = (v - l) / (u - l);
                    Ok((t / (1.0 - t)).ln())
                }
                (Some(l), None) => {
                    check(v > l, i, &format!("but must be greater than {l}"))?;
                    Ok((v - l).ln())
                }
                (None, Some(u)) => {
                    check(v < u, i, &format!("but must be less than {u}"))?;
                    Ok((u - v).ln())
                }
                (None, None) => Ok(v),
            })
            .collect(),
        Con::Affine(o, m) => Ok(y
            .iter()
            .enumerate()
            .map(|(i, &v)| (v - bound(o, i).unwrap_or(0.0)) / bound(m, i).unwrap_or(1.0))
            .collect()),
        Con::Ordered | Con::PositiveOrdered => {
            let k = (*shape.last().unwrap_or(&1)).max(1);
            let mut out = Vec::with_capacity(y.len());
            for (b, chunk) in y.chunks(k).enumerate() {
                for (i, &v) in chunk.iter().enumerate() {
                    if i == 0 {
                        if matches!(con, Con::PositiveOrdered) {
                            check(v > 0.0, b * k, "but must be positive")?;
                            out.push(v.ln());
                        } else {
                            out.push(v);
                        }
                    } else {
                        check(
                            v > chunk[i - 1],
                            b * k + i,
                            "but must exceed the previous element",
                        )?;
                        out.push((v - chunk[i - 1]).ln());
                    }
                }
            }
            Ok(out)
        }
        other => {
            let base = base_of(other, shape);
            let Some(t) = transform_of(other, base) else {
                return Err(format!("constraint {other:?} has no inverse transform"));
            };
            let (ul, cl) = (t.unconstrained_len(), t.constrained_len());
            let mut out = vec![0.0; y.len().checked_div(cl).unwrap_or(0) * ul];
            for (xb, ub) in y.chunks(cl.max(1)).zip(out.chunks_mut(ul.max(1))) {
                t.unconstrain(xb, ub).map_err(|e| e.to_string())?;
            }
            Ok(out)
        }
    }
}
