// Posterior: sblri-blr (posteriordb model `blr`, data `sblri`).
// Reference quantities: beta[1..5], sigma.
// Bayesian linear regression without separate intercept: y ~ N(X * beta, sigma).
// Priors: beta_d ~ normal(0, 10); sigma ~ half-normal(0, 10) via <lower=0>.
// All terms are written as `target += ..._lpdf(...)` (constants kept).
// Features: matrix data, matrix * vector, `target +=` with `normal_lpdf`,
// vectorised densities.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  int<lower=0> D;
  matrix[N, D] X;
  vector[N] y;
}
parameters {
  vector[D] beta;
  real<lower=0> sigma;
}
model {
  target += normal_lpdf(beta | 0, 10);
  target += normal_lpdf(sigma | 0, 10);
  target += normal_lpdf(y | X * beta, sigma);
}
