//! Tables as model data: CSV and Parquet files (read with polars) and polars
//! DataFrames, one data variable per column, with factors and level labels.
//!
//! Each column becomes a 1-D data variable of the same name (`dims = [rows]`): integer
//! columns give integer values (`all_int`), float columns real values, booleans 0/1
//! integers. A CSV column is typed by what its cells hold: integers if every cell is
//! one, else reals, else booleans (`true`/`false`, any case), else text; cells are
//! trimmed of surrounding spaces. `NaN` and `inf` are real values as in Stan JSON. Stan data has no missing values, so
//! a null or empty cell is always an error, even in a float column (a missing value is
//! not NaN). Text columns are an error unless declared a factor ([`FactorSpec`]), which
//! stores sorted-level 1-based indices under the column's name and optionally the
//! number of levels under a size variable; the labels come back in [`TableData::factors`]
//! for [`relabel`].
//!
//! Sizes: [`TableData::rows`] is the number of rows. The intended rule (applied by the
//! caller that knows the model's declarations): an `int` data variable that is absent
//! from all inputs and is declared as the size of columns of this table takes the value
//! `rows`.
//!
//! Errors are [`TableError`]s, one line naming the file, the column and the line
//! (CSV, header = line 1) or row (Parquet, 1-based).

mod cells;
mod csv_layout;
mod error;
mod factor;
mod labels;

use std::path::Path;

use polars::prelude::{CsvReadOptions, DataFrame, ParquetReader, SerReader};

use crate::io::stan_json::{DataSet, DataValue};

pub use error::{Place, TableError};
pub use factor::{Factor, FactorSpec};
pub use labels::{KEEP_NUMBER, LabelMap, parse_labels, relabel};

use cells::Cells;

/// File extensions read as CSV (compared without regard to case).
pub const CSV_EXTENSIONS: [&str; 1] = ["csv"];
/// File extensions read as Parquet (compared without regard to case).
pub const PARQUET_EXTENSIONS: [&str; 2] = ["parquet", "pq"];

/// How to read a table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// Columns to encode as factors (`--factor county:J`).
    pub factors: Vec<FactorSpec>,
    /// When false (the default) a factor naming a column this table lacks is an error.
    /// When true it is skipped: for a caller reading several tables with the same
    /// factor list, which must then call [`check_factors_found`].
    pub skip_absent_factors: bool,
}

/// A table read as model data.
#[derive(Debug, Clone, PartialEq)]
pub struct TableData {
    /// One variable per column, plus the factors' size variables.
    pub data: DataSet,
    /// The factors encoded, in the order they were asked for.
    pub factors: Vec<Factor>,
    /// Number of rows (the length of every column variable).
    pub rows: usize,
}

/// True when `path` has a table extension ([`CSV_EXTENSIONS`], [`PARQUET_EXTENSIONS`]);
/// other data files are Stan JSON.
pub fn is_table_path(path: &Path) -> bool {
    extension(path).is_some_and(|e| {
        CSV_EXTENSIONS.contains(&e.as_str()) || PARQUET_EXTENSIONS.contains(&e.as_str())
    })
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Reads a `.csv` or `.parquet` file as model data.
pub fn read_table(path: &Path, options: &TableOptions) -> Result<TableData, TableError> {
    let file = path.display().to_string();
    match extension(path) {
        Some(e) if CSV_EXTENSIONS.contains(&e.as_str()) => read_csv(path, &file, options),
        Some(e) if PARQUET_EXTENSIONS.contains(&e.as_str()) => {
            let handle = std::fs::File::open(path).map_err(|e| io_error(&file, e))?;
            let df = ParquetReader::new(handle)
                .finish()
                .map_err(|e| format_error(&file, e))?;
            read_frame(&df, &file, options)
        }
        _ => Err(TableError::Format {
            file,
            message: "not a table file: expected the extension .csv, .parquet or .pq".into(),
        }),
    }
}

/// Reads a polars DataFrame as model data; `source` names it in errors and in
/// [`DataValue::source`]. Cells are named by 1-based row. String columns are text
/// (usable only as factors), whatever they hold.
pub fn read_frame(
    df: &DataFrame,
    source: &str,
    options: &TableOptions,
) -> Result<TableData, TableError> {
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            let name = c.name().to_string();
            Cells::from_column(c)
                .map(|cells| (name.clone(), cells))
                .map_err(|message| TableError::Column {
                    file: source.into(),
                    column: name,
                    message,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    build(
        columns,
        df.height(),
        &|i| Place::Row(i + 1),
        source,
        options,
    )
}

fn read_csv(path: &Path, file: &str, options: &TableOptions) -> Result<TableData, TableError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(file, e))?;
    let layout = csv_layout::scan(&bytes, file)?;
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .map_err(|e| format_error(file, e))?;
    if df.height() != layout.record_lines.len() {
        return Err(TableError::Format {
            file: file.into(),
            message: format!(
                "polars read {} rows but the file has {} records",
                df.height(),
                layout.record_lines.len()
            ),
        });
    }
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            let text = c.str().map_err(|e| format_error(file, e))?;
            let cells = text.iter().map(|o| o.map(str::to_string)).collect();
            Ok((c.name().to_string(), Cells::from_text(cells)))
        })
        .collect::<Result<Vec<_>, TableError>>()?;
    let lines = layout.record_lines;
    build(
        columns,
        df.height(),
        &|i| Place::Line(lines[i]),
        file,
        options,
    )
}

