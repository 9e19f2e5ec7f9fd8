//! Whole-model gradients of every shipped model against central finite differences, at
//! random unconstrained points (fixed seed), through `compile::compile`.

use hazel::ad::fd::max_gradient_error;
use hazel::compile::{CompileOptions, compile};
use hazel::conformance::runner::find_shared_dir;
use hazel::io::stan_json::DataSet;
use hazel::model::{LogDensity, Model};
use rand::RngExt;
use std::path::{Path, PathBuf};

/// Largest accepted `|g - fd| / (1 + |fd|)` for a log density of order one; central
/// differences at a 6e-6 relative step are accurate to about 1e-7 there.
const GRADIENT_TOLERANCE: f64 = 1e-6;

/// Extra tolerance per unit of `|log density|`: the rounding error of a central
/// difference is about `ε |lp| / h` = 2.2e-16 / 6e-6 ≈ 4e-11 per unit; this allows 25×.
const FD_ROUNDING_PER_UNIT_LP: f64 = 1e-9;

/// Random points per model.
const POINTS: usize = 3;

/// (model file, data file) pairs; `@` stands for the shared posteriordb folder.
const MODELS: &[(&str, &str)] = &[
    (
        "models/attention_decay_power.stan",
        "tests/data/attention_small.json",
    ),
    (
        "models/attention_decay_exponential.stan",
        "tests/data/attention_small.json",
    ),
    (
        "models/examples/eight_schools_centered.stan",
        "data/bench/eight_schools.json",
    ),
    (
        "models/examples/eight_schools_noncentered.stan",
        "data/bench/eight_schools.json",
    ),
    (
        "models/examples/radon_noncentered.stan",
        "data/bench/radon_mn.json",
    ),
    ("models/examples/wells.stan", "data/bench/wells_data.json"),
    (
        "models/examples/wells_loop.stan",
        "data/bench/wells_data.json",
    ),
    (
        "models/posteriordb/mesquite.stan",
        "@/mesquite-mesquite/data.json",
    ),
    (
        "models/posteriordb/earn_height.stan",
        "@/earnings-earn_height/data.json",
    ),
    (
        "models/posteriordb/kidscore_momhs.stan",
        "@/kidiq-kidscore_momhs/data.json",
    ),
    (
        "models/posteriordb/kidscore_momhsiq.stan",
        "@/kidiq-kidscore_momhsiq/data.json",
    ),
    (
        "models/posteriordb/kidscore_momiq.stan",
        "@/kidiq-kidscore_momiq/data.json",
    ),
    (
        "models/posteriordb/kidscore_interaction.stan",
        "@/kidiq-kidscore_interaction/data.json",
    ),
    (
        "models/posteriordb/kidscore_interaction_c2.stan",
        "@/kidiq_with_mom_work-kidscore_interaction_c2/data.json",
    ),
    (
        "models/posteriordb/kidscore_interaction_c.stan",
        "@/kidiq_with_mom_work-kidscore_interaction_c/data.json",
    ),
    (
        "models/posteriordb/logearn_height.stan",
        "@/earnings-logearn_height/data.json",
    ),
    (
        "models/posteriordb/logearn_height_male.stan",
        "@/earnings-logearn_height_male/data.json",
    ),
    (
        "models/posteriordb/logearn_interaction.stan",
        "@/earnings-logearn_interaction/data.json",
    ),
    (
        "models/posteriordb/logearn_logheight_male.stan",
        "@/earnings-logearn_logheight_male/data.json",
    ),
    (
        "models/posteriordb/logmesquite.stan",
        "@/mesquite-logmesquite/data.json",
    ),
    (
        "models/posteriordb/logmesquite_logva.stan",
        "@/mesquite-logmesquite_logva/data.json",
    ),
    (
        "models/posteriordb/logmesquite_logvas.stan",
        "@/mesquite-logmesquite_logvas/data.json",
    ),
    (
        "models/posteriordb/logmesquite_logvash.stan",
        "@/mesquite-logmesquite_logvash/data.json",
    ),
    (
        "models/posteriordb/logmesquite_logvolume.stan",
        "@/mesquite-logmesquite_logvolume/data.json",
    ),
    (
        "models/posteriordb/logearn_interaction_z.stan",
        "@/earnings-logearn_interaction_z/data.json",
    ),
    (
        "models/posteriordb/log10earn_height.stan",
        "@/earnings-log10earn_height/data.json",
    ),
    (
        "models/posteriordb/kidscore_mom_work.stan",
        "@/kidiq_with_mom_work-kidscore_mom_work/data.json",
    ),
    ("models/posteriordb/nes.stan", "@/nes1972-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes1976-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes1984-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes1988-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes1992-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes1996-nes/data.json"),
    ("models/posteriordb/nes.stan", "@/nes2000-nes/data.json"),
    ("models/posteriordb/blr.stan", "@/sblri-blr/data.json"),
    ("models/posteriordb/arK.stan", "@/arK-arK/data.json"),
    (
        "models/posteriordb/garch11.stan",
        "@/garch-garch11/data.json",
    ),
    (
        "models/posteriordb/diamonds.stan",
        "@/diamonds-diamonds/data.json",
    ),
    (
        "models/posteriordb/hmm_drive_1.stan",
        "@/bball_drive_event_1-hmm_drive_1/data.json",
    ),
    (
        "models/posteriordb/hmm_drive_0.stan",
        "@/bball_drive_event_0-hmm_drive_0/data.json",
    ),
    (
        "models/posteriordb/gp_regr.stan",
        "@/gp_pois_regr-gp_regr/data.json",
    ),
    (
        "models/posteriordb/accel_gp.stan",
        "@/mcycle_gp-accel_gp/data.json",
    ),
];

