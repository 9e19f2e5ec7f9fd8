//! Semantics of compiled models: log density values against closed forms, `~` versus
//! `target +=`, transforms, truncation, transformed parameters, reject / fatal_error /
//! print, user functions, output and initial values.

mod compile_common;

use compile_common::{build, lp};
use hazel::ad::fd::max_gradient_error;
use hazel::io::stan_json::DataSet;
use hazel::model::{EvalError, LogDensity, Model};
use std::f64::consts::PI;

const EIGHT_Y: [f64; 8] = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0];
const EIGHT_SIGMA: [f64; 8] = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0];
const EIGHT_DATA: &str = r#"{"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12],
  "sigma": [15, 10, 16, 11, 9, 11, 10, 18]}"#;

fn eight_schools(tilde: bool) -> String {
    let body = if tilde {
        "mu ~ normal(0, 5); tau ~ cauchy(0, 5); theta_tilde ~ normal(0, 1); y ~ normal(theta, sigma);"
    } else {
        "target += normal_lpdf(mu | 0, 5); target += cauchy_lpdf(tau | 0, 5);
         target += normal_lpdf(theta_tilde | 0, 1); target += normal_lpdf(y | theta, sigma);"
    };
    format!(
        "data {{ int<lower=0> J; array[J] real y; array[J] real<lower=0> sigma; }}
         parameters {{ real mu; real<lower=0> tau; vector[J] theta_tilde; }}
         transformed parameters {{ vector[J] theta = mu + tau * theta_tilde; }}
         model {{ {body} }}"
    )
}

/// Eight schools, non-centred, with `~` (constants dropped) and the log |J| of tau.
fn eight_schools_propto(x: &[f64]) -> f64 {
    let (mu, tau) = (x[0], x[1].exp());
    let mut lp = -mu * mu / 50.0 - (1.0 + (tau / 5.0).powi(2)).ln() + x[1];
    for j in 0..8 {
        let t = x[2 + j];
        let theta = mu + tau * t;
        lp += -0.5 * t * t - 0.5 * ((EIGHT_Y[j] - theta) / EIGHT_SIGMA[j]).powi(2);
    }
    lp
}

fn point(dim: usize, seed: f64) -> Vec<f64> {
    (0..dim).map(|i| ((i as f64 + 1.0) * seed).sin()).collect()
}

#[test]
fn eight_schools_matches_closed_form_and_target_plus_keeps_constants() {
    let propto = build(&eight_schools(true), EIGHT_DATA).unwrap();
    let full = build(&eight_schools(false), EIGHT_DATA).unwrap();
    let constant =
        -5f64.ln() - 0.5 * (2.0 * PI).ln() - (5.0 * PI).ln() - 8.0 * 0.5 * (2.0 * PI).ln()
            + EIGHT_SIGMA
                .iter()
                .map(|s| -s.ln() - 0.5 * (2.0 * PI).ln())
                .sum::<f64>();
    for seed in [0.3, 1.7, 2.9] {
        let x = point(10, seed);
        let a = lp(&propto, &x).unwrap();
        let want = eight_schools_propto(&x);
        assert!(
            (a - want).abs() < 1e-10 * (1.0 + want.abs()),
            "{a} vs {want}"
        );
        let b = lp(&full, &x).unwrap();
        assert!(
            (b - a - constant).abs() < 1e-9,
            "difference {} vs {constant}",
            b - a
        );
        assert!(max_gradient_error(&full, &x).unwrap() < 1e-6);
    }
}

