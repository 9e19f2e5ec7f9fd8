functions {
  void say(real x) {
    print(x);
  }
}
parameters {
  real mu;
}
model {
  exp(mu);
  say(mu);
  real r = say(mu);
  mu ~ normal(0, 1);
}
