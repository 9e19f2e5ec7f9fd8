//! One table column as typed cells, before it becomes model data: integers (booleans
//! become 0/1), reals or text, each cell possibly missing. CSV text is typed here by
//! what its cells hold; Parquet and DataFrame columns by their polars type.

use polars::prelude::{Column, DataType};

use super::error::{Place, TableError};

/// Typed cells of one column; `None` is a missing cell (null, or an empty CSV field).
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// Integers; booleans are stored as 0 and 1.
    Int(Vec<Option<i64>>),
    /// Reals (NaN and infinities are values, not missing).
    Real(Vec<Option<f64>>),
    /// Text, trimmed of surrounding white space.
    Text(Vec<Option<String>>),
}

/// Message for a missing cell used as a number (Stan data has no missing values).
const MISSING: &str =
    "empty cell: Stan data has no missing values (drop the row or impute the value)";

impl Cells {
    /// Cells of a polars column, by its type; `Err` says why the type is unusable.
    pub fn from_column(col: &Column) -> Result<Cells, String> {
        let dtype = col.dtype();
        let polars_msg = |e: polars::error::PolarsError| e.to_string();
        if dtype.is_bool() {
            let ca = col.bool().map_err(polars_msg)?;
            Ok(Cells::Int(ca.iter().map(|o| o.map(i64::from)).collect()))
        } else if dtype.is_integer() {
            let c = col
                .strict_cast(&DataType::Int64)
                .map_err(|e| format!("its {dtype} values do not fit a 64-bit integer ({e})"))?;
            Ok(Cells::Int(c.i64().map_err(polars_msg)?.iter().collect()))
        } else if dtype.is_float() {
            let c = col.cast(&DataType::Float64).map_err(polars_msg)?;
            Ok(Cells::Real(c.f64().map_err(polars_msg)?.iter().collect()))
        } else if dtype.is_string() {
            let ca = col.str().map_err(polars_msg)?;
            Ok(Cells::Text(
                ca.iter().map(|o| o.map(|s| s.trim().to_string())).collect(),
            ))
        } else {
            Err(format!(
                "has type {dtype}; model data columns must hold numbers, booleans or (for factors) text"
            ))
        }
    }