#[test]
fn output_has_parameters_then_transformed_parameters_then_generated_quantities() {
    let src = std::fs::read_to_string("models/examples/eight_schools_noncentered.stan").unwrap();
    let m = build(&src, EIGHT_DATA).unwrap();
    let names = m.output_names();
    assert_eq!(names[0], "mu");
    assert_eq!(names[1], "tau");
    assert_eq!(names[2], "theta_tilde.1");
    assert_eq!(names[10], "theta.1");
    assert_eq!(names[18], "log_lik.1");
    assert_eq!(names[26], "y_rep.1");
    assert_eq!(names.len(), 34);
    let x = point(10, 0.9);
    let mut rng = hazel::rng::chain_rng(3, 0);
    let mut out = Vec::new();
    m.write_output(&x, &mut rng, &mut out).unwrap();
    assert_eq!(out.len(), 34);
    assert_eq!(out[0], x[0]);
    assert!((out[1] - x[1].exp()).abs() < 1e-15);
    let theta1 = x[0] + x[1].exp() * x[2];
    assert!((out[10] - theta1).abs() < 1e-12);
    let ll1 = -0.5 * ((28.0 - theta1) / 15.0f64).powi(2) - 15f64.ln() - 0.5 * (2.0 * PI).ln();
    assert!((out[18] - ll1).abs() < 1e-10);
    // same chain seed, same draws; another seed, others
    let mut again = Vec::new();
    m.write_output(&x, &mut hazel::rng::chain_rng(3, 0), &mut again)
        .unwrap();
    assert_eq!(out, again);
    let mut other = Vec::new();
    m.write_output(&x, &mut hazel::rng::chain_rng(4, 0), &mut other)
        .unwrap();
    assert_ne!(out[26], other[26]);
}

#[test]
fn matrices_are_output_column_major_with_stan_names() {
    let m = build(
        "parameters { real a; } model { a ~ normal(0, 1); }
         generated quantities { matrix[2, 3] M; array[2] vector[2] v;
           for (i in 1:2) for (j in 1:3) M[i, j] = 10 * i + j;
           v[1] = [1, 2]'; v[2] = [3, 4]'; }",
        "{}",
    )
    .unwrap();
    let names = m.output_names();
    assert_eq!(&names[1..4], ["M.1.1", "M.2.1", "M.1.2"]);
    assert_eq!(&names[7..], ["v.1.1", "v.2.1", "v.1.2", "v.2.2"]);
    let mut out = Vec::new();
    m.write_output(&[0.0], &mut hazel::rng::chain_rng(1, 0), &mut out)
        .unwrap();
    assert_eq!(&out[1..7], [11.0, 21.0, 12.0, 22.0, 13.0, 23.0]);
    assert_eq!(&out[7..], [1.0, 3.0, 2.0, 4.0]);
}

#[test]
fn every_constraint_transform_has_correct_gradients_and_inverts() {
    let src = "parameters {
        real<lower=-1, upper=2> a; real<upper=3> b; real<offset=1, multiplier=2> c;
        simplex[4] s; ordered[3] o; positive_ordered[2] p; unit_vector[3] u;
        cholesky_factor_corr[3] L; cov_matrix[2] S; corr_matrix[2] R; cholesky_factor_cov[3, 2] C;
        array[2] vector<lower=0>[2] v; }
      model {
        a ~ normal(0, 1); b ~ normal(0, 1); c ~ normal(0, 3); s ~ dirichlet(rep_vector(2, 4));
        o ~ normal(0, 2); p ~ exponential(1); L ~ lkj_corr_cholesky(2);
        target += -0.5 * trace(S) - 0.5 * sum(square(to_vector(R))) - 0.5 * sum(square(to_vector(C)));
        for (k in 1:2) v[k] ~ normal(1, 1);
      }";
    let m = build(src, "{}").unwrap();
    for seed in [0.4, 1.3] {
        let x = point(m.dim(), seed);
        let e = max_gradient_error(&m, &x).unwrap();
        assert!(e < 1e-6, "gradient error {e}");
        // constrained values back to the same unconstrained point
        let mut out = Vec::new();
        m.write_output(&x, &mut hazel::rng::chain_rng(1, 0), &mut out)
            .unwrap();
        let names = m.output_names();
        let json = to_json(&names, &out);
        let inits = DataSet::from_json_str(&json, "inits").unwrap();
        let back = m.unconstrain(&inits).unwrap();
        // unit_vector's unconstrained point is only defined up to scale, so compare the
        // constrained values (and the bijective coordinates directly)
        for (i, (p, q)) in x.iter().zip(&back).enumerate().take(11) {
            assert!((p - q).abs() < 1e-8, "coordinate {i}: {p} vs {q}");
        }
        let mut again = Vec::new();
        m.write_output(&back, &mut hazel::rng::chain_rng(1, 0), &mut again)
            .unwrap();
        for (i, (p, q)) in out.iter().zip(&again).enumerate() {
            assert!((p - q).abs() < 1e-8, "{}: {p} vs {q}", names[i]);
        }
    }
}

