// Two-component normal mixture, a Poisson GLM, an ordinal regression and a few
// constrained types, exercising vectorised calls, multi-indexing and slicing.
data {
  int<lower=1> N;
  int<lower=1> K;
  int<lower=2> C;
  vector[N] y;
  array[N] int<lower=0> counts;
  array[N] int<lower=1, upper=C> grade;
  matrix[N, K] X;
  array[3] int idx;
  cov_matrix[K] S;
  corr_matrix[K] R;
}
transformed data {
  matrix[K, K] L_S = cholesky_decompose(S);
  vector[K] zeros = rep_vector(0, K);
  int half = N %/% 2;
  array[2, 3] real grid = {{1, 2, 3}, {4.5, 5, 6}};
  matrix[2, 2] I2 = [[1, 0], [0, 1]];
  real total = 0;
  for (v in I2) {
    total += v;
  }
  print("half = ", half, ", total = ", total);
}
parameters {
  ordered[2] mu;
  real<lower=0> sigma;
  real<lower=0, upper=1> theta;
  vector[K] beta;
  real alpha;
  ordered[C - 1] cut;
  unit_vector[2] dir;
  positive_ordered[2] rates;
  cholesky_factor_cov[K] L_cov;
  cholesky_factor_corr[K] L_corr;
}
transformed parameters {
  vector[N] eta = alpha + X * beta;
}
model {
  mu ~ normal(0, 10);
  sigma ~ lognormal(0, 1);
  theta ~ beta(2, 2);
  beta ~ multi_normal_cholesky(zeros, L_S);
  alpha ~ student_t(3, 0, 2.5);
  rates ~ gamma(2, 1);
  L_corr ~ lkj_corr_cholesky(2.0);
  for (n in 1:N) {
    target += log_mix(theta, normal_lpdf(y[n] | mu[1], sigma), normal_lpdf(y[n] | mu[2], sigma));
  }
  counts ~ poisson_log_glm(X, alpha, beta);
  counts[1:half] ~ poisson_log(eta[1:half]);
  counts[idx] ~ poisson_log(eta[idx]);
  grade ~ ordered_logistic(eta, cut);
  target += normal_lupdf(y[(half + 1):] | eta[(half + 1):], sigma);
  target += -0.5 * dot_self(X[1, :]' .* beta) + sum(X[:, 1] ./ 10);
  if (target() < -1e10) reject("target too small: ", target());
}
generated quantities {
  matrix[K, K] Sigma = multiply_lower_tri_self_transpose(L_cov);
  vector[N] sq = eta .^ 2;
  array[N] int sim = poisson_log_rng(eta);
  real solve = sum(L_S \ zeros);
  real pick = theta > 0.5 ? mu[2] : mu[1];
  row_vector[K] firstrow = X[1];
  array[2] real g2 = grid[2, 2:3];
}
