//! Hand-written recursive-descent parser: token list → [`Program`], recovering at `;`
//! and `}` so that every independent syntax error is reported.

mod decl;
mod expr;
mod stmt;

use super::ast::{Block, BlockKind, Program};
use super::diagnostic::{Diagnostic, Diagnostics};
use super::lexer::{Token, lex};
use super::span::Span;
use super::token::Tok;

/// Words that cannot name a variable or function (Stan's reserved words; `lower`,
/// `upper`, `offset` and `multiplier` are only special inside `<…>` and stay usable).
pub const RESERVED: &[&str] = &[
    "for",
    "in",
    "while",
    "repeat",
    "until",
    "if",
    "then",
    "else",
    "true",
    "false",
    "target",
    "functions",
    "model",
    "data",
    "parameters",
    "quantities",
    "transformed",
    "generated",
    "int",
    "real",
    "complex",
    "vector",
    "row_vector",
    "matrix",
    "array",
    "tuple",
    "simplex",
    "ordered",
    "positive_ordered",
    "unit_vector",
    "sum_to_zero_vector",
    "cholesky_factor_corr",
    "cholesky_factor_cov",
    "corr_matrix",
    "cov_matrix",
    "complex_vector",
    "complex_row_vector",
    "complex_matrix",
    "void",
    "return",
    "break",
    "continue",
    "print",
    "reject",
    "fatal_error",
    "profile",
];

/// Constructs of the Stan language that hazel deliberately refuses, with the name used
/// in the error message.
pub const UNSUPPORTED_TYPES: &[(&str, &str)] = &[
    ("complex", "complex numbers"),
    ("complex_vector", "complex vectors"),
    ("complex_row_vector", "complex row vectors"),
    ("complex_matrix", "complex matrices"),
    ("tuple", "tuples"),
    ("sum_to_zero_vector", "the sum_to_zero_vector type"),
    ("sum_to_zero_matrix", "the sum_to_zero_matrix type"),
    ("stochastic_row_matrix", "stochastic matrices"),
    ("stochastic_column_matrix", "stochastic matrices"),
    ("column_stochastic_matrix", "stochastic matrices"),
    ("row_stochastic_matrix", "stochastic matrices"),
];

/// Deepest nesting of expressions/statements accepted (hazel's choice, not a Stan limit).
/// Far beyond any real model, and low enough that the recursive parser and checker stay well inside a 2 MiB thread stack.
pub const MAX_NESTING: usize = 128;

/// Parse failure marker: the diagnostic has already been recorded.
pub(crate) struct Fail;
pub(crate) type PResult<T> = Result<T, Fail>;

pub(crate) struct Parser<'s> {
    toks: Vec<Token<'s>>,
    pos: usize,
    src_len: usize,
    /// Extra declarations from `real a, b;`, handed out before the next statement.
    pending: Vec<super::ast::Stmt>,
    /// Current nesting of expressions and statements (bounded by [`MAX_NESTING`]).
    depth: usize,
    pub(crate) diags: Diagnostics,
}

/// Parses a program; all syntax errors are returned together.
pub fn parse(name: &str, src: &str) -> Result<Program, Diagnostics> {
    let mut diags = Diagnostics::new(name);
    let toks = lex(src, &mut diags);
    let mut p = Parser {
        toks,
        pos: 0,
        src_len: src.len(),
        pending: Vec::new(),
        depth: 0,
        diags,
    };
    let program = p.program();
    if p.diags.has_errors() {
        Err(p.diags.sorted())
    } else {
        Ok(program)
    }
}

/// Like [`parse`] but also returns the warnings of a successful parse.
pub fn parse_with_warnings(name: &str, src: &str) -> (Option<Program>, Diagnostics) {
    let mut diags = Diagnostics::new(name);
    let toks = lex(src, &mut diags);
    let mut p = Parser {
        toks,
        pos: 0,
        src_len: src.len(),
        pending: Vec::new(),
        depth: 0,
        diags,
    };
    let program = p.program();
    let ok = !p.diags.has_errors();
    (ok.then_some(program), p.diags.sorted())
}

impl<'s> Parser<'s> {
    pub(crate) fn peek(&self) -> Option<Tok> {
        self.toks.get(self.pos).map(|t| t.kind)
    }

