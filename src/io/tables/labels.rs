//! Level labels in output names: `--labels alpha=county` says that the index of model
//! variable `alpha` runs over the levels of factor `county`, so `alpha[3]` is shown as
//! `alpha[Aitkin]`. For several indices, one entry per index, `_` for an index that
//! keeps its number: `--labels beta=county,_`.

use std::collections::BTreeMap;

use super::error::TableError;
use super::factor::{Factor, is_identifier};

/// Model variable → for each of its indices, the factor column labelling it (`None`
/// keeps the number).
pub type LabelMap = BTreeMap<String, Vec<Option<String>>>;

/// Placeholder for an index that keeps its number.
pub const KEEP_NUMBER: &str = "_";

/// Parses `--labels` specs (`alpha=county`, `beta=county,_`), checking that every
/// named factor is one of `factors` and that no variable is given twice.
pub fn parse_labels(specs: &[String], factors: &[Factor]) -> Result<LabelMap, TableError> {
    let mut map = LabelMap::new();
    for spec in specs {
        let err = |message: String| TableError::Spec {
            option: "--labels",
            spec: spec.clone(),
            message,
        };
        let Some((var, cols)) = spec.split_once('=') else {
            return Err(err(
                "expected VARIABLE=FACTOR[,FACTOR…], e.g. `alpha=county`".into(),
            ));
        };
        let var = var.trim();
        if !is_identifier(var) {
            return Err(err(format!("`{var}` is not a variable name")));
        }
        let mut per_index = Vec::new();
        for col in cols.split(',').map(str::trim) {
            if col == KEEP_NUMBER {
                per_index.push(None);
            } else if factors.iter().any(|f| f.column == col) {
                per_index.push(Some(col.to_string()));
            } else {
                let known: Vec<&str> = factors.iter().map(|f| f.column.as_str()).collect();
                return Err(err(format!(
                    "`{col}` is not a factor (factors: {}; `_` keeps an index numeric)",
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                )));
            }
        }
        if map.insert(var.to_string(), per_index).is_some() {
            return Err(err(format!("labels for `{var}` are given twice")));
        }
    }
    Ok(map)
}

/// `name` with labelled indices replaced: `alpha[3]` → `alpha[Aitkin]` when `labels`
/// maps `alpha` to a factor whose third level is `Aitkin`. Names in bracket form only
/// (`crate::draws::dotted_to_bracket` converts Stan CSV names); names that are not
/// labelled, and indices out of a factor's range, are returned unchanged.
pub fn relabel(name: &str, factors: &[Factor], labels: &LabelMap) -> String {
    let Some((base, rest)) = name.split_once('[') else {
        return name.to_string();
    };
    let (Some(inner), Some(per_index)) = (rest.strip_suffix(']'), labels.get(base)) else {
        return name.to_string();
    };
    let indices: Vec<String> = inner
        .split(',')
        .enumerate()
        .map(|(pos, idx)| {
            per_index
                .get(pos)
                .cloned()
                .flatten()
                .and_then(|col| factors.iter().find(|f| f.column == col))
                .and_then(|f| {
                    let k: usize = idx.trim().parse().ok()?;
                    f.labels.get(k.checked_sub(1)?).cloned()
                })
                .unwrap_or_else(|| idx.to_string())
        })
        .collect();
    format!("{base}[{}]", indices.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn county() -> Vec<Factor> {
        vec![Factor {
            column: "county".into(),
            size_var: Some("J".into()),
            labels: vec!["Aitkin".into(), "Anoka".into()],
        }]
    }

    fn labels(specs: &[&str]) -> Result<LabelMap, TableError> {
        let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
        parse_labels(&specs, &county())
    }

    #[test]
    fn indices_become_level_labels() {
        let map = labels(&["alpha=county", "beta=_,county"]).unwrap();
        let f = county();
        assert_eq!(relabel("alpha[1]", &f, &map), "alpha[Aitkin]");
        assert_eq!(relabel("alpha[2]", &f, &map), "alpha[Anoka]");
        assert_eq!(relabel("alpha[3]", &f, &map), "alpha[3]");
        assert_eq!(relabel("alpha[0]", &f, &map), "alpha[0]");
        assert_eq!(relabel("beta[2,1]", &f, &map), "beta[2,Aitkin]");
        assert_eq!(relabel("gamma[1]", &f, &map), "gamma[1]");
        assert_eq!(relabel("sigma", &f, &map), "sigma");
        assert_eq!(relabel("lp__", &f, &map), "lp__");
    }

    #[test]
    fn bad_label_specs_are_errors() {
        for (spec, needle) in [
            ("alpha", "expected VARIABLE=FACTOR"),
            ("alpha=region", "`region` is not a factor"),
            ("1a=county", "not a variable name"),
        ] {
            let e = labels(&[spec]).unwrap_err().to_string();
            assert!(e.contains(needle) && e.contains("--labels"), "{e}");
        }
        let e = labels(&["a=county", "a=_"]).unwrap_err().to_string();
        assert!(e.contains("twice"), "{e}");
    }
}
