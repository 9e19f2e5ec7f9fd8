//! Parameters: the unconstrained layout (one contiguous range per declared parameter, in
//! declaration order), the constraining transforms with their log |Jacobian| written as
//! evaluator operations (so the same code traces the density and computes output), and
//! the inverse transforms for user-supplied initial values.
//!
//! Transforms (Stan reference manual, "Constraint transforms"): lower bound
//! `y = L + exp(x)`; upper bound `y = U - exp(x)`; both `y = L + (U - L) logit⁻¹(x)`;
//! affine `y = o + m x`; ordered `y₁ = x₁, yₖ = yₖ₋₁ + exp(xₖ)`; positive ordered
//! `yₖ = Σ exp(xⱼ)`; simplex by stick breaking, `zₖ = logit⁻¹(xₖ - log(K - k))`.

use super::eval::{Eval, R};
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
    match con {
        Con::Simplex => {
            let k = *shape.last().unwrap_or(&1);
            n.checked_div(k).map_or(0, |b| b * (k - 1))
        }
        _ => n,
    }
}

const REAL_ARRAY: Type = Type::array(BaseType::Real, 1);

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
            Con::Simplex => return self.simplex(x, ty, shape, span),
            other => {
                return self.fatal(
                    span,
                    format!("parameters with constraint {other:?} are not supported yet"),
                );
            }
        };
        let y = y.retyped(ty, shape.to_vec());
        Ok((y, lj))
    }

    fn simplex(&mut self, x: &Val, ty: Type, shape: &[usize], span: Span) -> R<(Val, Option<Val>)> {
        let k = *shape.last().unwrap_or(&1);
        let total: usize = shape.iter().product();
        let blocks = total.checked_div(k).unwrap_or(0);
        let r = Type::REAL;
        let mut out = Vec::with_capacity(total);
        let mut terms = Vec::new();
        for b in 0..blocks {
            let mut stick = Val::real(1.0);
            for i in 0..k - 1 {
                let xi = x.range(b * (k - 1) + i, r, vec![]);
                let shift = Val::real(((k - 1 - i) as f64).ln());
                let adj = self.elementwise(Binary::Sub, &xi, &shift, r, span)?;
                let z = self.unary(Unary::InvLogit, &adj, r, span)?;
                let yi = self.elementwise(Binary::Mul, &stick, &z, r, span)?;
                let ls = self.unary(Unary::Log, &stick, r, span)?;
                let p = self.unary(Unary::LogInvLogit, &adj, r, span)?;
                let q = self.unary(Unary::Log1mInvLogit, &adj, r, span)?;
                terms.extend([ls, p, q]);
                out.push(yi.elem(0));
                stick = self.elementwise(Binary::Sub, &stick, &yi, r, span)?;
            }
            out.push(stick.elem(0));
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
            data: Data::Elems(terms.iter().map(|t| t.elem(0)).collect()),
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
        Con::Simplex => {
            let k = (*shape.last().unwrap_or(&1)).max(1);
            let mut out = Vec::new();
            for chunk in y.chunks(k) {
                let s: f64 = chunk.iter().sum();
                if (s - 1.0).abs() > 1e-8 || chunk.iter().any(|&v| v.is_nan() || v <= 0.0) {
                    return Err(format!("is not a simplex with positive entries (sum {s})"));
                }
                let mut stick = 1.0;
                for (i, &v) in chunk.iter().take(k - 1).enumerate() {
                    let z = v / stick;
                    out.push((z / (1.0 - z)).ln() + ((k - 1 - i) as f64).ln());
                    stick -= v;
                }
            }
            Ok(out)
        }
        other => Err(format!(
            "constraint {other:?} is not supported for parameters yet"
        )),
    }
}
