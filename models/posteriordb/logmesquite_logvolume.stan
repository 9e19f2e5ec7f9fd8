// Posterior: mesquite-logmesquite_logvolume (posteriordb model
// `logmesquite_logvolume`, data `mesquite`).
// Reference quantities: beta[1], beta[2], sigma.
// Log weight on log canopy volume (diam1 * diam2 * canopy_height).
// Priors: none (flat improper on beta in R^2 and on sigma > 0).
// Features: transformed data, elementwise `.*`, vectorised `log`, vectorised
// `~ normal`, extra data keys (density, group, total_height) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] weight;
  vector[N] diam1;
  vector[N] diam2;
  vector[N] canopy_height;
}
transformed data {
  vector[N] log_weight;
  vector[N] log_canopy_volume;
  log_weight = log(weight);
  log_canopy_volume = log(diam1 .* diam2 .* canopy_height);
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  log_weight ~ normal(beta[1] + beta[2] * log_canopy_volume, sigma);
}
