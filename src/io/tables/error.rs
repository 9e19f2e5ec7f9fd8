//! What can go wrong reading a table as model data: every message is one line naming
//! the file, and the column and the line (CSV) or row (Parquet, DataFrame) when there is one.

use std::fmt;

/// Where a cell sits. CSV cells are named by their line in the file (the header is
/// line 1); cells of Parquet files and DataFrames by their 1-based row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A line of a text file, 1-based, counting the header.
    Line(usize),
    /// A data row, 1-based, not counting any header.
    Row(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Row(n) => write!(f, "row {n}"),
        }
    }
}

/// Why a table could not become model data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// The file could not be opened or read.
    #[error("{file}: cannot read table file: {message}")]
    Io {
        /// The file as the user named it.
        file: String,
        /// The operating system's message.
        message: String,
    },
    /// The file is not a table hazel can read (extension, or polars refused it).
    #[error("{file}: {message}")]
    Format {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A CSV record with a different number of fields than the header.
    #[error("{file}: line {line}: {found} field(s), but the header (line 1) has {expected}")]
    Ragged {
        /// The file.
        file: String,
        /// The line where the record starts (1-based, header = line 1).
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in this record.
        found: usize,
    },
    /// Two columns with the same name.
    #[error("{file}: column name `{column}` appears twice in the header")]
    DuplicateColumn {
        /// The file.
        file: String,
        /// The repeated name.
        column: String,
    },
    /// One cell cannot be used: missing, not a number, an empty factor level.
    #[error("{file}: {place}, column `{column}`: {message}")]
    Cell {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// The line or row of the cell.
        place: Place,
        /// What is wrong with it.
        message: String,
    },
    /// A whole column cannot be used (its type, a factor that names no column, …).
    #[error("{file}: column `{column}`: {message}")]
    Column {
        /// The file.
        file: String,
        /// The column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A `--factor` or `--labels` option that cannot be parsed or does not fit.
    #[error("{option} `{spec}`: {message}")]
    Spec {
        /// The option (`--factor`, `--labels`).
        option: &'static str,
        /// The text as given.
        spec: String,
        /// What is wrong.
        message: String,
    },
}
