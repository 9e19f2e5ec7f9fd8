//! PSIS-LOO and model comparison against ArviZ 0.23.4 (`az.loo(..., pointwise=True,
//! reff=1)` and at reff=0.5, `az.compare`) on the seeded fixtures in tests/data/loo, made by
//! tests/python/loo_check.py.

use std::path::Path;

use hazel::loo::{LogLik, LooResult, compare, psis_loo};
use serde_json::Value;

/// Totals and pointwise elpd agree with ArviZ to this relative tolerance.
const RELATIVE: f64 = 1e-6;
/// k-hat agrees to this absolute tolerance.
const KHAT_ABSOLUTE: f64 = 1e-6;
/// Stacking weights: ArviZ stops SLSQP at its default tolerance (about 1e-6 in the
/// objective), so its weights are only that close to the optimum.
const STACKING_ABSOLUTE: f64 = 1e-3;

fn read(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/loo")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn log_lik(fixture: &Value) -> LogLik {
    let values: Vec<Vec<f64>> = serde_json::from_value(fixture["log_lik"].clone()).unwrap();
    LogLik::new(values, fixture["chains"].as_u64().unwrap() as usize).unwrap()
}

fn loo_at(fixture: &Value, r_eff: f64) -> LooResult {
    let ll = log_lik(fixture);
    psis_loo(&ll, &vec![r_eff; ll.observations()]).unwrap()
}

fn loo_at_reff_one(fixture: &Value) -> LooResult {
    loo_at(fixture, 1.0)
}

/// The single-model fixtures are also scored by ArviZ at this relative efficiency.
const REFF_SMALL: f64 = 0.5;

fn check_single(name: &str) -> LooResult {
    let fixture = read(&format!("{name}.json"));
    let expected = read(&format!("{name}.expected.json"));
    let small = loo_at(&fixture, REFF_SMALL);
    check_loo(
        &format!("{name} at r_eff {REFF_SMALL}"),
        &small,
        &expected["reff_0.5"],
    );
    let got = loo_at_reff_one(&fixture);
    check_loo(name, &got, &expected);
    got
}

fn close(what: &str, got: f64, want: f64) {
    let tol = RELATIVE * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "{what}: got {got}, ArviZ {want}");
}

fn check_loo(name: &str, got: &LooResult, want: &Value) {
    let f = |k: &str| want[k].as_f64().unwrap();
    close(&format!("{name} elpd_loo"), got.elpd_loo, f("elpd_loo"));
    close(&format!("{name} se"), got.se, f("se"));
    close(&format!("{name} p_loo"), got.p_loo, f("p_loo"));
    close(&format!("{name} good_k"), got.bands.threshold, f("good_k"));
    let warned = got.bands.bad + got.bands.very_bad > 0;
    assert_eq!(warned, want["warning"].as_bool().unwrap(), "{name} warning");
    let loo_i = want["loo_i"].as_array().unwrap();
    let k = want["pareto_k"].as_array().unwrap();
    assert_eq!(got.observations(), loo_i.len());
    let worst_k = got
        .pointwise
        .iter()
        .zip(k)
        .map(|(p, w)| (p.k_hat - w.as_f64().unwrap()).abs())
        .fold(0.0, f64::max);
    let worst_elpd = (got.elpd_loo / f("elpd_loo") - 1.0).abs();
    println!("{name}: |Δk-hat| ≤ {worst_k:.1e}, relative Δelpd_loo {worst_elpd:.1e}");
    for (i, p) in got.pointwise.iter().enumerate() {
        close(
            &format!("{name} loo_i[{i}]"),
            p.elpd_loo,
            loo_i[i].as_f64().unwrap(),
        );
        let want_k = k[i].as_f64().unwrap();
        assert!(
            (p.k_hat - want_k).abs() <= KHAT_ABSOLUTE,
            "{name} k-hat[{i}]: got {}, ArviZ {want_k}",
            p.k_hat
        );
    }
}

#[test]
fn well_behaved_model_matches_arviz() {
    let got = check_single("well_behaved");
    assert_eq!(got.bands.good, got.observations());
}

#[test]
fn outliers_match_arviz_including_high_k_hat() {
    let got = check_single("outlier");
    // The fixture exists to exercise the bad band: make sure it still does.
    assert!(got.bands.bad >= 1, "{:?}", got.bands);
}

#[test]
fn comparison_matches_arviz() {
    let fixture = read("compare.json");
    let expected = read("compare.expected.json");
    let models: Vec<(String, LooResult)> = fixture["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), loo_at_reff_one(m)))
        .collect();
    for (name, r) in &models {
        check_loo(name, r, &expected["models"][name.as_str()]);
    }
    let refs: Vec<(&str, &LooResult)> = models.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let rows = compare(&refs).unwrap();
    for method in ["pseudo-BMA", "stacking"] {
        for (row, want) in rows.iter().zip(expected[method].as_array().unwrap()) {
            assert_eq!(row.name, want["name"].as_str().unwrap());
            assert_eq!(row.rank as u64, want["rank"].as_u64().unwrap());
            let f = |k: &str| want[k].as_f64().unwrap();
            close(
                &format!("{} elpd_diff", row.name),
                row.elpd_diff,
                f("elpd_diff"),
            );
            close(&format!("{} dse", row.name), row.diff_se, f("dse"));
            if method == "pseudo-BMA" {
                close(
                    &format!("{} pseudo-BMA", row.name),
                    row.pseudo_bma_weight,
                    f("weight"),
                );
            } else {
                assert!(
                    (row.stacking_weight - f("weight")).abs() <= STACKING_ABSOLUTE,
                    "{} stacking weight: got {}, ArviZ {}",
                    row.name,
                    row.stacking_weight,
                    f("weight")
                );
            }
        }
    }
}
