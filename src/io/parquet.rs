//! All draws of a fit in one Parquet table (via polars): columns `chain`, `draw`, the
//! sampler columns, then the model's variables in bracket form (`theta[1]`).

use std::path::Path;

use polars::prelude::{Column, DataFrame, ParquetWriter};

use crate::draws::{Draws, dotted_to_bracket};

/// Why the Parquet file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// The file could not be created.
    #[error("cannot create {path}: {source}")]
    Create {
        /// The target path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// polars refused the table or the write.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The target path.
        path: String,
        /// polars' message.
        message: String,
    },
}

/// The kept draws of all chains as one table: `chain` and `draw` (both 1-based), then
/// every column of `draws` (sampler columns keep their names, variables are renamed
/// from `theta.1` to `theta[1]`). Chains follow each other.
pub fn draws_dataframe(draws: &Draws) -> Result<DataFrame, polars::error::PolarsError> {
    let height: usize = draws.chains.iter().map(|c| c.num_draws()).sum();
    let mut chain_ids = Vec::with_capacity(height);
    let mut draw_ids = Vec::with_capacity(height);
    for (c, chain) in draws.chains.iter().enumerate() {
        for d in 0..chain.num_draws() {
            chain_ids.push((c + 1) as u32);
            draw_ids.push((d + 1) as u32);
        }
    }
    let mut columns = vec![
        Column::new("chain".into(), chain_ids),
        Column::new("draw".into(), draw_ids),
    ];
    for (k, name) in draws.columns.iter().enumerate() {
        let values: Vec<f64> = draws
            .chains
            .iter()
            .flat_map(|c| c.draws[k].iter().copied())
            .collect();
        columns.push(Column::new(dotted_to_bracket(name).into(), values));
    }
    DataFrame::new(height, columns)
}

/// Writes [`draws_dataframe`] to `path` as Parquet.
pub fn write_parquet(draws: &Draws, path: &Path) -> Result<(), ParquetError> {
    let name = path.display().to_string();
    let write_err = |e: polars::error::PolarsError| ParquetError::Write {
        path: name.clone(),
        message: e.to_string(),
    };
    let mut df = draws_dataframe(draws).map_err(write_err)?;
    let file = std::fs::File::create(path).map_err(|source| ParquetError::Create {
        path: name.clone(),
        source,
    })?;
    ParquetWriter::new(file)
        .finish(&mut df)
        .map_err(write_err)?;
    Ok(())
}
