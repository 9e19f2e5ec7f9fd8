//! Statements: assignments, `~`, `target +=`, control flow, `print`/`reject`, blocks.

use super::super::ast::{
    AssignOp, Expr, ExprKind, Index, LValue, Printable, Stmt, StmtKind, Truncation,
};
use super::super::token::Tok;
use super::{PResult, Parser};

/// Words that begin a declaration.
pub(crate) const TYPE_WORDS: &[&str] = &[
    "int",
    "real",
    "vector",
    "row_vector",
    "matrix",
    "array",
    "simplex",
    "ordered",
    "positive_ordered",
    "unit_vector",
    "cholesky_factor_corr",
    "cholesky_factor_cov",
    "corr_matrix",
    "cov_matrix",
];

fn assign_op(k: Tok) -> Option<AssignOp> {
    Some(match k {
        Tok::Assign => AssignOp::Assign,
        Tok::PlusAssign => AssignOp::Add,
        Tok::MinusAssign => AssignOp::Sub,
        Tok::TimesAssign => AssignOp::Mul,
        Tok::DivideAssign => AssignOp::Div,
        Tok::EltTimesAssign => AssignOp::EltMul,
        Tok::EltDivideAssign => AssignOp::EltDiv,
        _ => return None,
    })
}

impl Parser<'_> {
    pub(crate) fn stmt(&mut self) -> PResult<Stmt> {
        self.nested(Self::stmt_unguarded)
    }

    fn stmt_unguarded(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let word = if self.at(Tok::Ident) { self.text() } else { "" };
        if TYPE_WORDS.contains(&word) || super::UNSUPPORTED_TYPES.iter().any(|(w, _)| *w == word) {
            return self.decl_stmt();
        }
        let kind = match word {
            "for" => return self.for_stmt(),
            "while" => {
                self.bump();
                self.expect(Tok::LParen, "after `while`")?;
                let cond = self.expr()?;
                self.expect(Tok::RParen, "to close the `while` condition")?;
                let body = self.stmt()?;
                let span = start.to(body.span);
                return Ok(Stmt {
                    kind: StmtKind::While {
                        cond,
                        body: Box::new(body),
                    },
                    span,
                });
            }
            "if" => {
                self.bump();
                self.expect(Tok::LParen, "after `if`")?;
                let cond = self.expr()?;
                self.expect(Tok::RParen, "to close the `if` condition")?;
                let then = self.stmt()?;
                let mut span = start.to(then.span);
                let otherwise = if self.eat_word("else") {
                    let o = self.stmt()?;
                    span = span.to(o.span);
                    Some(Box::new(o))
                } else {
                    None
                };
                return Ok(Stmt {
                    kind: StmtKind::If {
                        cond,
                        then: Box::new(then),
                        otherwise,
                    },
                    span,
                });
            }
            "break" => {
                self.bump();
                StmtKind::Break
            }
            "continue" => {
                self.bump();
                StmtKind::Continue
            }
            "return" => {
                self.bump();
                if self.at(Tok::Semi) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr()?))
                }
            }
            "print" | "reject" | "fatal_error" => {
                self.bump();
                self.expect(Tok::LParen, &format!("after `{word}`"))?;
                let mut items = vec![self.printable()?];
                while self.eat(Tok::Comma) {
                    items.push(self.printable()?);
                }
                self.expect(Tok::RParen, &format!("to close `{word}(`"))?;
                match word {
                    "print" => StmtKind::Print(items),
                    "reject" => StmtKind::Reject(items),
                    _ => StmtKind::FatalError(items),
                }
            }
            "target" if self.peek_at(1) == Some(Tok::PlusAssign) => {
                self.bump();
                self.bump();
                StmtKind::TargetPlus(self.expr()?)
            }
            "profile" if self.peek_at(1) == Some(Tok::LParen) => {
                return self.error(start, "`profile` blocks are not supported by hazel");
            }
            "increment_log_prob" | "get_lp" => {
                return self.error(
                    start,
                    format!("`{word}` was removed from Stan; use `target +=` / `target()`"),
                );
            }
            _ => {
                if self.at(Tok::LBrace) {
                    self.bump();
                    let body = self.stmts_until_brace();
                    let end = self.expect(Tok::RBrace, "to close the statement block")?;
                    return Ok(Stmt {
                        kind: StmtKind::Block(body),
                        span: start.to(end),
                    });
                }
                if self.eat(Tok::Semi) {
                    return Ok(Stmt {
                        kind: StmtKind::Empty,
                        span: start,
                    });
                }
                return self.expr_stmt();
            }
        };
        let end = self.expect(Tok::Semi, "at the end of the statement")?;
        Ok(Stmt {
            kind,
            span: start.to(end),
        })
    }

    fn printable(&mut self) -> PResult<Printable> {
        if self.at(Tok::StringLit) {
            let t = self.bump();
            let inner = &t.text[1..t.text.len() - 1];
            return Ok(Printable::Str(inner.to_string(), t.span));
        }
        Ok(Printable::Expr(self.expr()?))
    }

    fn for_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        self.expect(Tok::LParen, "after `for`")?;
        let var = self.ident("a loop variable name")?;
        if !self.eat_word("in") {
            let found = self.found();
            let span = self.span();
            return self.error(
                span,
                format!("expected `in` after the loop variable, found {found}"),
            );
        }
        let first = self.expr()?;
        let kind_is_range = self.eat(Tok::Colon);
        let hi = if kind_is_range {
            Some(self.expr()?)
        } else {
            None
        };
        self.expect(Tok::RParen, "to close the `for` header")?;
        let body = Box::new(self.stmt()?);
        let span = start.to(body.span);
        let kind = match hi {
            Some(hi) => StmtKind::For {
                var,
                lo: first,
                hi,
                body,
            },
            None => StmtKind::ForEach {
                var,
                container: first,
                body,
            },
        };
        Ok(Stmt { kind, span })
    }

    fn expr_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let lhs = self.expr()?;
        if self.eat(Tok::Tilde) {
            let dist = self.ident("a distribution name after `~`")?;
            self.expect(
                Tok::LParen,
                &format!("after the distribution name `{}`", dist.name),
            )?;
            let args = self.expr_list(Tok::RParen, "distribution arguments")?;
            self.expect(Tok::RParen, "to close the distribution arguments")?;
            let truncation = if self.at_word("T") && self.peek_at(1) == Some(Tok::LBracket) {
                let tstart = self.bump().span;
                self.bump();
                let lower = if self.at(Tok::Comma) {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect(Tok::Comma, "between the truncation bounds `T[L, U]`")?;
                let upper = if self.at(Tok::RBracket) {
                    None
                } else {
                    Some(self.expr()?)
                };
                let end = self.expect(Tok::RBracket, "to close the truncation `T[L, U]`")?;
                Some(Truncation {
                    lower,
                    upper,
                    span: tstart.to(end),
                })
            } else {
                None
            };
            let end = self.expect(Tok::Semi, "at the end of the `~` statement")?;
            return Ok(Stmt {
                kind: StmtKind::Tilde {
                    lhs,
                    dist,
                    args,
                    truncation,
                },
                span: start.to(end),
            });
        }
        if self.at(Tok::OldAssign) {
            let span = self.span();
            return self.error(span, "the `<-` assignment was removed from Stan; use `=`");
        }
        if let Some(op) = self.peek().and_then(assign_op) {
            self.bump();
            let Some(lhs) = to_lvalue(&lhs) else {
                return self.error(
                    lhs.span,
                    "only a variable, possibly indexed, can be assigned to",
                );
            };
            let rhs = self.expr()?;
            let end = self.expect(Tok::Semi, "at the end of the assignment")?;
            return Ok(Stmt {
                kind: StmtKind::Assign { lhs, op, rhs },
                span: start.to(end),
            });
        }
        if matches!(lhs.kind, ExprKind::Call { .. }) {
            let end = self.expect(Tok::Semi, "after the function call")?;
            return Ok(Stmt {
                kind: StmtKind::Call(lhs),
                span: start.to(end),
            });
        }
        let found = self.found();
        let span = self.span();
        self.error(
            span,
            format!(
                "expected `=`, `~` or a compound assignment after the expression, found {found}"
            ),
        )
    }
}

/// `x`, `x[i]`, `x[i][j, k]` → an assignable place; anything else → `None`.
fn to_lvalue(e: &Expr) -> Option<LValue> {
    let mut groups: Vec<Vec<Index>> = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Var(name) => {
                groups.reverse();
                return Some(LValue {
                    name: name.clone(),
                    indices: groups,
                    span: e.span,
                });
            }
            ExprKind::Index { base, indices } => {
                groups.push(indices.clone());
                cur = base;
            }
            _ => return None,
        }
    }
}
