//! Stan JSON data: one JSON object whose keys are variable names and whose values are
//! numbers or (nested) arrays of numbers, as CmdStan reads it.
//!
//! Values become a [`DataValue`]: a shape and the values flattened row-major (nested
//! arrays outermost first; a matrix is given as an array of rows). Infinities and NaN
//! are the strings `"inf"`, `"+inf"`, `"-inf"`, `"Infinity"`, `"-Infinity"`, `"NaN"`
//! (case-insensitive), as CmdStan accepts. Whether a value is an integer is recorded
//! so that `int` declarations can be validated against it; checking shapes and types
//! against the program's declarations is the compiler's job (`compile::bind`).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One data variable as read from JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct DataValue {
    /// Sizes from the outermost array inwards; empty for a scalar.
    pub dims: Vec<usize>,
    /// Values, row-major.
    pub values: Vec<f64>,
    /// True when every value was written as an integer (no decimal point or exponent,
    /// not a special string).
    pub all_int: bool,
    /// Where the value came from (file name), for error messages.
    pub source: String,
}

impl DataValue {
    /// A real scalar.
    pub fn scalar(v: f64, source: &str) -> Self {
        DataValue {
            dims: vec![],
            values: vec![v],
            all_int: false,
            source: source.into(),
        }
    }
}

/// Data variables by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataSet {
    /// The variables.
    pub vars: BTreeMap<String, DataValue>,
}

/// What went wrong reading Stan JSON data.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DataError {
    /// The file could not be read.
    #[error("{path}: cannot read data file: {message}")]
    Io { path: PathBuf, message: String },
    /// The text is not JSON.
    #[error("{file}:{line}:{column}: invalid JSON: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON that is not Stan data.
    #[error("{file}: {message}")]
    Shape { file: String, message: String },
    /// A variable given in two inputs.
    #[error("data variable `{name}` is given twice: in {first} and in {second}")]
    Duplicate {
        name: String,
        first: String,
        second: String,
    },
}

impl DataSet {
    /// Reads a Stan JSON file.
    pub fn from_json_file(path: &Path) -> Result<DataSet, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        DataSet::from_json_str(&text, &path.display().to_string())
    }

    /// Parses Stan JSON text; `source` names it in error messages.
    pub fn from_json_str(text: &str, source: &str) -> Result<DataSet, DataError> {
        let value: Value = serde_json::from_str(text).map_err(|e| DataError::Syntax {
            file: source.into(),
            line: e.line(),
            column: e.column(),
            message: e
                .to_string()
                .split(" at line")
                .next()
                .unwrap_or("")
                .to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(DataError::Shape {
                file: source.into(),
                message: "the top level must be a JSON object mapping variable names to values"
                    .into(),
            });
        };
        let mut vars = BTreeMap::new();
        for (name, v) in map {
            let dims = shape_of(&v);
            let mut flat = Flat {
                values: Vec::new(),
                all_int: true,
            };
            flat.walk(&v, &dims, &mut Vec::new())
                .map_err(|message| DataError::Shape {
                    file: source.into(),
                    message: format!("variable `{name}`: {message}"),
                })?;
            let value = DataValue {
                dims,
                values: flat.values,
                all_int: flat.all_int,
                source: source.into(),
            };
            vars.insert(name, value);
        }
        Ok(DataSet { vars })
    }

    /// Adds every variable of `other`; a name present in both is an error.
    pub fn merge(&mut self, other: DataSet) -> Result<(), DataError> {
        for (name, v) in other.vars {
            if let Some(old) = self.vars.get(&name) {
                return Err(DataError::Duplicate {
                    name,
                    first: old.source.clone(),
                    second: v.source,
                });
            }
            self.vars.insert(name, v);
        }
        Ok(())
    }

    /// The variable called `name`.
    pub fn get(&self, name: &str) -> Option<&DataValue> {
        self.vars.get(name)
    }
}

/// The shape read off the first element at each depth: `[len(v), len(v[0]), …]`.
fn shape_of(v: &Value) -> Vec<usize> {
    let mut dims = Vec::new();
    let mut node = v;
    while let Value::Array(items) = node {
        dims.push(items.len());
        match items.first() {
            Some(first) => node = first,
            None => break,
        }
    }
    dims
}

/// Checks every node against the shape and collects the leaves row-major.
struct Flat {
    values: Vec<f64>,
    all_int: bool,
}

