// Posterior: garch-garch11 (posteriordb model `garch11`, data `garch`).
// Reference quantities: mu, alpha0, alpha1, beta1.
// GARCH(1,1): s_1 = sigma1 (data),
// s_t = sqrt(alpha0 + alpha1 * (y_{t-1} - mu)^2 + beta1 * s_{t-1}^2), y_t ~ N(mu, s_t).
// Priors: none. Flat on {mu in R, alpha0 > 0, 0 < alpha1 < 1, 0 < beta1 < 1 - alpha1}.
// The bound of beta1 depends on alpha1: the engine's transform must include the
// log(1 - alpha1) Jacobian term, otherwise the posterior is wrong.
// Features: lower/upper bounds, parameter-dependent upper bound, local array,
// `for` with indexed assignment, index expressions, `sqrt`, `square`, vectorised
// `~ normal` over arrays.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> T;
  array[T] real y;
  real<lower=0> sigma1;
}
parameters {
  real mu;
  real<lower=0> alpha0;
  real<lower=0, upper=1> alpha1;
  real<lower=0, upper=(1 - alpha1)> beta1;
}
model {
  array[T] real sigma;
  sigma[1] = sigma1;
  for (t in 2:T) {
    sigma[t] = sqrt(alpha0 + alpha1 * square(y[t - 1] - mu)
                    + beta1 * square(sigma[t - 1]));
  }
  y ~ normal(mu, sigma);
}
