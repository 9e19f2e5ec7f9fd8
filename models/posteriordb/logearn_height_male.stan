// Posterior: earnings-logearn_height_male (posteriordb model `logearn_height_male`,
// data `earnings`).
// Reference quantities: beta[1], beta[2], beta[3], sigma.
// Log earnings on height and sex.
// Priors: none (flat improper on beta in R^3 and on sigma > 0).
// Features: transformed data, vectorised `log`, vectorised `~ normal`,
// int-valued JSON read as reals.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
  vector[N] male;
}
transformed data {
  vector[N] log_earn;
  log_earn = log(earn);
}
parameters {
  vector[3] beta;
  real<lower=0> sigma;
}
model {
  log_earn ~ normal(beta[1] + beta[2] * height + beta[3] * male, sigma);
}
