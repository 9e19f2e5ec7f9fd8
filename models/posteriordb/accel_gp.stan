// Posterior: mcycle_gp-accel_gp (posteriordb model `accel_gp`, data `mcycle_gp`).
// Reference (PARTIAL: means/sds/ESS only, no quantiles) quantities:
// Intercept, sdgp_1, lscale_1, zgp_1[1..40], Intercept_sigma, sdgp_sigma_1,
// lscale_sigma_1, zgp_sigma_1[1..20].
// Motorcycle head acceleration: Hilbert-space approximate GPs (squared-exponential
// spectral density) for the mean and for log sigma (brms-style distributional
// model). mu = Intercept + Xgp_1 * (sqrt(S_1) .* zgp_1),
// log sigma = Intercept_sigma + Xgp_sigma_1 * (sqrt(S_sigma_1) .* zgp_sigma_1),
// S(w; s, l) = s^2 * (sqrt(2 pi) * l)^D * exp(-0.5 * l^2 * |w|^2).
// Priors: Intercept ~ student_t(3, -13, 36); sdgp_1 ~ half-student_t(3, 0, 36);
// zgp_1 ~ normal(0, 1); lscale_1 ~ inv_gamma(1.124909, 0.0177);
// Intercept_sigma ~ student_t(3, 0, 10); sdgp_sigma_1 ~ half-student_t(3, 0, 36);
// zgp_sigma_1 ~ normal(0, 1); lscale_sigma_1 ~ inv_gamma(1.124909, 0.0177).
// Half-t priors carry brms' explicit truncation constant -student_t_lccdf(0 | ...)
// = log 2 (a constant). All terms are `target +=`.
// The length-scales and sds are scalars here (the reference names are scalar); the
// scaled basis weights rgp_1 / rgp_sigma_1 are transformed parameters (not in the
// reference draws). The original's b_Intercept copies in generated quantities are
// omitted (not in the draws).
// Features: user functions, array of vectors, `size`, `rows`, `dot_self`, `pi`,
// `^`, `exp`, `sqrt`, elementwise `.*`, matrix * vector, `if` with `!`,
// `student_t_lpdf`/`student_t_lccdf`, `inv_gamma_lpdf`, `normal_lpdf` with vector
// scale, extra data keys (K, X, K_sigma, X_sigma) ignored.
// Sampler notes: hard geometry; the reference used adapt_delta = 0.999 and
// max_treedepth = 15.
functions {
  // Spectral density of the squared-exponential kernel with marginal sd `sdgp`
  // and length-scale `lscale`, at the frequencies `slambda[m]` (each of dimension D).
  vector spd_exp_quad(array[] vector slambda, real sdgp, real lscale) {
    int NB = size(slambda);
    int D = rows(slambda[1]);
    real scale = sdgp^2 * (sqrt(2 * pi()) * lscale)^D;
    real neg_half_l2 = -0.5 * lscale^2;
    vector[NB] out;
    for (m in 1:NB) {
      out[m] = scale * exp(neg_half_l2 * dot_self(slambda[m]));
    }
    return out;
  }
}
data {
  int<lower=1> N;
  vector[N] Y;
  int<lower=1> Kgp_1;
  int<lower=1> Dgp_1;
  int<lower=1> NBgp_1;
  matrix[N, NBgp_1] Xgp_1;
  array[NBgp_1] vector[Dgp_1] slambda_1;
  int<lower=1> Kgp_sigma_1;
  int<lower=1> Dgp_sigma_1;
  int<lower=1> NBgp_sigma_1;
  matrix[N, NBgp_sigma_1] Xgp_sigma_1;
  array[NBgp_sigma_1] vector[Dgp_sigma_1] slambda_sigma_1;
  int prior_only;
}
parameters {
  real Intercept;
  real<lower=0> sdgp_1;
  real<lower=0> lscale_1;
  vector[NBgp_1] zgp_1;
  real Intercept_sigma;
  real<lower=0> sdgp_sigma_1;
  real<lower=0> lscale_sigma_1;
  vector[NBgp_sigma_1] zgp_sigma_1;
}
transformed parameters {
  vector[NBgp_1] rgp_1 = sqrt(spd_exp_quad(slambda_1, sdgp_1, lscale_1)) .* zgp_1;
  vector[NBgp_sigma_1] rgp_sigma_1
    = sqrt(spd_exp_quad(slambda_sigma_1, sdgp_sigma_1, lscale_sigma_1)) .* zgp_sigma_1;
}
model {
  if (!prior_only) {
    vector[N] mu = Intercept + Xgp_1 * rgp_1;
    vector[N] sigma = exp(Intercept_sigma + Xgp_sigma_1 * rgp_sigma_1);
    target += normal_lpdf(Y | mu, sigma);
  }
  target += student_t_lpdf(Intercept | 3, -13, 36);
  target += student_t_lpdf(sdgp_1 | 3, 0, 36) - student_t_lccdf(0 | 3, 0, 36);
  target += normal_lpdf(zgp_1 | 0, 1);
  target += inv_gamma_lpdf(lscale_1 | 1.124909, 0.0177);
  target += student_t_lpdf(Intercept_sigma | 3, 0, 10);
  target += student_t_lpdf(sdgp_sigma_1 | 3, 0, 36) - student_t_lccdf(0 | 3, 0, 36);
  target += normal_lpdf(zgp_sigma_1 | 0, 1);
  target += inv_gamma_lpdf(lscale_sigma_1 | 1.124909, 0.0177);
}
