//! Running the posteriordb conformance suite: compile each model file, bind its data,
//! sample with fixed seeds and compare with the reference ([`super::compare`]).

use super::{Reference, Verdict, compare};
use crate::compile::{CompileOptions, compile};
use crate::io::stan_json::DataSet;
use crate::sampler::{MetricKind, SamplerConfig, sample};
use crate::summary::summarize_run;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Reads `models/conformance.json`.
pub fn entries(root: &Path) -> Result<Vec<Entry>, String> {
    let path = root.join("models/conformance.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// One posterior of `models/conformance.json`: which model, how to sample it, and whether
/// it is in the CI subset or needs something hazel lacks.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub posterior: String,
    pub model: String,
    pub tier: u32,
    pub chains: usize,
    pub warmup: usize,
    pub draws: usize,
    pub adapt_delta: f64,
    pub max_depth: u32,
    pub metric: String,
    pub ci: bool,
    pub needs: Option<String>,
}

/// The result of one posterior.
pub struct Row {
    pub posterior: String,
    pub tier: u32,
    pub outcome: Result<Outcome, String>,
}

/// What a completed run measured.
pub struct Outcome {
    pub verdict: Verdict,
    pub passed: usize,
    pub total: usize,
    pub max_z: f64,
    pub worst: String,
    pub max_rhat: f64,
    pub min_ess: f64,
    pub divergences: usize,
    pub seconds: f64,
}

/// The posteriordb folder: `$HAZEL_POSTERIORDB` if set, else `../shared/posteriordb`
/// beside the crate at `root` (or one level further up, for git worktrees), when it exists.
pub fn find_shared_dir(root: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::env::var("HAZEL_POSTERIORDB") {
        return Some(PathBuf::from(p));
    }
    ["../shared", "../../shared"]
        .iter()
        .map(|c| root.join(c).join("posteriordb"))
        .find(|p| p.is_dir())
}

/// [`find_shared_dir`], or the usual place when it is not found (so that the error of
/// reading it names that place).
pub fn shared_dir(root: &Path) -> PathBuf {
    find_shared_dir(root).unwrap_or_else(|| root.join("../shared/posteriordb"))
}

/// Compiles, samples and compares one posterior.
pub fn run_one(root: &Path, db: &Path, e: &Entry, seed: u64) -> Result<Outcome, String> {
    let start = Instant::now();
    let model_path = root.join("models/posteriordb").join(&e.model);
    let source = std::fs::read_to_string(&model_path)
        .map_err(|err| format!("{}: {err}", model_path.display()))?;
    let program = crate::lang::check(&model_path.display().to_string(), &source)
        .map_err(|d| d.render(&source))?;
    let data = DataSet::from_json_file(&db.join(&e.posterior).join("data.json"))
        .map_err(|err| err.to_string())?;
    let model = compile(
        &program,
        &data,
        &CompileOptions {
            seed,
            source: source.clone(),
        },
    )
    .map_err(|err| err.to_string())?;
    let reference = Reference::from_file(&db.join(&e.posterior).join("reference.json"))?;
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(db.join("index.json")).map_err(|err| err.to_string())?,
    )
    .map_err(|err| err.to_string())?;
    let by_quantiles: Vec<String> = index[&e.posterior]["compare_by_quantiles"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let cfg = SamplerConfig {
        chains: e.chains,
        warmup: e.warmup,
        draws: e.draws,
        seed,
        metric: if e.metric == "dense" {
            MetricKind::Dense
        } else {
            MetricKind::Diag
        },
        adapt_delta: e.adapt_delta,
        max_depth: e.max_depth,
        ..SamplerConfig::default()
    };
    let draws = sample(&model, &cfg).map_err(|err| err.to_string())?;
    let comparison = compare(&draws, &reference, &by_quantiles);
    let summary = summarize_run(&draws, Some(e.max_depth)).map_err(|err| err.to_string())?;
    let compared: Vec<_> = summary
        .rows
        .iter()
        .filter(|r| reference.params.contains_key(&r.variable))
        .collect();
    let max_rhat = compared.iter().map(|r| r.rhat).fold(0.0, f64::max);
    let min_ess = compared
        .iter()
        .map(|r| r.ess_bulk)
        .fold(f64::INFINITY, f64::min);
    let div = draws
        .column_index("divergent__")
        .ok_or("no divergent__ column")?;
    let divergences = draws
        .column(div)
        .iter()
        .flat_map(|c| c.iter())
        .filter(|&&d| d > 0.0)
        .count();
    let (worst, max_z) = comparison
        .checks
        .iter()
        .map(|(n, c)| (n.clone(), c.max_z()))
        .fold(
            (String::new(), 0.0),
            |acc, x| if x.1 > acc.1 { x } else { acc },
        );
    Ok(Outcome {
        verdict: comparison.verdict,
        passed: comparison.passed(),
        total: comparison.checks.len(),
        max_z,
        worst,
        max_rhat,
        min_ess,
        divergences,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The results as a Markdown table; `skipped` lists posteriors not run, with the reason.
pub fn table(rows: &[Row], skipped: &[(String, String)]) -> String {
    let mut out = String::from(
        "| posterior | tier | verdict | passed | max z (quantity) | max R-hat | min bulk ESS | divergences | seconds |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        match &r.outcome {
            Ok(o) => out.push_str(&format!(
                "| {} | {} | {:?} | {}/{} | {:.2} ({}) | {:.3} | {:.0} | {} | {:.1} |\n",
                r.posterior,
                r.tier,
                o.verdict,
                o.passed,
                o.total,
                o.max_z,
                o.worst,
                o.max_rhat,
                o.min_ess,
                o.divergences,
                o.seconds
            )),
            Err(e) => out.push_str(&format!(
                "| {} | {} | Error | - | {} | - | - | - | - |\n",
                r.posterior,
                r.tier,
                e.lines().next().unwrap_or("").replace('|', "/")
            )),
        }
    }
    for (p, why) in skipped {
        out.push_str(&format!(
            "| {p} | - | not run: {why} | - | - | - | - | - | - |\n"
        ));
    }
    out
}
