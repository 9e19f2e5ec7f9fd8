//! Cost of the numeric evaluator: generated quantities per kept draw
//! (`Model::write_output`) for radon, wells (vectorised and loop forms) and synthetic
//! N = 50,000 models (a scalar loop and a vectorised form), and the time from source text
//! to a ready log density (tracing) for every model under `models/` whose data is at hand.
//! Prints per-draw and per-model times and an FNV-1a hash of each model's outputs over
//! its first five draws (equal hashes before and after a change mean bit-identical output).
//! Run: `cargo run --profile ci --locked --example gq_bench [-- --gq-only | --trace-only] [--draws=N] [CASE…]`
//! (CASE: substrings of the generated-quantities case names to run).

use hazel::compile::{CompileOptions, CompiledModel, compile};
use hazel::conformance::runner::find_shared_dir;
use hazel::io::stan_json::DataSet;
use hazel::model::{LogDensity, Model};
use rand::RngExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Draws timed per model (after one warm-up draw), at most.
const DRAWS: usize = 200;

/// Wall-clock budget per model's timing loop, in seconds (slow models run fewer draws).
const BUDGET_S: f64 = 3.0;

/// Timed draws whose outputs enter the hash (a fixed number, so the hash does not depend
/// on the speed of the run).
const HASHED_DRAWS: usize = 4;

/// Observations of the synthetic models (the flagship study's scale).
const SYNTH_N: usize = 50_000;

fn try_build(name: &str, src: &str, data: &DataSet) -> Result<(CompiledModel, f64), String> {
    let start = Instant::now();
    let typed = hazel::lang::check(name, src).map_err(|d| d.render(src))?;
    let opts = CompileOptions {
        seed: 1,
        source: src.to_string(),
    };
    let m = compile(&typed, data, &opts).map_err(|e| e.to_string())?;
    Ok((m, start.elapsed().as_secs_f64() * 1e3))
}

fn build(name: &str, src: &str, data: &DataSet) -> (CompiledModel, f64) {
    try_build(name, src, data).expect("benchmark model compiles")
}

/// FNV-1a over the bits of every output value.
fn fnv(hash: &mut u64, xs: &[f64]) {
    for x in xs {
        for b in x.to_bits().to_le_bytes() {
            *hash ^= u64::from(b);
            *hash = hash.wrapping_mul(0x100_0000_01b3);
        }
    }
}

fn time_gq(name: &str, m: &CompiledModel, draws: usize) {
    let x: Vec<f64> = (0..m.dim()).map(|i| 0.1 * ((i % 7) as f64 - 3.0)).collect();
    let mut rng = hazel::rng::chain_rng(2026, 0);
    let mut out = Vec::new();
    m.write_output(&x, &mut rng, &mut out)
        .expect("generated quantities run");
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    fnv(&mut hash, &out);
    let start = Instant::now();
    let mut n = 0;
    while n < draws && (n == 0 || start.elapsed().as_secs_f64() < BUDGET_S) {
        out.clear();
        m.write_output(&x, &mut rng, &mut out)
            .expect("generated quantities run");
        if n < HASHED_DRAWS {
            fnv(&mut hash, &out);
        }
        n += 1;
    }
    let ms = start.elapsed().as_secs_f64() / n as f64 * 1e3;
    println!(
        "gq    {name:<28} {ms:10.3} ms/draw  ({n} draws, {} outputs, hash {hash:016x})",
        out.len()
    );
}

fn synthetic_data() -> DataSet {
    let mut rng = hazel::rng::chain_rng(11, 0);
    let x: Vec<f64> = (0..SYNTH_N)
        .map(|_| rng.random::<f64>() * 4.0 - 2.0)
        .collect();
    let y: Vec<f64> = x
        .iter()
        .map(|v| 1.0 + 0.5 * v + rng.random::<f64>() - 0.5)
        .collect();
    let join = |v: &[f64]| {
        v.iter()
            .map(|a| format!("{a:.6}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let json = format!(
        "{{\"N\": {SYNTH_N}, \"x\": [{}], \"y\": [{}]}}",
        join(&x),
        join(&y)
    );
    DataSet::from_json_str(&json, "synthetic").expect("generated data")
}

const SYNTH_HEAD: &str = "data { int<lower=1> N; vector[N] x; vector[N] y; }
parameters { real alpha; real beta; real<lower=0> sigma; }
model { alpha ~ normal(0, 5); beta ~ normal(0, 5); sigma ~ normal(0, 1);
        y ~ normal(alpha + beta * x, sigma); }";

const SYNTH_LOOP: &str = "generated quantities {
  vector[N] log_lik;
  array[N] real y_rep;
  for (n in 1:N) {
    log_lik[n] = normal_lpdf(y[n] | alpha + beta * x[n], sigma);
    y_rep[n] = normal_rng(alpha + beta * x[n], sigma);
  }
}";

const SYNTH_VECTORISED: &str = "generated quantities {
  vector[N] mu = alpha + beta * x;
  vector[N] log_lik = -0.5 * square((y - mu) / sigma) - log(sigma) - 0.5 * log(2 * pi());
  array[N] real y_rep = normal_rng(mu, sigma);
}";

