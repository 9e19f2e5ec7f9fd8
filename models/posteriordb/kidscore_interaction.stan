// Posterior: kidiq-kidscore_interaction (posteriordb model `kidscore_interaction`,
// data `kidiq`).
// Reference quantities: beta[1..4], sigma.
// Child test score on mother's high school, IQ and their interaction.
// Priors: beta flat (no statement); sigma ~ half-Cauchy(0, 2.5) via <lower=0>.
// Features: transformed data, elementwise `.*`, bounded data declarations (checks),
// vectorised `~ normal`, `~ cauchy`, extra data keys (mom_hs_new, mom_iq_new) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector<lower=0, upper=200>[N] kid_score;
  vector<lower=0, upper=1>[N] mom_hs;
  vector<lower=0, upper=200>[N] mom_iq;
}
transformed data {
  vector[N] inter;
  inter = mom_hs .* mom_iq;
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  sigma ~ cauchy(0, 2.5);
  kid_score ~ normal(beta[1] + beta[2] * mom_hs + beta[3] * mom_iq + beta[4] * inter,
                     sigma);
}
