//! The flagship models recover known decay parameters: data simulated from the power-law
//! model's own generative process (known exponents, a known genre effect, Student-t noise)
//! are fitted with NUTS through the Rust API; the posterior must cover the truth (within
//! a few posterior standard deviations) and PSIS-LOO must prefer the power law over the
//! exponential form fitted to the same data.

use hazel::fit::{Fit, compile_source};
use hazel::io::stan_json::{DataSet, DataValue};
use hazel::sampler::SamplerConfig;
use rand_distr::{Distribution, StudentT};
use std::collections::BTreeMap;

/// Layers, heads per layer, passages per source; six sources, three per genre.
const LAYERS: usize = 4;
const HEADS_PER_LAYER: usize = 4;
const PER_SOURCE: usize = 2;
const SOURCES: usize = 6;
/// The distances of data/attention/attention_decay.parquet.
const GRID: [f64; 12] = [
    1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 48.0, 64.0,
];

/// The truth.
const MU_LOG_ALPHA: f64 = -0.5;
const LAYER_EFFECT: [f64; LAYERS] = [-0.4, 0.0, 0.45, 0.2];
const BETA_GENRE: f64 = 0.2;
/// Residual scale of a typical head; heads differ by up to a factor e^0.4 either way, as
/// the real heads do (so the model's per-head scales have something to pool).
const SIGMA: f64 = 0.3;
const NU: f64 = 8.0;

/// Posterior standard deviations the truth may lie from the posterior mean: a 4-sd miss
/// has probability 6e-5 under a normal posterior, so a failure means the model or the
/// sampler is wrong, not bad luck.
const SDS: f64 = 4.0;

fn ints(v: Vec<usize>) -> DataValue {
    DataValue {
        dims: vec![v.len()],
        values: v.into_iter().map(|x| x as f64).collect(),
        all_int: true,
        source: "simulated".into(),
    }
}

fn int(v: usize) -> DataValue {
    let mut d = ints(vec![v]);
    d.dims.clear();
    d
}

fn reals(v: Vec<f64>) -> DataValue {
    DataValue {
        dims: vec![v.len()],
        values: v,
        all_int: false,
        source: "simulated".into(),
    }
}

/// Data from the power model with fixed head, source and passage deviations.
fn simulate(seed: u64) -> DataSet {
    let heads = LAYERS * HEADS_PER_LAYER;
    let passages = SOURCES * PER_SOURCE;
    let mut rng = hazel::rng::chain_rng(seed, 0);
    let noise = StudentT::new(NU).expect("nu > 0");
    // sources 1..3 conversation, 4..6 technical
    let conversation: Vec<usize> = (0..SOURCES).map(|s| usize::from(s < 3)).collect();
    let source: Vec<usize> = (0..passages).map(|p| p / PER_SOURCE + 1).collect();
    let head_dev = |h: usize| 0.15 * ((h as f64 * 2.3).sin());
    let level_of = |h: usize| -4.0 + 0.5 * ((h as f64 * 1.7).cos());
    let source_dev = |s: usize| 0.04 * ((s as f64 * 3.1).sin());
    let passage_dev = |p: usize| 0.1 * ((p as f64 * 0.9).cos());
    let passage_level = |p: usize| 0.1 * ((p as f64 * 1.3).sin());
    let ref_x = GRID.iter().map(|d| d.ln()).sum::<f64>() / GRID.len() as f64;
    let (mut curve, mut curve_head, mut curve_passage) = (vec![], vec![], vec![]);
    let (mut distance, mut attn, mut distance_index) = (vec![], vec![], vec![]);
    for (p, &src) in source.iter().enumerate() {
        let s = src - 1;
        let g = conversation[s] as f64 - 0.5;
        for h in 0..heads {
            let layer = h / HEADS_PER_LAYER;
            let log_alpha = MU_LOG_ALPHA
                + LAYER_EFFECT[layer]
                + head_dev(h)
                + BETA_GENRE * g
                + source_dev(s)
                + passage_dev(p);
            curve_head.push(h + 1);
            curve_passage.push(p + 1);
            for (k, d) in GRID.iter().enumerate() {
                let mu = level_of(h) + passage_level(p) - log_alpha.exp() * (d.ln() - ref_x);
                let sigma = SIGMA * (0.4 * (h as f64 * 1.1).sin()).exp();
                let y = mu + sigma * noise.sample(&mut rng);
                curve.push(curve_head.len());
                distance.push(*d);
                attn.push(y.exp());
                distance_index.push(k + 1);
            }
        }
    }
    let mut vars = BTreeMap::new();
    vars.insert("N".into(), int(curve.len()));
    vars.insert("L".into(), int(LAYERS));
    vars.insert("H".into(), int(heads));
    vars.insert("S".into(), int(SOURCES));
    vars.insert("P".into(), int(passages));
    vars.insert("C".into(), int(curve_head.len()));
    vars.insert("D".into(), int(GRID.len()));
    vars.insert("curve".into(), ints(curve));
    vars.insert("curve_head".into(), ints(curve_head));
    vars.insert("curve_passage".into(), ints(curve_passage));
    vars.insert("distance".into(), reals(distance));
    vars.insert("attn".into(), reals(attn));
    vars.insert(
        "layer".into(),
        ints((0..heads).map(|h| h / HEADS_PER_LAYER + 1).collect()),
    );
    vars.insert("source".into(), ints(source));
    vars.insert("conversation".into(), ints(conversation));
    vars.insert("grid".into(), reals(GRID.to_vec()));
    vars.insert("distance_index".into(), ints(distance_index));
    DataSet { vars }
}

