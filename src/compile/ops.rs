//! Applying one tape operation to evaluator values: when every input is a constant the
//! operation runs now on a throw-away builder (constant folding, so data code costs
//! nothing per evaluation and its results stay readable, e.g. as indices); otherwise it
//! is recorded on the model's tape. This is what lets one evaluator serve both the traced
//! log density and the purely numeric blocks (transformed data, generated quantities).

use super::values::{Data, Elem, Val, dims_for, sub_slot};
use crate::ad::{BuildError, Slot, TapeBuilder};
use crate::lang::ast::BaseType;
use crate::lang::types::Type;

/// The tape being recorded, if any (`None`: every value must be a constant).
#[derive(Clone, Copy)]
pub struct Ops<'b> {
    pub b: Option<&'b TapeBuilder>,
}

/// The shape a tape result of `ty` implies (arrays must be given explicitly).
fn shape_of(ty: Type, s: Slot) -> Vec<usize> {
    match (ty.dims, ty.base) {
        (0, BaseType::Int | BaseType::Real) => vec![],
        (0, BaseType::Vector | BaseType::RowVector) => vec![s.len()],
        (0, BaseType::Matrix) => vec![s.rows as usize, s.cols as usize],
        _ => vec![s.len()],
    }
}

fn build_err(e: BuildError) -> String {
    e.to_string()
}

/// Puts a value on `b` as one slot shaped as a tape op expects it.
pub fn materialize(b: &TapeBuilder, v: &Val) -> Result<Slot, String> {
    let (r, c) = v.tape_dims();
    match &v.data {
        Data::Scalar(x) => b.constant(&[*x], r, c).map_err(build_err),
        Data::Const(x) => b.constant(x, r, c).map_err(build_err),
        Data::Slot(s) => Ok(sub_slot(*s, 0, r, c)),
        Data::Elems(e) => {
            let mut parts: Vec<Slot> = Vec::new();
            let mut consts: Vec<f64> = Vec::new();
            let mut run: Option<Slot> = None;
            for x in e {
                match *x {
                    Elem::C(c) => {
                        if let Some(s) = run.take() {
                            parts.push(s);
                        }
                        consts.push(c);
                    }
                    Elem::S(s) => {
                        if !consts.is_empty() {
                            parts.push(b.constant(&consts, consts.len(), 1).map_err(build_err)?);
                            consts.clear();
                        }
                        run = match run {
                            Some(r) if r.active == s.active && r.start + r.rows == s.start => {
                                Some(Slot {
                                    rows: r.rows + 1,
                                    ..r
                                })
                            }
                            Some(r) => {
                                parts.push(r);
                                Some(s)
                            }
                            None => Some(s),
                        };
                    }
                }
            }
            if let Some(s) = run {
                parts.push(s);
            }
            if !consts.is_empty() {
                parts.push(b.constant(&consts, consts.len(), 1).map_err(build_err)?);
            }
            if parts.len() == 1 {
                return Ok(sub_slot(parts[0], 0, r, c));
            }
            b.concat(&parts, r, c).map_err(build_err)
        }
    }
}

impl<'b> Ops<'b> {
    /// Runs `f` on the inputs' slots. `shape` is required for array results.
    pub fn apply(
        &self,
        inputs: &[&Val],
        ty: Type,
        shape: Option<Vec<usize>>,
        f: impl FnOnce(&TapeBuilder, &[Slot]) -> Result<Slot, BuildError>,
    ) -> Result<Val, String> {
        if inputs.iter().all(|v| v.as_const().is_some()) {
            let eb = TapeBuilder::new(0);
            let slots = inputs
                .iter()
                .map(|v| materialize(&eb, v))
                .collect::<Result<Vec<_>, _>>()?;
            let out = f(&eb, &slots).map_err(build_err)?;
            let shape = shape.unwrap_or_else(|| shape_of(ty, out));
            let dummy = eb.scalar(0.0);
            let tape = eb.finish(dummy).map_err(build_err)?;
            let values = tape.init[out.range()].to_vec();
            return Ok(Val::constant(ty, shape, values));
        }
        let b = self.b.ok_or_else(|| {
            "internal error: a parameter-dependent value reached constant evaluation".to_string()
        })?;
        let slots = inputs
            .iter()
            .map(|v| materialize(b, v))
            .collect::<Result<Vec<_>, _>>()?;
        let out = f(b, &slots).map_err(build_err)?;
        let shape = shape.unwrap_or_else(|| shape_of(ty, out));
        let (r, c) = dims_for(ty, &shape);
        if r * c != out.len() {
            return Err(format!(
                "internal error: result of {} elements where {r}x{c} was expected",
                out.len()
            ));
        }
        Ok(Val::slot(ty, shape, sub_slot(out, 0, r, c)))
    }
}
