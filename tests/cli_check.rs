//! `hazel check` through the real binary: `--version`, examples in every `--help`, and the
//! compiled tape of eight schools with `--dump tape --data`, which without data is a usage
//! error saying that data is needed.

mod cli_common;

use cli_common::{hazel, text};

const MODEL: &str = "models/examples/eight_schools_noncentered.stan";
const DATA: &str = "data/bench/eight_schools.json";

#[test]
fn tape_dump_lists_the_compiled_operations_with_the_data_bound() {
    let o = hazel(&["check", MODEL, "--dump", "tape", "--data", DATA]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        out.contains(": valid") && out.contains("theta_tilde"),
        "{out}"
    );
    // 10 unconstrained parameters (mu, log tau, 8 theta_tilde); the likelihood's data
    // (y = 28, 8, -3, 7, ...) is on the tape.
    assert!(out.contains("tape: 10 parameters"), "{out}");
    let likelihood = out
        .lines()
        .find(|l| l.contains("normal_lpdf($") && l.contains("(28, 8, -3, 7"))
        .unwrap_or_else(|| panic!("no likelihood op over y in:\n{out}"));
    assert!(likelihood.starts_with('#'), "{likelihood}");
    assert!(out.contains("cauchy_lpdf"), "{out}");
}

#[test]
fn tape_dump_without_data_is_a_usage_error() {
    let o = hazel(&["check", MODEL, "--dump", "tape"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--dump tape needs") && err.contains("--data"),
        "{err}"
    );
    assert!(
        o.stdout.is_empty(),
        "nothing is checked before the usage error"
    );
}

#[test]
fn check_with_data_reports_data_errors_and_confirms_good_data() {
    let o = hazel(&["check", MODEL, "--data", DATA]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("fits the data block"));
    let dir = cli_common::temp_dir("cli-check", "data");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"J": 2, "y": [1, 2], "sigma": [1, -1]}"#).unwrap();
    let o = hazel(&[
        "check",
        MODEL,
        "--dump",
        "tape",
        "--data",
        bad.to_str().unwrap(),
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("sigma") && !err.contains("panicked"), "{err}");
}

#[test]
fn every_command_has_help_with_examples_and_there_is_a_version() {
    for command in ["check", "sample", "summary", "plot", "loo"] {
        let o = hazel(&[command, "--help"]);
        let help = text(&o.stdout);
        assert!(o.status.success(), "{command}: {}", text(&o.stderr));
        assert!(
            help.contains("Examples:") && help.contains(&format!("hazel {command} ")),
            "{command} --help has no examples:\n{help}"
        );
    }
    let o = hazel(&["--version"]);
    assert!(o.status.success());
    assert_eq!(
        text(&o.stdout).trim(),
        format!("hazel {}", env!("CARGO_PKG_VERSION"))
    );
    let top = text(&hazel(&["--help"]).stdout);
    for command in ["check", "sample", "summary", "plot", "loo"] {
        assert!(top.contains(command), "{top}");
    }
}
