//! Distributions: log densities and masses with analytic partials, CDFs, and RNGs.
//!
//! Univariate families implement [`kernel::Family`] (one element's log density and
//! partials) and optionally [`kernel::Cdf`] and [`kernel::Sample`]; the drivers in
//! [`kernel`] broadcast them over scalars and containers like Stan and accumulate partials
//! into caller buffers. [`descriptor::DESCRIPTORS`] lists every family with its signature,
//! support, and function pointers, so the language's signature table and the compiler's
//! tape ops can be driven from one place. Multivariate families and GLMs have their own
//! entry points with the same conventions.
//!
//! ```
//! use hazel::dist::{Arg, log_density, normal::Normal};
//! // y ~ normal(mu, sigma) with data y, a parameter vector mu and a parameter sigma.
//! let y = [0.5, -1.0, 2.0];
//! let mu = [0.0, 0.1, 0.2];
//! let (mut dmu, mut dsigma) = ([0.0; 3], [0.0; 1]);
//! let lp = log_density::<Normal>(
//!     &[],
//!     &[Arg::Vector(&y), Arg::Vector(&mu), Arg::Scalar(1.5)],
//!     true, // `~`: drop terms constant in the parameters (here -3 log sqrt(2 pi))
//!     &mut [None, Some(&mut dmu), Some(&mut dsigma)],
//! )?;
//! assert!(lp.is_finite() && dsigma[0] != 0.0);
//! # Ok::<(), hazel::dist::DistError>(())
//! ```

pub mod args;
pub mod bernoulli;
pub mod beta;
pub mod binomial;
pub mod categorical;
pub mod cauchy;
pub mod chi_square;
pub mod cholesky_param;
pub mod descriptor;
pub mod dirichlet;
pub mod double_exponential;
pub mod error;
pub mod exponential;
pub mod gamma;
pub mod glm;
pub mod gumbel;
pub mod hmm;
pub mod kernel;
pub mod lkj;
pub mod logistic;
pub mod lognormal;
pub mod multi_student_t;
pub mod mvn;
pub mod neg_binomial;
pub mod normal;
pub mod ordered;
pub mod owens_t;
pub mod pareto;
pub mod poisson;
pub mod quadrature;
pub mod skew_normal;
pub mod special;
pub mod student_t;
pub mod uniform;
pub mod von_mises;
pub mod weibull_frechet;
pub mod wishart;

pub use args::{Arg, IntArg, Keep, MatRef};
pub use error::DistError;
pub use kernel::{
    Cdf, Family, Outcome, Sample, cdf, lccdf, lcdf, log_density, log_density_with, sample,
};
