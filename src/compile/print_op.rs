//! `print` in the log density (model block and transformed parameters): Stan prints on
//! every evaluation, with the values of that evaluation, so a traced `print` becomes a
//! tape op — a [`ScalarKernel`] of value 0 and zero gradient that formats its inputs in
//! the forward sweep and hands the line to the model's [`PrintSink`]. In numeric runs
//! (transformed data, generated quantities, the decision pass of dynamic models) a
//! `print` is collected as a [`Printed`] message instead.

use super::eval::{Eval, Printed, R};
use super::format::show;
use super::ops::materialize;
use super::values::Val;
use crate::ad::ScalarKernel;
use crate::lang::Span;
use crate::lang::typed::TPrintable;
use crate::lang::types::Type;
use std::sync::{Arc, Mutex};

/// Where a model's `print` lines go: standard error (one line each, `location: text`, as
/// generated-quantities prints), or a buffer while capturing.
#[derive(Debug, Default)]
pub struct PrintSink {
    captured: Mutex<Option<Vec<Printed>>>,
}

impl PrintSink {
    /// Delivers one message.
    pub fn emit(&self, p: Printed) {
        let mut guard = self
            .captured
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match guard.as_mut() {
            Some(buf) => buf.push(p),
            None => eprintln!("{}: {}", p.location, p.text),
        }
    }

    /// From now on, keeps messages in a buffer instead of writing them to stderr.
    pub fn capture(&self) {
        let mut guard = self
            .captured
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.get_or_insert_with(Vec::new);
    }

    /// The messages captured so far (emptying the buffer; capturing continues).
    pub fn take(&self) -> Vec<Printed> {
        let mut guard = self
            .captured
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

/// One piece of a traced `print`: text known at trace time, or a value read from the
/// op's second input (`len` elements from `offset`) and shown as `ty` of `shape`.
#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Value {
        ty: Type,
        shape: Vec<usize>,
        offset: usize,
        len: usize,
    },
}

/// The tape op of one `print` statement. Input 0 is an empty view of the parameter
/// vector (so the op is never folded at trace time, even when it prints only data);
/// input 1, when present, holds every parameter-dependent value printed, concatenated.
struct PrintKernel {
    location: String,
    parts: Vec<Part>,
    sink: Arc<PrintSink>,
}

impl ScalarKernel for PrintKernel {
    fn name(&self) -> &str {
        "print"
    }

    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        _grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        let mut text = String::new();
        for p in &self.parts {
            match p {
                Part::Text(s) => text.push_str(s),
                Part::Value {
                    ty,
                    shape,
                    offset,
                    len,
                } => {
                    let values = inputs[1][*offset..offset + len].to_vec();
                    text.push_str(&show(&Val::constant(*ty, shape.clone(), values)));
                }
            }
        }
        self.sink.emit(Printed {
            location: self.location.clone(),
            text,
        });
        Ok(0.0)
    }
}

impl Eval<'_, '_, '_> {
    /// A `print` statement: an op printing at every evaluation while tracing, else a
    /// message collected now.
    pub fn print_stmt(&mut self, items: &[TPrintable], span: Span) -> R<()> {
        let location = self.loc(span);
        let Some(b) = self.ops.b else {
            let text = self.printables(items)?;
            self.prints.push(Printed { location, text });
            return Ok(());
        };
        let mut parts = Vec::new();
        let mut values: Vec<Val> = Vec::new();
        let mut offset = 0;
        for it in items {
            match it {
                TPrintable::Str(s) => parts.push(Part::Text(s.clone())),
                TPrintable::Expr(e) => {
                    let v = self.expr(e)?;
                    if v.as_const().is_some() {
                        parts.push(Part::Text(show(&v)));
                    } else {
                        parts.push(Part::Value {
                            ty: v.ty,
                            shape: v.shape.clone(),
                            offset,
                            len: v.len(),
                        });
                        offset += v.len();
                        values.push(v);
                    }
                }
            }
        }
        let sink = self.print_sink.get_or_insert_with(Default::default).clone();
        let kernel = Arc::new(PrintKernel {
            location,
            parts,
            sink,
        });
        let err = |m: String| self.op_err(span, m);
        // an empty view of the parameters: active (so the op is recorded, not folded)
        // without any partials to store
        let anchor = b
            .view(b.param_slot(), 0, 0, 1)
            .map_err(|e| err(e.to_string()))?;
        let mut inputs = vec![anchor];
        if !values.is_empty() {
            let slots = values
                .iter()
                .map(|v| materialize(b, v))
                .collect::<Result<Vec<_>, _>>()
                .map_err(err)?;
            let all = match slots[..] {
                [one] => b.view(one, 0, offset, 1),
                _ => b.concat(&slots, offset, 1),
            }
            .map_err(|e| err(e.to_string()))?;
            inputs.push(all);
        }
        let out = b
            .scalar_kernel(kernel, &inputs)
            .map_err(|e| err(e.to_string()))?;
        self.target.push(Val::slot(Type::REAL, Vec::new(), out));
        Ok(())
    }
}
