//! Every plot kind drawn from realistic synthetic chains, checked as decoded PNG pixels
//! and as SVG text: sizes, chain colours, highlighted divergences, titles, labels, legends.

use hazel::draws::{ChainDraws, DrawSink, Draws, SAMPLER_COLUMNS};
use hazel::plot::{
    ALERT_COLOR, CHAIN_COLORS, PlotError, PlotFormat, PlotKind, PlotOptions, energy_plot,
    forest_plot, plot, plot_kind, trace_plot,
};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const CHAINS: usize = 4;
const DRAWS: usize = 400;
const THETA: usize = 8;

/// Four AR(1) chains of a non-centred eight-schools-like posterior: `mu` (chain means
/// shifted apart), `tau` from a funnel with divergences flagged in its neck, an
/// 8-element `theta`, and sampler columns with an autocorrelated energy.
fn synthetic_draws() -> Draws {
    let mut columns: Vec<String> = SAMPLER_COLUMNS.iter().map(|s| s.to_string()).collect();
    columns.extend(["mu".to_string(), "tau".to_string()]);
    columns.extend((1..=THETA).map(|j| format!("theta.{j}")));
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20261128);
    let mut normal = move || -> f64 { StandardNormal.sample(&mut rng) };
    let chains = (0..CHAINS)
        .map(|k| {
            let mut c = ChainDraws::with_columns(columns.len());
            let (mut mu, mut log_tau, mut energy) = (0.0, 0.0, 10.0);
            let mut z = [0.0; THETA];
            for _ in 0..DRAWS {
                mu = 0.7 * mu + 0.71 * normal();
                log_tau = 0.8 * log_tau + 0.6 * normal();
                energy = 0.6 * energy + 4.0 + 2.0 * normal();
                let mut row = vec![0.0; columns.len()];
                let tau = log_tau.exp();
                for (j, zj) in z.iter_mut().enumerate() {
                    *zj = 0.5 * *zj + 0.87 * normal();
                    row[9 + j] = mu + 0.25 * k as f64 + j as f64 * 0.5 + tau * *zj;
                }
                row[0] = -energy + normal();
                row[1] = 0.8;
                row[2] = 0.3;
                row[3] = 3.0;
                row[4] = 7.0;
                row[5] = if log_tau < -1.0 { 1.0 } else { 0.0 };
                row[6] = energy;
                row[7] = mu + 0.25 * k as f64;
                row[8] = tau;
                c.draw_row(&row).unwrap();
            }
            c
        })
        .collect();
    Draws { columns, chains }
}

/// R-hat values as the diagnostics would supply them, with `theta[5]` above 1.01 (given
/// under its dotted name, to check both spellings are looked up).
fn example_rhat() -> HashMap<String, f64> {
    let mut rhat: HashMap<String, f64> = (1..=THETA)
        .filter(|&j| j != 5)
        .map(|j| (format!("theta[{j}]"), 1.0 + j as f64 * 0.0007))
        .collect();
    rhat.insert("theta.5".into(), 1.2);
    rhat
}

