parameters {
  real mu;
}
model {
  profile("prior") {
    mu ~ normal(0, 1);
  }
}
