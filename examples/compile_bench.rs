//! Gradient time of compiled models against hand-written Rust log densities with analytic
//! gradients for the same posteriors (issue 5 benchmark): eight schools non-centred, a
//! 1,000-observation logistic regression written vectorised and as a loop, and radon
//! varying intercepts, plus a synthetic model shaped like the flagship study's
//! (issue 9: gathers by head and passage, an exp chain, normal with a gathered scale).
//! Prints the ratio compiled / hand-written per model, and the time from source text to
//! a ready log density. Run: `cargo run --profile ci --locked --example compile_bench`.
//!
//! Environment: `COMPILE_BENCH_FILTER=radon` runs only the models whose name contains
//! that text; `COMPILE_BENCH_REPS=200` sets the timed evaluations per model;
//! `COMPILE_BENCH_DUMP=1` prints each compiled tape. Under
//! `valgrind --tool=callgrind`, the inclusive instruction counts of `compiled_loop` and
//! `hand_loop` divided by their evaluations give load-independent costs per gradient
//! (the repetitions, rounded down to a multiple of 15 timing rounds, plus a warm-up of one
//! round's evaluations, at most 100: 320 for `COMPILE_BENCH_REPS=300`).

use hazel::compile::{CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::{EvalError, LogDensity};
use rand::RngExt;
use std::time::Instant;

/// Gradient evaluations timed per model (after as many warm-up evaluations), unless
/// `COMPILE_BENCH_REPS` says otherwise.
const REPS: usize = 2000;

fn reps() -> usize {
    std::env::var("COMPILE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(REPS)
}

fn selected(name: &str) -> bool {
    std::env::var("COMPILE_BENCH_FILTER").map_or(true, |f| name.contains(&f))
}

fn build(src: &str, data: &DataSet) -> (CompiledModel, f64) {
    let start = Instant::now();
    let typed = hazel::lang::check("bench.stan", src).expect("benchmark model type-checks");
    let m = compile(&typed, data, &CompileOptions::default()).expect("benchmark model compiles");
    (m, start.elapsed().as_secs_f64() * 1e3)
}

/// `reps` gradients of the compiled model (a named frame for callgrind).
#[inline(never)]
fn compiled_loop(d: &CompiledModel, x: &[f64], g: &mut [f64], reps: usize) {
    for _ in 0..reps {
        let _ = std::hint::black_box(d.log_density_and_gradient(x, g));
    }
}

/// `reps` gradients of the hand-written density (a named frame for callgrind).
#[inline(never)]
fn hand_loop(d: &dyn LogDensity, x: &[f64], g: &mut [f64], reps: usize) {
    for _ in 0..reps {
        let _ = std::hint::black_box(d.log_density_and_gradient(x, g));
    }
}

/// Timing rounds per model: the timed evaluations are split into this many rounds, each
/// timing the compiled and the hand-written density back to back (their order
/// alternating), so that both see the same machine load.
const ROUNDS: usize = 15;

/// Nanoseconds per gradient of the compiled (`a`) and hand-written (`b`) densities over
/// [`ROUNDS`] interleaved rounds, after warm-up: the fastest round of each (the least
/// disturbed by other work on the machine) and the median of the rounds' ratios a / b.
fn time(a: impl Fn(&mut [f64], usize), b: impl Fn(&mut [f64], usize), dim: usize) -> Timing {
    let mut g = vec![0.0; dim];
    let per_round = (reps() / ROUNDS).max(1);
    a(&mut g, per_round.min(100));
    b(&mut g, per_round.min(100));
    let once = |run: &dyn Fn(&mut [f64], usize), g: &mut [f64]| {
        let start = Instant::now();
        run(g, per_round);
        start.elapsed().as_secs_f64() / per_round as f64 * 1e9
    };
    let (mut ta, mut tb, mut ratios) = (f64::INFINITY, f64::INFINITY, Vec::new());
    for round in 0..ROUNDS {
        let (x, y) = if round % 2 == 0 {
            let x = once(&a, &mut g);
            (x, once(&b, &mut g))
        } else {
            let y = once(&b, &mut g);
            (once(&a, &mut g), y)
        };
        ta = ta.min(x);
        tb = tb.min(y);
        ratios.push(x / y);
    }
    ratios.sort_by(f64::total_cmp);
    Timing {
        compiled_ns: ta,
        hand_ns: tb,
        median_ratio: ratios[ratios.len() / 2],
    }
}

/// What [`time`] measured.
struct Timing {
    compiled_ns: f64,
    hand_ns: f64,
    median_ratio: f64,
}

fn log1p_exp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// Eight schools, non-centred, `~` semantics (constants dropped), tau on the log scale.
struct EightSchools {
    y: Vec<f64>,
    sigma: Vec<f64>,
}

impl LogDensity for EightSchools {
    fn dim(&self) -> usize {
        10
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        let (mu, tau) = (x[0], x[1].exp());
        let u = 1.0 + (tau / 5.0).powi(2);
        let mut lp = -mu * mu / 50.0 - u.ln() + x[1];
        g[0] = -mu / 25.0;
        let mut dtau = -2.0 * tau / 25.0 / u;
        for j in 0..8 {
            let t = x[2 + j];
            let r = (self.y[j] - mu - tau * t) / (self.sigma[j] * self.sigma[j]);
            lp += -0.5 * t * t - 0.5 * r * (self.y[j] - mu - tau * t);
            g[0] += r;
            dtau += r * t;
            g[2 + j] = -t + r * tau;
        }
        g[1] = dtau * tau + 1.0;
        Ok(lp)
    }
}

/// Logistic regression with normal(0, 5) priors on alpha and beta.
struct Logistic {
    n: usize,
    k: usize,
    /// Row-major N x K.
    x: Vec<f64>,
    y: Vec<f64>,
}

impl LogDensity for Logistic {
    fn dim(&self) -> usize {
        self.k + 1
    }
    fn log_density_and_gradient(&self, p: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        let (alpha, beta) = (p[0], &p[1..]);
        let mut lp = -alpha * alpha / 50.0;
        g[0] = -alpha / 25.0;
        for j in 0..self.k {
            lp -= beta[j] * beta[j] / 50.0;
            g[1 + j] = -beta[j] / 25.0;
        }
        for i in 0..self.n {
            let row = &self.x[i * self.k..(i + 1) * self.k];
            let eta = alpha + row.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>();
            lp += self.y[i] * eta - log1p_exp(eta);
            let r = self.y[i] - 1.0 / (1.0 + (-eta).exp());
            g[0] += r;
            for j in 0..self.k {
                g[1 + j] += r * row[j];
            }
        }
        Ok(lp)
    }
}

/// Radon varying intercepts, non-centred, as `models/examples/radon_noncentered.stan`.
struct Radon {
    county: Vec<usize>,
    floor: Vec<f64>,
    y: Vec<f64>,
    j: usize,
}

impl LogDensity for Radon {
    fn dim(&self) -> usize {
        self.j + 4
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        let j = self.j;
        let (mu, ls_a) = (x[0], x[1]);
        let sa = ls_a.exp();
        let raw = &x[2..2 + j];
        let (beta, ls_y) = (x[2 + j], x[3 + j]);
        let sy = ls_y.exp();
        g.fill(0.0);
        let mut lp =
            -mu * mu / 200.0 - 0.5 * sa * sa + ls_a - beta * beta / 200.0 - 0.5 * sy * sy + ls_y;
        g[0] = -mu / 100.0;
        let mut dsa = -sa;
        g[2 + j] = -beta / 100.0;
        let mut dsy = -sy;
        for (k, &r) in raw.iter().enumerate() {
            lp -= 0.5 * r * r;
            g[2 + k] = -r;
        }
        let n = self.y.len();
        let mut ss = 0.0;
        for i in 0..n {
            let c = self.county[i];
            let m = mu + sa * raw[c] + beta * self.floor[i];
            let r = (self.y[i] - m) / (sy * sy);
            ss += (self.y[i] - m) * (self.y[i] - m);
            g[0] += r;
            dsa += r * raw[c];
            g[2 + c] += r * sa;
            g[2 + j] += r * self.floor[i];
        }
        lp += -0.5 * ss / (sy * sy) - n as f64 * ls_y;
        dsy += ss / (sy * sy * sy) - n as f64 / sy;
        g[1] = dsa * sa + 1.0;
        g[3 + j] = dsy * sy + 1.0;
        Ok(lp)
    }
}

fn report(name: &str, compiled: &CompiledModel, hand: &dyn LogDensity, compile_ms: f64) {
    if std::env::var_os("COMPILE_BENCH_DUMP").is_some() {
        println!("{name}:\n{}", compiled.dump_tape());
    }
    let x: Vec<f64> = (0..compiled.dim())
        .map(|i| 0.1 * ((i % 7) as f64 - 3.0))
        .collect();
    let (mut g1, mut g2) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    let a = compiled
        .log_density_and_gradient(&x, &mut g1)
        .expect("compiled density");
    hand.log_density_and_gradient(&x, &mut g2)
        .expect("hand-written density");
    let diff = g1
        .iter()
        .zip(&g2)
        .map(|(p, q)| (p - q).abs() / (1.0 + q.abs()))
        .fold(0.0, f64::max);
    let t = time(
        |g, n| compiled_loop(compiled, &x, g, n),
        |g, n| hand_loop(hand, &x, g, n),
        x.len(),
    );
    println!(
        "{name:<28} compiled {:9.1} ns  hand {:9.1} ns  ratio {:5.2} (median of rounds {:5.2})  compile {compile_ms:6.2} ms  (lp {a:.4}, max gradient difference {diff:.1e})",
        t.compiled_ns,
        t.hand_ns,
        t.compiled_ns / t.hand_ns,
        t.median_ratio
    );
}

fn get(d: &DataSet, k: &str) -> Vec<f64> {
    d.get(k).expect("data variable").values.clone()
}

fn eight_schools() {
    let eight = DataSet::from_json_file(std::path::Path::new("data/bench/eight_schools.json"))
        .expect("data/bench/eight_schools.json");
    let src =
        std::fs::read_to_string("models/examples/eight_schools_noncentered.stan").expect("model");
    let (m, ms) = build(&src, &eight);
    let hand = EightSchools {
        y: get(&eight, "y"),
        sigma: get(&eight, "sigma"),
    };
    report("eight schools (nc)", &m, &hand, ms);
}

fn logistic() {
    let (n, k) = (1000, 5);
    let mut rng = hazel::rng::chain_rng(2026, 0);
    let x: Vec<f64> = (0..n * k)
        .map(|_| rng.random::<f64>() * 2.0 - 1.0)
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|_| f64::from(u8::from(rng.random::<f64>() < 0.4)))
        .collect();
    let rows: Vec<String> = (0..n)
        .map(|i| format!("[{}]", join(&x[i * k..(i + 1) * k])))
        .collect();
    let json = format!(
        "{{\"N\": {n}, \"K\": {k}, \"X\": [{}], \"y\": [{}]}}",
        rows.join(","),
        join(&y)
    );
    let data = DataSet::from_json_str(&json, "logistic").expect("generated data");
    let head = "data { int N; int K; matrix[N, K] X; array[N] int<lower=0, upper=1> y; }
                parameters { real alpha; vector[K] beta; }";
    let hand = Logistic { n, k, x, y };
    if selected("logistic 1000 vectorised") {
        let (m, ms) = build(
            &format!(
                "{head} model {{ alpha ~ normal(0, 5); beta ~ normal(0, 5); y ~ bernoulli_logit(alpha + X * beta); }}"
            ),
            &data,
        );
        report("logistic 1000 vectorised", &m, &hand, ms);
    }
    if selected("logistic 1000 loop") {
        let (m, ms) = build(
            &format!(
                "{head} model {{ alpha ~ normal(0, 5); beta ~ normal(0, 5);
                   for (i in 1:N) y[i] ~ bernoulli_logit(alpha + X[i] * beta); }}"
            ),
            &data,
        );
        report("logistic 1000 loop", &m, &hand, ms);
    }
}

