//! posteriordb conformance runner: for each posterior in `models/conformance.json`, compile
//! `models/posteriordb/<model>.stan`, bind `../shared/posteriordb/<posterior>/data.json`,
//! sample with fixed seeds, and compare every reference quantity with the pass criterion of
//! `../shared/posteriordb/README.md` (`hazel::conformance`). Prints a table (posterior,
//! quantities passed, max z, max R-hat, min bulk ESS, divergences, seconds).
//!
//! ```text
//! cargo run --release --example conformance                 # the full suite
//! cargo run --release --example conformance -- --ci         # the CI subset (one or more per tier)
//! cargo run --release --example conformance -- --only arK-arK --seed 7
//! cargo run --release --example conformance -- --markdown CONFORMANCE.md
//! ```
//! Exit status 1 when any posterior fails (posteriors that need an ODE solver are listed,
//! not run).

use hazel::conformance::Verdict;
use hazel::conformance::runner::{Row, entries, run_one, shared_dir, table};
use std::path::PathBuf;

/// Default seed of the runs (any fixed value: results are reproducible).
const DEFAULT_SEED: u64 = 20261128;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let ci_only = args.iter().any(|a| a == "--ci");
    let only = flag("--only");
    let seed = flag("--seed")
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let markdown = flag("--markdown");
    // `--skip a,b` leaves posteriors out (listed as skipped in the table).
    let skip: Vec<String> = flag("--skip")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let db = shared_dir(&root);
    let entries = match entries(&root) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for e in entries
        .iter()
        .filter(|e| (!ci_only || e.ci) && only.as_ref().is_none_or(|o| *o == e.posterior))
    {
        if let Some(needs) = &e.needs {
            skipped.push((e.posterior.clone(), format!("needs {needs}")));
            continue;
        }
        if skip.contains(&e.posterior) {
            skipped.push((e.posterior.clone(), "skipped with --skip".into()));
            continue;
        }
        eprintln!("{} ...", e.posterior);
        let outcome = run_one(&root, &db, e, seed);
        match &outcome {
            Ok(o) => eprintln!(
                "  {:?}: {}/{} quantities, max z {:.2}, {:.1} s",
                o.verdict, o.passed, o.total, o.max_z, o.seconds
            ),
            Err(err) => eprintln!("  error: {}", err.lines().next().unwrap_or("")),
        }
        rows.push(Row {
            posterior: e.posterior.clone(),
            tier: e.tier,
            outcome,
        });
    }
    let text = table(&rows, &skipped);
    print!("{text}");
    let failed = rows
        .iter()
        .filter(|r| !matches!(&r.outcome, Ok(o) if o.verdict != Verdict::Fail))
        .count();
    let summary = format!("{} passed, {failed} failed", rows.len() - failed);
    println!("\n{summary}");
    if let Some(path) = markdown {
        let doc = format!(
            "# posteriordb conformance\n\nRun {} with seed {seed}: `cargo run --release --example conformance -- --markdown CONFORMANCE.md`.\nCriterion: `../shared/posteriordb/README.md` (every z ≤ 5; one 5 < z ≤ 6 allowed per posterior with ≥ 20 statistics, marked Marginal).\n\n{text}\n{summary}\n",
            std::env::var("HAZEL_RUN_DATE").unwrap_or_else(|_| "2026-11-28".into())
        );
        if let Err(e) = std::fs::write(&path, doc) {
            eprintln!("error: {path}: {e}");
            std::process::exit(2);
        }
    }
    if failed > 0 {
        std::process::exit(1);
    }
}
