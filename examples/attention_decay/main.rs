//! hazel's flagship study: does attention in a pretrained transformer decay with token
//! distance as an exponential (the common heuristic) or as a power law, and does
//! conversation decay faster than dense technical text?
//!
//! Fits `models/attention_decay_power.stan` and `models/attention_decay_exponential.stan`
//! to `data/attention/attention_decay.parquet` with hazel's Rust API, prints their
//! summaries and the PSIS-LOO comparison, and writes summaries, plots and `findings.md`
//! under `output/attention_decay/`.
//!
//! `cargo run --release --example attention_decay` (the README's first command); `--help`
//! lists the options (subset size, chains, iterations, seed, output folder).

mod data;
mod figures;
mod report;

use clap::Parser;
use hazel::fit::{Fit, compile_source};
use hazel::plot::{PlotKind, PlotOptions};
use hazel::sampler::{LineProgress, SamplerConfig};
use hazel::summary::Summary;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Fit the attention-decay models and write the study's summaries, plots and findings.
#[derive(Parser, Debug)]
#[command(about, long_about = None)]
struct Args {
    /// Folder with attention_decay.parquet and attention_head_stats.parquet.
    #[arg(long, default_value = "data/attention")]
    data_dir: PathBuf,
    /// Folder with the model files.
    #[arg(long, default_value = "models")]
    models_dir: PathBuf,
    /// Passages per source (6 sources; 40 = all 240 passages).
    #[arg(long, default_value_t = 4)]
    per_source: usize,
    /// Layers to fit, comma-separated (the table has 0,4,8,12,16,20,24,29).
    #[arg(long, default_value = "0,4,8,12,16,20,24,29", value_delimiter = ',')]
    layers: Vec<i64>,
    /// Largest token distance fitted (the table has 1..64).
    #[arg(long, default_value_t = 64)]
    max_distance: i64,
    /// Decay forms to fit, comma-separated: power, exponential.
    #[arg(long, default_value = "power,exponential", value_delimiter = ',')]
    models: Vec<String>,
    /// Chains (run in parallel).
    #[arg(long, default_value_t = 4)]
    chains: usize,
    /// Warmup iterations per chain.
    #[arg(long, default_value_t = 1000)]
    warmup: usize,
    /// Kept draws per chain. 2,000 rather than Stan's 1,000: the genre contrast
    /// (`beta_genre_sample`) mixes slowest, with a bulk ESS near 500 from 4 × 1,000 draws
    /// and an R-hat that came out between 1.007 and 1.011 from builds that round
    /// differently, and the findings rest on it.
    #[arg(long, default_value_t = 2000)]
    draws: usize,
    /// Target acceptance rate of step-size adaptation. 0.95 rather than Stan's 0.8: the
    /// source-effect scale is small and estimated from six sources, a mild funnel in which
    /// the exponential model showed 4 divergent transitions in 4,000 at 0.9.
    #[arg(long, default_value_t = 0.95)]
    adapt_delta: f64,
    /// Seed of every chain's random stream.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder.
    #[arg(long, default_value = "output/attention_decay")]
    output: PathBuf,
}

/// One fitted decay form.
pub struct Fitted {
    /// `power` or `exponential`.
    pub form: String,
    /// The draws and configuration.
    pub fit: Fit,
    /// Its summary (computed once: every column's R-hat, ESS and MCSE).
    pub summary: Summary,
    /// Seconds to compile (parse, check, bind data, trace).
    pub compile_seconds: f64,
    /// Wall-clock seconds to sample all chains.
    pub sample_seconds: f64,
}

/// Hyperparameters and derived quantities printed for each model (the full table is in
/// the model's summary.csv).
const KEY_PREFIXES: [&str; 16] = [
    "mu_log_",
    "tau_layer",
    "tau_head",
    "beta_genre",
    "tau_genre_head",
    "tau_source",
    "tau_passage",
    "mu_level",
    "tau_level",
    "mu_log_sigma",
    "tau_log_sigma",
    "nu",
    "genre_ratio",
    "source_effect",
    "source_mean",
    "source_diff",
];

fn is_key(variable: &str) -> bool {
    KEY_PREFIXES.iter().any(|p| variable.starts_with(p))
        || variable.ends_with("_conversation") && !variable.contains('[')
        || variable.ends_with("_technical") && !variable.contains('[')
        || variable.starts_with("alpha_layer")
        || variable.starts_with("lambda_layer")
}

