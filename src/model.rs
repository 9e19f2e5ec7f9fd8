//! The `LogDensity` seam: the one interface between models and samplers.
//!
//! A sampler only ever sees a [`LogDensity`]: a dimension and a function returning the log
//! density (up to a constant) and its gradient at an unconstrained point. Hand-written Rust
//! models and models compiled from the modeling language implement the same trait, so
//! every sampler test can run without the language. A [`Model`] adds what output needs:
//! names of the constrained quantities and the map from an unconstrained draw to them.

use crate::rng::ChainRng;

/// Why a log density could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The density is not finite here, or a function was evaluated outside its domain
    /// (e.g. a transformed parameter violates its declared constraint). The sampler treats
    /// the point as having zero density: a divergence inside a trajectory, a rejected
    /// initial point during initialisation.
    #[error("{0}")]
    Recoverable(String),
    /// A bug or unusable input (a missing data item, an index out of range in data code,
    /// `fatal_error`): the run stops and the message reaches the user.
    #[error("{0}")]
    Fatal(String),
}

impl EvalError {
    /// True for errors after which sampling may continue.
    pub fn is_recoverable(&self) -> bool {
        matches!(self, EvalError::Recoverable(_))
    }
}

/// A log density over an unconstrained real space, with its gradient.
///
/// Implementations must be deterministic. Per-chain scratch space (tape buffers) must not
/// sit behind a lock shared by chains; thread-local or per-call stack storage is fine,
/// since each chain runs on one thread at a time.
pub trait LogDensity: Sync {
    /// The number of unconstrained coordinates.
    fn dim(&self) -> usize;

    /// Writes the gradient into `grad` (length `dim()`) and returns the log density at `x`.
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError>;
}

impl<T: LogDensity + ?Sized> LogDensity for &T {
    fn dim(&self) -> usize {
        (**self).dim()
    }
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        (**self).log_density_and_gradient(x, grad)
    }
}

/// A log density that also knows how to report its draws.
///
/// Output columns are the constrained parameters, then transformed parameters, then
/// generated quantities, flattened as CmdStan writes them (the first index varies fastest,
/// for arrays and matrices alike), named as Stan CSV names them (`theta.1`, `Sigma.2.1`).
pub trait Model: LogDensity {
    /// The output column names, in order.
    fn output_names(&self) -> Vec<String>;

    /// Maps an unconstrained point to the output columns, appending to `out`. Generated
    /// quantities draw their random numbers from `rng` (the chain's stream).
    fn write_output(
        &self,
        x: &[f64],
        rng: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError>;
}

/// A [`LogDensity`] reported as-is: output columns are the unconstrained coordinates,
/// named `x.1 … x.d` unless names are given. Used for hand-written Rust targets.
pub struct Unconstrained<D> {
    /// The wrapped density.
    pub density: D,
    names: Vec<String>,
}

impl<D: LogDensity> Unconstrained<D> {
    /// Wraps `density`, naming its coordinates `x.1 … x.d`.
    pub fn new(density: D) -> Self {
        let names = (1..=density.dim()).map(|i| format!("x.{i}")).collect();
        Unconstrained { density, names }
    }

    /// Wraps `density` with explicit Stan-CSV column names (one per coordinate).
    pub fn with_names(density: D, names: Vec<String>) -> Self {
        assert_eq!(names.len(), density.dim(), "one name per coordinate");
        Unconstrained { density, names }
    }
}

impl<D: LogDensity> LogDensity for Unconstrained<D> {
    fn dim(&self) -> usize {
        self.density.dim()
    }
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        self.density.log_density_and_gradient(x, grad)
    }
}

impl<D: LogDensity> Model for Unconstrained<D> {
    fn output_names(&self) -> Vec<String> {
        self.names.clone()
    }
    fn write_output(
        &self,
        x: &[f64],
        _rng: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.extend_from_slice(x);
        Ok(())
    }
}
