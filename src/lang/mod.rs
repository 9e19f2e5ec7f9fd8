//! The modeling language front end: lexer, parser, AST, type checker, diagnostics with source spans.
//!
//! Pipeline: [`lexer::lex`] (logos) → [`parse`] (recursive descent, Pratt expressions,
//! recovery at `;`/`}`) → [`ast::Program`] → [`check()`] → [`typed::TypedProgram`], the
//! compiler's input. Errors and warnings are [`Diagnostics`]: values with spans, all of
//! them collected, rendered as `file:line:col`, the source line and a caret by
//! [`Diagnostics::render`]. Built-in functions and distributions come from one table,
//! [`signatures::registry`]. [`check_command`] is `hazel check` without argument parsing.
//!
//! ```
//! let src = "parameters { real mu; } model { mu ~ normal(0, 1); }";
//! let typed = hazel::lang::check("m.stan", src).expect("valid");
//! assert_eq!(typed.parameter_list()[0].name, "mu");
//! let err = hazel::lang::check("m.stan", "model { y ~ normal(0, 1); }").unwrap_err();
//! assert!(err.render("model { y ~ normal(0, 1); }").starts_with("m.stan:1:9: error: unknown variable `y`"));
//! ```

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod erase;
pub mod lexer;
pub mod parser;
pub mod pretty;
pub mod signatures;
pub mod span;
pub mod suggest;
pub mod token;
pub mod typed;
pub mod typed_dump;
pub mod types;

pub use check::check;
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use parser::parse;
pub use span::Span;
pub use typed::TypedProgram;
pub use typed_dump::dump_typed;

/// Debug dump of the AST (the `--dump ast` view).
pub fn dump_ast(p: &ast::Program) -> String {
    format!("{p:#?}\n")
}

/// What `hazel check --dump` prints besides the parameter list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dump {
    Ast,
    Typed,
}

impl std::str::FromStr for Dump {
    type Err = String;
    fn from_str(s: &str) -> Result<Dump, String> {
        match s {
            "ast" => Ok(Dump::Ast),
            "typed" => Ok(Dump::Typed),
            other => Err(format!("unknown dump `{other}`; expected `ast` or `typed`")),
        }
    }
}

/// Exit status of `hazel check`: valid program.
pub const EXIT_VALID: i32 = 0;
/// Exit status of `hazel check`: the program has errors.
pub const EXIT_INVALID: i32 = 1;
/// Exit status of `hazel check`: bad command line or unreadable file.
pub const EXIT_USAGE: i32 = 2;

/// Everything `hazel check MODEL.stan [--dump ast|typed]` does except argument parsing:
/// returns (stdout, stderr, exit status).
pub fn check_command(path: &std::path::Path, dump: Option<Dump>) -> (String, String, i32) {
    use std::fmt::Write;
    let name = path.display().to_string();
    let src = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            return (
                String::new(),
                format!("hazel check: cannot read {name}: {e}\n"),
                EXIT_USAGE,
            );
        }
    };
    let typed = match check(&name, &src) {
        Ok(t) => t,
        Err(d) => {
            let n = d.errors().count();
            let mut err = d.render(&src);
            let _ = writeln!(err, "{name}: {n} error{}", if n == 1 { "" } else { "s" });
            return (String::new(), err, EXIT_INVALID);
        }
    };
    let mut out = format!("{name}: valid\n");
    let mut current = None;
    for p in typed.parameter_list() {
        if current != Some(p.block) {
            let _ = writeln!(out, "{}:", p.block.keyword());
            current = Some(p.block);
        }
        let _ = writeln!(out, "  {}: {}", p.name, p.declared);
    }
    match dump {
        Some(Dump::Ast) => {
            if let Ok(p) = parse(&name, &src) {
                out.push_str(&dump_ast(&p));
            }
        }
        Some(Dump::Typed) => out.push_str(&dump_typed(&typed)),
        None => {}
    }
    (out, typed.warnings.render(&src), EXIT_VALID)
}
