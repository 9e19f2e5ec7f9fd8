//! Figure scaffolding shared by every plot kind: rendering to PNG or SVG, the title and
//! legend strips, the panel grid, and a panel with captioned, labelled axes.

use super::style::{
    self, CAPTION_SIZE, FONT, GRID_COLOR, LABEL_SIZE, LEGEND_HEIGHT, PANEL_MARGIN, TICK_SIZE,
    TITLE_HEIGHT, TITLE_SIZE, X_LABEL_AREA, Y_LABEL_AREA,
};
use super::{PlotError, PlotFormat};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;
use std::path::Path;

/// A drawing area of any backend.
pub type Area<DB> = DrawingArea<DB, Shift>;
/// A chart with two real axes.
pub type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Approximate advance of one character, as a fraction of the font size (Noto Sans
/// averages about 0.55 em; rounding up keeps estimated layouts from overlapping).
const CHAR_WIDTH_EM: f64 = 0.62;
/// Width of a legend swatch plus the gap to its label, in pixels.
const SWATCH_WIDTH: u32 = 26;
/// Gap between legend entries, in pixels.
const LEGEND_GAP: u32 = 18;
/// Free space each side of the title, in pixels.
const TITLE_MARGIN: u32 = 20;
/// Fraction of the data span added each side of an axis range.
pub const RANGE_PADDING: f64 = 0.05;

/// A figure: a [`Frame`] (title, legend, panel grid) plus what it draws in the panels,
/// on any plotters backend.
pub trait Figure {
    /// The title, legend and layout.
    fn frame(&self) -> &Frame;
    /// Draws the panels; `areas` are the frame's panel areas in row-major order, and
    /// `root` the whole figure (for labels placed outside a panel's plotting area).
    fn draw_panels<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError>;
}

/// The parts every figure has: a title, a legend strip and a grid of panels.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The figure title.
    pub title: String,
    /// The legend entries.
    pub legend: Vec<LegendEntry>,
    /// Size and grid.
    pub layout: Layout,
}

impl Frame {
    /// A frame for `n` panels of size `panel`, at most `max_cols` side by side.
    pub fn new(
        n: usize,
        max_cols: usize,
        panel: (u32, u32),
        title: &str,
        legend: Vec<LegendEntry>,
    ) -> Self {
        Frame {
            layout: Layout::grid(n, max_cols, panel, title, &legend),
            title: title.to_string(),
            legend,
        }
    }
}

/// Turns any plotters error into a [`PlotError::Draw`].
pub fn draw_err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError::Draw(e.to_string())
}

/// Renders `figure` to `path` as PNG or SVG.
pub fn render<F: Figure>(figure: &F, path: &Path, format: PlotFormat) -> Result<(), PlotError> {
    style::ensure_font();
    let f = figure.frame();
    let size = (f.layout.width, f.layout.height);
    match format {
        PlotFormat::Png => draw_on(figure, BitMapBackend::new(path, size).into_drawing_area()),
        PlotFormat::Svg => draw_on(figure, SVGBackend::new(path, size).into_drawing_area()),
    }
    .map_err(|e| PlotError::Draw(format!("{}: {e}", path.display())))
}

fn draw_on<F: Figure, DB: DrawingBackend>(figure: &F, root: Area<DB>) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(draw_err)?;
    let f = figure.frame();
    let areas = frame(&root, &f.layout, &f.title, &f.legend)?;
    figure.draw_panels(&root, &areas)?;
    root.present().map_err(draw_err)
}

/// How a legend entry's swatch is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A short line (a curve or a chain's trace).
    Line,
    /// A filled box (a shaded area or bars).
    Box,
    /// A dot (points).
    Dot,
}

/// One entry of a figure's legend strip.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// The text.
    pub label: String,
    /// The swatch colour.
    pub color: RGBColor,
    /// The swatch shape.
    pub mark: Mark,
}

impl LegendEntry {
    /// A new entry.
    pub fn new(label: impl Into<String>, color: RGBColor, mark: Mark) -> Self {
        LegendEntry {
            label: label.into(),
            color,
            mark,
        }
    }
}

/// One line entry per chain, in chain colours.
pub fn chain_legend(chains: usize, mark: Mark) -> Vec<LegendEntry> {
    (0..chains)
        .map(|k| LegendEntry::new(format!("chain {}", k + 1), style::chain_color(k), mark))
        .collect()
}

