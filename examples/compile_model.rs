//! Compiles a model against its data and prints the dimension, the log density and the
//! gradient error against finite differences at a point:
//! `cargo run --example compile_model -- MODEL.stan DATA.json [x-value]`.

use hazel::ad::fd::finite_difference_gradient;
use hazel::compile::{CompileOptions, compile};
use hazel::io::stan_json::DataSet;
use hazel::model::LogDensity;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, model, data, rest @ ..] = args.as_slice() else {
        return Err("usage: compile_model MODEL.stan DATA.json [x]".into());
    };
    let src = std::fs::read_to_string(model).map_err(|e| e.to_string())?;
    let typed = hazel::lang::check(model, &src).map_err(|d| d.render(&src))?;
    let data = DataSet::from_json_file(std::path::Path::new(data)).map_err(|e| e.to_string())?;
    let opts = CompileOptions {
        seed: 1,
        source: src.clone(),
    };
    let start = std::time::Instant::now();
    let m = compile(&typed, &data, &opts).map_err(|e| e.to_string())?;
    let compile_time = start.elapsed();
    let x0: f64 = rest.first().and_then(|s| s.parse().ok()).unwrap_or(0.1);
    let x = vec![x0; m.dim()];
    let mut g = vec![0.0; m.dim()];
    let lp = m
        .log_density_and_gradient(&x, &mut g)
        .map_err(|e| e.to_string())?;
    let fd = finite_difference_gradient(&m, &x).map_err(|e| e.to_string())?;
    let ops = m.tape().map_or(0, |t| t.ops().len());
    println!(
        "dim {} ops {ops} lp {lp} dynamic {}",
        m.dim(),
        m.is_dynamic()
    );
    for (i, (a, b)) in g.iter().zip(&fd).enumerate() {
        let rel = (a - b).abs() / (1.0 + b.abs());
        if rel > 1e-7 {
            println!("  x[{i}]: tape {a:.10e} fd {b:.10e} rel {rel:.2e}");
        }
    }
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let start = std::time::Instant::now();
    for _ in 0..reps {
        m.log_density_and_gradient(&x, &mut g)
            .map_err(|e| e.to_string())?;
    }
    let per = start.elapsed().as_secs_f64() / reps as f64;
    println!(
        "compile {:.2} ms, gradient {:.2} us",
        compile_time.as_secs_f64() * 1e3,
        per * 1e6
    );
    let mut rng = hazel::rng::chain_rng(1, 0);
    let mut out = Vec::new();
    let start = std::time::Instant::now();
    let draws = 20;
    for _ in 0..draws {
        out.clear();
        hazel::model::Model::write_output(&m, &x, &mut rng, &mut out).map_err(|e| e.to_string())?;
    }
    println!(
        "write_output {:.2} ms per draw ({} columns)",
        start.elapsed().as_secs_f64() * 1e3 / draws as f64,
        out.len()
    );
    if std::env::var("DUMP").is_ok() {
        print!("{}", m.dump_tape());
    }
    Ok(())
}
