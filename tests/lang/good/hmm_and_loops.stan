// A hidden Markov model marginalised with hmm_marginal, plus a hand-written forward
// algorithm using while loops, nested arrays of vectors and user functions.
functions {
  vector normalize(vector v) {
    return v / sum(v);
  }
  real forward_loglik(array[] real y, matrix Gamma, vector mu, real sigma) {
    int T = size(y);
    int S = rows(mu);
    vector[S] alpha = rep_vector(1.0 / S, S);
    real acc = 0;
    int t = 1;
    while (t <= T) {
      vector[S] step;
      for (s in 1:S) {
        step[s] = exp(normal_lpdf(y[t] | mu[s], sigma)) * dot_product(alpha, col(Gamma, s));
      }
      acc += log(sum(step));
      alpha = normalize(step);
      t += 1;
    }
    return acc;
  }
}
data {
  int<lower=1> T;
  array[T] real y;
}
transformed data {
  int S = 2;
}
parameters {
  array[S] simplex[S] rows_gamma;
  ordered[S] mu;
  real<lower=0> sigma;
}
transformed parameters {
  matrix[S, S] Gamma;
  for (s in 1:S) {
    Gamma[s] = rows_gamma[s]';
  }
}
model {
  matrix[S, T] log_omega;
  for (t in 1:T) {
    for (s in 1:S) {
      log_omega[s, t] = normal_lpdf(y[t] | mu[s], sigma);
    }
  }
  mu ~ normal(0, 5);
  sigma ~ exponential(1);
  for (s in 1:S) rows_gamma[s] ~ dirichlet(rep_vector(1, S));
  target += hmm_marginal(log_omega, Gamma, rep_vector(1.0 / S, S));
}
generated quantities {
  real check = forward_loglik(y, Gamma, mu, sigma);
}