impl Flat {
    fn walk(&mut self, v: &Value, dims: &[usize], path: &mut Vec<usize>) -> Result<(), String> {
        let depth = path.len();
        match v {
            Value::Array(items) => {
                if depth >= dims.len() {
                    return Err(format!(
                        "arrays must be rectangular: an array{} where the first element has a number",
                        at(path)
                    ));
                }
                if items.len() != dims[depth] {
                    return Err(format!(
                        "arrays must be rectangular: size {}{} but size {} at the first element of the same depth",
                        items.len(),
                        at(path),
                        dims[depth]
                    ));
                }
                for (i, item) in items.iter().enumerate() {
                    path.push(i + 1);
                    self.walk(item, dims, path)?;
                    path.pop();
                }
                Ok(())
            }
            leaf => {
                if depth != dims.len() {
                    return Err(format!(
                        "arrays must be rectangular: a number{} where the first element has an array",
                        at(path)
                    ));
                }
                let (x, is_int) = leaf_value(leaf).map_err(|m| format!("{m}{}", at(path)))?;
                self.all_int &= is_int;
                self.values.push(x);
                Ok(())
            }
        }
    }
}

fn at(path: &[usize]) -> String {
    if path.is_empty() {
        String::new()
    } else {
        let idx: Vec<String> = path.iter().map(|i| i.to_string()).collect();
        format!(" at [{}]", idx.join(","))
    }
}

fn leaf_value(v: &Value) -> Result<(f64, bool), String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok((i as f64, true))
            } else if let Some(u) = n.as_u64() {
                Ok((u as f64, true))
            } else {
                Ok((n.as_f64().unwrap_or(f64::NAN), false))
            }
        }
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "inf" | "+inf" | "infinity" | "+infinity" => Ok((f64::INFINITY, false)),
            "-inf" | "-infinity" => Ok((f64::NEG_INFINITY, false)),
            "nan" => Ok((f64::NAN, false)),
            _ => Err(format!(
                "the string \"{s}\" is not a number (only \"inf\", \"-inf\" and \"NaN\" are)"
            )),
        },
        Value::Bool(_) => Err("true/false is not a number (write 1 or 0)".into()),
        Value::Null => Err("null is not a number (write \"NaN\" for a missing value)".into()),
        Value::Object(_) => Err("an object is not a number or an array".into()),
        Value::Array(_) => unreachable!("arrays are walked, not leaves"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DataSet, DataError> {
        DataSet::from_json_str(text, "d.json")
    }

    #[test]
    fn scalars_arrays_matrices_and_specials() {
        let d = parse(r#"{"N": 3, "y": [1.5, "-inf", "NaN"], "X": [[1, 2], [3, 4], [5, 6]], "e": [], "s": 2.0}"#).unwrap();
        let n = d.get("N").unwrap();
        assert_eq!(
            (n.dims.clone(), n.values.clone(), n.all_int),
            (vec![], vec![3.0], true)
        );
        let y = d.get("y").unwrap();
        assert_eq!(y.dims, vec![3]);
        assert_eq!(y.values[1], f64::NEG_INFINITY);
        assert!(y.values[2].is_nan() && !y.all_int);
        let x = d.get("X").unwrap();
        assert_eq!(x.dims, vec![3, 2]);
        assert_eq!(x.values, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(d.get("e").unwrap().dims, vec![0]);
        assert!(!d.get("s").unwrap().all_int);
    }

    #[test]
    fn errors_name_the_variable_and_place() {
        let e = parse(r#"{"X": [[1, 2], [3]]}"#).unwrap_err().to_string();
        assert!(
            e.contains("`X`") && e.contains("[2]") && e.contains("rectangular"),
            "{e}"
        );
        let e = parse(r#"{"X": [[1, 2], 3]}"#).unwrap_err().to_string();
        assert!(e.contains("`X`") && e.contains("[2]"), "{e}");
        let e = parse(r#"{"y": [1, "abc"]}"#).unwrap_err().to_string();
        assert!(e.contains("\"abc\"") && e.contains("[2]"), "{e}");
        let e = parse("{\"y\": [1,\n 2,,]}").unwrap_err();
        assert!(matches!(e, DataError::Syntax { line: 2, .. }), "{e}");
        assert!(parse("[1, 2]").unwrap_err().to_string().contains("object"));
        let e = parse(r#"{"b": true}"#).unwrap_err().to_string();
        assert!(e.contains("`b`"), "{e}");
    }

    #[test]
    fn merging_refuses_duplicates() {
        let mut a = parse(r#"{"N": 1}"#).unwrap();
        let b = DataSet::from_json_str(r#"{"N": 2}"#, "other.json").unwrap();
        let e = a.merge(b).unwrap_err().to_string();
        assert!(
            e.contains("`N`") && e.contains("d.json") && e.contains("other.json"),
            "{e}"
        );
    }

    #[test]
    fn shipped_data_sets_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bench");
        let radon = DataSet::from_json_file(&root.join("radon_mn.json")).unwrap();
        assert_eq!(radon.get("county_idx").unwrap().dims, vec![919]);
        assert!(radon.get("county_idx").unwrap().all_int);
        let e = DataSet::from_json_file(&root.join("missing.json")).unwrap_err();
        assert!(e.to_string().contains("missing.json"), "{e}");
    }
}
