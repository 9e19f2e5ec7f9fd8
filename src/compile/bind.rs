//! Binding data: every `data` declaration checked against the supplied [`DataSet`] —
//! present, the declared number of dimensions and sizes (sizes evaluated from earlier
//! data), integers where `int` is declared, and the declared constraint — then stored in
//! the evaluator's layout. Also the numeric check of any block variable's constraint.

use super::check::{Check, Subject, check_values};
use super::error::CompileError;
use super::eval::{Eval, R};
use super::params::Con;
use super::values::Val;
use crate::io::stan_json::{DataSet, DataValue};
use crate::lang::ast::BaseType;
use crate::lang::typed::{TStmtKind, VarId};
use crate::lang::types::Type;
use crate::model::EvalError;

/// Converts JSON row-major values (matrices as arrays of rows) to the evaluator layout
/// (matrix bases column-major).
pub fn json_to_layout(ty: Type, shape: &[usize], values: &[f64]) -> Vec<f64> {
    if ty.base != BaseType::Matrix || shape.len() < 2 {
        return values.to_vec();
    }
    let (r, c) = (shape[shape.len() - 2], shape[shape.len() - 1]);
    let mut out = vec![0.0; values.len()];
    for (src, dst) in values.chunks(r * c).zip(out.chunks_mut(r * c)) {
        for i in 0..r {
            for j in 0..c {
                dst[i + j * r] = src[i * c + j];
            }
        }
    }
    out
}

fn describe(shape: &[usize]) -> String {
    if shape.is_empty() {
        "a scalar".to_string()
    } else {
        format!(
            "sizes [{}]",
            shape
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Checks one supplied value against a declaration of `ty` and `shape`; returns it in
/// evaluator layout.
pub fn conform_data(
    _name: &str,
    ty: Type,
    shape: &[usize],
    v: &DataValue,
) -> Result<Vec<f64>, String> {
    let n: usize = shape.iter().product();
    let empty_ok = n == 0 && v.values.is_empty();
    if v.dims != shape && !empty_ok {
        let what = if v.dims.len() != shape.len() {
            format!(
                "expected {} dimension(s) ({}) but the data has {} ({})",
                shape.len(),
                describe(shape),
                v.dims.len(),
                describe(&v.dims)
            )
        } else {
            format!(
                "expected {} but the data has {}",
                describe(shape),
                describe(&v.dims)
            )
        };
        return Err(format!("{what} (from {})", v.source));
    }
    if ty.is_int_based() && !v.all_int {
        let bad = v
            .values
            .iter()
            .position(|x| x.fract() != 0.0 || !x.is_finite());
        let at = bad.map_or(String::new(), |i| {
            format!(": element {} is {}", i + 1, v.values[i])
        });
        return Err(format!("declared int but the data holds real values{at}"));
    }
    Ok(json_to_layout(ty, shape, &v.values))
}

impl Eval<'_, '_, '_> {
    /// Turns an evaluated constraint into a numeric check for a value of `shape`.
    pub fn check_of(&self, con: &Con, shape: &[usize]) -> Option<Check> {
        let num = |b: &Option<Val>| b.as_ref().and_then(|v| v.as_const().map(<[f64]>::to_vec));
        let last = *shape.last().unwrap_or(&1);
        Some(match con {
            Con::None | Con::Affine(..) => return None,
            Con::Bounds(None, None) => return None,
            Con::Bounds(l, u) => Check::Bounds {
                lower: num(l),
                upper: num(u),
            },
            Con::Simplex => Check::Simplex(last),
            Con::Ordered => Check::Ordered(last),
            Con::PositiveOrdered => Check::PositiveOrdered(last),
            Con::UnitVector => Check::UnitVector(last),
            Con::CovMatrix => Check::SpdMatrix(last, false),
            Con::CorrMatrix => Check::SpdMatrix(last, true),
            Con::CholeskyCov => Check::Cholesky(shape[shape.len() - 2], last, false),
            Con::CholeskyCorr => Check::Cholesky(shape[shape.len() - 2], last, true),
        })
    }

    /// Checks the current value of block variable `id` against its declared constraint.
    pub fn check_var(&mut self, id: VarId) -> R<()> {
        let con = self.constraint(id)?;
        let v = self.get(id, self.prog.var(id).span)?.clone();
        let Some(check) = self.check_of(&con, &v.shape) else {
            return Ok(());
        };
        let subject = Subject {
            name: self.prog.var(id).name.clone(),
            ty: v.ty,
            shape: v.shape.clone(),
        };
        match v.as_const() {
            Some(x) => check_values(&subject, &check, x).map_err(EvalError::Recoverable),
            None => {
                // traced: a check op that fails at evaluation time
                let mut inputs = vec![v.clone()];
                if let Con::Bounds(l, u) = &con
                    && (l.as_ref().is_some_and(|b| b.as_const().is_none())
                        || u.as_ref().is_some_and(|b| b.as_const().is_none()))
                {
                    inputs.extend(l.iter().cloned());
                    inputs.extend(u.iter().cloned());
                }
                let kernel = std::sync::Arc::new(super::check::CheckKernel { subject, check });
                let refs: Vec<&Val> = inputs.iter().collect();
                let span = self.prog.var(id).span;
                let out = self
                    .ops
                    .apply(&refs, Type::REAL, None, |b, s| b.scalar_kernel(kernel, s))
                    .map_err(|m| self.op_err(span, m))?;
                self.target.push(out);
                Ok(())
            }
        }
    }

    /// Binds every `data` declaration from `data`.
    pub fn bind_data(&mut self, data: &DataSet) -> Result<(), CompileError> {
        for s in &self.prog.data {
            let TStmtKind::Decl { var, .. } = &s.kind else {
                continue;
            };
            let v = self.prog.var(*var);
            let name = v.name.clone();
            let ty = v.ty;
            let err = |message: String| CompileError::Data {
                name: name.clone(),
                message,
            };
            let shape = self
                .decl_shape(*var, s.span)
                .map_err(|e| err(e.to_string()))?;
            let Some(dv) = data.get(&name) else {
                return Err(err(format!(
                    "missing from the data (declared `{}`)",
                    decl_text(self, *var)
                )));
            };
            let values = conform_data(&name, ty, &shape, dv).map_err(err)?;
            self.env[var.0 as usize] = Some(Val::constant(ty, shape, values));
            self.check_var(*var)
                .map_err(|e| err(format!("{e} (declared `{}`)", decl_text(self, *var))))?;
        }
        Ok(())
    }
}

fn decl_text(ev: &Eval<'_, '_, '_>, id: VarId) -> String {
    ev.prog
        .var(id)
        .decl
        .as_ref()
        .map_or_else(String::new, |d| d.text.clone())
}