/// Stan JSON of dotted output columns (scalars, vectors, matrices as arrays of rows,
/// arrays of vectors), enough for the round-trip test.
fn to_json(names: &[String], values: &[f64]) -> String {
    use std::collections::BTreeMap;
    let mut vars: BTreeMap<String, Vec<(Vec<usize>, f64)>> = BTreeMap::new();
    for (n, v) in names.iter().zip(values) {
        let mut parts = n.split('.');
        let name = parts.next().unwrap().to_string();
        let idx = parts.map(|p| p.parse::<usize>().unwrap() - 1).collect();
        vars.entry(name).or_default().push((idx, *v));
    }
    let mut items = Vec::new();
    for (name, entries) in vars {
        let rank = entries[0].0.len();
        let value = if rank == 0 {
            serde_json::json!(entries[0].1)
        } else {
            let mut dims = vec![0; rank];
            for (idx, _) in &entries {
                for (d, i) in dims.iter_mut().zip(idx) {
                    *d = (*d).max(i + 1);
                }
            }
            nest(&entries, &dims, &mut Vec::new())
        };
        items.push(format!("\"{name}\": {value}"));
    }
    format!("{{{}}}", items.join(", "))
}

fn nest(
    entries: &[(Vec<usize>, f64)],
    dims: &[usize],
    prefix: &mut Vec<usize>,
) -> serde_json::Value {
    if prefix.len() == dims.len() {
        let v = entries.iter().find(|(i, _)| i == prefix).unwrap().1;
        return serde_json::json!(v);
    }
    let k = dims[prefix.len()];
    let mut items = Vec::new();
    for i in 0..k {
        prefix.push(i);
        items.push(nest(entries, dims, prefix));
        prefix.pop();
    }
    serde_json::Value::Array(items)
}

