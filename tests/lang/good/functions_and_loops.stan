// User-defined functions (plain, _lpdf, _lp, _rng), while/break/continue, truncation,
// simplex and ordered types, old array syntax.
functions {
  real half_square(real x) {
    return 0.5 * x ^ 2;
  }
  real shifted_normal_lpdf(real y, real mu, real s) {
    return normal_lpdf(y | mu + 1, s);
  }
  void add_prior_lp(vector v) {
    v ~ normal(0, 1);
  }
  int count_positive(array[] real xs) {
    int n = 0;
    for (x in xs) {
      if (x <= 0) continue;
      n += 1;
    }
    return n;
  }
  vector jitter_rng(vector v, real s) {
    vector[rows(v)] out;
    for (i in 1:rows(v)) out[i] = normal_rng(v[i], s);
    return out;
  }
}
data {
  int<lower=0> N;
  real y_old[N];
  array[N] int<lower=1, upper=3> k;
  real<lower=0> U;
}
transformed data {
  int n_pos = count_positive(y_old);
  int steps = 0;
  while (1) {
    steps += 1;
    if (steps >= 10) break;
  }
}
parameters {
  real mu;
  real<lower=0, upper=U> s;
  simplex[3] p;
  ordered[2] cut;
  vector<offset=mu, multiplier=2>[3] w;
}
model {
  add_prior_lp(w);
  mu ~ shifted_normal(0, 1);
  target += -half_square(mu);
  s ~ normal(0, 1) T[0, U];
  for (n in 1:N) {
    y_old[n] ~ normal(mu, s) T[, 10];
    k[n] ~ categorical(p);
  }
  cut ~ normal(0, 5);
}
generated quantities {
  vector[3] wj = jitter_rng(w, 0.1);
  int above = mu > 0 ? 1 : 0;
  real m = num_elements(k) % 2 == 0 ? max({mu, s, 1.5}) : 0;
}
