//! `hazel summary`: summarise and diagnose Stan CSV files. The table shows the level
//! labels a `hazel sample --labels` run recorded in its `fit.json`; `--format csv` keeps
//! Stan's names, as `summary.csv` does, for programs that join on them.

use super::args::{SummaryArgs, TableFormat};
use super::chains::read_chains;
use super::record::recorded_names;
use hazel::fit::apply_names;
use hazel::summary::{SummaryError, chain_files, summarize_run};

/// Runs `hazel summary` and returns the text to print; every error is about the input.
pub fn run(a: &SummaryArgs) -> Result<String, String> {
    let text = |e: SummaryError| e.to_string();
    let csv = read_chains(&chain_files(&a.inputs).map_err(text)?).map_err(|e| text(e.into()))?;
    let mut summary = summarize_run(&csv.draws, csv.max_depth()).map_err(|e| text(e.into()))?;
    Ok(match a.format {
        TableFormat::Csv => summary.to_csv(),
        TableFormat::Table => {
            apply_names(&mut summary, &recorded_names(&a.inputs)?);
            summary.to_table()
        }
    })
}
