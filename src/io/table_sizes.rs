//! Filling omitted data sizes from tables: an `int` declared in the data block may be left
//! out when it is the (outermost) size of data variables that all come from one table; it
//! then takes that table's row count (issue 6, "Data as tables").

use crate::io::stan_json::{DataSet, DataValue};
use crate::lang::ast::BlockKind;
use crate::lang::typed::{TExprKind, TypedProgram};
use crate::lang::types::Type;

/// For every `int` data variable absent from `data` that is the outermost declared size of
/// at least one data variable supplied by a table (its `source` is in `table_sources`),
/// sets it to the length of those variables. Lengths that disagree are left alone (the
/// compiler then reports the missing size). Returns the names filled in.
pub fn fill_sizes_from_tables(
    program: &TypedProgram,
    data: &mut DataSet,
    table_sources: &[String],
) -> Vec<String> {
    let mut filled = Vec::new();
    for size_var in program.block_vars(BlockKind::Data) {
        if size_var.ty != Type::INT || data.get(&size_var.name).is_some() {
            continue;
        }
        let mut lengths = Vec::new();
        for v in program.block_vars(BlockKind::Data) {
            let Some(decl) = &v.decl else { continue };
            let outer = decl.array_dims.first().or_else(|| decl.sizes.first());
            let is_sized_by =
                matches!(outer.map(|e| &e.kind), Some(TExprKind::Var(id)) if *id == size_var.id);
            let from_table = data
                .get(&v.name)
                .filter(|d| table_sources.contains(&d.source));
            if let (true, Some(value)) = (is_sized_by, from_table) {
                lengths.push(value.dims.first().copied().unwrap_or(0));
            }
        }
        if let Some(&n) = lengths.first()
            && lengths.iter().all(|&m| m == n)
        {
            let source = format!("row count of {}", table_sources.join(", "));
            let value = DataValue {
                dims: vec![],
                values: vec![n as f64],
                all_int: true,
                source,
            };
            data.vars.insert(size_var.name.clone(), value);
            filled.push(size_var.name.clone());
        }
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_omitted_size_takes_the_table_row_count() {
        let src = "data { int N; int K; vector[N] y; array[N] int g; vector[K] w; }\nmodel {}\n";
        let program = crate::lang::check("t.stan", src).unwrap();
        let mut data =
            DataSet::from_json_str(r#"{"y": [1, 2, 3], "g": [1, 1, 2]}"#, "t.csv").unwrap();
        let extra = DataSet::from_json_str(r#"{"w": [0.5, 0.5]}"#, "w.json").unwrap();
        data.merge(extra).unwrap();
        let filled = fill_sizes_from_tables(&program, &mut data, &["t.csv".to_string()]);
        assert_eq!(filled, ["N"]);
        assert_eq!(data.get("N").unwrap().values, [3.0]);
        // K sizes only JSON data: not filled, the compiler will report it missing.
        assert!(data.get("K").is_none());
    }

    #[test]
    fn disagreeing_lengths_are_not_guessed() {
        let src = "data { int N; vector[N] y; vector[N] x; }\nmodel {}\n";
        let program = crate::lang::check("t.stan", src).unwrap();
        let mut data = DataSet::from_json_str(r#"{"y": [1, 2, 3], "x": [1, 2]}"#, "t.csv").unwrap();
        assert!(fill_sizes_from_tables(&program, &mut data, &["t.csv".to_string()]).is_empty());
    }
}
