// Posterior: arK-arK (posteriordb model `arK`, data `arK`).
// Reference quantities: alpha, beta[1..5], sigma.
// AR(K) autoregression conditional on the first K observations:
// y_t ~ N(alpha + sum_k beta_k * y_{t-k}, sigma) for t = K+1..T.
// No stationarity constraint on beta.
// Priors: alpha ~ normal(0, 10); beta_k ~ normal(0, 10);
// sigma ~ half-Cauchy(0, 2.5) via <lower=0>.
// Features: real arrays, local variable in a loop, nested `for`, index
// expressions `y[t - k]`, vectorised `~ normal` over an array, `~ cauchy`.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> K;
  int<lower=0> T;
  array[T] real y;
}
parameters {
  real alpha;
  array[K] real beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ cauchy(0, 2.5);
  for (t in (K + 1):T) {
    real mu;
    mu = alpha;
    for (k in 1:K) {
      mu = mu + beta[k] * y[t - k];
    }
    y[t] ~ normal(mu, sigma);
  }
}
