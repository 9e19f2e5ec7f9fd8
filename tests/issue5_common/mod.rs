//! Shared driver of the issue-5 coverage sweep: compile each small model, evaluate it at a
//! few random unconstrained points and compare its gradient with central finite
//! differences; every failure is collected (with the model text) so one run lists all
//! gaps.

#![allow(dead_code)]

use crate::compile_common::{GRADIENT_TOLERANCE, build, gradient_error};

/// Random unconstrained points per gradient check.
pub const POINTS: usize = 3;

/// Compiles and gradient-checks one model; `Err` names what failed.
pub fn check_model(src: &str, data: &str, seed: u64) -> Result<f64, String> {
    let m = build(src, data).map_err(|e| format!("compile: {e}"))?;
    let e = gradient_error(&m, seed, POINTS)?;
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
