//! Draws in memory: column names, per-chain columns, adaptation results, and the sink
//! trait through which a sampler streams its output.
//!
//! Everything downstream of sampling (diagnostics, summary, Stan CSV and Parquet output,
//! plots) reads a [`Draws`]; the Stan CSV reader produces one too, so CmdStan output and
//! hazel output are handled by the same code.

/// The sampler-statistic columns, in Stan CSV order.
pub const SAMPLER_COLUMNS: [&str; 7] = [
    "lp__",
    "accept_stat__",
    "stepsize__",
    "treedepth__",
    "n_leapfrog__",
    "divergent__",
    "energy__",
];

/// Per-iteration statistics of a sampler, as Stan names them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SamplerStats {
    /// Log density at the draw (`lp__`), including Jacobian terms.
    pub lp: f64,
    /// Mean Metropolis acceptance probability over the trajectory (`accept_stat__`).
    pub accept_stat: f64,
    /// Step size used (`stepsize__`).
    pub stepsize: f64,
    /// Tree depth reached (`treedepth__`).
    pub treedepth: u32,
    /// Leapfrog steps taken (`n_leapfrog__`).
    pub n_leapfrog: u32,
    /// Whether the trajectory diverged (`divergent__`).
    pub divergent: bool,
    /// Hamiltonian at the draw (`energy__`).
    pub energy: f64,
}

impl SamplerStats {
    /// The statistics in [`SAMPLER_COLUMNS`] order.
    pub fn as_row(&self) -> [f64; 7] {
        [
            self.lp,
            self.accept_stat,
            self.stepsize,
            self.treedepth as f64,
            self.n_leapfrog as f64,
            if self.divergent { 1.0 } else { 0.0 },
            self.energy,
        ]
    }
}

/// The inverse metric (inverse mass matrix) after adaptation.
#[derive(Debug, Clone, PartialEq)]
pub enum InvMetric {
    /// Diagonal elements.
    Diag(Vec<f64>),
    /// Dense, row-major `dim × dim`.
    Dense { dim: usize, values: Vec<f64> },
}

/// The result of warmup: what Stan CSV reports after the column header.
#[derive(Debug, Clone, PartialEq)]
pub struct Adaptation {
    /// The adapted step size.
    pub step_size: f64,
    /// The adapted inverse metric.
    pub inv_metric: InvMetric,
}

/// A streaming consumer of one chain's output. The sampler calls `warmup_row` for each
/// warmup iteration (only when warmup is saved), `adaptation` once when warmup ends,
/// `draw_row` for each kept draw, and `finish` once. A `row` is the values of
/// [`SAMPLER_COLUMNS`] followed by the model's output columns.
pub trait DrawSink: Send {
    /// A warmup iteration.
    fn warmup_row(&mut self, row: &[f64]) -> std::io::Result<()>;
    /// Warmup has ended with this adaptation (`None` when nothing was adapted).
    fn adaptation(&mut self, adaptation: Option<&Adaptation>) -> std::io::Result<()>;
    /// A kept draw.
    fn draw_row(&mut self, row: &[f64]) -> std::io::Result<()>;
    /// The chain has ended. `interrupted` is true when it was stopped early.
    fn finish(&mut self, timing: &ChainTiming, interrupted: bool) -> std::io::Result<()>;
}

/// Wall-clock seconds a chain spent in each phase.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ChainTiming {
    /// Seconds of warmup.
    pub warmup_seconds: f64,
    /// Seconds of sampling.
    pub sampling_seconds: f64,
}

/// One chain's draws, column-major: `draws[column][iteration]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChainDraws {
    /// Warmup iterations, when saved (same column layout, possibly empty columns).
    pub warmup: Vec<Vec<f64>>,
    /// Kept draws.
    pub draws: Vec<Vec<f64>>,
    /// The adaptation result, when known.
    pub adaptation: Option<Adaptation>,
    /// Timing, when known.
    pub timing: Option<ChainTiming>,
    /// True when the chain was stopped before it finished.
    pub interrupted: bool,
}

