//! Trace plots: each variable's draws against iteration, one colour per chain, one panel
//! per variable, so that stuck or drifting chains stand out.

use super::PlotError;
use super::canvas::{
    Area, Axes, Figure, Frame, Mark, chain_legend, draw_err, extent, padded, panel,
};
use super::select::{DisplayNames, per_column};
use super::style::{WIDE_PANEL_HEIGHT, WIDE_PANEL_WIDTH, chain_color};
use crate::draws::Draws;
use plotters::prelude::*;

/// Line width of a chain's trace, in pixels.
const TRACE_STROKE: u32 = 1;

/// A trace figure, ready to render.
pub struct TraceFigure {
    frame: Frame,
    panels: Vec<(String, Vec<Vec<f64>>)>,
}

impl TraceFigure {
    /// One panel per column in `columns`.
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
    ) -> Result<Self, PlotError> {
        let panels = per_column(draws, columns, names, "trace", |name, chains| {
            (name, chains.iter().map(|c| c.to_vec()).collect())
        })?;
        let chains = draws.chains.len();
        let frame = Frame::new(
            panels.len(),
            1,
            (WIDE_PANEL_WIDTH, WIDE_PANEL_HEIGHT),
            title,
            chain_legend(chains, Mark::Line),
        );
        Ok(TraceFigure { frame, panels })
    }
}

impl Figure for TraceFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        _root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        for ((name, chains), area) in self.panels.iter().zip(areas) {
            let n = chains.iter().map(Vec::len).max().unwrap_or(1);
            let (lo, hi) = extent(chains.iter().flatten());
            let mut chart = panel(
                area,
                name,
                0.0..(n as f64 + 1.0),
                padded(lo, hi),
                &Axes::new("iteration", name),
            )?;
            for (k, c) in chains.iter().enumerate() {
                let line = LineSeries::new(
                    c.iter().enumerate().map(|(t, &v)| ((t + 1) as f64, v)),
                    chain_color(k).stroke_width(TRACE_STROKE),
                );
                chart.draw_series(line).map_err(draw_err)?;
            }
        }
        Ok(())
    }
}
