//! `hazel sample` through the real binary: a full run writes every output file, existing
//! results are protected without `--force`, and bad input of each kind exits with status 2
//! (usage/data) or 1 (model), with a one-line message naming the culprit and no panic.

use std::path::{Path, PathBuf};
use std::process::Output;

mod cli_common;

use cli_common::hazel;

fn temp_dir(name: &str) -> PathBuf {
    cli_common::temp_dir("cli-sample", name)
}

const MODEL: &str = "models/examples/eight_schools_noncentered.stan";
const DATA: &str = "data/bench/eight_schools.json";
const FAST: [&str; 8] = [
    "--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "3",
];

fn stderr(o: &Output) -> String {
    cli_common::text(&o.stderr)
}

fn assert_fails(o: &Output, code: i32, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in: {err}");
    }
}

#[test]
fn a_run_writes_every_output_and_refuses_to_overwrite() {
    let dir = temp_dir("run");
    let out = dir.join("fit");
    let o = out.to_str().unwrap();
    let mut args = vec!["sample", MODEL, "--data", DATA, "--output", o, "--quiet"];
    args.extend(FAST);
    let run = hazel(&args);
    assert!(run.status.success(), "{}", stderr(&run));
    for f in [
        "chain_1.csv",
        "chain_2.csv",
        "summary.csv",
        "draws.parquet",
        "fit.json",
        "plots/trace.png",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("theta[8]") && stdout.contains("Divergences"),
        "{stdout}"
    );
    let fit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fit.json")).unwrap()).unwrap();
    assert_eq!(fit["config"]["seed"], 3);
    assert_eq!(fit["chains"].as_array().unwrap().len(), 2);
    // The same seed reproduces the draws exactly.
    let first = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert_fails(&hazel(&args), 2, &["--force"]);
    args.push("--force");
    assert!(hazel(&args).status.success());
    assert_eq!(
        first,
        std::fs::read_to_string(out.join("summary.csv")).unwrap()
    );
    // --force with fewer chains leaves none of the earlier run's chains behind (a
    // directory's summary reads every chain_<k>.csv in it), and other files alone.
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("plots/stale.png"), "old").unwrap();
    let chains = args.iter().position(|a| *a == "--chains");
    let mut one = args.clone();
    match chains {
        Some(i) => one[i + 1] = "1",
        None => one.extend(["--chains", "1"]),
    }
    let run = hazel(&one);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(out.join("chain_1.csv").is_file());
    assert!(
        !out.join("chain_2.csv").exists(),
        "chain_2.csv of the earlier run kept"
    );
    assert!(!out.join("plots/stale.png").exists());
    assert!(out.join("notes.txt").is_file());
    let summary = hazel(&["summary", o]);
    assert!(summary.status.success(), "{}", stderr(&summary));
    let shown = String::from_utf8_lossy(&summary.stdout);
    assert!(
        shown.starts_with("1 chain, 100 draws after warmup."),
        "{shown}"
    );
}

