//! Shared helpers of the compiler's integration tests.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use hazel::ad::fd::max_gradient_error;
use hazel::compile::{CompileError, CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::{EvalError, LogDensity};
use rand::RngExt;

/// Largest accepted `|g - fd| / (1 + |fd|)` (as in `compile_models.rs`).
pub const GRADIENT_TOLERANCE: f64 = 1e-6;

/// Type-checks and compiles `src` against JSON `data`; messages as strings.
pub fn build(src: &str, data: &str) -> Result<CompiledModel, String> {
    build_err(src, data).map_err(|e| e.to_string())
}

/// As [`build`], keeping the compile error value.
pub fn build_err(src: &str, data: &str) -> Result<CompiledModel, CompileError> {
    let typed =
        hazel::lang::check("test.stan", src).map_err(|d| CompileError::Program(d.render(src)))?;
    let data = DataSet::from_json_str(data, "test.json")
        .map_err(|e| CompileError::Program(e.to_string()))?;
    let opts = CompileOptions {
        seed: 11,
        source: src.to_string(),
    };
    compile(&typed, &data, &opts)
}

/// The worst gradient error of `m` against central differences over `points` random
/// points in [-1, 1]^dim (fixed `seed`), or what failed: the evaluation, a non-finite log
/// density, or the finite differences.
pub fn gradient_error(m: &CompiledModel, seed: u64, points: usize) -> Result<f64, String> {
    let mut rng = hazel::rng::chain_rng(seed, 0);
    let mut worst: f64 = 0.0;
    for _ in 0..points {
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

/// Log density at `x`.
pub fn lp(m: &CompiledModel, x: &[f64]) -> Result<f64, EvalError> {
    let mut g = vec![0.0; m.dim()];
    m.log_density_and_gradient(x, &mut g)
}
