//! Readable text of a typed program (`hazel check --dump typed`): the variable table,
//! then every function and block with fully parenthesised expressions, each call shown
//! with the overload it resolved to, and `~` statements with their density.

use super::signatures::registry;
use super::typed::{Callee, TExpr, TExprKind, TIndex, TPrintable, TStmt, TStmtKind, TypedProgram};
use std::fmt::Write;

const INDENT: &str = "  ";

/// The dump text.
pub fn dump_typed(t: &TypedProgram) -> String {
    let mut out = String::from("variables:\n");
    for v in &t.vars {
        let decl = v
            .decl
            .as_ref()
            .map_or(String::new(), |d| format!(" `{}`", d.text));
        let _ = writeln!(
            out,
            "{INDENT}#{} {}: {} {:?}{decl}",
            v.id.0, v.name, v.ty, v.origin
        );
    }
    let d = Dumper { t };
    for f in &t.functions {
        let params: Vec<String> = f.params.iter().map(|p| d.var(*p)).collect();
        let ret = f.ret.map_or("void".to_string(), |r| r.to_string());
        let _ = writeln!(out, "function {ret} {}({}):", f.name, params.join(", "));
        d.stmt(&mut out, &f.body, 1);
    }
    for (name, stmts) in [
        ("data", &t.data),
        ("transformed data", &t.transformed_data),
        ("parameters", &t.parameters),
        ("transformed parameters", &t.transformed_parameters),
        ("model", &t.model),
        ("generated quantities", &t.generated_quantities),
    ] {
        if !stmts.is_empty() {
            let _ = writeln!(out, "{name}:");
            for s in stmts {
                d.stmt(&mut out, s, 1);
            }
        }
    }
    out
}

struct Dumper<'a> {
    t: &'a TypedProgram,
}

