//! Same seed ⇒ identical draws whatever the thread count; different seeds differ; the stop
//! flag, warmup saving and progress reporting behave as documented.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use hazel::draws::{ChainDraws, SAMPLER_COLUMNS};
use hazel::sampler::{
    NoProgress, Phase, Progress, ProgressEvent, SamplerConfig, sample, sample_with_sinks,
};
use hazel::testing::EightSchoolsNonCentered;

fn cfg(seed: u64, threads: usize) -> SamplerConfig {
    SamplerConfig {
        seed,
        warmup: 200,
        draws: 200,
        threads: Some(threads),
        ..SamplerConfig::default()
    }
}

#[test]
fn same_seed_same_draws_for_any_thread_count() {
    let model = EightSchoolsNonCentered::bench().unwrap();
    let one = sample(&model, &cfg(42, 1)).unwrap();
    let two = sample(&model, &cfg(42, 2)).unwrap();
    let mut global = cfg(42, 1);
    global.threads = None;
    let any = sample(&model, &global).unwrap();
    assert_eq!(one.columns, two.columns);
    for (a, b) in one.chains.iter().zip(&two.chains) {
        assert_eq!(a.draws, b.draws);
        assert_eq!(a.adaptation, b.adaptation);
    }
    for (a, b) in one.chains.iter().zip(&any.chains) {
        assert_eq!(a.draws, b.draws);
    }
    let other = sample(&model, &cfg(43, 2)).unwrap();
    assert_ne!(one.chains[0].draws, other.chains[0].draws);
    // Chains differ from each other too.
    assert_ne!(one.chains[0].draws, one.chains[1].draws);
}

#[derive(Default)]
struct Recorder(Mutex<Vec<(usize, ProgressEvent)>>);
impl Progress for Recorder {
    fn update(&self, chain: usize, ev: &ProgressEvent) {
        self.0.lock().unwrap().push((chain, *ev));
    }
}

#[test]
fn warmup_rows_progress_and_columns() {
    let model = EightSchoolsNonCentered::bench().unwrap();
    let mut c = cfg(7, 2);
    c.chains = 2;
    c.save_warmup = true;
    let ncol = SAMPLER_COLUMNS.len() + 18;
    let sinks = vec![
        ChainDraws::with_columns(ncol),
        ChainDraws::with_columns(ncol),
    ];
    let rec = Recorder::default();
    let out = sample_with_sinks(&model, &c, sinks, &rec).unwrap();
    assert!(!out.interrupted());
    for ch in &out.chains {
        assert_eq!(ch.sink.warmup[0].len(), 200);
        assert_eq!(ch.sink.num_draws(), 200);
        assert_eq!(ch.counts.draws, 200);
        assert!(ch.counts.grad_evals_warmup > 200 && ch.counts.grad_evals_sampling >= 200);
        // The sampling gradient count equals the summed n_leapfrog__.
        let leapfrogs: f64 = ch.sink.draws[4].iter().sum();
        assert_eq!(leapfrogs as u64, ch.counts.grad_evals_sampling);
        let adapt = ch.adaptation.as_ref().unwrap();
        assert_eq!(ch.sink.draws[2][0], adapt.step_size);
    }
    let events = rec.0.into_inner().unwrap();
    assert_eq!(events.len(), 2 * 400);
    let last = events.iter().rfind(|(k, _)| *k == 1).unwrap().1;
    assert_eq!(
        (last.phase, last.iteration, last.total),
        (Phase::Sampling, 200, 200)
    );
}

#[test]
fn stop_flag_interrupts_chains() {
    let model = EightSchoolsNonCentered::bench().unwrap();
    let stop = Arc::new(AtomicBool::new(true));
    let mut c = cfg(1, 2);
    c.stop = Some(stop.clone());
    let ncol = SAMPLER_COLUMNS.len() + 18;
    let sinks = (0..4).map(|_| ChainDraws::with_columns(ncol)).collect();
    let out = sample_with_sinks(&model, &c, sinks, &NoProgress).unwrap();
    assert!(out.interrupted());
    for ch in &out.chains {
        assert!(ch.sink.interrupted);
        assert_eq!(ch.sink.num_draws(), 0);
    }
    stop.store(false, Ordering::Relaxed);
}
