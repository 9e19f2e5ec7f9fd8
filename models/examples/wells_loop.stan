// Arsenic wells in Bangladesh (Gelman and Hill 2007, ch. 5): logistic regression of
// switching to a safe well, loop form.
// Same data, transformed data, priors and posterior as wells.stan, but the
// likelihood is one scalar statement per observation with a row-times-vector
// product: the loop-form case of the gradient benchmark (issue 5).
// Data: data/bench/wells_data.json.
data {
  int<lower=0> N;
  array[N] int<lower=0, upper=1> switched;
  vector<lower=0>[N] dist;
  vector<lower=0>[N] arsenic;
  vector<lower=0>[N] educ;
}
transformed data {
  int K = 6;
  vector[N] c_dist100 = dist / 100 - mean(dist / 100);
  vector[N] c_arsenic = arsenic - mean(arsenic);
  vector[N] c_educ4 = educ / 4 - mean(educ / 4);
  matrix[N, K] X;
  X[:, 1] = c_dist100;
  X[:, 2] = c_arsenic;
  X[:, 3] = c_educ4;
  X[:, 4] = c_dist100 .* c_arsenic;
  X[:, 5] = c_dist100 .* c_educ4;
  X[:, 6] = c_arsenic .* c_educ4;
}
parameters {
  real alpha;
  vector[K] beta;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  for (n in 1:N) {
    switched[n] ~ bernoulli_logit(alpha + X[n] * beta);
  }
}
generated quantities {
  vector[N] log_lik;
  array[N] int y_rep;
  for (n in 1:N) {
    real eta = alpha + X[n] * beta;
    log_lik[n] = bernoulli_logit_lpmf(switched[n] | eta);
    y_rep[n] = bernoulli_logit_rng(eta);
  }
}
