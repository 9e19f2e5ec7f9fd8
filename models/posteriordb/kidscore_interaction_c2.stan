// Posterior: kidiq_with_mom_work-kidscore_interaction_c2 (posteriordb model
// `kidscore_interaction_c2`, data `kidiq_with_mom_work`).
// Reference quantities: beta[1..4], sigma.
// Child test score: high school x IQ interaction with predictors centred at fixed
// reference points (mom_hs - 0.5, mom_iq - 100).
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: transformed data, vector - scalar, elementwise `.*`, vectorised
// `~ normal`, extra data key `mom_work` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] kid_score;
  vector[N] mom_hs;
  vector[N] mom_iq;
}
transformed data {
  vector[N] c2_hs;
  vector[N] c2_iq;
  vector[N] inter;
  c2_hs = mom_hs - 0.5;
  c2_iq = mom_iq - 100;
  inter = c2_hs .* c2_iq;
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  kid_score ~ normal(beta[1] + beta[2] * c2_hs + beta[3] * c2_iq + beta[4] * inter,
                     sigma);
}
