//! Stan CSV written by hazel reads back to the same draws, bit for bit; CmdStan's layout
//! (defaults marked, no trailer, warmup saved or not) reads too; Parquet holds every draw.

use std::path::PathBuf;

use hazel::draws::{Adaptation, ChainDraws, ChainTiming, DrawSink, InvMetric, SAMPLER_COLUMNS};
use hazel::io::parquet::{draws_dataframe, write_parquet};
use hazel::io::stan_csv::{MetricKind, RunInfo, StanCsvWriter, parse_chain, read_stan_csv};

fn info(chain_id: usize, save_warmup: bool) -> RunInfo {
    RunInfo {
        model: "eight_schools".into(),
        data_files: vec!["data/eight.json".into()],
        seed: 42,
        chain_id,
        num_chains: 2,
        num_warmup: 3,
        num_samples: 4,
        save_warmup,
        metric: MetricKind::Dense,
        adapt_delta: 0.8,
        max_depth: 10,
        hazel_version: RunInfo::VERSION.into(),
    }
}

fn row(i: usize, chain: usize) -> Vec<f64> {
    let x = (i as f64 + 0.1) / 3.0 + chain as f64 * 1e-300;
    vec![-x, 0.9, 0.5, 3.0, 7.0, 0.0, x * x, x, -1.0 / x, 1e21 * x]
}

/// Writes one chain through the sink and returns the file text.
fn write_chain(chain: usize, save_warmup: bool, interrupted: bool) -> String {
    let names = vec!["mu".to_string(), "theta.1".into(), "theta.2".into()];
    let mut w = StanCsvWriter::new(Vec::new(), &info(chain, save_warmup), &names).unwrap();
    if save_warmup {
        for i in 0..3 {
            w.warmup_row(&row(100 + i, chain)).unwrap();
        }
    }
    let adaptation = Adaptation {
        step_size: 0.123_456_789,
        inv_metric: InvMetric::Dense {
            dim: 3,
            values: vec![1.0, 0.5, 0.25, 0.5, 2.0, 0.125, 0.25, 0.125, 3.0],
        },
    };
    w.adaptation(Some(&adaptation)).unwrap();
    for i in 0..4 {
        w.draw_row(&row(i, chain)).unwrap();
    }
    let timing = ChainTiming {
        warmup_seconds: 0.25,
        sampling_seconds: 0.5,
    };
    w.finish(&timing, interrupted).unwrap();
    String::from_utf8(w.into_inner()).unwrap()
}

