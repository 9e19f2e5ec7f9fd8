//! `print` and `reject` in the log density (transformed parameters and the model block):
//! a print shows the values of every evaluation (not only the trace), once per
//! evaluation, with its location, in static and dynamic (branching) models alike, and
//! without changing the density or its gradient; a `reject` rejects every evaluation at
//! which its condition holds, and only those.

mod compile_common;

use compile_common::{build, lp};
use hazel::ad::fd::max_gradient_error;
use hazel::compile::{CompiledModel, Printed};
use hazel::model::{EvalError, LogDensity};

fn evaluate(m: &CompiledModel, x: &[f64]) -> Result<(f64, Vec<f64>), EvalError> {
    let mut g = vec![0.0; m.dim()];
    let v = m.log_density_and_gradient(x, &mut g)?;
    Ok((v, g))
}

fn texts(p: &[Printed]) -> Vec<&str> {
    p.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn model_block_print_shows_each_evaluations_values() {
    let m = build(
        "data { int N; } parameters { real mu; vector[2] v; }
         transformed parameters { real s = exp(mu); print(\"s = \", s); }
         model { print(\"mu = \", mu, \", v = \", v, \", N = \", N);
                 mu ~ normal(0, 1); v ~ normal(0, 1); }",
        r#"{"N": 3}"#,
    )
    .unwrap();
    assert!(!m.is_dynamic());
    m.print_sink().capture();
    assert!(
        m.print_sink().take().is_empty(),
        "nothing printed at trace time"
    );
    for x in [[0.5, 1.0, 2.0], [-1.5, 0.0, 0.25]] {
        evaluate(&m, &x).unwrap();
        let p = m.print_sink().take();
        assert_eq!(
            texts(&p),
            [
                format!("s = {}", x[0].exp()),
                format!("mu = {}, v = [{},{}], N = 3", x[0], x[1], x[2])
            ],
        );
        assert!(p[0].location.starts_with("line 2"), "{}", p[0].location);
        assert!(p[1].location.starts_with("line 3"), "{}", p[1].location);
    }
}

#[test]
fn a_print_of_data_only_still_prints_at_every_evaluation() {
    let m = build(
        "parameters { real mu; } model { print(\"hello\"); mu ~ normal(0, 1); }",
        "{}",
    )
    .unwrap();
    m.print_sink().capture();
    for _ in 0..3 {
        lp(&m, &[0.1]).unwrap();
    }
    assert_eq!(texts(&m.print_sink().take()), ["hello"; 3]);
}

#[test]
fn print_changes_neither_the_density_nor_its_gradient() {
    let body = "mu ~ normal(1, 2); target += -square(v[1] * mu);";
    let decls = "parameters { real mu; vector[2] v; }";
    let plain = build(&format!("{decls} model {{ {body} }}"), "{}").unwrap();
    let printing = build(
        &format!("{decls} model {{ print(mu, v); {body} print(target()); }}"),
        "{}",
    )
    .unwrap();
    printing.print_sink().capture();
    let x = [0.3, -0.7, 1.1];
    let (a, ga) = evaluate(&plain, &x).unwrap();
    let (b, gb) = evaluate(&printing, &x).unwrap();
    assert_eq!(a, b);
    assert_eq!(ga, gb);
    assert!(max_gradient_error(&printing, &x).unwrap() < 1e-7);
}

#[test]
fn dynamic_models_print_once_per_evaluation_on_the_branch_taken() {
    let m = build(
        "parameters { real mu; }
         model { if (mu > 0) print(\"positive \", mu); else print(\"negative \", mu);
                 mu ~ normal(0, 1); }",
        "{}",
    )
    .unwrap();
    assert!(m.is_dynamic());
    m.print_sink().capture();
    for x in [0.5, -0.25, 0.75, 0.5] {
        evaluate(&m, &[x]).unwrap();
        let p = m.print_sink().take();
        let sign = if x > 0.0 { "positive" } else { "negative" };
        assert_eq!(texts(&p), [format!("{sign} {x}")]);
    }
}

#[test]
fn model_block_reject_rejects_every_evaluation_where_its_condition_holds() {
    for model in [
        "parameters { real mu; }
         model { if (mu > 1) reject(\"mu too big: \", mu); mu ~ normal(0, 1); }",
        // through a user function, and after a print that must still show
        "functions { void guard(real x) { if (x > 1) reject(\"mu too big: \", x); } }
         parameters { real mu; } model { print(\"at \", mu); guard(mu); mu ~ normal(0, 1); }",
    ] {
        let m = build(model, "{}").unwrap();
        m.print_sink().capture();
        for (x, rejected) in [(2.0, true), (0.0, false), (3.5, true), (0.9, false)] {
            match evaluate(&m, &[x]) {
                Err(EvalError::Recoverable(msg)) => {
                    assert!(rejected, "{x}: {msg}");
                    assert!(msg.contains(&format!("mu too big: {x}")), "{msg}");
                    assert!(msg.contains("line "), "{msg}");
                }
                Ok((v, _)) => {
                    assert!(!rejected, "{x} was not rejected");
                    assert!((v + 0.5 * x * x).abs() < 1e-12);
                }
                Err(e) => panic!("{x}: {e:?}"),
            }
        }
        let p = m.print_sink().take();
        if model.contains("print") {
            assert_eq!(texts(&p), ["at 2", "at 0", "at 3.5", "at 0.9"]);
        }
    }
}

#[test]
fn an_unconditional_reject_in_the_model_block_is_reported_with_its_location() {
    let e = build(
        "parameters { real mu; } model { reject(\"always\"); }",
        "{}",
    )
    .unwrap_err();
    assert!(e.contains("always") && e.contains("line 1"), "{e}");
}

/// Largest accepted |posterior mean - truth| in Monte Carlo standard errors.
const MCSE_BOUND: f64 = 4.0;

#[test]
fn nuts_never_keeps_a_draw_the_model_block_rejects() {
    // normal(0, 1) with every mu > 1 rejected: the normal truncated to (-inf, 1], whose
    // mean is -phi(1) / Phi(1)
    let m = build(
        "parameters { real mu; }
         model { mu ~ normal(0, 1); if (mu > 1) reject(\"mu above 1: \", mu); }",
        "{}",
    )
    .unwrap();
    let config = hazel::sampler::SamplerConfig {
        chains: 2,
        warmup: 500,
        draws: 1000,
        seed: 17,
        ..hazel::sampler::SamplerConfig::default()
    };
    let fit = hazel::fit::Fit::sample(&m, &config).unwrap();
    let col = fit.draws.column_index("mu").expect("mu column");
    let draws: Vec<f64> = fit.draws.column(col).concat();
    let above = draws.iter().filter(|&&x| x > 1.0).count();
    assert_eq!(above, 0, "{above} draws above the rejection bound");
    let row = fit.summary().unwrap();
    let row = row.rows.iter().find(|r| r.variable == "mu").unwrap();
    let phi1 = (-0.5f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let truth = -phi1 / hazel::math::normal::phi(1.0);
    let z = (row.mean - truth) / row.mcse_mean;
    eprintln!(
        "rejected above 1: mean {:.4} (truth {truth:.4}, mcse {:.4}, z {z:.2}), max draw {:.4}",
        row.mean,
        row.mcse_mean,
        draws.iter().copied().fold(f64::MIN, f64::max)
    );
    assert!(z.abs() < MCSE_BOUND, "z = {z}");
}
