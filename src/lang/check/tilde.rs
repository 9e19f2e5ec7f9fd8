//! `~` statements: placement, resolving the distribution to its `_lpdf`/`_lpmf`
//! (built-in or user-defined), and truncation with the CDFs it needs.

use super::super::ast::{Expr, Truncation};
use super::super::diagnostic::Diagnostic;
use super::super::signatures::registry;
use super::super::span::Span;
use super::super::suggest::{did_you_mean, nearest};
use super::super::typed::{Callee, TExpr, TStmt, TStmtKind, TTruncation};
use super::Checker;
use super::calls::has_conditional_suffix;

impl Checker {
    pub(crate) fn tilde(
        &mut self,
        lhs: &Expr,
        dist: &str,
        dist_span: Span,
        args: &[Expr],
        truncation: Option<&Truncation>,
        span: Span,
    ) -> Option<TStmt> {
        if !self.ctx.allows_target() {
            self.error(span, format!("`~` statements are only allowed in the model block and in `_lp` functions, not in {}", self.ctx.place()));
            return None;
        }
        if has_conditional_suffix(dist) {
            let base = super::calls::CONDITIONAL_SUFFIXES
                .iter()
                .find_map(|s| dist.strip_suffix(s))
                .unwrap_or(dist);
            self.error(
                dist_span,
                format!("after `~` write the distribution without its suffix: `~ {base}(…)`"),
            );
            return None;
        }
        if self.refuse_unsupported(dist, dist_span) {
            return None;
        }
        let l = self.expr(lhs);
        let xs: Vec<Option<TExpr>> = args.iter().map(|a| self.expr(a)).collect();
        let l = l?;
        let xs: Vec<TExpr> = xs.into_iter().collect::<Option<_>>()?;
        let reg = registry();
        let Some(density) = ["_lpdf", "_lpmf"]
            .iter()
            .map(|s| format!("{dist}{s}"))
            .find(|n| self.user_sigs.contains(n) || reg.contains(n))
        else {
            let mut known: Vec<String> = reg.distributions().to_vec();
            known.extend(self.user_sigs.names().iter().filter_map(|n| {
                n.strip_suffix("_lpdf")
                    .or_else(|| n.strip_suffix("_lpmf"))
                    .map(str::to_string)
            }));
            let mut d = Diagnostic::error(dist_span, format!("unknown distribution `{dist}`"));
            if let Some(n) = did_you_mean(&nearest(dist, known.iter().map(String::as_str))) {
                d = d.with_note(n);
            }
            self.push(d);
            return None;
        };
        let mut all = vec![l.clone()];
        all.extend(xs.iter().cloned());
        let (callee, _) = self.resolve_call(&density, dist_span, &all)?;
        let truncation = match truncation {
            None => None,
            Some(t) => Some(self.truncation(t, dist, &l, &all)?),
        };
        Some(TStmt {
            kind: TStmtKind::Tilde {
                lhs: l,
                density: callee,
                args: xs,
                truncation,
            },
            span,
        })
    }

    fn truncation(
        &mut self,
        t: &Truncation,
        dist: &str,
        lhs: &TExpr,
        all: &[TExpr],
    ) -> Option<TTruncation> {
        if !lhs.ty.is_scalar() {
            self.error(
                t.span,
                format!(
                    "truncation `T[…]` needs an int or real left-hand side, found {}",
                    lhs.ty
                ),
            );
            return None;
        }
        let bound = |c: &mut Checker, e: &Option<Expr>| -> Option<Option<TExpr>> {
            let Some(e) = e else { return Some(None) };
            let x = c.expr(e)?;
            if !x.ty.is_scalar() {
                c.error(
                    x.span,
                    format!("a truncation bound must be int or real, found {}", x.ty),
                );
                return None;
            }
            Some(Some(x))
        };
        let lower = bound(self, &t.lower)?;
        let upper = bound(self, &t.upper)?;
        let cdf = |c: &mut Checker, suffix: &str, needed: bool| -> Option<Option<Callee>> {
            if !needed {
                return Some(None);
            }
            let name = format!("{dist}_{suffix}");
            if !c.user_sigs.contains(&name) && !registry().contains(&name) {
                c.error(
                    t.span,
                    format!("truncating `{dist}` needs `{name}`, which is not available"),
                );
                return None;
            }
            c.resolve_call(&name, t.span, all)
                .map(|(callee, _)| Some(callee))
        };
        let lcdf = cdf(self, "lcdf", upper.is_some())?;
        let lccdf = cdf(self, "lccdf", lower.is_some())?;
        Some(TTruncation {
            lower,
            upper,
            lcdf,
            lccdf,
        })
    }
}
