// Posterior: gp_pois_regr-gp_regr (posteriordb model `gp_regr`, data `gp_pois_regr`).
// Reference quantities: rho, alpha, sigma.
// Marginal Gaussian-process regression: y ~ MVN(0, C) with
// C = alpha^2 * exp(-(x_i - x_j)^2 / (2 rho^2)) + sigma * I.
// NOTE (spec): `sigma` itself, not sigma^2, is added to the diagonal, so it acts as
// a noise variance; this is reproduced exactly.
// Priors: rho ~ gamma(25, 4) (shape, rate); alpha ~ half-normal(0, 2);
// sigma ~ half-normal(0, 1) (halves via <lower=0>).
// Features: `gp_exp_quad_cov`, `diag_matrix`, `rep_vector`, matrix + matrix,
// `cholesky_decompose`, `multi_normal_cholesky`, `gamma`, local matrices with
// declare-and-define, extra data key `k` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=1> N;
  array[N] real x;
  vector[N] y;
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real<lower=0> sigma;
}
model {
  matrix[N, N] cov = gp_exp_quad_cov(x, alpha, rho)
                     + diag_matrix(rep_vector(sigma, N));
  matrix[N, N] L_cov = cholesky_decompose(cov);
  rho ~ gamma(25, 4);
  alpha ~ normal(0, 2);
  sigma ~ normal(0, 1);
  y ~ multi_normal_cholesky(rep_vector(0, N), L_cov);
}
