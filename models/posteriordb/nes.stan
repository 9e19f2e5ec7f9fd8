// Posteriors: nes1972-nes, nes1976-nes, nes1984-nes, nes1988-nes, nes1992-nes,
// nes1996-nes, nes2000-nes (posteriordb model `nes`; one data set per survey year).
// Reference quantities: beta[1..9], sigma.
// National Election Study: 7-point party identification on ideology, race, age
// category indicators (1 = baseline), education, gender and income.
// Priors: none (flat improper on beta in R^9 and on sigma > 0).
// Features: int array data, transformed data loop, comparison `==` yielding int
// promoted to real on assignment, vectorised `~ normal`, int-valued JSON read as
// reals, extra data key `year` ignored.
// Sampler notes: no adapt_delta note in the spec; default settings.
data {
  int<lower=0> N;
  vector[N] partyid7;
  vector[N] real_ideo;
  vector[N] race_adj;
  vector[N] educ1;
  vector[N] gender;
  vector[N] income;
  array[N] int age_discrete;
}
transformed data {
  vector[N] age30_44;
  vector[N] age45_64;
  vector[N] age65up;
  for (n in 1:N) {
    age30_44[n] = age_discrete[n] == 2;
    age45_64[n] = age_discrete[n] == 3;
    age65up[n] = age_discrete[n] == 4;
  }
}
parameters {
  vector[9] beta;
  real<lower=0> sigma;
}
model {
  partyid7 ~ normal(beta[1] + beta[2] * real_ideo + beta[3] * race_adj
                    + beta[4] * age30_44 + beta[5] * age45_64 + beta[6] * age65up
                    + beta[7] * educ1 + beta[8] * gender + beta[9] * income,
                    sigma);
}
