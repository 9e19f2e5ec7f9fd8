//! The look of every hazel plot: the bundled font, the chain palette, and the sizes of
//! panels, margins and text, in one place so that all plot kinds read alike.

use plotters::style::{FontStyle, RGBColor, register_font};
use std::sync::Once;

/// The font family name every plot asks for; registered from the embedded Noto Sans.
pub const FONT: &str = "sans-serif";

/// Figure title size in pixels.
pub const TITLE_SIZE: u32 = 24;
/// Panel caption size in pixels.
pub const CAPTION_SIZE: u32 = 17;
/// Axis description size in pixels.
pub const LABEL_SIZE: u32 = 14;
/// Tick label and legend text size in pixels.
pub const TICK_SIZE: u32 = 13;

/// Height of the figure title strip.
pub const TITLE_HEIGHT: u32 = 40;
/// Height of the shared legend strip under the title.
pub const LEGEND_HEIGHT: u32 = 28;
/// Outer margin of each panel, in pixels.
pub const PANEL_MARGIN: u32 = 8;
/// Space reserved for the x tick labels plus axis description.
pub const X_LABEL_AREA: u32 = 40;
/// Space reserved for the y tick labels plus axis description.
pub const Y_LABEL_AREA: u32 = 60;

/// Width of one panel in a grid of panels.
pub const PANEL_WIDTH: u32 = 440;
/// Height of one panel in a grid of panels.
pub const PANEL_HEIGHT: u32 = 300;
/// Width of a full-width panel (trace plots: iterations need room).
pub const WIDE_PANEL_WIDTH: u32 = 900;
/// Height of one full-width trace panel.
pub const WIDE_PANEL_HEIGHT: u32 = 220;
/// Most panels side by side before a grid wraps to a new row.
pub const MAX_GRID_COLUMNS: usize = 3;

/// Chain colours: the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color
/// Universal Design"), without its black and yellow (too dark / too pale on white).
pub const CHAIN_COLORS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(230, 159, 0),   // orange
];
/// Pooled (all chains) curves and point estimates.
pub const POOLED_COLOR: RGBColor = RGBColor(30, 30, 30);
/// Shaded credible intervals.
pub const INTERVAL_COLOR: RGBColor = RGBColor(150, 180, 215);
/// Divergent transitions and flagged values: a red that contrasts with every chain colour.
pub const ALERT_COLOR: RGBColor = RGBColor(220, 20, 60);
/// Ordinary scatter points.
pub const POINT_COLOR: RGBColor = RGBColor(70, 90, 120);
/// Reference lines (zero, expectation).
pub const REFERENCE_COLOR: RGBColor = RGBColor(110, 110, 110);
/// Marginal energy bars (Paul Tol's "bright" blue, distinct from the chain blue).
pub const MARGINAL_ENERGY_COLOR: RGBColor = RGBColor(68, 119, 170);
/// Energy transition bars (Paul Tol's "bright" yellow).
pub const TRANSITION_ENERGY_COLOR: RGBColor = RGBColor(204, 187, 68);
/// Light grid lines.
pub const GRID_COLOR: RGBColor = RGBColor(232, 232, 232);

/// The colour of chain `k` (0-based); the palette repeats after six chains.
pub fn chain_color(k: usize) -> RGBColor {
    CHAIN_COLORS[k % CHAIN_COLORS.len()]
}

/// Registers the embedded Noto Sans as [`FONT`] once per process, so text renders on a
/// machine without system fonts (DEPENDENCIES.md section 4).
pub fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped inside the crate; a failure here
        // would be a broken build of ttf-noto-sans, and text would then be missing.
        let _ = register_font(FONT, FontStyle::Normal, ttf_noto_sans::REGULAR);
    });
}

/// Rows and columns of a grid holding `n` panels, at most `max_cols` wide: one row up
/// to three panels, then a near-square grid (four panels as 2 × 2).
pub fn grid_shape(n: usize, max_cols: usize) -> (usize, usize) {
    let square = (1..).find(|c| c * c >= n).unwrap_or(1);
    let cols = if n <= 3 { n } else { square }.clamp(1, max_cols.max(1));
    (n.div_ceil(cols).max(1), cols)
}

/// Pixel size of a figure with a title, a legend strip and a `rows × cols` grid of
/// `panel`-sized panels.
pub fn figure_size(rows: usize, cols: usize, panel: (u32, u32)) -> (u32, u32) {
    (
        panel.0 * cols as u32,
        TITLE_HEIGHT + LEGEND_HEIGHT + panel.1 * rows as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_wraps_after_max_columns() {
        assert_eq!(grid_shape(1, 3), (1, 1));
        assert_eq!(grid_shape(3, 3), (1, 3));
        assert_eq!(grid_shape(4, 3), (2, 2));
        assert_eq!(grid_shape(5, 3), (2, 3));
        assert_eq!(grid_shape(7, 3), (3, 3));
        assert_eq!(grid_shape(0, 3), (1, 1));
    }

    #[test]
    fn chain_colours_are_distinct() {
        for (i, a) in CHAIN_COLORS.iter().enumerate() {
            assert!(CHAIN_COLORS[..i].iter().all(|b| b != a));
            assert_ne!(*a, ALERT_COLOR);
        }
    }
}
