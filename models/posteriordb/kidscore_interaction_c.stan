// Posterior: kidiq_with_mom_work-kidscore_interaction_c (posteriordb model
// `kidscore_interaction_c`, data `kidiq_with_mom_work`).
// Reference quantities: beta[1..4], sigma.
// Child test score: high school x IQ interaction with predictors centred at their
// sample means.
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: transformed data, `mean`, vector - scalar, elementwise `.*`, vectorised
// `~ normal`, extra data key `mom_work` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] kid_score;
  vector[N] mom_hs;
  vector[N] mom_iq;
}
transformed data {
  vector[N] c_hs;
  vector[N] c_iq;
  vector[N] inter;
  c_hs = mom_hs - mean(mom_hs);
  c_iq = mom_iq - mean(mom_iq);
  inter = c_hs .* c_iq;
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  kid_score ~ normal(beta[1] + beta[2] * c_hs + beta[3] * c_iq + beta[4] * inter,
                     sigma);
}