fn fit(form: &str, data: &DataSet) -> Fit {
    let path = format!("models/attention_decay_{form}.stan");
    let src = std::fs::read_to_string(&path).expect("model file");
    let model = compile_source(&path, &src, data, 1).expect("compiles");
    let config = SamplerConfig {
        warmup: 500,
        draws: 1000,
        seed: 20261128,
        adapt_delta: 0.95,
        ..SamplerConfig::default()
    };
    Fit::sample(&model, &config).expect("samples")
}

/// (mean, sd) of the pooled draws of `name`.
fn moments(fit: &Fit, name: &str) -> (f64, f64) {
    let i = fit.draws.column_index(name).expect("column");
    let v = fit.draws.column(i).concat();
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, var.sqrt())
}

fn assert_covers(fit: &Fit, name: &str, truth: f64) {
    let (m, sd) = moments(fit, name);
    eprintln!("{name}: posterior {m:.4} ± {sd:.4}, truth {truth:.4}");
    assert!(
        (m - truth).abs() < SDS * sd,
        "{name}: posterior mean {m} is {:.1} sd from the truth {truth}",
        (m - truth).abs() / sd
    );
}

#[test]
fn the_power_model_recovers_the_decay_and_loo_prefers_it() {
    let data = simulate(11);
    let power = fit("power", &data);
    let summary = power.summary().expect("summary");
    // Below 1.02 everywhere: a wrong sampler or gradient gives R-hat far above that; the
    // head, source and genre terms share a weakly identified direction (a shift of every
    // head against every source) along which 4 x 1000 draws can leave R-hat a little
    // above 1.01 (README, "the attention-decay study").
    let bad: Vec<String> = summary
        .rows
        .iter()
        .filter(|r| r.rhat.is_nan() || r.rhat >= 1.02)
        .map(|r| format!("{} {:.3}", r.variable, r.rhat))
        .collect();
    assert!(bad.is_empty(), "R-hat too large: {}", bad.join(", "));
    // The simulated source scale is small (about 0.03 on the log scale), a mild funnel for
    // the non-centred source effects: a handful of divergences in 4,000 draws can occur
    // there; a wrong gradient or integrator diverges far more often.
    let divergent = summary.sampler.divergences.expect("divergences counted");
    assert!(
        divergent * 1000 <= summary.sampler.total_draws,
        "{divergent} divergent transitions in {} draws",
        summary.sampler.total_draws
    );
    assert_covers(&power, "beta_genre", BETA_GENRE);
    assert_covers(&power, "genre_ratio", BETA_GENRE.exp());
    for (k, e) in LAYER_EFFECT.iter().enumerate() {
        // the layer means of the simulated heads (their deviations average over each layer)
        let heads = k * HEADS_PER_LAYER..(k + 1) * HEADS_PER_LAYER;
        let dev =
            heads.map(|h| 0.15 * ((h as f64 * 2.3).sin())).sum::<f64>() / HEADS_PER_LAYER as f64;
        let (m, sd) = moments(&power, &format!("log_alpha_layer[{}]", k + 1));
        let truth = MU_LOG_ALPHA + e + dev;
        eprintln!(
            "log_alpha_layer[{}]: {m:.3} ± {sd:.3}, heads' mean {truth:.3}",
            k + 1
        );
        // the layer mean is estimated from four heads around it: allow their spread too
        assert!(
            (m - truth).abs() < SDS * sd + 0.2,
            "layer {}: {m} vs {truth}",
            k + 1
        );
    }
    assert_covers(&power, "nu", NU);
    let exponential = fit("exponential", &data);
    let loo_p = power.loo("log_lik").expect("loo");
    let loo_e = exponential.loo("log_lik").expect("loo");
    let rows = hazel::loo::compare(&[("power", &loo_p), ("exponential", &loo_e)]).expect("compare");
    eprintln!(
        "elpd power {:.1}, exponential {:.1}, difference {:.1} (SE {:.1})",
        loo_p.elpd_loo, loo_e.elpd_loo, rows[1].elpd_diff, rows[1].diff_se
    );
    assert_eq!(rows[0].name, "power");
    assert!(
        rows[1].elpd_diff > 4.0 * rows[1].diff_se,
        "power law preferred by only {:.1} (SE {:.1})",
        rows[1].elpd_diff,
        rows[1].diff_se
    );
}
