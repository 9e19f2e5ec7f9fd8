//! Pretty-printer: AST → canonical Stan source (new array syntax, one statement per line).
//! Parsing the output gives back the same AST modulo spans.

use super::ast::*;
use std::fmt::Write;

const INDENT: &str = "  ";

/// Canonical source text of a program.
pub fn print_program(p: &Program) -> String {
    let mut out = String::new();
    if let Some(fs) = &p.functions {
        out.push_str("functions {\n");
        for f in fs {
            print_fundef(&mut out, f);
        }
        out.push_str("}\n");
    }
    for b in &p.blocks {
        let _ = writeln!(out, "{} {{", b.kind.keyword());
        for s in &b.stmts {
            print_stmt(&mut out, s, 1);
        }
        out.push_str("}\n");
    }
    out
}

fn print_fundef(out: &mut String, f: &FunDef) {
    let ret = f.ret.as_ref().map_or("void".to_string(), unsized_type);
    let params: Vec<String> = f
        .params
        .iter()
        .map(|a| {
            format!(
                "{}{} {}",
                if a.data_only { "data " } else { "" },
                unsized_type(&a.ty),
                a.name.name
            )
        })
        .collect();
    let _ = write!(out, "{INDENT}{ret} {}({})", f.name.name, params.join(", "));
    match &f.body {
        None => out.push_str(";\n"),
        Some(b) => {
            out.push(' ');
            let mut body = String::new();
            print_stmt(&mut body, b, 1);
            out.push_str(body.trim_start());
        }
    }
}

/// `array[,] real`, `vector`, …
pub fn unsized_type(t: &UnsizedType) -> String {
    let base = base_word(t.base);
    if t.array_dims == 0 {
        base.to_string()
    } else {
        format!("array[{}] {base}", ",".repeat(t.array_dims - 1))
    }
}

pub fn base_word(b: BaseType) -> &'static str {
    match b {
        BaseType::Int => "int",
        BaseType::Real => "real",
        BaseType::Vector => "vector",
        BaseType::RowVector => "row_vector",
        BaseType::Matrix => "matrix",
    }
}

fn list(es: &[Expr]) -> String {
    es.iter().map(expr).collect::<Vec<_>>().join(", ")
}

fn bounds(b: &Bounds) -> String {
    let parts: Vec<String> = [
        ("lower", &b.lower),
        ("upper", &b.upper),
        ("offset", &b.offset),
        ("multiplier", &b.multiplier),
    ]
    .into_iter()
    .filter_map(|(k, e)| e.as_ref().map(|e| format!("{k}={}", expr(e))))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("<{}>", parts.join(", "))
    }
}

/// A declared type as Stan source.
pub fn type_decl(t: &TypeDecl) -> String {
    let b = bounds(&t.bounds);
    let base = match &t.base {
        SizedBase::Int => format!("int{b}"),
        SizedBase::Real => format!("real{b}"),
        SizedBase::Vector(n) => format!("vector{b}[{}]", expr(n)),
        SizedBase::RowVector(n) => format!("row_vector{b}[{}]", expr(n)),
        SizedBase::Matrix(r, c) => format!("matrix{b}[{}, {}]", expr(r), expr(c)),
        SizedBase::Simplex(n) => format!("simplex[{}]", expr(n)),
        SizedBase::UnitVector(n) => format!("unit_vector[{}]", expr(n)),
        SizedBase::Ordered(n) => format!("ordered[{}]", expr(n)),
        SizedBase::PositiveOrdered(n) => format!("positive_ordered[{}]", expr(n)),
        SizedBase::CholeskyFactorCorr(n) => format!("cholesky_factor_corr[{}]", expr(n)),
        SizedBase::CholeskyFactorCov(r, None) => format!("cholesky_factor_cov[{}]", expr(r)),
        SizedBase::CholeskyFactorCov(r, Some(c)) => {
            format!("cholesky_factor_cov[{}, {}]", expr(r), expr(c))
        }
        SizedBase::CorrMatrix(n) => format!("corr_matrix[{}]", expr(n)),
        SizedBase::CovMatrix(n) => format!("cov_matrix[{}]", expr(n)),
    };
    if t.array_dims.is_empty() {
        base
    } else {
        format!("array[{}] {base}", list(&t.array_dims))
    }
}

