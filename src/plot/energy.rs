//! The energy plot (Betancourt 2016, "Diagnosing suboptimal cotangent disintegrations in
//! Hamiltonian Monte Carlo"): the distribution of the Hamiltonian at each draw against the
//! distribution of its change between draws. When transitions are much narrower than the
//! marginal, momentum resampling cannot explore the energy levels (low E-BFMI).

use super::PlotError;
use super::canvas::{
    Area, Axes, Figure, Frame, LegendEntry, Mark, draw_err, extent, padded, panel,
};
use super::style::{
    ALERT_COLOR, MARGINAL_ENERGY_COLOR, POINT_COLOR, TRANSITION_ENERGY_COLOR, chain_color,
};
use crate::draws::Draws;
use plotters::prelude::*;

/// E-BFMI below this suggests the sampler explores the energy poorly (Stan warns below
/// 0.3; Betancourt 2016, section 6).
pub const E_BFMI_THRESHOLD: f64 = 0.3;
/// Histogram bins over the common range of both distributions.
pub const ENERGY_BINS: usize = 40;
/// Figure panel size.
const ENERGY_PANEL: (u32, u32) = (960, 460);

/// Energy Bayesian fraction of missing information of one chain's `energy__` draws:
/// Σ (E_n − E_{n−1})² / Σ (E_n − Ē)². `None` with fewer than two draws or constant energy.
pub fn e_bfmi(energy: &[f64]) -> Option<f64> {
    if energy.len() < 2 {
        return None;
    }
    let mean = energy.iter().sum::<f64>() / energy.len() as f64;
    let den: f64 = energy.iter().map(|e| (e - mean).powi(2)).sum();
    let num: f64 = energy.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum();
    (den > 0.0).then(|| num / den)
}

/// Density-normalised counts of `values` in `ENERGY_BINS` bins over `[lo, hi]`.
fn density_histogram(values: &[f64], lo: f64, hi: f64) -> Vec<f64> {
    let width = (hi - lo) / ENERGY_BINS as f64;
    let mut h = vec![0.0; ENERGY_BINS];
    for &v in values {
        let b = ((v - lo) / width)
            .floor()
            .clamp(0.0, (ENERGY_BINS - 1) as f64) as usize;
        h[b] += 1.0;
    }
    let norm = 1.0 / (values.len().max(1) as f64 * width);
    h.iter().map(|c| c * norm).collect()
}

/// An energy figure, ready to render.
pub struct EnergyFigure {
    frame: Frame,
    marginal: Vec<f64>,
    transition: Vec<f64>,
    range: (f64, f64),
}

impl EnergyFigure {
    /// The energy plot of all chains' `energy__` columns, titled `title`.
    pub fn new(draws: &Draws, title: &str) -> Result<Self, PlotError> {
        let not_applicable = |reason: &str| PlotError::NotApplicable {
            kind: super::PlotKind::Energy,
            reason: reason.to_string(),
        };
        let col = draws
            .column_index("energy__")
            .ok_or_else(|| not_applicable("the draws have no energy__ column"))?;
        let chains = super::select::finite_column(draws, col)?;
        let mut marginal = Vec::new();
        let mut transition = Vec::new();
        let mut legend = vec![
            LegendEntry::new(
                "marginal energy (centred)",
                MARGINAL_ENERGY_COLOR,
                Mark::Box,
            ),
            LegendEntry::new("energy transition", TRANSITION_ENERGY_COLOR, Mark::Box),
        ];
        for (k, c) in chains.iter().enumerate() {
            if c.len() < 2 {
                continue;
            }
            let mean = c.iter().sum::<f64>() / c.len() as f64;
            marginal.extend(c.iter().map(|e| e - mean));
            transition.extend(c.windows(2).map(|w| w[1] - w[0]));
            let (text, color) = match e_bfmi(c) {
                Some(v) if v < E_BFMI_THRESHOLD => {
                    (format!("chain {}: E-BFMI {v:.2} (low)", k + 1), ALERT_COLOR)
                }
                Some(v) => (format!("chain {}: E-BFMI {v:.2}", k + 1), chain_color(k)),
                None => (
                    format!("chain {}: E-BFMI n/a (constant energy)", k + 1),
                    POINT_COLOR,
                ),
            };
            legend.push(LegendEntry::new(text, color, Mark::Dot));
        }
        if marginal.is_empty() {
            return Err(not_applicable("every chain has fewer than two draws"));
        }
        let (a, b) = extent(marginal.iter().chain(&transition));
        let range = if b > a { (a, b) } else { (a - 1.0, b + 1.0) };
        let frame = Frame::new(1, 1, ENERGY_PANEL, title, legend);
        Ok(EnergyFigure {
            frame,
            marginal,
            transition,
            range,
        })
    }
}

impl Figure for EnergyFigure {
    fn frame(&self) -> &Frame {
        &self.frame
    }

    fn draw_panels<DB: DrawingBackend>(
        &self,
        _root: &Area<DB>,
        areas: &[Area<DB>],
    ) -> Result<(), PlotError> {
        let (lo, hi) = self.range;
        let hm = density_histogram(&self.marginal, lo, hi);
        let ht = density_histogram(&self.transition, lo, hi);
        let top = hm.iter().chain(&ht).fold(0.0f64, |a, &b| a.max(b));
        let mut chart = panel(
            &areas[0],
            "",
            padded(lo, hi),
            0.0..top * 1.08,
            &Axes::new(
                "energy − mean energy of the chain, or change in energy between draws",
                "density",
            ),
        )?;
        let width = (hi - lo) / ENERGY_BINS as f64;
        for (h, color) in [(&hm, MARGINAL_ENERGY_COLOR), (&ht, TRANSITION_ENERGY_COLOR)] {
            let bars = h.iter().enumerate().map(|(b, &d)| {
                let x0 = lo + b as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width, d)], color.mix(0.5).filled())
            });
            chart.draw_series(bars).map_err(draw_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_bfmi_matches_hand_computation() {
        // Mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5; differences 1,1,1 → 3.
        assert!((e_bfmi(&[1.0, 2.0, 3.0, 4.0]).unwrap() - 0.6).abs() < 1e-12);
        // Alternating energy: large jumps, E-BFMI well above 1.
        assert!(e_bfmi(&[0.0, 1.0, 0.0, 1.0]).unwrap() > 2.0);
        assert_eq!(e_bfmi(&[1.0]), None);
        assert_eq!(e_bfmi(&[3.0; 4]), None);
    }

    #[test]
    fn histogram_is_a_density() {
        let v: Vec<f64> = (0..1000).map(|i| i as f64 / 999.0).collect();
        let h = density_histogram(&v, 0.0, 1.0);
        let area: f64 = h.iter().sum::<f64>() / ENERGY_BINS as f64;
        assert!((area - 1.0).abs() < 1e-9);
    }
}
