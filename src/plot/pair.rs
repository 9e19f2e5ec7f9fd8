//! Pair plots: scatter of every pair of selected variables below the diagonal, each
//! variable's density on it, and divergent transitions drawn on top in a contrasting
//! colour, because divergences cluster where the geometry defeats the sampler (the neck
//! of a funnel).

use super::PlotError;
use super::canvas::{
    Area, Axes, Figure, Frame, LegendEntry, Mark, draw_err, extent, padded, panel,
};
use super::kde::{Bandwidth, DensityCurve, kde};
use super::select::{DisplayNames, display_label, finite_column};
use super::style::{ALERT_COLOR, POINT_COLOR, POOLED_COLOR};
use crate::draws::Draws;
use plotters::prelude::*;

/// Most variables in one pair plot (a 5 × 5 grid still has readable cells).
pub const MAX_PAIR_VARIABLES: usize = 5;
/// Most non-divergent points per scatter cell; more draws are thinned evenly so files
/// stay small. Divergent draws are always all shown.
pub const MAX_PAIR_POINTS: usize = 2000;
/// Pixel size of one cell.
const CELL: u32 = 250;

/// A pair figure, ready to render.
pub struct PairFigure {
    frame: Frame,
    names: Vec<String>,
    values: Vec<Vec<f64>>,
    densities: Vec<DensityCurve>,
    divergent: Vec<bool>,
    stride: usize,
}

impl PairFigure {
    /// The pair plot of `columns` (2 to [`MAX_PAIR_VARIABLES`] of them).
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
        rule: Bandwidth,
    ) -> Result<Self, PlotError> {
        if columns.len() < 2 || columns.len() > MAX_PAIR_VARIABLES {
            return Err(PlotError::NotApplicable {
                kind: super::PlotKind::Pair,
                reason: format!(
                    "it needs 2 to {MAX_PAIR_VARIABLES} variables, {} selected",
                    columns.len()
                ),
            });
        }
        let values = columns
            .iter()
            .map(|&i| Ok(finite_column(draws, i)?.concat()))
            .collect::<Result<Vec<Vec<f64>>, PlotError>>()?;
        let n = values[0].len();
        let divergent: Vec<bool> = match draws.column_index("divergent__") {
            Some(d) => draws.column(d).concat().iter().map(|&v| v > 0.5).collect(),
            None => vec![false; n],
        };
        let n_div = divergent.iter().filter(|&&d| d).count();
        let stride = n.div_ceil(MAX_PAIR_POINTS).max(1);
        let draws_label = if stride > 1 {
            format!("draws (every {stride}th of {n})")
        } else {
            format!("draws ({n})")
        };
        let legend = vec![
            LegendEntry::new(draws_label, POINT_COLOR, Mark::Dot),
            LegendEntry::new(format!("divergent ({n_div})"), ALERT_COLOR, Mark::Dot),
            LegendEntry::new("density, all chains", POOLED_COLOR, Mark::Line),
        ];
        let k = columns.len();
        let frame = Frame::new(k * k, k, (CELL, CELL), title, legend);
        Ok(PairFigure {
            frame,
            names: columns
                .iter()
                .map(|&i| display_label(draws, i, names))
                .collect(),
            densities: values.iter().map(|v| kde(v, rule)).collect(),
            values,
            divergent,
            stride,
        })
    }
}

impl Figure for PairFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        _root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        let k = self.names.len();
        let ranges: Vec<_> = self
            .values
            .iter()
            .map(|v| {
                let (a, b) = extent(v);
                padded(a, b)
            })
            .collect();
        for row in 0..k {
            for col in 0..=row {
                let area = &areas[row * k + col];
                let x_desc = if row == k - 1 {
                    self.names[col].as_str()
                } else {
                    ""
                };
                if row == col {
                    let d = &self.densities[row];
                    let top = d.y.iter().fold(0.0f64, |a, &b| a.max(b));
                    let y_desc = if col == 0 { "density" } else { "" };
                    let mut chart = panel(
                        area,
                        "",
                        ranges[col].clone(),
                        0.0..top * 1.08,
                        &Axes::new(x_desc, y_desc),
                    )?;
                    chart
                        .draw_series(LineSeries::new(
                            d.x.iter().copied().zip(d.y.iter().copied()),
                            POOLED_COLOR.stroke_width(2),
                        ))
                        .map_err(draw_err)?;
                    continue;
                }
                let y_desc = if col == 0 {
                    self.names[row].as_str()
                } else {
                    ""
                };
                let mut chart = panel(
                    area,
                    "",
                    ranges[col].clone(),
                    ranges[row].clone(),
                    &Axes::new(x_desc, y_desc),
                )?;
                let (xs, ys) = (&self.values[col], &self.values[row]);
                let ordinary = (0..xs.len())
                    .step_by(self.stride)
                    .filter(|&t| !self.divergent[t])
                    .map(|t| Circle::new((xs[t], ys[t]), 2, POINT_COLOR.mix(0.35).filled()));
                chart.draw_series(ordinary).map_err(draw_err)?;
                let flagged = (0..xs.len())
                    .filter(|&t| self.divergent[t])
                    .map(|t| Circle::new((xs[t], ys[t]), 3, ALERT_COLOR.filled()));
                chart.draw_series(flagged).map_err(draw_err)?;
            }
        }
        Ok(())
    }
}
