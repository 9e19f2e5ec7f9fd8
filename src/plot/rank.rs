//! Rank plots (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization,
//! folding, and localization", section 4.2): draws of all chains are ranked together and
//! each chain's ranks are histogrammed. Well-mixed chains give flat histograms inside the
//! band a uniform distribution of ranks would produce.

use super::PlotError;
use super::canvas::{Area, Axes, Figure, Frame, LegendEntry, Mark, chain_legend, draw_err, panel};
use super::select::{DisplayNames, per_column};
use super::style::{
    FONT, INTERVAL_COLOR, MAX_GRID_COLUMNS, PANEL_HEIGHT, PANEL_WIDTH, REFERENCE_COLOR, TICK_SIZE,
    chain_color,
};
use crate::draws::Draws;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use statrs::distribution::{Binomial, DiscreteCDF};

/// Histogram bins per chain. Vehtari et al. (2021) advise few enough bins that each
/// holds many draws; 20 bins of 1000 draws give an expected 50 per bin.
pub const RANK_BINS: usize = 20;
/// Probability mass of the uniform-expectation band drawn behind each histogram.
pub const RANK_BAND_MASS: f64 = 0.95;
/// Fraction of a chain's row the tallest bar fills (the rest separates the rows).
const ROW_FILL: f64 = 0.85;

/// Ranks 1..=N of all draws of all chains pooled (ties get their average rank), laid out
/// like the input: one vector per chain.
pub fn pooled_ranks(chains: &[&[f64]]) -> Vec<Vec<f64>> {
    let mut all: Vec<(f64, usize, usize)> = chains
        .iter()
        .enumerate()
        .flat_map(|(k, c)| c.iter().enumerate().map(move |(t, &v)| (v, k, t)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Vec<f64>> = chains.iter().map(|c| vec![0.0; c.len()]).collect();
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j + 1 < all.len() && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        // Positions i..=j (0-based) share the average of ranks i+1..=j+1.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &(_, k, t) in &all[i..=j] {
            out[k][t] = rank;
        }
        i = j + 1;
    }
    out
}

/// Per-chain counts of pooled ranks (out of `total` draws) in `bins` equal-width bins.
pub fn rank_histograms(ranks: &[Vec<f64>], total: usize, bins: usize) -> Vec<Vec<usize>> {
    ranks
        .iter()
        .map(|r| {
            let mut h = vec![0; bins];
            for &x in r {
                let b = (((x - 1.0) / total as f64) * bins as f64).floor() as usize;
                h[b.min(bins - 1)] += 1;
            }
            h
        })
        .collect()
}

/// The central `mass` interval of a bin count when ranks are uniform: Binomial(n, 1/bins).
fn uniform_band(n: usize, bins: usize, mass: f64) -> (f64, f64) {
    match Binomial::new(1.0 / bins as f64, n as u64) {
        Ok(d) => {
            let tail = (1.0 - mass) / 2.0;
            (d.inverse_cdf(tail) as f64, d.inverse_cdf(1.0 - tail) as f64)
        }
        Err(_) => (0.0, n as f64),
    }
}

struct RankPanel {
    name: String,
    counts: Vec<Vec<usize>>,
    total: usize,
}

/// A rank-plot figure, ready to render.
pub struct RankFigure {
    frame: Frame,
    panels: Vec<RankPanel>,
}

impl RankFigure {
    /// One panel per column in `columns`.
    pub fn new(
        draws: &Draws,
        columns: &[usize],
        names: &DisplayNames,
        title: &str,
    ) -> Result<Self, PlotError> {
        let panels = per_column(draws, columns, names, "rank", |name, chains| {
            let total = chains.iter().map(|c| c.len()).sum();
            let ranks = pooled_ranks(&chains);
            RankPanel {
                name,
                counts: rank_histograms(&ranks, total, RANK_BINS),
                total,
            }
        })?;
        let mut legend = chain_legend(draws.chains.len(), Mark::Box);
        legend.push(LegendEntry::new(
            "uniform expectation (95% band)",
            INTERVAL_COLOR,
            Mark::Box,
        ));
        let frame = Frame::new(
            panels.len(),
            MAX_GRID_COLUMNS,
            (PANEL_WIDTH, PANEL_HEIGHT),
            title,
            legend,
        );
        Ok(RankFigure { frame, panels })
    }
}

