//! The study's own figures (hazel's standard diagnostics plots are drawn by the library):
//! decay curves per genre on log–log axes with posterior bands, and the genre contrast
//! with its 90% interval.

use crate::Fitted;
use crate::data::StudyData;
use hazel::plot::{Bandwidth, CHAIN_COLORS, FONT, ensure_font, interval_summary, kde};
use plotters::prelude::*;
use std::path::Path;

/// Conversation and technical colours (the chain palette's blue and vermillion).
const GENRE_COLORS: [RGBColor; 2] = [CHAIN_COLORS[0], CHAIN_COLORS[1]];
/// Panel size in pixels.
const PANEL: (u32, u32) = (620, 480);

/// All kept draws of `name` (bracket or dotted form), chains pooled.
pub fn pooled(fit: &Fitted, name: &str) -> Result<Vec<f64>, String> {
    let draws = &fit.fit.draws;
    let i = draws
        .column_index(name)
        .ok_or(format!("{} model has no output column {name}", fit.form))?;
    Ok(draws.column(i).concat())
}

/// (median, 5%, 95%) of `name` at each index 1..=n.
fn bands(fit: &Fitted, name: &str, n: usize) -> Result<Vec<(f64, f64, f64)>, String> {
    (1..=n)
        .map(|k| {
            let s = interval_summary(&pooled(fit, &format!("{name}[{k}]"))?, 0.5, 0.9);
            Ok((s.median, s.outer.0, s.outer.1))
        })
        .collect()
}

fn plot_err<E: std::fmt::Display>(e: E) -> String {
    format!("plot: {e}")
}

/// Mean content attention against distance, log–log: observed genre means (points), the
/// model's typical-head curve (line) and the 90% posterior predictive interval of the
/// genre mean (band), one panel per decay form.
pub fn decay_curves(fits: &[Fitted], study: &StudyData, path: &Path) -> Result<(), String> {
    ensure_font();
    let width = PANEL.0 * fits.len() as u32;
    let root = BitMapBackend::new(path, (width, PANEL.1)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let panels = root.split_evenly((1, fits.len()));
    let grid = &study.grid;
    let (lo_d, hi_d) = (grid[0] * 0.9, grid[grid.len() - 1] * 1.1);
    let observed = [&study.observed_curves.0, &study.observed_curves.1];
    for (fit, area) in fits.iter().zip(&panels) {
        let mut series = Vec::new();
        for genre in ["conversation", "technical"] {
            let curve = bands(fit, &format!("curve_{genre}"), grid.len())?;
            let ppc = bands(fit, &format!("ppc_{genre}"), grid.len())?;
            series.push((curve, ppc));
        }
        let all = series
            .iter()
            .flat_map(|(c, p)| c.iter().chain(p).flat_map(|&(m, a, b)| [m, a, b]))
            .chain(observed.iter().flat_map(|o| o.iter().copied()))
            .map(f64::exp);
        let (lo, hi) = all.fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{} decay: content attention vs distance", fit.form),
                (FONT, 20),
            )
            .margin(10)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d((lo_d..hi_d).log_scale(), (lo * 0.8..hi * 1.25).log_scale())
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("token distance d")
            .y_desc("mean attention (content keys)")
            .label_style((FONT, 13))
            .max_light_lines(0)
            .x_labels(8)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0e}"))
            .draw()
            .map_err(plot_err)?;
        for (k, ((curve, ppc), genre)) in
            series.iter().zip(["conversation", "technical"]).enumerate()
        {
            let color = GENRE_COLORS[k];
            let band: Vec<(f64, f64)> = grid
                .iter()
                .zip(ppc)
                .map(|(&d, b)| (d, b.1.exp()))
                .chain(grid.iter().zip(ppc).rev().map(|(&d, b)| (d, b.2.exp())))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.2).filled())))
                .map_err(plot_err)?;
            chart
                .draw_series(LineSeries::new(
                    grid.iter().zip(curve).map(|(&d, c)| (d, c.0.exp())),
                    color.stroke_width(2),
                ))
                .map_err(plot_err)?
                .label(format!("{genre}: model (line), 90% predictive band"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart
                .draw_series(
                    grid.iter()
                        .zip(observed[k].iter())
                        .map(|(&d, &o)| Circle::new((d, o.exp()), 4, color.filled())),
                )
                .map_err(plot_err)?
                .label(format!("{genre}: observed mean"))
                .legend(move |(x, y)| Circle::new((x + 9, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 12))
            .position(SeriesLabelPosition::LowerLeft)
            .draw()
            .map_err(plot_err)?;
    }
    root.present().map_err(plot_err)?;
    Ok(())
}

/// Posterior density of the genre ratio (decay parameter of conversation over technical
/// text for the typical head) with its 90% interval shaded, one panel per decay form.
pub fn genre_contrast(fits: &[Fitted], path: &Path) -> Result<(), String> {
    ensure_font();
    let width = PANEL.0 * fits.len() as u32;
    let root = BitMapBackend::new(path, (width, PANEL.1)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let panels = root.split_evenly((1, fits.len()));
    for (fit, area) in fits.iter().zip(&panels) {
        let draws = pooled(fit, "genre_ratio")?;
        let density = kde(&draws, Bandwidth::Scott);
        let s = interval_summary(&draws, 0.5, 0.9);
        let top = density.y.iter().fold(0.0f64, |a, &b| a.max(b)) * 1.1;
        let (x0, x1) = (
            density.x[0].min(0.995),
            density.x[density.x.len() - 1].max(1.005),
        );
        let rate = if fit.form == "power" {
            "alpha"
        } else {
            "lambda"
        };
        let mut chart = ChartBuilder::on(area)
            .caption(
                format!("{}: {rate}(conversation) / {rate}(technical)", fit.form),
                (FONT, 20),
            )
            .margin(10)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..top)
            .map_err(plot_err)?;
        chart
            .configure_mesh()
            .x_desc("genre ratio of the decay parameter (1 = no difference)")
            .y_desc("posterior density")
            .label_style((FONT, 13))
            .draw()
            .map_err(plot_err)?;
        let inside: Vec<(f64, f64)> = density
            .x
            .iter()
            .zip(&density.y)
            .filter(|(x, _)| **x >= s.outer.0 && **x <= s.outer.1)
            .map(|(&x, &y)| (x, y))
            .collect();
        let mut area_pts = vec![(s.outer.0, 0.0)];
        area_pts.extend(inside);
        area_pts.push((s.outer.1, 0.0));
        chart
            .draw_series(std::iter::once(Polygon::new(
                area_pts,
                GENRE_COLORS[0].mix(0.25).filled(),
            )))
            .map_err(plot_err)?
            .label(format!("90% interval {:.3} to {:.3}", s.outer.0, s.outer.1))
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 5), (x + 18, y + 5)],
                    GENRE_COLORS[0].mix(0.25).filled(),
                )
            });
        chart
            .draw_series(LineSeries::new(
                density.x.iter().copied().zip(density.y.iter().copied()),
                GENRE_COLORS[0].stroke_width(2),
            ))
            .map_err(plot_err)?
            .label(format!("median {:.3}", s.median))
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], GENRE_COLORS[0].stroke_width(2))
            });
        chart
            .draw_series(LineSeries::new(
                vec![(1.0, 0.0), (1.0, top)],
                BLACK.mix(0.6).stroke_width(1),
            ))
            .map_err(plot_err)?;
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font((FONT, 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(plot_err)?;
    }
    root.present().map_err(plot_err)?;
    Ok(())
}