#[test]
fn truncation_subtracts_the_log_mass_of_the_interval() {
    let src = "data { real y; } parameters { real mu; }
               model { y ~ normal(mu, 1) T[0, 3]; }";
    let m = build(src, r#"{"y": 1.2}"#).unwrap();
    for mu in [-0.5, 0.7, 2.5] {
        let phi = |z: f64| 0.5 * libm_erfc(-z / 2f64.sqrt());
        let want = -0.5 * (1.2 - mu) * (1.2 - mu) - (phi(3.0 - mu) - phi(-mu)).ln();
        let got = lp(&m, &[mu]).unwrap();
        assert!((got - want).abs() < 1e-9, "mu {mu}: {got} vs {want}");
        assert!(max_gradient_error(&m, &[mu]).unwrap() < 1e-6);
    }
    let lower = build(
        "data { real y; } parameters { real mu; } model { y ~ normal(mu, 1) T[0, ]; }",
        r#"{"y": 1.2}"#,
    )
    .unwrap();
    let mu = 0.4;
    let want = -0.5 * (1.2 - mu) * (1.2 - mu) - (0.5 * libm_erfc(-mu / 2f64.sqrt())).ln();
    assert!((lp(&lower, &[mu]).unwrap() - want).abs() < 1e-9);
    // an outcome outside the truncation interval is impossible
    let outside = build(src, r#"{"y": 3.5}"#).unwrap();
    assert!(lp(&outside, &[0.0]).is_err());
}

/// erfc through statrs (an independent implementation).
fn libm_erfc(x: f64) -> f64 {
    statrs::function::erf::erfc(x)
}

#[test]
fn transformed_parameter_constraint_violation_rejects_the_point() {
    let m = build(
        "parameters { real a; } transformed parameters { real<lower=0> b = a; }
         model { a ~ normal(0, 1); }",
        "{}",
    )
    .unwrap();
    assert!(lp(&m, &[0.5]).is_ok());
    let e = lp(&m, &[-0.5]).unwrap_err();
    assert!(
        matches!(&e, EvalError::Recoverable(msg) if msg.contains('b')),
        "{e:?}"
    );
    let mut out = Vec::new();
    let e = m
        .write_output(&[-0.5], &mut hazel::rng::chain_rng(1, 0), &mut out)
        .unwrap_err();
    assert!(e.is_recoverable());
}

#[test]
fn reject_is_recoverable_and_fatal_error_is_fatal_with_locations() {
    let m = build(
        "data { int n; } parameters { real a; } model { a ~ normal(0, 1); }
         generated quantities { if (n > 0) reject(\"n is \", n); }",
        r#"{"n": 2}"#,
    )
    .unwrap();
    let e = m
        .write_output(&[0.0], &mut hazel::rng::chain_rng(1, 0), &mut Vec::new())
        .unwrap_err();
    assert!(
        matches!(&e, EvalError::Recoverable(msg) if msg.contains("n is 2") && msg.contains("line 2")),
        "{e:?}"
    );
    let m = build(
        "parameters { real a; } model { a ~ normal(0, 1); }
         generated quantities { fatal_error(\"stop\"); }",
        "{}",
    )
    .unwrap();
    let e = m
        .write_output(&[0.0], &mut hazel::rng::chain_rng(1, 0), &mut Vec::new())
        .unwrap_err();
    assert!(
        matches!(&e, EvalError::Fatal(msg) if msg.contains("stop")),
        "{e:?}"
    );
}

#[test]
fn print_is_collected_with_its_location() {
    let m = build(
        "transformed data { int k = 3; } parameters { real a; }
         model { a ~ normal(0, 1); }
         generated quantities { print(\"k = \", k, \", v = \", [1, 2]); }",
        "{}",
    )
    .unwrap();
    let prints = m
        .write_output_with_prints(&[0.0], &mut hazel::rng::chain_rng(1, 0), &mut Vec::new())
        .unwrap();
    assert_eq!(prints.len(), 1);
    assert_eq!(prints[0].text, "k = 3, v = [1,2]");
    assert!(
        prints[0].location.starts_with("line 3"),
        "{}",
        prints[0].location
    );
}

#[test]
fn user_functions_are_inlined_and_recursion_is_refused() {
    let m = build(
        "functions { real sq(real x) { return x * x; } }
         parameters { real a; } model { target += -0.5 * sq(a - 1); }",
        "{}",
    )
    .unwrap();
    assert!((lp(&m, &[3.0]).unwrap() - -2.0).abs() < 1e-12);
    assert!(max_gradient_error(&m, &[0.3]).unwrap() < 1e-7);
    let e = build(
        "functions { real f(real x) { if (x > 10) return x; return f(x + 1); } }
         transformed data { real z = f(1); } parameters { real a; } model { a ~ normal(z, 1); }",
        "{}",
    )
    .unwrap_err();
    assert!(e.contains("recursive call to `f`"), "{e}");
}

#[test]
fn conditions_on_parameters_follow_the_branch_taken_at_each_point() {
    let src = "parameters { real a; real b; }
        model {
          if (a > 0) target += -0.5 * square(a) - b * b; else target += -2 * square(a) - 0.1 * b;
          target += a > b ? -fabs(a - b) : -3 * fabs(a - b);
          while (0) { }
        }";
    let m = build(src, "{}").unwrap();
    assert!(m.is_dynamic());
    assert!(m.dump_tape().contains("dynamic"));
    let want = |a: f64, b: f64| {
        let first = if a > 0.0 {
            -0.5 * a * a - b * b
        } else {
            -2.0 * a * a - 0.1 * b
        };
        first
            + if a > b {
                -(a - b).abs()
            } else {
                -3.0 * (a - b).abs()
            }
    };
    for (a, b) in [(0.7, -0.3), (-0.4, 0.2), (0.5, 1.5), (-1.2, -2.0)] {
        let got = lp(&m, &[a, b]).unwrap();
        assert!(
            (got - want(a, b)).abs() < 1e-12,
            "({a}, {b}): {got} vs {}",
            want(a, b)
        );
        assert!(max_gradient_error(&m, &[a, b]).unwrap() < 1e-7);
    }
    // a static model stays static
    let s = build("parameters { real a; } model { a ~ normal(0, 1); }", "{}").unwrap();
    assert!(!s.is_dynamic());
}

#[test]
fn transformed_data_rng_is_seeded_and_loops_over_data_unroll() {
    let src = "data { int N; vector[N] x; }
       transformed data { real z = normal_rng(0, 1); }
       parameters { real b; }
       model { for (n in 1:N) target += normal_lpdf(x[n] | b * z, 1); }";
    let data = r#"{"N": 3, "x": [0.5, -1, 2]}"#;
    let m1 = build(src, data).unwrap();
    let m2 = build(src, data).unwrap();
    assert_eq!(lp(&m1, &[0.3]).unwrap(), lp(&m2, &[0.3]).unwrap());
    assert!(max_gradient_error(&m1, &[0.3]).unwrap() < 1e-7);
    assert!(m1.dump_tape().contains("normal_lpdf"));
}

#[test]
fn compiled_models_evaluate_on_several_threads_at_once() {
    let m = build(&eight_schools(true), EIGHT_DATA).unwrap();
    let x = point(10, 0.5);
    let want = lp(&m, &x).unwrap();
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                for _ in 0..50 {
                    let mut g = vec![0.0; 10];
                    assert_eq!(m.log_density_and_gradient(&x, &mut g).unwrap(), want);
                }
            });
        }
    });
}

#[test]
fn unconstrain_names_the_parameter_at_fault() {
    let m = build(
        "parameters { real<lower=0> s; simplex[3] t; } model { s ~ exponential(1); }",
        "{}",
    )
    .unwrap();
    let bad = DataSet::from_json_str(r#"{"s": -1, "t": [0.2, 0.3, 0.5]}"#, "i").unwrap();
    let e = m.unconstrain(&bad).unwrap_err().to_string();
    assert!(e.contains("`s`") && e.contains("greater than 0"), "{e}");
    let missing = DataSet::from_json_str(r#"{"s": 1}"#, "i").unwrap();
    let e = m.unconstrain(&missing).unwrap_err().to_string();
    assert!(e.contains("`t`") && e.contains("missing"), "{e}");
    let ok = DataSet::from_json_str(r#"{"s": 2, "t": [0.2, 0.3, 0.5]}"#, "i").unwrap();
    let x = m.unconstrain(&ok).unwrap();
    assert_eq!(x.len(), 3);
    assert!((x[0] - 2f64.ln()).abs() < 1e-15);
}

#[test]
fn container_builtins_lay_out_elements_like_stan() {
    let m = build(
        "parameters { real a; } model { a ~ normal(0, 1); }
         generated quantities {
           matrix[2, 3] R = rep_matrix([1, 2]', 3);
           matrix[3, 2] C = rep_matrix([1, 2], 3);
           vector[4] v = append_row([1, 2]', [3, 4]');
           row_vector[3] r = row(to_matrix([1, 2, 3, 4, 5, 6], 2, 3), 2);
           array[2] real h = head({5.0, 6.0, 7.0}, 2);
           real s = sum(segment([1, 2, 3, 4]', 2, 2));
         }",
        "{}",
    )
    .unwrap();
    let mut out = Vec::new();
    m.write_output(&[0.0], &mut hazel::rng::chain_rng(1, 0), &mut out)
        .unwrap();
    assert_eq!(&out[1..7], [1.0, 2.0, 1.0, 2.0, 1.0, 2.0]);
    assert_eq!(&out[7..13], [1.0, 1.0, 1.0, 2.0, 2.0, 2.0]);
    assert_eq!(&out[13..17], [1.0, 2.0, 3.0, 4.0]);
    assert_eq!(&out[17..20], [2.0, 4.0, 6.0]);
    assert_eq!(&out[20..22], [5.0, 6.0]);
    assert_eq!(out[22], 5.0);
}

#[test]
fn scalar_tilde_statements_in_loops_batch_into_one_op_with_the_same_density() {
    let data = r#"{"N": 4, "y": [0.3, -1.2, 2.2, 0.8], "s": [1, 2, 0.5, 1.5]}"#;
    let head =
        "data { int N; vector[N] y; vector[N] s; } parameters { real mu; real<lower=0> tau; }";
    let looped = build(
        &format!(
            "{head} model {{ for (n in 1:N) {{ y[n] ~ normal(mu, tau * s[n]); y[n] ~ normal(mu, s[n]); }}
                           mu ~ normal(0, 1); tau ~ exponential(1); }}"
        ),
        data,
    )
    .unwrap();
    let vectorised = build(
        &format!(
            "{head} model {{ target += normal_lupdf(y | mu, tau * s); target += normal_lupdf(y | mu, s);
                           target += normal_lupdf(mu | 0, 1); target += exponential_lupdf(tau | 1); }}"
        ),
        data,
    )
    .unwrap();
    for x in [[0.2, -0.3], [-1.0, 0.6]] {
        let (a, b) = (lp(&looped, &x).unwrap(), lp(&vectorised, &x).unwrap());
        assert!((a - b).abs() < 1e-12 * (1.0 + a.abs()), "{a} vs {b}");
        assert!(max_gradient_error(&looped, &x).unwrap() < 1e-7);
    }
    let wells = std::fs::read_to_string("models/examples/wells.stan").unwrap();
    let wells_loop = std::fs::read_to_string("models/examples/wells_loop.stan").unwrap();
    let data = std::fs::read_to_string("data/bench/wells_data.json").unwrap();
    let (v, l) = (
        build(&wells, &data).unwrap(),
        build(&wells_loop, &data).unwrap(),
    );
    let x = point(7, 0.05);
    let (mut gv, mut gl) = (vec![0.0; 7], vec![0.0; 7]);
    let a = v.log_density_and_gradient(&x, &mut gv).unwrap();
    let b = l.log_density_and_gradient(&x, &mut gl).unwrap();
    assert!((a - b).abs() < 1e-9 * a.abs(), "{a} vs {b}");
    for (p, q) in gv.iter().zip(&gl) {
        assert!((p - q).abs() < 1e-8 * (1.0 + p.abs()), "{p} vs {q}");
    }
    // one likelihood op for the whole loop: about two ops per observation remain (the
    // linear predictor), not three
    let n = 3020;
    assert!(l.tape().unwrap().ops().len() < 2 * n + 10);
}

#[test]
fn categorical_families_match_their_definitions() {
    let m = build(
        "data { array[3] int y; array[3] int c; } parameters { vector[3] b; simplex[3] t; }
         model { y ~ categorical_logit(b); y ~ categorical(t); target += multinomial_lpmf(c | t); }",
        r#"{"y": [1, 3, 3], "c": [2, 0, 1]}"#,
    )
    .unwrap();
    let x = [0.3, -0.2, 0.5, 0.1, -0.4];
    let mut out = Vec::new();
    m.write_output(&x, &mut hazel::rng::chain_rng(1, 0), &mut out)
        .unwrap();
    let (b, t) = (&out[..3], &out[3..6]);
    let lse = b.iter().map(|v| v.exp()).sum::<f64>().ln();
    let cat_logit = (b[0] - lse) + 2.0 * (b[2] - lse);
    let cat = t[0].ln() + 2.0 * t[2].ln();
    let multi = (6f64).ln() - 2f64.ln() + 2.0 * t[0].ln() + t[2].ln();
    // the simplex's log |J| is the only other term: take it from a model without likelihood
    let jac = build("parameters { vector[3] b; simplex[3] t; } model { }", "{}").unwrap();
    let got = lp(&m, &x).unwrap() - lp(&jac, &x).unwrap();
    let want = cat_logit + cat + multi;
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    assert!(max_gradient_error(&m, &x).unwrap() < 1e-7);
}
