//! Golden tests: every good program (`tests/lang/good/`, `models/`) type-checks, and every
//! bad program in `tests/lang/bad/` fails with exactly the message stored next to it in
//! `NAME.stderr`. Set `HAZEL_BLESS=1` to (re)write the `.stderr` files.

mod lang_common;

use hazel::lang::check;

#[test]
fn good_programs_check() {
    let mut failures = Vec::new();
    let files = lang_common::good_programs();
    assert!(files.len() >= 4);
    for (path, src) in &files {
        if let Err(d) = check(&path.display().to_string(), src) {
            failures.push(d.render(src));
        }
    }
    assert!(
        failures.is_empty(),
        "{} good programs were refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_programs_fail_with_their_golden_message() {
    let bless = std::env::var_os("HAZEL_BLESS").is_some();
    let files = lang_common::bad_programs();
    assert!(
        files.len() >= 10,
        "expected the bad programs, found {}",
        files.len()
    );
    let mut mismatches = Vec::new();
    for (path, src, expected_path) in files {
        let name = path.display().to_string();
        let got = match check(&name, &src) {
            Ok(_) => format!("{name} was accepted\n"),
            Err(d) => d.render(&src),
        };
        if bless {
            std::fs::write(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&expected_path),
                &got,
            )
            .unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&expected_path),
        )
        .unwrap_or_else(|_| format!("(missing {})\n", expected_path.display()));
        if got != expected {
            mismatches.push(format!("--- {name}: expected\n{expected}--- got\n{got}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn models_needing_an_ode_solver_are_refused_naming_it() {
    let files = lang_common::programs_in(lang_common::NEEDS_ODE);
    assert_eq!(files.len(), 2, "the two posteriordb ODE models");
    for (path, src) in &files {
        let name = path.display().to_string();
        let message = match check(&name, src) {
            Ok(_) => panic!("{name} was accepted, but hazel has no ODE solver"),
            Err(d) => d.render(src),
        };
        assert!(message.contains("integrate_ode"), "{name}: {message}");
    }
}
