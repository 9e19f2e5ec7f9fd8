//! Known moments are recovered within 4 MCSE; step size and metric adapt as Stan's do.

use hazel::draws::InvMetric;
use hazel::sampler::{Algorithm, MetricKind, SamplerConfig, sample};
use hazel::testing::moments::{column, column_sum, mean_z, var_z};
use hazel::testing::{CorrelatedGaussian, IidNormal};

fn cfg(seed: u64) -> SamplerConfig {
    SamplerConfig {
        seed,
        ..SamplerConfig::default()
    }
}

#[test]
fn scaled_iid_normal_moments_metric_and_step_size() {
    let model = IidNormal::standard();
    let draws = sample(&model, &cfg(11)).unwrap();
    for (i, s) in model.scales.iter().enumerate() {
        let x = column(&draws, &format!("x.{}", i + 1));
        let zm = mean_z(&x, 0.0);
        let zv = var_z(&x, s * s);
        assert!(zm.abs() < 4.0, "x.{}: mean off by {zm:.2} MCSE", i + 1);
        assert!(zv.abs() < 4.0, "x.{}: variance off by {zv:.2} MCSE", i + 1);
    }
    // The adapted diagonal metric, averaged over chains, is within 20% of the variances.
    for (i, s) in model.scales.iter().enumerate() {
        let mean_inv: f64 = draws
            .chains
            .iter()
            .map(|c| match &c.adaptation.as_ref().unwrap().inv_metric {
                InvMetric::Diag(v) => v[i],
                other => panic!("expected a diagonal metric, got {other:?}"),
            })
            .sum::<f64>()
            / draws.chains.len() as f64;
        let ratio = mean_inv / (s * s);
        assert!(
            (ratio - 1.0).abs() < 0.2,
            "x.{}: metric/variance = {ratio:.3}",
            i + 1
        );
    }
    // With the final (averaged) step size, acceptance is at least δ = 0.8, as in Stan.
    let n = (draws.chains.len() * 1000) as f64;
    let accept = column_sum(&draws, "accept_stat__") / n;
    assert!(
        accept > 0.78 && accept < 0.95,
        "mean accept_stat {accept:.3}"
    );
}

#[test]
fn dual_averaging_reaches_adapt_delta() {
    let model = IidNormal::log_spaced(10, 0.1, 10.0);
    // Mean accept_stat over the terminal warmup buffer (iterations 951..=1000), where
    // dual averaging runs on the final metric, and over the kept draws.
    let run = |delta: f64| {
        let c = SamplerConfig {
            adapt_delta: delta,
            draws: 500,
            save_warmup: true,
            ..cfg(12)
        };
        let d = sample(&model, &c).unwrap();
        let i = d.column_index("accept_stat__").unwrap();
        let late: Vec<f64> = d
            .chains
            .iter()
            .flat_map(|c| c.warmup[i][950..].to_vec())
            .collect();
        let warm = late.iter().sum::<f64>() / late.len() as f64;
        (warm, column_sum(&d, "accept_stat__") / (4.0 * 500.0))
    };
    let (w80, s80) = run(0.8);
    let (w95, s95) = run(0.95);
    eprintln!(
        "delta 0.8: warmup {w80:.3} draws {s80:.3}; delta 0.95: warmup {w95:.3} draws {s95:.3}"
    );
    assert!(
        (w80 - 0.8).abs() < 0.05,
        "δ = 0.8: late warmup accept {w80:.3}"
    );
    assert!(
        (w95 - 0.95).abs() < 0.03,
        "δ = 0.95: late warmup accept {w95:.3}"
    );
    assert!(
        s95 > s80 && s95 > 0.92,
        "draws: {s80:.3} (0.8) vs {s95:.3} (0.95)"
    );
}

fn check_gaussian(model: &CorrelatedGaussian, metric: MetricKind, seed: u64) {
    let c = SamplerConfig {
        metric,
        ..cfg(seed)
    };
    let draws = sample(model, &c).unwrap();
    for i in 0..hazel::model::LogDensity::dim(model) {
        let x = column(&draws, &format!("x.{}", i + 1));
        let zm = mean_z(&x, 0.0);
        let zv = var_z(&x, model.variance(i));
        assert!(zm.abs() < 4.0, "x.{}: mean off by {zm:.2} MCSE", i + 1);
        assert!(zv.abs() < 4.0, "x.{}: variance off by {zv:.2} MCSE", i + 1);
    }
}

#[test]
fn correlated_pair_moments_with_both_metrics() {
    let model = CorrelatedGaussian::pair(0.99);
    check_gaussian(&model, MetricKind::Diag, 13);
    check_gaussian(&model, MetricKind::Dense, 14);
}

#[test]
fn dense50_moments_with_dense_metric() {
    check_gaussian(&CorrelatedGaussian::dense50(), MetricKind::Dense, 15);
}

#[test]
fn static_hmc_recovers_moments() {
    let model = IidNormal::log_spaced(5, 0.5, 2.0);
    let c = SamplerConfig {
        algorithm: Algorithm::StaticHmc {
            integration_time: 2.0,
        },
        ..cfg(16)
    };
    let draws = sample(&model, &c).unwrap();
    for (i, s) in model.scales.iter().enumerate() {
        let x = column(&draws, &format!("x.{}", i + 1));
        assert!(mean_z(&x, 0.0).abs() < 4.0);
        assert!(var_z(&x, s * s).abs() < 4.0);
    }
    assert_eq!(column_sum(&draws, "treedepth__"), 0.0);
}
