//! Command-line arguments (clap) for every `hazel` subcommand.
//!
//! Raw arguments are parsed here and resolved into one configuration value per command
//! before any work starts (see `resolve.rs`), so every usage error is found up front.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// hazel: Bayesian models in the Stan language, sampled with a multicore NUTS engine.
#[derive(Debug, Parser)]
#[command(
    name = "hazel",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Examples:\n  hazel check models/examples/eight_schools_noncentered.stan\n  hazel sample models/examples/eight_schools_noncentered.stan --data data/bench/eight_schools.json\n  hazel summary output/eight_schools_noncentered\n  hazel plot output/eight_schools_noncentered --format svg\n\nSee `hazel COMMAND --help` for each command's options and examples."
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and type-check a model; list its parameters.
    #[command(
        after_help = "Examples:\n  hazel check models/examples/eight_schools_noncentered.stan\n  hazel check model.stan --dump typed\n  hazel check models/examples/eight_schools_noncentered.stan --data data/bench/eight_schools.json --dump tape\n\nExit status: 0 valid, 1 invalid model, 2 usage or data error."
    )]
    Check(CheckArgs),
    /// Compile a model, bind its data and sample it with NUTS; write draws, summary and plots.
    #[command(
        after_help = "Examples:\n  hazel sample models/examples/eight_schools_noncentered.stan --data data/bench/eight_schools.json\n  hazel sample radon.stan --data radon.csv --factor county:J --labels alpha=county --chains 4 --seed 1\n\nWrites DIR/chain_<k>.csv (Stan CSV), DIR/summary.csv, DIR/draws.parquet, DIR/plots/ and DIR/fit.json.\nCtrl-C (or SIGTERM) stops the chains; the files keep the draws so far and say so, and the\nsummary, plots and fit.json are still written. A second Ctrl-C ends hazel at once.\nExit status: 0 done, 1 the model cannot be sampled, 2 usage or data error, 130 interrupted\n(143 after SIGTERM)."
    )]
    Sample(SampleArgs),
    /// Summarise and diagnose draws in Stan CSV files (hazel's or CmdStan's).
    #[command(
        after_help = "Examples:\n  hazel summary output/eight_schools\n  hazel summary chain_1.csv chain_2.csv --format csv > summary.csv\n\nThe table shows the level labels a `hazel sample --labels` run recorded in DIR/fit.json;\n--format csv keeps Stan's names. Chains of an interrupted run are cut to the shortest."
    )]
    Summary(SummaryArgs),
    /// Draw diagnostic and posterior plots from a folder of Stan CSV files.
    #[command(
        after_help = "Examples:\n  hazel plot output/eight_schools\n  hazel plot output/eight_schools --vars mu,tau --kind trace,rank,pair --format svg\n\nKinds: trace, rank, density, forest, pair, energy, acf (default: all that apply).\nLevel labels a `hazel sample --labels` run recorded in DIR/fit.json name the panels and\nmay be used in --vars (`--vars 'alpha[Aitkin]'`)."
    )]
    Plot(PlotArgs),
    /// PSIS-LOO cross-validation of one or more fits, and their comparison.
    #[command(
        after_help = "Examples:\n  hazel loo output/exponential output/power\n  hazel loo output/model --var log_lik\n\nEach model must write its pointwise log-likelihood in generated quantities."
    )]
    Loo(LooArgs),
}

/// `hazel loo`.
#[derive(Debug, Args)]
pub struct LooArgs {
    /// Output folders (their chain_<k>.csv files), one per model.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The generated quantity holding the pointwise log-likelihood.
    #[arg(long, default_value = hazel::loo::DEFAULT_LOG_LIK_VAR)]
    pub var: String,
}

/// `hazel plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// An output folder holding chain_<k>.csv files (or Stan CSV files).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Variables to plot, comma-separated (`mu,theta` or `theta[2]`); default: top-level
    /// scalars first, capped per file.
    #[arg(long, value_delimiter = ',')]
    pub vars: Option<Vec<String>>,
    /// Plot kinds, comma-separated.
    #[arg(long = "kind", value_delimiter = ',')]
    pub kinds: Option<Vec<String>>,
    /// Image format: png or svg.
    #[arg(long, default_value = "png")]
    pub format: String,
    /// Where to write the plots (default: the first input folder's `plots/`).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// `hazel check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The model file (.stan).
    pub model: PathBuf,
    /// Also print an internal representation: the syntax tree, the typed program, or the
    /// compiled tape (which needs --data).
    #[arg(long, value_enum)]
    pub dump: Option<DumpArg>,
    /// Data files (Stan JSON or tables, as for `hazel sample`): also bind the data to the
    /// model and compile it, reporting data errors. Required by `--dump tape`.
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// Turn a table's text column into level indices, as for `hazel sample`. Repeatable.
    #[arg(long)]
    pub factor: Vec<String>,
}

/// What `hazel check --dump` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DumpArg {
    /// The parsed syntax tree.
    Ast,
    /// The type-checked program.
    Typed,
    /// The compiled tape, one operation per line (needs --data).
    Tape,
}

/// `hazel summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Output folders (their chain_*.csv files) or Stan CSV files; several files are chains.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// How tables are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Aligned for a terminal.
    Table,
    /// Comma-separated, with a header row.
    Csv,
}

/// `hazel sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The model file (.stan).
    pub model: PathBuf,
    /// Data files: Stan JSON, or tables (.csv, .parquet) whose columns become variables of
    /// the same name; repeat for several. A variable given twice is an error.
    #[arg(long)]
    pub data: Vec<PathBuf>,
    /// Turn a table's text column into 1-based level indices (sorted levels); `county:J`
    /// also sets the size variable `J` to the number of levels. Repeatable.
    #[arg(long)]
    pub factor: Vec<String>,
    /// Show level labels for a variable indexed by a factor, e.g. `alpha=county` shows
    /// `alpha[Aitkin]` instead of `alpha[1]` in the printed summary and the plots (recorded
    /// in fit.json, so `hazel summary` and `hazel plot` on the folder do too; summary.csv
    /// keeps Stan's names). Repeatable.
    #[arg(long)]
    pub labels: Vec<String>,
    /// Number of chains, run in parallel.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// Warmup (adaptation) iterations per chain.
    #[arg(long, default_value_t = 1000)]
    pub warmup: usize,
    /// Kept draws per chain.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// Random seed (default: chosen from the clock, printed and recorded in fit.json).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Euclidean metric: diag or dense.
    #[arg(long, value_enum, default_value_t = MetricArg::Diag)]
    pub metric: MetricArg,
    /// Target acceptance statistic of step-size adaptation, in (0, 1).
    #[arg(long, default_value_t = 0.8)]
    pub adapt_delta: f64,
    /// Maximum NUTS tree depth.
    #[arg(long, default_value_t = 10)]
    pub max_depth: u32,
    /// Initial values: a radius R for uniform(-R, R) on the unconstrained scale, or a JSON
    /// file of parameter values.
    #[arg(long)]
    pub init: Option<String>,
    /// Output folder (default: output/<model name>).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core); draws are identical for any value.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Also write the warmup iterations to the chain files.
    #[arg(long)]
    pub save_warmup: bool,
    /// Overwrite results already in the output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress output.
    #[arg(long)]
    pub quiet: bool,
}

impl SampleArgs {
    /// True for `--metric dense`.
    pub fn dense_metric(&self) -> bool {
        self.metric == MetricArg::Dense
    }
}

/// `--metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// Diagonal inverse metric.
    Diag,
    /// Dense inverse metric.
    Dense,
}
