//! The Cholesky-parameterised families (`multi_student_t_cholesky`, `wishart_cholesky`,
//! `inv_wishart_cholesky`) and `binomial_logit_glm` through the compiler: each equals its
//! plain form, `~` drops only parameter-free terms, gradients match central differences;
//! `multi_student_t` over arrays and row vectors equals its loop;
//! and the RNG moments of the new samplers (fixed seeds, 4.5 Monte Carlo SEs).

mod compile_common;
mod dist_common;

use compile_common::{build, lp};
use dist_common::{SIGMA3, assert_means, chol3, m};
use hazel::ad::fd::max_gradient_error;
use hazel::compile::CompiledModel;
use hazel::dist::Arg;
use hazel::dist::cholesky_param::wishart_cholesky_rng;
use hazel::dist::ordered::{Link, ordered_lpmf, ordered_probit_rng};
use hazel::model::LogDensity;
use hazel::rng::chain_rng;
use rand::RngExt;

/// Largest accepted `|g - fd| / (1 + |fd|)` (as in `compile_models.rs`).
const GRADIENT_TOLERANCE: f64 = 1e-6;

fn gradient_ok(m: &CompiledModel, seed: u64) {
    let mut rng = chain_rng(seed, 0);
    for _ in 0..3 {
        let x: Vec<f64> = (0..m.dim())
            .map(|_| rng.random::<f64>() * 2.0 - 1.0)
            .collect();
        let e = max_gradient_error(m, &x).unwrap();
        assert!(e < GRADIENT_TOLERANCE, "gradient error {e} at {x:?}");
    }
}

fn point(dim: usize, seed: f64) -> Vec<f64> {
    (0..dim).map(|i| ((i as f64 + 1.0) * seed).sin()).collect()
}

#[test]
fn cholesky_forms_equal_covariance_forms() {
    let pair = |a: &str, b: &str, data: &str| {
        let (ma, mb) = (build(a, data).unwrap(), build(b, data).unwrap());
        for seed in [0.3, 1.1] {
            let x = point(ma.dim(), seed);
            let (va, vb) = (lp(&ma, &x).unwrap(), lp(&mb, &x).unwrap());
            assert!((va - vb).abs() < 1e-9, "{va} vs {vb}");
        }
        gradient_ok(&ma, 2);
    };
    let data = r#"{"y": [[0.1, -0.5, 1.0], [1.2, 0.3, -0.4]]}"#;
    pair(
        "data { array[2] vector[3] y; } parameters { real<lower=0> nu; vector[3] mu; cholesky_factor_cov[3] L; }
         model { target += multi_student_t_cholesky_lpdf(y | nu, mu, L); }",
        "data { array[2] vector[3] y; } parameters { real<lower=0> nu; vector[3] mu; cholesky_factor_cov[3] L; }
         model { target += multi_student_t_lpdf(y | nu, mu, multiply_lower_tri_self_transpose(L)); }",
        data,
    );
    // the Cholesky Wishart is the Wishart density of W = L_W L_Wᵀ plus log |dW/dL_W|
    for inv in ["", "inv_"] {
        let a = format!(
            "parameters {{ cholesky_factor_cov[3] LW; cholesky_factor_cov[3] LS; real<lower=2> nu; }}
             model {{ target += {inv}wishart_cholesky_lpdf(LW | nu, LS); }}"
        );
        let b = format!(
            "parameters {{ cholesky_factor_cov[3] LW; cholesky_factor_cov[3] LS; real<lower=2> nu; }}
             model {{ target += {inv}wishart_lpdf(multiply_lower_tri_self_transpose(LW) | nu,
                                               multiply_lower_tri_self_transpose(LS))
                        + 3 * log2() + 3 * log(LW[1, 1]) + 2 * log(LW[2, 2]) + log(LW[3, 3]); }}"
        );
        pair(&a, &b, "{}");
    }
}

#[test]
fn tilde_drops_only_parameter_free_terms() {
    // the difference between `~` and `target +=` must not depend on the parameters
    let forms = [
        (
            "data { matrix[3, 3] S; } parameters { cholesky_factor_cov[3] LW; }",
            "LW ~ wishart_cholesky(5, cholesky_decompose(S));",
            "target += wishart_cholesky_lpdf(LW | 5, cholesky_decompose(S));",
        ),
        (
            "data { matrix[3, 3] S; } parameters { cov_matrix[3] W; }",
            "W ~ inv_wishart(5, S);",
            "target += inv_wishart_lpdf(W | 5, S);",
        ),
        (
            "data { matrix[3, 3] S; } parameters { vector[3] y; }",
            "y ~ multi_student_t(4, rep_vector(0, 3), S);",
            "target += multi_student_t_lpdf(y | 4, rep_vector(0, 3), S);",
        ),
    ];
    let data = r#"{"S": [[2.0, 0.3, -0.4], [0.3, 1.5, 0.2], [-0.4, 0.2, 1.0]]}"#;
    for (head, tilde, plus) in forms {
        let mt = build(&format!("{head} model {{ {tilde} }}"), data).unwrap();
        let mp = build(&format!("{head} model {{ {plus} }}"), data).unwrap();
        let diffs: Vec<f64> = [0.2, 0.9, 1.7]
            .iter()
            .map(|s| {
                let x = point(mt.dim(), *s);
                lp(&mp, &x).unwrap() - lp(&mt, &x).unwrap()
            })
            .collect();
        assert!(diffs[0].abs() > 1e-3, "{tilde}: no constant dropped");
        assert!(
            diffs.iter().all(|d| (d - diffs[0]).abs() < 1e-10),
            "{tilde}: {diffs:?}"
        );
    }
}