fn radon() {
    let radon = DataSet::from_json_file(std::path::Path::new("data/bench/radon_mn.json"))
        .expect("data/bench/radon_mn.json");
    let src = std::fs::read_to_string("models/examples/radon_noncentered.stan").expect("model");
    let (m, ms) = build(&src, &radon);
    let hand = Radon {
        county: get(&radon, "county_idx")
            .iter()
            .map(|c| *c as usize - 1)
            .collect(),
        floor: get(&radon, "floor_measure"),
        y: get(&radon, "log_radon"),
        j: get(&radon, "J")[0] as usize,
    };
    report("radon varying intercepts", &m, &hand, ms);
}

/// Values as JSON array items.
fn join(v: &[f64]) -> String {
    v.iter().map(f64::to_string).collect::<Vec<_>>().join(",")
}

/// Rows, heads and passages of the flagship-shaped synthetic model.
const FLAGSHIP_SIZE: (usize, usize, usize) = (20_000, 72, 240);

const FLAGSHIP_MODEL: &str = "
data {
  int<lower=1> N;
  int<lower=1> H;
  int<lower=1> P;
  array[N] int<lower=1, upper=H> head;
  array[N] int<lower=1, upper=P> passage;
  vector[N] conv;
  vector[N] log_d;
  vector[N] y;
}
parameters {
  vector[H] a;
  vector[P] u;
  real<lower=0> tau_u;
  vector[H] log_alpha;
  real beta;
  vector<lower=0>[H] sigma;
}
model {
  a ~ normal(0, 1);
  tau_u ~ normal(0, 1);
  u ~ normal(0, tau_u);
  log_alpha ~ normal(-1, 1);
  beta ~ normal(0, 1);
  sigma ~ normal(0, 1);
  y ~ normal(a[head] + u[passage] - exp(log_alpha[head] + beta * conv) .* log_d, sigma[head]);
}";

