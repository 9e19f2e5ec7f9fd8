// Posterior: earnings-earn_height (posteriordb model `earn_height`, data `earnings`).
// Reference quantities: beta[1], beta[2], sigma.
// Annual earnings (raw scale) on height.
// Priors: none (flat improper on beta in R^2 and on sigma > 0).
// Features: vector data, lower bound, vectorised `~ normal`, vector arithmetic,
// int-valued JSON read as reals, extra data key `male` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  earn ~ normal(beta[1] + beta[2] * height, sigma);
}
