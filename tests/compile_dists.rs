//! Whole models over the ordinal, multivariate Student-t, Wishart and HMM families and the
//! sorting functions, compiled from Stan source: log density values against independent
//! computations (closed forms, brute-force path enumeration, the distribution library
//! called directly), gradients against central finite differences, and argument errors.

mod compile_common;

use compile_common::{GRADIENT_TOLERANCE, build, gradient_error, lp};
use hazel::compile::CompiledModel;
use hazel::dist::Arg;
use hazel::dist::ordered::{Link, ordered_lpmf};
use hazel::model::{LogDensity, Model};
use rand::RngExt;
use std::f64::consts::PI;

/// Random unconstrained points per gradient check.
const POINTS: usize = 4;

/// The model's gradient agrees with central differences at a few random points in
/// [-1, 1]^dim (fixed seed); returns the worst error.
fn check_gradient(m: &CompiledModel, seed: u64) -> f64 {
    let worst = gradient_error(m, seed, POINTS).unwrap();
    assert!(worst < GRADIENT_TOLERANCE, "gradient error {worst}");
    worst
}

const ORDINAL: &str =
    r#"{"N": 6, "K": 4, "y": [1, 2, 4, 3, 2, 4], "x": [-1.0, -0.3, 1.2, 0.4, 0.1, 2.0]}"#;

fn ordinal_model(family: &str, stmt: &str) -> String {
    format!(
        "data {{ int N; int K; array[N] int y; vector[N] x; }}
         parameters {{ real beta; ordered[K - 1] c; }}
         model {{ beta ~ normal(0, 2); {} }}",
        stmt.replace("FAM", family)
    )
}

/// The ordered transform: c₁ = x₁, cₖ = cₖ₋₁ + exp(xₖ).
fn ordered_of(x: &[f64]) -> Vec<f64> {
    let mut c = vec![x[0]];
    for v in &x[1..] {
        c.push(c.last().unwrap() + v.exp());
    }
    c
}

#[test]
fn ordinal_regressions_match_the_library_and_their_gradients() {
    let y = [1i64, 2, 4, 3, 2, 4];
    let xs = [-1.0, -0.3, 1.2, 0.4, 0.1, 2.0];
    for (family, link) in [
        ("ordered_logistic", Link::Logit),
        ("ordered_probit", Link::Probit),
    ] {
        let tilde = build(&ordinal_model(family, "y ~ FAM(x * beta, c);"), ORDINAL).unwrap();
        let plus = build(
            &ordinal_model(family, "target += FAM_lpmf(y | x * beta, c);"),
            ORDINAL,
        )
        .unwrap();
        let looped = build(
            &ordinal_model(family, "for (n in 1:N) y[n] ~ FAM(x[n] * beta, c);"),
            ORDINAL,
        )
        .unwrap();
        for seed in [0.4, 1.3] {
            let x: Vec<f64> = (0..4).map(|i| ((i as f64 + 1.0) * seed).sin()).collect();
            let c = ordered_of(&x[1..]);
            let eta: Vec<f64> = xs.iter().map(|v| v * x[0]).collect();
            let want = ordered_lpmf(link, &y, Arg::Vector(&eta), &c, 3, false, None, None).unwrap()
                - x[0] * x[0] / 8.0
                + x[2]
                + x[3];
            let got = lp(&tilde, &x).unwrap();
            assert!((got - want).abs() < 1e-10, "{family}: {got} vs {want}");
            assert!((lp(&plus, &x).unwrap() - got).abs() < 1e-10);
            assert!((lp(&looped, &x).unwrap() - got).abs() < 1e-10);
        }
        for m in [&tilde, &plus, &looped] {
            check_gradient(m, 3);
        }
    }
}

