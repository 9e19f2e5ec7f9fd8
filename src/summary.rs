//! The posterior summary table: per-variable statistics and diagnostics as a polars DataFrame.
//!
//! [`summarize`] computes, for `lp__` and every model column in column order, the mean,
//! median, sd, MAD, 5% and 95% quantiles, rank-normalized R-hat, bulk and tail ESS and
//! the MCSE of mean and sd, plus the sampler diagnostics and warnings. The table renders
//! as a polars DataFrame, as CSV (`summary.csv`) and as aligned text like CmdStan's
//! `stansummary` ([`crate::io::summary_format`]). [`summary_command`] is the library
//! side of `hazel summary DIR|CSV... [--format table|csv]`.

use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataFrame, PolarsError};

use crate::diagnostics::warnings::VariableCheck;
use crate::diagnostics::{
    ChainArray, DiagnosticsError, SamplerDiagnostics, Thresholds, Warning, convergence_warnings,
    sampler_diagnostics,
};
use crate::draws::{Draws, dotted_to_bracket};
use crate::io::stan_csv::{StanCsvError, read_stan_csv};
use crate::io::summary_format::{render_csv, render_table};

/// The column names of the summary table, in order (DESIGN.md, CLI contract).
pub const SUMMARY_COLUMNS: [&str; 12] = [
    "variable",
    "mean",
    "median",
    "sd",
    "mad",
    "q5",
    "q95",
    "rhat",
    "ess_bulk",
    "ess_tail",
    "mcse_mean",
    "mcse_sd",
];

/// The lower quantile reported (`q5`).
pub const Q_LOW: f64 = 0.05;
/// The upper quantile reported (`q95`).
pub const Q_HIGH: f64 = 0.95;

/// One variable's row of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Name in bracket form (`theta[1]`).
    pub variable: String,
    /// Mean of all draws.
    pub mean: f64,
    /// Median of all draws.
    pub median: f64,
    /// Standard deviation (ddof = 1).
    pub sd: f64,
    /// Normalized median absolute deviation.
    pub mad: f64,
    /// 5% quantile.
    pub q5: f64,
    /// 95% quantile.
    pub q95: f64,
    /// Rank-normalized split R-hat, the max of bulk and tail (ArviZ `rhat(method="rank")`).
    pub rhat: f64,
    /// Bulk ESS.
    pub ess_bulk: f64,
    /// Tail ESS.
    pub ess_tail: f64,
    /// MCSE of the mean.
    pub mcse_mean: f64,
    /// MCSE of the sd.
    pub mcse_sd: f64,
}

impl SummaryRow {
    /// The numeric fields in [`SUMMARY_COLUMNS`] order (after `variable`).
    pub fn values(&self) -> [f64; 11] {
        [
            self.mean,
            self.median,
            self.sd,
            self.mad,
            self.q5,
            self.q95,
            self.rhat,
            self.ess_bulk,
            self.ess_tail,
            self.mcse_mean,
            self.mcse_sd,
        ]
    }
}

/// The summary of a fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// One row per variable: `lp__` and the model columns, in column order.
    pub rows: Vec<SummaryRow>,
    /// Number of chains.
    pub num_chains: usize,
    /// Kept draws per chain.
    pub draws_per_chain: usize,
    /// Divergences, tree depth, E-BFMI.
    pub sampler: SamplerDiagnostics,
    /// Problems found, with the standard thresholds.
    pub warnings: Vec<Warning>,
}

/// Summarizes `draws` without knowing the run's maximum tree depth (no tree-depth check).
pub fn summarize(draws: &Draws) -> Result<Summary, DiagnosticsError> {
    summarize_run(draws, None)
}

