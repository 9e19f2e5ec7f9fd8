//! Issue 5 coverage, distributions: every family the issue lists is compiled from Stan
//! source in its `_lpdf`/`_lpmf`, `_lupdf`/`_lupmf` and `~` forms on parameters, with the
//! gradient checked against central finite differences; every family with a CDF in Stan
//! in its `_cdf`/`_lcdf`/`_lccdf` forms and under truncation `T[L, U]`, `T[L, ]`,
//! `T[, U]`; and every `_rng` in generated quantities (runs, draws in the support).

mod compile_common;
mod issue5_common;

use compile_common::build;
use hazel::model::Model;
use issue5_common::run_all;

const DATA: &str = r#"{"yr": [0.2, 0.5, 0.7], "yi": [0, 1, 1], "K": [3, 1, 2], "N": [5, 4, 6],
 "cat": [1, 3, 2], "cnt": [2, 0, 3], "yt": 0.5, "kt": 2, "d3": [0.1, -0.4, 0.3],
 "X": [[1.0, 0.5, -0.3], [0.2, -1.0, 0.4], [-0.5, 0.3, 1.2]],
 "y2": [[0.3, -0.2], [1.1, 0.4]]}"#;

const DATA_DECLS: &str = "data { vector[3] yr; array[3] int yi; array[3] int K; array[3] int N;
  array[3] int cat; array[3] int cnt; real yt; int kt; vector[3] d3; matrix[3, 3] X; array[2] vector[2] y2; }";

/// Parameters every case may use.
const COMMON: &str =
    "real a; real<lower=0> b; real<lower=0> c; real<lower=0, upper=1> p; vector<lower=0>[3] vp;";

/// A family: name, whether discrete, the variate, the arguments (in terms of the
/// parameters), extra parameter declarations.
struct Family {
    name: &'static str,
    pmf: bool,
    variate: &'static str,
    args: &'static str,
    params: &'static str,
}

const fn f(
    name: &'static str,
    pmf: bool,
    variate: &'static str,
    args: &'static str,
    params: &'static str,
) -> Family {
    Family {
        name,
        pmf,
        variate,
        args,
        params,
    }
}

