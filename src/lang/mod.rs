//! The modeling language front end: lexer, parser, AST, type checker, diagnostics with source spans.
