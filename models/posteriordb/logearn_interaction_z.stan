// Posterior: earnings-logearn_interaction_z (posteriordb model
// `logearn_interaction_z`, data `earnings`).
// Reference quantities: beta[1..4], sigma.
// Log earnings on standardised height z = (height - mean) / sd (sample sd with
// denominator N - 1, which is Stan's `sd`), sex, and z * male.
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: transformed data, `mean`, `sd`, vectorised `log`, vector / scalar,
// elementwise `.*`, vectorised `~ normal`, int-valued JSON read as reals.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
  vector[N] male;
}
transformed data {
  vector[N] log_earn;
  vector[N] z_height;
  vector[N] inter;
  log_earn = log(earn);
  z_height = (height - mean(height)) / sd(height);
  inter = z_height .* male;
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  log_earn ~ normal(beta[1] + beta[2] * z_height + beta[3] * male + beta[4] * inter,
                    sigma);
}
