//! Hard geometry is reported, not hidden: the funnel and centered eight schools diverge,
//! dense metrics beat diagonal ones on correlated targets, and failing densities never
//! crash the sampler.

use hazel::model::{EvalError, LogDensity, Unconstrained};
use hazel::sampler::{Init, MetricKind, SampleError, SamplerConfig, sample};
use hazel::testing::ess::ess;
use hazel::testing::moments::{column, column_sum};
use hazel::testing::{CorrelatedGaussian, EightSchoolsCentered, Funnel};

fn cfg(seed: u64) -> SamplerConfig {
    SamplerConfig {
        seed,
        ..SamplerConfig::default()
    }
}

#[test]
fn funnel_and_centered_eight_schools_report_divergences() {
    let funnel = sample(&Funnel::default(), &cfg(21)).unwrap();
    let schools = sample(&EightSchoolsCentered::bench().unwrap(), &cfg(22)).unwrap();
    let nf = column_sum(&funnel, "divergent__");
    let ns = column_sum(&schools, "divergent__");
    eprintln!("divergences: funnel {nf}, centered eight schools {ns}");
    assert!(nf > 10.0, "funnel: {nf} divergences");
    assert!(ns > 10.0, "centered eight schools: {ns} divergences");
}

/// Kept-draw leapfrog steps per effective sample of the worst coordinate.
fn leapfrogs_per_ess(model: &CorrelatedGaussian, metric: MetricKind, seed: u64) -> f64 {
    let c = SamplerConfig {
        metric,
        ..cfg(seed)
    };
    let d = sample(model, &c).unwrap();
    let min_ess = (1..=model.dim())
        .map(|i| ess(&column(&d, &format!("x.{i}"))))
        .fold(f64::INFINITY, f64::min);
    column_sum(&d, "n_leapfrog__") / min_ess
}

#[test]
fn dense_metric_beats_diagonal_on_correlated_targets() {
    for (model, seed) in [
        (CorrelatedGaussian::pair(0.99), 31),
        (CorrelatedGaussian::dense50(), 32),
    ] {
        let diag = leapfrogs_per_ess(&model, MetricKind::Diag, seed);
        let dense = leapfrogs_per_ess(&model, MetricKind::Dense, seed);
        eprintln!(
            "d = {}: leapfrogs per ESS dense {dense:.1}, diag {diag:.1}",
            model.dim()
        );
        assert!(
            dense * 2.0 < diag,
            "d = {}: dense {dense:.1} vs diag {diag:.1} leapfrogs per ESS",
            model.dim()
        );
    }
}

/// A standard normal whose density is NaN (or a recoverable error) for x₁ > 1.
struct Truncated {
    nan: bool,
}
impl LogDensity for Truncated {
    fn dim(&self) -> usize {
        2
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        g[0] = -x[0];
        g[1] = -x[1];
        if x[0] > 1.0 {
            if self.nan {
                return Ok(f64::NAN);
            }
            return Err(EvalError::Recoverable("x.1 > 1".into()));
        }
        Ok(-0.5 * (x[0] * x[0] + x[1] * x[1]))
    }
}

#[test]
fn nan_and_error_regions_do_not_crash() {
    for nan in [true, false] {
        let model = Unconstrained::new(Truncated { nan });
        let d = sample(&model, &cfg(41)).unwrap();
        let x1 = column(&d, "x.1");
        assert!(x1.iter().all(|c| c.iter().all(|v| *v <= 1.0)));
        // The truncation shows up as divergences.
        assert!(column_sum(&d, "divergent__") > 0.0);
        // The truncated standard normal's mean, E[x | x ≤ 1] = −φ(1)/Φ(1) ≈ −0.2876.
        let all: Vec<f64> = x1.iter().flat_map(|c| c.iter().copied()).collect();
        let m = all.iter().sum::<f64>() / all.len() as f64;
        assert!((m + 0.2876).abs() < 0.1, "mean {m}");
    }
}

struct Broken;
impl LogDensity for Broken {
    fn dim(&self) -> usize {
        1
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        g[0] = -x[0];
        if x[0] > 3.0 {
            return Err(EvalError::Fatal("index 7 out of range in data".into()));
        }
        Ok(-0.5 * x[0] * x[0] / 100.0)
    }
}

#[test]
fn fatal_errors_stop_the_run_with_the_message() {
    let err = sample(&Unconstrained::new(Broken), &cfg(51)).unwrap_err();
    assert!(matches!(err, SampleError::Fatal { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("index 7 out of range") && msg.contains("chain"),
        "{msg}"
    );
}

#[test]
fn impossible_inits_say_what_failed() {
    let c = SamplerConfig {
        init: Init::Given(vec![vec![2.0, 0.0]]),
        ..cfg(61)
    };
    let err = sample(&Unconstrained::new(Truncated { nan: false }), &c).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("chain 1") && msg.contains("x.1 > 1"), "{msg}");
    let c = SamplerConfig {
        chains: 3,
        init: Init::Given(vec![vec![0.0, 0.0]; 2]),
        ..cfg(61)
    };
    let err = sample(&Unconstrained::new(Truncated { nan: false }), &c).unwrap_err();
    assert!(matches!(err, SampleError::Config(_)), "{err}");
}
