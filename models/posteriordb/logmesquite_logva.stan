// Posterior: mesquite-logmesquite_logva (posteriordb model `logmesquite_logva`,
// data `mesquite`).
// Reference quantities: beta[1..4], sigma.
// Log weight on log canopy volume (diam1 * diam2 * canopy_height), log canopy area
// (diam1 * diam2) and group.
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: transformed data, elementwise `.*`, vectorised `log`, vectorised
// `~ normal`, extra data keys (density, total_height) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] weight;
  vector[N] diam1;
  vector[N] diam2;
  vector[N] canopy_height;
  vector[N] group;
}
transformed data {
  vector[N] log_weight;
  vector[N] log_canopy_volume;
  vector[N] log_canopy_area;
  log_weight = log(weight);
  log_canopy_volume = log(diam1 .* diam2 .* canopy_height);
  log_canopy_area = log(diam1 .* diam2);
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  log_weight ~ normal(beta[1] + beta[2] * log_canopy_volume
                      + beta[3] * log_canopy_area + beta[4] * group,
                      sigma);
}
