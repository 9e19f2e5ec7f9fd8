//! The summary of a fit: columns and order, statistical sanity on draws with known
//! moments (MCSE-based bounds, fixed seeds), warnings, and `hazel summary` recomputing the
//! same numbers from the Stan CSV files.

use std::path::PathBuf;

use hazel::diagnostics::Warning;
use hazel::draws::{ChainDraws, ChainTiming, DrawSink, Draws, SAMPLER_COLUMNS};
use hazel::io::stan_csv::{MetricKind, RunInfo, StanCsvWriter};
use hazel::rng::chain_rng;
use hazel::summary::{SUMMARY_COLUMNS, SummaryFormat, summarize, summarize_run, summary_command};
use rand_distr::{Distribution, StandardNormal};

const CHAINS: usize = 4;
const DRAWS: usize = 1000;
const SEED: u64 = 7;
/// MCSE multiples a correct estimate stays within (two-sided, |z| < 4).
const Z: f64 = 4.0;

/// Model columns and per-column AR(1) coefficient and mean offset per chain.
fn fit(phi: [f64; 3], chain_shift: f64, divergent_every: usize) -> Draws {
    let names = ["mu", "theta.1", "theta.2"];
    let mut columns: Vec<String> = SAMPLER_COLUMNS.iter().map(|s| s.to_string()).collect();
    columns.extend(names.iter().map(|s| s.to_string()));
    let chains = (0..CHAINS)
        .map(|c| {
            let mut rng = chain_rng(SEED, c);
            let mut chain = ChainDraws::default();
            let mut x = [0.0f64; 3];
            for i in 0..DRAWS {
                for (xi, p) in x.iter_mut().zip(phi) {
                    let e: f64 = StandardNormal.sample(&mut rng);
                    *xi = p * *xi + (1.0 - p * p).sqrt() * e;
                }
                let lp = -0.5 * x.iter().map(|v| v * v).sum::<f64>();
                let div = divergent_every > 0 && i % divergent_every == 0;
                let e: f64 = StandardNormal.sample(&mut rng);
                let mut row = vec![
                    lp,
                    0.8,
                    0.5,
                    4.0,
                    15.0,
                    f64::from(u8::from(div)),
                    2.0 - lp + e,
                ];
                row.extend(
                    x.iter()
                        .enumerate()
                        .map(|(k, v)| v + if k == 0 { chain_shift * c as f64 } else { 0.0 }),
                );
                chain.draw_row(&row).unwrap();
            }
            chain
        })
        .collect();
    Draws { columns, chains }
}

#[test]
fn table_columns_and_order() {
    let s = summarize(&fit([0.0, 0.5, -0.3], 0.0, 0)).unwrap();
    let df = s.to_dataframe().unwrap();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, SUMMARY_COLUMNS);
    let vars: Vec<&str> = s.rows.iter().map(|r| r.variable.as_str()).collect();
    assert_eq!(vars, ["lp__", "mu", "theta[1]", "theta[2]"]);
    assert!(s.to_csv().starts_with(
        "variable,mean,median,sd,mad,q5,q95,rhat,ess_bulk,ess_tail,mcse_mean,mcse_sd\nlp__,"
    ));
    let table = s.to_table();
    assert!(
        table.contains("Divergences: 0 of 4000 draws after warmup (0.0%)"),
        "{table}"
    );
    assert!(table.contains("No warnings."), "{table}");
}

#[test]
fn standard_normal_draws_are_summarized_within_mcse() {
    let s = summarize(&fit([0.0, 0.5, -0.3], 0.0, 0)).unwrap();
    for r in &s.rows[1..] {
        assert!(
            r.mean.abs() < Z * r.mcse_mean,
            "{}: mean {} mcse {}",
            r.variable,
            r.mean,
            r.mcse_mean
        );
        assert!(
            (r.sd - 1.0).abs() < Z * r.mcse_sd,
            "{}: sd {} mcse {}",
            r.variable,
            r.sd,
            r.mcse_sd
        );
        assert!(r.rhat < 1.01, "{}: rhat {}", r.variable, r.rhat);
        // Normal quantiles ±1.645; MAD of a normal is its sd.
        assert!(
            (r.q95 - 1.645).abs() < 0.15 && (r.q5 + 1.645).abs() < 0.15,
            "{r:?}"
        );
        assert!((r.mad - 1.0).abs() < 0.1, "{r:?}");
    }
    // Bulk ESS of AR(1) is about S·(1−φ)/(1+φ): 4000, 1333, 7429 (antithetic).
    let expected = [4000.0, 4000.0 / 3.0, 4000.0 * 1.3 / 0.7];
    for (r, e) in s.rows[1..].iter().zip(expected) {
        assert!(
            (r.ess_bulk / e - 1.0).abs() < 0.25,
            "{}: ess_bulk {} expected ≈{e}",
            r.variable,
            r.ess_bulk
        );
    }
}

