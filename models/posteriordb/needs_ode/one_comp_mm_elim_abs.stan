// Posterior: one_comp_mm_elim_abs-one_comp_mm_elim_abs (posteriordb model and data
// `one_comp_mm_elim_abs`).
// Reference quantities: k_a, K_m, V_m, sigma. K_m and V_m are very heavy-tailed:
// compare them by quantiles (q05/q50/q95), not by mean/sd.
// One-compartment pharmacokinetics with first-order absorption and Michaelis-Menten
// elimination: dC/dt = dose(t) - (V_m / V) * C / (K_m + C), C(t0) = 0 (constant),
// dose(t) = exp(-k_a t) * D * k_a / V for t > 0, else 0.
// Solved with the legacy stiff solver `integrate_ode_bdf` at default tolerances
// (relative 1e-6, absolute 1e-6), as in the reference.
// Priors: k_a, K_m, V_m, sigma ~ half-Cauchy(0, 1) (halves via <lower=0>).
// Likelihood: C_hat_n ~ lognormal(log C(times_n), sigma).
// The transformed parameter C (N_t x 1) is not in the reference draws. The
// posterior-predictive replicates of the original are omitted (not in the draws).
// Features: user function (ODE right-hand side), `if`, comparison, array literals,
// zero-length int array, 2-D real array transformed parameter, nested anonymous
// scope, `integrate_ode_bdf`, `log`, `exp`, `cauchy`, `lognormal`.
// Sampler notes: needs an ODE solver. The reference needed 35 000 warm-up
// iterations, adapt_delta = 0.99 and max_treedepth = 20.
functions {
  // Right-hand side of the concentration ODE; theta = (k_a, K_m, V_m),
  // x_r = (D, V); x_i is unused (empty).
  array[] real mm_elim_abs_rhs(real t, array[] real C, array[] real theta,
                               array[] real x_r, array[] int x_i) {
    real k_a = theta[1];
    real K_m = theta[2];
    real V_m = theta[3];
    real D = x_r[1];
    real V = x_r[2];
    real dose = 0;
    array[1] real dC_dt;
    if (t > 0) {
      dose = exp(-k_a * t) * D * k_a / V;
    }
    dC_dt[1] = dose - (V_m / V) * C[1] / (K_m + C[1]);
    return dC_dt;
  }
}
data {
  real t0;
  real<lower=0> D;
  real<lower=0> V;
  int<lower=1> N_t;
  array[N_t] real times;
  array[N_t] real<lower=0> C_hat;
}
transformed data {
  array[2] real x_r = {D, V};
  array[0] int x_i;
  array[1] real C0 = {0.0};
}
parameters {
  real<lower=0> k_a;
  real<lower=0> K_m;
  real<lower=0> V_m;
  real<lower=0> sigma;
}
transformed parameters {
  array[N_t, 1] real C;
  {
    array[3] real theta = {k_a, K_m, V_m};
    C = integrate_ode_bdf(mm_elim_abs_rhs, C0, t0, times, theta, x_r, x_i);
  }
}
model {
  k_a ~ cauchy(0, 1);
  K_m ~ cauchy(0, 1);
  V_m ~ cauchy(0, 1);
  sigma ~ cauchy(0, 1);
  for (n in 1:N_t) {
    C_hat[n] ~ lognormal(log(C[n, 1]), sigma);
  }
}