impl Figure for RankFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        let label_style =
            TextStyle::from((FONT, TICK_SIZE).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        for (p, area) in self.panels.iter().zip(areas) {
            let k = p.counts.len();
            let mut axes = Axes::new("rank (all chains pooled)", "chain");
            axes.y_ticks = 0;
            let mut chart = panel(area, &p.name, 0.0..p.total as f64, 0.0..k as f64, &axes)?;
            let tallest = p.counts.iter().flatten().copied().max().unwrap_or(1).max(1);
            let width = p.total as f64 / RANK_BINS as f64;
            for (c, counts) in p.counts.iter().enumerate() {
                // Chain 1 on top.
                let base = (k - 1 - c) as f64;
                let scale = ROW_FILL / tallest as f64;
                let n: usize = counts.iter().sum();
                let (lo, hi) = uniform_band(n, RANK_BINS, RANK_BAND_MASS);
                let plot = chart.plotting_area();
                plot.draw(&Rectangle::new(
                    [
                        (0.0, base + lo * scale),
                        (p.total as f64, base + hi * scale),
                    ],
                    INTERVAL_COLOR.mix(0.6).filled(),
                ))
                .map_err(draw_err)?;
                let bars = counts.iter().enumerate().map(|(b, &h)| {
                    Rectangle::new(
                        [
                            (b as f64 * width, base),
                            ((b + 1) as f64 * width, base + h as f64 * scale),
                        ],
                        chain_color(c).mix(0.8).filled(),
                    )
                });
                chart.draw_series(bars).map_err(draw_err)?;
                let expected = n as f64 / RANK_BINS as f64 * scale + base;
                chart
                    .draw_series(LineSeries::new(
                        [(0.0, expected), (p.total as f64, expected)],
                        REFERENCE_COLOR.stroke_width(1),
                    ))
                    .map_err(draw_err)?;
                let (x, y) = chart.backend_coord(&(0.0, base + ROW_FILL / 2.0));
                root.draw_text(&format!("{}", c + 1), &label_style, (x - 6, y))
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
    fn ranks_are_pooled_and_ties_averaged() {
        let a = [3.0, 1.0];
        let b = [2.0, 3.0];
        let r = pooled_ranks(&[&a, &b]);
        assert_eq!(r, vec![vec![3.5, 1.0], vec![2.0, 3.5]]);
    }

    #[test]
    fn histograms_count_every_draw_once() {
        let a: Vec<f64> = (0..100).map(f64::from).collect();
        let b: Vec<f64> = (100..200).map(f64::from).collect();
        let r = pooled_ranks(&[&a, &b]);
        let h = rank_histograms(&r, 200, 20);
        // Chain a holds the lowest half of the ranks: the first 10 bins, 10 each.
        assert_eq!(h[0][..10], [10; 10]);
        assert_eq!(h[0][10..], [0; 10]);
        assert_eq!(h[1].iter().sum::<usize>(), 100);
    }

    #[test]
    fn uniform_band_brackets_the_expectation() {
        let (lo, hi) = uniform_band(1000, 20, 0.95);
        assert!(lo < 50.0 && hi > 50.0, "{lo} {hi}");
        // Binomial(1000, 0.05): sd ≈ 6.9, so the 95% band is about 50 ± 14.
        assert!(
            (lo - 37.0).abs() <= 2.0 && (hi - 64.0).abs() <= 2.0,
            "{lo} {hi}"
        );
    }
}