#[test]
fn problems_are_warned_about_by_name() {
    let s = summarize_run(&fit([0.0, 0.995, 0.0], 0.5, 400), Some(4)).unwrap();
    let rhat = s.warnings.iter().find_map(|w| match w {
        Warning::HighRhat { variables, .. } => Some(variables.clone()),
        _ => None,
    });
    // lp__ inherits theta[1]'s stickiness; theta[2] mixes and is not named.
    let named = ["lp__", "mu", "theta[1]"].map(String::from).to_vec();
    assert_eq!(rhat, Some(named));
    assert!(s.warnings.contains(&Warning::Divergences {
        count: 12,
        total: 4000
    }));
    assert!(s.warnings.contains(&Warning::MaxTreedepth {
        count: 4000,
        total: 4000,
        max_depth: 4
    }));
    assert!(
        s.to_table()
            .contains("Divergences: 12 of 4000 draws after warmup (0.3%)")
    );
}

#[test]
fn summary_command_recomputes_the_same_numbers_from_stan_csv() {
    let draws = fit([0.2, 0.9, -0.3], 0.0, 0);
    let dir = std::env::temp_dir().join(format!("hazel-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Chain 10 sorts after chain 2 by number, not by name.
    for (k, chain) in draws.chains.iter().enumerate() {
        let id = [1, 2, 10, 3][k];
        let info = RunInfo {
            model: "ar1".into(),
            data_files: vec![],
            seed: SEED,
            chain_id: id,
            num_chains: CHAINS,
            num_warmup: 0,
            num_samples: DRAWS,
            save_warmup: false,
            metric: MetricKind::Diag,
            adapt_delta: 0.8,
            max_depth: 10,
            hazel_version: RunInfo::VERSION.into(),
        };
        let file = std::fs::File::create(dir.join(format!("chain_{id}.csv"))).unwrap();
        let mut w = StanCsvWriter::new(file, &info, &draws.columns[7..]).unwrap();
        for i in 0..DRAWS {
            let row: Vec<f64> = chain.draws.iter().map(|c| c[i]).collect();
            w.draw_row(&row).unwrap();
        }
        w.finish(&ChainTiming::default(), false).unwrap();
    }
    let mut in_order = draws.clone();
    in_order.chains.swap(2, 3);
    let expected = summarize_run(&in_order, Some(10)).unwrap();
    let csv = summary_command(std::slice::from_ref(&dir), SummaryFormat::Csv).unwrap();
    assert_eq!(
        csv,
        expected.to_csv(),
        "diagnostics from the files equal the in-memory ones exactly"
    );
    let table = summary_command(std::slice::from_ref(&dir), SummaryFormat::Table).unwrap();
    assert!(
        table.contains("Max tree depth 10 reached: 0 of 4000 draws (0.0%)"),
        "{table}"
    );
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let err = summary_command(&[empty], SummaryFormat::Csv).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("no chain_<k>.csv files in this directory")
    );
    let err =
        summary_command(&[PathBuf::from("/nonexistent.csv")], SummaryFormat::Csv).unwrap_err();
    assert!(err.to_string().contains("cannot read"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn chains_without_draws_summarize_to_nan_without_panicking() {
    let mut draws = fit([0.0, 0.0, 0.0], 0.0, 0);
    for chain in &mut draws.chains {
        chain.draws.iter_mut().for_each(Vec::clear);
    }
    let s = summarize(&draws).unwrap();
    assert!(s.rows.iter().all(|r| r.values().iter().all(|v| v.is_nan())));
    assert!(s.to_table().contains("Divergences: 0 of 0 draws"));
    let mut ragged = fit([0.0, 0.0, 0.0], 0.0, 0);
    ragged.chains[1]
        .draws
        .iter_mut()
        .for_each(|c| c.truncate(10));
    let err = summarize(&ragged).unwrap_err();
    assert_eq!(err.to_string(), "chain 2 has 10 draws but chain 1 has 1000");
}
