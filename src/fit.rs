//! The Rust API in a few lines: compile a model from source text, bind data, sample, and
//! get a [`Fit`] with the draws, the summary (as a table or a polars DataFrame), sampler
//! diagnostics, plots and PSIS-LOO.
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
use crate::diagnostics::{DiagnosticsError, SamplerDiagnostics, sampler_diagnostics};
use crate::draws::Draws;
use crate::io::stan_json::DataSet;
use crate::loo::{LogLik, LooError, LooResult, psis_loo};
use crate::model::Model;
use crate::plot::{PlotError, PlotOptions, plot};
use crate::sampler::{SampleError, SamplerConfig, sample};
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
}

impl Fit {
    /// Samples `model` with `config` (chains in parallel).
    pub fn sample<M: Model>(model: &M, config: &SamplerConfig) -> Result<Fit, SampleError> {
        Ok(Fit {
            draws: sample(model, config)?,
            config: config.clone(),
        })
    }

    /// Mean, quantiles, R-hat, ESS and MCSE per variable, plus sampler diagnostics.
    pub fn summary(&self) -> Result<Summary, DiagnosticsError> {
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

    /// Draws the plots chosen in `opts` into `dir` (R-hat flags filled in when absent).
    pub fn plot(&self, opts: &PlotOptions, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
        let mut opts = opts.clone();
        if opts.rhat.is_none() {
            opts.rhat = self.summary().ok().map(|s| {
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
