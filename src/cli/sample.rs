//! `hazel sample`: check and compile a model, bind its data, run the chains in parallel
//! with live progress, and write the output folder: `chain_<k>.csv` (Stan CSV, streamed),
//! `summary.csv`, `draws.parquet`, `plots/` and `fit.json`.

use super::args::SampleArgs;
use super::progress::Reporter;
use super::{EXIT_FAILURE, EXIT_USAGE};
use hazel::compile::{CompileError, CompileOptions, CompiledModel, compile};
use hazel::draws::Draws;
use hazel::io::parquet::write_parquet;
use hazel::io::stan_csv::{RunInfo, StanCsvWriter, read_stan_csv};
use hazel::io::stan_json::DataSet;
use hazel::io::table_sizes::fill_sizes_from_tables;
use hazel::io::tables::{
    Factor, FactorSpec, LabelMap, TableData, TableOptions, check_factors_found, is_table_path,
    parse_labels, read_table, relabel,
};
use hazel::model::{LogDensity, Model};
use hazel::plot::{PlotOptions, plot};
use hazel::sampler::{Init, MetricKind, RunOutcome, SamplerConfig, sample_with_sinks};
use hazel::summary::summarize_run;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// An error message with the exit status it implies.
type Failure = (String, i32);

fn usage(message: impl Into<String>) -> Failure {
    (message.into(), EXIT_USAGE)
}

