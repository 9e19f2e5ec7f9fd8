// Posterior: kidiq-kidscore_momhs (posteriordb model `kidscore_momhs`, data `kidiq`).
// Reference quantities: beta[1], beta[2], sigma.
// Child test score on whether the mother finished high school.
// Priors: beta flat (no statement); sigma ~ half-Cauchy(0, 2.5) via <lower=0>.
// Features: bounded data declarations (checks), vectorised `~ normal`, `~ cauchy`,
// extra data keys (mom_iq, mom_hs_new, mom_iq_new) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector<lower=0, upper=200>[N] kid_score;
  vector<lower=0, upper=1>[N] mom_hs;
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  sigma ~ cauchy(0, 2.5);
  kid_score ~ normal(beta[1] + beta[2] * mom_hs, sigma);
}
