//! Typing of statements and the block rules: what each block may contain, who may be
//! assigned where, `~`/`target +=` placement, loops, `return`, `print`/`reject`.

use super::super::ast::{AssignOp, BlockKind, Expr, LValue, Printable, Stmt, StmtKind};
use super::super::diagnostic::Diagnostic;
use super::super::span::Span;
use super::super::suggest::{did_you_mean, nearest};
use super::super::typed::{Origin, TExpr, TPrintable, TStmt, TStmtKind};
use super::super::types::{BaseType, Type};
use super::Checker;
use super::ops;

impl Checker {
    /// A top-level statement of a program block.
    pub(crate) fn check_block_stmt(&mut self, block: BlockKind, s: &Stmt) -> Option<TStmt> {
        let decl_only = matches!(block, BlockKind::Data | BlockKind::Parameters);
        match &s.kind {
            StmtKind::Decl { ty, name, init, .. } => {
                let origin = if block == BlockKind::Model {
                    Origin::Local { block: Some(block) }
                } else {
                    Origin::Block(block)
                };
                self.declaration(ty, name, init.as_ref(), origin, s.span)
            }
            _ if decl_only => {
                self.error(
                    s.span,
                    format!(
                        "only variable declarations are allowed in the `{}` block",
                        block.keyword()
                    ),
                );
                None
            }
            _ => {
                self.ctx.top_level = false;
                let r = self.stmt(s);
                self.ctx.top_level = true;
                r
            }
        }
    }

    /// Checks a statement in a nested scope (its own scope for blocks and loops).
    fn nested(&mut self, s: &Stmt) -> Option<TStmt> {
        self.scopes.push();
        let saved = std::mem::replace(&mut self.ctx.top_level, false);
        let r = self.stmt(s);
        self.ctx.top_level = saved;
        self.scopes.pop();
        r
    }

    fn scalar_cond(&mut self, e: &Expr, what: &str) -> Option<TExpr> {
        let x = self.expr(e)?;
        if !x.ty.is_scalar() {
            self.error(
                x.span,
                format!(
                    "the condition of `{what}` must be int or real, found {}",
                    x.ty
                ),
            );
            return None;
        }
        Some(x)
    }

    fn printables(&mut self, ps: &[Printable]) -> Option<Vec<TPrintable>> {
        let xs: Vec<Option<TPrintable>> = ps
            .iter()
            .map(|p| match p {
                Printable::Str(s, _) => Some(TPrintable::Str(s.clone())),
                Printable::Expr(e) => self.expr(e).map(TPrintable::Expr),
            })
            .collect();
        xs.into_iter().collect()
    }

