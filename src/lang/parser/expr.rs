//! Expressions by Pratt parsing, with Stan's operator precedence and associativity
//! (Stan reference manual, "Operator precedence and associativity").

use super::super::ast::{BinOp, Expr, ExprKind, Ident, Index, UnOp};
use super::super::token::Tok;
use super::{PResult, Parser};

/// Binding powers, loosest first. Unary operators bind looser than `^` (so `-a^2` is
/// `-(a^2)`) and tighter than `.*`; postfix `'` and indexing bind tightest.
pub(crate) const BP_COND: u8 = 1;
pub(crate) const BP_ADD: u8 = 6;
const BP_UNARY: u8 = 10;
const BP_POSTFIX: u8 = 12;

/// (left binding power, right binding power) of a binary operator token.
fn infix(k: Tok) -> Option<(BinOp, u8, u8)> {
    use Tok::*;
    let (op, l) = match k {
        OrOr => (BinOp::Or, 2),
        AndAnd => (BinOp::And, 3),
        EqEq => (BinOp::Eq, 4),
        Ne => (BinOp::Ne, 4),
        Lt => (BinOp::Lt, 5),
        Le => (BinOp::Le, 5),
        Gt => (BinOp::Gt, 5),
        Ge => (BinOp::Ge, 5),
        Plus => (BinOp::Add, BP_ADD),
        Minus => (BinOp::Sub, BP_ADD),
        Star => (BinOp::Mul, 7),
        Slash => (BinOp::Div, 7),
        Percent => (BinOp::Mod, 7),
        IntDiv => (BinOp::IntDiv, 7),
        Backslash => (BinOp::LeftDiv, 8),
        DotStar => (BinOp::EltMul, 9),
        DotSlash => (BinOp::EltDiv, 9),
        // right associative: right power below left power
        Caret => return Some((BinOp::Pow, 11, 11)),
        DotCaret => return Some((BinOp::EltPow, 11, 11)),
        _ => return None,
    };
    Some((op, l, l + 1))
}

