//! From typed program to log density: binding data, lowering to a tape, running generated quantities.
//!
//! [`compile`] binds a [`TypedProgram`] to its data (checking every declaration), runs
//! transformed data once, and traces parameters → constraining transforms (with their
//! log |Jacobian|) → transformed parameters (with constraint-check ops) → model block
//! into one [`Tape`] through a single evaluator over the typed AST. The result,
//! [`CompiledModel`], is a [`Model`]: gradients replay the tape in per-thread scratch
//! (no lock, no allocation per evaluation), and [`Model::write_output`] runs the same
//! evaluator numerically for transformed parameters and generated quantities.
//!
//! Scheme for control flow: conditions, loop bounds and indices are evaluated while
//! tracing. Those that depend on data only are resolved then (loops unroll) and the model
//! is *static*: one tape, replayed for every evaluation. When tracing meets a decision
//! that depends on the parameters (an `if`, `while` or `?:` condition, a comparison), the
//! model is *dynamic*: every evaluation first runs the evaluator numerically at the point,
//! recording each decision, then evaluates a tape that replays those decisions — the
//! thread's cached tape when the decisions equal the ones it was traced with, else a
//! freshly traced one (which replaces it). Sound for any branch structure; the numeric
//! pass costs about one evaluation, and re-tracing happens only when a branch flips.
//!
//! `print` in transformed parameters and the model block prints at every evaluation
//! (a tape op, `print_op.rs`); every `print` line goes to the model's [`PrintSink`]
//! (standard error, or a buffer after [`PrintSink::capture`]).

mod batch;
mod bind;
mod calls;
mod check;
mod composite;
mod density;
mod dist_call;
mod dist_numeric;
mod error;
mod eval;
mod expr;
mod format;
mod hmm_call;
mod index;
mod ops;
mod params;
mod print_op;
mod rng_call;
mod rng_dedicated;
mod sort_call;
mod tilde;
mod trace;
mod transform_op;
mod values;

pub use error::CompileError;
pub use eval::Printed;
pub use print_op::PrintSink;

use crate::ad::{Tape, TapeDensity};
use crate::io::stan_json::DataSet;
use crate::lang::ast::BaseType;
use crate::lang::ast::BlockKind;
use crate::lang::typed::{TStmtKind, TypedProgram, VarId};
use crate::lang::types::Type;
use crate::model::{EvalError, LogDensity, Model};
use crate::rng::{ChainRng, aux_rng};
use eval::{DecisionMode, Eval};
use ops::Ops;
use params::Con;
use trace::{NEXT_MODEL_ID, Traced, trace};
use values::{Val, output_order, unflatten};

/// Seed of the transformed-data RNG when none is given (any fixed value; CmdStan's
/// default seed is random, hazel's runs are reproducible by default).
pub const DEFAULT_SEED: u64 = 0;

/// Options of [`compile`].
#[derive(Clone, Debug)]
pub struct CompileOptions {
    /// Seed of the RNG used by `_rng` calls in transformed data (`rng::aux_rng(seed, 0)`).
    pub seed: u64,
    /// The program's source text, for `line, column` locations in messages (optional).
    pub source: String,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            seed: DEFAULT_SEED,
            source: String::new(),
        }
    }
}

/// One parameter's slice of the unconstrained vector.
#[derive(Clone, Debug)]
struct ParamSlot {
    var: VarId,
    offset: usize,
    len: usize,
}

/// A block variable written to the output.
#[derive(Clone, Debug)]
struct OutVar {
    var: VarId,
    shape: Vec<usize>,
    /// Layout position of each output column ([`output_order`]), computed once.
    order: Vec<usize>,
}

/// A program bound to data: a log density over the unconstrained parameters and the
/// map from draws to output columns.
pub struct CompiledModel {
    program: TypedProgram,
    source: String,
    /// Data and transformed data, by variable.
    env: Vec<Option<Val>>,
    params: Vec<ParamSlot>,
    dim: usize,
    outputs: Vec<OutVar>,
    /// Identifies this model in per-thread caches.
    id: u64,
    /// The tape of a static model; `None` for a dynamic one (traced per evaluation).
    density: Option<TapeDensity>,
    /// Where `print` lines go.
    prints: std::sync::Arc<PrintSink>,
}

