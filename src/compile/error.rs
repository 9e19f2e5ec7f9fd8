//! Errors of compiling a program against data.

use crate::model::EvalError;

/// Why a program could not be bound to its data or lowered to a log density.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    /// A data variable is missing, mis-shaped, of the wrong type or violates its constraint.
    #[error("data variable `{name}`: {message}")]
    Data { name: String, message: String },
    /// A user-supplied initial value is missing or invalid.
    #[error("initial value of `{name}`: {message}")]
    Init { name: String, message: String },
    /// Evaluating the program failed (transformed data, sizes, tracing the model), or it
    /// uses something the compiler does not support; the message names the location.
    #[error("{0}")]
    Program(String),
}

impl From<EvalError> for CompileError {
    fn from(e: EvalError) -> Self {
        match e {
            EvalError::Recoverable(m) | EvalError::Fatal(m) => CompileError::Program(m),
        }
    }
}
