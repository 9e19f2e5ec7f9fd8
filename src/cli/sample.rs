//! `hazel sample`: check and compile a model, bind its data, run the chains in parallel
//! with live progress, and write the output folder: `chain_<k>.csv` (Stan CSV, streamed),
//! `summary.csv`, `draws.parquet`, `plots/` and `fit.json`.

use super::EXIT_FAILURE;
use super::args::SampleArgs;
use super::bind::{Failure, load_model, usage};
use super::chains::read_chains;
use super::progress::Reporter;
use super::record::{FIT_JSON, fit_json};
use super::stop::StopRequest;
use hazel::compile::CompiledModel;
use hazel::draws::Draws;
use hazel::fit::{apply_names, label_names};
use hazel::io::parquet::write_parquet;
use hazel::io::stan_csv::{RunInfo, StanCsvWriter};
use hazel::io::stan_json::DataSet;
use hazel::io::tables::{Factor, LabelMap, parse_labels};
use hazel::model::{LogDensity, Model};
use hazel::plot::{DisplayNames, PlotOptions, plot};
use hazel::sampler::{Init, MetricKind, RunOutcome, SamplerConfig, sample_with_sinks};
use hazel::summary::{chain_files, summarize_run};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Everything `hazel sample` needs, resolved from the arguments before any work.
pub struct Plan {
    pub model_path: PathBuf,
    model_name: String,
    pub data_paths: Vec<PathBuf>,
    factors: Vec<String>,
    labels: Vec<String>,
    out_dir: PathBuf,
    init: InitArg,
    quiet: bool,
    pub config: SamplerConfig,
}

/// `--init`: a radius for uniform random inits, or a file of initial values.
enum InitArg {
    Radius(f64),
    File(PathBuf),
}

/// Where results go when `--output` is not given: `output/<model file stem>`.
pub fn default_output_dir(model: &Path) -> PathBuf {
    let stem = model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    PathBuf::from("output").join(stem)
}

fn resolve(a: SampleArgs) -> Result<Plan, Failure> {
    if !(a.adapt_delta > 0.0 && a.adapt_delta < 1.0) {
        return Err(usage(format!(
            "--adapt-delta must be strictly between 0 and 1, got {}",
            a.adapt_delta
        )));
    }
    if a.chains == 0 {
        return Err(usage("--chains must be at least 1"));
    }
    if a.max_depth == 0 {
        return Err(usage("--max-depth must be at least 1"));
    }
    if a.threads == Some(0) {
        return Err(usage("--threads must be at least 1"));
    }
    let init = match &a.init {
        None => InitArg::Radius(2.0),
        Some(text) => match text.parse::<f64>() {
            Ok(r) if r >= 0.0 && r.is_finite() => InitArg::Radius(r),
            Ok(r) => {
                return Err(usage(format!(
                    "--init radius must be a finite number >= 0, got {r}"
                )));
            }
            Err(_) => InitArg::File(PathBuf::from(text)),
        },
    };
    let seed = a.seed.unwrap_or_else(random_seed);
    let model_name = a
        .model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into());
    let out_dir = a
        .output
        .clone()
        .unwrap_or_else(|| default_output_dir(&a.model));
    let config = SamplerConfig {
        chains: a.chains,
        warmup: a.warmup,
        draws: a.draws,
        seed,
        metric: if a.dense_metric() {
            MetricKind::Dense
        } else {
            MetricKind::Diag
        },
        adapt_delta: a.adapt_delta,
        max_depth: a.max_depth,
        save_warmup: a.save_warmup,
        threads: a.threads,
        ..SamplerConfig::default()
    };
    check_output_dir(&out_dir, a.force)?;
    Ok(Plan {
        model_path: a.model,
        model_name,
        data_paths: a.data,
        factors: a.factor,
        labels: a.labels,
        out_dir,
        init,
        quiet: a.quiet,
        config,
    })
}

/// A seed from the clock and the process id, used when `--seed` is not given (it is
/// printed and recorded, so the run can be repeated).
fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    (nanos ^ ((std::process::id() as u64) << 32)) % 4_294_967_291
}

