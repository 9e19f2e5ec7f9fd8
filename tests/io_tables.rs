//! Tables as model data through the public API: CSV fixtures in `tests/data/tables/`,
//! Parquet files written here with polars, the real radon data, every error case, and
//! combining with Stan JSON.

use std::path::{Path, PathBuf};

use hazel::io::stan_json::{DataError, DataSet};
use hazel::io::tables::{
    FactorSpec, Place, TableData, TableError, TableOptions, check_factors_found, is_table_path,
    parse_labels, read_frame, read_table, relabel,
};
use polars::prelude::{Column, CsvWriter, DataFrame, DataType, ParquetWriter, SerWriter};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tables")
        .join(name)
}

fn factors(specs: &[&str]) -> TableOptions {
    TableOptions {
        factors: specs
            .iter()
            .map(|s| FactorSpec::parse(s).unwrap())
            .collect(),
        skip_absent_factors: false,
    }
}

/// A scratch file, removed when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A scratch file path unique to this test process and `name`.
fn scratch(name: &str) -> Scratch {
    let file = format!("hazel_io_tables_{}_{name}", std::process::id());
    Scratch(std::env::temp_dir().join(file))
}

fn write_parquet(mut df: DataFrame, name: &str) -> Scratch {
    let path = scratch(name);
    let file = std::fs::File::create(&path.0).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    path
}

fn read_err(name: &str, options: &TableOptions) -> (TableError, String) {
    let e = read_table(&fixture(name), options).unwrap_err();
    let text = e.to_string();
    assert!(!text.contains('\n'), "one line: {text}");
    assert!(text.contains(name), "names the file: {text}");
    (e, text)
}

#[test]
fn csv_columns_become_typed_data_and_a_text_factor_sorted_levels() {
    let t = read_table(&fixture("radon_counties.csv"), &factors(&["county:J"])).unwrap();
    assert_eq!(t.rows, 6);
    let county = t.data.get("county").unwrap();
    assert_eq!(county.dims, vec![6]);
    assert_eq!(county.values, vec![2.0, 1.0, 4.0, 2.0, 1.0, 3.0]);
    assert!(county.all_int);
    let j = t.data.get("J").unwrap();
    assert_eq!((j.dims.len(), j.values[0], j.all_int), (0, 4.0, true));
    assert_eq!(t.factors.len(), 1);
    assert_eq!(
        t.factors[0].labels,
        ["Aitkin", "Anoka", "Becker", "Blue Earth"]
    );
    assert_eq!(t.factors[0].size_var.as_deref(), Some("J"));
    let floor = t.data.get("floor").unwrap();
    assert_eq!(
        (floor.values.clone(), floor.all_int),
        (vec![0.0, 1.0, 0.0, 1.0, 0.0, 0.0], true)
    );
    let y = t.data.get("log_radon").unwrap();
    assert!(!y.all_int);
    assert_eq!(y.values[..5], [0.833, 0.095, 1.099, 0.095, 1.16]);
    assert_eq!(y.values[5], f64::NEG_INFINITY);
    let basement = t.data.get("basement").unwrap();
    assert_eq!(basement.values, vec![1.0, 0.0, 1.0, 0.0, 1.0, 1.0]);
    assert!(basement.all_int);
    assert_eq!(
        y.source,
        fixture("radon_counties.csv").display().to_string()
    );
}

#[test]
fn labels_turn_indices_into_county_names() {
    let t = read_table(&fixture("radon_counties.csv"), &factors(&["county"])).unwrap();
    assert!(t.data.get("J").is_none());
    let labels = parse_labels(&["alpha=county".to_string()], &t.factors).unwrap();
    assert_eq!(relabel("alpha[1]", &t.factors, &labels), "alpha[Aitkin]");
    assert_eq!(
        relabel("alpha[4]", &t.factors, &labels),
        "alpha[Blue Earth]"
    );
    assert_eq!(relabel("mu_alpha", &t.factors, &labels), "mu_alpha");
}