/// Turns typed columns into data variables, encoding the requested factors.
fn build(
    columns: Vec<(String, Cells)>,
    rows: usize,
    place: &dyn Fn(usize) -> Place,
    file: &str,
    options: &TableOptions,
) -> Result<TableData, TableError> {
    check_factor_specs(&columns, file, options)?;
    let mut data = DataSet::default();
    let mut factors = Vec::new();
    for (name, cells) in &columns {
        let (values, all_int) = match options.factors.iter().find(|f| &f.column == name) {
            Some(spec) => {
                let (indices, labels) = factor::encode(cells, file, name, place)?;
                if let Some(size_var) = &spec.size_var {
                    let size = DataValue {
                        dims: vec![],
                        values: vec![labels.len() as f64],
                        all_int: true,
                        source: format!("{file} (levels of factor `{name}`)"),
                    };
                    data.vars.insert(size_var.clone(), size);
                }
                factors.push(Factor {
                    column: name.clone(),
                    size_var: spec.size_var.clone(),
                    labels,
                });
                (indices, true)
            }
            None => cells.to_numbers(file, name, place)?,
        };
        let value = DataValue {
            dims: vec![rows],
            values,
            all_int,
            source: file.into(),
        };
        data.vars.insert(name.clone(), value);
    }
    factors.sort_by_key(|f| options.factors.iter().position(|s| s.column == f.column));
    Ok(TableData {
        data,
        factors,
        rows,
    })
}

/// Every factor names a column of this table, once; size variables clash with nothing.
fn check_factor_specs(
    columns: &[(String, Cells)],
    file: &str,
    options: &TableOptions,
) -> Result<(), TableError> {
    let has_column = |name: &str| columns.iter().any(|(n, _)| n == name);
    let specs = &options.factors;
    for (i, spec) in specs.iter().enumerate() {
        let err = |message: String| TableError::Spec {
            option: "--factor",
            spec: spec.to_string(),
            message,
        };
        if !has_column(&spec.column) {
            if options.skip_absent_factors {
                continue;
            }
            let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            return Err(err(format!(
                "{file} has no column `{}` (columns: {})",
                spec.column,
                names.join(", ")
            )));
        }
        let earlier = &specs[..i];
        if earlier.iter().any(|s| s.column == spec.column) {
            return Err(err(format!(
                "column `{}` is made a factor twice",
                spec.column
            )));
        }
        if let Some(size) = &spec.size_var {
            if has_column(size) {
                return Err(err(format!(
                    "size variable `{size}` is also a column of {file}"
                )));
            }
            if earlier.iter().any(|s| s.size_var.as_ref() == Some(size)) {
                return Err(err(format!("size variable `{size}` is set by two factors")));
            }
        }
    }
    Ok(())
}

/// Every factor of `specs` was found in one of `tables` (read with
/// [`TableOptions::skip_absent_factors`]); otherwise an error naming the first one not found.
pub fn check_factors_found(specs: &[FactorSpec], tables: &[&TableData]) -> Result<(), TableError> {
    let found = |spec: &FactorSpec| {
        tables
            .iter()
            .any(|t| t.factors.iter().any(|f| f.column == spec.column))
    };
    match specs.iter().find(|s| !found(s)) {
        None => Ok(()),
        Some(spec) => Err(TableError::Spec {
            option: "--factor",
            spec: spec.to_string(),
            message: format!("no data table has a column `{}`", spec.column),
        }),
    }
}

fn io_error(file: &str, e: std::io::Error) -> TableError {
    TableError::Io {
        file: file.into(),
        message: e.to_string(),
    }
}

fn format_error(file: &str, e: polars::error::PolarsError) -> TableError {
    let message = e.to_string();
    TableError::Format {
        file: file.into(),
        message: message.lines().next().unwrap_or_default().to_string(),
    }
}