impl ChainDraws {
    /// An empty chain with `ncol` columns.
    pub fn with_columns(ncol: usize) -> Self {
        ChainDraws {
            warmup: vec![Vec::new(); ncol],
            draws: vec![Vec::new(); ncol],
            ..Default::default()
        }
    }

    /// Number of kept draws.
    pub fn num_draws(&self) -> usize {
        self.draws.first().map_or(0, Vec::len)
    }
}

impl DrawSink for ChainDraws {
    fn warmup_row(&mut self, row: &[f64]) -> std::io::Result<()> {
        push_row(&mut self.warmup, row);
        Ok(())
    }
    fn adaptation(&mut self, adaptation: Option<&Adaptation>) -> std::io::Result<()> {
        self.adaptation = adaptation.cloned();
        Ok(())
    }
    fn draw_row(&mut self, row: &[f64]) -> std::io::Result<()> {
        push_row(&mut self.draws, row);
        Ok(())
    }
    fn finish(&mut self, timing: &ChainTiming, interrupted: bool) -> std::io::Result<()> {
        self.timing = Some(*timing);
        self.interrupted = interrupted;
        Ok(())
    }
}

fn push_row(columns: &mut Vec<Vec<f64>>, row: &[f64]) {
    if columns.len() != row.len() {
        assert!(
            columns.iter().all(Vec::is_empty),
            "row width changed within a chain"
        );
        columns.resize(row.len(), Vec::new());
    }
    for (col, &v) in columns.iter_mut().zip(row) {
        col.push(v);
    }
}

/// Draws of several chains sharing one column layout.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draws {
    /// Column names as Stan CSV writes them (`lp__`, …, `theta.1`).
    pub columns: Vec<String>,
    /// One entry per chain, in chain order.
    pub chains: Vec<ChainDraws>,
}

impl Draws {
    /// Index of a column by its Stan CSV name (`theta.1`) or bracket name (`theta[1]`).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        let dotted = bracket_to_dotted(name);
        self.columns.iter().position(|c| *c == dotted)
    }

    /// The kept draws of column `index`, one slice per chain.
    pub fn column(&self, index: usize) -> Vec<&[f64]> {
        self.chains
            .iter()
            .map(|c| c.draws[index].as_slice())
            .collect()
    }

    /// Indices of the model's columns (everything except the sampler columns ending `__`).
    pub fn variable_indices(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.columns[i].ends_with("__"))
            .collect()
    }
}

/// `theta.1.2` → `theta[1,2]`; names without indices are unchanged.
pub fn dotted_to_bracket(name: &str) -> String {
    let mut parts = name.split('.');
    let base = parts.next().unwrap_or("");
    let idx: Vec<&str> = parts.collect();
    if idx.is_empty()
        || idx
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return name.to_string();
    }
    format!("{base}[{}]", idx.join(","))
}

/// `theta[1,2]` → `theta.1.2`; names without brackets are unchanged.
pub fn bracket_to_dotted(name: &str) -> String {
    match (name.find('['), name.strip_suffix(']')) {
        (Some(open), Some(inner)) => {
            let idx = &inner[open + 1..];
            let mut out = name[..open].to_string();
            for part in idx.split(',') {
                out.push('.');
                out.push_str(part.trim());
            }
            out
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_both_ways() {
        assert_eq!(dotted_to_bracket("theta.1.2"), "theta[1,2]");
        assert_eq!(dotted_to_bracket("lp__"), "lp__");
        assert_eq!(dotted_to_bracket("sigma"), "sigma");
        assert_eq!(bracket_to_dotted("theta[1, 2]"), "theta.1.2");
        assert_eq!(bracket_to_dotted("mu"), "mu");
    }

    #[test]
    fn memory_sink_collects_columns() {
        let mut c = ChainDraws::default();
        c.draw_row(&[1.0, 2.0]).unwrap();
        c.draw_row(&[3.0, 4.0]).unwrap();
        assert_eq!(c.draws, vec![vec![1.0, 3.0], vec![2.0, 4.0]]);
        assert_eq!(c.num_draws(), 2);
    }
}