/// Summarizes `draws` of a run whose NUTS maximum tree depth was `max_depth`.
/// Fails only when chains differ in length or there are none.
pub fn summarize_run(draws: &Draws, max_depth: Option<u32>) -> Result<Summary, DiagnosticsError> {
    if draws.chains.is_empty() {
        return Err(DiagnosticsError::NoChains);
    }
    let mut rows = Vec::new();
    for (k, name) in draws.columns.iter().enumerate() {
        if name.ends_with("__") && name != "lp__" {
            continue;
        }
        let chains = draws.column(k);
        let arr = ChainArray::new(&chains)?;
        rows.push(SummaryRow {
            variable: dotted_to_bracket(name),
            mean: arr.mean(),
            median: arr.median(),
            sd: arr.sd(),
            mad: arr.mad(),
            q5: arr.quantile(Q_LOW),
            q95: arr.quantile(Q_HIGH),
            rhat: arr.rhat_rank(),
            ess_bulk: arr.ess_bulk(),
            ess_tail: arr.ess_tail(),
            mcse_mean: arr.mcse_mean(),
            mcse_sd: arr.mcse_sd(),
        });
    }
    let sampler = sampler_diagnostics(draws, max_depth);
    let checks: Vec<VariableCheck<'_>> = rows
        .iter()
        .map(|r| VariableCheck {
            name: &r.variable,
            rhat: r.rhat,
            ess_bulk: r.ess_bulk,
            ess_tail: r.ess_tail,
        })
        .collect();
    let warnings = convergence_warnings(
        &checks,
        draws.chains.len(),
        &sampler,
        &Thresholds::default(),
    );
    Ok(Summary {
        num_chains: draws.chains.len(),
        draws_per_chain: draws.chains[0].num_draws(),
        rows,
        sampler,
        warnings,
    })
}

impl Summary {
    /// The table as a DataFrame with [`SUMMARY_COLUMNS`].
    pub fn to_dataframe(&self) -> Result<DataFrame, PolarsError> {
        let mut columns = vec![Column::new(
            SUMMARY_COLUMNS[0].into(),
            self.rows
                .iter()
                .map(|r| r.variable.clone())
                .collect::<Vec<_>>(),
        )];
        for (j, name) in SUMMARY_COLUMNS[1..].iter().enumerate() {
            let values: Vec<f64> = self.rows.iter().map(|r| r.values()[j]).collect();
            columns.push(Column::new((*name).into(), values));
        }
        DataFrame::new(self.rows.len(), columns)
    }

    /// The table as CSV with a header line, numbers at full round-trip precision.
    pub fn to_csv(&self) -> String {
        render_csv(self)
    }

    /// The aligned text table followed by the sampler-diagnostic lines and warnings.
    pub fn to_table(&self) -> String {
        render_table(self)
    }
}

/// How `hazel summary` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SummaryFormat {
    /// Aligned text with diagnostics (the default).
    #[default]
    Table,
    /// CSV with [`SUMMARY_COLUMNS`].
    Csv,
}

/// Why `hazel summary` failed.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// A directory held no `chain_*.csv` files.
    #[error("{0}: no chain_<k>.csv files in this directory")]
    NoChainFiles(String),
    /// A directory could not be listed.
    #[error("{path}: cannot list directory: {source}")]
    ListDir {
        /// The directory.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A Stan CSV file is malformed or the chains do not fit together.
    #[error(transparent)]
    StanCsv(#[from] StanCsvError),
    /// The draws cannot be summarized.
    #[error(transparent)]
    Diagnostics(#[from] DiagnosticsError),
}

/// The chain number `k` of a file named `chain_<k>.csv`.
fn chain_number(path: &Path) -> Option<u64> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix("chain_")?
        .strip_suffix(".csv")?
        .parse()
        .ok()
}

/// Expands directories into their `chain_<k>.csv` files, sorted by chain number; files
/// are kept as given.
pub fn chain_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SummaryError> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let list_err = |source| SummaryError::ListDir {
            path: path.display().to_string(),
            source,
        };
        let mut found: Vec<(u64, PathBuf)> = Vec::new();
        for entry in std::fs::read_dir(path).map_err(list_err)? {
            let p = entry.map_err(list_err)?.path();
            if let Some(k) = chain_number(&p) {
                found.push((k, p));
            }
        }
        if found.is_empty() {
            return Err(SummaryError::NoChainFiles(path.display().to_string()));
        }
        found.sort();
        out.extend(found.into_iter().map(|(_, p)| p));
    }
    Ok(out)
}

/// `hazel summary DIR|CSV... [--format table|csv]`: reads the chains (a directory means
/// its `chain_<k>.csv` files), summarizes them and renders the result.
pub fn summary_command(paths: &[PathBuf], format: SummaryFormat) -> Result<String, SummaryError> {
    let csv = read_stan_csv(&chain_files(paths)?)?;
    let summary = summarize_run(&csv.draws, csv.max_depth())?;
    Ok(match format {
        SummaryFormat::Table => summary.to_table(),
        SummaryFormat::Csv => summary.to_csv(),
    })
}
