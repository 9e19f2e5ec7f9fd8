//! Diagnostic and posterior plots drawn with plotters, as PNG or SVG with an embedded
//! font: trace, rank, density, forest, pair, energy and autocorrelation. [`plot`] draws a
//! chosen set into a folder; each kind also has its own function.

mod acf;
mod canvas;
mod density;
mod energy;
mod forest;
mod kde;
mod pair;
mod quantile;
mod rank;
mod select;
mod style;
mod trace;

pub use acf::autocorrelation;
pub use energy::e_bfmi;
pub use kde::{Bandwidth, DensityCurve, bandwidth, kde};
pub use quantile::{IntervalSummary, interval_summary, quantile_sorted};
pub use rank::{pooled_ranks, rank_histograms};
pub use style::{ALERT_COLOR, CHAIN_COLORS};

use crate::draws::Draws;
use canvas::render;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Most per-variable panels in one file. Twelve panels fill a 4 × 3 grid that still reads
/// on a laptop screen (our choice; ArviZ's `plot.max_subplots` is 40, which is too dense
/// for a static image).
pub const DEFAULT_MAX_PANELS: usize = 12;

/// A plot kind, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlotKind {
    /// Draws against iteration, one colour per chain.
    Trace,
    /// Per-chain histograms of pooled ranks (Vehtari et al. 2021).
    Rank,
    /// Kernel density per chain and pooled, with the 90% interval.
    Density,
    /// Medians with 50% and 90% intervals of container elements.
    Forest,
    /// Pairwise scatter with divergent transitions highlighted.
    Pair,
    /// Marginal energy against energy transitions, with E-BFMI.
    Energy,
    /// Autocorrelation by lag, per chain.
    Acf,
}

impl PlotKind {
    /// Every kind, in the order [`plot`] draws them.
    pub const ALL: [PlotKind; 7] = [
        PlotKind::Trace,
        PlotKind::Rank,
        PlotKind::Density,
        PlotKind::Forest,
        PlotKind::Pair,
        PlotKind::Energy,
        PlotKind::Acf,
    ];

    /// The command-line name, also the file name stem.
    pub fn name(self) -> &'static str {
        match self {
            PlotKind::Trace => "trace",
            PlotKind::Rank => "rank",
            PlotKind::Density => "density",
            PlotKind::Forest => "forest",
            PlotKind::Pair => "pair",
            PlotKind::Energy => "energy",
            PlotKind::Acf => "acf",
        }
    }
}

impl std::fmt::Display for PlotKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for PlotKind {
    type Err = PlotError;
    fn from_str(s: &str) -> Result<Self, PlotError> {
        PlotKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| PlotError::UnknownKind(s.to_string()))
    }
}

/// Output image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlotFormat {
    /// Portable Network Graphics (raster).
    #[default]
    Png,
    /// Scalable Vector Graphics (text stays text).
    Svg,
}

impl PlotFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            PlotFormat::Png => "png",
            PlotFormat::Svg => "svg",
        }
    }
}

impl std::str::FromStr for PlotFormat {
    type Err = PlotError;
    fn from_str(s: &str) -> Result<Self, PlotError> {
        match s.trim() {
            "png" => Ok(PlotFormat::Png),
            "svg" => Ok(PlotFormat::Svg),
            other => Err(PlotError::UnknownFormat(other.to_string())),
        }
    }
}

/// What [`plot`] draws and how.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotOptions {
    /// Variables to show (parameter names like `theta`, elements like `theta[2]`);
    /// `None` picks defaults (see [`PlotOptions::max_panels`]).
    pub vars: Option<Vec<String>>,
    /// Kinds to draw. Empty means the default set: every kind that applies to the draws
    /// (pair needs two variables, energy needs `energy__`). A kind named here that cannot
    /// be drawn is an error.
    pub kinds: Vec<PlotKind>,
    /// PNG or SVG.
    pub format: PlotFormat,
    /// R-hat by variable name (bracket `theta[1]` or dotted `theta.1`), for flags in the
    /// forest plot; `None` when not computed.
    pub rhat: Option<HashMap<String, f64>>,
    /// Most panels per file; without `vars`, also the number of variables shown.
    pub max_panels: usize,
    /// Bandwidth rule of the density estimates.
    pub bandwidth: Bandwidth,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            vars: None,
            kinds: Vec::new(),
            format: PlotFormat::Png,
            rhat: None,
            max_panels: DEFAULT_MAX_PANELS,
            bandwidth: Bandwidth::default(),
        }
    }
}