impl Parser<'_> {
    pub(crate) fn expr(&mut self) -> PResult<Expr> {
        self.expr_bp(0)
    }

    /// Parses an expression whose operators all bind at least as tightly as `min_bp`.
    pub(crate) fn expr_bp(&mut self, min_bp: u8) -> PResult<Expr> {
        self.nested(|p| p.expr_bp_unguarded(min_bp))
    }

    fn expr_bp_unguarded(&mut self, min_bp: u8) -> PResult<Expr> {
        let mut lhs = self.prefix()?;
        while let Some(k) = self.peek() {
            if k == Tok::Quote && BP_POSTFIX >= min_bp {
                let end = self.bump().span;
                let span = lhs.span.to(end);
                lhs = Expr {
                    kind: ExprKind::Transpose(Box::new(lhs)),
                    span,
                };
                continue;
            }
            if k == Tok::LBracket && BP_POSTFIX >= min_bp {
                self.bump();
                let indices = self.indices()?;
                let end = self.expect(Tok::RBracket, "to close the index")?;
                let span = lhs.span.to(end);
                lhs = Expr {
                    kind: ExprKind::Index {
                        base: Box::new(lhs),
                        indices,
                    },
                    span,
                };
                continue;
            }
            if k == Tok::Question && BP_COND >= min_bp {
                self.bump();
                let then = self.expr()?;
                self.expect(Tok::Colon, "in the conditional expression `c ? a : b`")?;
                let otherwise = self.expr_bp(BP_COND)?;
                let span = lhs.span.to(otherwise.span);
                lhs = Expr {
                    kind: ExprKind::Cond {
                        cond: Box::new(lhs),
                        then: Box::new(then),
                        otherwise: Box::new(otherwise),
                    },
                    span,
                };
                continue;
            }
            let Some((op, l, r)) = infix(k) else { break };
            if l < min_bp {
                break;
            }
            self.bump();
            let rhs = self.expr_bp(r)?;
            let span = lhs.span.to(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    fn prefix(&mut self) -> PResult<Expr> {
        let start = self.span();
        let unary = match self.peek() {
            Some(Tok::Minus) => Some(UnOp::Neg),
            Some(Tok::Plus) => Some(UnOp::Plus),
            Some(Tok::Bang) => Some(UnOp::Not),
            _ => None,
        };
        if let Some(op) = unary {
            self.bump();
            let operand = self.expr_bp(BP_UNARY)?;
            let span = start.to(operand.span);
            return Ok(Expr {
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(operand),
                },
                span,
            });
        }
        match self.peek() {
            Some(Tok::IntLit) => {
                let t = self.bump();
                Ok(Expr {
                    kind: ExprKind::Int(t.text.to_string()),
                    span: t.span,
                })
            }
            Some(Tok::RealLit) => {
                let t = self.bump();
                Ok(Expr {
                    kind: ExprKind::Real(t.text.to_string()),
                    span: t.span,
                })
            }
            Some(Tok::LParen) => {
                self.bump();
                let inner = self.expr()?;
                let end = self.expect(Tok::RParen, "to close the parenthesis")?;
                Ok(Expr {
                    kind: ExprKind::Paren(Box::new(inner)),
                    span: start.to(end),
                })
            }
            Some(Tok::LBrace) => {
                self.bump();
                let items = self.expr_list(Tok::RBrace, "array expression `{ … }`")?;
                let end = self.expect(Tok::RBrace, "to close the array expression")?;
                if items.is_empty() {
                    return self.error(
                        start.to(end),
                        "an array expression `{ }` needs at least one element",
                    );
                }
                Ok(Expr {
                    kind: ExprKind::ArrayLit(items),
                    span: start.to(end),
                })
            }
            Some(Tok::LBracket) => {
                self.bump();
                let items = self.expr_list(Tok::RBracket, "vector expression `[ … ]`")?;
                let end = self.expect(Tok::RBracket, "to close the vector expression")?;
                if items.is_empty() {
                    return self.error(
                        start.to(end),
                        "a vector expression `[ ]` needs at least one element",
                    );
                }
                Ok(Expr {
                    kind: ExprKind::RowVectorLit(items),
                    span: start.to(end),
                })
            }
            Some(Tok::Ident) => self.name_or_call(),
            Some(Tok::StringLit) => {
                let span = self.span();
                self.error(
                    span,
                    "a string can only appear in `print`, `reject` and `fatal_error`",
                )
            }
            _ => {
                let found = self.found();
                self.error(start, format!("expected an expression, found {found}"))
            }
        }
    }

    fn name_or_call(&mut self) -> PResult<Expr> {
        let t = self.bump();
        let name = Ident {
            name: t.text.to_string(),
            span: t.span,
        };
        if !self.at(Tok::LParen) {
            if super::RESERVED.contains(&t.text) {
                return self.error(
                    t.span,
                    format!(
                        "`{}` is a reserved word and cannot be used as a value",
                        t.text
                    ),
                );
            }
            return Ok(Expr {
                kind: ExprKind::Var(name),
                span: t.span,
            });
        }
        self.bump();
        if t.text == "target" {
            let end = self.expect(Tok::RParen, "after `target(`")?;
            return Ok(Expr {
                kind: ExprKind::TargetGet,
                span: t.span.to(end),
            });
        }
        let mut args = Vec::new();
        let mut conditional = false;
        if !self.at(Tok::RParen) {
            args.push(self.expr()?);
            if self.eat(Tok::Bar) {
                conditional = true;
                args.push(self.expr()?);
            }
            while self.eat(Tok::Comma) {
                args.push(self.expr()?);
            }
        }
        let end = self.expect(Tok::RParen, &format!("to close the call to `{}`", t.text))?;
        Ok(Expr {
            kind: ExprKind::Call {
                name,
                args,
                conditional,
            },
            span: t.span.to(end),
        })
    }

    /// Comma-separated expressions up to (not including) `close`.
    pub(crate) fn expr_list(&mut self, close: Tok, _what: &str) -> PResult<Vec<Expr>> {
        let mut items = Vec::new();
        if self.at(close) {
            return Ok(items);
        }
        items.push(self.expr()?);
        while self.eat(Tok::Comma) {
            items.push(self.expr()?);
        }
        Ok(items)
    }

    /// The comma-separated indices inside `[ … ]`.
    fn indices(&mut self) -> PResult<Vec<Index>> {
        let mut out = vec![self.index()?];
        while self.eat(Tok::Comma) {
            out.push(self.index()?);
        }
        Ok(out)
    }

    fn index(&mut self) -> PResult<Index> {
        if self.at(Tok::Comma) || self.at(Tok::RBracket) {
            return Ok(Index::All);
        }
        if self.eat(Tok::Colon) {
            if self.at(Tok::Comma) || self.at(Tok::RBracket) {
                return Ok(Index::All);
            }
            return Ok(Index::Slice(None, Some(self.expr()?)));
        }
        let first = self.expr()?;
        if self.eat(Tok::Colon) {
            if self.at(Tok::Comma) || self.at(Tok::RBracket) {
                return Ok(Index::Slice(Some(first), None));
            }
            return Ok(Index::Slice(Some(first), Some(self.expr()?)));
        }
        Ok(Index::Single(first))
    }
}
