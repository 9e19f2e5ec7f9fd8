//! Model rejections through the real binary: a `reject` and a transformed parameter
//! outside its declared bound each show once per chain while sampling (with the
//! statement's location or the parameter's name), then as counts per chain after it, and
//! `fit.json` records them; messages that differ only in the quoted value are one kind.

mod cli_common;

use cli_common::{hazel, temp_dir, text};

const MODEL: &str = "parameters { real x; }
transformed parameters {
  real<lower=-1> y = x;
}
model {
  if (x > 1.5) reject(\"x too large: \", x);
  x ~ normal(0, 1);
}
";

#[test]
fn rejections_are_reported_live_counted_and_recorded() {
    let dir = temp_dir("cli-rejections", "run");
    let model = dir.join("rej.stan");
    std::fs::write(&model, MODEL).unwrap();
    let data = dir.join("rej.json");
    std::fs::write(&data, "{}").unwrap();
    let out = dir.join("out");
    let o = hazel(&[
        "sample",
        model.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--chains",
        "2",
        "--warmup",
        "300",
        "--draws",
        "300",
        "--seed",
        "5",
    ]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    let live: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("the model rejected a proposal"))
        .collect();
    // Two kinds (the reject and the bound), once per chain each, however many times.
    assert_eq!(live.len(), 4, "{err}");
    for chain in ["chain 1:", "chain 2:"] {
        assert!(
            live.iter().any(|l| l.starts_with(chain)
                && l.contains("reject at line 6, column 16: x too large: ")),
            "{err}"
        );
        assert!(
            live.iter().any(|l| l.starts_with(chain)
                && l.contains("y is -")
                && l.contains("but must be greater than or equal to -1")),
            "{err}"
        );
    }
    assert!(err.contains("chain 1: the model rejected "), "{err}");

    let fit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fit.json")).unwrap()).unwrap();
    for chain in fit["chains"].as_array().unwrap() {
        let kinds = chain["rejections"].as_array().unwrap();
        assert_eq!(kinds.len(), 2, "{chain}");
        assert_eq!(chain["rejections_other"], 0);
        let total: u64 = kinds.iter().map(|k| k["count"].as_u64().unwrap()).sum();
        // Each kind appears at least once; x > 1.5 and x < -1 are reached many times in
        // 600 NUTS iterations of a standard normal (each trajectory explores both tails).
        assert!(total >= 20, "{chain}");
        assert!(
            kinds
                .iter()
                .all(|k| k["count"].as_u64().unwrap() >= 1
                    && !k["message"].as_str().unwrap().is_empty()),
            "{chain}"
        );
    }
}