/// Everything `hazel sample` needs, resolved from the arguments before any work.
struct Plan {
    model_path: PathBuf,
    model_name: String,
    data_paths: Vec<PathBuf>,
    factors: Vec<String>,
    labels: Vec<String>,
    out_dir: PathBuf,
    init: InitArg,
    quiet: bool,
    config: SamplerConfig,
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

/// All `--data` inputs merged: Stan JSON files and tables (CSV/Parquet), with the factors
/// the tables defined (for `--labels`).
fn read_data(
    paths: &[PathBuf],
    factor_specs: &[String],
) -> Result<(DataSet, Vec<Factor>), Failure> {
    let specs = factor_specs
        .iter()
        .map(|f| FactorSpec::parse(f).map_err(|e| usage(format!("--factor: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let options = TableOptions {
        factors: specs.clone(),
        skip_absent_factors: true,
    };
    let mut data = DataSet::default();
    let mut tables = Vec::new();
    for path in paths {
        if is_table_path(path) {
            let table = read_table(path, &options).map_err(|e| usage(e.to_string()))?;
            data.merge(table.data.clone())
                .map_err(|e| usage(e.to_string()))?;
            tables.push(table);
        } else {
            let part = DataSet::from_json_file(path).map_err(|e| usage(e.to_string()))?;
            data.merge(part).map_err(|e| usage(e.to_string()))?;
        }
    }
    let table_refs: Vec<&TableData> = tables.iter().collect();
    check_factors_found(&specs, &table_refs).map_err(|e| usage(e.to_string()))?;
    let factors = tables.into_iter().flat_map(|t| t.factors).collect();
    Ok((data, factors))
}

fn compile_model(plan: &Plan) -> Result<(CompiledModel, LabelMap, Vec<Factor>, f64), Failure> {
    let start = Instant::now();
    let source = std::fs::read_to_string(&plan.model_path).map_err(|e| {
        usage(format!(
            "{}: cannot read model: {e}",
            plan.model_path.display()
        ))
    })?;
    let name = plan.model_path.display().to_string();
    let program =
        hazel::lang::check(&name, &source).map_err(|d| (d.render(&source), EXIT_FAILURE))?;
    let (mut data, factors) = read_data(&plan.data_paths, &plan.factors)?;
    let table_sources: Vec<String> = plan
        .data_paths
        .iter()
        .filter(|p| is_table_path(p))
        .map(|p| p.display().to_string())
        .collect();
    fill_sizes_from_tables(&program, &mut data, &table_sources);
    let labels =
        parse_labels(&plan.labels, &factors).map_err(|e| usage(format!("--labels: {e}")))?;
    let opts = CompileOptions {
        seed: plan.config.seed,
        source: source.clone(),
    };
    let model = compile(&program, &data, &opts).map_err(|e| match e {
        CompileError::Data { .. } => usage(e.to_string()),
        other => (other.to_string(), EXIT_FAILURE),
    })?;
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

    let stop = Arc::new(AtomicBool::new(false));
    // Ctrl-C sets the flag; chains stop at their next iteration and the files keep what
    // was drawn. A failure to install the handler only loses that convenience.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&stop));
    plan.config.stop = Some(Arc::clone(&stop));

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
    let interrupted = stop.load(std::sync::atomic::Ordering::SeqCst);
    reporter.finish(interrupted || outcome.is_err());
    let outcome = outcome.map_err(|e| (format!("sampling failed: {e}"), EXIT_FAILURE))?;
    let names = Labels { labels, factors };
    report_results(&plan, &outcome, &names, compile_seconds, interrupted)
}

/// Level labels of factors, for printing `alpha[Aitkin]` instead of `alpha[3]`.
struct Labels {
    labels: LabelMap,
    factors: Vec<Factor>,
}

fn report_results<S>(
    plan: &Plan,
    outcome: &RunOutcome<S>,
    names: &Labels,
    compile_seconds: f64,
    interrupted: bool,
) -> Result<(), Failure> {
    let cfg = &plan.config;
    let dir = &plan.out_dir;
    let files: Vec<PathBuf> = (1..=cfg.chains)
        .map(|k| dir.join(format!("chain_{k}.csv")))
        .collect();
    let draws: Draws = read_stan_csv(&files)
        .map_err(|e| (format!("reading back the draws: {e}"), EXIT_FAILURE))?
        .draws;
    let summary = summarize_run(&draws, Some(cfg.max_depth))
        .map_err(|e| (format!("summarising the draws: {e}"), EXIT_FAILURE))?;
    let write = |name: &str, text: String| {
        std::fs::write(dir.join(name), text).map_err(|e| {
            (
                format!("{}: cannot write: {e}", dir.join(name).display()),
                EXIT_FAILURE,
            )
        })
    };
    write("summary.csv", summary.to_csv())?;
    write_parquet(&draws, &dir.join("draws.parquet"))
        .map_err(|e| (format!("writing draws.parquet: {e}"), EXIT_FAILURE))?;
    let rhat = summary
        .rows
        .iter()
        .map(|r| (r.variable.clone(), r.rhat))
        .collect();
    let plot_opts = PlotOptions {
        rhat: Some(rhat),
        ..Default::default()
    };
    let plots = match plot(&draws, &plot_opts, &dir.join("plots")) {
        Ok(paths) => paths.len(),
        Err(e) => {
            eprintln!("warning: plots were not drawn: {e}");
            0
        }
    };
    write(
        "fit.json",
        fit_json(plan, outcome, compile_seconds, interrupted),
    )?;
    let mut shown = summary.clone();
    for row in &mut shown.rows {
        row.variable = relabel(&row.variable, &names.factors, &names.labels);
    }
    print!("{}", shown.to_table());
    println!(
        "\nWrote {} ({} chain files, summary.csv, draws.parquet, {plots} plots, fit.json)",
        dir.display(),
        cfg.chains
    );
    if interrupted {
        return Err((
            "interrupted: the files hold the draws made before Ctrl-C".into(),
            130,
        ));
    }
    Ok(())
}

fn fit_json<S>(
    plan: &Plan,
    outcome: &RunOutcome<S>,
    compile_seconds: f64,
    interrupted: bool,
) -> String {
    let cfg = &plan.config;
    let chains: Vec<serde_json::Value> = outcome
        .chains
        .iter()
        .enumerate()
        .map(|(i, c)| {
            serde_json::json!({
                "chain": i + 1,
                "warmup_seconds": c.timing.warmup_seconds,
                "sampling_seconds": c.timing.sampling_seconds,
                "draws": c.counts.draws,
                "divergences": c.counts.divergences,
                "divergences_warmup": c.counts.divergences_warmup,
                "max_treedepth_hits": c.counts.max_treedepth_hits,
                "grad_evals_warmup": c.counts.grad_evals_warmup,
                "grad_evals_sampling": c.counts.grad_evals_sampling,
                "step_size": c.counts.step_size,
                "interrupted": c.interrupted,
            })
        })
        .collect();
    let value = serde_json::json!({
        "model": plan.model_path.display().to_string(),
        "data": plan.data_paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "hazel_version": env!("CARGO_PKG_VERSION"),
        "config": {
            "chains": cfg.chains, "warmup": cfg.warmup, "draws": cfg.draws, "seed": cfg.seed,
            "metric": cfg.metric.cmdstan_name(), "adapt_delta": cfg.adapt_delta,
            "max_depth": cfg.max_depth, "save_warmup": cfg.save_warmup,
            "threads": cfg.threads,
        },
        "compile_seconds": compile_seconds,
        "interrupted": interrupted,
        "chains": chains,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