const FAMILIES: &[Family] = &[
    f("normal", false, "yr", "a, b", ""),
    f("std_normal", false, "yr", "", ""),
    f("student_t", false, "yr", "1 + c, a, b", ""),
    f("cauchy", false, "yr", "a, b", ""),
    f("double_exponential", false, "yr", "a, b", ""),
    f("logistic", false, "yr", "a, b", ""),
    f("gumbel", false, "yr", "a, b", ""),
    f("skew_normal", false, "yr", "a, b, 2 * a", ""),
    f("lognormal", false, "yr", "a, b", ""),
    f("exponential", false, "yr", "b", ""),
    f("gamma", false, "yr", "b, c", ""),
    f("inv_gamma", false, "yr", "b, c", ""),
    f("weibull", false, "yr", "b, c", ""),
    f("frechet", false, "yr", "b, c", ""),
    f("pareto", false, "yr", "0.1 * p, b", ""),
    f("beta", false, "yr", "b, c", ""),
    f("beta_proportion", false, "yr", "p, 1 + b", ""),
    f("uniform", false, "yr", "-b, 1 + c", ""),
    f("chi_square", false, "yr", "b", ""),
    f("inv_chi_square", false, "yr", "b", ""),
    f("scaled_inv_chi_square", false, "yr", "b, c", ""),
    f("von_mises", false, "yr", "a, b", ""),
    f("bernoulli", true, "yi", "p", ""),
    f("bernoulli_logit", true, "yi", "a", ""),
    f("binomial", true, "K", "N, p", ""),
    f("binomial_logit", true, "K", "N, a", ""),
    f("beta_binomial", true, "K", "N, b, c", ""),
    f("poisson", true, "K", "b", ""),
    f("poisson_log", true, "K", "a", ""),
    f("neg_binomial", true, "K", "b, c", ""),
    f("neg_binomial_2", true, "K", "b, c", ""),
    f("neg_binomial_2_log", true, "K", "a, c", ""),
    f("categorical", true, "cat", "th", "simplex[3] th;"),
    f("categorical_logit", true, "cat", "v3", "vector[3] v3;"),
    f(
        "ordered_logistic",
        true,
        "cat",
        "X * v3, cut",
        "vector[3] v3; ordered[2] cut;",
    ),
    f("multinomial", true, "cnt", "th", "simplex[3] th;"),
    f("normal_id_glm", false, "yr", "X, a, v3, b", "vector[3] v3;"),
    f(
        "bernoulli_logit_glm",
        true,
        "yi",
        "X, a, v3",
        "vector[3] v3;",
    ),
    f("poisson_log_glm", true, "K", "X, a, v3", "vector[3] v3;"),
    f(
        "binomial_logit_glm",
        true,
        "K",
        "N, X, a, v3",
        "vector[3] v3;",
    ),
    f(
        "dirichlet",
        false,
        "th",
        "v3p",
        "simplex[3] th; vector<lower=0>[3] v3p;",
    ),
    f(
        "multi_normal",
        false,
        "y2",
        "m2, S2",
        "vector[2] m2; cov_matrix[2] S2;",
    ),
    f(
        "multi_normal_cholesky",
        false,
        "y2",
        "m2, L2",
        "vector[2] m2; cholesky_factor_cov[2] L2;",
    ),
    f(
        "multi_student_t",
        false,
        "y2",
        "1 + c, m2, S2",
        "vector[2] m2; cov_matrix[2] S2;",
    ),
    f("lkj_corr", false, "Om", "b", "corr_matrix[3] Om;"),
    f(
        "lkj_corr_cholesky",
        false,
        "LOm",
        "b",
        "cholesky_factor_corr[3] LOm;",
    ),
    f(
        "wishart",
        false,
        "W",
        "3 + c, S2",
        "cov_matrix[2] W; cov_matrix[2] S2;",
    ),
    f(
        "inv_wishart",
        false,
        "W",
        "3 + c, S2",
        "cov_matrix[2] W; cov_matrix[2] S2;",
    ),
    // beyond the issue's list, in the signature table too
    f(
        "ordered_probit",
        true,
        "cat",
        "X * v3, cut",
        "vector[3] v3; ordered[2] cut;",
    ),
    f(
        "multi_student_t_cholesky",
        false,
        "y2",
        "1 + c, m2, L2",
        "vector[2] m2; cholesky_factor_cov[2] L2;",
    ),
    f(
        "wishart_cholesky",
        false,
        "LW",
        "3 + c, L2",
        "cholesky_factor_cov[2] LW; cholesky_factor_cov[2] L2;",
    ),
    f(
        "inv_wishart_cholesky",
        false,
        "LW",
        "3 + c, L2",
        "cholesky_factor_cov[2] LW; cholesky_factor_cov[2] L2;",
    ),
];

/// Continuous families with a CDF in Stan (truncation and the CDF functions).
const WITH_CDF: &[&str] = &[
    "normal",
    "std_normal",
    "student_t",
    "cauchy",
    "double_exponential",
    "logistic",
    "gumbel",
    "skew_normal",
    "lognormal",
    "exponential",
    "gamma",
    "inv_gamma",
    "weibull",
    "frechet",
    "pareto",
    "beta",
    "beta_proportion",
    "uniform",
    "chi_square",
    "inv_chi_square",
    "scaled_inv_chi_square",
    "von_mises",
];

/// Discrete families with a CDF in Stan.
const DISCRETE_WITH_CDF: &[&str] = &[
    "bernoulli",
    "binomial",
    "beta_binomial",
    "poisson",
    "neg_binomial",
    "neg_binomial_2",
];

fn model(params: &str, body: &str) -> String {
    format!("{DATA_DECLS}\nparameters {{ {COMMON} {params} }}\nmodel {{ {body} }}")
}

fn family(name: &str) -> &'static Family {
    FAMILIES
        .iter()
        .find(|d| d.name == name)
        .expect("listed family")
}

