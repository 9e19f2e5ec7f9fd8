data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  y ~ normal(mu, sigm);
  mu ~ poisson(3);
  sigma ~ exponential(1, 2);
  N = 4;
  target += undefined_thing;
}