/// The flagship-shaped model by hand (constants dropped, log transforms for the scales).
struct Flagship {
    head: Vec<usize>,
    passage: Vec<usize>,
    conv: Vec<f64>,
    log_d: Vec<f64>,
    y: Vec<f64>,
    h: usize,
    p: usize,
}

impl LogDensity for Flagship {
    fn dim(&self) -> usize {
        3 * self.h + self.p + 2
    }
    fn log_density_and_gradient(&self, x: &[f64], g: &mut [f64]) -> Result<f64, EvalError> {
        let (h, p) = (self.h, self.p);
        let (a, rest) = x.split_at(h);
        let (u, rest) = rest.split_at(p);
        let tau = rest[0].exp();
        let la = &rest[1..1 + h];
        let beta = rest[1 + h];
        let ls = &rest[2 + h..2 + 2 * h];
        let (ia, iu, it, il, ib, is) = (0, h, h + p, h + p + 1, 2 * h + p + 1, 2 * h + p + 2);
        g.fill(0.0);
        let mut lp = -0.5 * tau * tau + rest[0] - 0.5 * beta * beta;
        let mut dtau = -tau;
        g[ib] = -beta;
        for k in 0..h {
            lp -= 0.5 * a[k] * a[k] + 0.5 * (la[k] + 1.0) * (la[k] + 1.0);
            g[ia + k] = -a[k];
            g[il + k] = -(la[k] + 1.0);
            let s = ls[k].exp();
            lp += -0.5 * s * s + ls[k];
            g[is + k] = -s * s + 1.0;
        }
        let inv_t2 = 1.0 / (tau * tau);
        for (k, &uk) in u.iter().enumerate() {
            lp -= 0.5 * uk * uk * inv_t2;
            g[iu + k] = -uk * inv_t2;
            dtau += uk * uk * inv_t2 / tau;
        }
        lp -= p as f64 * rest[0];
        dtau -= p as f64 / tau;
        g[it] = dtau * tau + 1.0;
        for i in 0..self.y.len() {
            let (hd, ps) = (self.head[i], self.passage[i]);
            let e = (la[hd] + beta * self.conv[i]).exp();
            let mu = a[hd] + u[ps] - e * self.log_d[i];
            let s = ls[hd].exp();
            let z = (self.y[i] - mu) / s;
            lp += -0.5 * z * z - ls[hd];
            let r = z / s;
            g[ia + hd] += r;
            g[iu + ps] += r;
            let de = -r * e * self.log_d[i];
            g[il + hd] += de;
            g[ib] += de * self.conv[i];
            g[is + hd] += z * z - 1.0;
        }
        Ok(lp)
    }
}

