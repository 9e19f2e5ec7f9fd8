//! posteriordb conformance, CI subset: at least one posterior per feature tier
//! (`"ci": true` in `models/conformance.json`), compiled from its model file, sampled with a
//! fixed seed and compared with the reference by the suite's criterion. The full suite:
//! `cargo run --release --example conformance` (latest table in CONFORMANCE.md).

use hazel::conformance::Verdict;
use hazel::conformance::runner::{Row, entries, run_one, shared_dir, table};
use std::path::PathBuf;

/// The seed of the CI runs.
const SEED: u64 = 20261128;

#[test]
fn ci_subset_matches_the_reference_posteriors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let db = shared_dir(&root);
    assert!(
        db.is_dir(),
        "posteriordb folder not found at {}",
        db.display()
    );
    let all = entries(&root).unwrap();
    let subset: Vec<_> = all.iter().filter(|e| e.ci && e.needs.is_none()).collect();
    let tiers: std::collections::BTreeSet<u32> = subset.iter().map(|e| e.tier).collect();
    assert_eq!(
        tiers.into_iter().collect::<Vec<_>>(),
        [1, 2, 3, 4],
        "one posterior per runnable tier"
    );
    let rows: Vec<Row> = subset
        .iter()
        .map(|e| Row {
            posterior: e.posterior.clone(),
            tier: e.tier,
            outcome: run_one(&root, &db, e, SEED),
        })
        .collect();
    let report = table(&rows, &[]);
    println!("{report}");
    for r in &rows {
        match &r.outcome {
            Ok(o) => assert_ne!(
                o.verdict,
                Verdict::Fail,
                "{} failed:\n{report}",
                r.posterior
            ),
            Err(e) => panic!("{}: {e}", r.posterior),
        }
    }
}