fn sample_with(extra: &[&str], name: &str) -> Output {
    let dir = temp_dir(name);
    let out = dir.join("fit");
    let mut args = vec!["sample", "--output", out.to_str().unwrap(), "--quiet"];
    args.extend(FAST);
    args.extend(extra);
    hazel(&args)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn bad_inputs_get_one_line_errors_with_the_right_status() {
    let dir = temp_dir("bad");
    assert_fails(
        &sample_with(&["missing.stan", "--data", DATA], "m1"),
        2,
        &["missing.stan"],
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", "nope.json"], "m2"),
        2,
        &["nope.json"],
    );
    let partial = write(
        &dir,
        "partial.json",
        r#"{"J": 8, "y": [1, 2, 3, 4, 5, 6, 7, 8]}"#,
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", &partial], "m3"),
        2,
        &["sigma"],
    );
    let short = write(
        &dir,
        "short.json",
        r#"{"J": 8, "y": [1, 2], "sigma": [1, 1, 1, 1, 1, 1, 1, 1]}"#,
    );
    assert_fails(&sample_with(&[MODEL, "--data", &short], "m4"), 2, &["`y`"]);
    let negative = write(
        &dir,
        "neg.json",
        r#"{"J": 2, "y": [1, 2], "sigma": [1, -1]}"#,
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", &negative], "m5"),
        2,
        &["sigma"],
    );
    let broken = write(&dir, "broken.json", "{\"J\": 8,\n \"y\": [1, 2,\n");
    assert_fails(
        &sample_with(&[MODEL, "--data", &broken], "m6"),
        2,
        &["broken.json:"],
    );
    let twice = write(&dir, "twice.json", r#"{"J": 8}"#);
    assert_fails(
        &sample_with(&[MODEL, "--data", DATA, "--data", &twice], "m7"),
        2,
        &["`J`", "twice"],
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", DATA, "--adapt-delta", "1.5"], "m8"),
        2,
        &["--adapt-delta"],
    );
    let init = write(&dir, "init.json", r#"{"mu": 0, "tau": -1}"#);
    assert_fails(
        &sample_with(&[MODEL, "--data", DATA, "--init", &init], "m9"),
        2,
        &["tau"],
    );
    let bad_model = write(
        &dir,
        "bad.stan",
        "parameters { real mu; }\nmodel { mu ~ nromal(0, 1); }\n",
    );
    assert_fails(
        &sample_with(&[&bad_model, "--data", DATA], "m10"),
        1,
        &["bad.stan:2", "normal"],
    );
    let table = write(&dir, "t.csv", "y,sigma\n1,abc\n");
    assert_fails(
        &sample_with(&[MODEL, "--data", &table], "m11"),
        2,
        &["t.csv", "sigma"],
    );
    // NaN is valid for unconstrained real data (as in Stan) but not where a bound applies.
    let nan = write(
        &dir,
        "nan.json",
        r#"{"J": 2, "y": [1, 2], "sigma": [1, "NaN"]}"#,
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", &nan], "m12"),
        2,
        &["`sigma`"],
    );
    let real_int = write(
        &dir,
        "real_int.json",
        r#"{"J": 2.5, "y": [1, 2], "sigma": [1, 1]}"#,
    );
    assert_fails(
        &sample_with(&[MODEL, "--data", &real_int], "m13"),
        2,
        &["`J`"],
    );
    let empty_level = write(&dir, "levels.csv", "g,y\na,1.0\n,2.0\n");
    assert_fails(
        &sample_with(&[MODEL, "--data", &empty_level, "--factor", "g"], "m14"),
        2,
        &["levels.csv", "g"],
    );
    let blocker = write(&dir, "blocker", "a file, not a folder");
    let inside = format!("{blocker}/fit");
    let mut args = vec![
        "sample", MODEL, "--data", DATA, "--output", &inside, "--quiet",
    ];
    args.extend(FAST);
    assert_fails(&hazel(&args), 2, &["blocker"]);
}

#[test]
fn table_data_with_a_factor_feeds_a_model() {
    let dir = temp_dir("table");
    let model = write(
        &dir,
        "groups.stan",
        "data { int N; int J; array[N] int g; vector[N] y; }\n\
         parameters { vector[J] mu; real<lower=0> sigma; }\n\
         model { mu ~ normal(0, 10); sigma ~ normal(0, 5); y ~ normal(mu[g], sigma); }\n",
    );
    let table = write(
        &dir,
        "obs.csv",
        "g,y\nb,1.0\na,0.5\nb,1.2\na,0.4\nc,3.0\nc,2.9\n",
    );
    let n = write(&dir, "n.json", r#"{"N": 6}"#);
    let o = sample_with(
        &[
            &model, "--data", &table, "--data", &n, "--factor", "g:J", "--labels", "mu=g",
        ],
        "t1",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("mu[a]") && stdout.contains("mu[c]"),
        "{stdout}"
    );
}