impl Dumper<'_> {
    fn var(&self, id: super::typed::VarId) -> String {
        format!("{}#{}", self.t.var(id).name, id.0)
    }

    fn callee(&self, c: Callee) -> String {
        match c {
            Callee::Builtin(id) => format!("{{{}}}", registry().get(id).key()),
            Callee::User(id) => format!("{{user {}}}", self.t.function(id).name),
        }
    }

    fn list(&self, es: &[TExpr]) -> String {
        es.iter()
            .map(|e| self.expr(e))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn indices(&self, ix: &[TIndex]) -> String {
        let parts: Vec<String> = ix
            .iter()
            .map(|i| match i {
                TIndex::Single(e) => self.expr(e),
                TIndex::Multi(e) => format!("multi {}", self.expr(e)),
                TIndex::Slice(a, b) => format!(
                    "{}:{}",
                    a.as_ref().map_or(String::new(), |e| self.expr(e)),
                    b.as_ref().map_or(String::new(), |e| self.expr(e))
                ),
                TIndex::All => ":".to_string(),
            })
            .collect();
        format!("[{}]", parts.join(", "))
    }

    fn expr(&self, e: &TExpr) -> String {
        match &e.kind {
            TExprKind::Int(v) => v.to_string(),
            TExprKind::Real(v) => format!("{v:?}"),
            TExprKind::Var(id) => self.var(*id),
            TExprKind::Binary { op, lhs, rhs } => {
                format!("({} {} {})", self.expr(lhs), op.symbol(), self.expr(rhs))
            }
            TExprKind::Unary { op, operand } => format!("({}{})", op.symbol(), self.expr(operand)),
            TExprKind::Transpose(x) => format!("{}'", self.expr(x)),
            TExprKind::Cond {
                cond,
                then,
                otherwise,
            } => {
                format!(
                    "({} ? {} : {})",
                    self.expr(cond),
                    self.expr(then),
                    self.expr(otherwise)
                )
            }
            TExprKind::Call { callee, args } => {
                format!("{}({})", self.callee(*callee), self.list(args))
            }
            TExprKind::Index { base, indices } => {
                format!("{}{}", self.expr(base), self.indices(indices))
            }
            TExprKind::Array(xs) => format!("{{{}}}", self.list(xs)),
            TExprKind::RowVector(xs) => format!("[{}]", self.list(xs)),
            TExprKind::TargetGet => "target()".to_string(),
        }
    }

    fn printables(&self, ps: &[TPrintable]) -> String {
        ps.iter()
            .map(|p| match p {
                TPrintable::Str(s) => format!("\"{s}\""),
                TPrintable::Expr(e) => self.expr(e),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn stmt(&self, out: &mut String, s: &TStmt, depth: usize) {
        let pad = INDENT.repeat(depth);
        let line = match &s.kind {
            TStmtKind::Decl { var, init } => {
                let v = self.t.var(*var);
                let text = v
                    .decl
                    .as_ref()
                    .map_or_else(|| v.ty.to_string(), |d| d.text.clone());
                match init {
                    Some(e) => format!(
                        "decl {text} {} = {} : {}",
                        self.var(*var),
                        self.expr(e),
                        e.ty
                    ),
                    None => format!("decl {text} {}", self.var(*var)),
                }
            }
            TStmtKind::Assign {
                var,
                indices,
                op,
                rhs,
            } => {
                let ix: String = indices.iter().map(|g| self.indices(g)).collect();
                format!(
                    "{}{ix} {} {} : {}",
                    self.var(*var),
                    op.symbol(),
                    self.expr(rhs),
                    rhs.ty
                )
            }
            TStmtKind::Tilde {
                lhs,
                density,
                args,
                truncation,
            } => {
                let t = truncation.as_ref().map_or(String::new(), |t| {
                    format!(
                        " T[{}, {}] lcdf {} lccdf {}",
                        t.lower.as_ref().map_or(String::new(), |e| self.expr(e)),
                        t.upper.as_ref().map_or(String::new(), |e| self.expr(e)),
                        t.lcdf.map_or("-".to_string(), |c| self.callee(c)),
                        t.lccdf.map_or("-".to_string(), |c| self.callee(c)),
                    )
                });
                format!(
                    "{} ~ {}({}){t}",
                    self.expr(lhs),
                    self.callee(*density),
                    self.list(args)
                )
            }
            TStmtKind::TargetPlus(e) => format!("target += {} : {}", self.expr(e), e.ty),
            TStmtKind::For { var, lo, hi, body } => {
                let _ = writeln!(
                    out,
                    "{pad}for {} in {}:{}",
                    self.var(*var),
                    self.expr(lo),
                    self.expr(hi)
                );
                return self.stmt(out, body, depth + 1);
            }
            TStmtKind::ForEach {
                var,
                container,
                body,
            } => {
                let _ = writeln!(
                    out,
                    "{pad}for {} in {}",
                    self.var(*var),
                    self.expr(container)
                );
                return self.stmt(out, body, depth + 1);
            }
            TStmtKind::While { cond, body } => {
                let _ = writeln!(out, "{pad}while {}", self.expr(cond));
                return self.stmt(out, body, depth + 1);
            }
            TStmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                let _ = writeln!(out, "{pad}if {}", self.expr(cond));
                self.stmt(out, then, depth + 1);
                if let Some(o) = otherwise {
                    let _ = writeln!(out, "{pad}else");
                    self.stmt(out, o, depth + 1);
                }
                return;
            }
            TStmtKind::Block(ss) => {
                let _ = writeln!(out, "{pad}{{");
                for x in ss {
                    self.stmt(out, x, depth + 1);
                }
                let _ = writeln!(out, "{pad}}}");
                return;
            }
            TStmtKind::Break => "break".to_string(),
            TStmtKind::Continue => "continue".to_string(),
            TStmtKind::Return(e) => format!(
                "return {}",
                e.as_ref().map_or(String::new(), |e| self.expr(e))
            ),
            TStmtKind::Print(ps) => format!("print({})", self.printables(ps)),
            TStmtKind::Reject(ps) => format!("reject({})", self.printables(ps)),
            TStmtKind::FatalError(ps) => format!("fatal_error({})", self.printables(ps)),
            TStmtKind::Call { callee, args } => {
                format!("{}({})", self.callee(*callee), self.list(args))
            }
        };
        let _ = writeln!(out, "{pad}{line}");
    }
}
