//! Samples the non-centered eight schools model with 4 parallel chains through the Rust API
//! and prints the posterior summary with convergence diagnostics.
//!
//! Run with `cargo run --release --example eight_schools` (or `--profile ci`).

use hazel::sampler::{SamplerConfig, sample};
use hazel::summary::summarize_run;
use hazel::testing::EightSchoolsNonCentered;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = EightSchoolsNonCentered::bench()?;
    let cfg = SamplerConfig::default();
    let start = std::time::Instant::now();
    let draws = sample(&model, &cfg)?;
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "eight schools (non-centered), {} chains x ({} warmup + {} draws), seed {}: {seconds:.2} s\n",
        cfg.chains, cfg.warmup, cfg.draws, cfg.seed
    );
    print!("{}", summarize_run(&draws, Some(cfg.max_depth))?.to_table());
    Ok(())
}
