//! Splitting a plot kind into files: which variables each file shows, page numbers and
//! notes in titles, file stems, and building the figure of one page.

use super::canvas::render;
use super::{PlotError, PlotFormat, PlotKind, PlotOptions};
use super::{acf, density, energy, forest, pair, rank, select, trace};
use crate::draws::Draws;
use std::path::Path;

/// One file's worth of a plot kind, ready to render.
pub enum Page {
    /// A trace figure.
    Trace(trace::TraceFigure),
    /// A rank figure.
    Rank(rank::RankFigure),
    /// A density figure.
    Density(density::DensityFigure),
    /// A forest figure.
    Forest(forest::ForestFigure),
    /// A pair figure.
    Pair(pair::PairFigure),
    /// An energy figure.
    Energy(energy::EnergyFigure),
    /// An autocorrelation figure.
    Acf(acf::AcfFigure),
}

impl Page {
    /// The `kind` figure of `columns` titled `title`.
    pub fn build(
        kind: PlotKind,
        draws: &Draws,
        columns: &[usize],
        title: &str,
        opts: &PlotOptions,
    ) -> Result<Page, PlotError> {
        let names = &opts.names;
        Ok(match kind {
            PlotKind::Trace => Page::Trace(trace::TraceFigure::new(draws, columns, names, title)?),
            PlotKind::Rank => Page::Rank(rank::RankFigure::new(draws, columns, names, title)?),
            PlotKind::Density => Page::Density(density::DensityFigure::new(
                draws,
                columns,
                names,
                title,
                opts.bandwidth,
            )?),
            PlotKind::Forest => Page::Forest(forest::ForestFigure::new(
                draws,
                columns,
                names,
                title,
                opts.rhat.as_ref(),
            )?),
            PlotKind::Pair => Page::Pair(pair::PairFigure::new(
                draws,
                columns,
                names,
                title,
                opts.bandwidth,
            )?),
            PlotKind::Energy => Page::Energy(energy::EnergyFigure::new(draws, title)?),
            PlotKind::Acf => Page::Acf(acf::AcfFigure::new(draws, columns, names, title)?),
        })
    }

    /// Writes the page to `path`.
    pub fn render(&self, path: &Path, format: PlotFormat) -> Result<(), PlotError> {
        match self {
            Page::Trace(f) => render(f, path, format),
            Page::Rank(f) => render(f, path, format),
            Page::Density(f) => render(f, path, format),
            Page::Forest(f) => render(f, path, format),
            Page::Pair(f) => render(f, path, format),
            Page::Energy(f) => render(f, path, format),
            Page::Acf(f) => render(f, path, format),
        }
    }
}

/// Title suffix for page `i` of `n` and a note on left-out variables.
fn page_note(i: usize, n: usize, note: Option<&str>) -> String {
    let mut parts = Vec::new();
    if n > 1 {
        parts.push(format!("page {} of {n}", i + 1));
    }
    if let Some(note) = note {
        parts.push(note.to_string());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// File stem for page `i`: `stem`, then `stem_2`, `stem_3`, ...
fn page_stem(stem: &str, i: usize) -> String {
    if i == 0 {
        stem.to_string()
    } else {
        format!("{stem}_{}", i + 1)
    }
}

/// The files (stem and page) that draw `kind` for `vars` (or the default selection).
pub fn pages(
    draws: &Draws,
    opts: &PlotOptions,
    kind: PlotKind,
    vars: Option<&[String]>,
) -> Result<Vec<(String, Page)>, PlotError> {
    // Each entry: file stem, columns, title.
    let mut plan: Vec<(String, Vec<usize>, String)> = Vec::new();
    match kind {
        PlotKind::Forest => {
            for group in select::forest_groups(draws, vars, &opts.names)? {
                let chunks: Vec<&[usize]> = group.columns.chunks(forest::MAX_FOREST_ROWS).collect();
                for (i, cols) in chunks.iter().enumerate() {
                    let note = page_note(i, chunks.len(), None);
                    plan.push((
                        page_stem(&format!("forest_{}", group.base), i),
                        cols.to_vec(),
                        format!("{}: {}{note}", kind.title(), group.base),
                    ));
                }
            }
        }
        PlotKind::Pair => {
            // A pair plot cannot be paged: cap it, explicit selections included.
            let mut sel = select::panel_selection(draws, vars, opts.max_panels, &opts.names)?;
            let cap = pair::MAX_PAIR_VARIABLES.min(opts.max_panels);
            if sel.columns.len() > cap {
                sel.left_out += sel.columns.len() - cap;
                sel.columns.truncate(cap);
            }
            let note = page_note(0, 1, sel.note().as_deref());
            plan.push((
                kind.name().into(),
                sel.columns,
                format!("{}{note}", kind.title()),
            ));
        }
        PlotKind::Energy => plan.push((kind.name().into(), Vec::new(), kind.title().into())),
        PlotKind::Trace | PlotKind::Rank | PlotKind::Density | PlotKind::Acf => {
            let sel = select::panel_selection(draws, vars, opts.max_panels, &opts.names)?;
            if sel.columns.is_empty() {
                return Err(PlotError::NotApplicable {
                    kind,
                    reason: "the draws have no model variables".into(),
                });
            }
            let note = sel.note();
            let chunks: Vec<&[usize]> = sel.columns.chunks(opts.max_panels).collect();
            for (i, cols) in chunks.iter().enumerate() {
                let suffix = page_note(i, chunks.len(), note.as_deref());
                plan.push((
                    page_stem(kind.name(), i),
                    cols.to_vec(),
                    format!("{}{suffix}", kind.title()),
                ));
            }
        }
    }
    plan.into_iter()
        .map(|(stem, cols, title)| Ok((stem, Page::build(kind, draws, &cols, &title, opts)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_titles_and_stems() {
        assert_eq!(page_note(0, 1, None), "");
        assert_eq!(page_note(1, 3, None), " (page 2 of 3)");
        assert_eq!(
            page_note(0, 2, Some("first 4 of 9")),
            " (page 1 of 2; first 4 of 9)"
        );
        assert_eq!(page_stem("trace", 0), "trace");
        assert_eq!(page_stem("trace", 2), "trace_3");
    }
}
