data {
  real y;
}
parameters {
  real mu;
}
model {
  y = 2 * mu;
  mu ~ normal(y, 1);
}
