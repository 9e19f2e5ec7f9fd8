//! Data binding: one test per error class, each asserting the message names the variable
//! and says what was expected; and the layouts Stan JSON uses (matrices and arrays of
//! vectors as arrays of rows).

mod compile_common;

use compile_common::{build, build_err, lp};
use hazel::compile::CompileError;

fn data_error(src: &str, data: &str) -> (String, String) {
    match build_err(src, data) {
        Err(CompileError::Data { name, message }) => (name, message),
        Err(other) => panic!("expected a data error, got {other}"),
        Ok(_) => panic!("expected a data error, the data was accepted"),
    }
}

const MODEL_TAIL: &str = " parameters { real a; } model { a ~ normal(0, 1); }";

fn with(data_block: &str) -> String {
    format!("data {{ {data_block} }}{MODEL_TAIL}")
}

#[test]
fn missing_variable_is_named_with_its_declaration() {
    let (name, msg) = data_error(&with("int N; vector[N] y;"), r#"{"N": 2}"#);
    assert_eq!(name, "y");
    assert!(
        msg.contains("missing") && msg.contains("vector[N]"),
        "{msg}"
    );
}

#[test]
fn wrong_number_of_dimensions_is_reported() {
    let (name, msg) = data_error(&with("int N; matrix[N, 2] X;"), r#"{"N": 2, "X": [1, 2]}"#);
    assert_eq!(name, "X");
    assert!(
        msg.contains("expected 2 dimension(s)") && msg.contains("has 1"),
        "{msg}"
    );
}

#[test]
fn wrong_size_uses_sizes_evaluated_from_earlier_data() {
    let (name, msg) = data_error(&with("int N; array[N] real y;"), r#"{"N": 3, "y": [1, 2]}"#);
    assert_eq!(name, "y");
    assert!(
        msg.contains("sizes [3]") && msg.contains("sizes [2]"),
        "{msg}"
    );
}

#[test]
fn real_given_for_int_is_reported_with_the_element() {
    let (name, msg) = data_error(&with("array[2] int k;"), r#"{"k": [1, 2.5]}"#);
    assert_eq!(name, "k");
    assert!(
        msg.contains("int") && msg.contains("element 2 is 2.5"),
        "{msg}"
    );
}

#[test]
fn violated_bounds_name_the_element_and_the_bound() {
    let (name, msg) = data_error(&with("vector<lower=0>[3] s;"), r#"{"s": [1, -2, 3]}"#);
    assert_eq!(name, "s");
    assert!(
        msg.contains("s[2] is -2") && msg.contains("greater than or equal to 0"),
        "{msg}"
    );
}

#[test]
fn violated_bounds_in_a_matrix_or_an_array_name_the_element_as_stan_indexes_it() {
    // Stan JSON gives a matrix as rows: the bad value is row 2, column 1
    let (name, msg) = data_error(
        &with("matrix<lower=0>[2, 3] X;"),
        r#"{"X": [[1, 2, 3], [-4, 5, 6]]}"#,
    );
    assert_eq!(name, "X");
    assert!(msg.contains("X[2, 1] is -4"), "{msg}");
    let (name, msg) = data_error(
        &with("array[2] vector<upper=9>[3] v;"),
        r#"{"v": [[1, 2, 3], [4, 5, 60]]}"#,
    );
    assert_eq!(name, "v");
    assert!(
        msg.contains("v[2, 3] is 60") && msg.contains("less than or equal to 9"),
        "{msg}"
    );
    let (name, msg) = data_error(
        &with("array[3] simplex[2] p;"),
        r#"{"p": [[0.5, 0.5], [0.5, 0.5], [0.9, 0.5]]}"#,
    );
    assert_eq!(name, "p");
    assert!(msg.contains("p[3] is not a valid simplex"), "{msg}");
}

#[test]
fn nan_fails_a_bound() {
    let (name, msg) = data_error(&with("real<lower=0> s;"), r#"{"s": "NaN"}"#);
    assert_eq!(name, "s");
    assert!(msg.contains("NaN"), "{msg}");
    // without a constraint NaN is accepted, as in Stan
    assert!(build(&with("real s;"), r#"{"s": "NaN"}"#).is_ok());
}

#[test]
fn violated_simplex_ordered_and_cov_matrix_are_reported() {
    let (name, msg) = data_error(&with("simplex[3] p;"), r#"{"p": [0.2, 0.2, 0.2]}"#);
    assert_eq!(name, "p");
    assert!(msg.contains("simplex"), "{msg}");
    let (name, msg) = data_error(&with("ordered[3] o;"), r#"{"o": [1, 3, 2]}"#);
    assert_eq!(name, "o");
    assert!(msg.contains("ordered"), "{msg}");
    let (name, msg) = data_error(&with("cov_matrix[2] S;"), r#"{"S": [[1, 2], [2, 1]]}"#);
    assert_eq!(name, "S");
    assert!(msg.contains("positive definite"), "{msg}");
}

#[test]
fn extra_keys_are_ignored_and_matrices_are_arrays_of_rows() {
    let src = "data { matrix[2, 3] X; array[2] vector[3] v; }
               parameters { real a; }
               model { target += -0.5 * square(a - X[1, 3] - v[2][1]); }";
    let m = build(
        src,
        r#"{"X": [[1, 2, 3], [4, 5, 6]], "v": [[7, 8, 9], [10, 11, 12]], "unused": 4}"#,
    )
    .unwrap();
    // X[1,3] = 3 and v[2][1] = 10: the density peaks at a = 13
    assert!(lp(&m, &[13.0]).unwrap().abs() < 1e-12);
}

#[test]
fn transformed_data_constraints_are_checked_once() {
    let e = build(
        "data { real x; } transformed data { real<lower=0> y = x - 1; }
         parameters { real a; } model { a ~ normal(y, 1); }",
        r#"{"x": 0.5}"#,
    )
    .unwrap_err();
    assert!(
        e.contains("transformed data `y`") && e.contains("-0.5"),
        "{e}"
    );
}

#[test]
fn index_out_of_range_in_data_code_names_the_variable() {
    let e = build(
        "data { int N; vector[N] y; } transformed data { real z = y[N + 1]; }
         parameters { real a; } model { a ~ normal(z, 1); }",
        r#"{"N": 2, "y": [1, 2]}"#,
    )
    .unwrap_err();
    assert!(e.contains("index 3 out of range for `y`"), "{e}");
}