/// Estimated pixel width of `text` at `size`.
pub fn text_width(text: &str, size: u32) -> u32 {
    (text.chars().count() as f64 * size as f64 * CHAR_WIDTH_EM).ceil() as u32
}

fn entry_width(e: &LegendEntry) -> u32 {
    SWATCH_WIDTH + text_width(&e.label, TICK_SIZE) + LEGEND_GAP
}

/// Packs legend entries into rows no wider than `width` by estimated widths.
fn legend_rows(entries: &[LegendEntry], width: u32) -> Vec<Range<usize>> {
    let widths: Vec<u32> = entries.iter().map(entry_width).collect();
    pack_rows(&widths, width.saturating_sub(2 * TITLE_MARGIN))
}

/// Packs items of the given widths into rows no wider than `width`; returns index ranges.
fn pack_rows(widths: &[u32], width: u32) -> Vec<Range<usize>> {
    let mut rows = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, &w) in widths.iter().enumerate() {
        if i > start && used + w > width {
            rows.push(start..i);
            start = i;
            used = 0;
        }
        used += w;
    }
    if start < widths.len() {
        rows.push(start..widths.len());
    }
    rows
}

/// Pixel size and grid of a figure: a title, a legend strip, then `rows × cols` panels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Figure width.
    pub width: u32,
    /// Figure height.
    pub height: u32,
    /// Panel rows.
    pub rows: usize,
    /// Panel columns.
    pub cols: usize,
}

impl Layout {
    /// The layout for `n` panels of size `panel`, at most `max_cols` side by side, wide
    /// enough for `title`.
    pub fn grid(
        n: usize,
        max_cols: usize,
        panel: (u32, u32),
        title: &str,
        legend: &[LegendEntry],
    ) -> Self {
        let (rows, cols) = style::grid_shape(n, max_cols);
        let (width, base) = style::figure_size(rows, cols, panel);
        let width = width.max(text_width(title, TITLE_SIZE) + 2 * TITLE_MARGIN);
        let extra = legend_rows(legend, width).len().saturating_sub(1) as u32 * LEGEND_HEIGHT;
        Layout {
            width,
            height: base + extra,
            rows,
            cols,
        }
    }
}

