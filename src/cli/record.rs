//! `fit.json`, the record of a `hazel sample` run: configuration, seed, versions, timings,
//! sampler-diagnostic counts, whether the run was interrupted, and the level labels asked
//! for with `--labels` — which `hazel summary` and `hazel plot` read back, so a folder shows
//! `alpha[Aitkin]` everywhere once the run asked for it.

use super::sample::Plan;
use hazel::plot::DisplayNames;
use hazel::sampler::RunOutcome;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The record's file name inside the output folder.
pub const FIT_JSON: &str = "fit.json";
/// The key holding the display names (`"alpha[1]": "alpha[Aitkin]"`).
const LABELS_KEY: &str = "labels";

/// The text of `fit.json` for a run.
pub fn fit_json<S>(
    plan: &Plan,
    outcome: &RunOutcome<S>,
    compile_seconds: f64,
    interrupted: bool,
    names: &DisplayNames,
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
                "rejections": c.rejections.messages.iter()
                    .map(|(m, n)| serde_json::json!({"message": m, "count": n}))
                    .collect::<Vec<_>>(),
                "rejections_other": c.rejections.other,
            })
        })
        .collect();
    let labels: BTreeMap<&String, &String> = names.iter().collect();
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
        LABELS_KEY: labels,
        "chains": chains,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The folder an input of `hazel summary`/`hazel plot` belongs to: itself, or a file's
/// parent.
fn folder_of(input: &Path) -> PathBuf {
    if input.is_dir() {
        input.to_path_buf()
    } else {
        input
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    }
}

/// The display names a run recorded in its `fit.json`, when every input lies in that
/// one run's folder; empty otherwise (no record, no labels, or inputs from several
/// folders, whose labels could disagree). A record that cannot be read or parsed is an
/// error naming the file, rather than labels silently dropped.
pub fn recorded_names(inputs: &[PathBuf]) -> Result<DisplayNames, String> {
    let Some(first) = inputs.first().map(|p| folder_of(p)) else {
        return Ok(DisplayNames::new());
    };
    if inputs.iter().any(|p| folder_of(p) != first) {
        return Ok(DisplayNames::new());
    }
    let path = first.join(FIT_JSON);
    if !path.is_file() {
        return Ok(DisplayNames::new());
    }
    let bad = |why: String| format!("{}: {why}", path.display());
    let text = std::fs::read_to_string(&path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let Some(labels) = value.get(LABELS_KEY) else {
        return Ok(DisplayNames::new());
    };
    serde_json::from_value(labels.clone()).map_err(|e| {
        bad(format!(
            "`{LABELS_KEY}` must map variable names to display names: {e}"
        ))
    })
}