/// Why a plot could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// A requested variable is not among the draws.
    #[error("unknown variable `{name}`: no column `{dotted}` and no parameter of that name")]
    UnknownVariable {
        /// The name as given.
        name: String,
        /// The Stan CSV column name it was looked up as.
        dotted: String,
    },
    /// A plot kind name that does not exist.
    #[error(
        "unknown plot kind `{0}` (expected one of trace, rank, density, forest, pair, energy, acf)"
    )]
    UnknownKind(String),
    /// An image format name that does not exist.
    #[error("unknown plot format `{0}` (expected png or svg)")]
    UnknownFormat(String),
    /// There is nothing to plot.
    #[error("nothing to plot: {0}")]
    NoDraws(String),
    /// A draw is NaN or infinite.
    #[error("column `{column}` has a non-finite value at chain {chain}, draw {draw}")]
    NonFinite {
        /// Display name of the column.
        column: String,
        /// 1-based chain.
        chain: usize,
        /// 1-based draw within the chain.
        draw: usize,
    },
    /// The kind cannot be drawn from these draws.
    #[error("cannot draw a {kind} plot: {reason}")]
    NotApplicable {
        /// The kind asked for.
        kind: PlotKind,
        /// What is missing.
        reason: String,
    },
    /// An option value is out of range.
    #[error("invalid plot option: {0}")]
    InvalidOption(String),
    /// The output folder could not be created.
    #[error("cannot create plot folder {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// plotters failed while drawing or writing a file.
    #[error("drawing failed: {0}")]
    Draw(String),
}

