data {
  int y;
  vector[3] v;
}
parameters {
  real eta;
  real<lower=0> s;
}
model {
  y ~ poisson_log(eta) T[0, ];
  v ~ normal(eta, s) T[0, 10];
}
