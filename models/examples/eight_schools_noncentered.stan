// Eight schools (Rubin 1981), non-centered parameterisation.
// Data: data/bench/eight_schools.json (J, y, sigma).
// theta_j = mu + tau * theta_tilde_j, theta_tilde_j ~ normal(0, 1), so the sampler
// sees independent standard normals instead of the centered funnel.
// Priors: mu ~ normal(0, 5); tau ~ half-Cauchy(0, 5) via <lower=0>.
// Generated quantities: pointwise log-likelihood and posterior-predictive replicates.
// Used by the sampler benchmark (issue 2) and the gradient benchmark (issue 5).
data {
  int<lower=0> J;
  array[J] real y;
  array[J] real<lower=0> sigma;
}
parameters {
  real mu;
  real<lower=0> tau;
  vector[J] theta_tilde;
}
transformed parameters {
  vector[J] theta = mu + tau * theta_tilde;
}
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  theta_tilde ~ normal(0, 1);
  y ~ normal(theta, sigma);
}
generated quantities {
  vector[J] log_lik;
  array[J] real y_rep;
  for (j in 1:J) {
    log_lik[j] = normal_lpdf(y[j] | theta[j], sigma[j]);
    y_rep[j] = normal_rng(theta[j], sigma[j]);
  }
}
