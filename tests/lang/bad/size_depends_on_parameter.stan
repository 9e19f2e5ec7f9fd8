data {
  int N;
}
parameters {
  real<lower=1> m;
  vector[N] a;
}
transformed parameters {
  vector[to_int(m)] b;
}
model {
  a ~ normal(0, 1);
}
