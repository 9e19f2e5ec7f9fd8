//! Typing of expressions: literals, variables, operators, conditionals, indexing and
//! array/vector literals (calls are in `calls.rs`).

use super::super::ast::{BaseType, Expr, ExprKind, Index};
use super::super::diagnostic::Diagnostic;
use super::super::suggest::{did_you_mean, nearest};
use super::super::typed::{Origin, TExpr, TExprKind, TIndex};
use super::super::types::Type;
use super::Checker;
use super::ops;

impl Checker {
    /// Checks an expression; `None` when it has an error (already reported).
    pub(crate) fn expr(&mut self, e: &Expr) -> Option<TExpr> {
        let span = e.span;
        let mk = |kind, ty, data_only| {
            Some(TExpr {
                kind,
                ty,
                data_only,
                span,
            })
        };
        match &e.kind {
            ExprKind::Int(text) => match text.replace('_', "").parse::<i64>() {
                Ok(v) if v <= i64::from(i32::MAX) => mk(TExprKind::Int(v), Type::INT, true),
                _ => {
                    self.error(
                        span,
                        format!("the integer `{text}` is too large (Stan integers are 32-bit)"),
                    );
                    None
                }
            },
            ExprKind::Real(text) => match text.parse::<f64>() {
                Ok(v) => mk(TExprKind::Real(v), Type::REAL, true),
                Err(_) => {
                    self.error(span, format!("`{text}` is not a valid real number"));
                    None
                }
            },
            ExprKind::Var(id) => {
                let Some(v) = self.scopes.lookup(&id.name) else {
                    self.unknown_variable(&id.name, span);
                    return None;
                };
                let var = &self.vars[v.0 as usize];
                let data_only = match var.origin {
                    Origin::Block(b) => b <= super::super::ast::BlockKind::TransformedData,
                    Origin::Local { block } => {
                        block.is_some_and(|b| b <= super::super::ast::BlockKind::TransformedData)
                    }
                    Origin::LoopVar => true,
                    Origin::FunctionArg { data_only } => data_only,
                };
                mk(TExprKind::Var(v), var.ty, data_only)
            }
            ExprKind::Paren(inner) => self.expr(inner),
            ExprKind::TargetGet => {
                if !self.ctx.allows_target() {
                    self.error(span, format!("`target()` can only be used in the model block or in `_lp` functions, not in {}", self.ctx.place()));
                    return None;
                }
                mk(TExprKind::TargetGet, Type::REAL, false)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.expr(lhs), self.expr(rhs));
                let (l, r) = (l?, r?);
                let Some(ty) = ops::binary(*op, l.ty, r.ty) else {
                    self.error(
                        span,
                        format!(
                            "the operator `{}` is not defined for {} and {}",
                            op.symbol(),
                            l.ty,
                            r.ty
                        ),
                    );
                    return None;
                };
                if *op == super::super::ast::BinOp::Div && l.ty.is_int() && r.ty.is_int() {
                    self.push(Diagnostic::warning(
                        span,
                        "integer division rounds toward zero; write `%/%` to make that explicit, or use a real operand",
                    ));
                }
                let d = l.data_only && r.data_only;
                mk(
                    TExprKind::Binary {
                        op: *op,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    ty,
                    d,
                )
            }
            ExprKind::Unary { op, operand } => {
                let x = self.expr(operand)?;
                let Some(ty) = ops::unary(*op, x.ty) else {
                    self.error(
                        span,
                        format!(
                            "the prefix operator `{}` is not defined for {}",
                            op.symbol(),
                            x.ty
                        ),
                    );
                    return None;
                };
                let d = x.data_only;
                mk(
                    TExprKind::Unary {
                        op: *op,
                        operand: Box::new(x),
                    },
                    ty,
                    d,
                )
            }
            ExprKind::Transpose(inner) => {
                let x = self.expr(inner)?;
                let Some(ty) = ops::transpose(x.ty) else {
                    self.error(
                        span,
                        format!(
                            "only vectors, row vectors and matrices can be transposed, not {}",
                            x.ty
                        ),
                    );
                    return None;
                };
                let d = x.data_only;
                mk(TExprKind::Transpose(Box::new(x)), ty, d)
            }
            ExprKind::Cond {
                cond,
                then,
                otherwise,
            } => {
                let (c, a, b) = (self.expr(cond), self.expr(then), self.expr(otherwise));
                let (c, a, b) = (c?, a?, b?);
                if !c.ty.is_scalar() {
                    self.error(
                        c.span,
                        format!("the condition of `? :` must be int or real, found {}", c.ty),
                    );
                    return None;
                }
                let ty = if a.ty.accepts(b.ty) {
                    a.ty
                } else if b.ty.accepts(a.ty) {
                    b.ty
                } else {
                    self.error(
                        span,
                        format!(
                            "the branches of `? :` have different types: {} and {}",
                            a.ty, b.ty
                        ),
                    );
                    return None;
                };
                let d = c.data_only && a.data_only && b.data_only;
                mk(
                    TExprKind::Cond {
                        cond: Box::new(c),
                        then: Box::new(a),
                        otherwise: Box::new(b),
                    },
                    ty,
                    d,
                )
            }
            ExprKind::Call {
                name,
                args,
                conditional,
            } => self.call_expr(name, args, *conditional, span),
            ExprKind::Index { base, indices } => {
                let b = self.expr(base)?;
                let idx = self.indices(indices)?;
                let ty = self.indexed_type(b.ty, &idx, span)?;
                let d = b.data_only && idx.iter().all(index_data_only);
                mk(
                    TExprKind::Index {
                        base: Box::new(b),
                        indices: idx,
                    },
                    ty,
                    d,
                )
            }
            ExprKind::ArrayLit(items) => {
                let xs: Vec<Option<TExpr>> = items.iter().map(|x| self.expr(x)).collect();
                let xs: Vec<TExpr> = xs.into_iter().collect::<Option<_>>()?;
                let mut elem = xs[0].ty;
                for x in &xs[1..] {
                    if elem.accepts(x.ty) {
                        continue;
                    }
                    if x.ty.accepts(elem) {
                        elem = x.ty;
                        continue;
                    }
                    self.error(
                        x.span,
                        format!(
                            "array elements must have one type; found {elem} and {}",
                            x.ty
                        ),
                    );
                    return None;
                }
                let d = xs.iter().all(|x| x.data_only);
                mk(
                    TExprKind::Array(xs),
                    Type::array(elem.base, elem.dims + 1),
                    d,
                )
            }
            ExprKind::RowVectorLit(items) => {
                let xs: Vec<Option<TExpr>> = items.iter().map(|x| self.expr(x)).collect();
                let xs: Vec<TExpr> = xs.into_iter().collect::<Option<_>>()?;
                let ty = if xs.iter().all(|x| x.ty.is_scalar()) {
                    Type::ROW_VECTOR
                } else if xs.iter().all(|x| x.ty == Type::ROW_VECTOR) {
                    Type::MATRIX
                } else {
                    self.error(span, "a `[ … ]` expression needs all int/real elements (a row vector) or all row vectors (a matrix)");
                    return None;
                };
                let d = xs.iter().all(|x| x.data_only);
                mk(TExprKind::RowVector(xs), ty, d)
            }
        }
    }

