//! Batching scalar `~` statements: inside loops over data, `y[n] ~ dist(a[n], b)` with
//! scalar arguments would become one kernel op per iteration. While tracing, such
//! statements are collected per (distribution, which arguments depend on the parameters)
//! and emitted as one vectorised kernel op when the target is summed, so a loop costs as
//! little as the vectorised statement. The terms kept under `propto` are the same as
//! unbatched, since a batch only mixes calls whose varying arguments coincide.

use super::density::{self, DistFn, DistKernel};
use super::eval::{Eval, R};
use super::values::{Data, Elem, Val};
use crate::dist::descriptor::{DensityFn, ElementFn};
use crate::lang::Span;
use crate::lang::ast::BaseType;
use crate::lang::types::Type;
use std::sync::Arc;

/// Scalar density calls waiting to be emitted as one op.
pub struct Batch {
    name: String,
    f: DensityFn,
    /// The family's rule for one element (used when the batch holds one call).
    element: ElementFn,
    propto: bool,
    /// Per real argument: whether it depends on the parameters (part of the batch key).
    active: Vec<bool>,
    reals: Vec<Vec<Elem>>,
    ints: Vec<Vec<i64>>,
}

impl Eval<'_, '_, '_> {
    /// Adds a scalar univariate density call to its batch; `false` when the call does not
    /// qualify (no tape, a container argument, or no parameter-dependent argument).
    pub fn batch_density(
        &mut self,
        name: &str,
        (f, element): (DensityFn, ElementFn),
        propto: bool,
        ints: &[i64],
        reals: &[&Val],
    ) -> bool {
        if self.ops.b.is_none() || reals.iter().any(|v| !v.ty.is_scalar()) {
            return false;
        }
        let active: Vec<bool> = reals.iter().map(|v| v.as_const().is_none()).collect();
        if !active.iter().any(|&a| a) {
            return false;
        }
        let pos = self.batches.iter().position(|b| {
            b.name == name && b.propto == propto && b.active == active && b.ints.len() == ints.len()
        });
        let pos = match pos {
            Some(p) => p,
            None => {
                self.batches.push(Batch {
                    name: name.to_string(),
                    f,
                    element,
                    propto,
                    active,
                    reals: vec![Vec::new(); reals.len()],
                    ints: vec![Vec::new(); ints.len()],
                });
                self.batches.len() - 1
            }
        };
        let b = &mut self.batches[pos];
        for (col, v) in b.reals.iter_mut().zip(reals) {
            col.push(v.elem(0));
        }
        for (col, &i) in b.ints.iter_mut().zip(ints) {
            col.push(i);
        }
        true
    }

    /// Emits every pending batch as one kernel op each, adding them to the target.
    pub fn flush_batches(&mut self, span: Span) -> R<()> {
        for b in std::mem::take(&mut self.batches) {
            let n = b.reals.first().map_or(0, Vec::len);
            let vals: Vec<Val> = b
                .reals
                .into_iter()
                .map(|col| {
                    Val {
                        ty: Type::array(BaseType::Real, 1),
                        shape: vec![n],
                        data: Data::Elems(col),
                    }
                    .normalized()
                })
                .collect();
            let kernel = Arc::new(DistKernel {
                name: b.name,
                f: DistFn::Density(b.f, b.propto),
                ints: b.ints.into_iter().map(|v| (v, false)).collect(),
                scalar: vec![false; vals.len()],
                rows: vec![0; vals.len()],
                element: Some(b.element),
            });
            let refs: Vec<&Val> = vals.iter().collect();
            let lp = self
                .ops
                .apply(&refs, Type::REAL, None, |bb, s| {
                    density::lower(bb, kernel, s)
                })
                .map_err(|m| self.op_err(span, m))?;
            self.target.push(lp);
        }
        Ok(())
    }
}
