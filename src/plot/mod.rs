//! Diagnostic and posterior plots drawn with plotters, as PNG or SVG with an embedded
//! font: trace, rank, density, forest, pair, energy and autocorrelation. [`plot`] draws a
//! chosen set into a folder; each kind also has its own function.

mod acf;
mod canvas;
mod density;
mod energy;
mod forest;
mod kde;
mod pages;
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
pub use select::DisplayNames;
pub use style::{ALERT_COLOR, CHAIN_COLORS, FONT, ensure_font};

use crate::draws::Draws;
use pages::Page;
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

    /// The figure title.
    pub fn title(self) -> &'static str {
        match self {
            PlotKind::Trace => "Trace plots",
            PlotKind::Rank => "Rank plots",
            PlotKind::Density => "Marginal posterior densities",
            PlotKind::Forest => "Forest plot",
            PlotKind::Pair => "Pair plot",
            PlotKind::Energy => "Energy: marginal vs transition",
            PlotKind::Acf => "Autocorrelation",
        }
    }

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
    /// Variables to show (parameter names like `theta`, elements like `theta[2]`, sampler
    /// columns like `lp__`); `None` picks defaults (see [`PlotOptions::max_panels`]). The
    /// energy plot is about the sampler, not variables, and is drawn either way.
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
    /// Names shown instead of Stan's in panel titles, axis labels and forest rows, keyed
    /// by the bracket name (`alpha[1]` → `alpha[Aitkin]`, as `hazel sample --labels`
    /// prints them); `vars` may use them too. Empty: Stan's names everywhere.
    pub names: DisplayNames,
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
            names: DisplayNames::new(),
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
        let pages = match pages::pages(draws, opts, kind, vars) {
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

/// Draws one kind for the variables `vars` (parameter or element names) into `path`.
/// Pages and defaults are not applied: every named variable gets a panel. The energy
/// plot takes no variables (`vars` must be empty).
pub fn plot_kind(
    draws: &Draws,
    kind: PlotKind,
    vars: &[String],
    opts: &PlotOptions,
    path: &Path,
) -> Result<(), PlotError> {
    if kind == PlotKind::Energy && !vars.is_empty() {
        return Err(PlotError::InvalidOption(
            "the energy plot shows the sampler's energy__ and takes no variables".into(),
        ));
    }
    let cols = select::resolve_names(draws, vars, &opts.names)?;
    Page::build(kind, draws, &cols, kind.title(), opts)?.render(path, opts.format)
}

/// Defines a function drawing one kind for named variables, by [`plot_kind`].
macro_rules! kind_function {
    ($(#[$doc:meta] $name:ident => $kind:ident),* $(,)?) => {$(
        #[$doc]
        pub fn $name(
            draws: &Draws,
            vars: &[String],
            opts: &PlotOptions,
            path: &Path,
        ) -> Result<(), PlotError> {
            plot_kind(draws, PlotKind::$kind, vars, opts, path)
        }
    )*};
}

kind_function! {
    /// Trace plot of `vars` (one panel each) into `path`.
    trace_plot => Trace,
    /// Rank plot of `vars` into `path`.
    rank_plot => Rank,
    /// Density plot of `vars` into `path`.
    density_plot => Density,
    /// Forest plot with one row per element of `vars` into `path`.
    forest_plot => Forest,
    /// Pair plot of 2 to 5 `vars` into `path`.
    pair_plot => Pair,
    /// Autocorrelation plot of `vars` into `path`.
    acf_plot => Acf,
}

/// Energy plot (all chains' `energy__`, E-BFMI per chain) into `path`.
pub fn energy_plot(draws: &Draws, opts: &PlotOptions, path: &Path) -> Result<(), PlotError> {
    plot_kind(draws, PlotKind::Energy, &[], opts, path)
}
