//! Expressions: literals, variables, operators, conditionals, array and row-vector
//! constructors. Integer arithmetic is done now (ints are always data); real arithmetic
//! goes through [`super::ops::Ops`], which folds constants and records the rest.

use super::eval::{Eval, R};
use super::values::{Data, Elem, Val};
use crate::ad::TapeBuilder;
use crate::lang::Span;
use crate::lang::ast::{BaseType, BinOp, UnOp};
use crate::lang::typed::{TExpr, TExprKind};
use crate::lang::types::Type;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;

fn int_binop(op: BinOp, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div | BinOp::IntDiv => {
            if b == 0 {
                return Err("integer division by zero".into());
            }
            a / b
        }
        BinOp::Mod => {
            if b == 0 {
                return Err("integer modulus by zero".into());
            }
            a % b
        }
        _ => return Err(format!("operator {} on integers", op.symbol())),
    })
}

fn compare(op: BinOp, a: f64, b: f64) -> Option<bool> {
    Some(match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        BinOp::And => a != 0.0 && b != 0.0,
        BinOp::Or => a != 0.0 || b != 0.0,
        _ => return None,
    })
}

impl Eval<'_, '_, '_> {
    pub fn expr(&mut self, e: &TExpr) -> R<Val> {
        match &e.kind {
            TExprKind::Int(i) => Ok(Val::int(*i)),
            TExprKind::Real(x) => Ok(Val::real(*x)),
            TExprKind::Var(id) => Ok(self.get(*id, e.span)?.clone()),
            TExprKind::Binary { op, lhs, rhs } => {
                if matches!(op, BinOp::And | BinOp::Or) {
                    // short-circuit, as Stan does
                    let a = self.truth(lhs)?;
                    if (*op == BinOp::And && !a) || (*op == BinOp::Or && a) {
                        return Ok(Val::int(i64::from(a)));
                    }
                    let b = self.truth(rhs)?;
                    return Ok(Val::int(i64::from(b)));
                }
                let a = self.expr(lhs)?;
                let b = self.expr(rhs)?;
                self.binary(*op, &a, &b, e.ty, e.span)
            }
            TExprKind::Unary { op, operand } => {
                let v = self.expr(operand)?;
                match op {
                    UnOp::Plus => Ok(v),
                    UnOp::Not => {
                        let known = v.as_const().map(|x| f64::from(u8::from(x[0] == 0.0)));
                        Ok(Val::int(self.decide(known, e.span)? as i64))
                    }
                    UnOp::Neg => self.unary(Unary::Neg, &v, e.ty, e.span),
                }
            }
            TExprKind::Transpose(x) => {
                let v = self.expr(x)?;
                self.ops
                    .apply(&[&v], e.ty, None, |b, s| b.transpose(s[0]))
                    .map_err(|m| self.op_err(e.span, m))
            }
            TExprKind::Cond {
                cond,
                then,
                otherwise,
            } => {
                let v = if self.truth(cond)? {
                    self.expr(then)?
                } else {
                    self.expr(otherwise)?
                };
                let shape = v.shape.clone();
                Ok(v.retyped(e.ty, shape))
            }
            TExprKind::Call { callee, args } => self.call(*callee, args, e.ty, e.span),
            TExprKind::Index { base, indices } => {
                let prog = self.prog;
                let name = match &base.kind {
                    TExprKind::Var(id) => prog.var(*id).name.as_str(),
                    _ => "expression",
                };
                if let TExprKind::Var(id) = &base.kind {
                    if let Some(v) = self.index_in_place(*id, indices, e.ty, name, e.span)? {
                        return Ok(v);
                    }
                    let b = self.get(*id, base.span)?.clone();
                    return self.index(&b, indices, e.ty, name, e.span);
                }
                let b = self.expr(base)?;
                self.index(&b, indices, e.ty, name, e.span)
            }
            TExprKind::Array(items) => {
                let vals = items.iter().map(|x| self.expr(x)).collect::<R<Vec<_>>>()?;
                let inner = vals.first().map(|v| v.shape.clone()).unwrap_or_default();
                if vals.iter().any(|v| v.shape != inner) {
                    return self.fatal(e.span, "array elements have different sizes");
                }
                let mut shape = vec![vals.len()];
                shape.extend(inner);
                Ok(stack(e.ty, shape, &vals))
            }
            TExprKind::RowVector(items) => {
                let vals = items.iter().map(|x| self.expr(x)).collect::<R<Vec<_>>>()?;
                if e.ty.base == BaseType::Matrix {
                    let n = vals.len();
                    let m = vals.first().map_or(0, Val::len);
                    if vals.iter().any(|v| v.len() != m) {
                        return self.fatal(e.span, "matrix rows have different sizes");
                    }
                    let mut elems = vec![Elem::C(0.0); n * m];
                    for (i, row) in vals.iter().enumerate() {
                        for j in 0..m {
                            elems[i + j * n] = row.elem(j);
                        }
                    }
                    Ok(Val {
                        ty: e.ty,
                        shape: vec![n, m],
                        data: Data::Elems(elems),
                    }
                    .normalized())
                } else {
                    let n = vals.len();
                    Ok(stack(e.ty, vec![n], &vals))
                }
            }
            TExprKind::TargetGet => self.target_sum(e.span),
        }
    }

    /// The sum of every term added to `target` so far.
    pub fn target_sum(&mut self, span: Span) -> R<Val> {
        self.flush_batches(span)?;
        let terms = std::mem::take(&mut self.target);
        let mut acc = Val::real(0.0);
        let mut sums = Vec::with_capacity(terms.len());
        for t in &terms {
            let s = if t.ty.is_scalar() {
                t.clone()
            } else {
                self.ops
                    .apply(&[t], Type::REAL, None, |b, s| b.reduce(Reduce::Sum, s[0]))
                    .map_err(|m| self.op_err(span, m))?
            };
            sums.push(s);
        }
        // constants first, then one sum over the tape scalars
        let mut c = 0.0;
        let mut active = Vec::new();
        for s in sums {
            match s.as_const() {
                Some([x]) => c += x,
                _ => active.push(s),
            }
        }
        self.target = terms;
        if active.is_empty() {
            return Ok(Val::real(c));
        }
        let refs: Vec<&Val> = active.iter().collect();
        let s = self
            .ops
            .apply(&refs, Type::REAL, None, |b, s| b.sum_terms(s))
            .map_err(|m| self.op_err(span, m))?;
        acc = if c != 0.0 {
            self.binary(BinOp::Add, &s, &Val::real(c), Type::REAL, span)?
        } else {
            let _ = acc;
            s
        };
        Ok(acc)
    }

    pub fn unary(&mut self, f: Unary, v: &Val, ty: Type, span: Span) -> R<Val> {
        if let Data::Scalar(x) = v.data {
            // what `Val::constant` makes of one value, without the temporary vector
            return Ok(Val {
                ty,
                shape: v.shape.clone(),
                data: Data::Scalar(f.value(x)),
            });
        }
        if let Some(xs) = v.as_const() {
            let out = xs.iter().map(|&x| f.value(x)).collect();
            return Ok(Val::constant(ty, v.shape.clone(), out));
        }
        if ty.is_int_based()
            && let Some(xs) = v.as_const()
        {
            let out = xs.iter().map(|&x| f.value(x)).collect();
            return Ok(Val::constant(ty, v.shape.clone(), out));
        }
        let shape = v.shape.clone();
        self.ops
            .apply(&[v], ty, Some(shape), |b, s| b.unary(f, s[0]))
            .map_err(|m| self.op_err(span, m))
    }

    /// An elementwise binary function with Stan broadcasting (a scalar against anything).
    pub fn elementwise(&mut self, f: Binary, a: &Val, b: &Val, ty: Type, span: Span) -> R<Val> {
        let shape = if a.ty.is_scalar() {
            b.shape.clone()
        } else {
            a.shape.clone()
        };
        if !a.ty.is_scalar() && !b.ty.is_scalar() && a.shape != b.shape {
            return self.fatal(
                span,
                format!("{}: sizes {:?} and {:?} differ", f.name(), a.shape, b.shape),
            );
        }
        if let (Data::Scalar(x), Data::Scalar(y)) = (&a.data, &b.data) {
            // what `Val::constant` makes of one value, without the temporary vector
            return Ok(Val {
                ty,
                shape,
                data: Data::Scalar(f.value(*x, *y)),
            });
        }
        if let (Some(x), Some(y)) = (a.as_const(), b.as_const()) {
            let n = x.len().max(y.len());
            let at = |v: &[f64], i: usize| if v.len() == 1 { v[0] } else { v[i] };
            let out = (0..n).map(|i| f.value(at(x, i), at(y, i))).collect();
            return Ok(Val::constant(ty, shape, out));
        }
        let (a2, b2) = (flat(a), flat(b));
        self.ops
            .apply(&[&a2, &b2], ty, Some(shape), |bb, s| {
                bb.binary(f, s[0], s[1])
            })
            .map_err(|m| self.op_err(span, m))
    }

    pub fn binary(&mut self, op: BinOp, a: &Val, b: &Val, ty: Type, span: Span) -> R<Val> {
        if let (Some(x), Some(y)) = (a.as_const(), b.as_const())
            && a.ty.is_scalar()
            && b.ty.is_scalar()
        {
            let (x, y) = (x[0], y[0]);
            if let Some(c) = compare(op, x, y) {
                let d = self.decide(Some(f64::from(u8::from(c))), span)?;
                return Ok(Val::int(d as i64));
            }
            if a.ty.is_int() && b.ty.is_int() && ty.is_int() {
                return int_binop(op, x as i64, y as i64)
                    .map(Val::int)
                    .or_else(|m| self.fatal(span, m));
            }
        }
        if compare(op, 0.0, 0.0).is_some() {
            if !(a.ty.is_scalar() && b.ty.is_scalar()) {
                return self.fatal(span, "comparison of containers");
            }
            let d = self.decide(None, span)?;
            return Ok(Val::int(d as i64));
        }
        let f = match op {
            BinOp::Add => Binary::Add,
            BinOp::Sub => Binary::Sub,
            BinOp::EltMul => Binary::Mul,
            BinOp::EltDiv => Binary::Div,
            BinOp::Pow | BinOp::EltPow => Binary::Pow,
            BinOp::Mul if a.ty.is_scalar() || b.ty.is_scalar() => Binary::Mul,
            BinOp::Div if b.ty.is_scalar() => Binary::Div,
            BinOp::Div | BinOp::LeftDiv => {
                let left = op == BinOp::LeftDiv;
                return self
                    .ops
                    .apply(&[a, b], ty, None, |bb: &TapeBuilder, s| {
                        if left {
                            let inv = bb.inverse(s[0])?;
                            bb.matmul(inv, s[1])
                        } else {
                            let inv = bb.inverse(s[1])?;
                            bb.matmul(s[0], inv)
                        }
                    })
                    .map_err(|m| self.op_err(span, m));
            }
            BinOp::Mul => {
                return self
                    .ops
                    .apply(&[a, b], ty, None, |bb: &TapeBuilder, s| {
                        bb.matmul(s[0], s[1])
                    })
                    .map_err(|m| self.op_err(span, m));
            }
            _ => {
                return self.fatal(
                    span,
                    format!(
                        "operator `{}` on these operand types is not supported",
                        op.symbol()
                    ),
                );
            }
        };
        self.elementwise(f, a, b, ty, span)
    }
}

/// A value seen as a flat column (arrays of reals, vectors) for elementwise ops, keeping
/// matrices and row vectors as they are.
fn flat(v: &Val) -> Val {
    v.clone()
}

/// Array or row-vector elements stacked in order.
fn stack(ty: Type, shape: Vec<usize>, vals: &[Val]) -> Val {
    if vals.iter().all(|v| v.as_const().is_some()) {
        let out = vals
            .iter()
            .flat_map(|v| v.as_const().unwrap_or(&[]).iter().copied())
            .collect();
        return Val::constant(ty, shape, out);
    }
    let elems = vals.iter().flat_map(Val::elems).collect();
    Val {
        ty,
        shape,
        data: Data::Elems(elems),
    }
}