    /// Types CSV text: integers if every present cell is one, else reals, else booleans
    /// (`true`/`false`, any case, become 1/0), else text.
    pub fn from_text(cells: Vec<Option<String>>) -> Cells {
        let cells: Vec<Option<String>> = cells
            .into_iter()
            .map(|c| c.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
            .collect();
        let present = || cells.iter().flatten();
        if present().all(|s| s.parse::<i64>().is_ok()) {
            Cells::Int(parse_all(&cells, |s| s.parse().ok()))
        } else if present().all(|s| parse_real(s).is_some()) {
            Cells::Real(parse_all(&cells, parse_real))
        } else if present().all(|s| parse_bool(s).is_some()) {
            Cells::Int(parse_all(&cells, parse_bool))
        } else {
            Cells::Text(cells)
        }
    }

    /// The values as model data and whether they are integers. `place(i)` names the
    /// 0-based row `i`; errors name the first missing or non-numeric cell.
    pub fn to_numbers(
        &self,
        file: &str,
        column: &str,
        place: &dyn Fn(usize) -> Place,
    ) -> Result<(Vec<f64>, bool), TableError> {
        let cell_error = |i: usize, message: String| TableError::Cell {
            file: file.into(),
            column: column.into(),
            place: place(i),
            message,
        };
        let numbers = |v: Vec<Option<f64>>| -> Result<Vec<f64>, TableError> {
            v.into_iter()
                .enumerate()
                .map(|(i, x)| x.ok_or_else(|| cell_error(i, MISSING.into())))
                .collect()
        };
        match self {
            Cells::Int(v) => Ok((
                numbers(v.iter().map(|x| x.map(|k| k as f64)).collect())?,
                true,
            )),
            Cells::Real(v) => Ok((numbers(v.clone())?, false)),
            Cells::Text(v) => {
                Err(
                    text_error(v, column, &cell_error).unwrap_or_else(|| TableError::Column {
                        file: file.into(),
                        column: column.into(),
                        message: "numbers are stored as text; store them as numbers".into(),
                    }),
                )
            }
        }
    }
}

/// The first cell of a text column that stops it being numbers, if any.
fn text_error(
    cells: &[Option<String>],
    column: &str,
    cell_error: &dyn Fn(usize, String) -> TableError,
) -> Option<TableError> {
    let any_number = cells.iter().flatten().any(|s| parse_real(s).is_some());
    let (i, bad) = cells.iter().enumerate().find(|(_, c)| {
        c.as_deref()
            .is_none_or(|s| s.is_empty() || parse_real(s).is_none())
    })?;
    let message = match bad.as_deref() {
        None | Some("") => MISSING.to_string(),
        Some(s) if any_number => format!("\"{s}\" is not a number"),
        Some(s) => format!(
            "text \"{s}\" in a column used as numbers; to use text as group indices, declare the column a factor (--factor {column})"
        ),
    };
    Some(cell_error(i, message))
}

fn parse_all<T>(cells: &[Option<String>], parse: impl Fn(&str) -> Option<T>) -> Vec<Option<T>> {
    cells
        .iter()
        .map(|c| c.as_deref().and_then(&parse))
        .collect()
}

/// A real as written in data files: decimal or exponent notation, or `inf`, `-inf`,
/// `Infinity`, `NaN` in any case (the spellings CmdStan accepts).
pub fn parse_real(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

fn parse_bool(s: &str) -> Option<i64> {
    if s.eq_ignore_ascii_case("true") {
        Some(1)
    } else if s.eq_ignore_ascii_case("false") {
        Some(0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[&str]) -> Cells {
        Cells::from_text(
            cells
                .iter()
                .map(|s| Some(s.to_string()).filter(|s| !s.is_empty()))
                .collect(),
        )
    }

    #[test]
    fn csv_text_is_typed_by_its_cells() {
        assert_eq!(text(&["1", " -2 "]), Cells::Int(vec![Some(1), Some(-2)]));
        assert_eq!(text(&["1", ""]), Cells::Int(vec![Some(1), None]));
        let Cells::Real(r) = text(&["1", "2.5", "-inf", "NaN"]) else {
            panic!("expected reals")
        };
        assert_eq!(r[..3], [Some(1.0), Some(2.5), Some(f64::NEG_INFINITY)]);
        assert!(r[3].unwrap().is_nan());
        assert_eq!(text(&["TRUE", "false"]), Cells::Int(vec![Some(1), Some(0)]));
        assert!(matches!(text(&["1", "x"]), Cells::Text(_)));
    }

    #[test]
    fn number_errors_name_the_first_bad_cell() {
        let place = |i: usize| Place::Line(i + 2);
        let e = text(&["1", "", "x"])
            .to_numbers("f", "y", &place)
            .unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Cell {
                    place: Place::Line(3),
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("no missing values"), "{e}");
        let e = text(&["1.5", "2", "abc"]).to_numbers("f", "y", &place);
        let e = e.unwrap_err().to_string();
        assert!(
            e.contains("line 4") && e.contains("\"abc\" is not a number"),
            "{e}"
        );
        let e = text(&["Aitkin", "Anoka"]).to_numbers("f", "county", &place);
        let e = e.unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("--factor county"), "{e}");
        let e = text(&["1", ""]).to_numbers("f", "n", &place).unwrap_err();
        assert!(
            matches!(
                e,
                TableError::Cell {
                    place: Place::Line(3),
                    ..
                }
            ),
            "{e}"
        );
        let e = Cells::Real(vec![None]).to_numbers("f", "x", &place);
        assert!(e.unwrap_err().to_string().contains("line 2"));
        let (v, int) = text(&["3", "4"]).to_numbers("f", "n", &place).unwrap();
        assert_eq!((v, int), (vec![3.0, 4.0], true));
    }
}
