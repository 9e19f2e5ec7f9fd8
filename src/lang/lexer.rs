//! Turns source text into a token list with spans, reporting unlexable input as diagnostics.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::span::Span;
use super::token::Tok;
use logos::Logos;

/// A token with its byte range and text.
#[derive(Clone, Debug)]
pub struct Token<'s> {
    pub kind: Tok,
    pub span: Span,
    pub text: &'s str,
}

/// Lexes `src`; unknown characters and unsupported directives are reported and skipped.
pub fn lex<'s>(src: &'s str, diags: &mut Diagnostics) -> Vec<Token<'s>> {
    let mut out = Vec::new();
    let mut lexer = Tok::lexer(src);
    while let Some(result) = lexer.next() {
        let range = lexer.span();
        let span = Span::new(range.start, range.end);
        let text = lexer.slice();
        match result {
            Ok(Tok::Include) => diags.push(Diagnostic::error(
                span,
                "`#include` is not supported by hazel; paste the included code into the program",
            )),
            Ok(Tok::UnterminatedComment) => diags.push(Diagnostic::error(
                span,
                "this `/*` comment is never closed with `*/`",
            )),
            Ok(Tok::ImagLit) => diags.push(Diagnostic::error(
                span,
                "imaginary literals (complex numbers) are not supported by hazel",
            )),
            Ok(kind) => out.push(Token { kind, span, text }),
            Err(()) => {
                let shown = text.chars().next().map_or(String::new(), |c| c.to_string());
                diags.push(Diagnostic::error(
                    span,
                    format!("unexpected character `{shown}`"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        let mut d = Diagnostics::default();
        lex(src, &mut d).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn lexes_operators_and_literals() {
        assert_eq!(
            kinds("x .* 1.5e-3 %/% 2 // c\n /* b */ y' # old"),
            vec![
                Tok::Ident,
                Tok::DotStar,
                Tok::RealLit,
                Tok::IntDiv,
                Tok::IntLit,
                Tok::Ident,
                Tok::Quote
            ]
        );
        assert_eq!(
            kinds("1e5 .5 3."),
            vec![Tok::RealLit, Tok::RealLit, Tok::RealLit]
        );
    }

    #[test]
    fn reports_bad_characters_and_open_comments() {
        let mut d = Diagnostics::default();
        lex("real x; $ /* never", &mut d);
        assert_eq!(d.items.len(), 2);
    }
}