    fn unknown_variable(&mut self, name: &str, span: super::super::span::Span) {
        if self.user_sigs.contains(name) || super::super::signatures::registry().contains(name) {
            self.error(
                span,
                format!("`{name}` is a function; call it with arguments, e.g. `{name}(…)`"),
            );
            return;
        }
        let names = self.scopes.names();
        let mut d = Diagnostic::error(span, format!("unknown variable `{name}`"));
        if let Some(note) = did_you_mean(&nearest(name, names)) {
            d = d.with_note(note);
        }
        self.push(d);
    }

    pub(crate) fn indices(&mut self, indices: &[Index]) -> Option<Vec<TIndex>> {
        let mut out = Vec::new();
        let mut ok = true;
        for i in indices {
            match i {
                Index::All => out.push(TIndex::All),
                Index::Single(e) => match self.expr(e) {
                    Some(x) if x.ty.is_int() => out.push(TIndex::Single(x)),
                    Some(x) if x.ty == Type::array(BaseType::Int, 1) => out.push(TIndex::Multi(x)),
                    Some(x) => {
                        self.error(
                            x.span,
                            format!("an index must be int or array[] int, found {}", x.ty),
                        );
                        ok = false;
                    }
                    None => ok = false,
                },
                Index::Slice(a, b) => {
                    let bound = |e: &Option<Expr>, c: &mut Checker| -> Option<Option<TExpr>> {
                        let Some(e) = e else { return Some(None) };
                        let x = c.expr(e)?;
                        if !x.ty.is_int() {
                            c.error(x.span, format!("slice bounds must be int, found {}", x.ty));
                            return None;
                        }
                        Some(Some(x))
                    };
                    match (bound(a, self), bound(b, self)) {
                        (Some(a), Some(b)) => out.push(TIndex::Slice(a, b)),
                        _ => ok = false,
                    }
                }
            }
        }
        ok.then_some(out)
    }

    /// The type of `t[indices]` (Stan reference manual, "Indexing"): single indices
    /// drop a dimension, multi-indices and slices keep it.
    pub(crate) fn indexed_type(
        &mut self,
        t: Type,
        idx: &[TIndex],
        span: super::super::span::Span,
    ) -> Option<Type> {
        if idx.len() > t.index_depth() {
            self.error(
                span,
                format!(
                    "too many indices: {} given, but {t} takes at most {}",
                    idx.len(),
                    t.index_depth()
                ),
            );
            return None;
        }
        let single = |i: &TIndex| matches!(i, TIndex::Single(_));
        let array_part = &idx[..idx.len().min(t.dims)];
        let dims = array_part.iter().filter(|i| !single(i)).count() + (t.dims - array_part.len());
        let rest: Vec<bool> = idx[array_part.len()..].iter().map(single).collect();
        let base = match (t.base, rest.as_slice()) {
            (b, []) => b,
            (BaseType::Vector | BaseType::RowVector, [true]) => BaseType::Real,
            (b @ (BaseType::Vector | BaseType::RowVector), [false]) => b,
            (BaseType::Matrix, [true]) | (BaseType::Matrix, [true, false]) => BaseType::RowVector,
            (BaseType::Matrix, [false]) | (BaseType::Matrix, [false, false]) => BaseType::Matrix,
            (BaseType::Matrix, [true, true]) => BaseType::Real,
            (BaseType::Matrix, [false, true]) => BaseType::Vector,
            _ => {
                self.error(span, format!("{t} cannot be indexed this way"));
                return None;
            }
        };
        Some(Type::array(base, dims))
    }
}

pub(crate) fn index_data_only(i: &TIndex) -> bool {
    match i {
        TIndex::Single(e) | TIndex::Multi(e) => e.data_only,
        TIndex::Slice(a, b) => a.iter().chain(b.iter()).all(|e| e.data_only),
        TIndex::All => true,
    }
}
