// Posterior: earnings-log10earn_height (posteriordb model `log10earn_height`,
// data `earnings`).
// Reference quantities: beta[1], beta[2], sigma.
// Base-10 log earnings on height.
// Priors: none (flat improper on beta in R^2 and on sigma > 0).
// Features: transformed data filled by a `for` loop with indexed assignment,
// `log10`, vectorised `~ normal`, int-valued JSON read as reals, extra data key
// `male` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
}
transformed data {
  vector[N] log10_earn;
  for (n in 1:N) {
    log10_earn[n] = log10(earn[n]);
  }
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  log10_earn ~ normal(beta[1] + beta[2] * height, sigma);
}
