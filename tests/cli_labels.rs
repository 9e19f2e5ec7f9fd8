//! Level labels through the real binary: `hazel sample --factor g:J --labels mu=g` shows
//! `mu[Aitkin]` for `mu[1]` in the printed summary, records the names in `fit.json`, and
//! `hazel summary` and `hazel plot` on the folder then use them too — in SVG plots the
//! panel titles, axis labels and forest rows say `mu[Aitkin]`. Files meant for programs
//! (`summary.csv`, `--format csv`) keep Stan's names.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

mod cli_common;

use cli_common::{hazel, text};

fn ok(o: &Output) -> String {
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    text(&o.stdout)
}

fn temp_dir(name: &str) -> PathBuf {
    cli_common::temp_dir("cli-labels", name)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Levels sort as Aitkin, Anoka, Carver & Co (the `&` checks escaping in SVG text).
const LEVELS: [&str; 3] = ["Aitkin", "Anoka", "Carver & Co"];

/// The output folder of one labelled run, shared by the tests (which only read it).
fn labelled_run() -> &'static Path {
    static RUN: OnceLock<PathBuf> = OnceLock::new();
    RUN.get_or_init(|| sample_labelled(&temp_dir("run")))
}

/// Samples a three-group model with labels for `mu` and returns the output folder.
fn sample_labelled(dir: &Path) -> PathBuf {
    let model = write(
        dir,
        "groups.stan",
        "data { int N; int J; array[N] int g; vector[N] y; }\n\
         parameters { vector[J] mu; real<lower=0> sigma; }\n\
         model { mu ~ normal(0, 10); sigma ~ normal(0, 5); y ~ normal(mu[g], sigma); }\n",
    );
    let table = write(
        dir,
        "obs.csv",
        "g,y\nAnoka,1.0\nAitkin,0.5\nAnoka,1.2\nAitkin,0.4\nCarver & Co,3.0\nCarver & Co,2.9\n",
    );
    let out = dir.join("fit");
    let stdout = ok(&hazel(&[
        "sample",
        &model,
        "--data",
        &table,
        "--factor",
        "g:J",
        "--labels",
        "mu=g",
        "--output",
        out.to_str().unwrap(),
        "--chains",
        "2",
        "--warmup",
        "150",
        "--draws",
        "100",
        "--seed",
        "11",
        "--quiet",
    ]));
    for level in LEVELS {
        assert!(stdout.contains(&format!("mu[{level}]")), "{stdout}");
    }
    assert!(!stdout.contains("mu[1]"), "{stdout}");
    out
}

/// `hazel plot RUN --format svg --output PLOTS --vars VARS --kind KINDS`, which must succeed.
fn plot_svg(run: &Path, plots: &Path, vars: &str, kinds: &str) {
    ok(&hazel(&[
        "plot",
        run.to_str().unwrap(),
        "--format",
        "svg",
        "--output",
        plots.to_str().unwrap(),
        "--vars",
        vars,
        "--kind",
        kinds,
    ]));
}

fn svg(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn labels_reach_the_summary_the_record_and_every_plot() {
    let dir = temp_dir("all");
    let out = labelled_run();
    let o = out.to_str().unwrap();

    let fit: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("fit.json")).unwrap()).unwrap();
    assert_eq!(fit["labels"]["mu[1]"], "mu[Aitkin]", "{fit}");
    assert_eq!(fit["labels"]["mu[3]"], "mu[Carver & Co]", "{fit}");
    assert!(fit["labels"].get("sigma").is_none(), "{fit}");

    // Files for programs keep Stan's names.
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("\nmu[1],") && !csv.contains("Aitkin"), "{csv}");
    let csv = ok(&hazel(&["summary", o, "--format", "csv"]));
    assert!(csv.contains("\nmu[1],") && !csv.contains("Aitkin"), "{csv}");
    // The table read back from the folder uses the recorded labels.
    let table = ok(&hazel(&["summary", o]));
    assert!(
        table.contains("mu[Aitkin]") && table.contains("mu[Carver & Co]"),
        "{table}"
    );

    let plots = dir.join("svg");
    plot_svg(out, &plots, "mu", "trace,rank,density,forest,pair,acf");
    for file in ["trace", "rank", "density", "forest_mu", "pair", "acf"] {
        let text = svg(&plots.join(format!("{file}.svg")));
        for level in ["mu[Aitkin]", "mu[Anoka]", "mu[Carver &amp; Co]"] {
            assert!(text.contains(level), "{file}.svg lacks {level}");
        }
        assert!(!text.contains("mu[1]"), "{file}.svg still says mu[1]");
    }
}

#[test]
fn plots_select_variables_by_their_labels() {
    let dir = temp_dir("vars");
    let out = labelled_run();
    let plots = dir.join("svg");
    plot_svg(out, &plots, "mu[Anoka],sigma", "trace");
    let text = svg(&plots.join("trace.svg"));
    assert!(text.contains("mu[Anoka]") && text.contains("sigma"));
    assert!(
        !text.contains("mu[Aitkin]"),
        "only the named element is drawn"
    );
    // Stan's names still select, and show the label.
    plot_svg(out, &plots, "mu[3]", "density");
    assert!(svg(&plots.join("density.svg")).contains("mu[Carver &amp; Co]"));
}

#[test]
fn a_broken_record_is_an_error_naming_it() {
    let dir = temp_dir("broken");
    for k in 1..=2 {
        let chain = format!("chain_{k}.csv");
        std::fs::copy(labelled_run().join(&chain), dir.join(&chain)).unwrap();
    }
    std::fs::write(dir.join("fit.json"), r#"{"labels": {"mu[1]": 3}}"#).unwrap();
    let o = hazel(&["summary", dir.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("fit.json") && err.contains("labels"), "{err}");
}
