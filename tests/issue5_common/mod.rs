//! Shared driver of the issue-5 coverage sweep: compile each small model, evaluate it at a
//! few random unconstrained points and compare its gradient with central finite
//! differences; every failure is collected (with the model text) so one run lists all
//! gaps.

#![allow(dead_code)]

use hazel::ad::fd::max_gradient_error;
use hazel::compile::{CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::LogDensity;
use rand::RngExt;

/// Largest accepted `|g - fd| / (1 + |fd|)` (as in `compile_models.rs`).
pub const GRADIENT_TOLERANCE: f64 = 1e-6;

/// Random unconstrained points per gradient check.
pub const POINTS: usize = 3;

/// Compiles `src` against JSON `data`.
pub fn build(src: &str, data: &str) -> Result<CompiledModel, String> {
    let typed = hazel::lang::check("coverage.stan", src).map_err(|d| d.render(src))?;
    let data = DataSet::from_json_str(data, "coverage.json").map_err(|e| e.to_string())?;
    let opts = CompileOptions {
        seed: 5,
        source: src.to_string(),
    };
    compile(&typed, &data, &opts).map_err(|e| e.to_string())
}

/// The worst gradient error of `m` over [`POINTS`] points in [-1, 1]^dim (fixed seed),
/// or the evaluation error.
pub fn gradient_error(m: &CompiledModel, seed: u64) -> Result<f64, String> {
    let mut rng = hazel::rng::chain_rng(seed, 0);
    let mut worst: f64 = 0.0;
    for _ in 0..POINTS {
        let x: Vec<f64> = (0..m.dim())
            .map(|_| rng.random::<f64>() * 2.0 - 1.0)
            .collect();
        let mut g = vec![0.0; m.dim()];
        let lp = m
            .log_density_and_gradient(&x, &mut g)
            .map_err(|e| format!("evaluation at {x:?}: {e}"))?;
        if !lp.is_finite() {
            return Err(format!("log density {lp} at {x:?}"));
        }
        let e = max_gradient_error(m, &x).map_err(|e| format!("finite differences: {e}"))?;
        worst = worst.max(e);
    }
    Ok(worst)
}

/// Compiles and gradient-checks one model; `Err` names what failed.
pub fn check_model(src: &str, data: &str, seed: u64) -> Result<f64, String> {
    let m = build(src, data).map_err(|e| format!("compile: {e}"))?;
    let e = gradient_error(&m, seed)?;
    if e < GRADIENT_TOLERANCE {
        Ok(e)
    } else {
        Err(format!("gradient error {e:.2e}"))
    }
}

/// Runs every `(label, source)` case, printing a line each, and fails listing every
/// case that did not pass.
pub fn run_all(what: &str, cases: &[(String, String)], data: &str) {
    let mut failures = Vec::new();
    let mut worst: f64 = 0.0;
    for (k, (label, src)) in cases.iter().enumerate() {
        match check_model(src, data, k as u64) {
            Ok(e) => worst = worst.max(e),
            Err(e) => failures.push(format!("{label}: {e}\n    {src}")),
        }
    }
    eprintln!(
        "{what}: {} cases, {} failed, worst gradient error {worst:.2e}",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
