//! Stan CSV, the draw format of CmdStan: `#` comment lines with the configuration, a
//! column header, the draws, adaptation comments after warmup and a timing trailer.
//!
//! [`StanCsvWriter`] streams one chain to any `Write`; [`read_stan_csv`] reads one file
//! per chain (hazel's or CmdStan's) back into a [`crate::draws::Draws`].

mod comments;
pub mod number;
mod reader;
mod writer;

pub use reader::{ChainFile, StanCsv, StanCsvError, parse_chain, read_stan_csv};
pub use writer::StanCsvWriter;

/// The comment line that closes warmup (CmdStan).
pub const ADAPTATION_TERMINATED: &str = "Adaptation terminated";
/// Prefix of the step-size comment (CmdStan: `# Step size = 0.89`).
pub const STEP_SIZE: &str = "Step size";
/// The comment introducing a diagonal inverse metric (CmdStan); its values follow on the
/// next comment line, comma-separated.
pub const DIAG_METRIC: &str = "Diagonal elements of inverse mass matrix:";
/// The comment introducing a dense inverse metric (CmdStan); one comment line per row.
pub const DENSE_METRIC: &str = "Elements of inverse mass matrix:";
/// The comment hazel writes when a chain was stopped before it finished.
pub const INTERRUPTED: &str =
    "Interrupted: the chain was stopped early; the draws above are all it made";
/// The label of the elapsed-time trailer (CmdStan: `#  Elapsed Time: 0.1 seconds (Warm-up)`).
pub const ELAPSED_TIME: &str = "Elapsed Time:";

/// The inverse metric's form (the sampler's own type; CmdStan names it in the `metric` line).
pub use crate::sampler::MetricKind;

/// The configuration of a run, written into the comment header of every chain file.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// Model name (usually the file stem of the `.stan` file).
    pub model: String,
    /// Data files given to the run.
    pub data_files: Vec<String>,
    /// The run's seed.
    pub seed: u64,
    /// This chain's id, 1-based.
    pub chain_id: usize,
    /// Number of chains in the run.
    pub num_chains: usize,
    /// Warmup iterations.
    pub num_warmup: usize,
    /// Kept draws.
    pub num_samples: usize,
    /// Whether warmup iterations are written before the draws.
    pub save_warmup: bool,
    /// Diagonal or dense metric.
    pub metric: MetricKind,
    /// Target acceptance statistic of step-size adaptation.
    pub adapt_delta: f64,
    /// Maximum tree depth of NUTS.
    pub max_depth: u32,
    /// hazel's version.
    pub hazel_version: String,
}

impl RunInfo {
    /// hazel's version from Cargo, for [`RunInfo::hazel_version`].
    pub const VERSION: &'static str = env!("CARGO_PKG_VERSION");
}
