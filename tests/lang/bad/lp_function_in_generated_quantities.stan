functions {
  real prior_lp(real x) {
    x ~ normal(0, 1);
    return x;
  }
}
parameters {
  real mu;
}
model {
  real m = prior_lp(mu);
}
generated quantities {
  real g = prior_lp(mu);
}
