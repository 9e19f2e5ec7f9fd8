// Minnesota radon (Gelman and Hill 2007): varying-intercept regression of log radon
// on floor of measurement, county intercepts non-centered.
// Data: data/bench/radon_mn.json (N = 919 homes, J = 85 counties, county_idx,
// floor_measure, log_radon; the extra key log_uppm is not used).
// alpha_j = mu_alpha + sigma_alpha * alpha_raw_j, alpha_raw_j ~ normal(0, 1).
// Priors: mu_alpha ~ normal(0, 10); beta ~ normal(0, 10);
// sigma_alpha, sigma_y ~ half-normal(0, 1) via <lower=0>.
// Likelihood: log_radon ~ normal(alpha[county_idx] + beta * floor_measure, sigma_y)
// (multi-indexing by the county index array).
// Generated quantities: pointwise log-likelihood and posterior-predictive replicates.
// Used by the sampler benchmark (issue 2) and the gradient benchmark (issue 5).
data {
  int<lower=1> N;
  int<lower=1> J;
  array[N] int<lower=1, upper=J> county_idx;
  vector[N] floor_measure;
  vector[N] log_radon;
}
parameters {
  real mu_alpha;
  real<lower=0> sigma_alpha;
  vector[J] alpha_raw;
  real beta;
  real<lower=0> sigma_y;
}
transformed parameters {
  vector[J] alpha = mu_alpha + sigma_alpha * alpha_raw;
}
model {
  mu_alpha ~ normal(0, 10);
  sigma_alpha ~ normal(0, 1);
  alpha_raw ~ normal(0, 1);
  beta ~ normal(0, 10);
  sigma_y ~ normal(0, 1);
  log_radon ~ normal(alpha[county_idx] + beta * floor_measure, sigma_y);
}
generated quantities {
  vector[N] log_lik;
  array[N] real y_rep;
  for (n in 1:N) {
    real mu_n = alpha[county_idx[n]] + beta * floor_measure[n];
    log_lik[n] = normal_lpdf(log_radon[n] | mu_n, sigma_y);
    y_rep[n] = normal_rng(mu_n, sigma_y);
  }
}
