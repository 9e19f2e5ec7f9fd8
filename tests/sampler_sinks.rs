//! Sinks see every row, their write errors come back as values, and a failing chain still
//! closes its sink as interrupted.

use hazel::draws::{Adaptation, ChainTiming, DrawSink};
use hazel::model::{EvalError, LogDensity, Unconstrained};
use hazel::sampler::{NoProgress, SampleError, SamplerConfig, sample_with_sinks};
use hazel::testing::IidNormal;

/// Counts rows; fails the `fail_at`-th draw when set.
#[derive(Debug, Default)]
struct Counting {
    rows: usize,
    width: usize,
    fail_at: Option<usize>,
    finished: Option<bool>,
}

impl DrawSink for Counting {
    fn warmup_row(&mut self, _row: &[f64]) -> std::io::Result<()> {
        Ok(())
    }
    fn adaptation(&mut self, _a: Option<&Adaptation>) -> std::io::Result<()> {
        Ok(())
    }
    fn draw_row(&mut self, row: &[f64]) -> std::io::Result<()> {
        self.rows += 1;
        self.width = row.len();
        if self.fail_at == Some(self.rows) {
            return Err(std::io::Error::other("disk full"));
        }
        Ok(())
    }
    fn finish(&mut self, _t: &ChainTiming, interrupted: bool) -> std::io::Result<()> {
        self.finished = Some(interrupted);
        Ok(())
    }
}

fn cfg(chains: usize) -> SamplerConfig {
    SamplerConfig {
        chains,
        warmup: 100,
        draws: 50,
        seed: 3,
        ..SamplerConfig::default()
    }
}

#[test]
fn rows_are_stats_then_outputs() {
    let model = IidNormal::log_spaced(3, 1.0, 2.0);
    let sinks = vec![Counting::default(), Counting::default()];
    let out = sample_with_sinks(&model, &cfg(2), sinks, &NoProgress).unwrap();
    for c in &out.chains {
        assert_eq!(
            (c.sink.rows, c.sink.width, c.sink.finished),
            (50, 7 + 3, Some(false))
        );
    }
}

#[test]
fn write_errors_are_returned() {
    let model = IidNormal::log_spaced(3, 1.0, 2.0);
    let sinks = vec![
        Counting::default(),
        Counting {
            fail_at: Some(10),
            ..Counting::default()
        },
    ];
    let err = sample_with_sinks(&model, &cfg(2), sinks, &NoProgress).unwrap_err();
    assert!(matches!(err, SampleError::Sink { chain: 2, .. }), "{err}");
    assert!(err.to_string().contains("disk full"));
    let err = sample_with_sinks(&model, &cfg(2), vec![Counting::default()], &NoProgress);
    assert!(matches!(err, Err(SampleError::Config(m)) if m.contains("1 sinks")));
}

/// Fails fatally after a number of evaluations (one chain's worth is enough).
struct FailsLate;
impl LogDensity for FailsLate {
    fn dim(&self) -> usize {
        1
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        g[0] = -x[0];
        if x[0].abs() > 2.5 {
            return Err(EvalError::Fatal("model bug".into()));
        }
        Ok(-0.5 * x[0] * x[0])
    }
}

#[test]
fn failing_chains_close_their_sinks() {
    use std::sync::{Arc, Mutex};
    #[derive(Debug)]
    struct Shared(Arc<Mutex<Option<bool>>>);
    impl DrawSink for Shared {
        fn warmup_row(&mut self, _: &[f64]) -> std::io::Result<()> {
            Ok(())
        }
        fn adaptation(&mut self, _: Option<&Adaptation>) -> std::io::Result<()> {
            Ok(())
        }
        fn draw_row(&mut self, _: &[f64]) -> std::io::Result<()> {
            Ok(())
        }
        fn finish(&mut self, _: &ChainTiming, interrupted: bool) -> std::io::Result<()> {
            *self.0.lock().unwrap() = Some(interrupted);
            Ok(())
        }
    }
    let flag = Arc::new(Mutex::new(None));
    let c = SamplerConfig {
        chains: 1,
        warmup: 1000,
        draws: 1000,
        seed: 4,
        ..SamplerConfig::default()
    };
    let err = sample_with_sinks(
        &Unconstrained::new(FailsLate),
        &c,
        vec![Shared(flag.clone())],
        &NoProgress,
    )
    .unwrap_err();
    assert!(err.to_string().contains("model bug"), "{err}");
    assert_eq!(*flag.lock().unwrap(), Some(true));
}
