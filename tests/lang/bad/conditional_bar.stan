data {
  vector[5] y;
}
parameters {
  real mu;
}
model {
  target += normal_lpdf(y, mu, 1);
  target += exp(mu | 2);
}