    pub(crate) fn stmt(&mut self, s: &Stmt) -> Option<TStmt> {
        let span = s.span;
        let kind = match &s.kind {
            StmtKind::Decl { ty, name, init, .. } => {
                let origin = match self.ctx.block {
                    Some(b) if self.ctx.top_level && b != BlockKind::Model => Origin::Block(b),
                    block => Origin::Local { block },
                };
                return self.declaration(ty, name, init.as_ref(), origin, span);
            }
            StmtKind::Assign { lhs, op, rhs } => return self.assignment(lhs, *op, rhs, span),
            StmtKind::Tilde {
                lhs,
                dist,
                args,
                truncation,
            } => {
                return self.tilde(lhs, &dist.name, dist.span, args, truncation.as_ref(), span);
            }
            StmtKind::TargetPlus(e) => {
                if !self.ctx.allows_target() {
                    self.error(span, format!("`target +=` is only allowed in the model block and in `_lp` functions, not in {}", self.ctx.place()));
                    return None;
                }
                let x = self.expr(e)?;
                if !matches!(
                    x.ty.base,
                    BaseType::Int
                        | BaseType::Real
                        | BaseType::Vector
                        | BaseType::RowVector
                        | BaseType::Matrix
                ) {
                    return None;
                }
                TStmtKind::TargetPlus(x)
            }
            StmtKind::For { var, lo, hi, body } => {
                let (l, h) = (self.expr(lo), self.expr(hi));
                let (l, h) = (l?, h?);
                for x in [&l, &h] {
                    if !x.ty.is_int() {
                        self.error(
                            x.span,
                            format!("`for` loop bounds must be int, found {}", x.ty),
                        );
                        return None;
                    }
                }
                self.scopes.push();
                let v = self.loop_var(&var.name, Type::INT, var.span);
                let b = self.loop_body(body);
                self.scopes.pop();
                TStmtKind::For {
                    var: v?,
                    lo: l,
                    hi: h,
                    body: Box::new(b?),
                }
            }
            StmtKind::ForEach {
                var,
                container,
                body,
            } => {
                let c = self.expr(container)?;
                let elem = if c.ty.dims > 0 {
                    Type::array(c.ty.base, c.ty.dims - 1)
                } else if matches!(
                    c.ty.base,
                    BaseType::Vector | BaseType::RowVector | BaseType::Matrix
                ) {
                    Type::REAL
                } else {
                    self.error(
                        c.span,
                        format!(
                            "a `for … in` loop needs an array, vector or matrix, found {}",
                            c.ty
                        ),
                    );
                    return None;
                };
                self.scopes.push();
                let v = self.loop_var(&var.name, elem, var.span);
                let b = self.loop_body(body);
                self.scopes.pop();
                TStmtKind::ForEach {
                    var: v?,
                    container: c,
                    body: Box::new(b?),
                }
            }
            StmtKind::While { cond, body } => {
                let c = self.scalar_cond(cond, "while");
                let b = self.loop_body(body);
                TStmtKind::While {
                    cond: c?,
                    body: Box::new(b?),
                }
            }
            StmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                let c = self.scalar_cond(cond, "if");
                let t = self.nested(then);
                let o = otherwise.as_ref().map(|o| self.nested(o));
                let o = match o {
                    Some(o) => Some(Box::new(o?)),
                    None => None,
                };
                TStmtKind::If {
                    cond: c?,
                    then: Box::new(t?),
                    otherwise: o,
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let word = if matches!(s.kind, StmtKind::Break) {
                    "break"
                } else {
                    "continue"
                };
                if self.ctx.loop_depth == 0 {
                    self.error(span, format!("`{word}` is only allowed inside a loop"));
                    return None;
                }
                if word == "break" {
                    TStmtKind::Break
                } else {
                    TStmtKind::Continue
                }
            }
            StmtKind::Return(e) => return self.return_stmt(e.as_ref(), span),
            StmtKind::Block(ss) => {
                self.scopes.push();
                let saved = std::mem::replace(&mut self.ctx.top_level, false);
                let xs: Vec<Option<TStmt>> = ss.iter().map(|s| self.stmt(s)).collect();
                self.ctx.top_level = saved;
                self.scopes.pop();
                TStmtKind::Block(xs.into_iter().collect::<Option<_>>()?)
            }
            StmtKind::Print(ps) => TStmtKind::Print(self.printables(ps)?),
            StmtKind::Reject(ps) => TStmtKind::Reject(self.printables(ps)?),
            StmtKind::FatalError(ps) => TStmtKind::FatalError(self.printables(ps)?),
            StmtKind::Call(e) => return self.call_stmt(e, span),
            StmtKind::Empty => TStmtKind::Block(Vec::new()),
        };
        Some(TStmt { kind, span })
    }

    fn loop_var(&mut self, name: &str, ty: Type, span: Span) -> Option<super::super::typed::VarId> {
        if self.scopes.lookup(name).is_some() {
            self.error(
                span,
                format!(
                    "the loop variable `{name}` is already declared; Stan does not allow shadowing"
                ),
            );
            return None;
        }
        Some(self.new_var(name, Origin::LoopVar, ty, None, span))
    }

    fn loop_body(&mut self, body: &Stmt) -> Option<TStmt> {
        self.ctx.loop_depth += 1;
        let b = self.nested(body);
        self.ctx.loop_depth -= 1;
        b
    }

