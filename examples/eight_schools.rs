//! Samples the non-centered eight schools model with 4 parallel chains through the Rust API
//! and prints a small posterior summary.
//!
//! Run with `cargo run --release --example eight_schools` (or `--profile ci`).

use hazel::draws::Draws;
use hazel::sampler::{SamplerConfig, sample};
use hazel::testing::EightSchoolsNonCentered;
use hazel::testing::ess::bulk_ess;

fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn summarise(draws: &Draws) {
    println!(
        "{:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "variable", "mean", "sd", "q5", "q50", "q95", "ess_bulk"
    );
    for i in draws.variable_indices() {
        let chains = draws.column(i);
        let mut all: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
        let n = all.len() as f64;
        let mean = all.iter().sum::<f64>() / n;
        let sd = (all.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        all.sort_by(f64::total_cmp);
        println!(
            "{:<16} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>9.0}",
            hazel::draws::dotted_to_bracket(&draws.columns[i]),
            mean,
            sd,
            quantile(&all, 0.05),
            quantile(&all, 0.5),
            quantile(&all, 0.95),
            bulk_ess(&chains)
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = EightSchoolsNonCentered::bench()?;
    let cfg = SamplerConfig::default();
    let draws = sample(&model, &cfg)?;
    summarise(&draws);
    let div = draws.column_index("divergent__").expect("sampler column");
    let divergences: f64 = draws.column(div).iter().flat_map(|c| c.iter()).sum();
    println!(
        "\n{} chains x {} draws, {} divergent transitions (ESS: hazel::testing::ess, rank-normalised split chains)",
        cfg.chains, cfg.draws, divergences
    );
    Ok(())
}