fn gq_section(filter: &[String], draws: usize) {
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()));
    let read = |p: &str| std::fs::read_to_string(p).expect("model file");
    let json = |p: &str| DataSet::from_json_file(Path::new(p)).expect("data file");
    let radon = json("data/bench/radon_mn.json");
    let wells = json("data/bench/wells_data.json");
    for (name, file, data) in [
        (
            "radon (919, loop)",
            "models/examples/radon_noncentered.stan",
            &radon,
        ),
        (
            "wells (3020, vectorised eta)",
            "models/examples/wells.stan",
            &wells,
        ),
        (
            "wells_loop (3020, loop)",
            "models/examples/wells_loop.stan",
            &wells,
        ),
    ] {
        if !wanted(name) {
            continue;
        }
        let (m, _) = build(file, &read(file), data);
        time_gq(name, &m, draws);
    }
    let cases = ["synthetic 50k loop", "synthetic 50k vectorised"];
    if !cases.iter().any(|c| wanted(c)) {
        return;
    }
    let synth = synthetic_data();
    for (name, gq) in [
        ("synthetic 50k loop", SYNTH_LOOP),
        ("synthetic 50k vectorised", SYNTH_VECTORISED),
    ] {
        if !wanted(name) {
            continue;
        }
        let (m, _) = build(name, &format!("{SYNTH_HEAD}\n{gq}"), &synth);
        time_gq(name, &m, draws);
    }
}

/// The shared posteriordb folder (see [`find_shared_dir`]).
fn posteriordb() -> Option<PathBuf> {
    find_shared_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn trace_section() {
    let mut cases: Vec<(String, PathBuf, PathBuf)> = vec![
        (
            "radon_noncentered".into(),
            "models/examples/radon_noncentered.stan".into(),
            "data/bench/radon_mn.json".into(),
        ),
        (
            "wells".into(),
            "models/examples/wells.stan".into(),
            "data/bench/wells_data.json".into(),
        ),
        (
            "wells_loop".into(),
            "models/examples/wells_loop.stan".into(),
            "data/bench/wells_data.json".into(),
        ),
    ];
    let list = std::fs::read_to_string("models/conformance.json").expect("conformance list");
    let list: serde_json::Value = serde_json::from_str(&list).expect("conformance list JSON");
    match posteriordb() {
        None => println!("(posteriordb folder not found: posteriordb models skipped)"),
        Some(db) => {
            for e in list.as_array().into_iter().flatten() {
                let (Some(post), Some(model)) = (e["posterior"].as_str(), e["model"].as_str())
                else {
                    continue;
                };
                let file = PathBuf::from("models/posteriordb").join(model);
                let data = db.join(post).join("data.json");
                if file.is_file() && data.is_file() {
                    cases.push((post.to_string(), file, data));
                }
            }
        }
    }
    let mut worst = (0.0, String::new());
    for (name, file, data) in cases {
        let src = std::fs::read_to_string(&file).expect("model file");
        let data = DataSet::from_json_file(&data).expect("data file");
        // best of three: the time is dominated by tracing, noise comes from the shared machine
        let mut ms = f64::INFINITY;
        for _ in 0..3 {
            match try_build(&name, &src, &data) {
                Ok((_, t)) => ms = ms.min(t),
                Err(e) => {
                    println!(
                        "trace {name:<40} skipped: {}",
                        e.lines().next().unwrap_or("")
                    );
                    break;
                }
            }
        }
        if ms.is_infinite() {
            continue;
        }
        println!("trace {name:<40} {ms:9.2} ms");
        if ms > worst.0 {
            worst = (ms, name);
        }
    }
    println!("trace slowest: {} ({:.2} ms)", worst.1, worst.0);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let only = |flag: &str| args.iter().any(|a| a == flag);
    // other arguments: substrings of the generated-quantities cases to run
    let filter: Vec<String> = args[1..]
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    // `--draws=N`: timed draws per case (e.g. a few under callgrind)
    let draws = args
        .iter()
        .find_map(|a| a.strip_prefix("--draws="))
        .map_or(DRAWS, |n| n.parse().expect("--draws=N takes a number"));
    if !only("--trace-only") {
        gq_section(&filter, draws);
    }
    if !only("--gq-only") {
        trace_section();
    }
}