    fn return_stmt(&mut self, e: Option<&Expr>, span: Span) -> Option<TStmt> {
        let Some((name, ret)) = self.ctx.function.clone() else {
            self.error(span, "`return` is only allowed inside functions");
            return None;
        };
        let x = match e {
            Some(e) => Some(self.expr(e)?),
            None => None,
        };
        match (ret, &x) {
            (None, Some(x)) => self.error(
                x.span,
                format!("`{name}` is void and cannot return a value"),
            ),
            (Some(t), None) => {
                self.error(span, format!("`{name}` must return a value of type {t}"))
            }
            (Some(t), Some(x)) if !t.accepts(x.ty) => self.error(
                x.span,
                format!("`{name}` returns {t}, but this expression is {}", x.ty),
            ),
            _ => {
                return Some(TStmt {
                    kind: TStmtKind::Return(x),
                    span,
                });
            }
        }
        None
    }

    fn call_stmt(&mut self, e: &Expr, span: Span) -> Option<TStmt> {
        let super::super::ast::ExprKind::Call {
            name,
            args,
            conditional,
        } = &e.kind
        else {
            return None;
        };
        if *conditional || self.refuse_unsupported(&name.name, name.span) {
            self.error(
                span,
                format!(
                    "the value of `{}` is unused; only void functions can be called as statements",
                    name.name
                ),
            );
            return None;
        }
        let xs: Vec<Option<TExpr>> = args.iter().map(|a| self.expr(a)).collect();
        let xs: Vec<TExpr> = xs.into_iter().collect::<Option<_>>()?;
        if !self.check_call_context(&name.name, name.span) {
            return None;
        }
        let (callee, ret) = self.resolve_call(&name.name, name.span, &xs)?;
        if ret.is_some() {
            self.error(
                span,
                format!(
                    "the value of `{}` is unused; only void functions can be called as statements",
                    name.name
                ),
            );
            return None;
        }
        Some(TStmt {
            kind: TStmtKind::Call { callee, args: xs },
            span,
        })
    }

    fn assignment(&mut self, lhs: &LValue, op: AssignOp, rhs: &Expr, span: Span) -> Option<TStmt> {
        let name = &lhs.name.name;
        let Some(id) = self.scopes.lookup(name) else {
            let mut d = Diagnostic::error(lhs.name.span, format!("unknown variable `{name}`"));
            if let Some(n) = did_you_mean(&nearest(name, self.scopes.names())) {
                d = d.with_note(n);
            }
            self.push(d);
            let _ = self.expr(rhs);
            return None;
        };
        let var = &self.vars[id.0 as usize];
        let problem = match var.origin {
            Origin::Block(BlockKind::Data) => {
                Some(format!("`{name}` is data and cannot be assigned"))
            }
            Origin::Block(BlockKind::Parameters) => {
                Some(format!("`{name}` is a parameter and cannot be assigned"))
            }
            Origin::Block(b) if self.ctx.block != Some(b) || self.ctx.function.is_some() => {
                Some(format!(
                    "`{name}` belongs to the `{}` block and cannot be assigned in {}",
                    b.keyword(),
                    self.ctx.place()
                ))
            }
            Origin::LoopVar => Some(format!("the loop variable `{name}` cannot be assigned")),
            Origin::FunctionArg { .. } => {
                Some(format!("the function argument `{name}` cannot be assigned"))
            }
            _ => None,
        };
        let var_ty = var.ty;
        if let Some(msg) = problem {
            self.error(lhs.name.span, msg);
            let _ = self.expr(rhs);
            return None;
        }
        let mut ty = var_ty;
        let mut groups = Vec::new();
        for g in &lhs.indices {
            let idx = self.indices(g)?;
            ty = self.indexed_type(ty, &idx, lhs.span)?;
            groups.push(idx);
        }
        let r = self.expr(rhs)?;
        let result = match op.binary() {
            None => Some(r.ty),
            Some(b) => ops::binary(b, ty, r.ty),
        };
        match result {
            Some(t) if ty.accepts(t) => {}
            _ => {
                let msg = if op == AssignOp::Assign {
                    format!("cannot assign {} to `{name}`, which is {ty} here", r.ty)
                } else {
                    format!(
                        "`{}` cannot combine {ty} (`{name}`) with {}",
                        op.symbol(),
                        r.ty
                    )
                };
                self.error(r.span.to(lhs.span), msg);
                return None;
            }
        }
        Some(TStmt {
            kind: TStmtKind::Assign {
                var: id,
                indices: groups,
                op,
                rhs: r,
            },
            span,
        })
    }
}
