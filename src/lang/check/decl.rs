//! Declarations: sizes (int, and data-only outside the data blocks), constraints (only
//! on block variables, of the right kind for the type), initial values, and the
//! no-redeclaration rule.

use super::super::ast::{BlockKind, Bounds, Expr, Ident, SizedBase, TypeDecl};
use super::super::pretty;
use super::super::span::Span;
use super::super::typed::{Constraint, Origin, TDecl, TExpr, TStmt, TStmtKind};
use super::super::types::{BaseType, Type};
use super::Checker;

impl Checker {
    /// A size expression: int, and data-only when `need_data`.
    fn size(&mut self, e: &Expr, need_data: bool) -> Option<TExpr> {
        let x = self.expr(e)?;
        if !x.ty.is_int() {
            self.error(x.span, format!("a size must be int, found {}", x.ty));
            return None;
        }
        if need_data && !x.data_only {
            self.error(
                x.span,
                "sizes of block variables must depend only on data and transformed data",
            );
            return None;
        }
        Some(x)
    }

    fn bound(&mut self, e: &Option<Expr>, elem: Type) -> Option<Option<TExpr>> {
        let Some(e) = e else { return Some(None) };
        let x = self.expr(e)?;
        if !(x.ty.is_scalar() || elem.promoted() == x.ty.promoted()) {
            self.error(
                x.span,
                format!(
                    "a bound must be int, real or a {} like the variable, found {}",
                    elem, x.ty
                ),
            );
            return None;
        }
        Some(Some(x))
    }

    fn constraint(&mut self, b: &Bounds, elem: Type) -> Option<Constraint> {
        if b.offset.is_some() || b.multiplier.is_some() {
            let offset = self.bound(&b.offset, elem);
            let multiplier = self.bound(&b.multiplier, elem);
            return Some(Constraint::Affine {
                offset: offset?,
                multiplier: multiplier?,
            });
        }
        if b.lower.is_some() || b.upper.is_some() {
            let lower = self.bound(&b.lower, elem);
            let upper = self.bound(&b.upper, elem);
            return Some(Constraint::Bounds {
                lower: lower?,
                upper: upper?,
            });
        }
        Some(Constraint::None)
    }

    /// Checks `ty name = init;` and declares `name` with `origin`.
    pub(crate) fn declaration(
        &mut self,
        ty: &TypeDecl,
        name: &Ident,
        init: Option<&Expr>,
        origin: Origin,
        span: Span,
    ) -> Option<TStmt> {
        if self.scopes.lookup(&name.name).is_some() {
            let what = &name.name;
            self.error(name.span, format!("`{what}` is already declared; Stan does not allow re-declaring or shadowing a visible variable"));
            return None;
        }
        let block_var = matches!(origin, Origin::Block(_));
        let need_data = matches!(origin, Origin::Block(b) if b >= BlockKind::Parameters);
        let mut ok = true;
        let mut dims = Vec::new();
        for d in &ty.array_dims {
            match self.size(d, need_data) {
                Some(x) => dims.push(x),
                None => ok = false,
            }
        }
        let mut sized = |c: &mut Checker, es: &[&Expr]| -> Vec<TExpr> {
            es.iter()
                .filter_map(|e| {
                    let x = c.size(e, need_data);
                    ok &= x.is_some();
                    x
                })
                .collect()
        };
        let (base, sizes, special) = match &ty.base {
            SizedBase::Int => (BaseType::Int, vec![], None),
            SizedBase::Real => (BaseType::Real, vec![], None),
            SizedBase::Vector(n) => (BaseType::Vector, sized(self, &[n]), None),
            SizedBase::RowVector(n) => (BaseType::RowVector, sized(self, &[n]), None),
            SizedBase::Matrix(r, c) => (BaseType::Matrix, sized(self, &[r, c]), None),
            SizedBase::Simplex(n) => (
                BaseType::Vector,
                sized(self, &[n]),
                Some(Constraint::Simplex),
            ),
            SizedBase::UnitVector(n) => (
                BaseType::Vector,
                sized(self, &[n]),
                Some(Constraint::UnitVector),
            ),
            SizedBase::Ordered(n) => (
                BaseType::Vector,
                sized(self, &[n]),
                Some(Constraint::Ordered),
            ),
            SizedBase::PositiveOrdered(n) => (
                BaseType::Vector,
                sized(self, &[n]),
                Some(Constraint::PositiveOrdered),
            ),
            SizedBase::CholeskyFactorCorr(n) => (
                BaseType::Matrix,
                sized(self, &[n, n]),
                Some(Constraint::CholeskyFactorCorr),
            ),
            SizedBase::CholeskyFactorCov(r, c) => {
                let c = c.as_ref().unwrap_or(r);
                (
                    BaseType::Matrix,
                    sized(self, &[r, c]),
                    Some(Constraint::CholeskyFactorCov),
                )
            }
            SizedBase::CorrMatrix(n) => (
                BaseType::Matrix,
                sized(self, &[n, n]),
                Some(Constraint::CorrMatrix),
            ),
            SizedBase::CovMatrix(n) => (
                BaseType::Matrix,
                sized(self, &[n, n]),
                Some(Constraint::CovMatrix),
            ),
        };
        let var_ty = Type::array(base, ty.array_dims.len());
        let elem = Type::scalar(base);
        let constraint = match special {
            Some(c) => Some(c),
            None => self.constraint(&ty.bounds, elem),
        };
        let constraint = constraint?;
        if !block_var && constraint != Constraint::None {
            self.error(ty.span, format!("local variable `{}` cannot have a constraint or a constrained type; constraints belong to block variables", name.name));
            ok = false;
        }
        if base == BaseType::Int
            && matches!(
                origin,
                Origin::Block(BlockKind::Parameters | BlockKind::TransformedParameters)
            )
        {
            self.error(ty.span, format!("`{}` cannot be an integer: parameters and transformed parameters are real-valued", name.name));
            ok = false;
        }
        let init = match init {
            None => None,
            Some(e) => {
                if let Origin::Block(b @ (BlockKind::Data | BlockKind::Parameters)) = origin {
                    self.error(
                        e.span,
                        format!(
                            "variables in the `{}` block cannot be given a value",
                            b.keyword()
                        ),
                    );
                    ok = false;
                }
                let x = self.expr(e);
                match &x {
                    Some(x) if !var_ty.accepts(x.ty) => {
                        let msg = format!(
                            "`{}` is declared {var_ty} but is initialised with {}",
                            name.name, x.ty
                        );
                        self.error(x.span, msg);
                        ok = false;
                    }
                    Some(_) => {}
                    // Still declare the variable below, so later uses do not cascade.
                    None => ok = false,
                }
                x
            }
        };
        let decl = TDecl {
            array_dims: dims,
            sizes,
            constraint,
            text: pretty::type_decl(ty),
        };
        let var = self.new_var(&name.name, origin, var_ty, Some(decl), name.span);
        ok.then_some(TStmt {
            kind: TStmtKind::Decl { var, init },
            span,
        })
    }
}
