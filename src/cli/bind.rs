//! Binding a model to its data for `hazel sample` and `hazel check --data`: read the
//! model file, merge the `--data` inputs (Stan JSON and tables, with `--factor` columns),
//! fill sizes that tables imply, and compile.

use super::{EXIT_FAILURE, EXIT_USAGE};
use hazel::compile::{CompileError, CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::io::table_sizes::fill_sizes_from_tables;
use hazel::io::tables::{
    Factor, FactorSpec, TableData, TableOptions, check_factors_found, is_table_path, read_table,
};
use std::path::{Path, PathBuf};

/// An error message with the exit status it implies.
pub type Failure = (String, i32);

/// A usage or data error (exit status 2).
pub fn usage(message: impl Into<String>) -> Failure {
    (message.into(), EXIT_USAGE)
}

/// All `--data` inputs merged: Stan JSON files and tables (CSV/Parquet), with the factors
/// the tables defined (for `--labels`).
pub fn read_data(
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

/// Checks the model at `model_path`, binds the merged `data_paths` (with `factor_specs`)
/// and compiles it; `seed` drives `_rng` calls in transformed data. Returns the model and
/// the factors the tables defined. Program errors exit 1, data errors 2.
pub fn load_model(
    model_path: &Path,
    data_paths: &[PathBuf],
    factor_specs: &[String],
    seed: u64,
) -> Result<(CompiledModel, Vec<Factor>), Failure> {
    let source = std::fs::read_to_string(model_path)
        .map_err(|e| usage(format!("{}: cannot read model: {e}", model_path.display())))?;
    let name = model_path.display().to_string();
    let program =
        hazel::lang::check(&name, &source).map_err(|d| (d.render(&source), EXIT_FAILURE))?;
    let (mut data, factors) = read_data(data_paths, factor_specs)?;
    let table_sources: Vec<String> = data_paths
        .iter()
        .filter(|p| is_table_path(p))
        .map(|p| p.display().to_string())
        .collect();
    fill_sizes_from_tables(&program, &mut data, &table_sources);
    let opts = CompileOptions { seed, source };
    let model = compile(&program, &data, &opts).map_err(|e| match e {
        CompileError::Data { .. } => usage(e.to_string()),
        other => (other.to_string(), EXIT_FAILURE),
    })?;
    Ok((model, factors))
}
