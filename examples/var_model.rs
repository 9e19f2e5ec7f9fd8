//! Writing a log density in plain Rust with `Var` and getting its gradient from the tape.
//!
//! The model is a small hierarchical normal model (eight schools, non-centered):
//! parameters mu, log tau and eta[8]; theta = mu + tau * eta; y ~ normal(theta, sigma).
//!
//! Run with `cargo run --example var_model`.

use hazel::ad::fd::max_gradient_error;
use hazel::ad::{TapeBuilder, TapeDensity};
use hazel::model::LogDensity;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let y = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
    let sigma = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];

    let b = TapeBuilder::new(10);
    let p = b.param_vector();
    let mu = p.at(0);
    let log_tau = p.at(1);
    let eta = b.var(b.view(p.slot(), 2, 8, 1)?);
    let tau = log_tau.exp();
    let theta = mu + tau * eta;
    let y = b.data_vector(&y);
    let sigma = b.data_vector(&sigma);
    let lp = -0.5 * (mu / 5.0).square() // mu ~ normal(0, 5)
        - 0.5 * (tau / 5.0).square() + log_tau // tau ~ half-normal(0, 5), log-Jacobian
        - 0.5 * eta.dot_self() // eta ~ std_normal()
        + (-0.5 * ((y - theta) / sigma).square()).sum(); // y ~ normal(theta, sigma)
    let tape = b.finish_var(lp)?;
    println!("{}", tape.dump());

    let density = TapeDensity::new(tape);
    let x: Vec<f64> = (0..10).map(|i| 0.1 * i as f64).collect();
    let mut grad = vec![0.0; 10];
    let value = density.log_density_and_gradient(&x, &mut grad)?;
    println!("log density at x = {value:.6}");
    println!("gradient          = {grad:.4?}");
    println!(
        "max |grad - finite differences| = {:.2e}",
        max_gradient_error(&density, &x)?
    );
    Ok(())
}
