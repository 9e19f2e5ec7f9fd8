parameters {
  int k;
  real mu;
}
model {
  mu ~ normal(0, 1);
}