/// Draws `opts.kinds` (or the default set) of `draws` into `out_dir` (created if needed)
/// and returns the files written, in drawing order.
pub fn plot(draws: &Draws, opts: &PlotOptions, out_dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    if opts.max_panels == 0 {
        return Err(PlotError::InvalidOption(
            "max_panels must be at least 1".into(),
        ));
    }
    if draws.chains.iter().all(|c| c.num_draws() == 0) {
        return Err(PlotError::NoDraws(
            "the draws hold no kept iterations".into(),
        ));
    }
    std::fs::create_dir_all(out_dir).map_err(|source| PlotError::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    let explicit = !opts.kinds.is_empty();
    let kinds: &[PlotKind] = if explicit {
        &opts.kinds
    } else {
        &PlotKind::ALL
    };
    let vars = opts.vars.as_deref();
    let ext = opts.format.extension();
    let mut files = Vec::new();
    for &kind in kinds {
        let pages = match pages(draws, opts, kind, vars) {
            Ok(p) => p,
            Err(PlotError::NotApplicable { .. }) if !explicit => continue,
            Err(e) => return Err(e),
        };
        for (stem, page) in pages {
            let path = out_dir.join(format!("{stem}.{ext}"));
            page.render(&path, opts.format)?;
            files.push(path);
        }
    }
    Ok(files)
}

/// One file's worth of a plot kind, ready to render.
enum Page {
    Trace(trace::TraceFigure),
    Rank(rank::RankFigure),
    Density(density::DensityFigure),
    Forest(forest::ForestFigure),
    Pair(pair::PairFigure),
    Energy(energy::EnergyFigure),
    Acf(acf::AcfFigure),
}

impl Page {
    fn render(&self, path: &Path, format: PlotFormat) -> Result<(), PlotError> {
        match self {
            Page::Trace(f) => render(f, path, format),
            Page::Rank(f) => render(f, path, format),
            Page::Density(f) => render(f, path, format),
            Page::Forest(f) => render(f, path, format),
            Page::Pair(f) => render(f, path, format),
            Page::Energy(f) => render(f, path, format),
            Page::Acf(f) => render(f, path, format),
        }
    }
}

/// Title suffix for page `i` of `n` and a note on left-out variables.
fn page_note(i: usize, n: usize, note: Option<&str>) -> String {
    let mut parts = Vec::new();
    if n > 1 {
        parts.push(format!("page {} of {n}", i + 1));
    }
    if let Some(note) = note {
        parts.push(note.to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// File stem for page `i`: `kind`, then `kind_2`, `kind_3`, ...
fn page_stem(stem: &str, i: usize) -> String {
    if i == 0 {
        stem.to_string()
    } else {
        format!("{stem}_{}", i + 1)
    }
}

fn pages(
    draws: &Draws,
    opts: &PlotOptions,
    kind: PlotKind,
    vars: Option<&[String]>,
) -> Result<Vec<(String, Page)>, PlotError> {
    let mut out = Vec::new();
    match kind {
        PlotKind::Forest => {
            for group in select::forest_groups(draws, vars)? {
                let chunks: Vec<&[usize]> = group.columns.chunks(forest::MAX_FOREST_ROWS).collect();
                for (i, cols) in chunks.iter().enumerate() {
                    let title = format!(
                        "Forest plot: {}{}",
                        group.base,
                        page_note(i, chunks.len(), None)
                    );
                    let fig = forest::ForestFigure::new(draws, cols, &title, opts.rhat.as_ref())?;
                    out.push((
                        page_stem(&format!("forest_{}", group.base), i),
                        Page::Forest(fig),
                    ));
                }
            }
        }
        PlotKind::Pair => {
            let sel = select::panel_selection(
                draws,
                vars,
                pair::MAX_PAIR_VARIABLES.min(opts.max_panels),
            )?;
            let mut cols = sel.columns.clone();
            let mut left_out = sel.left_out;
            if cols.len() > pair::MAX_PAIR_VARIABLES {
                left_out += cols.len() - pair::MAX_PAIR_VARIABLES;
                cols.truncate(pair::MAX_PAIR_VARIABLES);
            }
            let sel = select::Selection {
                columns: cols,
                left_out,
            };
            let title = format!("Pair plot{}", page_note(0, 1, sel.note().as_deref()));
            let fig = pair::PairFigure::new(draws, &sel.columns, &title, opts.bandwidth)?;
            out.push(("pair".to_string(), Page::Pair(fig)));
        }
        PlotKind::Energy => {
            out.push((
                "energy".to_string(),
                Page::Energy(energy::EnergyFigure::new(draws)?),
            ));
        }
        PlotKind::Trace | PlotKind::Rank | PlotKind::Density | PlotKind::Acf => {
            let sel = select::panel_selection(draws, vars, opts.max_panels)?;
            if sel.columns.is_empty() {
                return Err(PlotError::NotApplicable {
                    kind,
                    reason: "the draws have no model variables".into(),
                });
            }
            let note = sel.note();
            let chunks: Vec<&[usize]> = sel.columns.chunks(opts.max_panels).collect();
            for (i, cols) in chunks.iter().enumerate() {
                let suffix = page_note(i, chunks.len(), note.as_deref());
                let page = match kind {
                    PlotKind::Trace => Page::Trace(trace::TraceFigure::new(
                        draws,
                        cols,
                        &format!("Trace plots{suffix}"),
                    )?),
                    PlotKind::Rank => Page::Rank(rank::RankFigure::new(
                        draws,
                        cols,
                        &format!("Rank plots{suffix}"),
                    )?),
                    PlotKind::Density => Page::Density(density::DensityFigure::new(
                        draws,
                        cols,
                        &format!("Marginal posterior densities{suffix}"),
                        opts.bandwidth,
                    )?),
                    _ => Page::Acf(acf::AcfFigure::new(
                        draws,
                        cols,
                        &format!("Autocorrelation{suffix}"),
                    )?),
                };
                out.push((page_stem(kind.name(), i), page));
            }
        }
    }
    Ok(out)
}

/// Draws one kind for the variables `vars` (parameter or element names) into `path`.
/// Pages and defaults are not applied: every named variable gets a panel.
pub fn plot_kind(
    draws: &Draws,
    kind: PlotKind,
    vars: &[String],
    opts: &PlotOptions,
    path: &Path,
) -> Result<(), PlotError> {
    let cols = select::resolve_names(draws, vars)?;
    let title = match kind {
        PlotKind::Trace => "Trace plots",
        PlotKind::Rank => "Rank plots",
        PlotKind::Density => "Marginal posterior densities",
        PlotKind::Forest => "Forest plot",
        PlotKind::Pair => "Pair plot",
        PlotKind::Energy => "Energy",
        PlotKind::Acf => "Autocorrelation",
    };
    let page = match kind {
        PlotKind::Trace => Page::Trace(trace::TraceFigure::new(draws, &cols, title)?),
        PlotKind::Rank => Page::Rank(rank::RankFigure::new(draws, &cols, title)?),
        PlotKind::Density => Page::Density(density::DensityFigure::new(
            draws,
            &cols,
            title,
            opts.bandwidth,
        )?),
        PlotKind::Forest => Page::Forest(forest::ForestFigure::new(
            draws,
            &cols,
            title,
            opts.rhat.as_ref(),
        )?),
        PlotKind::Pair => Page::Pair(pair::PairFigure::new(draws, &cols, title, opts.bandwidth)?),
        PlotKind::Energy => Page::Energy(energy::EnergyFigure::new(draws)?),
        PlotKind::Acf => Page::Acf(acf::AcfFigure::new(draws, &cols, title)?),
    };
    page.render(path, opts.format)
}
