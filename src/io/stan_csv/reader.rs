//! Reading Stan CSV files (hazel's or CmdStan's) into [`Draws`]: one file per chain,
//! comments anywhere, adaptation and timing parsed, warmup draws split off when saved.
//! Malformed input is an error naming the file, the line and the problem.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::comments::CommentState;
use super::number::parse_number;
use crate::draws::{ChainDraws, Draws};

/// A problem with a Stan CSV file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}{}: {problem}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct StanCsvError {
    /// The file (as given).
    pub file: String,
    /// The 1-based line, when the problem sits on one line.
    pub line: Option<usize>,
    /// What is wrong.
    pub problem: String,
}

/// One parsed chain file.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainFile {
    /// Column names from the header.
    pub columns: Vec<String>,
    /// The draws, warmup, adaptation and timing.
    pub chain: ChainDraws,
    /// Configuration entries from the comment header (`num_warmup` → `1000`).
    pub config: BTreeMap<String, String>,
}

/// Several chain files read together.
#[derive(Debug, Clone, PartialEq)]
pub struct StanCsv {
    /// All chains, in the order the files were given.
    pub draws: Draws,
    /// Each file's configuration entries, in the same order.
    pub configs: Vec<BTreeMap<String, String>>,
}

impl StanCsv {
    /// The maximum tree depth the run used (`max_depth` in the header), when reported.
    pub fn max_depth(&self) -> Option<u32> {
        self.configs.first()?.get("max_depth")?.parse().ok()
    }
}

fn flag(config: &BTreeMap<String, String>, key: &str) -> bool {
    config
        .get(key)
        .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn count(config: &BTreeMap<String, String>, key: &str, default: usize) -> usize {
    config
        .get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Parses the text of one chain file; `file` names it in errors.
pub fn parse_chain(text: &str, file: &str) -> Result<ChainFile, StanCsvError> {
    let err = |line: Option<usize>, problem: String| StanCsvError {
        file: file.to_string(),
        line,
        problem,
    };
    let mut state = CommentState::default();
    let mut columns: Option<Vec<String>> = None;
    let mut values: Vec<Vec<f64>> = Vec::new();
    let mut rows = 0;
    for (i, raw) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if columns.is_none() {
                state.header_comment(comment);
            } else {
                state
                    .body_comment(comment, rows)
                    .map_err(|p| err(Some(lineno), p))?;
            }
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let Some(names) = &columns else {
            columns = Some(parse_header(&cells).map_err(|p| err(Some(lineno), p))?);
            values = vec![Vec::new(); cells.len()];
            continue;
        };
        if state.metric_unfinished() {
            return Err(err(
                Some(lineno),
                "inverse metric header is not followed by its values".into(),
            ));
        }
        if cells.len() != names.len() {
            return Err(err(
                Some(lineno),
                format!(
                    "ragged row: {} values but the header has {} columns",
                    cells.len(),
                    names.len()
                ),
            ));
        }
        for (k, cell) in cells.iter().enumerate() {
            let v = parse_number(cell).ok_or_else(|| {
                err(
                    Some(lineno),
                    format!("value {cell:?} in column `{}` is not a number", names[k]),
                )
            })?;
            values[k].push(v);
        }
        rows += 1;
    }
    let Some(columns) = columns else {
        let problem = if text.trim().is_empty() {
            "empty file"
        } else {
            "no column header: the file holds only comments"
        };
        return Err(err(None, problem.to_string()));
    };
    if state.metric_unfinished() {
        return Err(err(None, "file ends inside the inverse metric".into()));
    }
    let warmup_rows = if flag(&state.config, "save_warmup") {
        let thin = count(&state.config, "thin", 1).max(1);
        let saved = count(&state.config, "num_warmup", 0).div_ceil(thin);
        state.adaptation_row.unwrap_or(saved).min(rows)
    } else {
        0
    };
    let mut warmup = Vec::with_capacity(values.len());
    for col in &mut values {
        let rest = col.split_off(warmup_rows);
        warmup.push(std::mem::replace(col, rest));
    }
    let chain = ChainDraws {
        warmup,
        draws: values,
        adaptation: state.adaptation(),
        timing: state.timing(),
        interrupted: state.interrupted,
    };
    Ok(ChainFile {
        columns,
        chain,
        config: state.config,
    })
}

/// Checks a column header: names, non-empty, not all numbers, no duplicates.
fn parse_header(cells: &[&str]) -> Result<Vec<String>, String> {
    if cells.iter().all(|c| parse_number(c).is_some()) {
        return Err("missing column header: the first non-comment line holds numbers".into());
    }
    let mut seen = std::collections::HashSet::new();
    for (k, name) in cells.iter().enumerate() {
        if name.is_empty() {
            return Err(format!("column {} of the header has no name", k + 1));
        }
        if !seen.insert(*name) {
            return Err(format!("column `{name}` appears twice in the header"));
        }
    }
    Ok(cells.iter().map(|c| c.to_string()).collect())
}

/// Reads one file per chain. All files must have the same columns and the same number of
/// kept draws.
pub fn read_stan_csv(paths: &[PathBuf]) -> Result<StanCsv, StanCsvError> {
    let Some(first) = paths.first() else {
        return Err(StanCsvError {
            file: String::new(),
            line: None,
            problem: "no Stan CSV files given".into(),
        });
    };
    let mut draws = Draws::default();
    let mut configs = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let text = read_text(path)?;
        let parsed = parse_chain(&text, &name)?;
        let file_err = |problem: String| StanCsvError {
            file: name.clone(),
            line: None,
            problem,
        };
        if draws.chains.is_empty() {
            draws.columns = parsed.columns;
        } else {
            if parsed.columns != draws.columns {
                return Err(file_err(column_difference(
                    &parsed.columns,
                    &draws.columns,
                    first,
                )));
            }
            let (n, m) = (parsed.chain.num_draws(), draws.chains[0].num_draws());
            if n != m {
                return Err(file_err(format!(
                    "has {n} draws but {} has {m}: chains must be equally long",
                    first.display()
                )));
            }
        }
        draws.chains.push(parsed.chain);
        configs.push(parsed.config);
    }
    Ok(StanCsv { draws, configs })
}

fn read_text(path: &Path) -> Result<String, StanCsvError> {
    std::fs::read_to_string(path).map_err(|e| StanCsvError {
        file: path.display().to_string(),
        line: None,
        problem: format!("cannot read: {e}"),
    })
}

/// Says how `columns` differ from `expected`, the columns of file `first`.
fn column_difference(columns: &[String], expected: &[String], first: &Path) -> String {
    let first = first.display();
    if let Some(k) = (0..columns.len().min(expected.len())).find(|&k| columns[k] != expected[k]) {
        return format!(
            "column {} is `{}` but in {first} it is `{}`: chains must have the same columns",
            k + 1,
            columns[k],
            expected[k]
        );
    }
    format!(
        "has {} columns but {first} has {}: chains must have the same columns",
        columns.len(),
        expected.len()
    )
}