    pub(crate) fn peek_at(&self, k: usize) -> Option<Tok> {
        self.toks.get(self.pos + k).map(|t| t.kind)
    }

    pub(crate) fn text(&self) -> &'s str {
        self.toks.get(self.pos).map_or("", |t| t.text)
    }

    pub(crate) fn text_at(&self, k: usize) -> &'s str {
        self.toks.get(self.pos + k).map_or("", |t| t.text)
    }

    /// Span of the current token, or an empty span at the end of input.
    pub(crate) fn span(&self) -> Span {
        self.toks
            .get(self.pos)
            .map_or(Span::new(self.src_len, self.src_len), |t| t.span)
    }

    /// Span of the previous token.
    pub(crate) fn prev_span(&self) -> Span {
        if self.pos == 0 {
            Span::default()
        } else {
            self.toks[self.pos - 1].span
        }
    }

    pub(crate) fn at(&self, k: Tok) -> bool {
        self.peek() == Some(k)
    }

    pub(crate) fn at_word(&self, w: &str) -> bool {
        self.peek() == Some(Tok::Ident) && self.text() == w
    }

    pub(crate) fn bump(&mut self) -> Token<'s> {
        let t = match self.toks.get(self.pos).or(self.toks.last()) {
            Some(t) => t.clone(),
            None => Token {
                kind: Tok::Semi,
                span: self.span(),
                text: "",
            },
        };
        self.pos = (self.pos + 1).min(self.toks.len());
        t
    }

    /// Runs `f` one nesting level deeper, refusing programs nested beyond [`MAX_NESTING`]
    /// (so that deeply nested input is an error, not a stack overflow).
    pub(crate) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_NESTING {
            let span = self.span();
            return self.error(
                span,
                format!("expressions or statements are nested more than {MAX_NESTING} levels deep"),
            );
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    pub(crate) fn eat(&mut self, k: Tok) -> bool {
        if self.at(k) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_word(&mut self, w: &str) -> bool {
        if self.at_word(w) {
            self.bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn error<T>(&mut self, span: Span, msg: impl Into<String>) -> PResult<T> {
        self.diags.push(Diagnostic::error(span, msg));
        Err(Fail)
    }

    /// Describes the current token for "expected X, found Y" messages.
    pub(crate) fn found(&self) -> String {
        match self.peek() {
            None => "the end of the file".to_string(),
            Some(Tok::Ident) => format!("`{}`", self.text()),
            Some(k @ (Tok::IntLit | Tok::RealLit | Tok::StringLit)) => {
                format!("{} `{}`", k.describe(), self.text())
            }
            Some(k) => k.describe().to_string(),
        }
    }

    pub(crate) fn expect(&mut self, k: Tok, context: &str) -> PResult<Span> {
        if self.at(k) {
            Ok(self.bump().span)
        } else {
            let found = self.found();
            let span = if self.peek().is_none() || k == Tok::Semi {
                self.after_prev()
            } else {
                self.span()
            };
            self.error(
                span,
                format!("expected {} {context}, found {found}", k.describe()),
            )
        }
    }

    /// An empty span right after the previous token (where a missing `;` belongs).
    fn after_prev(&self) -> Span {
        let e = self.prev_span().hi;
        Span::new(e, e)
    }

    pub(crate) fn ident(&mut self, what: &str) -> PResult<super::ast::Ident> {
        if self.at(Tok::Ident) {
            let t = self.bump();
            Ok(super::ast::Ident {
                name: t.text.to_string(),
                span: t.span,
            })
        } else {
            let found = self.found();
            let span = self.span();
            self.error(span, format!("expected {what}, found {found}"))
        }
    }

    /// Skips to just after the next `;` or to (not past) a `}` closing the current nesting.
    pub(crate) fn recover_stmt(&mut self) {
        let mut depth = 0usize;
        while let Some(k) = self.peek() {
            match k {
                Tok::Semi if depth == 0 => {
                    self.bump();
                    return;
                }
                Tok::LBrace => depth += 1,
                Tok::RBrace if depth == 0 => return,
                Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Skips a whole `{ … }` group (or to the end), used after a bad block header.
    fn skip_braced(&mut self) {
        while !self.at(Tok::LBrace) && self.peek().is_some() {
            self.bump();
        }
        let mut depth = 0usize;
        while let Some(k) = self.peek() {
            self.bump();
            match k {
                Tok::LBrace => depth += 1,
                Tok::RBrace => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn block_header(&mut self) -> PResult<(Option<BlockKind>, Span)> {
        let start = self.span();
        let first = self.text();
        let two = |p: &mut Parser, second: &str, kind: BlockKind| {
            if p.text_at(1) == second && p.peek_at(1) == Some(Tok::Ident) {
                p.bump();
                let end = p.bump().span;
                Ok((Some(kind), start.to(end)))
            } else {
                p.bump();
                let found = p.found();
                let span = p.span();
                p.error(
                    span,
                    format!("expected `{second}` after `{first}`, found {found}"),
                )
            }
        };
        match (self.peek(), first) {
            (Some(Tok::Ident), "functions") => Ok((None, self.bump().span)),
            (Some(Tok::Ident), "data") => Ok((Some(BlockKind::Data), self.bump().span)),
            (Some(Tok::Ident), "parameters") => Ok((Some(BlockKind::Parameters), self.bump().span)),
            (Some(Tok::Ident), "model") => Ok((Some(BlockKind::Model), self.bump().span)),
            (Some(Tok::Ident), "transformed") => match self.text_at(1) {
                "parameters" => two(self, "parameters", BlockKind::TransformedParameters),
                _ => two(self, "data", BlockKind::TransformedData),
            },
            (Some(Tok::Ident), "generated") => {
                two(self, "quantities", BlockKind::GeneratedQuantities)
            }
            (Some(Tok::Ident), "profile") => {
                self.error(start, "`profile` blocks are not supported by hazel")
            }
            _ => {
                let found = self.found();
                self.error(
                    start,
                    format!(
                        "expected a program block (`functions`, `data`, `transformed data`, `parameters`, `transformed parameters`, `model` or `generated quantities`), found {found}"
                    ),
                )
            }
        }
    }

    fn program(&mut self) -> Program {
        let mut program = Program {
            functions: None,
            blocks: Vec::new(),
        };
        // Order rank of the last block seen: functions = 0, then BlockKind order + 1.
        let mut last_rank: Option<usize> = None;
        while self.peek().is_some() {
            let Ok((kind, header)) = self.block_header() else {
                self.skip_braced();
                continue;
            };
            let rank = kind.map_or(0, |k| k as usize + 1);
            let name = kind.map_or("functions", BlockKind::keyword);
            if last_rank == Some(rank) {
                self.diags.push(Diagnostic::error(
                    header,
                    format!("the `{name}` block appears twice"),
                ));
            } else if last_rank.is_some_and(|r| r > rank) {
                self.diags.push(Diagnostic::error(
                    header,
                    format!("the `{name}` block is out of order; blocks must appear in the order functions, data, transformed data, parameters, transformed parameters, model, generated quantities"),
                ));
            }
            last_rank = Some(last_rank.map_or(rank, |r| r.max(rank)));
            if self
                .expect(Tok::LBrace, &format!("to open the `{name}` block"))
                .is_err()
            {
                self.skip_braced();
                continue;
            }
            match kind {
                None => {
                    let fs = self.function_defs();
                    program.functions.get_or_insert_with(Vec::new).extend(fs);
                }
                Some(kind) => {
                    let stmts = self.stmts_until_brace();
                    let end = self.span();
                    let _ = self.expect(Tok::RBrace, &format!("to close the `{name}` block"));
                    program.blocks.push(Block {
                        kind,
                        stmts,
                        span: header.to(end),
                    });
                }
            }
        }
        program
    }

    /// Statements up to (not including) the closing `}` of the current block.
    pub(crate) fn stmts_until_brace(&mut self) -> Vec<super::ast::Stmt> {
        let mut out = Vec::new();
        while self.peek().is_some() && !self.at(Tok::RBrace) {
            let before = self.pos;
            match self.stmt() {
                Ok(s) => {
                    out.push(s);
                    out.append(&mut self.pending);
                }
                Err(Fail) => {
                    self.recover_stmt();
                    if self.pos == before {
                        self.bump();
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
