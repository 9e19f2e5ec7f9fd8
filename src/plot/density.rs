//! Marginal posterior densities: a kernel density estimate per chain (chains that
//! disagree show as curves that do not overlap) and the pooled estimate with its central
//! 90% interval shaded.

use super::PlotError;
use super::canvas::{Area, Axes, Figure, Frame, LegendEntry, Mark, chain_legend, draw_err, panel};
use super::kde::{Bandwidth, DensityCurve, KDE_TAIL_BANDWIDTHS, bandwidth, kde_on_range};
use super::quantile::{interval_summary, quantile_sorted};
use super::select::{DisplayNames, per_column};
use super::style::{
    INTERVAL_COLOR, MAX_GRID_COLUMNS, PANEL_HEIGHT, PANEL_WIDTH, POOLED_COLOR, chain_color,
};
use crate::draws::Draws;
use plotters::prelude::*;

/// Probability mass of the shaded central interval (the 90%, as Stan's default
/// summary reports 5% and 95% quantiles).
pub const DENSITY_INTERVAL_MASS: f64 = 0.9;
/// Tail mass left off each side of the displayed range, so that a few extreme draws of a
/// heavy-tailed posterior do not squash the curves into a spike (the estimate still
/// includes those draws).
pub const DENSITY_DISPLAY_TAIL: f64 = 0.001;
/// Line width of the pooled density.
const POOLED_STROKE: u32 = 2;

/// The x range shown for `pooled` draws: the central 99.8% widened by the kernel's
/// reach, and the pooled bandwidth.
fn display_range(pooled: &[f64], rule: Bandwidth) -> (f64, f64, f64) {
    let h = bandwidth(pooled, rule);
    let mut sorted = pooled.to_vec();
    sorted.sort_by(f64::total_cmp);
    let lo = quantile_sorted(&sorted, DENSITY_DISPLAY_TAIL) - KDE_TAIL_BANDWIDTHS * h;
    let hi = quantile_sorted(&sorted, 1.0 - DENSITY_DISPLAY_TAIL) + KDE_TAIL_BANDWIDTHS * h;
    (lo, hi, h)
}

struct DensityPanel {
    name: String,
    chains: Vec<DensityCurve>,
    pooled: DensityCurve,
    interval: (f64, f64),
}

/// A density figure, ready to render.
pub struct DensityFigure {
    frame: Frame,
    panels: Vec<DensityPanel>,
}

impl DensityFigure {
    /// One panel per column in `columns`, with bandwidths from `rule`.
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
        rule: Bandwidth,
    ) -> Result<Self, PlotError> {
        let panels = per_column(draws, columns, names, "density", |name, chains| {
            let pooled_draws: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
            let (lo, hi, h) = display_range(&pooled_draws, rule);
            let pooled = kde_on_range(&pooled_draws, h, lo, hi);
            let per_chain = chains
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| {
                    let h = bandwidth(c, rule);
                    kde_on_range(c, h, lo, hi)
                })
                .collect();
            let s = interval_summary(&pooled_draws, DENSITY_INTERVAL_MASS, DENSITY_INTERVAL_MASS);
            DensityPanel {
                name,
                chains: per_chain,
                pooled,
                interval: s.outer,
            }
        })?;
        let mut legend = chain_legend(draws.chains.len(), Mark::Line);
        legend.push(LegendEntry::new("all chains", POOLED_COLOR, Mark::Line));
        legend.push(LegendEntry::new("90% interval", INTERVAL_COLOR, Mark::Box));
        let frame = Frame::new(
            panels.len(),
            MAX_GRID_COLUMNS,
            (PANEL_WIDTH, PANEL_HEIGHT),
            title,
            legend,
        );
        Ok(DensityFigure { frame, panels })
    }
}

impl Figure for DensityFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        _root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        for (p, area) in self.panels.iter().zip(areas) {
            let x = &p.pooled.x;
            let top = p
                .chains
                .iter()
                .chain(std::iter::once(&p.pooled))
                .flat_map(|c| c.y.iter())
                .fold(0.0f64, |a, &b| a.max(b));
            let y_range = 0.0..(top * 1.08).max(f64::MIN_POSITIVE);
            let mut chart = panel(
                area,
                &p.name,
                x[0]..x[x.len() - 1],
                y_range,
                &Axes::new(&p.name, "density"),
            )?;
            let (lo, hi) = p.interval;
            let mut shaded: Vec<(f64, f64)> = vec![(lo, 0.0)];
            shaded.extend(
                x.iter()
                    .zip(&p.pooled.y)
                    .filter(|(x, _)| **x >= lo && **x <= hi)
                    .map(|(&x, &y)| (x, y)),
            );
            shaded.push((hi, 0.0));
            chart
                .draw_series([Polygon::new(shaded, INTERVAL_COLOR.mix(0.7).filled())])
                .map_err(draw_err)?;
            for (k, c) in p.chains.iter().enumerate() {
                chart
                    .draw_series(LineSeries::new(
                        c.x.iter().copied().zip(c.y.iter().copied()),
                        chain_color(k).stroke_width(1),
                    ))
                    .map_err(draw_err)?;
            }
            chart
                .draw_series(LineSeries::new(
                    x.iter().copied().zip(p.pooled.y.iter().copied()),
                    POOLED_COLOR.stroke_width(POOLED_STROKE),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
