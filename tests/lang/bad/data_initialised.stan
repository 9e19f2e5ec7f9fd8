data {
  int N = 3;
  real y_old[N];
}
parameters {
  real mu;
}
model {
  y_old ~ normal(mu, 1);
}
