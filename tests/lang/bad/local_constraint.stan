parameters {
  real mu;
}
model {
  real<lower=0> s = exp(mu);
  simplex[3] p;
  mu ~ normal(0, s);
}
