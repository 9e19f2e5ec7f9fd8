transformed data {
  int k = 0;
  if (k == 0) break;
  continue;
}
parameters {
  real mu;
}
model {
  mu ~ normal(0, 1);
  return;
}
