functions {
  vector rhs(real t, vector y, real k) {
    return -k * y;
  }
}
data {
  int T;
  array[T] real ts;
}
parameters {
  real<lower=0> k;
}
transformed parameters {
  array[T] vector[1] sol = ode_rk45(rhs, [1.0]', 0.0, ts, k);
}
model {
  k ~ lognormal(0, 1);
}