#[test]
fn ordinal_with_cutpoints_per_outcome_and_argument_errors() {
    let src = "data { int N; array[N] int y; vector[N] x; }
         parameters { real beta; array[N] ordered[3] c; }
         model { y ~ ordered_logistic(x * beta, c); }";
    let data = r#"{"N": 3, "y": [1, 4, 2], "x": [0.5, -1.0, 2.0]}"#;
    let m = build(src, data).unwrap();
    check_gradient(&m, 5);
    // an outcome outside 1..=K names the argument and the value
    let bad = r#"{"N": 6, "K": 4, "y": [1, 2, 5, 3, 2, 4], "x": [-1.0, -0.3, 1.2, 0.4, 0.1, 2.0]}"#;
    let m = build(
        &ordinal_model("ordered_logistic", "y ~ FAM(x * beta, c);"),
        bad,
    )
    .unwrap();
    let e = lp(&m, &[0.1; 4]).unwrap_err().to_string();
    assert!(e.contains("y[3] is 5") && e.contains("1..=K"), "{e}");
    // cutpoints given as data that are not increasing
    let src = "data { vector[3] c; } parameters { real eta; }
               model { 2 ~ ordered_probit(eta, c); }";
    let m = build(src, r#"{"c": [0.0, 1.0, 0.5]}"#).unwrap();
    let e = lp(&m, &[0.1]).unwrap_err().to_string();
    assert!(e.contains("c[3]") && e.contains("previous cutpoint"), "{e}");
}

const MST: &str = "data { int K; int N; array[N] vector[K] y; }
     parameters { real<lower=0> nu; vector[K] mu; cov_matrix[K] Sigma; }
     model { nu ~ gamma(2, 0.1); y ~ multi_student_t(nu, mu, Sigma); }";

#[test]
fn multi_student_t_reduces_to_student_t_and_has_exact_gradients() {
    // K = 1: the same density as student_t(y | nu, mu, sqrt(Sigma)), constants and all
    let one = "data { real y; } parameters { real<lower=0> nu; real mu; real<lower=0> s; }
        model { target += multi_student_t_lpdf([y]' | nu, [mu]', [[s^2]]); }";
    let uni = "data { real y; } parameters { real<lower=0> nu; real mu; real<lower=0> s; }
        model { target += student_t_lpdf(y | nu, mu, s); }";
    let (m1, m2) = (
        build(one, r#"{"y": 0.7}"#).unwrap(),
        build(uni, r#"{"y": 0.7}"#).unwrap(),
    );
    for x in [[0.3, -0.2, 0.1], [1.5, 0.8, -0.6]] {
        let (a, b) = (lp(&m1, &x).unwrap(), lp(&m2, &x).unwrap());
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    check_gradient(&m1, 1);
    let data = r#"{"K": 3, "N": 4, "y": [[0.1, -0.5, 1.0], [1.2, 0.3, -0.4],
        [-0.8, 0.9, 0.2], [0.0, 0.0, 2.0]]}"#;
    let m = build(MST, data).unwrap();
    let worst = check_gradient(&m, 2);
    eprintln!(
        "multi_student_t: dim {}, max gradient error {worst:.2e}",
        m.dim()
    );
    // as nu grows the density approaches the multivariate normal
    let big = "data { vector[2] y; } parameters { vector[2] mu; }
        model { target += multi_student_t_lpdf(y | 1e7, mu, [[2, 0.5], [0.5, 1]]); }";
    let mvn = "data { vector[2] y; } parameters { vector[2] mu; }
        model { target += multi_normal_lpdf(y | mu, [[2, 0.5], [0.5, 1]]); }";
    let d = r#"{"y": [0.4, -1.1]}"#;
    let (a, b) = (
        lp(&build(big, d).unwrap(), &[0.2, 0.3]).unwrap(),
        lp(&build(mvn, d).unwrap(), &[0.2, 0.3]).unwrap(),
    );
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
}

/// log Γ₂(a) = log π / 2 + log Γ(a) + log Γ(a − 1/2).
fn lmgamma2(a: f64) -> f64 {
    0.5 * PI.ln()
        + statrs::function::gamma::ln_gamma(a)
        + statrs::function::gamma::ln_gamma(a - 0.5)
}

fn det2(m: [f64; 4]) -> f64 {
    m[0] * m[3] - m[1] * m[2]
}

fn inv2(m: [f64; 4]) -> [f64; 4] {
    let d = det2(m);
    [m[3] / d, -m[1] / d, -m[2] / d, m[0] / d]
}

/// tr(A B) for 2 x 2 column-major matrices.
fn tr_prod(a: [f64; 4], b: [f64; 4]) -> f64 {
    a[0] * b[0] + a[2] * b[1] + a[1] * b[2] + a[3] * b[3]
}

#[test]
fn wishart_families_match_the_textbook_formula() {
    let src = "data { matrix[2, 2] W; matrix[2, 2] S; real nu; }
        parameters { real a; }
        model { a ~ normal(0, 1); target += wishart_lpdf(W | nu, S) + inv_wishart_lpdf(W | nu, S); }";
    let (w, s, nu) = ([2.0, 0.5, 0.5, 1.0], [1.5, -0.3, -0.3, 0.8], 4.5);
    let data = r#"{"W": [[2, 0.5], [0.5, 1]], "S": [[1.5, -0.3], [-0.3, 0.8]], "nu": 4.5}"#;
    let m = build(src, data).unwrap();
    let k = 2.0;
    let wish = (nu - k - 1.0) / 2.0 * det2(w).ln()
        - 0.5 * tr_prod(inv2(s), w)
        - nu * k / 2.0 * 2f64.ln()
        - nu / 2.0 * det2(s).ln()
        - lmgamma2(nu / 2.0);
    let inv = nu / 2.0 * det2(s).ln()
        - nu * k / 2.0 * 2f64.ln()
        - lmgamma2(nu / 2.0)
        - (nu + k + 1.0) / 2.0 * det2(w).ln()
        - 0.5 * tr_prod(s, inv2(w));
    let got = lp(&m, &[0.0]).unwrap();
    assert!(
        (got - (wish + inv)).abs() < 1e-10,
        "{got} vs {}",
        wish + inv
    );
}

#[test]
fn wishart_models_have_exact_gradients_and_name_bad_matrices() {
    let src = "data { int K; matrix[K, K] W; }
        parameters { cov_matrix[K] S; real<lower=1> extra; }
        model { extra ~ gamma(2, 1); W ~ wishart(K + extra, S); S ~ inv_wishart(K + 2, identity_matrix(K)); }";
    let data = r#"{"K": 3, "W": [[2, 0.5, 0.1], [0.5, 1, -0.2], [0.1, -0.2, 1.5]]}"#;
    let m = build(src, data).unwrap();
    let worst = check_gradient(&m, 4);
    eprintln!("wishart: dim {}, max gradient error {worst:.2e}", m.dim());
    let bad = r#"{"K": 2, "W": [[2, 0.5], [0.4, 1]]}"#;
    let m = build(src, bad).unwrap();
    let e = lp(&m, &vec![0.1; m.dim()]).unwrap_err().to_string();
    assert!(e.contains("wishart_lpdf") && e.contains("W"), "{e}");
    assert!(e.contains("symmetric"), "{e}");
    let bad = r#"{"K": 2, "W": [[1, 2], [2, 1]]}"#;
    let m = build(src, bad).unwrap();
    let e = lp(&m, &vec![0.1; m.dim()]).unwrap_err().to_string();
    assert!(e.contains("W") && e.contains("positive"), "{e}");
}

const HMM: &str = "data { int N; vector[N] y; }
    parameters { simplex[3] rho; array[3] simplex[3] g; ordered[3] mu; }
    model {
      matrix[3, 3] Gamma;
      matrix[3, N] log_omega;
      for (k in 1:3) Gamma[k] = g[k]';
      for (n in 1:N) for (k in 1:3) log_omega[k, n] = normal_lpdf(y[n] | mu[k], 1);
      mu ~ normal(0, 3);
      target += hmm_marginal(log_omega, Gamma, rho);
    }";

const HMM_DATA: &str = r#"{"N": 4, "y": [-1.2, 0.3, 2.5, 2.1]}"#;

/// log Σ over the 81 state paths of ρ(z₁) ω₁(z₁) Πₙ Γ(zₙ₋₁, zₙ) ωₙ(zₙ).
fn hmm_brute(y: &[f64], rho: &[f64], g: &[[f64; 3]; 3], mu: &[f64]) -> f64 {
    let w = |n: usize, k: usize| (-0.5 * (y[n] - mu[k]).powi(2)).exp() / (2.0 * PI).sqrt();
    let mut total = 0.0;
    for code in 0..81usize {
        let z: Vec<usize> = (0..4).map(|t| code / 3usize.pow(t as u32) % 3).collect();
        let mut p = rho[z[0]] * w(0, z[0]);
        for t in 1..4 {
            p *= g[z[t - 1]][z[t]] * w(t, z[t]);
        }
        total += p;
    }
    total.ln()
}

#[test]
fn hmm_marginal_model_equals_path_enumeration_and_gradients() {
    let m = build(HMM, HMM_DATA).unwrap();
    assert_eq!(m.dim(), 2 + 3 * 2 + 3);
    let mut rng = hazel::rng::chain_rng(9, 0);
    let x: Vec<f64> = (0..m.dim()).map(|_| rng.random::<f64>() - 0.5).collect();
    // the model's output holds the constrained parameters: rho, g, mu
    let mut out = Vec::new();
    m.write_output(&x, &mut rng, &mut out).unwrap();
    let rho = &out[0..3];
    // g is array[3] simplex[3]: output order is g.1.1, g.2.1, g.3.1, g.1.2, ...
    let mut g = [[0.0; 3]; 3];
    for (p, v) in out[3..12].iter().enumerate() {
        g[p % 3][p / 3] = *v;
    }
    let mu = &out[12..15];
    // log densities of the transforms are whatever they are: compare through a second
    // model that differs only in the HMM term
    let without = build(
        &HMM.replace("target += hmm_marginal(log_omega, Gamma, rho);", ""),
        HMM_DATA,
    )
    .unwrap();
    let hmm_term = lp(&m, &x).unwrap() - lp(&without, &x).unwrap();
    let want = hmm_brute(&[-1.2, 0.3, 2.5, 2.1], rho, &g, mu);
    assert!((hmm_term - want).abs() < 1e-10, "{hmm_term} vs {want}");
    let worst = check_gradient(&m, 6);
    eprintln!(
        "hmm_marginal: dim {}, max gradient error {worst:.2e}",
        m.dim()
    );
}

#[test]
fn hmm_generated_quantities_and_bad_transition_matrix() {
    let src = "data { int N; vector[N] y; matrix[2, 2] Gamma; }
        parameters { real mu; }
        transformed parameters {
          matrix[2, N] lo;
          for (n in 1:N) { lo[1, n] = normal_lpdf(y[n] | mu, 1); lo[2, n] = normal_lpdf(y[n] | -mu, 1); }
        }
        model { target += hmm_marginal(lo, Gamma, [0.5, 0.5]'); }
        generated quantities {
          matrix[2, N] p = hmm_hidden_state_prob(lo, Gamma, [0.5, 0.5]');
          array[N] int z = hmm_latent_rng(lo, Gamma, [0.5, 0.5]');
          real marginal = hmm_marginal(lo, Gamma, [0.5, 0.5]');
        }";
    let data = r#"{"N": 3, "y": [1.0, -0.5, 2.0], "Gamma": [[0.9, 0.1], [0.2, 0.8]]}"#;
    let m = build(src, data).unwrap();
    check_gradient(&m, 8);
    let mut rng = hazel::rng::chain_rng(3, 0);
    let mut out = Vec::new();
    m.write_output(&[0.7], &mut rng, &mut out).unwrap();
    let names = m.output_names();
    let p: Vec<f64> = names
        .iter()
        .zip(&out)
        .filter(|(n, _)| n.starts_with("p."))
        .map(|(_, v)| *v)
        .collect();
    for n in 0..3 {
        assert!((p[2 * n] + p[2 * n + 1] - 1.0).abs() < 1e-12, "{p:?}");
    }
    let z: Vec<f64> = names
        .iter()
        .zip(&out)
        .filter(|(n, _)| n.starts_with("z."))
        .map(|(_, v)| *v)
        .collect();
    assert!(
        z.len() == 3 && z.iter().all(|v| *v == 1.0 || *v == 2.0),
        "{z:?}"
    );
    // on data (generated quantities) the same value as the model's only term
    let marginal = out[names.iter().position(|n| n == "marginal").unwrap()];
    assert!((marginal - lp(&m, &[0.7]).unwrap()).abs() < 1e-12);
    let bad = r#"{"N": 3, "y": [1.0, -0.5, 2.0], "Gamma": [[0.9, 0.2], [0.2, 0.8]]}"#;
    let m = build(src, bad).unwrap();
    let e = lp(&m, &[0.7]).unwrap_err().to_string();
    assert!(e.contains("hmm_marginal") && e.contains("Gamma[1]"), "{e}");
}

#[test]
fn sorting_parameters_is_differentiable_and_indices_follow_the_point() {
    let src = "parameters { vector[5] v; }
        model {
          vector[5] w = [1, 2, 3, 4, 5]';
          target += dot_product(w, sort_asc(v)) - 0.5 * dot_self(v);
          target += 0.1 * dot_product(w, sort_desc(v)) ^ 2;
        }";
    let m = build(src, "{}").unwrap();
    check_gradient(&m, 10);
    let x = [0.3, -1.2, 2.5, 0.0, 1.1];
    let mut sorted = x;
    sorted.sort_by(f64::total_cmp);
    let asc: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, v)| (i + 1) as f64 * v)
        .sum();
    let desc: f64 = sorted
        .iter()
        .rev()
        .enumerate()
        .map(|(i, v)| (i + 1) as f64 * v)
        .sum();
    let want = asc - 0.5 * x.iter().map(|v| v * v).sum::<f64>() + 0.1 * desc * desc;
    assert!((lp(&m, &x).unwrap() - want).abs() < 1e-12);
    // integer results on parameters: each evaluation takes the order at its point
    let src = "parameters { vector[4] v; }
        model {
          array[4] int idx = sort_indices_desc(v);
          int r = rank(v, 2);
          v ~ normal(0, 1);
          target += v[idx[1]] + r * v[2];
        }";
    let m = build(src, "{}").unwrap();
    check_gradient(&m, 11);
    let x = [0.5, -0.1, 1.5, 0.2];
    // max is v[3]; v[2] has rank 0 (nothing smaller)
    let want = -0.5 * x.iter().map(|v| v * v).sum::<f64>() + 1.5;
    assert!((lp(&m, &x).unwrap() - want).abs() < 1e-12);
    let x = [0.5, 0.9, -1.5, 0.2];
    let want = -0.5 * x.iter().map(|v| v * v).sum::<f64>() + 0.9 + 3.0 * 0.9;
    assert!((lp(&m, &x).unwrap() - want).abs() < 1e-12);
}

#[test]
fn dedicated_rngs_in_generated_quantities() {
    let src = "parameters { real a; } model { a ~ normal(0, 1); }
        generated quantities {
          array[2] vector[2] mn = multi_normal_rng({[0, 10]', [100, 1000]'}, [[1, 0], [0, 1]]);
          vector[2] mt = multi_student_t_rng(5, [1, 2]', [[1, 0.2], [0.2, 1]]);
          matrix[2, 2] w = wishart_rng(4, [[1, 0], [0, 1]]);
          matrix[2, 2] iw = inv_wishart_rng(4, [[1, 0], [0, 1]]);
          int k = ordered_logistic_rng(0.5, [-1, 0, 1]');
          int kp = ordered_probit_rng(0.5, [-1, 0, 1]');
          int cat = categorical_rng([0.2, 0.8]');
          vector[3] d = dirichlet_rng([1, 2, 3]');
        }";
    let m = build(src, "{}").unwrap();
    let mut rng = hazel::rng::chain_rng(5, 0);
    let mut out = Vec::new();
    m.write_output(&[0.0], &mut rng, &mut out).unwrap();
    let names = m.output_names();
    let get = |n: &str| out[names.iter().position(|x| x == n).unwrap()];
    // location of each draw of the array form is its own mu
    assert!((get("mn.1.2") - 10.0).abs() < 6.0 && (get("mn.2.1") - 100.0).abs() < 6.0);
    assert!((get("mn.2.2") - 1000.0).abs() < 6.0);
    assert_eq!(get("w.1.2"), get("w.2.1"));
    assert!(get("w.1.1") > 0.0 && get("iw.2.2") > 0.0);
    for n in ["k", "kp"] {
        assert!((1.0..=4.0).contains(&get(n)) && get(n).fract() == 0.0);
    }
    assert!((get("d.1") + get("d.2") + get("d.3") - 1.0).abs() < 1e-12);
}
