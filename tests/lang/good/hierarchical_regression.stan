/* Varying-intercept, varying-slope regression with a Cholesky-parameterised
   correlation between the group effects. */
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=1> J;
  array[N] int<lower=1, upper=J> group;
  matrix[N, K] X;
  vector[N] y;
}
transformed data {
  matrix[N, K] Xc;
  row_vector[K] means;
  for (k in 1:K) {
    means[k] = mean(X[, k]);
    Xc[, k] = X[, k] - means[k];
  }
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
  vector<lower=0>[2] tau;
  cholesky_factor_corr[2] L_Omega;
  matrix[2, J] z;
}
transformed parameters {
  matrix[J, 2] u = (diag_pre_multiply(tau, L_Omega) * z)';
}
model {
  vector[N] eta;
  alpha ~ normal(0, 10);
  beta ~ normal(0, 2.5);
  sigma ~ exponential(1);
  tau ~ student_t(3, 0, 2.5);
  L_Omega ~ lkj_corr_cholesky(2);
  to_vector(z) ~ std_normal();
  for (n in 1:N) {
    eta[n] = alpha + u[group[n], 1] + Xc[n] * beta + u[group[n], 2] * Xc[n, 1];
  }
  y ~ normal(eta, sigma);
}
generated quantities {
  corr_matrix[2] Omega = multiply_lower_tri_self_transpose(L_Omega);
  real alpha_raw = alpha - means * beta;
  vector[N] log_lik;
  for (n in 1:N) {
    log_lik[n] = normal_lpdf(y[n] | alpha + Xc[n] * beta, sigma);
  }
}
