// Less common but supported constructs: forward declarations and recursion, data-only
// arguments, user densities called as _lupdf, bounds that depend on other parameters,
// vector bounds, affine transforms, compound assignments, slicing on the left, print,
// fatal_error, foreach over a vector, target(), multiple declarations on one line.
functions {
  int fib(int n);
  int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
  }
  real scaled_lpdf(vector y, real mu, data real scale) {
    return normal_lpdf(y | mu, scale);
  }
  real lower_bound(real lower) {
    return lower - 1;
  }
}
data {
  int<lower=0> N;
  vector[N] y;
  vector[N] lo;
  real<lower=0> scale;
  cholesky_factor_cov[4, 3] L43;
}
transformed data {
  int f10 = fib(10);
  real a, b = 2;
  vector[N] y2 = y;
  a = 1;
  y2 .*= y;
  y2[1:2] = rep_vector(0, 2);
  for (v in y) {
    if (is_nan(v)) fatal_error("y contains NaN");
  }
}
parameters {
  real<lower=0> low;
  real<lower=low, upper=low + 10> high;
  vector<lower=lo>[N] above;
  real<offset=1> shifted;
  real<multiplier=scale> scaled;
}
model {
  real before = target();
  y ~ scaled(high, scale);
  target += scaled_lupdf(above | low, scale);
  shifted ~ normal(1, 1);
  scaled ~ normal(0, scale);
  low ~ exponential(1);
  print("target moved by ", target() - before, " bound ", lower_bound(low));
}
