//! Checks every diagnostic against the ArviZ reference vectors in
//! `../shared/testdata/diagnostics`: every case file, every expected key, with the
//! tolerances of that folder's README.

use std::path::PathBuf;

use hazel::diagnostics::ChainArray;
use serde_json::Value;

/// Relative tolerance for R-hat, ESS and MCSE (testdata README).
const DIAG_TOL: f64 = 1e-8;
/// Relative tolerance for mean, sd and quantiles (testdata README).
const MOMENT_TOL: f64 = 1e-12;
/// Absolute tolerance where the expected value is exactly 0 (testdata README).
const ZERO_TOL: f64 = 1e-12;

/// `shared/testdata/diagnostics` beside the crate (the CI clone), or one level further up
/// (development worktrees under `wt/`).
fn testdata_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        "../shared/testdata/diagnostics",
        "../../shared/testdata/diagnostics",
    ]
    .iter()
    .map(|rel| root.join(rel))
    .find(|p| p.is_dir())
    .expect("shared/testdata/diagnostics beside the crate")
}

/// A JSON number, `null` (NaN) or `"inf"`/`"-inf"`.
fn number(v: &Value) -> f64 {
    match v {
        Value::Null => f64::NAN,
        Value::Number(n) => n.as_f64().expect("finite JSON number"),
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        other => panic!("unexpected JSON value {other}"),
    }
}

fn compute(arr: &ChainArray<'_>, key: &str) -> f64 {
    match key {
        "rhat_rank" => arr.rhat_rank(),
        "rhat_split" => arr.rhat_split(),
        "rhat_bulk" => arr.rhat_bulk(),
        "rhat_tail" => arr.rhat_tail(),
        "summary_r_hat" => arr.summary_rhat(),
        "ess_bulk" => arr.ess_bulk(),
        "ess_tail" => arr.ess_tail(),
        "ess_mean" => arr.ess_mean(),
        "ess_sd" => arr.ess_sd(),
        "ess_q5" => arr.ess_quantile(0.05),
        "ess_q50" => arr.ess_quantile(0.5),
        "ess_q95" => arr.ess_quantile(0.95),
        "mcse_mean" | "summary_mcse_mean" => arr.mcse_mean(),
        "mcse_sd" | "summary_mcse_sd" => arr.mcse_sd(),
        "mcse_q5" => arr.mcse_quantile(0.05),
        "mcse_q50" => arr.mcse_quantile(0.5),
        "mcse_q95" => arr.mcse_quantile(0.95),
        "mean" => arr.mean(),
        "sd" => arr.sd(),
        "q5" => arr.quantile(0.05),
        "q50" => arr.quantile(0.5),
        "q95" => arr.quantile(0.95),
        other => panic!("unknown expected key {other}: the test must check every key"),
    }
}

fn tolerance(key: &str) -> f64 {
    match key {
        "mean" | "sd" | "q5" | "q50" | "q95" => MOMENT_TOL,
        _ => DIAG_TOL,
    }
}

/// None when `actual` matches `expected`; otherwise the relative error.
fn mismatch(actual: f64, expected: f64, tol: f64) -> Option<f64> {
    if expected.is_nan() || expected.is_infinite() {
        let same = (actual.is_nan() && expected.is_nan()) || actual == expected;
        return (!same).then_some(f64::INFINITY);
    }
    if expected == 0.0 {
        return (actual.abs() > ZERO_TOL).then_some(actual.abs());
    }
    let rel = (actual - expected).abs() / actual.abs().max(expected.abs());
    (rel.is_nan() || rel > tol).then_some(rel)
}

#[test]
fn every_reference_case_matches_arviz() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(testdata_dir())
        .expect("testdata/diagnostics exists beside the crate")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 16,
        "expected the 16 reference cases, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut worst = 0.0f64;
    for file in &files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let name = case["case"].as_str().unwrap();
        for (param, expected) in case["expected"].as_object().unwrap() {
            let chains: Vec<Vec<f64>> = case["draws"][param]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_array().unwrap().iter().map(number).collect())
                .collect();
            let refs: Vec<&[f64]> = chains.iter().map(Vec::as_slice).collect();
            let arr = ChainArray::new(&refs).unwrap();
            for (key, value) in expected.as_object().unwrap() {
                let (want, got) = (number(value), compute(&arr, key));
                checked += 1;
                match mismatch(got, want, tolerance(key)) {
                    Some(err) => failures.push(format!(
                        "{name} {param} {key}: got {got:?}, expected {want:?} (rel err {err:e})"
                    )),
                    None if want.is_finite() && want != 0.0 => {
                        worst = worst.max((got - want).abs() / want.abs());
                    }
                    None => {}
                }
            }
        }
    }
    println!(
        "checked {checked} values in {} files; worst relative error {worst:e}",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
