//! The evaluator's state and statements: one interpreter of Stan semantics over
//! [`Val`]ues that are constants or tape slots. With a tape builder it traces the log
//! density (loops over data unroll, data code folds); without one it computes transformed
//! data and generated quantities numerically. Expressions live in `expr.rs`, indexing in
//! `index.rs`, calls in `calls.rs`.
//!
//! Control flow: conditions, loop bounds and indices that depend on data only are
//! resolved while tracing (loops unroll). A condition or comparison that depends on the
//! parameters is a *decision*: a numeric pass at the evaluation point records every
//! decision in order ([`DecisionMode::Record`]), and the tracing pass replays them
//! ([`DecisionMode::Replay`]), so the tape follows the branches taken at that point. A
//! model with such decisions is re-traced at every evaluation (see `mod.rs`).

use super::ops::Ops;
use super::values::Val;
use crate::lang::Span;
use crate::lang::typed::{FunId, TPrintable, TStmt, TStmtKind, TypedProgram, VarId};
use crate::lang::types::Type;
use crate::model::EvalError;
use crate::rng::ChainRng;

/// Most nested user-function calls (recursion is refused; this bounds deep call chains).
pub const MAX_CALL_DEPTH: usize = 64;

/// Most iterations of a `while` loop during one evaluation before it is reported as
/// non-terminating (a safeguard of this implementation, not a Stan rule).
pub const MAX_WHILE_ITERATIONS: usize = 10_000_000;

/// What the evaluator does at a decision (a condition or comparison).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum DecisionMode {
    /// Decisions must be known now; a parameter-dependent one marks the model dynamic.
    #[default]
    Static,
    /// Numeric pass: record every decision's value in order.
    Record(Vec<f64>),
    /// Tracing pass: take parameter-dependent decisions from this record.
    Replay(Vec<f64>),
}

/// How a statement finished.
pub enum Flow {
    Normal,
    Break,
    Continue,
    Return(Option<Val>),
}

/// A message from `print`, with the statement's location.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub location: String,
    pub text: String,
}

/// Interpreter state for one run over one or more blocks.
pub struct Eval<'p, 'b, 'r> {
    pub prog: &'p TypedProgram,
    pub src: &'p str,
    pub ops: Ops<'b>,
    pub env: Vec<Option<Val>>,
    /// Terms added to `target` so far.
    pub target: Vec<Val>,
    pub rng: Option<&'r mut ChainRng>,
    pub prints: Vec<Printed>,
    pub call_stack: Vec<FunId>,
    pub decisions: DecisionMode,
    /// Index of the next decision.
    pub decision_pos: usize,
    /// Set when a parameter-dependent decision was met in [`DecisionMode::Static`].
    pub dynamic_hit: bool,
    /// Whether failures of numeric operations (domain errors) are recoverable: true when
    /// evaluating at a parameter point, false while binding data and tracing.
    pub recoverable_ops: bool,
    /// Scalar `~` calls waiting to be emitted as vectorised ops (see `batch.rs`).
    pub batches: Vec<super::batch::Batch>,
    /// Buffer of `_rng` draws, reused across calls (see `rng_call.rs`).
    pub draws: Vec<crate::dist::kernel::Outcome>,
    /// Where traced `print` ops write (see `print_op.rs`).
    pub print_sink: Option<std::sync::Arc<super::print_op::PrintSink>>,
}

pub type R<T> = Result<T, EvalError>;

impl<'p, 'b, 'r> Eval<'p, 'b, 'r> {
    pub fn new(prog: &'p TypedProgram, src: &'p str, ops: Ops<'b>) -> Self {
        Eval {
            prog,
            src,
            ops,
            env: vec![None; prog.vars.len()],
            target: Vec::new(),
            rng: None,
            prints: Vec::new(),
            call_stack: Vec::new(),
            decisions: DecisionMode::Static,
            decision_pos: 0,
            dynamic_hit: false,
            recoverable_ops: false,
            batches: Vec::new(),
            draws: Vec::new(),
            print_sink: None,
        }
    }

    /// `line L, column C` of a span (byte offsets when the source is unknown).
    pub fn loc(&self, span: Span) -> String {
        if self.src.is_empty() {
            format!("bytes {}..{}", span.lo, span.hi)
        } else {
            let (l, c) = Span::line_col(self.src, span.lo);
            format!("line {l}, column {c}")
        }
    }

