//! Forest plots: for every element of a vector or array parameter, the median with its
//! 50% and 90% central intervals on one shared axis, and R-hat beside each row with
//! values above 1.01 flagged, so that partial pooling and poorly mixed elements show at
//! a glance.

use super::PlotError;
use super::canvas::{
    Area, Axes, Figure, Frame, LegendEntry, Mark, draw_err, extent, padded, panel, text_width,
};
use super::quantile::{IntervalSummary, interval_summary};
use super::select::{DisplayNames, label, per_column};
use super::style::{
    ALERT_COLOR, FONT, GRID_COLOR, INTERVAL_COLOR, POOLED_COLOR, TICK_SIZE, Y_LABEL_AREA,
};
use crate::draws::{Draws, bracket_to_dotted};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::HashMap;

/// Most rows in one forest file; larger containers continue on further pages.
pub const MAX_FOREST_ROWS: usize = 60;
/// Inner interval mass (ArviZ `plot_forest` draws the interquartile range likewise).
pub const INNER_MASS: f64 = 0.5;
/// Outer interval mass.
pub const OUTER_MASS: f64 = 0.9;
/// R-hat above this is flagged (Vehtari et al. 2021, section 4.4: use draws only when
/// R-hat < 1.01).
pub const RHAT_THRESHOLD: f64 = 1.01;
/// Pixel height of one row.
const ROW_HEIGHT: u32 = 22;
/// Width of the data part of the plot.
const PLOT_WIDTH: u32 = 640;
/// Width of the R-hat column right of the plot.
const RHAT_COLUMN: u32 = 90;
/// Height for the x axis, the caption and margins around the rows.
const FRAME_HEIGHT: u32 = 110;

struct Row {
    name: String,
    summary: IntervalSummary,
    rhat: Option<f64>,
}

/// A forest figure, ready to render.
pub struct ForestFigure {
    frame: Frame,
    rows: Vec<Row>,
    name_width: u32,
    has_rhat: bool,
}

fn lookup_rhat(rhat: &HashMap<String, f64>, name: &str) -> Option<f64> {
    rhat.get(name)
        .or_else(|| rhat.get(&bracket_to_dotted(name)))
        .copied()
}

impl ForestFigure {
    /// One row per column in `columns`, named by `names`; `rhat` maps Stan's names to
    /// R-hat values when known.
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
        rhat: Option<&HashMap<String, f64>>,
    ) -> Result<Self, PlotError> {
        let mut rows = per_column(draws, columns, names, "forest", |name, chains| {
            let pooled: Vec<f64> = chains.concat();
            Row {
                summary: interval_summary(&pooled, INNER_MASS, OUTER_MASS),
                rhat: None,
                name,
            }
        })?;
        // R-hat is keyed by Stan's name: a display name may coincide with another column's.
        for (row, &i) in rows.iter_mut().zip(columns) {
            row.rhat = rhat.and_then(|m| lookup_rhat(m, &label(draws, i)));
        }
        let has_rhat = rhat.is_some();
        let mut legend = vec![
            LegendEntry::new("median", POOLED_COLOR, Mark::Dot),
            LegendEntry::new("50% interval", POOLED_COLOR, Mark::Line),
            LegendEntry::new("90% interval", INTERVAL_COLOR, Mark::Line),
        ];
        legend.push(if has_rhat {
            LegendEntry::new(format!("R-hat > {RHAT_THRESHOLD}"), ALERT_COLOR, Mark::Box)
        } else {
            LegendEntry::new("R-hat not supplied", GRID_COLOR, Mark::Box)
        });
        let name_width = rows
            .iter()
            .map(|r| text_width(&r.name, TICK_SIZE))
            .max()
            .unwrap_or(0)
            .max(Y_LABEL_AREA)
            + 16;
        let frame = Frame::new(
            1,
            1,
            (
                name_width + PLOT_WIDTH + RHAT_COLUMN,
                FRAME_HEIGHT + ROW_HEIGHT * rows.len() as u32,
            ),
            title,
            legend,
        );
        Ok(ForestFigure {
            frame,
            rows,
            name_width,
            has_rhat,
        })
    }
}

impl Figure for ForestFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        let n = self.rows.len();
        let (lo, hi) = extent(
            self.rows
                .iter()
                .flat_map(|r| [&r.summary.outer.0, &r.summary.outer.1]),
        );
        let mut axes = Axes::new("value", "");
        axes.y_ticks = 0;
        axes.y_area = self.name_width;
        axes.right_space = RHAT_COLUMN;
        let mut chart = panel(&areas[0], "", padded(lo, hi), -0.6..(n as f64 - 0.4), &axes)?;
        let left =
            TextStyle::from((FONT, TICK_SIZE).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        let right =
            TextStyle::from((FONT, TICK_SIZE).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
        let x_end = padded(lo, hi).end;
        if self.has_rhat {
            let (x, y) = chart.backend_coord(&(x_end, n as f64 - 0.4));
            root.draw_text("R-hat", &right, (x + 12, y - 10))
                .map_err(draw_err)?;
        }
        for (i, r) in self.rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let flagged = r.rhat.is_some_and(|v| v > RHAT_THRESHOLD || !v.is_finite());
            let s = &r.summary;
            let outer = PathElement::new(
                vec![(s.outer.0, y), (s.outer.1, y)],
                INTERVAL_COLOR.stroke_width(2),
            );
            let inner = PathElement::new(
                vec![(s.inner.0, y), (s.inner.1, y)],
                POOLED_COLOR.stroke_width(5),
            );
            let color = if flagged { ALERT_COLOR } else { POOLED_COLOR };
            chart.draw_series([outer, inner]).map_err(draw_err)?;
            chart
                .draw_series([
                    Circle::new((s.median, y), 4, WHITE.filled()),
                    Circle::new((s.median, y), 4, color.stroke_width(2)),
                ])
                .map_err(draw_err)?;
            let (px, py) = chart.backend_coord(&(padded(lo, hi).start, y));
            let name_style = if flagged {
                left.color(&ALERT_COLOR)
            } else {
                left.clone()
            };
            root.draw_text(&r.name, &name_style, (px - 6, py))
                .map_err(draw_err)?;
            if let Some(v) = r.rhat {
                let (ex, ey) = chart.backend_coord(&(x_end, y));
                let style = if flagged {
                    right.color(&ALERT_COLOR)
                } else {
                    right.clone()
                };
                root.draw_text(&format!("{v:.3}"), &style, (ex + 12, ey))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}