#[test]
fn hazel_files_round_trip_exactly() {
    let text = write_chain(1, true, false);
    assert!(text.contains("# Elements of inverse mass matrix:\n# 1, 0.5, 0.25\n"));
    assert!(text.contains("#  Elapsed Time: 0.250 seconds (Warm-up)\n"));
    let parsed = parse_chain(&text, "chain_1.csv").unwrap();
    let mut expected_cols: Vec<String> = SAMPLER_COLUMNS.iter().map(|s| s.to_string()).collect();
    expected_cols.extend(["mu".into(), "theta.1".into(), "theta.2".into()]);
    assert_eq!(parsed.columns, expected_cols);
    let mut memory = ChainDraws::default();
    for i in 0..3 {
        memory.warmup_row(&row(100 + i, 1)).unwrap();
    }
    for i in 0..4 {
        memory.draw_row(&row(i, 1)).unwrap();
    }
    let bits = |cols: &Vec<Vec<f64>>| -> Vec<Vec<u64>> {
        cols.iter()
            .map(|c| c.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    assert_eq!(bits(&parsed.chain.draws), bits(&memory.draws));
    assert_eq!(bits(&parsed.chain.warmup), bits(&memory.warmup));
    let a = parsed.chain.adaptation.unwrap();
    assert_eq!(a.step_size, 0.123_456_789);
    assert_eq!(
        a.inv_metric,
        InvMetric::Dense {
            dim: 3,
            values: vec![1.0, 0.5, 0.25, 0.5, 2.0, 0.125, 0.25, 0.125, 3.0]
        }
    );
    assert_eq!(
        parsed.chain.timing,
        Some(ChainTiming {
            warmup_seconds: 0.25,
            sampling_seconds: 0.5
        })
    );
    assert!(!parsed.chain.interrupted);
    assert_eq!(parsed.config["max_depth"], "10");
    assert_eq!(parsed.config["seed"], "42");
    assert_eq!(parsed.config["metric"], "dense_e");
    assert_eq!(parsed.config["hazel_version"], RunInfo::VERSION);
}

#[test]
fn interrupted_marker_is_read() {
    let parsed = parse_chain(&write_chain(2, false, true), "c.csv").unwrap();
    assert!(parsed.chain.interrupted);
    assert_eq!(parsed.chain.num_draws(), 4);
    assert!(parsed.chain.warmup.iter().all(Vec::is_empty));
}

/// A file in CmdStan 2.3x's layout: defaults marked, values with spaces or empty,
/// warmup not saved.
const CMDSTAN: &str = "# stan_version_major = 2
# model = bernoulli_model
# start_datetime = 2026-07-20 16:58:36 UTC
# method = sample (Default)
#   sample
#     num_samples = 3
#     num_warmup = 1000 (Default)
#     save_warmup = false (Default)
#     thin = 1 (Default)
#     adapt
#       engaged = true (Default)
#     algorithm = hmc (Default)
#       hmc
#         engine = nuts (Default)
#           nuts
#             max_depth = 12
#         metric = diag_e (Default)
#         metric_file =  (Default)
# id = 1 (Default)
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta
# Adaptation terminated
# Step size = 0.932037
# Diagonal elements of inverse mass matrix:
# 0.544929
-6.74812,1,0.932037,1,1,0,6.75,0.247168
-6.87,0.97,0.932037,2,3,0,6.9,0.3
-7.1,0.8,0.932037,1,3,1,7.3,0.12
# 
#  Elapsed Time: 0.001 seconds (Warm-up)
#                0 seconds (Sampling)
#                0.001 seconds (Total)
# 
";

#[test]
fn cmdstan_layout_reads() {
    let parsed = parse_chain(CMDSTAN, "output_1.csv").unwrap();
    assert_eq!(parsed.chain.num_draws(), 3);
    assert_eq!(parsed.chain.draws[7], vec![0.247168, 0.3, 0.12]);
    let a = parsed.chain.adaptation.unwrap();
    assert_eq!(a.step_size, 0.932037);
    assert_eq!(a.inv_metric, InvMetric::Diag(vec![0.544929]));
    assert_eq!(
        parsed.chain.timing,
        Some(ChainTiming {
            warmup_seconds: 0.001,
            sampling_seconds: 0.0
        })
    );
    assert_eq!(parsed.config["num_warmup"], "1000");
    assert_eq!(parsed.config["metric_file"], "");
    assert_eq!(parsed.config["max_depth"], "12");
    let no_trailer = CMDSTAN.split("# \n").next().unwrap();
    assert_eq!(parse_chain(no_trailer, "o.csv").unwrap().chain.timing, None);
}

#[test]
fn cmdstan_saved_warmup_is_split_off() {
    let text = CMDSTAN
        .replace("num_warmup = 1000 (Default)", "num_warmup = 2")
        .replace("save_warmup = false (Default)", "save_warmup = true")
        .replace(
            "# Adaptation terminated",
            "-9,0.5,2,1,1,0,9,0.9\n-8,0.5,2,1,1,0,8,0.8\n# Adaptation terminated",
        );
    let parsed = parse_chain(&text, "output_1.csv").unwrap();
    assert_eq!(parsed.chain.num_draws(), 3);
    assert_eq!(parsed.chain.warmup[0], vec![-9.0, -8.0]);
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hazel-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn files_become_chains_and_parquet_holds_them() {
    let dir = temp_dir("roundtrip");
    let paths: Vec<PathBuf> = (1..=2)
        .map(|c| {
            let p = dir.join(format!("chain_{c}.csv"));
            std::fs::write(&p, write_chain(c, c == 1, false)).unwrap();
            p
        })
        .collect();
    let csv = read_stan_csv(&paths).unwrap();
    assert_eq!(csv.draws.chains.len(), 2);
    assert_eq!(csv.max_depth(), Some(10));
    let df = draws_dataframe(&csv.draws).unwrap();
    assert_eq!(df.height(), 8);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(&names[..3], ["chain", "draw", "lp__"]);
    assert_eq!(names[names.len() - 1], "theta[2]");
    let pq = dir.join("draws.parquet");
    write_parquet(&csv.draws, &pq).unwrap();
    let file = std::fs::File::open(&pq).unwrap();
    use polars::prelude::SerReader;
    let back = polars::prelude::ParquetReader::new(file).finish().unwrap();
    assert!(back.equals(&df));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_run_killed_mid_chain_leaves_a_readable_file() {
    let dir = temp_dir("killed");
    let path = dir.join("chain_1.csv");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let names = vec!["mu".to_string(), "theta.1".into(), "theta.2".into()];
    let mut w = StanCsvWriter::new(file, &info(1, false), &names).unwrap();
    for i in 0..3 {
        w.draw_row(&row(i, 1)).unwrap();
    }
    // No `finish`, writer still alive: what is on disk now is what a killed run leaves.
    let on_disk = std::fs::read_to_string(&path).unwrap();
    let parsed = parse_chain(&on_disk, "chain_1.csv").unwrap();
    assert_eq!(parsed.chain.num_draws(), 3);
    assert_eq!(parsed.chain.timing, None);
    drop(w);
    std::fs::remove_dir_all(dir).unwrap();
}
