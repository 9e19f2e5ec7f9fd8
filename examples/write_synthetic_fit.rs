//! Writes a synthetic fit into a directory the way `hazel sample` lays it out:
//! `chain_<k>.csv` (Stan CSV through the streaming writer), `summary.csv` (computed from
//! those files, as `hazel summary DIR --format csv` does) and `draws.parquet`.
//!
//! The draws are AR(1) series (x_t = φ·x_{t−1} + √(1−φ²)·ε_t) with different φ per
//! variable, so R-hat, ESS and MCSE have something to measure. Used to check hazel's
//! files with ArviZ: `cargo run --example write_synthetic_fit -- DIR` then
//! `python tests/python/arviz_check.py DIR`.
//!
//! Usage: `write_synthetic_fit DIR [CHAINS] [DRAWS] [SEED] [SAVED_WARMUP]`. With
//! SAVED_WARMUP > 0 that many warmup rows (drawn far from the target, so a reader that
//! failed to split them off would report very different diagnostics) precede the draws.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use hazel::draws::{Adaptation, ChainTiming, DrawSink, InvMetric};
use hazel::io::parquet::write_parquet;
use hazel::io::stan_csv::{MetricKind, RunInfo, StanCsvWriter, read_stan_csv};
use hazel::rng::chain_rng;
use hazel::summary::{SummaryFormat, chain_files, summary_command};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Variables and their AR(1) coefficients: iid, sticky, antithetic, very sticky.
const VARIABLES: [(&str, f64); 5] = [
    ("mu", 0.0),
    ("tau", 0.9),
    ("theta.1", -0.3),
    ("theta.2", 0.5),
    ("Sigma.2.1", 0.97),
];

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: T) -> Result<T, String> {
    match args.get(i) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| format!("argument {i} ({s:?}) is not a valid number")),
    }
}

/// The shape of one synthetic run.
struct Run {
    chains: usize,
    draws: usize,
    warmup: usize,
    seed: u64,
}

/// Offset of the saved warmup rows from the target's mean.
const WARMUP_OFFSET: f64 = 50.0;

fn write_chain(dir: &Path, chain: usize, run: &Run) -> std::io::Result<()> {
    let info = RunInfo {
        model: "synthetic_ar1".into(),
        data_files: Vec::new(),
        seed: run.seed,
        chain_id: chain + 1,
        num_chains: run.chains,
        num_warmup: run.warmup,
        num_samples: run.draws,
        save_warmup: run.warmup > 0,
        metric: MetricKind::Diag,
        adapt_delta: 0.8,
        max_depth: 10,
        hazel_version: RunInfo::VERSION.into(),
    };
    let names: Vec<String> = VARIABLES.iter().map(|(n, _)| n.to_string()).collect();
    let file = std::fs::File::create(dir.join(format!("chain_{}.csv", chain + 1)))?;
    let mut sink = StanCsvWriter::new(BufWriter::new(file), &info, &names)?;
    for i in 0..run.warmup {
        let mut row = vec![-WARMUP_OFFSET, 0.5, 1.0, 2.0, 3.0, 0.0, WARMUP_OFFSET];
        row.extend(VARIABLES.iter().map(|_| WARMUP_OFFSET + i as f64));
        sink.warmup_row(&row)?;
    }
    sink.adaptation(Some(&Adaptation {
        step_size: 0.7,
        inv_metric: InvMetric::Diag(vec![1.0; VARIABLES.len()]),
    }))?;
    let mut rng = chain_rng(run.seed, chain);
    let mut x: Vec<f64> = VARIABLES
        .iter()
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    for _ in 0..run.draws {
        for (xi, (_, phi)) in x.iter_mut().zip(VARIABLES) {
            let eps: f64 = StandardNormal.sample(&mut rng);
            *xi = phi * *xi + (1.0 - phi * phi).sqrt() * eps;
        }
        let lp = -0.5 * x.iter().map(|v| v * v).sum::<f64>();
        let noise: f64 = StandardNormal.sample(&mut rng);
        let accept: f64 = rng.random();
        let mut row = vec![lp, accept, 0.7, 3.0, 7.0, 0.0, -lp + 1.5 + noise];
        row.extend_from_slice(&x);
        sink.draw_row(&row)?;
    }
    let timing = ChainTiming {
        warmup_seconds: 0.0,
        sampling_seconds: 0.0,
    };
    sink.finish(&timing, false)
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .ok_or("usage: write_synthetic_fit DIR [CHAINS] [DRAWS] [SEED] [SAVED_WARMUP]")?,
    );
    let run = Run {
        chains: arg(&args, 1, 4)?,
        draws: arg(&args, 2, 1000)?,
        seed: arg(&args, 3, 20_261_128)?,
        warmup: arg(&args, 4, 0)?,
    };
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for chain in 0..run.chains {
        write_chain(&dir, chain, &run).map_err(|e| e.to_string())?;
    }
    let csv = summary_command(std::slice::from_ref(&dir), SummaryFormat::Csv)
        .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("summary.csv"), csv).map_err(|e| e.to_string())?;
    let files = chain_files(std::slice::from_ref(&dir)).map_err(|e| e.to_string())?;
    let fit = read_stan_csv(&files).map_err(|e| e.to_string())?;
    write_parquet(&fit.draws, &dir.join("draws.parquet")).map_err(|e| e.to_string())?;
    print!(
        "{}",
        summary_command(&[dir], SummaryFormat::Table).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
