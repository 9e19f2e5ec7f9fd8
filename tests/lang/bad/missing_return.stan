functions {
  real clip(real x) {
    if (x > 1) {
      return 1;
    }
  }
  int twice(int x) {
    return 2.0 * x;
  }
  void noisy(real x) {
    return x;
  }
}
parameters {
  real mu;
}
model {
  mu ~ normal(clip(0.5), 1);
}
