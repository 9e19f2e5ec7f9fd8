//! Declarations (sized types with constraints, old and new array syntax) and
//! function definitions (unsized argument and return types).

use super::super::ast::{
    BaseType, Bounds, FunDef, FunParam, SizedBase, Stmt, StmtKind, TypeDecl, UnsizedType,
};
use super::super::diagnostic::Diagnostic;
use super::super::token::Tok;
use super::expr::BP_ADD;
use super::{Fail, PResult, Parser, RESERVED, UNSUPPORTED_TYPES};

impl Parser<'_> {
    fn refuse_unsupported_type(&mut self) -> PResult<()> {
        let word = self.text();
        if let Some((_, what)) = UNSUPPORTED_TYPES.iter().find(|(w, _)| *w == word) {
            let span = self.span();
            return self.error(
                span,
                format!("{what} (`{word}`) are not supported by hazel"),
            );
        }
        Ok(())
    }

    /// `[e, e, …]` with `n` expressions.
    fn sizes(&mut self, word: &str, n: usize) -> PResult<Vec<super::super::ast::Expr>> {
        self.expect(Tok::LBracket, &format!("with the size of `{word}`"))?;
        let mut out = vec![self.expr()?];
        while out.len() < n && self.eat(Tok::Comma) {
            out.push(self.expr()?);
        }
        self.expect(Tok::RBracket, &format!("to close the size of `{word}`"))?;
        Ok(out)
    }

    /// `<lower = e, upper = e>` or `<offset = e, multiplier = e>`; bound expressions
    /// exclude comparison and logical operators, as in Stan's grammar.
    fn bounds(&mut self, allow_affine: bool) -> PResult<Bounds> {
        let mut b = Bounds::default();
        if !self.eat(Tok::Lt) {
            return Ok(b);
        }
        loop {
            let key = self.ident("`lower`, `upper`, `offset` or `multiplier`")?;
            self.expect(Tok::Assign, &format!("after `{}`", key.name))?;
            let e = self.expr_bp(BP_ADD)?;
            let slot = match key.name.as_str() {
                "lower" => &mut b.lower,
                "upper" => &mut b.upper,
                "offset" if allow_affine => &mut b.offset,
                "multiplier" if allow_affine => &mut b.multiplier,
                other => {
                    return self.error(
                        key.span,
                        format!("unknown constraint `{other}`; expected `lower`, `upper`, `offset` or `multiplier`"),
                    );
                }
            };
            if slot.is_some() {
                return self.error(
                    key.span,
                    format!("the constraint `{}` is given twice", key.name),
                );
            }
            *slot = Some(e);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        if (b.lower.is_some() || b.upper.is_some())
            && (b.offset.is_some() || b.multiplier.is_some())
        {
            let span = self.prev_span();
            return self.error(
                span,
                "`lower`/`upper` cannot be combined with `offset`/`multiplier`",
            );
        }
        self.expect(Tok::Gt, "to close the constraints")?;
        Ok(b)
    }

    /// A sized type: `array[…] base` or a bare base; the caller handles old-style dims.
    pub(crate) fn sized_type(&mut self) -> PResult<TypeDecl> {
        let start = self.span();
        let mut array_dims = Vec::new();
        if self.eat_word("array") {
            array_dims = self.sizes("array", usize::MAX)?;
        }
        self.refuse_unsupported_type()?;
        let word_tok = self.ident("a type")?;
        let word = word_tok.name.as_str();
        let mut bounds = Bounds::default();
        let base = match word {
            "int" => {
                bounds = self.bounds(false)?;
                SizedBase::Int
            }
            "real" => {
                bounds = self.bounds(true)?;
                SizedBase::Real
            }
            "vector" | "row_vector" | "matrix" => {
                bounds = self.bounds(true)?;
                let n = if word == "matrix" { 2 } else { 1 };
                let mut s = self.sizes(word, n)?.into_iter();
                let first = s.next().ok_or(Fail)?;
                match (word, s.next()) {
                    ("vector", None) => SizedBase::Vector(first),
                    ("row_vector", None) => SizedBase::RowVector(first),
                    ("matrix", Some(second)) => SizedBase::Matrix(first, second),
                    _ => {
                        return self
                            .error(word_tok.span, format!("wrong number of sizes for `{word}`"));
                    }
                }
            }
            "cholesky_factor_cov" => {
                let mut s = self.sizes(word, 2)?.into_iter();
                let first = s.next().ok_or(Fail)?;
                SizedBase::CholeskyFactorCov(first, s.next())
            }
            "simplex"
            | "unit_vector"
            | "ordered"
            | "positive_ordered"
            | "cholesky_factor_corr"
            | "corr_matrix"
            | "cov_matrix" => {
                let e = self.sizes(word, 1)?.into_iter().next().ok_or(Fail)?;
                match word {
                    "simplex" => SizedBase::Simplex(e),
                    "unit_vector" => SizedBase::UnitVector(e),
                    "ordered" => SizedBase::Ordered(e),
                    "positive_ordered" => SizedBase::PositiveOrdered(e),
                    "cholesky_factor_corr" => SizedBase::CholeskyFactorCorr(e),
                    "corr_matrix" => SizedBase::CorrMatrix(e),
                    _ => SizedBase::CovMatrix(e),
                }
            }
            other => return self.error(word_tok.span, format!("expected a type, found `{other}`")),
        };
        Ok(TypeDecl {
            array_dims,
            base,
            bounds,
            span: start.to(self.prev_span()),
        })
    }

    /// `TYPE name [= e] (, name [= e])* ;` — with several names the first declaration is
    /// returned and the others are queued in `pending`, to follow it in the enclosing list.
    pub(crate) fn decl_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let ty = self.sized_type()?;
        let mut decls = Vec::new();
        loop {
            let name = self.ident("a variable name")?;
            if RESERVED.contains(&name.name.as_str()) {
                return self.error(
                    name.span,
                    format!(
                        "`{}` is a reserved word and cannot name a variable",
                        name.name
                    ),
                );
            }
            let mut ty = ty.clone();
            let mut old_syntax = false;
            if self.at(Tok::LBracket) {
                let dims_start = self.span();
                let dims = self.sizes("array", usize::MAX)?;
                if !ty.array_dims.is_empty() {
                    return self.error(
                        dims_start,
                        "array sizes given both with `array[…]` and after the name",
                    );
                }
                self.diags.push(Diagnostic::warning(
                    dims_start.to(self.prev_span()),
                    format!(
                        "deprecated array syntax; write `array[…] {}` instead",
                        type_word(&ty)
                    ),
                ));
                ty.array_dims = dims;
                old_syntax = true;
            }
            let init = if self.eat(Tok::Assign) {
                Some(self.expr()?)
            } else {
                None
            };
            decls.push((name, ty, init, old_syntax));
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        let end = self.expect(Tok::Semi, "at the end of the declaration")?;
        let span = start.to(end);
        let mut stmts: Vec<Stmt> = decls
            .into_iter()
            .map(|(name, ty, init, old_syntax)| Stmt {
                kind: StmtKind::Decl {
                    ty: Box::new(ty),
                    name,
                    init,
                    old_syntax,
                },
                span,
            })
            .collect();
        if stmts.len() == 1 {
            return stmts.pop().ok_or(Fail);
        }
        self.pending.extend(stmts.drain(1..));
        stmts.pop().ok_or(Fail)
    }

    /// An unsized type: `array[,] real`, `vector`, old-style `real[]`.
    fn unsized_type(&mut self) -> PResult<UnsizedType> {
        let start = self.span();
        let mut dims = 0;
        if self.eat_word("array") {
            self.expect(Tok::LBracket, "after `array`")?;
            dims = 1;
            while self.eat(Tok::Comma) {
                dims += 1;
            }
            self.expect(Tok::RBracket, "to close `array[`")?;
        }
        self.refuse_unsupported_type()?;
        let w = self.ident("a type")?;
        let base = match w.name.as_str() {
            "int" => BaseType::Int,
            "real" => BaseType::Real,
            "vector" => BaseType::Vector,
            "row_vector" => BaseType::RowVector,
            "matrix" => BaseType::Matrix,
            other => {
                return self.error(
                    w.span,
                    format!("expected a function argument type, found `{other}`"),
                );
            }
        };
        if dims == 0 && self.at(Tok::LBracket) {
            self.bump();
            dims = 1;
            while self.eat(Tok::Comma) {
                dims += 1;
            }
            self.expect(Tok::RBracket, "to close the array brackets")?;
            self.diags.push(Diagnostic::warning(
                start.to(self.prev_span()),
                "deprecated array syntax; write `array[] T` instead",
            ));
        }
        Ok(UnsizedType {
            base,
            array_dims: dims,
            span: start.to(self.prev_span()),
        })
    }

    /// Function definitions up to and including the `}` closing the functions block.
    pub(crate) fn function_defs(&mut self) -> Vec<FunDef> {
        let mut out = Vec::new();
        while self.peek().is_some() && !self.eat(Tok::RBrace) {
            let before = self.pos;
            match self.function_def() {
                Ok(f) => out.push(f),
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

    fn function_def(&mut self) -> PResult<FunDef> {
        let start = self.span();
        let ret = if self.eat_word("void") {
            None
        } else {
            Some(self.unsized_type()?)
        };
        let name = self.ident("a function name")?;
        if RESERVED.contains(&name.name.as_str()) {
            return self.error(
                name.span,
                format!(
                    "`{}` is a reserved word and cannot name a function",
                    name.name
                ),
            );
        }
        self.expect(Tok::LParen, "after the function name")?;
        let mut params = Vec::new();
        if !self.at(Tok::RParen) {
            loop {
                let data_only = self.eat_word("data");
                let ty = self.unsized_type()?;
                let pname = self.ident("an argument name")?;
                params.push(FunParam {
                    data_only,
                    ty,
                    name: pname,
                });
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
        }
        self.expect(Tok::RParen, "to close the argument list")?;
        if self.eat(Tok::Semi) {
            return Ok(FunDef {
                ret,
                name,
                params,
                body: None,
                span: start.to(self.prev_span()),
            });
        }
        if !self.at(Tok::LBrace) {
            let found = self.found();
            let span = self.span();
            return self.error(
                span,
                format!("expected the function body `{{` or `;`, found {found}"),
            );
        }
        let body = self.stmt()?;
        Ok(FunDef {
            ret,
            name,
            params,
            span: start.to(body.span),
            body: Some(body),
        })
    }
}

fn type_word(t: &TypeDecl) -> &'static str {
    match t.base {
        SizedBase::Int => "int",
        SizedBase::Real => "real",
        SizedBase::Vector(_) => "vector[…]",
        SizedBase::RowVector(_) => "row_vector[…]",
        SizedBase::Matrix(..) => "matrix[…]",
        _ => "…",
    }
}