/// The shared posteriordb folder (see [`find_shared_dir`]).
fn posteriordb() -> Option<PathBuf> {
    find_shared_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn data_path(spec: &str) -> Option<PathBuf> {
    match spec.strip_prefix('@') {
        Some(rest) => posteriordb().map(|p| p.join(rest.trim_start_matches('/'))),
        None => Some(PathBuf::from(spec)),
    }
}

fn check_model(model: &str, data: &Path) -> Result<(usize, f64), String> {
    let src = std::fs::read_to_string(model).map_err(|e| e.to_string())?;
    let typed = hazel::lang::check(model, &src).map_err(|d| d.render(&src))?;
    let data = DataSet::from_json_file(data).map_err(|e| e.to_string())?;
    let opts = CompileOptions {
        seed: 1,
        source: src.clone(),
    };
    let start = std::time::Instant::now();
    let m = compile(&typed, &data, &opts).map_err(|e| e.to_string())?;
    // reported, not asserted (timings are not tests)
    eprintln!(
        "{model}: compiled in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let mut rng = hazel::rng::chain_rng(7, 0);
    let mut worst: f64 = 0.0;
    for _ in 0..POINTS {
        let x: Vec<f64> = (0..m.dim())
            .map(|_| rng.random::<f64>() * 2.0 - 1.0)
            .collect();
        let err = max_gradient_error(&m, &x).map_err(|e| format!("at {x:?}: {e}"))?;
        let mut g = vec![0.0; m.dim()];
        let lp = m
            .log_density_and_gradient(&x, &mut g)
            .map_err(|e| e.to_string())?;
        // error in units of the tolerance at this point
        worst = worst.max(err / (GRADIENT_TOLERANCE + FD_ROUNDING_PER_UNIT_LP * lp.abs()));
        let mut out = Vec::new();
        m.write_output(&x, &mut rng, &mut out)
            .map_err(|e| e.to_string())?;
        if out.len() != m.output_names().len() {
            return Err(format!(
                "{} outputs for {} names",
                out.len(),
                m.output_names().len()
            ));
        }
    }
    Ok((m.dim(), worst))
}

#[test]
fn every_model_compiles_with_gradients_matching_finite_differences() {
    let mut failures = Vec::new();
    for (model, data) in MODELS {
        let Some(path) = data_path(data) else {
            eprintln!("skip {model}: posteriordb folder not found");
            continue;
        };
        match check_model(model, &path) {
            Ok((dim, err)) => {
                eprintln!("{model} ({data}): dim {dim}, max gradient error {err:.3} x tolerance");
                if err.is_nan() || err >= 1.0 {
                    failures.push(format!("{model}: gradient error {err:.2} x tolerance"));
                }
            }
            Err(e) => failures.push(format!("{model}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
