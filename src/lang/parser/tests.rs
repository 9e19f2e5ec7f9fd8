//! Parser tests: precedence, recovery, nesting limit.

use super::super::pretty;
use super::*;

/// Parses `e` as the initialiser of a generated quantity and prints it back fully parenthesised.
fn shape(e: &str) -> String {
    let src = format!("generated quantities {{ real x = {e}; }}");
    let p = parse("t", &src).unwrap_or_else(|d| panic!("{}", d.render(&src)));
    let super::super::ast::StmtKind::Decl { init: Some(x), .. } = &p.blocks[0].stmts[0].kind else {
        panic!()
    };
    paren(x)
}

fn paren(e: &super::super::ast::Expr) -> String {
    use super::super::ast::ExprKind::*;
    match &e.kind {
        Binary { op, lhs, rhs } => format!("({} {} {})", paren(lhs), op.symbol(), paren(rhs)),
        Unary { op, operand } => format!("({}{})", op.symbol(), paren(operand)),
        Transpose(x) => format!("({}')", paren(x)),
        Cond {
            cond,
            then,
            otherwise,
        } => format!("({} ? {} : {})", paren(cond), paren(then), paren(otherwise)),
        _ => pretty::expr(e),
    }
}

#[test]
fn precedence_and_associativity_follow_stan() {
    assert_eq!(shape("-a ^ 2"), "(-(a ^ 2))");
    assert_eq!(shape("a ^ b ^ c"), "(a ^ (b ^ c))");
    assert_eq!(shape("a - b - c"), "((a - b) - c)");
    assert_eq!(shape("a + b * c .* d"), "(a + (b * (c .* d)))");
    assert_eq!(shape("a * b \\ c"), "(a * (b \\ c))");
    assert_eq!(
        shape("a || b && c == d < e + f"),
        "(a || (b && (c == (d < (e + f)))))"
    );
    assert_eq!(shape("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
    assert_eq!(shape("x' * y"), "((x') * y)");
    assert_eq!(shape("!a + -b %/% c % d"), "((!a) + (((-b) %/% c) % d))");
    assert_eq!(shape("-a .* b"), "((-a) .* b)");
}

#[test]
fn recovers_and_reports_every_statement_error() {
    let src = "model { real x = ; real y = 1 + ; x ~ normal(0, 1) }";
    let d = parse("t", src).unwrap_err();
    assert_eq!(d.errors().count(), 3, "{}", d.render(src));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "model {{ target += {}1{}; }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let d = parse("t", &deep).unwrap_err();
    assert!(d.render(&deep).contains("nested more than"));
    let ok = format!(
        "model {{ target += {}1{}; }}",
        "(".repeat(MAX_NESTING - 4),
        ")".repeat(MAX_NESTING - 4)
    );
    assert!(super::super::check("t", &ok).is_ok());
}

#[test]
fn empty_and_comment_only_programs_are_valid() {
    assert!(parse("t", "").is_ok());
    assert!(parse("t", "// nothing\n/* at all */").is_ok());
}
