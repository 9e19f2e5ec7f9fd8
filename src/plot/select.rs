//! Which variables a plot shows: grouping Stan's flattened columns into parameters,
//! resolving user-given names, and the default choice for large models (top-level
//! scalars first, vectors and arrays in forest plots, a capped number of panels).

use super::PlotError;
use crate::draws::{Draws, bracket_to_dotted, dotted_to_bracket};
use std::collections::HashMap;

/// Names shown in place of Stan's, keyed by the column name in bracket form
/// (`alpha[1]` → `alpha[Aitkin]`); columns not in the map keep their own name.
pub type DisplayNames = HashMap<String, String>;

/// A model parameter and its flattened columns (one for a scalar, many for a container).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The name without indices (`theta`).
    pub base: String,
    /// Column indices into `Draws::columns`, in Stan order.
    pub columns: Vec<usize>,
    /// True for a scalar (a single column without indices).
    pub scalar: bool,
}

/// Variables picked for a plot, and how many were left out by the default cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Column indices, in display order.
    pub columns: Vec<usize>,
    /// Candidates left out because of the panel cap (only for default selections).
    pub left_out: usize,
}

impl Selection {
    /// A note for the figure title saying that variables were left out, if any were.
    pub fn note(&self) -> Option<String> {
        (self.left_out > 0).then(|| {
            format!(
                "first {} of {} variables; choose others with vars",
                self.columns.len(),
                self.columns.len() + self.left_out
            )
        })
    }
}

fn base_of(column: &str) -> &str {
    column.split('.').next().unwrap_or(column)
}

/// The model's parameters (sampler columns excluded), in column order.
pub fn groups(draws: &Draws) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for i in draws.variable_indices() {
        let name = &draws.columns[i];
        let base = base_of(name);
        match out.iter_mut().find(|g| g.base == base) {
            Some(g) => {
                g.columns.push(i);
                g.scalar = false;
            }
            None => out.push(Group {
                base: base.to_string(),
                columns: vec![i],
                scalar: !name.contains('.'),
            }),
        }
    }
    out
}

/// The column shown as `name` under `names` (`alpha[Aitkin]`), if any.
fn displayed_column(draws: &Draws, name: &str, names: &DisplayNames) -> Option<usize> {
    let (raw, _) = names.iter().find(|(_, shown)| shown.as_str() == name)?;
    draws.column_index(raw)
}