/// Three panels: enough for a grid row, small enough to encode quickly.
fn three_vars() -> PlotOptions {
    PlotOptions {
        vars: Some(vec!["mu".into(), "tau".into(), "theta[1]".into()]),
        ..Default::default()
    }
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hazel_plot_{}_{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn draw(kind: PlotKind, format: PlotFormat, dir: &Path, opts: PlotOptions) -> PathBuf {
    let opts = PlotOptions {
        kinds: vec![kind],
        format,
        ..opts
    };
    let files = plot(&synthetic_draws(), &opts, dir).unwrap();
    assert!(!files.is_empty(), "{kind}: no file written");
    files[0].clone()
}

fn rgb(c: plotters::style::RGBColor) -> [u8; 3] {
    [c.0, c.1, c.2]
}

struct Png {
    width: u32,
    height: u32,
    pixels: Vec<[u8; 3]>,
}

fn decode(path: &Path) -> Png {
    let img = image::open(path).unwrap().to_rgb8();
    Png {
        width: img.width(),
        height: img.height(),
        pixels: img.pixels().map(|p| p.0).collect(),
    }
}

impl Png {
    fn count(&self, color: [u8; 3]) -> usize {
        self.pixels.iter().filter(|&&p| p == color).count()
    }
    fn assert_not_blank(&self, what: &str) {
        let non_white = self
            .pixels
            .iter()
            .filter(|&&p| p != [255, 255, 255])
            .count();
        let frac = non_white as f64 / self.pixels.len() as f64;
        let mut distinct: Vec<[u8; 3]> = self.pixels.clone();
        distinct.sort();
        distinct.dedup();
        assert!(frac > 0.02, "{what}: only {frac:.4} of pixels drawn");
        assert!(distinct.len() > 20, "{what}: {} colours", distinct.len());
    }
}

/// Re-encodes a PNG with the strongest compression, for images committed to docs/.
fn recompress(path: &Path) {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let img = image::open(path).unwrap().to_rgb8();
    let file = std::fs::File::create(path).unwrap();
    let enc = PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive);
    img.write_with_encoder(enc).unwrap();
}

fn svg(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn assert_contains(text: &str, parts: &[&str], what: &str) {
    for p in parts {
        assert!(text.contains(p), "{what}: SVG lacks `{p}`");
    }
}

#[test]
fn trace_png_has_one_panel_per_variable_and_every_chain_colour() {
    let dir = out_dir("trace_png");
    let opts = PlotOptions {
        vars: Some(vec!["mu".into(), "tau".into(), "theta[3]".into()]),
        ..Default::default()
    };
    let png = decode(&draw(PlotKind::Trace, PlotFormat::Png, &dir, opts));
    // 900 wide; title 40 + legend 28 + three 220-pixel panels.
    assert_eq!((png.width, png.height), (900, 40 + 28 + 3 * 220));
    png.assert_not_blank("trace");
    for c in &CHAIN_COLORS[..CHAINS] {
        assert!(png.count(rgb(*c)) > 200, "chain colour {c:?} barely drawn");
    }
}

#[test]
fn trace_svg_names_title_axes_legend_and_panels() {
    let dir = out_dir("trace_svg");
    let s = svg(&draw(
        PlotKind::Trace,
        PlotFormat::Svg,
        &dir,
        PlotOptions::default(),
    ));
    assert_contains(
        &s,
        &[
            "Trace plots",
            "iteration",
            "chain 1",
            "chain 4",
            "mu",
            "tau",
            "theta[8]",
        ],
        "trace",
    );
}

#[test]
fn rank_plot_draws_every_chain_and_the_uniform_band() {
    let dir = out_dir("rank");
    let png = decode(&draw(PlotKind::Rank, PlotFormat::Png, &dir, three_vars()));
    png.assert_not_blank("rank");
    let s = svg(&draw(
        PlotKind::Rank,
        PlotFormat::Svg,
        &dir,
        PlotOptions::default(),
    ));
    assert_contains(
        &s,
        &[
            "Rank plots",
            "rank (all chains pooled)",
            "uniform expectation",
            "chain 3",
        ],
        "rank",
    );
}

#[test]
fn density_plot_shows_chains_pooled_and_interval() {
    let dir = out_dir("density");
    let png = decode(&draw(
        PlotKind::Density,
        PlotFormat::Png,
        &dir,
        three_vars(),
    ));
    png.assert_not_blank("density");
    let s = svg(&draw(
        PlotKind::Density,
        PlotFormat::Svg,
        &dir,
        PlotOptions::default(),
    ));
    assert_contains(
        &s,
        &[
            "Marginal posterior densities",
            "density",
            "all chains",
            "90% interval",
        ],
        "density",
    );
}

#[test]
fn forest_plot_lists_every_element_and_flags_high_rhat() {
    let dir = out_dir("forest");
    let opts = PlotOptions {
        rhat: Some(example_rhat()),
        ..Default::default()
    };
    let png = decode(&draw(PlotKind::Forest, PlotFormat::Png, &dir, opts.clone()));
    png.assert_not_blank("forest");
    assert!(png.count(rgb(ALERT_COLOR)) > 20, "R-hat flag not drawn");
    let file = draw(PlotKind::Forest, PlotFormat::Svg, &dir, opts);
    assert!(file.ends_with("forest_theta.svg"), "{file:?}");
    let s = svg(&file);
    let mut expected: Vec<String> = (1..=THETA).map(|j| format!("theta[{j}]")).collect();
    expected.extend(
        [
            "Forest plot: theta",
            "50% interval",
            "R-hat",
            "1.200",
            "1.006",
        ]
        .map(String::from),
    );
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_contains(&s, &expected, "forest");
}

#[test]
fn pair_plot_highlights_divergent_draws() {
    let dir = out_dir("pair");
    let opts = PlotOptions {
        vars: Some(vec!["mu".into(), "tau".into(), "theta[1]".into()]),
        ..Default::default()
    };
    let png = decode(&draw(PlotKind::Pair, PlotFormat::Png, &dir, opts.clone()));
    png.assert_not_blank("pair");
    assert!(
        png.count(rgb(ALERT_COLOR)) > 50,
        "divergences not highlighted"
    );
    let d = synthetic_draws();
    let div = d.column(d.column_index("divergent__").unwrap()).concat();
    let div = div.iter().filter(|&&v| v > 0.5).count();
    assert!(div > 10, "synthetic funnel has only {div} divergences");
    let s = svg(&draw(PlotKind::Pair, PlotFormat::Svg, &dir, opts));
    let legend = format!("divergent ({div})");
    assert_contains(&s, &["Pair plot", &legend, "theta[1]", "density"], "pair");
}

#[test]
fn energy_plot_reports_e_bfmi_per_chain() {
    let dir = out_dir("energy");
    let png = decode(&draw(PlotKind::Energy, PlotFormat::Png, &dir, three_vars()));
    png.assert_not_blank("energy");
    let s = svg(&draw(
        PlotKind::Energy,
        PlotFormat::Svg,
        &dir,
        PlotOptions::default(),
    ));
    assert_contains(
        &s,
        &[
            "Energy",
            "marginal energy",
            "energy transition",
            "chain 1: E-BFMI",
            "chain 4: E-BFMI",
        ],
        "energy",
    );
}

#[test]
fn acf_plot_has_a_curve_per_chain() {
    let dir = out_dir("acf");
    let png = decode(&draw(PlotKind::Acf, PlotFormat::Png, &dir, three_vars()));
    png.assert_not_blank("acf");
    for c in &CHAIN_COLORS[..CHAINS] {
        assert!(png.count(rgb(*c)) > 100, "chain colour {c:?} barely drawn");
    }
    let s = svg(&draw(
        PlotKind::Acf,
        PlotFormat::Svg,
        &dir,
        PlotOptions::default(),
    ));
    assert_contains(
        &s,
        &["Autocorrelation", "lag", "autocorrelation", "chain 2"],
        "acf",
    );
}

#[test]
fn svg_output_is_deterministic() {
    let a = out_dir("det_a");
    let b = out_dir("det_b");
    for kind in PlotKind::ALL {
        let fa = draw(kind, PlotFormat::Svg, &a, PlotOptions::default());
        let fb = draw(kind, PlotFormat::Svg, &b, PlotOptions::default());
        assert_eq!(svg(&fa), svg(&fb), "{kind} SVG differs between runs");
    }
}

#[test]
fn default_set_writes_every_kind_and_pages_large_selections() {
    // HAZEL_PLOT_DOCS=docs/plots regenerates the README's sample images (PNG); otherwise
    // SVG, which is quick to write (each kind's PNG is checked by its own test).
    let docs = std::env::var_os("HAZEL_PLOT_DOCS").map(PathBuf::from);
    let format = if docs.is_some() {
        PlotFormat::Png
    } else {
        PlotFormat::Svg
    };
    let dir = docs.clone().unwrap_or_else(|| out_dir("all"));
    // Four panels keep the sample images small and show the "first 4 of 10" note.
    let four = PlotOptions {
        max_panels: 4,
        rhat: Some(example_rhat()),
        format,
        ..Default::default()
    };
    let files = plot(&synthetic_draws(), &four, &dir).unwrap();
    if docs.is_some() {
        files.iter().for_each(|f| recompress(f));
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let ext = format.extension();
    for stem in [
        "trace",
        "rank",
        "density",
        "forest_theta",
        "pair",
        "energy",
        "acf",
    ] {
        assert!(
            names.contains(&format!("{stem}.{ext}")),
            "{stem} missing from {names:?}"
        );
    }
    let opts = PlotOptions {
        vars: Some(vec!["theta".into(), "mu".into()]),
        kinds: vec![PlotKind::Trace],
        max_panels: 4,
        format: PlotFormat::Svg,
        ..Default::default()
    };
    let files = plot(&synthetic_draws(), &opts, &out_dir("pages")).unwrap();
    assert_eq!(files.len(), 3, "9 variables at 4 per page: {files:?}");
    assert!(files[2].ends_with("trace_3.svg"));
    assert!(svg(&files[2]).contains("page 3 of 3"));
}

#[test]
fn bad_requests_are_errors_not_panics() {
    let dir = out_dir("errors");
    let d = synthetic_draws();
    let unknown = PlotOptions {
        vars: Some(vec!["sigma".into()]),
        ..Default::default()
    };
    let e = plot(&d, &unknown, &dir).unwrap_err();
    assert!(matches!(e, PlotError::UnknownVariable { .. }) && e.to_string().contains("sigma"));
    let one_var_pair = PlotOptions {
        vars: Some(vec!["mu".into()]),
        kinds: vec![PlotKind::Pair],
        ..Default::default()
    };
    let e = plot(&d, &one_var_pair, &dir).unwrap_err();
    assert!(e.to_string().contains("pair"), "{e}");
    let mut no_energy = d.clone();
    no_energy.columns[6] = "energy_renamed__".into();
    let energy_only = PlotOptions {
        kinds: vec![PlotKind::Energy],
        ..Default::default()
    };
    let e = plot(&no_energy, &energy_only, &dir).unwrap_err();
    assert!(e.to_string().contains("energy__"), "{e}");
    // The default set skips what does not apply instead of failing.
    let only_mu = PlotOptions {
        vars: Some(vec!["mu".into()]),
        format: PlotFormat::Svg,
        ..Default::default()
    };
    let files = plot(&no_energy, &only_mu, &dir).unwrap();
    assert!(files.iter().all(|f| !f.to_string_lossy().contains("pair")));
    assert!("violin".parse::<PlotKind>().is_err());
    assert!("jpeg".parse::<PlotFormat>().is_err());
}

#[test]
fn per_kind_functions_draw_named_variables() {
    let dir = out_dir("per_kind");
    std::fs::create_dir_all(&dir).unwrap();
    let d = synthetic_draws();
    let svg_opts = PlotOptions {
        format: PlotFormat::Svg,
        ..Default::default()
    };
    let vars = vec!["lp__".to_string(), "theta[2]".to_string()];
    trace_plot(&d, &vars, &svg_opts, &dir.join("t.svg")).unwrap();
    assert_contains(
        &svg(&dir.join("t.svg")),
        &["lp__", "theta[2]"],
        "trace_plot",
    );
    forest_plot(
        &d,
        &["mu".into(), "tau".into()],
        &svg_opts,
        &dir.join("f.svg"),
    )
    .unwrap();
    assert_contains(
        &svg(&dir.join("f.svg")),
        &["Forest plot", "mu", "tau"],
        "forest_plot",
    );
    energy_plot(&d, &svg_opts, &dir.join("e.svg")).unwrap();
    assert_contains(&svg(&dir.join("e.svg")), &["E-BFMI"], "energy_plot");
    let e = plot_kind(&d, PlotKind::Energy, &vars, &svg_opts, &dir.join("x.svg")).unwrap_err();
    assert!(e.to_string().contains("no variables"), "{e}");
}

#[test]
fn uneven_and_single_chains_still_plot_every_kind() {
    let mut uneven = synthetic_draws();
    for col in &mut uneven.chains[1].draws {
        col.truncate(100);
    }
    let mut single = synthetic_draws();
    single.chains.truncate(1);
    let svg_opts = PlotOptions {
        format: PlotFormat::Svg,
        max_panels: 3,
        ..Default::default()
    };
    for (name, d) in [("uneven", uneven), ("single", single)] {
        let files = plot(&d, &svg_opts, &out_dir(name)).unwrap();
        assert!(files.len() >= 7, "{name}: {files:?}");
    }
}
