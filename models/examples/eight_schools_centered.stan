// Eight schools (Rubin 1981), centered parameterisation.
// Data: data/bench/eight_schools.json (J, y, sigma).
// theta_j ~ normal(mu, tau) directly: the posterior has a funnel between tau and
// theta, so NUTS reports divergences here; kept as the classic hard case (issue 2).
// Priors: mu ~ normal(0, 5); tau ~ half-Cauchy(0, 5) via <lower=0>.
// Generated quantities: pointwise log-likelihood and posterior-predictive replicates.
data {
  int<lower=0> J;
  array[J] real y;
  array[J] real<lower=0> sigma;
}
parameters {
  real mu;
  real<lower=0> tau;
  vector[J] theta;
}
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  theta ~ normal(mu, tau);
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