#[test]
fn csv_errors_name_file_column_and_line() {
    let none = TableOptions::default();
    let (e, _) = read_err("ragged.csv", &none);
    assert!(
        matches!(
            e,
            TableError::Ragged {
                line: 3,
                expected: 2,
                found: 1,
                ..
            }
        ),
        "{e}"
    );

    let (e, text) = read_err("non_numeric.csv", &none);
    assert!(
        matches!(&e, TableError::Cell { place: Place::Line(3), column, .. } if column == "x"),
        "{e}"
    );
    assert!(text.contains("\"abc\" is not a number"), "{text}");

    let (e, text) = read_err("missing_value.csv", &none);
    assert!(
        matches!(&e, TableError::Cell { place: Place::Line(3), column, .. } if column == "y"),
        "{e}"
    );
    assert!(text.contains("no missing values"), "{text}");

    let (e, text) = read_err("empty_level.csv", &factors(&["county"]));
    assert!(
        matches!(&e, TableError::Cell { place: Place::Line(3), column, .. } if column == "county"),
        "{e}"
    );
    assert!(text.contains("empty level"), "{text}");

    let (e, text) = read_err("duplicate_columns.csv", &none);
    assert!(
        matches!(&e, TableError::DuplicateColumn { column, .. } if column == "y"),
        "{e}"
    );
    assert!(text.contains("twice"), "{text}");

    let (e, text) = read_err("radon_counties.csv", &none);
    assert!(
        matches!(
            &e,
            TableError::Cell {
                place: Place::Line(2),
                ..
            }
        ),
        "{e}"
    );
    assert!(
        text.contains("--factor county") && text.contains("\"Anoka\""),
        "{text}"
    );

    // A quoted field spanning two lines shifts the lines of the records after it.
    let (e, _) = read_err("multiline.csv", &factors(&["note"]));
    assert!(
        matches!(&e, TableError::Cell { place: Place::Line(4), column, .. } if column == "y"),
        "{e}"
    );

    let (_, text) = read_err("absent.csv", &none);
    assert!(text.contains("cannot read"), "{text}");
    let (_, text) = read_err("radon_counties.csv", &factors(&["region:K"]));
    assert!(
        text.contains("--factor `region:K`") && text.contains("no column `region`"),
        "{text}"
    );
    let (_, text) = read_err("radon_counties.csv", &factors(&["county:floor"]));
    assert!(text.contains("also a column"), "{text}");
    let (_, text) = read_err("radon_counties.csv", &factors(&["county", "log_radon"]));
    assert!(
        text.contains("log_radon") && text.contains("real numbers"),
        "{text}"
    );
}

#[test]
fn several_tables_share_one_factor_list() {
    let mut options = factors(&["county:J", "note"]);
    options.skip_absent_factors = true;
    let houses = read_table(&fixture("radon_counties.csv"), &options).unwrap();
    let notes = read_table(&fixture("crlf.csv"), &options).unwrap();
    assert_eq!((houses.factors.len(), notes.factors.len()), (1, 0));
    let e = check_factors_found(&options.factors, &[&houses, &notes]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--factor `note`: no data table has a column `note`"
    );
    check_factors_found(&options.factors[..1], &[&houses, &notes]).unwrap();
}

