//! Shared helpers of the compiler's integration tests.

use hazel::compile::{CompileError, CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::{EvalError, LogDensity};

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

/// Log density at `x`.
pub fn lp(m: &CompiledModel, x: &[f64]) -> Result<f64, EvalError> {
    let mut g = vec![0.0; m.dim()];
    m.log_density_and_gradient(x, &mut g)
}
