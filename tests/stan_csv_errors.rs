//! Malformed Stan CSV is an error naming the file, the line and the problem, never a
//! panic and never a silently dropped row.

use std::path::PathBuf;

use hazel::io::stan_csv::{StanCsvError, parse_chain, read_stan_csv};

const HEADER: &str = "# num_warmup = 10\nlp__,theta.1,theta.2\n";

fn parse_err(text: &str) -> StanCsvError {
    parse_chain(text, "bad.csv").expect_err("malformed input must be an error")
}

#[test]
fn ragged_row() {
    let e = parse_err(&format!("{HEADER}1,2,3\n4,5\n"));
    assert_eq!(e.line, Some(4));
    assert_eq!(
        e.to_string(),
        "bad.csv:4: ragged row: 2 values but the header has 3 columns"
    );
}

#[test]
fn non_numeric_cell() {
    let e = parse_err(&format!("{HEADER}1,2,3\n# comment\n4,abc,6\n"));
    assert_eq!(e.line, Some(5));
    assert!(e.problem.contains("\"abc\" in column `theta.1`"), "{e}");
}

#[test]
fn missing_header() {
    let e = parse_err("# model = m\n1,2,3\n");
    assert_eq!(e.line, Some(2));
    assert!(e.problem.starts_with("missing column header"), "{e}");
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(parse_err("").to_string(), "bad.csv: empty file");
    assert!(
        parse_err("# only\n# comments\n")
            .problem
            .contains("no column header")
    );
}

#[test]
fn duplicate_or_empty_column_names() {
    assert!(
        parse_err("a,a\n1,2\n")
            .problem
            .contains("`a` appears twice")
    );
    assert!(parse_err("a,,b\n1,2,3\n").problem.contains("column 2"));
}

#[test]
fn truncated_metric() {
    let e = parse_err(&format!(
        "{HEADER}# Step size = 0.5\n# Elements of inverse mass matrix:\n# 1, 0\n"
    ));
    assert!(e.problem.contains("inverse metric"), "{e}");
    let e = parse_err(&format!(
        "{HEADER}# Diagonal elements of inverse mass matrix:\n1,2,3\n"
    ));
    assert!(e.problem.contains("not followed by its values"), "{e}");
}

fn write_files(name: &str, texts: &[&str]) -> Vec<PathBuf> {
    let dir = std::env::temp_dir().join(format!("hazel-err-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("chain_{}.csv", i + 1));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect()
}

#[test]
fn chains_of_different_lengths() {
    let paths = write_files("len", &["a,b\n1,2\n3,4\n", "a,b\n1,2\n"]);
    let e = read_stan_csv(&paths).unwrap_err();
    assert!(e.file.ends_with("chain_2.csv"));
    assert!(e.problem.starts_with("has 1 draws but"), "{e}");
}

#[test]
fn chains_with_different_columns() {
    let paths = write_files("cols", &["a,b\n1,2\n", "a,c\n1,2\n"]);
    let e = read_stan_csv(&paths).unwrap_err();
    assert!(e.problem.starts_with("column 2 is `c`"), "{e}");
    let paths = write_files("ncols", &["a,b\n1,2\n", "a\n1\n"]);
    let e = read_stan_csv(&paths).unwrap_err();
    assert!(e.problem.starts_with("has 1 columns"), "{e}");
}

#[test]
fn missing_file_and_no_files() {
    let e = read_stan_csv(&[PathBuf::from("/nonexistent/chain_1.csv")]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/chain_1.csv: cannot read")
    );
    assert!(read_stan_csv(&[]).is_err());
}
