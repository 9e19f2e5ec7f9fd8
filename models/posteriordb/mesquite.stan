// Posterior: mesquite-mesquite (posteriordb model `mesquite`, data `mesquite`).
// Reference quantities: beta[1..7], sigma.
// Mesquite weight on the raw scale: linear regression on both canopy diameters,
// canopy height, total height, density and group.
// Priors: none (flat improper on beta in R^7 and on sigma > 0).
// Features: vector data, lower bound, vectorised `~ normal`, vector arithmetic,
// int-valued JSON read as reals.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] weight;
  vector[N] diam1;
  vector[N] diam2;
  vector[N] canopy_height;
  vector[N] total_height;
  vector[N] density;
  vector[N] group;
}
parameters {
  vector[7] beta;
  real<lower=0> sigma;
}
model {
  weight ~ normal(beta[1] + beta[2] * diam1 + beta[3] * diam2
                  + beta[4] * canopy_height + beta[5] * total_height
                  + beta[6] * density + beta[7] * group,
                  sigma);
}
