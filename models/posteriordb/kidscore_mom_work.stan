// Posterior: kidiq_with_mom_work-kidscore_mom_work (posteriordb model
// `kidscore_mom_work`, data `kidiq_with_mom_work`).
// Reference quantities: beta[1..4], sigma.
// Child test score on mother's work category (1 = baseline) via 0/1 indicators.
// Priors: none (flat improper on beta in R^4 and on sigma > 0).
// Features: int array data, transformed data loop, comparison `==` yielding int
// promoted to real on assignment, vectorised `~ normal`, extra data keys (mom_hs,
// mom_iq) ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] kid_score;
  array[N] int mom_work;
}
transformed data {
  vector[N] work2;
  vector[N] work3;
  vector[N] work4;
  for (n in 1:N) {
    work2[n] = mom_work[n] == 2;
    work3[n] = mom_work[n] == 3;
    work4[n] = mom_work[n] == 4;
  }
}
parameters {
  vector[4] beta;
  real<lower=0> sigma;
}
model {
  kid_score ~ normal(beta[1] + beta[2] * work2 + beta[3] * work3 + beta[4] * work4,
                     sigma);
}
