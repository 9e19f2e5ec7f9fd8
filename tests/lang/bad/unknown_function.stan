parameters {
  real mu;
}
model {
  target += exq(mu);
}
