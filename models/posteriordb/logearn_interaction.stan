// Posterior: earnings-logearn_interaction (posteriordb model `logearn_interaction`,
// data `earnings`).
// Reference quantities: beta[1..4], sigma.
// Log earnings on height, sex and their interaction.
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: transformed data, vectorised `log`, elementwise `.*`, vectorised
// `~ normal`, int-valued JSON read as reals.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] earn;
  vector[N] height;
  vector[N] male;
}
transformed data {
  vector[N] log_earn;
  vector[N] inter;
  log_earn = log(earn);
  inter = height .* male;
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  log_earn ~ normal(beta[1] + beta[2] * height + beta[3] * male + beta[4] * inter,
                    sigma);
}