#[test]
fn binomial_logit_glm_equals_binomial_logit_of_the_linear_predictor() {
    let data = r#"{"N": 4, "K": 2, "n": [3, 0, 5, 2], "T": [5, 4, 6, 2],
        "x": [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, 2.0]]}"#;
    let head = "data { int N; int K; array[N] int n; array[N] int T; matrix[N, K] x; }
        parameters { real alpha; vector[K] beta; }";
    let glm = build(
        &format!("{head} model {{ n ~ binomial_logit_glm(T, x, alpha, beta); }}"),
        data,
    )
    .unwrap();
    let plain = build(
        &format!("{head} model {{ n ~ binomial_logit(T, alpha + x * beta); }}"),
        data,
    )
    .unwrap();
    for seed in [0.4, 2.2] {
        let x = point(3, seed);
        let (a, b) = (lp(&glm, &x).unwrap(), lp(&plain, &x).unwrap());
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    gradient_ok(&glm, 3);
}

#[test]
fn new_rngs_have_their_moments() {
    const N: usize = 20_000;
    let mut rng = chain_rng(99, 0);
    // ordered_probit: category indicators average to the pmf
    let c = [-0.8, 0.1, 1.4];
    let probs: Vec<f64> = (1..=4)
        .map(|k| {
            ordered_lpmf(
                Link::Probit,
                &[k],
                Arg::Scalar(0.3),
                &c,
                3,
                false,
                None,
                None,
            )
            .unwrap()
            .exp()
        })
        .collect();
    let d: Vec<Vec<f64>> = (0..N)
        .map(|_| {
            let k = ordered_probit_rng(0.3, &c, &mut rng).unwrap();
            (1..=4).map(|j| f64::from(u8::from(j == k))).collect()
        })
        .collect();
    assert_means("ordered_probit", &d, &probs);
    // wishart_cholesky: E[L Lᵀ] = nu Sigma; inverse: Sigma / (nu - K - 1)
    let l = chol3();
    for (inverse, want) in [
        (false, SIGMA3.map(|v| 7.0 * v)),
        (true, SIGMA3.map(|v| v / (7.0 - 3.0 - 1.0))),
    ] {
        let d: Vec<Vec<f64>> = (0..N)
            .map(|_| {
                let f = wishart_cholesky_rng(inverse, 7.0, m(&l, 3), &mut rng).unwrap();
                (0..9)
                    .map(|e| (0..3).map(|k| f[e % 3 + 3 * k] * f[e / 3 + 3 * k]).sum())
                    .collect()
            })
            .collect();
        assert_means("wishart_cholesky", &d, &want);
    }
}

#[test]
fn multi_student_t_vectorises_like_stan_and_names_a_bad_sigma() {
    let head = "data { array[3] vector[2] y; matrix[2, 2] S; }
        parameters { real<lower=0> nu; array[3] vector[2] mu; vector[2] m; }";
    let data = r#"{"y": [[0.1, -0.5], [1.2, 0.3], [-0.8, 0.9]], "S": [[1.5, 0.4], [0.4, 0.8]]}"#;
    let body = [
        "target += multi_student_t_lpdf(y | nu, mu, S) + multi_student_t_lpdf(y | nu, m, S);",
        "for (i in 1:3) target += multi_student_t_lpdf(y[i] | nu, mu[i], S)
             + multi_student_t_lpdf(y[i]' | nu, m', S);",
    ];
    let (vec, looped) = (
        build(&format!("{head} model {{ {} }}", body[0]), data).unwrap(),
        build(&format!("{head} model {{ {} }}", body[1]), data).unwrap(),
    );
    for seed in [0.5, 1.9] {
        let x = point(vec.dim(), seed);
        let (a, b) = (lp(&vec, &x).unwrap(), lp(&looped, &x).unwrap());
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    gradient_ok(&vec, 4);
    let bad = r#"{"y": [[0.1, -0.5], [1.2, 0.3], [-0.8, 0.9]], "S": [[1.0, 2.0], [2.0, 1.0]]}"#;
    let m = build(&format!("{head} model {{ {} }}", body[0]), bad).unwrap();
    let e = lp(&m, &vec![0.1; m.dim()]).unwrap_err().to_string();
    assert!(
        e.contains("multi_student_t_lpdf") && e.contains("Sigma"),
        "{e}"
    );
}
