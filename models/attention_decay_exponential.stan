// Exponential decay of attention with token distance, hierarchical over layers, heads,
// genres, sources and passages. hazel's flagship model (issue 9); data built by
// examples/attention_decay.rs from data/attention/attention_decay.parquet.
//
// Outcome: y = log(mean_attn_content), the mean attention a query pays to the key d tokens
// back, renormalised over content keys (the start-of-text sink removed, see
// data/attention/README.md). For head h on passage p:
//
//     y = level[h] + level_passage[p] - lambda[h, p] * (d - mean d) + noise,
//     log lambda[h, p] = log_lambda_head[h] + genre_head[h] * g[p] + source[s(p)] + passage[p]
//
// i.e. attention ~ exp(-lambda d), the heuristic under test. The structure, priors on the
// scales and likelihood are those of attention_decay_power.stan, so the two differ only in
// the decay form. g = +1/2 for conversation and -1/2 for technical text, so
// beta_genre = log(lambda_conversation / lambda_technical) for the typical head. The noise
// is Student-t with a per-head scale: per-passage curves have rare, very large excursions
// (tokens that attract attention far above their distance), which a normal likelihood
// would let dominate the fit.
data {
  int<lower=1> N;                                   // rows: curve x distance
  int<lower=1> L;                                   // layers
  int<lower=1> H;                                   // heads (layer x head pairs)
  int<lower=1> S;                                   // sources (three per genre)
  int<lower=1> P;                                   // passages
  int<lower=1> C;                                   // curves: head x passage
  array[N] int<lower=1, upper=C> curve;             // curve of each row
  array[C] int<lower=1, upper=H> curve_head;
  array[C] int<lower=1, upper=P> curve_passage;
  vector<lower=1>[N] distance;
  vector<lower=0>[N] attn;                          // mean_attn_content
  array[H] int<lower=1, upper=L> layer;             // layer of each head
  array[P] int<lower=1, upper=S> source;            // source of each passage
  array[S] int<lower=0, upper=1> conversation;      // genre of each source
  int<lower=1> D;                                   // distinct distances
  vector<lower=1>[D] grid;                          // the distinct distances, ascending
  array[N] int<lower=1, upper=D> distance_index;    // grid[distance_index[n]] = distance[n]
}
transformed data {
  vector[N] y = log(attn);
  real ref = mean(distance);
  vector[N] x = distance - ref;                     // centred: level is the weight at d = ref
  vector[S] g_source;
  for (s in 1:S) g_source[s] = conversation[s] - 0.5;
  vector[P] g = g_source[source];
  array[N] int row_head = curve_head[curve];
  // Orthonormal bases of zero-sum vectors (Helmert contrasts): passage shifts of the level
  // sum to zero over all passages, passage deviations of the decay sum to zero within each
  // source. Their means are not identified apart from the head and source terms (a shift of
  // every passage against every head leaves the fit unchanged); with zero-sum bases those
  // directions do not exist, instead of being held only by the prior.
  matrix[P, P - 1] basis_all = rep_matrix(0, P, P - 1);
  for (k in 1:(P - 1)) {
    for (i in 1:k) basis_all[i, k] = 1 / sqrt(k * (k + 1.0));
    basis_all[k + 1, k] = -k / sqrt(k * (k + 1.0));
  }
  matrix[P, P - S] basis_source = rep_matrix(0, P, P - S);
  {
    int col = 0;
    for (s in 1:S) {
      array[P] int members;
      int n = 0;
      for (p in 1:P) {
        if (source[p] == s) {
          n += 1;
          members[n] = p;
        }
      }
      if (n == 0) reject("source ", s, " has no passages");
      for (j in 1:(n - 1)) {
        col += 1;
        for (i in 1:j) basis_source[members[i], col] = 1 / sqrt(j * (j + 1.0));
        basis_source[members[j + 1], col] = -j / sqrt(j * (j + 1.0));
      }
    }
  }
  vector[D] x_grid = grid - ref;
  real n_conv_sources = sum(conversation);
  real n_tech_sources = S - n_conv_sources;
  if (n_conv_sources < 1 || n_tech_sources < 1) reject("both genres need at least one source");
  // Source effects are split into each genre's mean and zero-sum deviations within the
  // genre (orthonormal basis, as for passages). With three sources per genre, the genre
  // means of the source effects trade off almost freely against the network mean and the
  // genre effect; see the parameters block.
  matrix[S, S - 2] basis_genre = rep_matrix(0, S, S - 2);
  {
    int col = 0;
    for (k in 0:1) {
      array[S] int members;
      int n = 0;
      for (s in 1:S) {
        if (conversation[s] == k) {
          n += 1;
          members[n] = s;
        }
      }
      for (j in 1:(n - 1)) {
        col += 1;
        for (i in 1:j) basis_genre[members[i], col] = 1 / sqrt(j * (j + 1.0));
        basis_genre[members[j + 1], col] = -j / sqrt(j * (j + 1.0));
      }
    }
  }
  vector[S] is_conv_source = to_vector(conversation);
  // Generated quantities work on rows as a D x C matrix (one column per curve), so the rows
  // must come grouped by curve, one per grid distance in grid order (as the example writes
  // them); any other layout is refused here rather than giving wrong curve sums.
  if (N != D * C) reject("N = ", N, " rows, but D * C = ", D * C, ": every curve needs all D distances");
  for (n in 1:N) {
    if (curve[n] != (n - 1) %/% D + 1 || distance_index[n] != (n - 1) % D + 1)
      reject("row ", n, " is out of order: rows must be grouped by curve, in grid order");
  }
  // Weights averaging the curves of each genre (posterior predictive means).
  vector[C] w_conversation;
  vector[C] w_technical;
  for (c in 1:C) {
    w_conversation[c] = g[curve_passage[c]] > 0;
    w_technical[c] = g[curve_passage[c]] < 0;
  }
  w_conversation = w_conversation / sum(w_conversation);
  w_technical = w_technical / sum(w_technical);
}
parameters {
  // The data see the six sources, not the population they were drawn from: they fix the
  // network mean plus the sources' mean effect, and the genre effect plus the difference
  // of the two genres' mean source effects, but split neither sum. Sampled as the separate
  // terms, those two directions are long ridges (R-hat 1.016 in the power-law model at 4 x
  // 1000 draws). So the sampler works on the identified sums ("_sample": among these
  // sources) and on each genre's mean source effect; mu_log_lambda, log_lambda_head and
  // beta_genre (the population quantities) are recovered in transformed parameters by
  // subtracting. The change of variables is a shear (unit Jacobian) and the priors below
  // are stated on the original terms, so the model is exactly the one with iid source
  // effects.
  //
  // Decay rate per token, log scale: network mean, layers around it, heads around their layer.
  real mu_log_lambda_sample;
  real<lower=0> tau_layer;
  vector[L] z_layer;
  real<lower=0> tau_head;
  vector[H] log_lambda_head_sample;
  // Genre: network-wide effect and head-to-head variation of it.
  real beta_genre_sample;
  real<lower=0> tau_genre_head;
  vector[H] z_genre_head;
  // Source within genre (each genre's mean, then zero-sum deviations within the genre)
  // and passage within source.
  real<lower=0> tau_source;
  vector[2] z_source_mean;                          // technical, conversation
  vector[S - 2] z_source_within;                    // zero-sum within genre, see basis_genre
  real<lower=0> tau_passage;
  vector[P - S] passage_dev_z;                      // zero-sum within source, see basis_source
  // Level at the reference distance.
  real mu_level;
  real<lower=0> tau_level;
  vector[H] level;
  real<lower=0> tau_passage_level;
  vector[P - 1] passage_level_z;                    // zero-sum, see basis_all
  // Residual scale per head (log scale, pooled) and tail weight.
  real mu_log_sigma;
  real<lower=0> tau_log_sigma;
  vector[H] log_sigma;
  real<lower=1> nu;
}
transformed parameters {
  // Genre means of iid normal(0, tau_source) source effects: normal(0, tau_source / sqrt(n)).
  real source_mean_technical = tau_source * z_source_mean[1] / sqrt(n_tech_sources);
  real source_mean_conversation = tau_source * z_source_mean[2] / sqrt(n_conv_sources);
  real source_mean = 0.5 * (source_mean_conversation + source_mean_technical);
  real source_diff = source_mean_conversation - source_mean_technical;
  vector[S] source_effect = source_mean_technical
                            + source_diff * is_conv_source
                            + tau_source * (basis_genre * z_source_within);
  real mu_log_lambda = mu_log_lambda_sample - source_mean;
  vector[H] log_lambda_head = log_lambda_head_sample - source_mean;
  real beta_genre = beta_genre_sample - source_diff;
  vector[L] log_lambda_layer = mu_log_lambda + tau_layer * z_layer;
  vector[H] genre_head = beta_genre + tau_genre_head * z_genre_head;
  // z ~ normal(0, tau) on an orthonormal zero-sum basis gives the passage terms the
  // distribution of iid normal(0, tau) terms conditioned to sum to zero.
  vector[P] passage_level = basis_all * passage_level_z;
  vector[P] passage_effect = source_effect[source] + basis_source * passage_dev_z;
}
model {
  vector[C] lambda = exp(log_lambda_head[curve_head] + genre_head[curve_head] .* g[curve_passage]
                        + passage_effect[curve_passage]);
  vector[C] curve_level = level[curve_head] + passage_level[curve_passage];
  vector[H] sigma = exp(log_sigma);
  y ~ student_t(nu, curve_level[curve] - lambda[curve] .* x, sigma[row_head]);

  // Priors: weakly informative, none tuned on these data.
  // Rates: attention halving every 2 to 200 tokens is plausible (rate 0.003 to 0.35):
  // median 0.03, 95% prior interval 0.004 to 0.21.
  mu_log_lambda ~ normal(log(0.03), 1);
  // Layer and head spreads on the log scale: half-normal(0, 1) puts 95% below a factor
  // of e^2 between a typical layer (head) and the network (layer) mean.
  tau_layer ~ normal(0, 1);
  tau_head ~ normal(0, 1);
  z_layer ~ std_normal();
  // (the same density as log_lambda_head ~ normal(log_lambda_layer[layer], tau_head))
  log_lambda_head_sample ~ normal(mu_log_lambda_sample + tau_layer * z_layer[layer], tau_head);
  // Genre changes the rate by a factor within exp(+-0.4) = 0.67 to 1.5 (95%): a large
  // effect for a property of text rather than of the network; heads, sources and passages
  // vary around it by less (half-normal scales of 0.1 and 0.2 on the log scale).
  beta_genre ~ normal(0, 0.2);
  tau_genre_head ~ normal(0, 0.1);
  z_genre_head ~ std_normal();
  tau_source ~ normal(0, 0.1);
  z_source_mean ~ std_normal();
  z_source_within ~ std_normal();
  tau_passage ~ normal(0, 0.2);
  passage_dev_z ~ normal(0, tau_passage);
  // Level: a content key at d ~ 20 gets about 1/50 of a query's content attention
  // (log 0.02 = -3.9); sd 2 spans 1/400 to 1/7.
  mu_level ~ normal(-4, 2);
  tau_level ~ student_t(3, 0, 1);
  level ~ normal(mu_level, tau_level);
  tau_passage_level ~ normal(0, 0.5);
  passage_level_z ~ normal(0, tau_passage_level);
  // Residual scale on the log-attention scale: around 0.4 (a factor of 1.5), heads differ.
  mu_log_sigma ~ normal(log(0.4), 1);
  tau_log_sigma ~ normal(0, 0.5);
  log_sigma ~ normal(mu_log_sigma, tau_log_sigma);
  // Tail weight: gamma(2, 0.1) (Juarez and Steel 2010), mean 20, mass down to nu near 1.
  nu ~ gamma(2, 0.1);
}
generated quantities {
  // Rate of the typical head in each genre, and their ratio (> 1: conversation steeper).
  real lambda_conversation = exp(mu_log_lambda + 0.5 * beta_genre);
  real lambda_technical = exp(mu_log_lambda - 0.5 * beta_genre);
  real genre_ratio = exp(beta_genre);
  vector[L] lambda_layer = exp(log_lambda_layer);
  vector[H] lambda_head = exp(log_lambda_head);
  // Log-likelihood of each curve (head x passage: a passage's whole decay curve for one
  // head), for leave-one-curve-out PSIS-LOO.
  vector[C] log_lik;
  // Genre decay curves: predicted log content-attention averaged over heads, with source
  // effects averaged within the genre and the passage effects at their mean (zero).
  vector[D] curve_conversation;
  vector[D] curve_technical;
  // Posterior predictive check: the mean of replicated log attention over each genre's
  // rows at each distance (compare with the observed means).
  vector[D] ppc_conversation;
  vector[D] ppc_technical;
  {
    vector[H] sigma = exp(log_sigma);
    vector[C] lambda = exp(log_lambda_head[curve_head] + genre_head[curve_head] .* g[curve_passage]
                          + passage_effect[curve_passage]);
    vector[C] curve_level = level[curve_head] + passage_level[curve_passage];
    vector[N] mu = curve_level[curve] - lambda[curve] .* x;
    vector[N] sigma_row = sigma[row_head];
    // Student-t log density of every row, vectorised, summed within each curve (column).
    vector[N] lp = -0.5 * (nu + 1) * log1p(square((y - mu) ./ sigma_row) / nu) - log(sigma_row)
                   + (lgamma(0.5 * (nu + 1)) - lgamma(0.5 * nu) - 0.5 * log(nu * pi()));
    log_lik = (rep_row_vector(1, D) * to_matrix(lp, D, C))';
    matrix[D, C] y_rep = to_matrix(student_t_rng(nu, mu, sigma_row), D, C);
    ppc_conversation = y_rep * w_conversation;
    ppc_technical = y_rep * w_technical;
    real src_conv = 0;
    real src_tech = 0;
    for (s in 1:S) {
      if (conversation[s] == 1) src_conv += source_effect[s] / n_conv_sources;
      else src_tech += source_effect[s] / (S - n_conv_sources);
    }
    for (d in 1:D) {
      curve_conversation[d] = mean(level - exp(log_lambda_head + 0.5 * genre_head + src_conv) * x_grid[d]);
      curve_technical[d] = mean(level - exp(log_lambda_head - 0.5 * genre_head + src_tech) * x_grid[d]);
    }
  }
}