/// Draws the title and the legend strip and returns the panel areas in row-major order.
pub fn frame<DB: DrawingBackend>(
    root: &Area<DB>,
    layout: &Layout,
    title: &str,
    legend: &[LegendEntry],
) -> Result<Vec<Area<DB>>, PlotError> {
    let width = layout.width;
    let title_style =
        TextStyle::from((FONT, TITLE_SIZE).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw_text(
        title,
        &title_style,
        ((width / 2) as i32, (TITLE_HEIGHT / 2) as i32),
    )
    .map_err(draw_err)?;
    let text_style =
        TextStyle::from((FONT, TICK_SIZE).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    let measured: Vec<u32> = legend
        .iter()
        .map(|e| {
            let (w, _) = root
                .estimate_text_size(&e.label, &text_style)
                .map_err(draw_err)?;
            Ok(SWATCH_WIDTH + w + LEGEND_GAP)
        })
        .collect::<Result<_, PlotError>>()?;
    // Rows are packed with measured widths; `Layout` reserved space with the (wider)
    // estimate, so the strip never needs more rows than were reserved.
    let rows = pack_rows(&measured, width.saturating_sub(2 * TITLE_MARGIN));
    for (r, range) in rows.iter().enumerate() {
        let row_width = measured[range.clone()].iter().sum::<u32>() - LEGEND_GAP;
        let mut x = (width.saturating_sub(row_width) / 2) as i32;
        let y = (TITLE_HEIGHT + LEGEND_HEIGHT * r as u32 + LEGEND_HEIGHT / 2) as i32;
        for (e, w) in legend[range.clone()].iter().zip(&measured[range.clone()]) {
            draw_swatch(root, e, x, y)?;
            root.draw_text(&e.label, &text_style, (x + SWATCH_WIDTH as i32, y))
                .map_err(draw_err)?;
            x += *w as i32;
        }
    }
    let rows = legend_rows(legend, width);
    let top = TITLE_HEIGHT + LEGEND_HEIGHT * rows.len().max(1) as u32;
    let (_, body) = root.split_vertically(top);
    Ok(body.split_evenly((layout.rows, layout.cols)))
}

fn draw_swatch<DB: DrawingBackend>(
    root: &Area<DB>,
    e: &LegendEntry,
    x: i32,
    y: i32,
) -> Result<(), PlotError> {
    let c = e.color;
    match e.mark {
        Mark::Line => root.draw(&PathElement::new(
            vec![(x, y), (x + 18, y)],
            c.stroke_width(3),
        )),
        Mark::Box => root.draw(&Rectangle::new([(x, y - 6), (x + 18, y + 6)], c.filled())),
        Mark::Dot => root.draw(&Circle::new((x + 9, y), 4, c.filled())),
    }
    .map_err(draw_err)
}

/// Axis descriptions and tick formatting of one panel.
pub struct Axes<'f> {
    /// X axis description.
    pub x_desc: &'f str,
    /// Y axis description.
    pub y_desc: &'f str,
    /// Custom y tick labels; `None` prints numbers.
    pub y_format: Option<&'f dyn Fn(&f64) -> String>,
    /// How many y ticks to aim for (0: none, for plots that label rows themselves).
    pub y_ticks: usize,
    /// Width of the y label area (wider for long tick labels).
    pub y_area: u32,
    /// Extra free space right of the plot (for per-row annotations).
    pub right_space: u32,
}

impl<'f> Axes<'f> {
    /// Numeric axes with the given descriptions.
    pub fn new(x_desc: &'f str, y_desc: &'f str) -> Self {
        Axes {
            x_desc,
            y_desc,
            y_format: None,
            y_ticks: 6,
            y_area: Y_LABEL_AREA,
            right_space: 0,
        }
    }
}

/// A captioned panel with labelled axes over `x × y`.
pub fn panel<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    caption: &str,
    x: Range<f64>,
    y: Range<f64>,
    axes: &Axes,
) -> Result<Chart<'a, DB>, PlotError> {
    let mut builder = ChartBuilder::on(area);
    if !caption.is_empty() {
        builder.caption(caption, (FONT, CAPTION_SIZE));
    }
    let mut chart = builder
        .margin(PANEL_MARGIN)
        .margin_right(PANEL_MARGIN + axes.right_space)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(axes.y_area)
        .build_cartesian_2d(x, y)
        .map_err(draw_err)?;
    let tick_font = (FONT, TICK_SIZE);
    let label_font = (FONT, LABEL_SIZE);
    let fmt = |v: &f64| tick_label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .x_labels(6)
        .y_labels(axes.y_ticks)
        .x_label_formatter(&fmt)
        .label_style(tick_font)
        .axis_desc_style(label_font)
        .light_line_style(GRID_COLOR.mix(0.0))
        .bold_line_style(GRID_COLOR);
    match axes.y_format {
        Some(f) => mesh.y_label_formatter(f).draw(),
        None => mesh.y_label_formatter(&fmt).draw(),
    }
    .map_err(draw_err)?;
    Ok(chart)
}

/// A compact tick label: up to four significant digits, no trailing zeros.
pub fn tick_label(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        return format!("{v:.1e}");
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `[lo, hi]` widened by [`RANGE_PADDING`] of its span each side (or by 1 when empty).
pub fn padded(lo: f64, hi: f64) -> Range<f64> {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - RANGE_PADDING * span)..(hi + RANGE_PADDING * span)
    } else {
        (lo - 1.0)..(hi + 1.0)
    }
}

/// Smallest and largest of all values.
pub fn extent<'v>(values: impl IntoIterator<Item = &'v f64>) -> (f64, f64) {
    values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(1000.0), "1000");
        assert_eq!(tick_label(-0.125), "-0.125");
        assert_eq!(tick_label(123456.0), "1.2e5");
    }

    #[test]
    fn legend_wraps_when_too_wide() {
        let e: Vec<LegendEntry> = (0..8)
            .map(|k| LegendEntry::new(format!("chain {k}"), style::chain_color(k), Mark::Line))
            .collect();
        assert_eq!(legend_rows(&e, 2000).len(), 1);
        let narrow = legend_rows(&e, 300);
        assert!(narrow.len() > 2);
        assert_eq!(narrow.last().unwrap().end, 8);
        let l = Layout::grid(1, 3, (300, 200), "t", &e);
        assert!(l.height > style::figure_size(1, 1, (300, 200)).1);
    }

    #[test]
    fn padding_handles_empty_spans() {
        assert_eq!(padded(1.0, 1.0), 0.0..2.0);
        let r = padded(0.0, 10.0);
        assert!((r.start + 0.5).abs() < 1e-12 && (r.end - 10.5).abs() < 1e-12);
    }
}