fn flagship() {
    let (n, h, p) = FLAGSHIP_SIZE;
    let mut rng = hazel::rng::chain_rng(2027, 0);
    let head: Vec<usize> = (0..n).map(|i| i % h).collect();
    let passage: Vec<usize> = (0..n).map(|i| (i / h) % p).collect();
    let conv: Vec<f64> = passage
        .iter()
        .map(|&q| f64::from(u8::from(q < p / 2)))
        .collect();
    let log_d: Vec<f64> = (0..n).map(|i| ((i * 7 % 64) as f64 + 1.0).ln()).collect();
    let y: Vec<f64> = (0..n)
        .map(|i| -0.3 * log_d[i] - 0.2 * conv[i] + 0.5 * (rng.random::<f64>() - 0.5))
        .collect();
    let ints = |v: &[usize]| join(&v.iter().map(|&q| q as f64 + 1.0).collect::<Vec<_>>());
    let json = format!(
        "{{\"N\": {n}, \"H\": {h}, \"P\": {p}, \"head\": [{}], \"passage\": [{}], \"conv\": [{}], \"log_d\": [{}], \"y\": [{}]}}",
        ints(&head),
        ints(&passage),
        join(&conv),
        join(&log_d),
        join(&y)
    );
    let data = DataSet::from_json_str(&json, "flagship").expect("generated data");
    let (m, ms) = build(FLAGSHIP_MODEL, &data);
    let hand = Flagship {
        head,
        passage,
        conv,
        log_d,
        y,
        h,
        p,
    };
    report("flagship-shaped (20k rows)", &m, &hand, ms);
}

fn main() {
    if selected("eight schools (nc)") {
        eight_schools();
    }
    if selected("logistic 1000 vectorised") || selected("logistic 1000 loop") {
        logistic();
    }
    if selected("radon varying intercepts") {
        radon();
    }
    if selected("flagship-shaped (20k rows)") {
        flagship();
    }
}
