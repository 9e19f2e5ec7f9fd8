//! The Rust API in a few lines: compile a model from source text, bind data, sample, and
//! get a [`Fit`] with the draws, the summary (as a table or a polars DataFrame), sampler
//! diagnostics, plots and PSIS-LOO. [`Fit::with_labels`] shows factor levels in place of
//! indices (`alpha[Aitkin]` for `alpha[1]`) in both the summary and the plots.
//!
//! ```
//! use hazel::fit::{Fit, compile_source};
//! use hazel::io::stan_json::DataSet;
//! use hazel::sampler::SamplerConfig;
//!
//! let src = "data { int N; vector[N] y; }
//!            parameters { real mu; real<lower=0> sigma; }
//!            model { mu ~ normal(0, 10); sigma ~ normal(0, 5); y ~ normal(mu, sigma); }";
//! let data = DataSet::from_json_str(r#"{"N": 4, "y": [1.2, 0.8, 1.9, 1.1]}"#, "inline").unwrap();
//! let model = compile_source("normal.stan", src, &data, 1).unwrap();
//! let config = SamplerConfig { warmup: 300, draws: 300, ..SamplerConfig::default() };
//! let fit = Fit::sample(&model, &config).unwrap();
//! let summary = fit.summary().unwrap();
//! let mu = summary.rows.iter().find(|r| r.variable == "mu").unwrap();
//! assert!((mu.mean - 1.25).abs() < 0.5 && mu.rhat < 1.05);
//! let frame = fit.summary_frame().unwrap(); // polars DataFrame, one row per variable
//! assert_eq!(frame.height(), 3); // lp__, mu, sigma
//! ```

use crate::compile::{CompileError, CompileOptions, CompiledModel, compile};
use crate::diagnostics::{DiagnosticsError, SamplerDiagnostics, Warning, sampler_diagnostics};
use crate::draws::{Draws, dotted_to_bracket};
use crate::io::stan_json::DataSet;
use crate::io::tables::{Factor, LabelMap, relabel};
use crate::loo::{LogLik, LooError, LooResult, psis_loo};
use crate::model::Model;
use crate::plot::{DisplayNames, PlotError, PlotOptions, plot};
use crate::sampler::{NoProgress, Progress, SampleError, SamplerConfig, sample_with_progress};
use crate::summary::{Summary, summarize_run};
use std::path::{Path, PathBuf};

/// Why a model could not be built from source.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// The program has errors; the text is rendered with file, line, column and caret.
    #[error("{0}")]
    Program(String),
    /// Data or evaluation problems while binding.
    #[error(transparent)]
    Compile(#[from] CompileError),
}

/// Checks `source` (named `name` in messages), binds `data` and lowers it to a model;
/// `seed` drives `_rng` calls in transformed data.
pub fn compile_source(
    name: &str,
    source: &str,
    data: &DataSet,
    seed: u64,
) -> Result<CompiledModel, FitError> {
    let program =
        crate::lang::check(name, source).map_err(|d| FitError::Program(d.render(source)))?;
    let opts = CompileOptions {
        seed,
        source: source.to_string(),
    };
    Ok(compile(&program, data, &opts)?)
}

/// The draws of a run with the configuration that made them.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Draws of every chain: sampler columns, then the model's output columns.
    pub draws: Draws,
    /// The sampler configuration used.
    pub config: SamplerConfig,
    /// Names shown instead of Stan's in the summary and plots (see [`Fit::with_labels`]);
    /// empty by default.
    pub names: DisplayNames,
}

/// The display name of every model column of `draws` that `labels` relabels
/// (`alpha[1]` → `alpha[Aitkin]`), keyed by its bracket name.
pub fn label_names(draws: &Draws, factors: &[Factor], labels: &LabelMap) -> DisplayNames {
    draws
        .variable_indices()
        .into_iter()
        .filter_map(|i| {
            let raw = dotted_to_bracket(&draws.columns[i]);
            let shown = relabel(&raw, factors, labels);
            (shown != raw).then_some((raw, shown))
        })
        .collect()
}

/// Renames the rows of `summary`, and the variables its warnings list, by `names`.
pub fn apply_names(summary: &mut Summary, names: &DisplayNames) {
    let rename = |name: &mut String| {
        if let Some(shown) = names.get(name.as_str()) {
            *name = shown.clone();
        }
    };
    summary
        .rows
        .iter_mut()
        .for_each(|r| rename(&mut r.variable));
    for warning in &mut summary.warnings {
        if let Warning::HighRhat { variables, .. }
        | Warning::LowEssBulk { variables, .. }
        | Warning::LowEssTail { variables, .. } = warning
        {
            variables.iter_mut().for_each(rename);
        }
    }
}

impl Fit {
    /// Samples `model` with `config` (chains in parallel).
    pub fn sample<M: Model>(model: &M, config: &SamplerConfig) -> Result<Fit, SampleError> {
        Self::sample_with_progress(model, config, &NoProgress)
    }

    /// Like [`Fit::sample`], reporting each chain's progress to `progress` (for instance
    /// [`crate::sampler::LineProgress`], which prints a line per chain every tenth).
    pub fn sample_with_progress<M: Model>(
        model: &M,
        config: &SamplerConfig,
        progress: &dyn Progress,
    ) -> Result<Fit, SampleError> {
        Ok(Fit {
            draws: sample_with_progress(model, config, progress)?,
            config: config.clone(),
            names: DisplayNames::new(),
        })
    }

