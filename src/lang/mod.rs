//! The modeling language front end: lexer, parser, AST, type checker, diagnostics with source spans.
//!
//! `parse` turns Stan source into an [`ast::Program`]; `check` also type-checks it into a
//! [`typed::TypedProgram`] that the compiler lowers. Errors come back as
//! [`Diagnostics`], all of them at once, rendered with [`Diagnostics::render`].

pub mod ast;
pub mod diagnostic;
pub mod lexer;
pub mod parser;
pub mod pretty;
pub mod span;
pub mod suggest;
pub mod token;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};
pub use parser::parse;
pub use span::Span;

/// Debug dump of the AST (the `--dump ast` view).
pub fn dump_ast(p: &ast::Program) -> String {
    format!("{p:#?}\n")
}
