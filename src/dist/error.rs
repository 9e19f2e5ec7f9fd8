//! The error value every distribution kernel returns for an argument outside its domain.

use crate::model::EvalError;

/// A distribution argument violated its domain, or arguments could not be broadcast.
///
/// All of these are recoverable at sampling time (Stan rejects the proposal and moves on);
/// a compiler evaluating data-only code may choose to treat them as fatal.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DistError {
    /// One element of an argument is outside the argument's domain.
    #[error("{function}: {arg}{index} is {value}, but must be {requirement}")]
    Domain {
        /// The function called, e.g. `normal_lpdf`.
        function: String,
        /// The argument's name as the Stan signature spells it.
        arg: &'static str,
        /// `[i]` (1-based, Stan style) for a container argument, empty for a scalar.
        index: String,
        /// The offending value.
        value: f64,
        /// What the value must be, e.g. `positive`.
        requirement: &'static str,
    },
    /// Container arguments of different lengths were passed to one call.
    #[error("{function}: size of {arg} ({len}) does not match size of {other} ({other_len})")]
    SizeMismatch {
        /// The function called.
        function: String,
        /// The argument whose size disagrees.
        arg: &'static str,
        /// Its length.
        len: usize,
        /// The first container argument, whose length sets the call's size.
        other: &'static str,
        /// That argument's length.
        other_len: usize,
    },
    /// A matrix or vector argument has the wrong shape for the other arguments.
    #[error("{function}: {arg} {message}")]
    Shape {
        /// The function called.
        function: String,
        /// The argument whose shape is wrong.
        arg: &'static str,
        /// What is wrong, e.g. `must be square, got 2 x 3`.
        message: String,
    },
    /// The function exists in the descriptor table but not in this form.
    #[error("{function} is not available for {what}")]
    Unavailable {
        /// The function called.
        function: String,
        /// What is missing.
        what: &'static str,
    },
}

impl DistError {
    /// The same error reported under another function name (a GLM reporting an error of
    /// the univariate kernel it calls).
    pub fn renamed(mut self, name: &str) -> Self {
        match &mut self {
            DistError::Domain { function, .. }
            | DistError::SizeMismatch { function, .. }
            | DistError::Shape { function, .. }
            | DistError::Unavailable { function, .. } => *function = name.to_string(),
        }
        self
    }

    /// A domain error of a scalar argument.
    pub fn scalar(
        function: &str,
        arg: &'static str,
        value: f64,
        requirement: &'static str,
    ) -> Self {
        DistError::Domain {
            function: function.to_string(),
            arg,
            index: String::new(),
            value,
            requirement,
        }
    }
}

/// Checks that an optional partial buffer has the length of its argument.
pub(crate) fn check_partial(
    function: &str,
    arg: &'static str,
    buf: Option<&[f64]>,
    len: usize,
) -> Result<(), DistError> {
    match buf {
        Some(b) if b.len() != len => Err(DistError::Shape {
            function: function.to_string(),
            arg,
            message: format!("partial buffer has length {}, expected {len}", b.len()),
        }),
        _ => Ok(()),
    }
}

impl From<DistError> for EvalError {
    fn from(e: DistError) -> Self {
        EvalError::Recoverable(e.to_string())
    }
}

/// A domain violation found inside a per-element kernel, before the caller adds the
/// function name and element index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Violation {
    /// Position of the offending argument in the signature (0 = outcome).
    pub slot: Slot,
    /// The offending value.
    pub value: f64,
    /// What the value must be.
    pub requirement: &'static str,
}

/// Which argument list a [`Violation`] refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Index into the real arguments of the call.
    Real(usize),
    /// Index into the integer arguments of the call.
    Int(usize),
}

/// Returns a violation of real argument `slot` unless `ok` holds.
pub(crate) fn require(
    ok: bool,
    slot: usize,
    value: f64,
    requirement: &'static str,
) -> Result<(), Violation> {
    if ok {
        Ok(())
    } else {
        Err(Violation {
            slot: Slot::Real(slot),
            value,
            requirement,
        })
    }
}

/// Returns a violation of integer argument `slot` unless `ok` holds.
pub(crate) fn require_int(
    ok: bool,
    slot: usize,
    value: i64,
    requirement: &'static str,
) -> Result<(), Violation> {
    if ok {
        Ok(())
    } else {
        Err(Violation {
            slot: Slot::Int(slot),
            value: value as f64,
            requirement,
        })
    }
}

/// Requirement texts shared by many families (Stan's wording of its `check_*` helpers).
pub(crate) mod req {
    /// `check_positive_finite`.
    pub const POSITIVE_FINITE: &str = "positive finite";
    /// `check_finite`.
    pub const FINITE: &str = "finite";
    /// `check_not_nan`.
    pub const NOT_NAN: &str = "not nan";
    /// `check_nonnegative`.
    pub const NONNEGATIVE: &str = "nonnegative";
    /// `check_bounded(.., 0, 1)`.
    pub const PROBABILITY: &str = "in the interval [0, 1]";
}
