//! Factors: a text (or integer) column of group names turned into the 1-based group
//! indices hierarchical models use, with the level labels kept for display.
//!
//! Levels are numbered in **sorted** order (text by Unicode code points, integers
//! numerically), not in order of first appearance, so the numbering does not depend on
//! how the rows happen to be ordered. Two tables give the same numbering only when they
//! hold the same set of levels.

use std::collections::BTreeSet;

use super::cells::Cells;
use super::error::{Place, TableError};

/// A `--factor COLUMN[:SIZE]` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactorSpec {
    /// The column to encode; the indices are stored under this name.
    pub column: String,
    /// The data variable that receives the number of levels, if any.
    pub size_var: Option<String>,
}

/// A factor as encoded: which column, its size variable and the level labels, where
/// index `k` (1-based) stands for `labels[k - 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    /// The column (and data variable) holding the indices.
    pub column: String,
    /// The data variable holding the number of levels, if one was asked for.
    pub size_var: Option<String>,
    /// Level labels in index order.
    pub labels: Vec<String>,
}

impl FactorSpec {
    /// Parses `county` or `county:J`.
    pub fn parse(spec: &str) -> Result<FactorSpec, TableError> {
        let err = |message: &str| TableError::Spec {
            option: "--factor",
            spec: spec.into(),
            message: message.into(),
        };
        let (column, size_var) = match spec.split_once(':') {
            Some((c, s)) => (c.trim(), Some(s.trim())),
            None => (spec.trim(), None),
        };
        if column.is_empty() {
            return Err(err("expected COLUMN or COLUMN:SIZE, e.g. `county:J`"));
        }
        if let Some(s) = size_var
            && !is_identifier(s)
        {
            return Err(err(
                "the size variable after `:` must be a data variable name (letters, digits, `_`, not starting with a digit)",
            ));
        }
        Ok(FactorSpec {
            column: column.into(),
            size_var: size_var.map(str::to_string),
        })
    }
}

impl std::fmt::Display for FactorSpec {
    /// The spec as written: `county` or `county:J`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.size_var {
            Some(size) => write!(f, "{}:{size}", self.column),
            None => write!(f, "{}", self.column),
        }
    }
}

/// True for a Stan identifier: an ASCII letter, then letters, digits or `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Encodes `cells` as 1-based indices of the sorted levels; returns the indices and
/// the labels. A missing or blank cell is an empty level: an error naming its place.
pub fn encode(
    cells: &Cells,
    file: &str,
    column: &str,
    place: &dyn Fn(usize) -> Place,
) -> Result<(Vec<f64>, Vec<String>), TableError> {
    let empty = |i: usize| TableError::Cell {
        file: file.into(),
        column: column.into(),
        place: place(i),
        message: "empty level: every row of a factor column must name its group".into(),
    };
    match cells {
        Cells::Int(v) => {
            let present = present_or(v, empty)?;
            let (indices, levels) = index(&present);
            Ok((indices, levels.iter().map(|k| k.to_string()).collect()))
        }
        Cells::Text(v) => {
            let present = present_or(v, empty)?;
            if let Some(i) = present.iter().position(|s| s.is_empty()) {
                return Err(empty(i));
            }
            let (indices, levels) = index(&present);
            Ok((indices, levels.into_iter().cloned().collect()))
        }
        Cells::Real(_) => Err(TableError::Column {
            file: file.into(),
            column: column.into(),
            message: "holds real numbers; a factor column must hold text or integers".into(),
        }),
    }
}

/// The cells with no missing one, or the error for the first missing.
fn present_or<T: Clone>(
    cells: &[Option<T>],
    missing: impl Fn(usize) -> TableError,
) -> Result<Vec<T>, TableError> {
    cells
        .iter()
        .enumerate()
        .map(|(i, c)| c.clone().ok_or_else(|| missing(i)))
        .collect()
}

/// Sorted distinct levels and each cell's 1-based position among them.
fn index<T: Ord>(cells: &[T]) -> (Vec<f64>, Vec<&T>) {
    let levels: Vec<&T> = cells.iter().collect::<BTreeSet<_>>().into_iter().collect();
    let indices = cells
        .iter()
        .map(|c| (levels.binary_search(&c).unwrap_or_default() + 1) as f64)
        .collect();
    (indices, levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_or_say_why_not() {
        assert_eq!(
            FactorSpec::parse("county:J").unwrap(),
            FactorSpec {
                column: "county".into(),
                size_var: Some("J".into())
            }
        );
        assert_eq!(FactorSpec::parse("county").unwrap().size_var, None);
        assert_eq!(
            FactorSpec::parse(" county : J").unwrap().to_string(),
            "county:J"
        );
        for bad in [":J", "county:", "county:1J", "county:J K"] {
            let e = FactorSpec::parse(bad).unwrap_err().to_string();
            assert!(e.starts_with(&format!("--factor `{bad}`")), "{e}");
        }
    }

    #[test]
    fn levels_are_sorted_and_indices_one_based() {
        let place = |i: usize| Place::Row(i + 1);
        let cells = Cells::Text(
            ["Anoka", "Aitkin", "Anoka", "Blue Earth"]
                .map(|s| Some(s.to_string()))
                .to_vec(),
        );
        let (idx, labels) = encode(&cells, "f", "county", &place).unwrap();
        assert_eq!(idx, vec![2.0, 1.0, 2.0, 3.0]);
        assert_eq!(labels, vec!["Aitkin", "Anoka", "Blue Earth"]);
        let ints = Cells::Int(vec![Some(10), Some(2), Some(10)]);
        let (idx, labels) = encode(&ints, "f", "g", &place).unwrap();
        assert_eq!(
            (idx, labels),
            (vec![2.0, 1.0, 2.0], vec!["2".into(), "10".into()])
        );
        let gap = Cells::Text(vec![Some("a".into()), None]);
        let e = encode(&gap, "f", "county", &place).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("empty level"), "{e}");
        let real = Cells::Real(vec![Some(1.5)]);
        assert!(encode(&real, "f", "x", &place).is_err());
    }
}
