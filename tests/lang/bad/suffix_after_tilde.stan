parameters {
  real mu;
}
model {
  mu ~ normal_lpdf(0, 1);
  mu ~ normal();
}
