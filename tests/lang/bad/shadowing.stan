data {
  int N;
  vector[N] y;
}
parameters {
  real mu;
}
model {
  for (n in 1:N) {
    real mu = y[n];
    int n = 2;
  }
}
