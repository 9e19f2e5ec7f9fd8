// Posterior: kidiq-kidscore_momiq (posteriordb model `kidscore_momiq`, data `kidiq`).
// Reference quantities: beta[1], beta[2], sigma.
// Child test score on mother's IQ.
// Priors: beta flat (no statement); sigma ~ half-Cauchy(0, 2.5) via <lower=0>.
// Features: bounded data declarations (checks), vectorised `~ normal`, `~ cauchy`,
// extra data keys (mom_hs, mom_hs_new, mom_iq_new) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector<lower=0, upper=200>[N] kid_score;
  vector<lower=0, upper=200>[N] mom_iq;
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  sigma ~ cauchy(0, 2.5);
  kid_score ~ normal(beta[1] + beta[2] * mom_iq, sigma);
}
