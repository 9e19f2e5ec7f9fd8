data {
  int N
  vector[N] y;
}
parameters {
  real mu;
  real sigma = ;
}
model {
  y ~ normal(mu, 1) +;
  mu ~ normal(0, 1);
}
