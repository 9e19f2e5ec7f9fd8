parameters {
  real mu;
}
transformed parameters {
  real nu = mu;
  mu = 1;
}
model {
  nu ~ normal(0, 1);
}
