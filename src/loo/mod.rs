//! PSIS-LOO cross-validation and model comparison: Pareto smoothed importance sampling
//! leave-one-out estimates of the expected log predictive density from a fit's pointwise
//! `log_lik` draws (Vehtari, Gelman, Gabry 2017; Vehtari, Simpson, Gelman, Yao, Gabry
//! 2024), and the comparison of models by their elpd difference.
//!
//! ```
//! use hazel::loo::{LogLik, compare, psis_loo};
//! // Two observations, 100 draws in 2 chains.
//! let draws = |scale: f64| (0..100).map(|s| -1.0 - scale * (s as f64 / 100.0)).collect();
//! let a = LogLik::new(vec![draws(0.5), draws(0.2)], 2).unwrap();
//! let b = LogLik::new(vec![draws(1.5), draws(0.9)], 2).unwrap();
//! let loo_a = psis_loo(&a, &a.relative_efficiency()).unwrap();
//! let loo_b = psis_loo(&b, &vec![1.0; 2]).unwrap();
//! let table = compare(&[("a", &loo_a), ("b", &loo_b)]).unwrap();
//! assert_eq!(table[0].name, "a");
//! ```

mod command;
mod compare;
mod elpd;
mod gpd;
mod khat;
mod log_lik;
mod psis;

pub use command::{format_comparison, format_loo, loo_command};
pub use compare::{ComparisonRow, compare, stacking_weights};
pub use elpd::{LooResult, Pointwise, psis_loo};
pub use gpd::{GpdFit, fit_gpd, gpd_quantile};
pub use khat::{KHAT_THRESHOLD_CAP, KHAT_VERY_BAD, ParetoBands, khat_threshold};
pub use log_lik::{DEFAULT_LOG_LIK_VAR, LogLik};
pub use psis::{Psis, psis, tail_length};

use crate::io::stan_csv::StanCsvError;
use crate::summary::SummaryError;

/// Why a LOO computation failed.
#[derive(Debug, thiserror::Error)]
pub enum LooError {
    /// The log-likelihood matrix has no observations.
    #[error("the log-likelihood has no observations")]
    NoObservations,
    /// The log-likelihood matrix has no draws.
    #[error("the log-likelihood has no draws")]
    NoDraws,
    /// Observations hold different numbers of draws.
    #[error("observation {observation} has {len} draws but observation 1 has {expected}")]
    RaggedDraws {
        /// 1-based observation.
        observation: usize,
        /// Its number of draws.
        len: usize,
        /// Draws of the first observation.
        expected: usize,
    },
    /// The draws cannot be split into equally long chains.
    #[error("{draws} draws cannot be split into {chains} equally long chains")]
    ChainSplit {
        /// Draws per observation.
        draws: usize,
        /// Chains claimed.
        chains: usize,
    },
    /// A log-likelihood value is NaN or infinite.
    #[error("observation {observation}, draw {draw}: log-likelihood {value} is not finite")]
    NonFinite {
        /// 1-based observation.
        observation: usize,
        /// 1-based draw (chains pooled).
        draw: usize,
        /// The value.
        value: f64,
    },
    /// A log-likelihood column of a fit holds NaN or an infinity.
    #[error("column {column}, draw {draw} (chains pooled): log-likelihood {value} is not finite")]
    NonFiniteColumn {
        /// The column in bracket form (`log_lik[3]`).
        column: String,
        /// 1-based draw.
        draw: usize,
        /// The value.
        value: f64,
    },
    /// The fit has no column of this variable.
    #[error(
        "no column `{0}` or `{0}.1`, `{0}.2`, …: the model must write the pointwise \
         log-likelihood in generated quantities (or name the variable with --var)"
    )]
    MissingVariable(String),
    /// The relative efficiencies do not match the observations.
    #[error("{got} relative efficiencies given for {expected} observations")]
    REffLength {
        /// Values given.
        got: usize,
        /// Observations.
        expected: usize,
    },
    /// A relative efficiency is not a positive finite number.
    #[error("relative efficiency {value} of observation {observation} is not positive and finite")]
    BadREff {
        /// 1-based observation.
        observation: usize,
        /// The value.
        value: f64,
    },
    /// No models to compare.
    #[error("no models to compare")]
    NoModels,
    /// Compared models were fitted to different numbers of observations.
    #[error(
        "model `{model}` has {observations} pointwise log-likelihoods but `{first}` has \
         {expected}: models must be compared on the same observations"
    )]
    ObservationMismatch {
        /// The offending model.
        model: String,
        /// Its observations.
        observations: usize,
        /// The first model.
        first: String,
        /// Its observations.
        expected: usize,
    },
    /// A fit's folder could not be listed.
    #[error(transparent)]
    Files(#[from] SummaryError),
    /// A fit's Stan CSV files could not be read.
    #[error(transparent)]
    StanCsv(#[from] StanCsvError),
}
