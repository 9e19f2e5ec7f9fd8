//! `y ~ dist(...)` statements: the density with constant terms dropped (Stan's `~`), and
//! truncation `T[L, U]`, which subtracts the log probability of the truncation interval
//! and makes an outcome outside it impossible.

use super::eval::{Eval, R};
use super::values::Val;
use crate::lang::Span;
use crate::lang::signatures::registry;
use crate::lang::typed::{Callee, TExpr, TTruncation};
use crate::lang::types::Type;
use crate::math::elementwise::Binary;

impl Eval<'_, '_, '_> {
    pub fn tilde(
        &mut self,
        lhs: &TExpr,
        density: Callee,
        args: &[TExpr],
        truncation: Option<&TTruncation>,
        span: Span,
    ) -> R<()> {
        let mut vals = vec![self.expr(lhs)?];
        for a in args {
            vals.push(self.expr(a)?);
        }
        let lp = match density {
            Callee::Builtin(sig) => {
                let dist = registry().get(sig).distribution.clone().unwrap_or_default();
                self.density(&dist, &vals, true, true, span)?
            }
            Callee::User(_) => {
                let mut all = vec![lhs.clone()];
                all.extend(args.iter().cloned());
                self.call(density, &all, Type::REAL, span)?
            }
        };
        self.target.push(lp);
        if let Some(t) = truncation {
            self.truncate(t, &vals, span)?;
        }
        Ok(())
    }

    fn cdf_at(&mut self, f: Callee, bound: &Val, vals: &[Val], span: Span) -> R<Val> {
        let mut a = vals.to_vec();
        a[0] = bound.clone();
        let Callee::Builtin(sig) = f else {
            return self.fatal(span, "truncation with a user-defined CDF is not supported");
        };
        let sig = registry().get(sig);
        let dist = sig.distribution.clone().unwrap_or_default();
        let which = if sig.name.ends_with("_lccdf") { 2 } else { 1 };
        self.cdf(&dist, which, &a, span)
    }

    fn truncate(&mut self, t: &TTruncation, vals: &[Val], span: Span) -> R<()> {
        if !vals[0].ty.is_scalar() {
            return self.fatal(span, "truncation needs a scalar outcome");
        }
        let lo = t.lower.as_ref().map(|e| self.expr(e)).transpose()?;
        let hi = t.upper.as_ref().map(|e| self.expr(e)).transpose()?;
        // An outcome outside [L, U] has probability zero.
        let y = vals[0].as_const().map(|v| v[0]);
        if let Some(y) = y {
            let below = lo
                .as_ref()
                .and_then(|l| l.as_const())
                .is_some_and(|l| y < l[0]);
            let above = hi
                .as_ref()
                .and_then(|h| h.as_const())
                .is_some_and(|h| y > h[0]);
            if below || above {
                self.target.push(Val::real(f64::NEG_INFINITY));
                return Ok(());
            }
        }
        let log_mass = match (&lo, &hi) {
            (Some(l), Some(h)) => {
                let Some(lcdf) = t.lcdf else {
                    return self.fatal(span, "truncation needs the distribution's lcdf");
                };
                let fh = self.cdf_at(lcdf, h, vals, span)?;
                let fl = self.cdf_at(lcdf, l, vals, span)?;
                self.elementwise(Binary::LogDiffExp, &fh, &fl, Type::REAL, span)?
            }
            (Some(l), None) => {
                let Some(lccdf) = t.lccdf else {
                    return self.fatal(span, "truncation needs the distribution's lccdf");
                };
                self.cdf_at(lccdf, l, vals, span)?
            }
            (None, Some(h)) => {
                let Some(lcdf) = t.lcdf else {
                    return self.fatal(span, "truncation needs the distribution's lcdf");
                };
                self.cdf_at(lcdf, h, vals, span)?
            }
            (None, None) => return Ok(()),
        };
        let neg = self.unary(
            crate::math::elementwise::Unary::Neg,
            &log_mass,
            Type::REAL,
            span,
        )?;
        self.target.push(neg);
        Ok(())
    }
}
