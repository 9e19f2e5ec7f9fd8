//! NUTS efficiency benchmark: per target, leapfrog steps per draw, gradient evaluations per
//! minimum bulk ESS (warmup included), gradients per second, and the ratio to Stan's figures
//! from issue 2. ESS is the diagnostics module's bulk ESS (ArviZ-exact, via
//! `hazel::testing::ess::bulk_ess`). Run: `cargo bench --locked --bench nuts [-- SEEDS]`.

use std::time::Instant;

use hazel::draws::{ChainDraws, SAMPLER_COLUMNS};
use hazel::model::Model;
use hazel::sampler::{NoProgress, SamplerConfig, sample_with_sinks};
use hazel::testing::ess::bulk_ess;
use hazel::testing::{EightSchoolsNonCentered, Radon, Wells};

/// Seeds averaged per target unless given on the command line.
const DEFAULT_SEEDS: u64 = 5;

struct Figures {
    leapfrog_per_draw: f64,
    grads_per_min_ess: f64,
    grads_per_second: f64,
}

fn run<M: Model>(model: &M, seed: u64) -> Figures {
    let cfg = SamplerConfig {
        seed,
        ..SamplerConfig::default()
    };
    let ncol = SAMPLER_COLUMNS.len() + model.output_names().len();
    let sinks = (0..cfg.chains)
        .map(|_| ChainDraws::with_columns(ncol))
        .collect();
    let t = Instant::now();
    let out = sample_with_sinks(model, &cfg, sinks, &NoProgress).expect("sampling succeeds");
    let seconds = t.elapsed().as_secs_f64();
    let grads: u64 = out
        .chains
        .iter()
        .map(|c| c.counts.grad_evals_warmup + c.counts.grad_evals_sampling)
        .sum();
    let leapfrogs: f64 = out
        .chains
        .iter()
        .map(|c| c.sink.draws[4].iter().sum::<f64>())
        .sum();
    let draws = (cfg.chains * cfg.draws) as f64;
    let min_ess = (SAMPLER_COLUMNS.len()..ncol)
        .map(|i| {
            let cols: Vec<&[f64]> = out
                .chains
                .iter()
                .map(|c| c.sink.draws[i].as_slice())
                .collect();
            bulk_ess(&cols)
        })
        .fold(f64::INFINITY, f64::min);
    // Chains run in parallel: gradients per second of one core ≈ total / (seconds · cores used).
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(cfg.chains);
    Figures {
        leapfrog_per_draw: leapfrogs / draws,
        grads_per_min_ess: grads as f64 / min_ess,
        grads_per_second: grads as f64 / seconds / cores as f64,
    }
}

fn report<M: Model>(name: &str, model: &M, stan: f64, seeds: u64) {
    let runs: Vec<Figures> = (1..=seeds).map(|s| run(model, s)).collect();
    let n = runs.len() as f64;
    let avg = |f: fn(&Figures) -> f64| runs.iter().map(f).sum::<f64>() / n;
    let per_ess: Vec<f64> = runs.iter().map(|r| r.grads_per_min_ess).collect();
    let lo = per_ess.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = per_ess.iter().copied().fold(0.0, f64::max);
    let mean = avg(|r| r.grads_per_min_ess);
    println!(
        "| {name:<26} | {:>9.1} | {:>8.1} ({:>5.1}–{:<5.1}) | {:>10.0} | {:>5.0} | {:>6.2} |",
        avg(|r| r.leapfrog_per_draw),
        mean,
        lo,
        hi,
        avg(|r| r.grads_per_second),
        stan,
        mean / stan
    );
}

fn main() {
    let seeds = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(DEFAULT_SEEDS);
    println!(
        "4 chains x (1000 warmup + 1000 draws), seeds 1..={seeds}; ESS: hazel::diagnostics bulk ESS"
    );
    println!(
        "| target | leapfrog/draw | grads per min bulk ESS (range) | grads/s/core | Stan | ratio |"
    );
    println!("|---|---|---|---|---|---|");
    report(
        "eight schools non-centered",
        &EightSchoolsNonCentered::bench().expect("data/bench/eight_schools.json"),
        30.0,
        seeds,
    );
    report(
        "wells logistic",
        &Wells::bench().expect("data/bench/wells_data.json"),
        11.0,
        seeds,
    );
    report(
        "radon non-centered",
        &Radon::bench().expect("data/bench/radon_mn.json"),
        93.0,
        seeds,
    );
}
