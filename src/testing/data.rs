//! Loading the benchmark data sets (Stan JSON) shipped in `data/bench/`.

use std::path::{Path, PathBuf};

/// Why a data file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not the expected JSON.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The path of a file in the repository's `data/bench/` folder.
pub fn bench_path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("bench")
        .join(file)
}

/// A parsed Stan JSON data object.
pub struct StanJson {
    path: PathBuf,
    value: serde_json::Value,
}

impl StanJson {
    /// Reads and parses `path`.
    pub fn read(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let value = serde_json::from_str(&text).map_err(|e| DataError::Format {
            path: path.to_path_buf(),
            message: format!("invalid JSON: {e}"),
        })?;
        Ok(StanJson {
            path: path.to_path_buf(),
            value,
        })
    }

    fn err(&self, message: String) -> DataError {
        DataError::Format {
            path: self.path.clone(),
            message,
        }
    }

    /// The numeric array `key`.
    pub fn reals(&self, key: &str) -> Result<Vec<f64>, DataError> {
        let arr = self
            .value
            .get(key)
            .and_then(|v| v.as_array())
            .ok_or_else(|| self.err(format!("missing array `{key}`")))?;
        arr.iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_f64()
                    .ok_or_else(|| self.err(format!("`{key}[{}]` is not a number", i + 1)))
            })
            .collect()
    }

    /// The integer array `key`.
    pub fn ints(&self, key: &str) -> Result<Vec<i64>, DataError> {
        let arr = self
            .value
            .get(key)
            .and_then(|v| v.as_array())
            .ok_or_else(|| self.err(format!("missing array `{key}`")))?;
        arr.iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_i64()
                    .ok_or_else(|| self.err(format!("`{key}[{}]` is not an integer", i + 1)))
            })
            .collect()
    }

    /// The integer scalar `key`.
    pub fn int(&self, key: &str) -> Result<i64, DataError> {
        self.value
            .get(key)
            .and_then(|v| v.as_i64())
            .ok_or_else(|| self.err(format!("missing integer `{key}`")))
    }

    /// Checks that every named array has length `n`.
    pub fn check_len(&self, n: usize, arrays: &[(&str, usize)]) -> Result<(), DataError> {
        for (key, len) in arrays {
            if *len != n {
                return Err(self.err(format!("`{key}` has {len} entries, expected {n}")));
            }
        }
        Ok(())
    }

    /// The error for a bad value.
    pub fn invalid(&self, message: String) -> DataError {
        self.err(message)
    }
}
