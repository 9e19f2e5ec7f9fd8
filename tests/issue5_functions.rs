//! Issue 5 coverage, math library: every function the issue lists is compiled from Stan
//! source applied to parameters (where it takes reals) and its contribution to the log
//! density gradient-checked against central finite differences; functions of data only
//! (sizes, rounding, ranks) enter as data factors of a parameter term.

mod compile_common;
mod issue5_common;

use issue5_common::run_all;

const DATA: &str = r#"{"d": [0.3, -1.2, 2.5], "xs": [0.0, 0.7, 1.5], "k": 2}"#;

const DECLS: &str = "data { vector[3] d; array[3] real xs; int k; }
parameters {
  real x; real<lower=0> xp; real<lower=0> xq; real<lower=0, upper=1> xu;
  vector[3] v; vector[3] w; vector<lower=0>[3] vp; row_vector[3] rv;
  matrix[3, 3] M; cov_matrix[3] S; cholesky_factor_cov[3] L; simplex[2] th;
}";

/// Target statements, one case each.
const CASES: &[&str] = &[
    // elementwise
    "target += sum(exp(v)) + exp(x);",
    "target += sum(log(vp)) + log(xp);",
    "target += sum(log1p(vp)) + log1p(xp);",
    "target += sum(expm1(v)) + expm1(x);",
    "target += log1m(xu) + sum(log1m(0.5 * inv_logit(v)));",
    "target += sum(sqrt(vp)) + sqrt(xp);",
    "target += sum(square(v)) + square(x);",
    "target += pow(xp, x) + sum(pow(vp, 1.5)) + sum(pow(vp, v));",
    "target += xp ^ x;",
    "target += sum(inv(vp)) + inv(xp);",
    "target += sum(inv_logit(v)) + inv_logit(x);",
    "target += logit(xu) + sum(logit(inv_logit(v)));",
    "target += sum(log_inv_logit(v)) + log_inv_logit(x);",
    "target += sum(log1m_inv_logit(v)) + log1m_inv_logit(x);",
    "target += sum(log1p_exp(v)) + log1p_exp(x);",
    "target += sum(Phi(v)) + Phi(x);",
    "target += sum(Phi_approx(v)) + Phi_approx(x);",
    "target += inv_Phi(xu) + sum(inv_Phi(inv_logit(v)));",
    "target += sum(lgamma(vp)) + lgamma(xp);",
    "target += sum(tgamma(0.5 + vp)) + tgamma(0.5 + xp);",
    "target += sum(digamma(vp)) + digamma(xp);",
    "target += lbeta(xp, xq);",
    "target += lchoose(3 + xp, xq);",
    "target += sum(erf(v)) + erf(x);",
    "target += sum(erfc(v)) + erfc(x);",
    "target += fabs(x) + sum(fabs(v)) + abs(x) + sum(abs(v));",
    "target += fmin(x, xp) + fmax(x, xp);",
    "target += step(x) * xp + step(d[1]) * x;",
    "target += int_step(k) * x + int_step(d[2]) * xp;",
    "target += (floor(d[1]) + ceil(d[2]) + round(d[3])) * x;",
    "target += sum(one_hot_row_vector(3, 1) .* rv) + sum(one_hot_array(3, 3)) * x \
       + sum(one_hot_int_array(3, 2)) * xp;",
    // arithmetic on containers
    "target += sum(v + w) + sum(v - w) + sum(v .* w) + sum(v ./ vp) + sum(-v) + sum(x - v);",
    "target += sum(M + S) + sum(M - S) + sum(M .* S) + sum(M ./ S) + sum(x * M) + sum(M / xp);",
    "target += sum(rv + rv) + sum(rv .* rv) + sum(rv / xp) + sum(v / xp) + sum(xp ./ vp);",
    "target += sum(M * x + x) + sum(v * 2 - 1) + sum(vp .^ 2) + sum(x ^ 2 * M);",
    // reductions
    "target += sum(v) + sum(M) + sum(rv);",
    "target += prod(vp) + prod(rv);",
    "target += mean(v) + mean(M);",
    "target += variance(v) + variance(rv);",
    "target += sd(v) + sd(M);",
    "target += min(v) + max(v) + min(x, xp) + max(M);",
    "target += log_sum_exp(v) + log_sum_exp(x, xp) + log_sum_exp(M);",
    "target += dot_product(v, w) + dot_product(rv, v);",
    "target += dot_self(v) + dot_self(rv);",
    "target += squared_distance(v, w);",
    "target += distance(v, w);",
    "target += log_mix(xu, x, -xp);",
    "target += log_mix(th, [x, -xp]');",
    "target += sum(softmax(v) .* w);",
    "target += sum(log_softmax(v) .* w);",
    "target += sum(cumulative_sum(v) .* w) + sum(cumulative_sum(rv));",
    "target += sum(columns_dot_self(M)) + sum(rows_dot_self(M));",
    "target += sum(columns_dot_product(M, S)) + sum(rows_dot_product(M, S));",
    "target += sum(columns_dot_self(v)) + sum(rows_dot_product(rv, rv));",
    // linear algebra
    "target += sum(M * v) + sum(rv * M) + rv * v + sum(v * rv) + sum(M * S);",
    "target += sum(M' * v) + sum(v');",
    "target += sum(diag_matrix(v) * w);",
    "target += sum(diagonal(M));",
    "target += sum(diag_pre_multiply(v, M)) + sum(diag_post_multiply(M, v));",
    "target += quad_form(S, v);",
    "target += sum(quad_form(S, M));",
    "target += sum(quad_form_diag(S, vp));",
    "target += sum(crossprod(M)) + sum(tcrossprod(M));",
    "target += sum(cholesky_decompose(S));",
    "target += sum(mdivide_left_tri_low(L, v));",
    "target += sum(mdivide_right_tri_low(rv, L));",
    "target += sum(inverse(S));",
    "target += log_determinant(S) + determinant(M);",
    "target += sum(add_diag(S, xp)) + sum(add_diag(M, v));",
    "target += trace(S) + trace(M);",
    // constructors and slicing
    "target += sum(rep_vector(x, 3) .* v) + sum(rep_row_vector(x, 3));",
    "target += sum(rep_matrix(x, 2, 3)) + sum(rep_matrix(v, 2)) + sum(rep_matrix(rv, 2));",
    "target += sum(rep_array(x, 3)) + sum(to_array_1d(rep_array(v, 2)));",
    "target += sum(to_vector(M) .* to_vector(S)) + sum(to_row_vector(M));",
    "target += sum(to_matrix(v, 3, 1)) + sum(to_matrix(to_vector(M), 3, 3) * v);",
    "target += sum(to_array_1d(M)) + sum(to_array_1d(v));",
    "target += sum(append_row(v, w) .* append_row(w, v)) + sum(append_col(M, v));",
    "target += sum(append_row(x, v)) + sum(append_col(rv, xp));",
    "target += sum(head(v, 2)) + sum(tail(v, 2) .* head(w, 2)) + sum(segment(v, 2, 2));",
    "target += sum(block(M, 1, 2, 2, 2)) + sum(col(M, 2)) + sum(row(M, 3));",
    "target += (rows(M) + cols(rv) + num_elements(M) + size(xs) + dims(M)[2]) * x;",
    "target += sum(linspaced_vector(3, 0, 1) .* v) + sum(one_hot_vector(3, 2) .* v);",
    "target += sum(sort_asc(v) .* d) + sum(sort_desc(v) .* d);",
    "target += rank(d, 2) * x + rank(xs, 3) * xp;",
    // Gaussian processes and hidden Markov models
    "target += sum(gp_exp_quad_cov(xs, xp, xq));",
    "target += sum(cov_exp_quad(xs, xp, xq));",
    "target += sum(gp_matern32_cov(xs, xp, xq));",
    "target += sum(gp_periodic_cov(xs, xp, xq, 2.5));",
    "target += hmm_marginal(to_matrix(append_row(v, w), 2, 3), \
       [[xu, 1 - xu], [0.3, 0.7]], th);",
];

#[test]
fn every_listed_function_compiles_with_correct_gradients() {
    let cases: Vec<(String, String)> = CASES
        .iter()
        .map(|c| (c.to_string(), format!("{DECLS}\nmodel {{ {c} }}")))
        .collect();
    run_all("functions", &cases, DATA);
}
