//! `hazel summary` driven through the real binary: CSV output columns, the table, and
//! errors for missing and malformed files (exit status 2, message naming file and line).

use std::path::{Path, PathBuf};
use std::process::Command;

fn hazel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hazel"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hazel-cli-summary-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a small Stan CSV chain: AR(1)-like draws of `mu` from a fixed recurrence.
fn write_chain(path: &Path, chain: u64, n: usize) {
    let mut text = String::from("# model = test\n");
    text.push_str(
        "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,theta.1\n",
    );
    let mut x = 0.1 * chain as f64;
    let mut state = 12345u64 + chain;
    for _ in 0..n {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        x = 0.5 * x + u;
        text.push_str(&format!(
            "{},0.9,0.5,3,7,0,{},{},{}\n",
            -x * x,
            1.0 + x * x,
            x,
            2.0 * x + 1.0
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn summary_csv_has_the_contract_columns() {
    let dir = temp_dir("csv");
    for k in 1..=4 {
        write_chain(&dir.join(format!("chain_{k}.csv")), k, 200);
    }
    let out = hazel()
        .args(["summary", dir.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "variable,mean,median,sd,mad,q5,q95,rhat,ess_bulk,ess_tail,mcse_mean,mcse_sd"
    );
    let names: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(names, ["lp__", "mu", "theta[1]"]);

    let table = hazel()
        .args(["summary", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(table.status.success());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("theta[1]")
            && table.contains("R_hat")
            && table.contains("Divergences: 0 of 800"),
        "{table}"
    );
}

#[test]
fn bad_inputs_exit_2_naming_file_and_line() {
    let missing = hazel()
        .args(["summary", "/nonexistent/chain_1.csv"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/chain_1.csv"));

    let dir = temp_dir("bad");
    let bad = dir.join("chain_1.csv");
    std::fs::write(&bad, "lp__,mu\n1.0,2.0\n1.5,abc\n").unwrap();
    let out = hazel()
        .args(["summary", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chain_1.csv") && err.contains(":3"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let empty_dir = temp_dir("empty");
    let out = hazel()
        .args(["summary", empty_dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no chain_<k>.csv"));
}
