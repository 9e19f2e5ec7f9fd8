//! Gradient time of compiled models against hand-written Rust log densities with analytic
//! gradients for the same posteriors (issue 5 benchmark): eight schools non-centred, a
//! 1,000-observation logistic regression written vectorised and as a loop, and radon
//! varying intercepts. Prints the ratio compiled / hand-written per model, and the time
//! from source text to a ready log density. Run (optimised):
//! `cargo run --release --example compile_bench`.

use hazel::compile::{CompileOptions, CompiledModel, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::{EvalError, LogDensity};
use rand::RngExt;
use std::time::Instant;

/// Gradient evaluations timed per model (after as many warm-up evaluations).
const REPS: usize = 2000;

fn build(src: &str, data: &DataSet) -> (CompiledModel, f64) {
    let start = Instant::now();
    let typed = hazel::lang::check("bench.stan", src).expect("benchmark model type-checks");
    let m = compile(&typed, data, &CompileOptions::default()).expect("benchmark model compiles");
    (m, start.elapsed().as_secs_f64() * 1e3)
}

fn time(d: &impl LogDensity, x: &[f64]) -> f64 {
    let mut g = vec![0.0; x.len()];
    for _ in 0..REPS {
        let _ = d.log_density_and_gradient(x, &mut g);
    }
    let start = Instant::now();
    for _ in 0..REPS {
        let _ = d.log_density_and_gradient(x, &mut g);
    }
    start.elapsed().as_secs_f64() / REPS as f64 * 1e6
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

fn report(name: &str, compiled: &CompiledModel, hand: &impl LogDensity, compile_ms: f64) {
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
    let (tc, th) = (time(compiled, &x), time(hand, &x));
    println!(
        "{name:<28} compiled {tc:9.2} us  hand {th:9.2} us  ratio {:5.2}  compile {compile_ms:6.2} ms  (lp {a:.4}, max gradient difference {diff:.1e})",
        tc / th
    );
}

fn main() {
    let eight = DataSet::from_json_file(std::path::Path::new("data/bench/eight_schools.json"))
        .expect("data/bench/eight_schools.json");
    let src =
        std::fs::read_to_string("models/examples/eight_schools_noncentered.stan").expect("model");
    let (m, ms) = build(&src, &eight);
    let get = |d: &DataSet, k: &str| d.get(k).expect("data variable").values.clone();
    let hand = EightSchools {
        y: get(&eight, "y"),
        sigma: get(&eight, "sigma"),
    };
    report("eight schools (nc)", &m, &hand, ms);

    let (n, k) = (1000, 5);
    let mut rng = hazel::rng::chain_rng(2026, 0);
    let x: Vec<f64> = (0..n * k)
        .map(|_| rng.random::<f64>() * 2.0 - 1.0)
        .collect();
    let y: Vec<f64> = (0..n)
        .map(|_| f64::from(u8::from(rng.random::<f64>() < 0.4)))
        .collect();
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "[{}]",
                x[i * k..(i + 1) * k]
                    .iter()
                    .map(f64::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .collect();
    let ys: Vec<String> = y.iter().map(|v| (*v as i64).to_string()).collect();
    let json = format!(
        "{{\"N\": {n}, \"K\": {k}, \"X\": [{}], \"y\": [{}]}}",
        rows.join(","),
        ys.join(",")
    );
    let data = DataSet::from_json_str(&json, "logistic").expect("generated data");
    let head = "data { int N; int K; matrix[N, K] X; array[N] int<lower=0, upper=1> y; }
                parameters { real alpha; vector[K] beta; }";
    let hand = Logistic { n, k, x, y };
    let (m, ms) = build(
        &format!(
            "{head} model {{ alpha ~ normal(0, 5); beta ~ normal(0, 5); y ~ bernoulli_logit(alpha + X * beta); }}"
        ),
        &data,
    );
    report("logistic 1000 vectorised", &m, &hand, ms);
    let (m, ms) = build(
        &format!(
            "{head} model {{ alpha ~ normal(0, 5); beta ~ normal(0, 5);
                   for (i in 1:N) y[i] ~ bernoulli_logit(alpha + X[i] * beta); }}"
        ),
        &data,
    );
    report("logistic 1000 loop", &m, &hand, ms);

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