    /// The fit with factor levels shown in place of indices: `labels` says which index of
    /// which variable runs over which factor (as `hazel sample --labels alpha=county`,
    /// see [`crate::io::tables::parse_labels`]), `factors` hold the levels (from
    /// [`crate::io::tables::read_table`] or [`crate::io::tables::read_frame`]). The
    /// summary and the plots then both say `alpha[Aitkin]` for `alpha[1]`.
    pub fn with_labels(mut self, factors: &[Factor], labels: &LabelMap) -> Fit {
        self.names = label_names(&self.draws, factors, labels);
        self
    }

    /// Mean, quantiles, R-hat, ESS and MCSE per variable, plus sampler diagnostics; rows
    /// are named by [`Fit::names`] where it has an entry.
    pub fn summary(&self) -> Result<Summary, DiagnosticsError> {
        let mut summary = self.stan_summary()?;
        apply_names(&mut summary, &self.names);
        Ok(summary)
    }

    /// The summary under Stan's names.
    fn stan_summary(&self) -> Result<Summary, DiagnosticsError> {
        summarize_run(&self.draws, Some(self.config.max_depth))
    }

    /// The summary as a polars DataFrame with the columns of `summary.csv`.
    pub fn summary_frame(&self) -> Result<polars::prelude::DataFrame, String> {
        let summary = self.summary().map_err(|e| e.to_string())?;
        summary.to_dataframe().map_err(|e| e.to_string())
    }

    /// Divergences, tree-depth hits and E-BFMI per chain.
    pub fn sampler_diagnostics(&self) -> SamplerDiagnostics {
        sampler_diagnostics(&self.draws, Some(self.config.max_depth))
    }

    /// Draws the plots chosen in `opts` into `dir` (R-hat flags filled in when absent;
    /// variables named by [`Fit::names`] unless `opts.names` is given).
    pub fn plot(&self, opts: &PlotOptions, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
        let mut opts = opts.clone();
        if opts.names.is_empty() {
            opts.names = self.names.clone();
        }
        if opts.rhat.is_none() {
            opts.rhat = self.stan_summary().ok().map(|s| {
                s.rows
                    .iter()
                    .map(|r| (r.variable.clone(), r.rhat))
                    .collect()
            });
        }
        plot(&self.draws, &opts, dir)
    }

    /// PSIS-LOO from the pointwise log-likelihood generated quantity `var` (e.g. `log_lik`).
    pub fn loo(&self, var: &str) -> Result<LooResult, LooError> {
        let log_lik = LogLik::from_draws(&self.draws, var)?;
        let r_eff = log_lik.relative_efficiency();
        psis_loo(&log_lik, &r_eff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::{ChainDraws, DrawSink, SAMPLER_COLUMNS};
    use crate::io::tables::parse_labels;
    use crate::plot::{PlotFormat, PlotKind};

    /// Two chains of a two-element `alpha` and a scalar `sigma`, from a fixed recurrence.
    fn synthetic_fit() -> Fit {
        let mut columns: Vec<String> = SAMPLER_COLUMNS.iter().map(|s| s.to_string()).collect();
        columns.extend(["alpha.1", "alpha.2", "sigma"].map(String::from));
        let chains = (0..2)
            .map(|k| {
                let mut chain = ChainDraws::with_columns(columns.len());
                let mut x = 0.3 * k as f64;
                for i in 0..200 {
                    x = (0.6 * x + ((i * 37 + k * 11) % 17) as f64 / 17.0 - 0.5).clamp(-3.0, 3.0);
                    let mut row = vec![-1.0 - x * x, 0.9, 0.4, 3.0, 7.0, 0.0, 2.0 + x * x];
                    row.extend([x, 1.0 + 0.5 * x, 1.5 + 0.1 * x]);
                    chain.draw_row(&row).unwrap();
                }
                chain
            })
            .collect();
        Fit {
            draws: Draws { columns, chains },
            config: SamplerConfig::default(),
            names: DisplayNames::new(),
        }
    }

    #[test]
    fn labels_rename_the_summary_and_the_plots_alike() {
        let factors = [Factor {
            column: "county".into(),
            size_var: None,
            labels: vec!["Aitkin".into(), "Anoka".into()],
        }];
        let labels = parse_labels(&["alpha=county".to_string()], &factors).unwrap();
        let fit = synthetic_fit().with_labels(&factors, &labels);
        assert_eq!(fit.names.len(), 2);
        let names: Vec<String> = fit
            .summary()
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.variable)
            .collect();
        assert_eq!(names, ["lp__", "alpha[Aitkin]", "alpha[Anoka]", "sigma"]);
        let dir = std::env::temp_dir().join(format!("hazel-fit-labels-{}", std::process::id()));
        let opts = PlotOptions {
            format: PlotFormat::Svg,
            kinds: vec![PlotKind::Trace, PlotKind::Forest],
            ..PlotOptions::default()
        };
        let files = fit.plot(&opts, &dir).unwrap();
        assert_eq!(files.len(), 2);
        for file in files {
            let svg = std::fs::read_to_string(&file).unwrap();
            assert!(
                svg.contains("alpha[Aitkin]") && svg.contains("alpha[Anoka]"),
                "{}",
                file.display()
            );
            assert!(!svg.contains("alpha[1]"), "{}", file.display());
        }
        // Without labels, Stan's names.
        let plain = synthetic_fit().summary().unwrap();
        assert_eq!(plain.rows[1].variable, "alpha[1]");
    }
}
