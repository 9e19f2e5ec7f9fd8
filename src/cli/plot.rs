//! `hazel plot`: read Stan CSV files, compute R-hat for the forest flags, draw the plots
//! (with the level labels a `hazel sample --labels` run recorded in its `fit.json`).

use super::args::PlotArgs;
use super::chains::read_chains;
use super::record::recorded_names;
use hazel::plot::{PlotFormat, PlotKind, PlotOptions, plot};
use hazel::summary::{chain_files, summarize};
use std::path::PathBuf;

/// Runs `hazel plot`; on error returns the message and the exit status.
pub fn run(a: PlotArgs) -> Result<(), (String, i32)> {
    let usage = |m: String| (m, super::EXIT_USAGE);
    let format: PlotFormat = a
        .format
        .parse()
        .map_err(|e| usage(format!("--format: {e}")))?;
    let kinds = match &a.kinds {
        None => Vec::new(),
        Some(list) => list
            .iter()
            .map(|k| {
                k.trim()
                    .parse::<PlotKind>()
                    .map_err(|e| usage(format!("--kind: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let files = chain_files(&a.inputs).map_err(|e| usage(e.to_string()))?;
    let draws = read_chains(&files).map_err(|e| usage(e.to_string()))?.draws;
    let rhat = summarize(&draws)
        .map(|s| {
            s.rows
                .iter()
                .map(|r| (r.variable.clone(), r.rhat))
                .collect()
        })
        .ok();
    let names = recorded_names(&a.inputs).map_err(usage)?;
    let out_dir = a.output.unwrap_or_else(|| default_plot_dir(&a.inputs[0]));
    let opts = PlotOptions {
        vars: a.vars,
        kinds,
        format,
        rhat,
        names,
        ..Default::default()
    };
    let written =
        plot(&draws, &opts, &out_dir).map_err(|e| (e.to_string(), super::EXIT_FAILURE))?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(())
}

/// `DIR/plots` for a folder, or `plots/` beside a CSV file.
fn default_plot_dir(input: &std::path::Path) -> PathBuf {
    if input.is_dir() {
        input.join("plots")
    } else {
        input
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("plots")
    }
}