fn printables(ps: &[Printable]) -> String {
    ps.iter()
        .map(|p| match p {
            Printable::Str(s, _) => format!("\"{s}\""),
            Printable::Expr(e) => expr(e),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_stmt(out: &mut String, s: &Stmt, depth: usize) {
    let pad = INDENT.repeat(depth);
    let line = match &s.kind {
        StmtKind::Decl { ty, name, init, .. } => match init {
            Some(e) => format!("{} {} = {};", type_decl(ty), name.name, expr(e)),
            None => format!("{} {};", type_decl(ty), name.name),
        },
        StmtKind::Assign { lhs, op, rhs } => {
            format!("{} {} {};", lvalue(lhs), op.symbol(), expr(rhs))
        }
        StmtKind::Tilde {
            lhs,
            dist,
            args,
            truncation,
        } => {
            let t = truncation.as_ref().map_or(String::new(), |t| {
                format!(
                    " T[{}, {}]",
                    t.lower.as_ref().map_or(String::new(), expr),
                    t.upper.as_ref().map_or(String::new(), expr)
                )
            });
            format!("{} ~ {}({}){t};", expr(lhs), dist.name, list(args))
        }
        StmtKind::TargetPlus(e) => format!("target += {};", expr(e)),
        StmtKind::Break => "break;".to_string(),
        StmtKind::Continue => "continue;".to_string(),
        StmtKind::Return(None) => "return;".to_string(),
        StmtKind::Return(Some(e)) => format!("return {};", expr(e)),
        StmtKind::Print(ps) => format!("print({});", printables(ps)),
        StmtKind::Reject(ps) => format!("reject({});", printables(ps)),
        StmtKind::FatalError(ps) => format!("fatal_error({});", printables(ps)),
        StmtKind::Call(e) => format!("{};", expr(e)),
        StmtKind::Empty => ";".to_string(),
        StmtKind::For { var, lo, hi, body } => {
            let _ = write!(out, "{pad}for ({} in {}:{}) ", var.name, expr(lo), expr(hi));
            return print_body(out, body, depth);
        }
        StmtKind::ForEach {
            var,
            container,
            body,
        } => {
            let _ = write!(out, "{pad}for ({} in {}) ", var.name, expr(container));
            return print_body(out, body, depth);
        }
        StmtKind::While { cond, body } => {
            let _ = write!(out, "{pad}while ({}) ", expr(cond));
            return print_body(out, body, depth);
        }
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            let _ = write!(out, "{pad}if ({}) ", expr(cond));
            print_body(out, then, depth);
            if let Some(o) = otherwise {
                let _ = write!(out, "{pad}else ");
                print_body(out, o, depth);
            }
            return;
        }
        StmtKind::Block(_) => {
            out.push_str(&pad);
            return print_body(out, s, depth);
        }
    };
    let _ = writeln!(out, "{pad}{line}");
}

/// Prints a loop/if body starting on the current line (after its header).
fn print_body(out: &mut String, s: &Stmt, depth: usize) {
    if let StmtKind::Block(ss) = &s.kind {
        out.push_str("{\n");
        for x in ss {
            print_stmt(out, x, depth + 1);
        }
        let _ = writeln!(out, "{}}}", INDENT.repeat(depth));
    } else {
        out.push('\n');
        print_stmt(out, s, depth + 1);
    }
}

fn lvalue(l: &LValue) -> String {
    let mut s = l.name.name.clone();
    for g in &l.indices {
        let _ = write!(s, "[{}]", indices(g));
    }
    s
}

fn indices(ix: &[Index]) -> String {
    ix.iter()
        .map(|i| match i {
            Index::Single(e) => expr(e),
            Index::Slice(a, b) => format!(
                "{}:{}",
                a.as_ref().map_or(String::new(), expr),
                b.as_ref().map_or(String::new(), expr)
            ),
            Index::All => ":".to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An expression as Stan source; parentheses only where the AST has them.
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(s) | ExprKind::Real(s) => s.clone(),
        ExprKind::Var(v) => v.name.clone(),
        ExprKind::Binary { op, lhs, rhs } => format!("{} {} {}", expr(lhs), op.symbol(), expr(rhs)),
        ExprKind::Unary { op, operand } => format!("{}{}", op.symbol(), expr(operand)),
        ExprKind::Transpose(x) => format!("{}'", expr(x)),
        ExprKind::Cond {
            cond,
            then,
            otherwise,
        } => format!("{} ? {} : {}", expr(cond), expr(then), expr(otherwise)),
        ExprKind::Call {
            name,
            args,
            conditional,
        } => {
            if *conditional && !args.is_empty() {
                let rest = list(&args[1..]);
                let sep = if rest.is_empty() { "" } else { " | " };
                format!("{}({}{sep}{rest})", name.name, expr(&args[0]))
            } else {
                format!("{}({})", name.name, list(args))
            }
        }
        ExprKind::Index { base, indices: ix } => format!("{}[{}]", expr(base), indices(ix)),
        ExprKind::ArrayLit(xs) => format!("{{{}}}", list(xs)),
        ExprKind::RowVectorLit(xs) => format!("[{}]", list(xs)),
        ExprKind::Paren(x) => format!("({})", expr(x)),
        ExprKind::TargetGet => "target()".to_string(),
    }
}
