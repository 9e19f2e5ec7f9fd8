//! `hazel::loo::loo_command` on fit folders of Stan CSV chains: each model's table, the
//! comparison for two folders, and errors that name the problem.

use std::path::{Path, PathBuf};

use hazel::loo::{LogLik, compare, loo_command, psis_loo};
use serde_json::Value;

fn fixture_models() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/loo/compare.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["models"].as_array().unwrap().clone()
}

/// Writes a fixture's log_lik as chain_<k>.csv files (with two sampler columns and a
/// parameter) into a fresh folder.
fn write_fit(model: &Value, tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "hazel_loo_{}_{tag}_{}",
        std::process::id(),
        model["name"].as_str().unwrap()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let ll: Vec<Vec<f64>> = serde_json::from_value(model["log_lik"].clone()).unwrap();
    let chains = model["chains"].as_u64().unwrap() as usize;
    let per_chain = ll[0].len() / chains;
    let header: Vec<String> = ["lp__", "accept_stat__", "mu"]
        .iter()
        .map(|s| s.to_string())
        .chain((1..=ll.len()).map(|i| format!("log_lik.{i}")))
        .collect();
    for c in 0..chains {
        let mut text = format!("# model = test\n{}\n", header.join(","));
        for s in c * per_chain..(c + 1) * per_chain {
            let row: Vec<String> = ll.iter().map(|obs| obs[s].to_string()).collect();
            text.push_str(&format!("-1.0,0.9,{s},{}\n", row.join(",")));
        }
        std::fs::write(dir.join(format!("chain_{}.csv", c + 1)), text).unwrap();
    }
    dir
}

#[test]
fn two_folders_print_both_models_and_the_comparison() {
    let models = fixture_models();
    let dirs: Vec<PathBuf> = models.iter().map(|m| write_fit(m, "two")).collect();
    let out = loo_command(&dirs, "log_lik").unwrap();
    println!("{out}");
    // The numbers are those of the library API with r_eff from the chains.
    let results: Vec<_> = models
        .iter()
        .map(|m| {
            let values: Vec<Vec<f64>> = serde_json::from_value(m["log_lik"].clone()).unwrap();
            let ll = LogLik::new(values, 4).unwrap();
            psis_loo(&ll, &ll.relative_efficiency()).unwrap()
        })
        .collect();
    for (dir, r) in dirs.iter().zip(&results) {
        assert!(
            out.contains(&format!(
                "{}: PSIS-LOO from 800 draws (4 chain(s)) and 30 observations",
                dir.display()
            )),
            "{out}"
        );
        assert!(out.contains(&format!("{:.2}", r.elpd_loo)), "{out}");
        assert!(out.contains(&format!("{:.2}", r.looic())), "{out}");
    }
    let names: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    let rows = compare(&[(&names[0], &results[0]), (&names[1], &results[1])]).unwrap();
    assert!(out.contains("Model comparison"), "{out}");
    assert!(out.contains(&format!("{:.2}", rows[1].elpd_diff)), "{out}");
    assert!(out.contains(&format!("{:.2}", rows[1].diff_se)), "{out}");
    for d in dirs {
        std::fs::remove_dir_all(d).unwrap();
    }
}

#[test]
fn one_folder_prints_no_comparison() {
    let dir = write_fit(&fixture_models()[0], "one");
    let out = loo_command(std::slice::from_ref(&dir), "log_lik").unwrap();
    assert!(
        out.contains("elpd_loo") && out.contains("Pareto k diagnostic"),
        "{out}"
    );
    assert!(!out.contains("Model comparison"), "{out}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn errors_name_the_variable_and_the_folder() {
    let dir = write_fit(&fixture_models()[0], "err");
    let err = loo_command(std::slice::from_ref(&dir), "loglik").unwrap_err();
    assert!(err.to_string().contains("`loglik`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
    let err = loo_command(std::slice::from_ref(&dir), "log_lik").unwrap_err();
    assert!(
        err.to_string().contains(&dir.display().to_string()),
        "{err}"
    );
}