    /// A fatal error at `span`.
    pub fn fatal<T>(&self, span: Span, msg: impl std::fmt::Display) -> R<T> {
        Err(EvalError::Fatal(format!("{msg} (at {})", self.loc(span))))
    }

    /// Wraps a message from an op at `span`: fatal while binding/tracing, recoverable at a
    /// parameter point.
    pub fn op_err(&self, span: Span, msg: String) -> EvalError {
        let msg = format!("{msg} (at {})", self.loc(span));
        if self.recoverable_ops {
            EvalError::Recoverable(msg)
        } else {
            EvalError::Fatal(msg)
        }
    }

    pub fn get(&self, id: VarId, span: Span) -> R<&Val> {
        match &self.env[id.0 as usize] {
            Some(v) => Ok(v),
            None => self.fatal(
                span,
                format!("variable `{}` has no value", self.prog.var(id).name),
            ),
        }
    }

    pub fn run_block(&mut self, stmts: &[TStmt]) -> R<()> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Normal => {}
                _ => return self.fatal(s.span, "break, continue or return outside a loop"),
            }
        }
        Ok(())
    }

    pub fn stmts(&mut self, stmts: &[TStmt]) -> R<Flow> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    pub(super) fn printables(&mut self, items: &[TPrintable]) -> R<String> {
        let mut out = String::new();
        for it in items {
            match it {
                TPrintable::Str(s) => out.push_str(s),
                TPrintable::Expr(e) => {
                    let v = self.expr(e)?;
                    out.push_str(&super::format::show(&v));
                }
            }
        }
        Ok(out)
    }

    /// Evaluates an int-valued expression that must be known now.
    pub fn int_of(&mut self, e: &crate::lang::typed::TExpr) -> R<i64> {
        // a loop variable or other named int is read where it lives (no copy of the value)
        if let crate::lang::typed::TExprKind::Var(id) = &e.kind
            && let Some(v) = &self.env[id.0 as usize]
        {
            return self.scalar_int(v, e.span);
        }
        let v = self.expr(e)?;
        self.scalar_int(&v, e.span)
    }

    pub fn scalar_int(&self, v: &Val, span: Span) -> R<i64> {
        match v.as_const() {
            Some([x]) => Ok(*x as i64),
            _ => self.fatal(span, "expected an integer value"),
        }
    }

    /// A condition's truth value; refuses parameter-dependent conditions.
    pub fn truth(&mut self, e: &crate::lang::typed::TExpr) -> R<bool> {
        let v = self.expr(e)?;
        let known = match v.as_const() {
            Some([x]) => Some(*x),
            Some(_) => return self.fatal(e.span, "a condition must be a scalar"),
            None => None,
        };
        Ok(self.decide(known, e.span)? != 0.0)
    }

    /// The value of a decision: `known` when it is known now, else the recorded value.
    pub fn decide(&mut self, known: Option<f64>, span: Span) -> R<f64> {
        let pos = self.decision_pos;
        self.decision_pos += 1;
        match (&mut self.decisions, known) {
            (DecisionMode::Record(log), Some(x)) => {
                log.push(x);
                Ok(x)
            }
            (_, Some(x)) => Ok(x),
            (DecisionMode::Replay(log), None) => match log.get(pos) {
                Some(&x) => Ok(x),
                None => self.fatal(span, "internal error: decision record too short"),
            },
            (_, None) => {
                self.dynamic_hit = true;
                self.fatal(
                    span,
                    "this decision depends on the parameters (the model is traced per evaluation)",
                )
            }
        }
    }

    pub fn stmt(&mut self, s: &TStmt) -> R<Flow> {
        match &s.kind {
            TStmtKind::Decl { var, init } => {
                self.declare(*var, init.as_ref(), s.span)?;
            }
            TStmtKind::Assign {
                var,
                indices,
                op,
                rhs,
            } => self.assign(*var, indices, *op, rhs, s.span)?,
            TStmtKind::Tilde {
                lhs,
                density,
                args,
                truncation,
            } => self.tilde(lhs, *density, args, truncation.as_ref(), s.span)?,
            TStmtKind::TargetPlus(e) => {
                let v = self.expr(e)?;
                self.target.push(v);
            }
            TStmtKind::For { var, lo, hi, body } => {
                let lo = self.int_of(lo)?;
                let hi = self.int_of(hi)?;
                let mut i = lo;
                while i <= hi {
                    self.env[var.0 as usize] = Some(Val::int(i));
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                    i += 1;
                }
            }
            TStmtKind::ForEach {
                var,
                container,
                body,
            } => {
                let c = self.expr(container)?;
                let elem_ty = self.prog.var(*var).ty;
                let items = super::index::foreach_items(&c, elem_ty);
                for item in items {
                    self.env[var.0 as usize] = Some(item);
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
            }
            TStmtKind::While { cond, body } => {
                let mut n = 0;
                while self.truth(cond)? {
                    n += 1;
                    if n > MAX_WHILE_ITERATIONS {
                        return self.fatal(
                            s.span,
                            format!("while loop ran more than {MAX_WHILE_ITERATIONS} iterations"),
                        );
                    }
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
            }
            TStmtKind::If {
                cond,
                then,
                otherwise,
            } => {
                if self.truth(cond)? {
                    return self.stmt(then);
                } else if let Some(o) = otherwise {
                    return self.stmt(o);
                }
            }
            TStmtKind::Break => return Ok(Flow::Break),
            TStmtKind::Continue => return Ok(Flow::Continue),
            TStmtKind::Return(e) => {
                let v = match e {
                    Some(e) => Some(self.expr(e)?),
                    None => None,
                };
                return Ok(Flow::Return(v));
            }
            TStmtKind::Block(b) => return self.stmts(b),
            TStmtKind::Print(items) => self.print_stmt(items, s.span)?,
            TStmtKind::Reject(items) => {
                let text = self.printables(items)?;
                return Err(EvalError::Recoverable(format!(
                    "reject at {}: {text}",
                    self.loc(s.span)
                )));
            }
            TStmtKind::FatalError(items) => {
                let text = self.printables(items)?;
                return Err(EvalError::Fatal(format!(
                    "fatal_error at {}: {text}",
                    self.loc(s.span)
                )));
            }
            TStmtKind::Call { callee, args } => {
                self.call(*callee, args, Type::REAL, s.span)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// Evaluates a declaration's sizes.
    pub fn decl_shape(&mut self, id: VarId, span: Span) -> R<Vec<usize>> {
        let var = self.prog.var(id);
        let Some(decl) = &var.decl else {
            return self.fatal(span, format!("`{}` has no declared sizes", var.name));
        };
        let mut shape = Vec::new();
        for e in decl.array_dims.iter().chain(&decl.sizes) {
            let n = self.int_of(e)?;
            if n < 0 {
                return self.fatal(
                    e.span,
                    format!("size of `{}` is {n}, but must be non-negative", var.name),
                );
            }
            shape.push(n as usize);
        }
        Ok(shape)
    }

    fn declare(
        &mut self,
        id: VarId,
        init: Option<&crate::lang::typed::TExpr>,
        span: Span,
    ) -> R<()> {
        let var = self.prog.var(id);
        let ty = var.ty;
        let shape = self.decl_shape(id, span)?;
        let v = match init {
            Some(e) => {
                let v = self.expr(e)?;
                self.conform(v, ty, &shape, &var.name, e.span)?
            }
            None => {
                let fill = if ty.is_int_based() {
                    i32::MIN as f64
                } else {
                    f64::NAN
                };
                let n = shape.iter().product();
                Val::constant(ty, shape, vec![fill; n])
            }
        };
        self.env[id.0 as usize] = Some(v);
        Ok(())
    }

    /// Checks `v` has `shape` and retypes it as `ty` (int → real promotion).
    pub fn conform(&self, v: Val, ty: Type, shape: &[usize], name: &str, span: Span) -> R<Val> {
        if v.shape != shape {
            return self.fatal(
                span,
                format!(
                    "`{name}` is declared with sizes {:?} but is assigned a value of sizes {:?}",
                    shape, v.shape
                ),
            );
        }
        Ok(v.retyped(ty, shape.to_vec()))
    }
}
