//! Hand-written test targets with analytic gradients, for sampler tests and benchmarks.
//!
//! Each target implements [`crate::model::Model`] with Stan-like output names and
//! constrained values; each gradient is checked against central finite differences. The
//! module also holds a small ESS estimator ([`ess`]) for tests and benches, independent of
//! the diagnostics module.

pub mod data;
pub mod eight_schools;
pub mod ess;
pub mod finite_diff;
pub mod funnel;
pub mod gaussian;
pub mod moments;
pub mod radon;
pub mod wells;

pub use eight_schools::{EightSchoolsCentered, EightSchoolsNonCentered};
pub use funnel::Funnel;
pub use gaussian::{CorrelatedGaussian, IidNormal};
pub use radon::Radon;
pub use wells::Wells;

/// `log N(x | mu, sigma)` without the `-½ log 2π` constant, and its derivative in `x`.
#[inline]
pub(crate) fn normal_lpdf(x: f64, mu: f64, sigma: f64) -> (f64, f64) {
    let z = (x - mu) / sigma;
    (-0.5 * z * z - sigma.ln(), -z / sigma)
}
