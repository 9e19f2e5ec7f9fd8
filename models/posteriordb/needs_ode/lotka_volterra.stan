// Posterior: hudson_lynx_hare-lotka_volterra (posteriordb model `lotka_volterra`,
// data `hudson_lynx_hare`).
// Reference quantities: theta[1..4], z_init[1..2], sigma[1..2].
// Lotka-Volterra predator-prey ODE for the Hudson's Bay hare (prey, column 1) and
// lynx (predator, column 2) series: du/dt = (a - b v) u, dv/dt = (-c + d u) v with
// theta = (a, b, c, d), started at time 0 from the latent z_init.
// Solved with the legacy `integrate_ode_rk45` at relative tolerance 1e-5, absolute
// tolerance 1e-3 and at most 500 steps, as in the reference.
// Priors: theta[{1, 3}] ~ normal(1, 0.5); theta[{2, 4}] ~ normal(0.05, 0.05)
// (restricted to > 0); sigma ~ lognormal(-1, 1); z_init ~ lognormal(log(10), 1).
// Likelihood: y_init_k ~ lognormal(log z_init_k, sigma_k);
// y[n, k] ~ lognormal(log z[n, k], sigma_k).
// The transformed parameter z (N x 2) is not in the reference draws. The
// posterior-predictive replicates of the original are omitted (not in the draws).
// Features: user function (ODE right-hand side) returning an array literal,
// container bounds on arrays, multi-indexing by int arrays theta[{1, 3}], column
// slices y[:, k] and z[:, k], vectorised `log` over arrays, `rep_array` of size 0,
// `integrate_ode_rk45`, `normal`, `lognormal`.
// Sampler notes: needs an ODE solver. No adapt_delta note in the spec.
functions {
  // Right-hand side of the predator-prey system; z = (u, v), theta = (a, b, c, d).
  array[] real dz_dt(real t, array[] real z, array[] real theta,
                     array[] real x_r, array[] int x_i) {
    real u = z[1];
    real v = z[2];
    real du_dt = (theta[1] - theta[2] * v) * u;
    real dv_dt = (-theta[3] + theta[4] * u) * v;
    return {du_dt, dv_dt};
  }
}
data {
  int<lower=0> N;
  array[N] real ts;
  array[2] real y_init;
  array[N, 2] real<lower=0> y;
}
parameters {
  array[4] real<lower=0> theta;
  array[2] real<lower=0> z_init;
  array[2] real<lower=0> sigma;
}
transformed parameters {
  array[N, 2] real z = integrate_ode_rk45(dz_dt, z_init, 0.0, ts, theta,
                                          rep_array(0.0, 0), rep_array(0, 0),
                                          1e-5, 1e-3, 500);
}
model {
  theta[{1, 3}] ~ normal(1, 0.5);
  theta[{2, 4}] ~ normal(0.05, 0.05);
  sigma ~ lognormal(-1, 1);
  z_init ~ lognormal(log(10), 1);
  for (k in 1:2) {
    y_init[k] ~ lognormal(log(z_init[k]), sigma[k]);
    y[:, k] ~ lognormal(log(z[:, k]), sigma[k]);
  }
}
