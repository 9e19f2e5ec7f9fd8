//! Command-line arguments (clap) for every `hazel` subcommand.
//!
//! Raw arguments are parsed here and resolved into one configuration value per command
//! before any work starts (see `resolve.rs`), so every usage error is found up front.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// hazel: Bayesian models in the Stan language, sampled with a multicore NUTS engine.
#[derive(Debug, Parser)]
#[command(name = "hazel", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise and diagnose draws in Stan CSV files (hazel's or CmdStan's).
    #[command(
        after_help = "Examples:\n  hazel summary output/eight_schools\n  hazel summary chain_1.csv chain_2.csv --format csv > summary.csv"
    )]
    Summary(SummaryArgs),
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