/// Columns named by `vars`: a parameter name (`theta`) stands for all its elements, an
/// element (`theta[2]` or `theta.2`) or a sampler column (`lp__`) for itself, and so
/// does a display name from `names` (`alpha[Aitkin]`); Stan's names are matched first.
pub fn resolve_names(
    draws: &Draws,
    vars: &[String],
    names: &DisplayNames,
) -> Result<Vec<usize>, PlotError> {
    let all = groups(draws);
    let mut out = Vec::new();
    for v in vars {
        let v = v.trim();
        let column = draws
            .column_index(v)
            .or_else(|| displayed_column(draws, v, names));
        let cols = match (column, all.iter().find(|g| g.base == v)) {
            (Some(i), _) => vec![i],
            (None, Some(g)) => g.columns.clone(),
            (None, None) => {
                return Err(PlotError::UnknownVariable {
                    name: v.to_string(),
                    dotted: bracket_to_dotted(v),
                });
            }
        };
        for c in cols {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Columns for per-variable panels: the named ones (all of them), or by default the
/// top-level scalars followed by container elements, capped at `max_panels`.
pub fn panel_selection(
    draws: &Draws,
    vars: Option<&[String]>,
    max_panels: usize,
    names: &DisplayNames,
) -> Result<Selection, PlotError> {
    if let Some(v) = vars {
        return Ok(Selection {
            columns: resolve_names(draws, v, names)?,
            left_out: 0,
        });
    }
    let g = groups(draws);
    let mut ordered: Vec<usize> = g
        .iter()
        .filter(|g| g.scalar)
        .map(|g| g.columns[0])
        .collect();
    ordered.extend(
        g.iter()
            .filter(|g| !g.scalar)
            .flat_map(|g| g.columns.clone()),
    );
    let left_out = ordered.len().saturating_sub(max_panels);
    ordered.truncate(max_panels);
    Ok(Selection {
        columns: ordered,
        left_out,
    })
}

/// Groups for forest plots: every container parameter by default (or, in a model with
/// only scalars, one group of all scalars); with `vars`, the named parameters, named
/// scalars and single elements gathered into one group.
pub fn forest_groups(
    draws: &Draws,
    vars: Option<&[String]>,
    names: &DisplayNames,
) -> Result<Vec<Group>, PlotError> {
    let all = groups(draws);
    let (mut out, loose): (Vec<Group>, Vec<usize>) = match vars {
        None => {
            let containers: Vec<Group> = all.iter().filter(|g| !g.scalar).cloned().collect();
            if containers.is_empty() {
                (Vec::new(), all.iter().map(|g| g.columns[0]).collect())
            } else {
                (containers, Vec::new())
            }
        }
        Some(v) => {
            let mut named = Vec::new();
            let mut loose = Vec::new();
            for name in v {
                match all.iter().find(|g| g.base == name.trim() && !g.scalar) {
                    Some(g) => named.push(g.clone()),
                    None => loose.extend(resolve_names(draws, std::slice::from_ref(name), names)?),
                }
            }
            (named, loose)
        }
    };
    if !loose.is_empty() {
        out.insert(
            0,
            Group {
                base: "selected".into(),
                columns: loose,
                scalar: false,
            },
        );
    }
    Ok(out)
}

/// Stan's name of column `i` in bracket form (`theta[1]`).
pub fn label(draws: &Draws, i: usize) -> String {
    dotted_to_bracket(&draws.columns[i])
}

/// The name column `i` is shown under: its entry in `names`, else [`label`].
pub fn display_label(draws: &Draws, i: usize, names: &DisplayNames) -> String {
    let raw = label(draws, i);
    names.get(&raw).cloned().unwrap_or(raw)
}

/// The kept draws of column `i`, one slice per chain, checked to be non-empty and finite.
pub fn finite_column(draws: &Draws, i: usize) -> Result<Vec<&[f64]>, PlotError> {
    let chains = draws.column(i);
    if chains.iter().all(|c| c.is_empty()) {
        return Err(PlotError::NoDraws(format!(
            "column `{}` has no kept draws",
            label(draws, i)
        )));
    }
    for (k, c) in chains.iter().enumerate() {
        if let Some(d) = c.iter().position(|v| !v.is_finite()) {
            return Err(PlotError::NonFinite {
                column: label(draws, i),
                chain: k + 1,
                draw: d + 1,
            });
        }
    }
    Ok(chains)
}

/// Applies `f` to the display name and finite per-chain draws of each column, for a
/// `plot` with one panel or row per column; an empty `columns` is an error.
pub fn per_column<T>(
    draws: &Draws,
    columns: &[usize],
    names: &DisplayNames,
    plot: &str,
    mut f: impl FnMut(String, Vec<&[f64]>) -> T,
) -> Result<Vec<T>, PlotError> {
    if columns.is_empty() {
        return Err(PlotError::NoDraws(format!(
            "no variables selected for the {plot} plot"
        )));
    }
    columns
        .iter()
        .map(|&i| Ok(f(display_label(draws, i, names), finite_column(draws, i)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::{ChainDraws, SAMPLER_COLUMNS};

    fn draws(model: &[&str]) -> Draws {
        let mut columns: Vec<String> = SAMPLER_COLUMNS.iter().map(|s| s.to_string()).collect();
        columns.extend(model.iter().map(|s| s.to_string()));
        let mut c = ChainDraws::with_columns(columns.len());
        for col in &mut c.draws {
            col.extend([0.0, 1.0]);
        }
        Draws {
            columns,
            chains: vec![c],
        }
    }

    #[test]
    fn groups_split_scalars_from_containers() {
        let d = draws(&["mu", "theta.1", "theta.2", "tau", "z.1.1"]);
        let g = groups(&d);
        let names: Vec<(&str, bool, usize)> = g
            .iter()
            .map(|g| (g.base.as_str(), g.scalar, g.columns.len()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("mu", true, 1),
                ("theta", false, 2),
                ("tau", true, 1),
                ("z", false, 1)
            ]
        );
    }

    #[test]
    fn default_panels_put_scalars_first_and_cap() {
        let d = draws(&["theta.1", "theta.2", "mu", "tau"]);
        let s = panel_selection(&d, None, 3, &DisplayNames::new()).unwrap();
        let names: Vec<String> = s.columns.iter().map(|&i| label(&d, i)).collect();
        assert_eq!(names, ["mu", "tau", "theta[1]"]);
        assert_eq!(s.left_out, 1);
        assert!(s.note().unwrap().contains("first 3 of 4"));
    }

    #[test]
    fn names_resolve_by_parameter_element_or_sampler_column() {
        let d = draws(&["mu", "theta.1", "theta.2"]);
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let none = DisplayNames::new();
        let cols = resolve_names(&d, &v(&["theta", "mu", "theta[1]", "lp__"]), &none).unwrap();
        let names: Vec<String> = cols.iter().map(|&i| label(&d, i)).collect();
        assert_eq!(names, ["theta[1]", "theta[2]", "mu", "lp__"]);
        let err = resolve_names(&d, &v(&["sigma"]), &none).unwrap_err();
        assert!(err.to_string().contains("sigma"), "{err}");
    }

    #[test]
    fn forest_defaults_to_containers() {
        let d = draws(&["mu", "theta.1", "theta.2"]);
        let g = forest_groups(&d, None, &DisplayNames::new()).unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].base, "theta");
        let only_scalars = draws(&["mu", "tau"]);
        let g = forest_groups(&only_scalars, None, &DisplayNames::new()).unwrap();
        assert_eq!(g[0].columns.len(), 2);
    }

    #[test]
    fn non_finite_draws_are_reported_with_position() {
        let mut d = draws(&["mu"]);
        d.chains[0].draws[7][1] = f64::NAN;
        let err = finite_column(&d, 7).unwrap_err().to_string();
        assert!(err.contains("mu") && err.contains("chain 1") && err.contains("draw 2"));
    }
}
