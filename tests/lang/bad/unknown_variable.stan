data {
  int<lower=0> N;
  vector[N] heights;
}
parameters {
  real mu;
}
model {
  heigths ~ normal(mu, 1);
}
