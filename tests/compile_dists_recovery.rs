//! Parameter recovery through the whole pipeline: data simulated with hazel's own RNGs
//! (fixed seeds), a model compiled from Stan source, NUTS, and every true value within
//! `RECOVERY_SDS` posterior standard deviations of its posterior mean. Run at the `ci`
//! profile (opt-level 2), where each fit takes a few seconds.

mod compile_common;

use compile_common::build;
use hazel::dist::MatRef;
use hazel::dist::categorical::ordered_logistic_rng;
use hazel::dist::hmm::hmm_latent_rng;
use hazel::fit::Fit;
use hazel::sampler::SamplerConfig;
use rand_distr::{Distribution, StandardNormal};

/// How many posterior SDs a true value may lie from the posterior mean: a wide band
/// (posterior coverage at 4 SDs is ≈ 1 − 6e-5 per parameter for a near-normal posterior),
/// so a failure means the likelihood is wrong, not bad luck.
const RECOVERY_SDS: f64 = 4.0;

/// A short run: 2 chains, 400 warmup, 400 draws (enough for posterior means to a small
/// fraction of a posterior SD with these well-identified models).
fn config(seed: u64) -> SamplerConfig {
    SamplerConfig {
        chains: 2,
        warmup: 400,
        draws: 400,
        seed,
        ..SamplerConfig::default()
    }
}

fn normal(rng: &mut hazel::rng::ChainRng) -> f64 {
    StandardNormal.sample(rng)
}

/// Samples and checks each `(variable, truth)`; also that R-hat is below 1.05.
fn check_recovery(src: &str, data: &str, truths: &[(&str, f64)], seed: u64) {
    let model = build(src, data).unwrap();
    let fit = Fit::sample(&model, &config(seed)).unwrap();
    let summary = fit.summary().unwrap();
    for (name, truth) in truths {
        let row = summary
            .rows
            .iter()
            .find(|r| r.variable == *name)
            .unwrap_or_else(|| panic!("{name} not in the summary"));
        let z = (row.mean - truth) / row.sd;
        eprintln!(
            "{name}: truth {truth}, posterior mean {:.3} sd {:.3} (z = {z:.2}), rhat {:.3}",
            row.mean, row.sd, row.rhat
        );
        assert!(z.abs() < RECOVERY_SDS, "{name}: z = {z}");
        assert!(row.rhat < 1.05, "{name}: rhat {}", row.rhat);
    }
}

#[test]
fn ordered_logistic_regression_recovers_slope_and_cutpoints() {
    let (beta, cuts) = (1.2, [-1.0, 0.5, 2.0]);
    let n = 400;
    let mut rng = hazel::rng::chain_rng(2024, 0);
    let x: Vec<f64> = (0..n).map(|_| 1.5 * normal(&mut rng)).collect();
    let y: Vec<i64> = x
        .iter()
        .map(|xi| ordered_logistic_rng(beta * xi, &cuts, &mut rng).unwrap())
        .collect();
    let data = serde_json::json!({ "N": n, "x": x, "y": y }).to_string();
    let src = "data { int N; vector[N] x; array[N] int<lower=1, upper=4> y; }
        parameters { real beta; ordered[3] c; }
        model { beta ~ normal(0, 5); c ~ normal(0, 5); y ~ ordered_logistic(x * beta, c); }";
    check_recovery(
        src,
        &data,
        &[
            ("beta", beta),
            ("c[1]", cuts[0]),
            ("c[2]", cuts[1]),
            ("c[3]", cuts[2]),
        ],
        11,
    );
}

#[test]
fn gaussian_hmm_recovers_means_and_transition_matrix() {
    // two states, emissions normal(mu_k, 1); Gamma row-stochastic, column-major here
    let (mu, gamma) = ([-1.0, 2.0], [0.85, 0.25, 0.15, 0.75]);
    let rho = [0.5, 0.5];
    let n = 300;
    let mut rng = hazel::rng::chain_rng(77, 0);
    // draw the state path: with an all-zero log_omega the "posterior" is the prior chain
    let flat = vec![0.0; 2 * n];
    let z = hmm_latent_rng(
        MatRef::new(&flat, 2, n).unwrap(),
        MatRef::new(&gamma, 2, 2).unwrap(),
        &rho,
        &mut rng,
    )
    .unwrap();
    let y: Vec<f64> = z
        .iter()
        .map(|k| mu[*k as usize - 1] + normal(&mut rng))
        .collect();
    let data = serde_json::json!({ "N": n, "y": y }).to_string();
    let src = "data { int N; vector[N] y; }
        parameters { ordered[2] mu; array[2] simplex[2] g; }
        model {
          matrix[2, 2] Gamma;
          matrix[2, N] log_omega;
          for (k in 1:2) Gamma[k] = g[k]';
          for (k in 1:2) log_omega[k] = to_row_vector(-0.5 * square(y - mu[k]));
          mu ~ normal(0, 5);
          target += hmm_marginal(log_omega, Gamma, [0.5, 0.5]');
        }";
    check_recovery(
        src,
        &data,
        &[
            ("mu[1]", mu[0]),
            ("mu[2]", mu[1]),
            ("g[1,1]", gamma[0]),
            ("g[2,2]", gamma[3]),
        ],
        12,
    );
}
