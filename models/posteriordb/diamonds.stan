// Posterior: diamonds-diamonds (posteriordb model `diamonds`, data `diamonds`).
// Reference quantities: b[1..24], Intercept, sigma.
// brms-style Gaussian linear model with 24 predictors: the non-constant columns of X
// are centred in transformed data and the intercept is for the centred predictors.
// Priors: b_j ~ normal(0, 1); Intercept ~ student_t(3, 8, 10);
// sigma ~ half-student_t(3, 0, 10) with the explicit truncation constant
// -student_t_lccdf(0 | 3, 0, 10) = log 2 (a constant: posterior unchanged).
// All terms are `target +=` (constants kept).
// Likelihood only when prior_only == 0 (the case in this data set).
// The uncentred intercept generated quantity of the original is not in the
// reference draws and is omitted.
// Features: transformed data with declare-and-define and size expression (K - 1),
// column slices X[:, i] and sliced assignment, `mean`, `if` with logical `!`,
// `normal_id_glm_lpdf`, `student_t_lpdf`, `student_t_lccdf`.
// Sampler notes: strongly correlated posterior; the reference needed
// adapt_delta = 0.99 and max_treedepth = 20 (tree depth 8-10+). A dense metric helps.
data {
  int<lower=1> N;
  vector[N] Y;
  int<lower=1> K;
  matrix[N, K] X;
  int prior_only;
}
transformed data {
  int Kc = K - 1;
  matrix[N, Kc] Xc;
  vector[Kc] means_X;
  for (i in 2:K) {
    means_X[i - 1] = mean(X[:, i]);
    Xc[:, i - 1] = X[:, i] - means_X[i - 1];
  }
}
parameters {
  vector[Kc] b;
  real Intercept;
  real<lower=0> sigma;
}
model {
  if (!prior_only) {
    target += normal_id_glm_lpdf(Y | Xc, Intercept, b, sigma);
  }
  target += normal_lpdf(b | 0, 1);
  target += student_t_lpdf(Intercept | 3, 8, 10);
  target += student_t_lpdf(sigma | 3, 0, 10) - student_t_lccdf(0 | 3, 0, 10);
}
