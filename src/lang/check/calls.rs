//! Typing of function and distribution calls: suffix rules (`_rng`, `_lp`, `_lupdf`,
//! the `|` form), resolution against user functions and the built-in table, and the
//! messages for unknown names and mismatched arguments.

use super::super::ast::{Expr, Ident};
use super::super::diagnostic::Diagnostic;
use super::super::signatures::{Resolution, UNSUPPORTED_FUNCTIONS, registry};
use super::super::span::Span;
use super::super::suggest::{did_you_mean, nearest};
use super::super::typed::{Callee, TExpr, TExprKind};
use super::super::types::Type;
use super::Checker;
use super::functions::UserResolution;

/// Suffixes of functions called as `f(variate | parameters…)`.
pub(crate) const CONDITIONAL_SUFFIXES: &[&str] = &[
    "_lpdf", "_lupdf", "_lpmf", "_lupmf", "_cdf", "_lcdf", "_lccdf",
];

pub(crate) fn has_conditional_suffix(name: &str) -> bool {
    CONDITIONAL_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// `(real, int)`, or `(real | int)` for densities and CDFs.
fn type_list(name: &str, args: &[TExpr]) -> String {
    let types: Vec<String> = args.iter().map(|a| a.ty.to_string()).collect();
    match types.split_first() {
        Some((first, rest)) if has_conditional_suffix(name) => {
            format!("({first} | {})", rest.join(", ")).replace(" | )", " |)")
        }
        _ => format!("({})", types.join(", ")),
    }
}

impl Checker {
    /// Refuses functions outside hazel's subset; true when `name` is one of them.
    pub(crate) fn refuse_unsupported(&mut self, name: &str, span: Span) -> bool {
        if let Some((_, what)) = UNSUPPORTED_FUNCTIONS.iter().find(|(n, _)| *n == name) {
            self.error(
                span,
                format!("{what} (`{name}`) are not supported by hazel"),
            );
            return true;
        }
        false
    }

    /// Block rules that depend on the callee's suffix. True when the call is allowed.
    pub(crate) fn check_call_context(&mut self, name: &str, span: Span) -> bool {
        let (ok, what) = if name.ends_with("_rng") {
            (
                self.ctx.allows_rng(),
                "`_rng` functions can only be used in transformed data, generated quantities and `_rng` functions",
            )
        } else if name.ends_with("_lp") {
            (
                self.ctx.allows_lp(),
                "`_lp` functions can only be used in the transformed parameters and model blocks and in other `_lp` functions",
            )
        } else if name.ends_with("_lupdf") || name.ends_with("_lupmf") {
            (
                self.ctx.allows_unnormalized(),
                "unnormalized densities (`_lupdf`/`_lupmf`) can only be used in the model block and in density functions",
            )
        } else {
            (true, "")
        };
        if !ok {
            self.error(
                span,
                format!("{what}; `{name}` is used in {}", self.ctx.place()),
            );
        }
        ok
    }

    pub(crate) fn call_expr(
        &mut self,
        name: &Ident,
        args: &[Expr],
        conditional: bool,
        span: Span,
    ) -> Option<TExpr> {
        if self.refuse_unsupported(&name.name, name.span) {
            return None;
        }
        let checked: Vec<Option<TExpr>> = args.iter().map(|a| self.expr(a)).collect();
        let args: Vec<TExpr> = checked.into_iter().collect::<Option<_>>()?;
        let suffixed = has_conditional_suffix(&name.name);
        if conditional && !suffixed {
            self.error(span, format!("`|` only follows the first argument of `_lpdf`, `_lpmf` and CDF functions, and `{}` is not one", name.name));
            return None;
        }
        if suffixed && !conditional && args.len() >= 2 {
            self.error(
                span,
                format!(
                    "write `{}(y | …)`: the first argument is separated from the others by `|`",
                    name.name
                ),
            );
            return None;
        }
        if !self.check_call_context(&name.name, name.span) {
            return None;
        }
        let (callee, ret) = self.resolve_call(&name.name, name.span, &args)?;
        let Some(ty) = ret else {
            self.error(
                span,
                format!(
                    "`{}` returns nothing (void) and cannot be used as a value",
                    name.name
                ),
            );
            return None;
        };
        let data_only = args.iter().all(|a| a.data_only) && !name.name.ends_with("_rng");
        Some(TExpr {
            kind: TExprKind::Call { callee, args },
            ty,
            data_only,
            span,
        })
    }

    /// Resolves `name(args)` to a user function or a built-in overload, reporting unknown
    /// names (with suggestions) and mismatches (with the closest signatures).
    pub(crate) fn resolve_call(
        &mut self,
        name: &str,
        span: Span,
        args: &[TExpr],
    ) -> Option<(Callee, Option<Type>)> {
        let types: Vec<Type> = args.iter().map(|a| a.ty).collect();
        // `foo_lupdf` / `foo_lupmf` call a user-defined `foo_lpdf` / `foo_lpmf`.
        let user_name = match (name.strip_suffix("_lupdf"), name.strip_suffix("_lupmf")) {
            (Some(base), _) if self.user_sigs.contains(&format!("{base}_lpdf")) => {
                format!("{base}_lpdf")
            }
            (_, Some(base)) if self.user_sigs.contains(&format!("{base}_lpmf")) => {
                format!("{base}_lpmf")
            }
            _ => name.to_string(),
        };
        match self.user_sigs.resolve(&user_name, &types) {
            UserResolution::Found(sig) => {
                for ((a, data), i) in args.iter().zip(&sig.data_only).zip(1..) {
                    if *data && !a.data_only {
                        self.error(a.span, format!("argument {i} of `{name}` is declared `data`, but this expression depends on parameters"));
                        return None;
                    }
                }
                return Some((Callee::User(sig.id), sig.ret));
            }
            UserResolution::NoMatch(candidates) => {
                let mut d = Diagnostic::error(
                    span,
                    format!(
                        "no definition of `{name}` accepts {}",
                        type_list(name, args)
                    ),
                );
                for c in candidates {
                    d = d.with_note(format!("candidate: {c}"));
                }
                self.push(d);
                return None;
            }
            UserResolution::Unknown => {}
        }
        let reg = registry();
        match reg.resolve(name, &types) {
            Resolution::Found(id, ret) => Some((Callee::Builtin(id), ret)),
            Resolution::NoMatch(ids) => {
                let mut d = Diagnostic::error(
                    span,
                    format!("no signature of `{name}` accepts {}", type_list(name, args)),
                );
                for id in ids {
                    d = d.with_note(format!("candidate: {}", reg.get(id).display()));
                }
                self.push(d);
                None
            }
            Resolution::UnknownName => {
                let mut d = Diagnostic::error(span, format!("unknown function `{name}`"));
                let user = self.user_sigs.names();
                if let Some(note) = did_you_mean(&nearest(
                    name,
                    reg.names().chain(user.iter().map(String::as_str)),
                )) {
                    d = d.with_note(note);
                }
                self.push(d);
                None
            }
        }
    }
}