#[test]
fn crlf_files_and_table_extensions() {
    let t = read_table(&fixture("crlf.csv"), &TableOptions::default()).unwrap();
    assert_eq!(t.data.get("x").unwrap().values, vec![1.0, 2.0]);
    let t = read_table(&fixture("bom.csv"), &TableOptions::default()).unwrap();
    assert_eq!(t.data.vars.keys().collect::<Vec<_>>(), ["n", "y"]);
    let t = read_table(&fixture("header_only.csv"), &TableOptions::default()).unwrap();
    assert_eq!(
        (t.rows, t.data.get("y").unwrap().dims.clone()),
        (0, vec![0])
    );
    assert!(is_table_path(Path::new("a/b.CSV")) && is_table_path(Path::new("d.parquet")));
    assert!(!is_table_path(Path::new("d.json")));
    let e = read_table(Path::new("d.json"), &TableOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not a table file"), "{e}");
}

#[test]
fn parquet_columns_by_type_with_row_numbers_in_errors() {
    let df = DataFrame::new(
        3,
        vec![
            Column::new("n".into(), [3i32, 1, 2]),
            Column::new("x".into(), [0.5f32, 1.5, -2.0]),
            Column::new("b".into(), [true, false, true]),
            Column::new("g".into(), ["b", "a", "b"]),
        ],
    )
    .unwrap();
    let path = write_parquet(df, "typed.parquet");
    let t = read_table(&path.0, &factors(&["g:G"])).unwrap();
    let get = |k: &str| t.data.get(k).unwrap();
    assert_eq!(
        (get("n").values.clone(), get("n").all_int),
        (vec![3.0, 1.0, 2.0], true)
    );
    assert_eq!(
        (get("x").values.clone(), get("x").all_int),
        (vec![0.5, 1.5, -2.0], false)
    );
    assert_eq!(
        (get("b").values.clone(), get("b").all_int),
        (vec![1.0, 0.0, 1.0], true)
    );
    assert_eq!(get("g").values, vec![2.0, 1.0, 2.0]);
    assert_eq!(get("G").values, vec![2.0]);

    let e = read_table(&path.0, &TableOptions::default()).unwrap_err();
    assert!(
        matches!(&e, TableError::Cell { place: Place::Row(1), column, .. } if column == "g"),
        "{e}"
    );

    let holes = DataFrame::new(
        3,
        vec![
            Column::new("y".into(), [Some(1.0), Some(f64::NAN), None]),
            Column::new("g".into(), [Some("a"), None, Some("b")]),
        ],
    )
    .unwrap();
    let path = write_parquet(holes, "holes.parquet");
    let e = read_table(&path.0, &factors(&["g"])).unwrap_err();
    assert!(
        matches!(&e, TableError::Cell { place: Place::Row(3), column, .. } if column == "y"),
        "{e}"
    );
    assert!(e.to_string().contains("holes.parquet"), "{e}");
    let e = read_table(&path.0, &factors(&["y", "g"])).unwrap_err();
    assert!(e.to_string().contains("real numbers"), "{e}");
    let odd = DataFrame::new(2, vec![Column::full_null("z".into(), 2, &DataType::Null)]).unwrap();
    let e = read_frame(&odd, "odd frame", &TableOptions::default()).unwrap_err();
    assert!(
        matches!(&e, TableError::Column { column, .. } if column == "z"),
        "{e}"
    );
    assert!(e.to_string().contains("has type null"), "{e}");
    let broken = scratch("broken.parquet");
    std::fs::write(&broken.0, b"not parquet").unwrap();
    let e = read_table(&broken.0, &TableOptions::default()).unwrap_err();
    assert!(
        matches!(e, TableError::Format { .. }) && !e.to_string().contains('\n'),
        "{e}"
    );
}

/// The radon data as columns: county_idx, floor_measure, log_radon.
fn radon() -> (DataSet, DataFrame) {
    let json = DataSet::from_json_file(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("data/bench/radon_mn.json"),
    )
    .unwrap();
    let col = |k: &str| json.get(k).unwrap().values.clone();
    let to_int = |v: Vec<f64>| v.into_iter().map(|x| x as i64).collect::<Vec<_>>();
    let df = DataFrame::new(
        919,
        vec![
            Column::new("county_idx".into(), to_int(col("county_idx"))),
            Column::new("floor_measure".into(), to_int(col("floor_measure"))),
            Column::new("log_radon".into(), col("log_radon")),
        ],
    )
    .unwrap();
    (json, df)
}

fn assert_matches_radon(t: &TableData, json: &DataSet) {
    assert_eq!(t.rows, 919);
    assert_eq!(
        t.data.get("J").unwrap().values,
        json.get("J").unwrap().values
    );
    for k in ["county_idx", "floor_measure", "log_radon"] {
        let (a, b) = (t.data.get(k).unwrap(), json.get(k).unwrap());
        assert_eq!(
            (&a.dims, &a.values, a.all_int),
            (&b.dims, &b.values, b.all_int),
            "{k}"
        );
    }
    let labels = &t.factors[0].labels;
    assert_eq!(
        (labels.len(), labels[0].as_str(), labels[84].as_str()),
        (85, "1", "85")
    );
}

#[test]
fn radon_as_csv_parquet_and_frame_equals_its_json() {
    let (json, mut df) = radon();
    let options = factors(&["county_idx:J"]);
    let from_frame = read_frame(&df, "radon frame", &options).unwrap();
    assert_matches_radon(&from_frame, &json);
    let csv = scratch("radon.csv");
    let file = std::fs::File::create(&csv.0).unwrap();
    CsvWriter::new(file).finish(&mut df).unwrap();
    let from_csv = read_table(&csv.0, &options).unwrap();
    assert_matches_radon(&from_csv, &json);
    let parquet = write_parquet(df, "radon.parquet");
    let from_parquet = read_table(&parquet.0, &options).unwrap();
    assert_matches_radon(&from_parquet, &json);
}

#[test]
fn tables_combine_with_json_and_refuse_a_variable_given_twice() {
    let (full, df) = radon();
    let t = read_frame(&df, "radon.csv", &factors(&["county_idx:J"])).unwrap();
    let mut data = DataSet::from_json_str(r#"{"N": 919}"#, "sizes.json").unwrap();
    data.merge(t.data.clone()).unwrap();
    assert_eq!(data.vars.len(), 5);
    assert_eq!(data.get("N").unwrap().values, vec![t.rows as f64]);
    let mut data = full;
    let e = data.merge(t.data).unwrap_err();
    assert!(
        matches!(&e, DataError::Duplicate { name, .. } if name == "J"),
        "{e}"
    );
    let text = e.to_string();
    assert!(
        text.contains("radon_mn.json") && text.contains("levels of factor `county_idx`"),
        "{text}"
    );
}
