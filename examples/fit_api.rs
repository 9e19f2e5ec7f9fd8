//! The whole flow through the Rust API: compile a `.stan` file, bind Stan JSON data,
//! sample, print the summary, write plots and compute PSIS-LOO.
//!
//! Run with `cargo run --release --example fit_api` (writes `output/fit_api/plots`).

use hazel::fit::{Fit, compile_source};
use hazel::io::stan_json::DataSet;
use hazel::plot::PlotOptions;
use hazel::sampler::SamplerConfig;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = "models/examples/eight_schools_noncentered.stan";
    let source = std::fs::read_to_string(path)?;
    let data = DataSet::from_json_file(Path::new("data/bench/eight_schools.json"))?;
    let model = compile_source(path, &source, &data, 1)?;
    let config = SamplerConfig {
        seed: 1,
        ..SamplerConfig::default()
    };
    let fit = Fit::sample(&model, &config)?;
    print!("{}", fit.summary()?.to_table());
    let loo = fit.loo("log_lik")?;
    println!(
        "\nelpd_loo = {:.2} (SE {:.2}), p_loo = {:.2}",
        loo.elpd_loo, loo.se, loo.p_loo
    );
    let written = fit.plot(&PlotOptions::default(), Path::new("output/fit_api/plots"))?;
    println!("{} plots in output/fit_api/plots", written.len());
    Ok(())
}
