//! Autocorrelation by lag, one curve per chain: slowly decaying curves mean few effective
//! draws per iteration.

use super::PlotError;
use super::canvas::{Area, Axes, Figure, Frame, Mark, chain_legend, draw_err, panel};
use super::select::{DisplayNames, per_column};
use super::style::{MAX_GRID_COLUMNS, PANEL_HEIGHT, PANEL_WIDTH, REFERENCE_COLOR, chain_color};
use crate::draws::Draws;
use plotters::prelude::*;

/// Largest lag shown (ArviZ `plot_autocorr` also defaults to 100 lags).
pub const MAX_LAG: usize = 100;

/// Sample autocorrelation of `x` at lags 0..=max_lag (capped at len − 1), with the
/// biased (divide by n) autocovariance, as Geyer (1992) and Stan use. A constant series
/// has autocorrelation 1 at lag 0 and 0 elsewhere.
pub fn autocorrelation(x: &[f64], max_lag: usize) -> Vec<f64> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    let d: Vec<f64> = x.iter().map(|v| v - mean).collect();
    let c0: f64 = d.iter().map(|v| v * v).sum();
    (0..=max_lag.min(n - 1))
        .map(|lag| {
            if c0 == 0.0 {
                return if lag == 0 { 1.0 } else { 0.0 };
            }
            d[..n - lag]
                .iter()
                .zip(&d[lag..])
                .map(|(a, b)| a * b)
                .sum::<f64>()
                / c0
        })
        .collect()
}

/// An autocorrelation figure, ready to render.
pub struct AcfFigure {
    frame: Frame,
    panels: Vec<(String, Vec<Vec<f64>>)>,
}

impl AcfFigure {
    /// One panel per column in `columns`.
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
    ) -> Result<Self, PlotError> {
        let panels = per_column(draws, columns, names, "autocorrelation", |name, chains| {
            let acfs = chains.iter().map(|c| autocorrelation(c, MAX_LAG)).collect();
            (name, acfs)
        })?;
        let chains = draws.chains.len();
        let frame = Frame::new(
            panels.len(),
            MAX_GRID_COLUMNS,
            (PANEL_WIDTH, PANEL_HEIGHT),
            title,
            chain_legend(chains, Mark::Line),
        );
        Ok(AcfFigure { frame, panels })
    }
}

impl Figure for AcfFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        _root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        for ((name, acfs), area) in self.panels.iter().zip(areas) {
            let lags = acfs.iter().map(Vec::len).max().unwrap_or(1).max(2) - 1;
            let low = acfs.iter().flatten().fold(0.0f64, |a, &b| a.min(b));
            let y = (low - 0.1).max(-1.05)..1.05;
            let mut chart = panel(
                area,
                name,
                0.0..lags as f64,
                y,
                &Axes::new("lag", "autocorrelation"),
            )?;
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (lags as f64, 0.0)],
                    REFERENCE_COLOR.stroke_width(1),
                ))
                .map_err(draw_err)?;
            for (k, a) in acfs.iter().enumerate() {
                chart
                    .draw_series(LineSeries::new(
                        a.iter().enumerate().map(|(l, &r)| (l as f64, r)),
                        chain_color(k).stroke_width(2),
                    ))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ar1_autocorrelation_decays_geometrically() {
        // Deterministic AR(1) with phi = 0.8 driven by a fixed pseudo-random sequence.
        let mut state = 12345u64;
        let mut x = vec![0.0];
        for _ in 0..20000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            let last = *x.last().unwrap();
            x.push(0.8 * last + u);
        }
        let r = autocorrelation(&x, 3);
        assert_eq!(r[0], 1.0);
        // Standard error of a lag-1 estimate is about sqrt((1 - phi^2) / n) ≈ 0.004.
        assert!((r[1] - 0.8).abs() < 0.03, "{r:?}");
        assert!((r[2] - 0.64).abs() < 0.04, "{r:?}");
    }

    #[test]
    fn constant_and_short_series_are_handled() {
        assert_eq!(autocorrelation(&[2.0; 5], 3), vec![1.0, 0.0, 0.0, 0.0]);
        assert_eq!(autocorrelation(&[1.0, 2.0], 10).len(), 2);
        assert!(autocorrelation(&[], 10).is_empty());
    }
}
