// Posterior: bball_drive_event_1-hmm_drive_1 (posteriordb model `hmm_drive_1`,
// data `bball_drive_event_1`).
// Reference quantities: theta1[1..2], theta2[1..2], phi[1..2], lambda[1..2].
// Two-state hidden Markov model of a basketball drive with normal emissions
// (u ~ N(phi_k, tau), v ~ N(lambda_k, rho)); the hidden states are marginalised
// with the forward algorithm; no initial-state term.
// Transition matrix rows are the simplexes theta1, theta2, copied into the
// transformed parameter `theta` (array of simplexes; not in the reference draws).
// Priors: theta_k ~ dirichlet(row k of alpha); phi ~ normal((0, 3), 1);
// lambda ~ normal((0, 3), 1). All terms are `target +=`.
// The viterbi generated quantities of the original are not in the reference draws
// and are omitted.
// Features: simplex, ordered, array of simplexes as transformed parameter, 2-D real
// array local, nested anonymous scope, nested loops, multi-indexing theta[j, k],
// row slice alpha[k, :] with transpose, partial indexing gamma[N], `log`,
// `log_sum_exp`, `dirichlet_lpdf`, `normal_lpdf`.
// Sampler notes: multimodal per posteriordb; the ordering constraints identify the
// states. No adapt_delta note in the spec.
data {
  int<lower=1> K;
  int<lower=1> N;
  array[N] real u;
  array[N] real v;
  matrix<lower=0>[K, K] alpha;
  real<lower=0> tau;
  real<lower=0> rho;
}
parameters {
  simplex[K] theta1;
  simplex[K] theta2;
  ordered[K] phi;
  ordered[K] lambda;
}
transformed parameters {
  array[K] simplex[K] theta;
  theta[1] = theta1;
  theta[2] = theta2;
}
model {
  target += dirichlet_lpdf(theta1 | alpha[1, :]');
  target += dirichlet_lpdf(theta2 | alpha[2, :]');
  target += normal_lpdf(phi[1] | 0, 1);
  target += normal_lpdf(phi[2] | 3, 1);
  target += normal_lpdf(lambda[1] | 0, 1);
  target += normal_lpdf(lambda[2] | 3, 1);
  {
    array[N, K] real gamma;
    for (k in 1:K) {
      gamma[1, k] = normal_lpdf(u[1] | phi[k], tau)
                    + normal_lpdf(v[1] | lambda[k], rho);
    }
    for (t in 2:N) {
      for (k in 1:K) {
        array[K] real acc;
        real log_emission;
        log_emission = normal_lpdf(u[t] | phi[k], tau)
                       + normal_lpdf(v[t] | lambda[k], rho);
        for (j in 1:K) {
          acc[j] = gamma[t - 1, j] + log(theta[j, k]) + log_emission;
        }
        gamma[t, k] = log_sum_exp(acc);
      }
    }
    target += log_sum_exp(gamma[N]);
  }
}