fn block_decls(
    stmts: &[crate::lang::typed::TStmt],
) -> impl Iterator<Item = (VarId, crate::lang::Span)> + '_ {
    stmts.iter().filter_map(|s| match &s.kind {
        TStmtKind::Decl { var, .. } => Some((*var, s.span)),
        _ => None,
    })
}

const REAL_ARRAY: Type = Type::array(BaseType::Real, 1);

/// Binds `program` to `data` and lowers it to a log density.
pub fn compile(
    program: &TypedProgram,
    data: &DataSet,
    opts: &CompileOptions,
) -> Result<CompiledModel, CompileError> {
    let src = opts.source.as_str();
    let mut rng = aux_rng(opts.seed, 0);
    let mut ev = Eval::new(program, src, Ops { b: None });
    ev.rng = Some(&mut rng);
    ev.bind_data(data)?;
    ev.run_block(&program.transformed_data)?;
    for (v, _) in block_decls(&program.transformed_data) {
        ev.check_var(v).map_err(|e| {
            CompileError::Program(format!("transformed data `{}`: {e}", program.var(v).name))
        })?;
    }
    // parameter layout
    let mut params = Vec::new();
    let mut dim = 0;
    for (v, span) in block_decls(&program.parameters) {
        let shape = ev.decl_shape(v, span)?;
        let con = match program.var(v).decl.as_ref().map(|d| &d.constraint) {
            Some(
                crate::lang::typed::Constraint::Bounds { .. }
                | crate::lang::typed::Constraint::Affine { .. },
            )
            | None => Con::None,
            // sizes of the other constraints do not depend on bounds
            Some(_) => ev.constraint(v)?,
        };
        let len = params::unconstrained_len(&con, &shape);
        params.push(ParamSlot {
            var: v,
            offset: dim,
            len,
        });
        dim += len;
    }
    let mut outputs = Vec::new();
    for block in [
        &program.parameters,
        &program.transformed_parameters,
        &program.generated_quantities,
    ] {
        for (v, span) in block_decls(block) {
            let shape = ev.decl_shape(v, span)?;
            let order = output_order(program.var(v).ty, &shape);
            outputs.push(OutVar {
                var: v,
                shape,
                order,
            });
        }
    }
    let env = ev.env.clone();
    let prints = std::sync::Arc::new(PrintSink::default());
    for p in std::mem::take(&mut ev.prints) {
        prints.emit(p);
    }
    drop(ev);
    let density = match trace(
        program,
        src,
        &env,
        &params,
        dim,
        DecisionMode::Static,
        &prints,
    ) {
        Ok(tape) => Some(TapeDensity::new(tape)),
        Err(Traced::Dynamic) => None,
        Err(Traced::Failed(e)) => return Err(e.into()),
    };
    Ok(CompiledModel {
        id: NEXT_MODEL_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        program: program.clone(),
        source: opts.source.clone(),
        env,
        params,
        dim,
        outputs,
        density,
        prints,
    })
}

impl std::fmt::Debug for CompiledModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledModel")
            .field("program", &self.program.name)
            .field("dim", &self.dim)
            .field("tape", &self.tape())
            .finish()
    }
}

impl CompiledModel {
    /// The tape as text (`hazel check --dump tape`); a dynamic model has no single tape.
    pub fn dump_tape(&self) -> String {
        match &self.density {
            Some(d) => d.tape().dump(),
            None => "dynamic model: the tape is traced at every evaluation, following the \
                      branches taken at that point\n"
                .to_string(),
        }
    }

    /// The tape of a static model.
    pub fn tape(&self) -> Option<&Tape> {
        self.density.as_ref().map(TapeDensity::tape)
    }

    /// Where this model's `print` lines go (standard error unless capturing).
    pub fn print_sink(&self) -> &PrintSink {
        &self.prints
    }

