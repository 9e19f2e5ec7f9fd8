//! Tracing a compiled model into a tape (parameters → constraining transforms with their
//! log |Jacobian| → transformed parameters and their checks → model block → target), and
//! the evaluation of dynamic models: a numeric pass recording the decisions at the point,
//! then a tape that replays them, cached per thread while the decisions stay the same.

use super::eval::{DecisionMode, Eval};
use super::ops::{self, Ops};
use super::print_op::PrintSink;
use super::values::Val;
use super::{CompiledModel, ParamSlot, REAL_ARRAY, block_decls};
use crate::ad::{Scratch, Tape, TapeBuilder};
use crate::lang::typed::TypedProgram;
use crate::model::EvalError;
use std::sync::Arc;

/// Sets every parameter from the unconstrained `x` (tape slots or numbers), adding the
/// log |Jacobian| terms to `target` when `jacobian`.
pub(super) fn set_params(
    ev: &mut Eval<'_, '_, '_>,
    params: &[ParamSlot],
    x: &Val,
    jacobian: bool,
) -> Result<(), EvalError> {
    for p in params {
        let var = ev.prog.var(p.var);
        let (ty, span) = (var.ty, var.span);
        let shape = ev.decl_shape(p.var, span)?;
        let con = ev.constraint(p.var)?;
        let xs = x.range(p.offset, REAL_ARRAY, vec![p.len]);
        let (y, lj) = ev.constrain(&xs, &con, ty, &shape, span)?;
        ev.env[p.var.0 as usize] = Some(y);
        if jacobian && let Some(lj) = lj {
            ev.target.push(lj);
        }
    }
    Ok(())
}

/// Dynamic models' tapes kept per thread (one per model, the most recent branch
/// pattern); the least recently traced is dropped beyond this many models.
const DYNAMIC_TAPES_PER_THREAD: usize = 4;

/// A dynamic model's tape for one pattern of decisions, with its scratch buffers.
struct CachedTape {
    model: u64,
    decisions: Vec<f64>,
    tape: Tape,
    scratch: Scratch,
}

thread_local! {
    static DYNAMIC_CACHE: std::cell::RefCell<Vec<CachedTape>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

pub(super) static NEXT_MODEL_ID: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(1);

/// Why tracing stopped.
pub(super) enum Traced {
    /// A parameter-dependent decision in a static trace: the model is dynamic.
    Dynamic,
    Failed(EvalError),
}

pub(super) fn trace(
    program: &TypedProgram,
    src: &str,
    env: &[Option<Val>],
    params: &[ParamSlot],
    dim: usize,
    decisions: DecisionMode,
    prints: &Arc<PrintSink>,
) -> Result<Tape, Traced> {
    let b = TapeBuilder::new(dim);
    let mut ev = Eval::new(program, src, Ops { b: Some(&b) });
    ev.env = env.to_vec();
    ev.print_sink = Some(prints.clone());
    ev.decisions = decisions;
    let run = |ev: &mut Eval<'_, '_, '_>| -> Result<Val, EvalError> {
        let x = Val::slot(REAL_ARRAY, vec![dim], b.param_slot());
        set_params(ev, params, &x, true)?;
        ev.run_block(&program.transformed_parameters)?;
        for (v, _) in block_decls(&program.transformed_parameters) {
            ev.check_var(v)?;
        }
        ev.run_block(&program.model)?;
        ev.target_sum(crate::lang::Span::default())
    };
    let lp = match run(&mut ev) {
        Ok(lp) => lp,
        Err(_) if ev.dynamic_hit => return Err(Traced::Dynamic),
        Err(e) => return Err(Traced::Failed(e)),
    };
    let slot = ops::materialize(&b, &lp).map_err(|m| Traced::Failed(EvalError::Fatal(m)))?;
    drop(ev);
    b.finish(slot)
        .map_err(|e| Traced::Failed(EvalError::Fatal(e.to_string())))
}

impl CompiledModel {
    /// True when the model branches on parameter values and is traced per evaluation.
    pub fn is_dynamic(&self) -> bool {
        self.density.is_none()
    }

    /// A numeric evaluator at the unconstrained point `x`: data bound, parameters set
    /// (with their log |Jacobian| in the target when `jacobian`), domain errors recoverable.
    pub(super) fn at_point<'s, 'r>(
        &'s self,
        x: &[f64],
        jacobian: bool,
        rng: Option<&'r mut crate::rng::ChainRng>,
    ) -> Result<Eval<'s, 's, 'r>, EvalError> {
        if x.len() != self.dim {
            return Err(EvalError::Fatal(format!(
                "parameter vector has length {} but the model has {}",
                x.len(),
                self.dim
            )));
        }
        let mut ev = Eval::new(&self.program, &self.source, Ops { b: None });
        ev.env = self.env.clone();
        ev.rng = rng;
        ev.recoverable_ops = true;
        let xv = Val::constant(REAL_ARRAY, vec![self.dim], x.to_vec());
        set_params(&mut ev, &self.params, &xv, jacobian)?;
        Ok(ev)
    }

    /// Value and gradient of a dynamic model: record the decisions at `x` numerically,
    /// trace a tape replaying them, evaluate it. (Not inlined: it would weigh on the
    /// static models' path, which shares a caller with it.)
    #[inline(never)]
    pub(super) fn dynamic_value_and_gradient(
        &self,
        x: &[f64],
        grad: &mut [f64],
    ) -> Result<f64, EvalError> {
        let mut ev = self.at_point(x, true, None)?;
        ev.decisions = DecisionMode::Record(Vec::new());
        let run = |ev: &mut Eval<'_, '_, '_>| -> Result<(), EvalError> {
            ev.run_block(&self.program.transformed_parameters)?;
            for (v, _) in block_decls(&self.program.transformed_parameters) {
                ev.check_var(v)?;
            }
            ev.run_block(&self.program.model)
        };
        if let Err(e) = run(&mut ev) {
            // the tape will not run: the prints before the failure (a `reject`, a
            // domain error) are shown from this pass
            for p in std::mem::take(&mut ev.prints) {
                self.prints.emit(p);
            }
            return Err(e);
        }
        let DecisionMode::Record(log) = std::mem::take(&mut ev.decisions) else {
            return Err(EvalError::Fatal(
                "internal error: no decision record".into(),
            ));
        };
        drop(ev);
        DYNAMIC_CACHE.with(|cell| {
            let mut cache = cell.borrow_mut();
            let hit = cache
                .iter()
                .position(|c| c.model == self.id && c.decisions == log);
            let pos = match hit {
                Some(p) => p,
                None => {
                    let replay = DecisionMode::Replay(log.clone());
                    let traced = trace(
                        &self.program,
                        &self.source,
                        &self.env,
                        &self.params,
                        self.dim,
                        replay,
                        &self.prints,
                    );
                    let tape = match traced {
                        Ok(t) => t,
                        Err(Traced::Failed(e)) => return Err(e),
                        Err(Traced::Dynamic) => {
                            return Err(EvalError::Fatal(
                                "internal error: unreplayed decision".into(),
                            ));
                        }
                    };
                    let scratch = Scratch::new(&tape);
                    cache.retain(|c| c.model != self.id);
                    if cache.len() >= DYNAMIC_TAPES_PER_THREAD {
                        cache.remove(0);
                    }
                    cache.push(CachedTape {
                        model: self.id,
                        decisions: log,
                        tape,
                        scratch,
                    });
                    cache.len() - 1
                }
            };
            let c = &mut cache[pos];
            c.tape.value_and_gradient(x, &mut c.scratch, grad)
        })
    }
}
