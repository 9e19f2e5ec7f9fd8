functions {
  real twice(data real x) {
    return 2 * x;
  }
  real exp(real x) {
    return x;
  }
  real bad_lpdf(int k, real mu) {
    return -mu;
  }
  real later(real x);
}
parameters {
  real mu;
}
transformed parameters {
  real t = twice(mu);
}
model {
  t = 1;
  mu ~ normal(0, 1);
}