fn run(args: &Args) -> Result<(), String> {
    let subset = data::Subset {
        per_source: args.per_source,
        layers: args.layers.clone(),
        max_distance: args.max_distance,
    };
    let study = data::load(&args.data_dir, &subset)?;
    println!(
        "attention decay: {} rows = {} passages x {} heads ({} layers) x {} distances",
        study.rows,
        study.passages.len(),
        study.heads.len(),
        study.layers.len(),
        study.grid.len()
    );
    std::fs::create_dir_all(&args.output)
        .map_err(|e| format!("cannot create {}: {e}", args.output.display()))?;
    let mut fitted = Vec::new();
    for form in &args.models {
        fitted.push(fit_form(args, form, &study)?);
    }
    let comparison = report::compare(&fitted)?;
    print!("\n{}", comparison.table);
    figures::decay_curves(&fitted, &study, &args.output.join("decay_curves.png"))?;
    figures::genre_contrast(&fitted, &args.output.join("genre_contrast.png"))?;
    let sink = data::sink_shares(&args.data_dir)?;
    let findings = report::findings(&fitted, &study, &comparison, sink)?;
    let path = args.output.join("findings.md");
    std::fs::write(&path, &findings).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("\n{findings}");
    println!("wrote {}", args.output.display());
    Ok(())
}

fn fit_form(args: &Args, form: &str, study: &data::StudyData) -> Result<Fitted, String> {
    let path = args.models_dir.join(format!("attention_decay_{form}.stan"));
    let source = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let start = Instant::now();
    let model = compile_source(&path.display().to_string(), &source, &study.data, args.seed)
        .map_err(|e| e.to_string())?;
    let compile_seconds = start.elapsed().as_secs_f64();
    let config = SamplerConfig {
        chains: args.chains,
        warmup: args.warmup,
        draws: args.draws,
        adapt_delta: args.adapt_delta,
        seed: args.seed,
        ..SamplerConfig::default()
    };
    println!(
        "\n== {form} decay: compiled in {:.0} ms; sampling {} chains x ({} + {})",
        compile_seconds * 1e3,
        args.chains,
        args.warmup,
        args.draws
    );
    let start = Instant::now();
    let fit = Fit::sample_with_progress(&model, &config, &LineProgress::new())
        .map_err(|e| e.to_string())?;
    let sample_seconds = start.elapsed().as_secs_f64();
    let summary = fit.summary().map_err(|e| e.to_string())?;
    let dir = args.output.join(form);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let csv = dir.join("summary.csv");
    std::fs::write(&csv, summary.to_csv()).map_err(|e| format!("{}: {e}", csv.display()))?;
    let mut key = summary.clone();
    key.rows
        .retain(|r| r.variable == "lp__" || is_key(&r.variable));
    print!("{}", key.to_table());
    println!(
        "sampled in {sample_seconds:.1} s; full summary in {}",
        csv.display()
    );
    diagnostics_plots(&fit, form, &dir.join("plots"))?;
    Ok(Fitted {
        form: form.to_string(),
        fit,
        summary,
        compile_seconds,
        sample_seconds,
    })
}

/// The usual diagnostics on the hyperparameters, and a forest plot of the decay
/// parameter of every layer and head.
fn diagnostics_plots(fit: &Fit, form: &str, dir: &Path) -> Result<(), String> {
    let rate = if form == "power" { "alpha" } else { "lambda" };
    let hyper: Vec<String> = [
        format!("mu_log_{rate}"),
        "tau_layer".into(),
        "tau_head".into(),
        "beta_genre".into(),
        "tau_genre_head".into(),
        "tau_source".into(),
        "tau_passage".into(),
        "nu".into(),
    ]
    .into();
    let diagnostics = PlotOptions {
        vars: Some(hyper),
        kinds: vec![
            PlotKind::Trace,
            PlotKind::Rank,
            PlotKind::Pair,
            PlotKind::Energy,
        ],
        ..PlotOptions::default()
    };
    fit.plot(&diagnostics, dir).map_err(|e| e.to_string())?;
    let forest = PlotOptions {
        vars: Some(vec![format!("{rate}_layer"), format!("{rate}_head")]),
        kinds: vec![PlotKind::Forest],
        max_panels: 100,
        ..PlotOptions::default()
    };
    fit.plot(&forest, dir).map_err(|e| e.to_string())?;
    Ok(())
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("attention_decay: {e}");
        std::process::exit(1);
    }
}
