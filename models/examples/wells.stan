// Arsenic wells in Bangladesh (Gelman and Hill 2007, ch. 5): logistic regression of
// switching to a safe well, vectorised form.
// Data: data/bench/wells_data.json (N, switched, dist, arsenic, educ; the extra key
// assoc is not used).
// Predictors (transformed data): centred dist/100, centred arsenic, centred educ/4
// and their three pairwise products, as columns of X (N x 6).
// Priors: alpha ~ normal(0, 10); beta ~ normal(0, 10).
// Likelihood: switched ~ bernoulli_logit(alpha + X * beta) in one statement.
// wells_loop.stan is the same posterior written with a loop over observations
// (gradient benchmark, issue 5: vectorised vs loop).
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
  switched ~ bernoulli_logit(alpha + X * beta);
}
generated quantities {
  vector[N] log_lik;
  array[N] int y_rep;
  {
    vector[N] eta = alpha + X * beta;
    for (n in 1:N) {
      log_lik[n] = bernoulli_logit_lpmf(switched[n] | eta[n]);
      y_rep[n] = bernoulli_logit_rng(eta[n]);
    }
  }
}