    /// The program this model was compiled from.
    pub fn program(&self) -> &TypedProgram {
        &self.program
    }

    /// Unconstrained coordinates from constrained parameter values (user inits, Stan
    /// JSON layout); every parameter must be present.
    pub fn unconstrain(&self, inits: &DataSet) -> Result<Vec<f64>, CompileError> {
        let mut ev = Eval::new(&self.program, &self.source, Ops { b: None });
        ev.env = self.env.clone();
        let mut out = Vec::with_capacity(self.dim);
        for p in &self.params {
            let var = self.program.var(p.var);
            let name = var.name.clone();
            let err = |message: String| CompileError::Init {
                name: name.clone(),
                message,
            };
            let shape = ev
                .decl_shape(p.var, var.span)
                .map_err(|e| err(e.to_string()))?;
            let Some(dv) = inits.get(&var.name) else {
                return Err(err("missing from the initial values".into()));
            };
            let values = bind::conform_data(&var.name, var.ty, &shape, dv).map_err(err)?;
            let con = ev.constraint(p.var).map_err(|e| err(e.to_string()))?;
            let x = params::unconstrain(&con, &values, &shape).map_err(err)?;
            out.extend(x);
            ev.env[p.var.0 as usize] = Some(Val::constant(var.ty, shape, values));
        }
        Ok(out)
    }

    /// Runs transformed parameters and generated quantities at `x`, returning the
    /// evaluator (for output) — shared by [`Model::write_output`].
    fn outputs_at(
        &self,
        x: &[f64],
        rng: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<Vec<Printed>, EvalError> {
        let mut ev = self.at_point(x, false, Some(rng))?;
        ev.run_block(&self.program.transformed_parameters)?;
        for (v, _) in block_decls(&self.program.transformed_parameters) {
            ev.check_var(v)?;
        }
        ev.run_block(&self.program.generated_quantities)?;
        for (v, _) in block_decls(&self.program.generated_quantities) {
            ev.check_var(v)?;
        }
        for o in &self.outputs {
            let v = ev.get(o.var, self.program.var(o.var).span)?;
            let Some(vals) = v.as_const() else {
                return Err(EvalError::Fatal(
                    "internal error: output is not numeric".into(),
                ));
            };
            if vals.len() != o.order.len() {
                return Err(EvalError::Fatal(format!(
                    "internal error: `{}` has {} values, {} expected",
                    self.program.var(o.var).name,
                    vals.len(),
                    o.order.len()
                )));
            }
            out.extend(o.order.iter().map(|&p| vals[p]));
        }
        Ok(std::mem::take(&mut ev.prints))
    }

    /// Like [`Model::write_output`], also returning the `print` messages of the run.
    pub fn write_output_with_prints(
        &self,
        x: &[f64],
        rng: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<Vec<Printed>, EvalError> {
        self.outputs_at(x, rng, out)
    }
}

impl LogDensity for CompiledModel {
    fn dim(&self) -> usize {
        self.dim
    }

    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        match &self.density {
            Some(d) => d.log_density_and_gradient(x, grad),
            None => self.dynamic_value_and_gradient(x, grad),
        }
    }
}

impl Model for CompiledModel {
    fn output_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for o in &self.outputs {
            let var = self.program.var(o.var);
            for &p in &o.order {
                let mut s = var.name.clone();
                for i in unflatten(var.ty, &o.shape, p) {
                    s.push('.');
                    s.push_str(&(i + 1).to_string());
                }
                names.push(s);
            }
        }
        names
    }

    /// `print` statements of transformed parameters and generated quantities go to the
    /// model's [`PrintSink`] (standard error, one line each, prefixed with the statement's
    /// location; CmdStan prints them too); [`CompiledModel::write_output_with_prints`]
    /// returns them instead.
    fn write_output(
        &self,
        x: &[f64],
        rng: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        for p in self.outputs_at(x, rng, out)? {
            self.prints.emit(p);
        }
        Ok(())
    }
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn f<T: Send + Sync>() {}
    f::<CompiledModel>();
    let _ = BlockKind::Data;
}