/// The arguments with the scalar parameters `a` and `b` replaced by vectors of the
/// variate's length (`a + d3`, `b * vp`), for families whose arguments may be vectors.
fn broadcast(args: &str) -> String {
    args.split(", ")
        .map(|arg| {
            let words: Vec<String> = arg
                .split(' ')
                .map(|w| match w {
                    "a" => "(a + d3)".to_string(),
                    "b" => "(b * vp)".to_string(),
                    "-b" => "-(b * vp)".to_string(),
                    other => other.to_string(),
                })
                .collect();
            words.join(" ")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_density_compiles_in_every_form_with_correct_gradients() {
    let mut cases = Vec::new();
    for d in FAMILIES {
        let (lp, lup) = if d.pmf {
            ("lpmf", "lupmf")
        } else {
            ("lpdf", "lupdf")
        };
        let bar = if d.args.is_empty() { "" } else { " | " };
        let (y, n, args) = (d.variate, d.name, d.args);
        // broadcasting: `a` and `b` as vectors where the family takes them (the
        // univariate families; lkj's eta is a real)
        let vectorised = if d.variate.starts_with('y') || d.variate == "K" {
            broadcast(args)
        } else {
            args.to_string()
        };
        for (form, body) in [
            (lp, format!("target += {n}_{lp}({y}{bar}{args});")),
            (
                "broadcast",
                format!("target += {n}_{lp}({y}{bar}{vectorised});"),
            ),
            (lup, format!("target += {n}_{lup}({y}{bar}{args});")),
            ("~", format!("{y} ~ {n}({args});")),
        ] {
            cases.push((format!("{n} {form}"), model(d.params, &body)));
        }
    }
    run_all("densities", &cases, DATA);
}

#[test]
fn every_cdf_and_truncation_compiles_with_correct_gradients() {
    let mut cases = Vec::new();
    for &n in WITH_CDF {
        let d = family(n);
        let args = d.args;
        let bar = if args.is_empty() { "" } else { " | " };
        let bodies = [
            format!("target += {n}_lcdf(yr{bar}{args});"),
            format!("target += {n}_lccdf(yr{bar}{args});"),
            format!("target += log({n}_cdf(yr{bar}{args}));"),
            format!("yt ~ {n}({args}) T[0.1, 0.9];"),
            format!("yt ~ {n}({args}) T[0.1, ];"),
            format!("yt ~ {n}({args}) T[, 0.9];"),
            format!("for (i in 1:3) yr[i] ~ {n}({args}) T[0.1, 0.9];"),
        ];
        for body in bodies {
            cases.push((n.to_string(), model(d.params, &body)));
        }
    }
    for &n in DISCRETE_WITH_CDF {
        let d = family(n);
        let args = d.args.replace('N', "6");
        // P(Y > 1) = 0 for a bernoulli: its CDFs are taken at 0
        let y = if n == "bernoulli" { "yi[1]" } else { d.variate };
        let bodies = [
            format!("target += {n}_lcdf({y} | {});", d.args),
            format!("target += {n}_lccdf({y} | {});", d.args),
            format!("kt ~ {n}({args}) T[1, 4];"),
            format!("kt ~ {n}({args}) T[1, ];"),
            format!("kt ~ {n}({args}) T[, 4];"),
        ];
        for body in bodies {
            // a bernoulli variate is 0 or 1
            let body = if n == "bernoulli" {
                body.replace("kt ~", "yi[2] ~")
                    .replace("T[1, 4]", "T[0, 1]")
                    .replace("T[1, ]", "T[0, ]")
                    .replace("T[, 4]", "T[, 1]")
            } else {
                body
            };
            cases.push((n.to_string(), model(d.params, &body)));
        }
    }
    // bounds that depend on the parameters
    cases.push((
        "normal, parameter bounds".into(),
        model("", "yt ~ normal(a, b) T[a - 2, 1 + b];"),
    ));
    run_all("cdfs and truncation", &cases, DATA);
}

/// `(type of the draw, call)` for every `_rng`, with parameters as in [`FAMILIES`].
const RNGS: &[(&str, &str, &str)] = &[
    ("real", "normal_rng(a, b)", ""),
    ("real", "std_normal_rng()", ""),
    ("real", "student_t_rng(1 + c, a, b)", ""),
    ("real", "cauchy_rng(a, b)", ""),
    ("real", "double_exponential_rng(a, b)", ""),
    ("real", "logistic_rng(a, b)", ""),
    ("real", "gumbel_rng(a, b)", ""),
    ("real", "skew_normal_rng(a, b, 2 * a)", ""),
    ("real", "lognormal_rng(a, b)", ""),
    ("real", "exponential_rng(b)", ""),
    ("real", "gamma_rng(b, c)", ""),
    ("real", "inv_gamma_rng(b, c)", ""),
    ("real", "weibull_rng(b, c)", ""),
    ("real", "frechet_rng(b, c)", ""),
    ("real", "pareto_rng(0.1 * p, b)", ""),
    ("real", "beta_rng(b, c)", ""),
    ("real", "beta_proportion_rng(p, 1 + b)", ""),
    ("real", "uniform_rng(-b, 1 + c)", ""),
    ("real", "chi_square_rng(b)", ""),
    ("real", "inv_chi_square_rng(b)", ""),
    ("real", "scaled_inv_chi_square_rng(b, c)", ""),
    ("real", "von_mises_rng(a, b)", ""),
    ("array[3] real", "normal_rng(yr, b)", ""),
    ("int", "bernoulli_rng(p)", ""),
    ("int", "bernoulli_logit_rng(a)", ""),
    ("int", "binomial_rng(6, p)", ""),
    ("array[3] int", "binomial_rng(N, p)", ""),
    ("int", "binomial_logit_rng(6, a)", ""),
    ("array[3] int", "binomial_logit_rng(N, yr)", ""),
    ("int", "beta_binomial_rng(6, b, c)", ""),
    ("int", "poisson_rng(b)", ""),
    ("int", "poisson_log_rng(a)", ""),
    ("int", "neg_binomial_rng(b, c)", ""),
    ("int", "neg_binomial_2_rng(b, c)", ""),
    ("int", "neg_binomial_2_log_rng(a, c)", ""),
    ("int", "categorical_rng(th)", "simplex[3] th;"),
    ("int", "categorical_logit_rng(v3)", "vector[3] v3;"),
    ("int", "ordered_logistic_rng(a, cut)", "ordered[2] cut;"),
    ("int", "ordered_probit_rng(a, cut)", "ordered[2] cut;"),
    ("array[3] int", "multinomial_rng(th, 10)", "simplex[3] th;"),
    ("vector[3]", "dirichlet_rng(v3p)", "vector<lower=0>[3] v3p;"),
    (
        "vector[2]",
        "multi_normal_rng(m2, S2)",
        "vector[2] m2; cov_matrix[2] S2;",
    ),
    (
        "vector[2]",
        "multi_normal_cholesky_rng(m2, L2)",
        "vector[2] m2; cholesky_factor_cov[2] L2;",
    ),
    (
        "vector[2]",
        "multi_student_t_rng(1 + c, m2, S2)",
        "vector[2] m2; cov_matrix[2] S2;",
    ),
    (
        "vector[2]",
        "multi_student_t_cholesky_rng(1 + c, m2, L2)",
        "vector[2] m2; cholesky_factor_cov[2] L2;",
    ),
    (
        "matrix[2, 2]",
        "wishart_cholesky_rng(3 + c, L2)",
        "cholesky_factor_cov[2] L2;",
    ),
    (
        "matrix[2, 2]",
        "inv_wishart_cholesky_rng(3 + c, L2)",
        "cholesky_factor_cov[2] L2;",
    ),
    ("matrix[3, 3]", "lkj_corr_rng(3, b)", ""),
    ("matrix[3, 3]", "lkj_corr_cholesky_rng(3, b)", ""),
    (
        "matrix[2, 2]",
        "wishart_rng(3 + c, S2)",
        "cov_matrix[2] S2;",
    ),
    (
        "matrix[2, 2]",
        "inv_wishart_rng(3 + c, S2)",
        "cov_matrix[2] S2;",
    ),
];

#[test]
fn every_rng_runs_in_generated_quantities() {
    let mut failures = Vec::new();
    for (k, (ty, call, params)) in RNGS.iter().enumerate() {
        let src = format!(
            "{DATA_DECLS}\nparameters {{ {COMMON} {params} }}\nmodel {{ }}\n\
             generated quantities {{ {ty} draw = {call}; }}"
        );
        let m = match build(&src, DATA) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{call}: compile: {e}"));
                continue;
            }
        };
        let mut rng = hazel::rng::chain_rng(k as u64, 0);
        for i in 0..20 {
            let x: Vec<f64> = (0..hazel::model::LogDensity::dim(&m))
                .map(|j| ((i * 7 + j) as f64 * 0.37).sin())
                .collect();
            let mut out = Vec::new();
            match m.write_output(&x, &mut rng, &mut out) {
                Ok(()) if out.iter().all(|v| v.is_finite()) => {}
                Ok(()) => failures.push(format!("{call}: non-finite draw in {out:?}")),
                Err(e) => failures.push(format!("{call}: {e}")),
            }
        }
    }
    eprintln!("rngs: {} calls, {} failures", RNGS.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