/// Existing results are never overwritten without `--force`.
fn check_output_dir(dir: &Path, force: bool) -> Result<(), Failure> {
    if dir.exists() && !force {
        let has_results = std::fs::read_dir(dir)
            .map(|entries| {
                entries.flatten().any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with("chain_") || name == "summary.csv" || name == "fit.json"
                })
            })
            .unwrap_or(false);
        if has_results {
            return Err(usage(format!(
                "{}: holds results of an earlier run; choose another --output or add --force to overwrite",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// Removes what an earlier run (allowed by `--force`) left in `dir` and this run might not
/// rewrite: every `chain_<k>.csv` (a run with more chains would otherwise leave chains that
/// `hazel summary DIR` mixes in), the summary, draws, record and plots. Other files stay.
fn clear_previous_results(dir: &Path) -> Result<(), Failure> {
    let cannot =
        |p: &Path, e: std::io::Error| usage(format!("{}: cannot remove: {e}", p.display()));
    // No chain files at all is the usual case, not an error.
    for path in chain_files(&[dir.to_path_buf()]).unwrap_or_default() {
        std::fs::remove_file(&path).map_err(|e| cannot(&path, e))?;
    }
    for name in ["summary.csv", "draws.parquet", FIT_JSON] {
        let path = dir.join(name);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| cannot(&path, e))?;
        }
    }
    let plots = dir.join("plots");
    if plots.is_dir() {
        std::fs::remove_dir_all(&plots).map_err(|e| cannot(&plots, e))?;
    }
    Ok(())
}

fn compile_model(plan: &Plan) -> Result<(CompiledModel, LabelMap, Vec<Factor>, f64), Failure> {
    let start = Instant::now();
    let (model, factors) = load_model(
        &plan.model_path,
        &plan.data_paths,
        &plan.factors,
        plan.config.seed,
    )?;
    let labels =
        parse_labels(&plan.labels, &factors).map_err(|e| usage(format!("--labels: {e}")))?;
    Ok((model, labels, factors, start.elapsed().as_secs_f64()))
}

fn initial_values(plan: &Plan, model: &CompiledModel) -> Result<Init, Failure> {
    match &plan.init {
        InitArg::Radius(radius) => Ok(Init::Random { radius: *radius }),
        InitArg::File(path) => {
            let values =
                DataSet::from_json_file(path).map_err(|e| usage(format!("--init: {e}")))?;
            let x = model
                .unconstrain(&values)
                .map_err(|e| usage(format!("--init {}: {e}", path.display())))?;
            Ok(Init::Given(vec![x]))
        }
    }
}

fn open_sinks(
    plan: &Plan,
    model: &CompiledModel,
) -> Result<Vec<StanCsvWriter<BufWriter<File>>>, Failure> {
    std::fs::create_dir_all(&plan.out_dir).map_err(|e| {
        usage(format!(
            "{}: cannot create output folder: {e}",
            plan.out_dir.display()
        ))
    })?;
    clear_previous_results(&plan.out_dir)?;
    let columns = model.output_names();
    let cfg = &plan.config;
    (1..=cfg.chains)
        .map(|k| {
            let path = plan.out_dir.join(format!("chain_{k}.csv"));
            let file = File::create(&path)
                .map_err(|e| usage(format!("{}: cannot write: {e}", path.display())))?;
            let info = RunInfo {
                model: plan.model_name.clone(),
                data_files: plan
                    .data_paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect(),
                seed: cfg.seed,
                chain_id: k,
                num_chains: cfg.chains,
                num_warmup: cfg.warmup,
                num_samples: cfg.draws,
                save_warmup: cfg.save_warmup,
                metric: cfg.metric,
                adapt_delta: cfg.adapt_delta,
                max_depth: cfg.max_depth,
                hazel_version: RunInfo::VERSION.to_string(),
            };
            StanCsvWriter::new(BufWriter::new(file), &info, &columns)
                .map_err(|e| usage(format!("{}: cannot write: {e}", path.display())))
        })
        .collect()
}

/// Runs `hazel sample`.
pub fn run(a: SampleArgs) -> Result<(), Failure> {
    let mut plan = resolve(a)?;
    let (model, labels, factors, compile_seconds) = compile_model(&plan)?;
    plan.config.init = initial_values(&plan, &model)?;
    plan.config.validate(model.dim()).map_err(usage)?;
    let sinks = open_sinks(&plan, &model)?;

    let stop = StopRequest::install();
    plan.config.stop = Some(Arc::clone(&stop.flag));

    let cfg = &plan.config;
    if !plan.quiet {
        eprintln!(
            "hazel: {} ({} parameters on the unconstrained scale), {} chains x ({} warmup + {} draws), seed {}",
            plan.model_name,
            model.dim(),
            cfg.chains,
            cfg.warmup,
            cfg.draws,
            cfg.seed
        );
    }
    let reporter = Reporter::new(cfg.chains, cfg.warmup, cfg.draws, plan.quiet);
    let outcome = sample_with_sinks(&model, cfg, sinks, &reporter);
    let interrupted = stop.requested();
    reporter.finish(interrupted || outcome.is_err());
    let outcome = outcome.map_err(|e| (format!("sampling failed: {e}"), EXIT_FAILURE))?;
    for line in rejection_report(&outcome) {
        eprintln!("{line}");
    }
    let dir = &plan.out_dir;
    let files: Vec<PathBuf> = (1..=cfg.chains)
        .map(|k| dir.join(format!("chain_{k}.csv")))
        .collect();
    let draws = read_chains(&files)
        .map_err(|e| (format!("reading back the draws: {e}"), EXIT_FAILURE))?
        .draws;
    let names = label_names(&draws, &factors, &labels);
    let run = Run {
        outcome: &outcome,
        draws: &draws,
        names: &names,
        compile_seconds,
        interrupted,
    };
    // Cut to equal length, so a chain stopped in warmup leaves none.
    let kept = draws.chains.iter().all(|c| c.num_draws() > 0);
    let written = if kept || !interrupted {
        report_results(&plan, &run)?
    } else {
        // Stopped during warmup: there is nothing to summarise or plot.
        write_file(dir, FIT_JSON, record(&plan, &run))?;
        format!("{FIT_JSON} (no draws were kept)")
    };
    println!(
        "\nWrote {} ({} chain files, {written})",
        dir.display(),
        cfg.chains
    );
    if interrupted {
        return Err((
            if kept {
                format!(
                    "interrupted by {}: the files hold the draws made before it",
                    stop.cause()
                )
            } else {
                format!(
                    "interrupted by {} before every chain had a draw: nothing to summarise",
                    stop.cause()
                )
            },
            stop.exit_status(),
        ));
    }
    Ok(())
}

/// A finished (or stopped) run, read back from its chain files.
struct Run<'a, S> {
    outcome: &'a RunOutcome<S>,
    draws: &'a Draws,
    /// Display names from `--labels` (`alpha[1]` → `alpha[Aitkin]`).
    names: &'a DisplayNames,
    compile_seconds: f64,
    interrupted: bool,
}

fn record<S>(plan: &Plan, run: &Run<'_, S>) -> String {
    fit_json(
        plan,
        run.outcome,
        run.compile_seconds,
        run.interrupted,
        run.names,
    )
}

/// Writes `text` to `dir/name`.
fn write_file(dir: &Path, name: &str, text: String) -> Result<(), Failure> {
    std::fs::write(dir.join(name), text).map_err(|e| {
        (
            format!("{}: cannot write: {e}", dir.join(name).display()),
            EXIT_FAILURE,
        )
    })
}

/// Writes the summary, draws.parquet, plots and fit.json, prints the summary table and
/// returns the list of what was written, for the closing line.
fn report_results<S>(plan: &Plan, run: &Run<'_, S>) -> Result<String, Failure> {
    let cfg = &plan.config;
    let dir = &plan.out_dir;
    let draws = run.draws;
    let summary = summarize_run(draws, Some(cfg.max_depth))
        .map_err(|e| (format!("summarising the draws: {e}"), EXIT_FAILURE))?;
    write_file(dir, "summary.csv", summary.to_csv())?;
    write_parquet(draws, &dir.join("draws.parquet"))
        .map_err(|e| (format!("writing draws.parquet: {e}"), EXIT_FAILURE))?;
    let rhat = summary
        .rows
        .iter()
        .map(|r| (r.variable.clone(), r.rhat))
        .collect();
    let plot_opts = PlotOptions {
        rhat: Some(rhat),
        names: run.names.clone(),
        ..Default::default()
    };
    let plots = match plot(draws, &plot_opts, &dir.join("plots")) {
        Ok(paths) => paths.len(),
        Err(e) => {
            eprintln!("warning: plots were not drawn: {e}");
            0
        }
    };
    write_file(dir, FIT_JSON, record(plan, run))?;
    let mut shown = summary;
    apply_names(&mut shown, run.names);
    print!("{}", shown.to_table());
    Ok(format!(
        "summary.csv, draws.parquet, {plots} plots, {FIT_JSON}"
    ))
}

/// One line per chain whose model rejected points: how often, and each kept message with
/// its count (the first of each kind was already shown live).
fn rejection_report<S>(outcome: &RunOutcome<S>) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, c) in outcome.chains.iter().enumerate() {
        let r = &c.rejections;
        if r.total() == 0 {
            continue;
        }
        lines.push(format!(
            "chain {}: the model rejected {} proposals:",
            i + 1,
            r.total()
        ));
        lines.extend(r.messages.iter().map(|(m, n)| format!("  {n:>6} x {m}")));
        if r.other > 0 {
            lines.push(format!("  {:>6} x other messages", r.other));
        }
    }
    lines
}
