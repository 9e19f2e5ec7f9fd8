//! Constraint transforms between unconstrained space and constrained values, with
//! log |Jacobian| and a vector-Jacobian product, one file per constraint.
//!
//! Every transform implements [`Transform`]: sizes, `constrain` (returning log |J|),
//! `unconstrain` (for user-supplied initial values, with an error naming the violated
//! constraint), and `constrain_vjp`, which adds `Jᵀ x̄ + ∇ log |J|` to `ū` so a tape can
//! wrap a whole transform as one op. Matrices are column-major, as Stan stores them. The
//! order of unconstrained coordinates follows Stan's `*_constrain` functions (stick-breaking
//! simplex, row-major lower triangles), so Stan's unconstrained draws and ours agree.
//! Transforms with bounds that may themselves be parameters (`lower`, `upper`,
//! `lower_upper`, `offset_multiplier`) also report adjoints of the bounds.

pub mod cholesky_corr;
pub mod cholesky_cov;
pub mod corr_matrix;
pub mod cov_matrix;
pub mod lower;
pub mod lower_upper;
pub mod offset_multiplier;
mod one_sided;
pub mod ordered;
pub mod positive_ordered;
pub mod simplex;
pub mod unit_vector;
pub mod upper;

pub use cholesky_corr::CholeskyCorr;
pub use cholesky_cov::CholeskyCov;
pub use corr_matrix::CorrMatrix;
pub use cov_matrix::CovMatrix;
pub use lower::Lower;
pub use lower_upper::LowerUpper;
pub use offset_multiplier::OffsetMultiplier;
pub use ordered::Ordered;
pub use positive_ordered::PositiveOrdered;
pub use simplex::Simplex;
pub use unit_vector::UnitVector;
pub use upper::Upper;

/// Tolerance for equality constraints on constrained values (unit sums, unit norms,
/// symmetry), as Stan's `CONSTRAINT_TOLERANCE` (1e-8).
pub const CONSTRAINT_TOLERANCE: f64 = 1e-8;

/// A value (or a bound) violates a constraint.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{constraint}: element {index} is {value}, but must be {requirement}")]
pub struct TransformError {
    /// The constraint, e.g. `simplex`.
    pub constraint: &'static str,
    /// 1-based position of the offending element in the flattened (column-major) value.
    pub index: usize,
    /// The offending value.
    pub value: f64,
    /// What it must be.
    pub requirement: String,
}

impl TransformError {
    pub(crate) fn new(
        constraint: &'static str,
        index0: usize,
        value: f64,
        requirement: impl Into<String>,
    ) -> Self {
        TransformError {
            constraint,
            index: index0 + 1,
            value,
            requirement: requirement.into(),
        }
    }
}

impl From<TransformError> for crate::model::EvalError {
    fn from(e: TransformError) -> Self {
        crate::model::EvalError::Recoverable(e.to_string())
    }
}

/// A constraint transform of one declared variable.
pub trait Transform {
    /// Number of unconstrained coordinates.
    fn unconstrained_len(&self) -> usize;
    /// Number of constrained values (flattened, column-major).
    fn constrained_len(&self) -> usize;
    /// Writes the constrained value of `u` into `x` and returns log |J|. Fails only when
    /// the transform's own arguments (bounds, a zero vector for `unit_vector`) are invalid.
    fn constrain(&self, u: &[f64], x: &mut [f64]) -> Result<f64, TransformError>;
    /// Writes the unconstrained coordinates of `x` into `u`, or says which element of `x`
    /// violates the constraint.
    fn unconstrain(&self, x: &[f64], u: &mut [f64]) -> Result<(), TransformError>;
    /// Adds `Jᵀ x_adj + ∇_u log |J|` to `u_adj`.
    fn constrain_vjp(
        &self,
        u: &[f64],
        x_adj: &[f64],
        u_adj: &mut [f64],
    ) -> Result<(), TransformError>;
}

/// Checks that a container bound has one value per element.
pub(crate) fn check_bound_len(
    constraint: &'static str,
    bound: &crate::dist::Arg,
    len: usize,
) -> Result<(), TransformError> {
    match bound.len() {
        Some(n) if n != len => Err(TransformError::new(
            constraint,
            0,
            n as f64,
            format!("a bound of size {len} (got this size)"),
        )),
        _ => Ok(()),
    }
}

/// Checks that a constrained value is not NaN (shared by every `unconstrain`).
pub(crate) fn check_not_nan(constraint: &'static str, x: &[f64]) -> Result<(), TransformError> {
    match x.iter().position(|v| v.is_nan()) {
        Some(i) => Err(TransformError::new(constraint, i, x[i], "not nan")),
        None => Ok(()),
    }
}
