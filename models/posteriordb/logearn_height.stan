// Posterior: earnings-logearn_height (posteriordb model `logearn_height`,
// data `earnings`).
// Reference quantities: beta[1], beta[2], sigma.
// Log earnings (natural log) on height.
// Priors: none (flat improper on beta in R^2 and on sigma > 0).
// Features: transformed data, vectorised `log`, vectorised `~ normal`,
// int-valued JSON read as reals, extra data key `male` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
}
transformed data {
  vector[N] log_earn;
  log_earn = log(earn);
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  log_earn ~ normal(beta[1] + beta[2] * height, sigma);
}
