//! `hazel check` behaviour through `lang::check_command`: the parameter list for a valid
//! program, rendered errors and exit 1 for an invalid one, exit 2 for an unreadable file,
//! and the `--dump` views.

use hazel::lang::{Dump, EXIT_INVALID, EXIT_USAGE, EXIT_VALID, check, check_command};
use std::path::Path;

fn good(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lang/good")
        .join(name)
}

#[test]
fn valid_program_lists_parameters_in_output_order() {
    let (out, err, code) = check_command(&good("eight_schools.stan"), None);
    assert_eq!(code, EXIT_VALID, "{err}");
    let listing: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        listing,
        [
            "parameters:",
            "  mu: real",
            "  tau: real<lower=0>",
            "  theta_tilde: vector[J]",
            "transformed parameters:",
            "  theta: vector[J]",
            "generated quantities:",
            "  y_rep: array[J] real",
        ]
    );
    assert!(err.is_empty());
}

#[test]
fn deprecation_warnings_go_to_stderr_and_keep_exit_zero() {
    let (_, err, code) = check_command(&good("functions_and_loops.stan"), None);
    assert_eq!(code, EXIT_VALID);
    assert!(err.contains("warning: deprecated array syntax"), "{err}");
}

#[test]
fn invalid_program_exits_one_with_rendered_errors() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lang/bad/many_independent_errors.stan");
    let (out, err, code) = check_command(&path, None);
    assert_eq!(code, EXIT_INVALID);
    assert!(out.is_empty());
    assert!(
        err.contains(":10:18: error: unknown variable `sigm`"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("5 errors"), "{err}");
}

#[test]
fn unreadable_file_is_a_usage_error() {
    let (_, err, code) = check_command(Path::new("/nonexistent/model.stan"), None);
    assert_eq!(code, EXIT_USAGE);
    assert!(err.contains("cannot read"));
    assert!("tape".parse::<Dump>().is_err());
}

#[test]
fn dumps_show_the_ast_and_the_typed_program() {
    let (out, _, code) = check_command(&good("eight_schools.stan"), Some(Dump::Ast));
    assert_eq!(code, EXIT_VALID);
    assert!(out.contains("Tilde"));
    let (out, _, _) = check_command(&good("eight_schools.stan"), Some(Dump::Typed));
    assert!(
        out.contains("#5 theta_tilde: vector Block(Parameters) `vector[J]`"),
        "{out}"
    );
    assert!(
        out.contains("y#1 ~ {normal_lpdf(reals, reals, reals)}(theta#6, sigma#2)"),
        "{out}"
    );
}

#[test]
fn typed_program_resolves_tilde_and_calls() {
    use hazel::lang::signatures::registry;
    use hazel::lang::typed::{Callee, TStmtKind};
    let src = std::fs::read_to_string(good("eight_schools.stan")).unwrap();
    let t = check("eight_schools.stan", &src).unwrap();
    let names: Vec<String> = t
        .model
        .iter()
        .filter_map(|s| match &s.kind {
            TStmtKind::Tilde {
                density: Callee::Builtin(id),
                ..
            } => Some(registry().get(*id).key()),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            "normal_lpdf(reals, reals, reals)",
            "cauchy_lpdf(reals, reals, reals)",
            "std_normal_lpdf(reals)",
            "normal_lpdf(reals, reals, reals)",
        ]
    );
}
