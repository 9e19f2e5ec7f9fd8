//! A streaming Stan CSV writer for one chain: a [`DrawSink`] that writes CmdStan's layout
//! and flushes after every row, so an interrupted run leaves a valid file holding every
//! draw made so far.

use std::io::{self, Write};

use super::number::write_number;
use super::{
    ADAPTATION_TERMINATED, DENSE_METRIC, DIAG_METRIC, ELAPSED_TIME, INTERRUPTED, RunInfo, STEP_SIZE,
};
use crate::draws::{Adaptation, ChainTiming, DrawSink, InvMetric, SAMPLER_COLUMNS};

/// Writes one chain in Stan CSV to `out`.
pub struct StanCsvWriter<W: Write + Send> {
    out: W,
    width: usize,
    line: String,
}

impl<W: Write + Send> StanCsvWriter<W> {
    /// Writes the comment header describing `info` and the column header:
    /// [`SAMPLER_COLUMNS`] then `model_columns` (Stan dotted names, already flattened).
    pub fn new(mut out: W, info: &RunInfo, model_columns: &[String]) -> io::Result<Self> {
        out.write_all(header(info).as_bytes())?;
        let names: Vec<&str> = SAMPLER_COLUMNS
            .iter()
            .copied()
            .chain(model_columns.iter().map(String::as_str))
            .collect();
        writeln!(out, "{}", names.join(","))?;
        out.flush()?;
        Ok(StanCsvWriter {
            out,
            width: names.len(),
            line: String::new(),
        })
    }

    /// The underlying writer.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn write_row(&mut self, row: &[f64]) -> io::Result<()> {
        if row.len() != self.width {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "Stan CSV row has {} values but the header has {} columns",
                    row.len(),
                    self.width
                ),
            ));
        }
        self.line.clear();
        for (i, &v) in row.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            write_number(&mut self.line, v);
        }
        self.line.push('\n');
        self.out.write_all(self.line.as_bytes())?;
        self.out.flush()
    }

    fn comment(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "# {text}")
    }
}

/// Comma-separated values for a metric comment line.
fn joined(values: &[f64]) -> String {
    let mut s = String::new();
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        write_number(&mut s, v);
    }
    s
}

/// The configuration comments, nested like CmdStan's so that CmdStan-reading tools
/// (ArviZ `from_cmdstan`, cmdstanpy) find `num_warmup`, `save_warmup`, `thin`, `delta`,
/// `max_depth`, `metric`, `id` and `seed` where they look.
fn header(info: &RunInfo) -> String {
    let mut lines = vec![
        format!("model = {}", info.model),
        "method = sample".to_string(),
        "  sample".to_string(),
        format!("    num_samples = {}", info.num_samples),
        format!("    num_warmup = {}", info.num_warmup),
        format!("    save_warmup = {}", u8::from(info.save_warmup)),
        "    thin = 1".to_string(),
        "    adapt".to_string(),
        "      engaged = 1".to_string(),
        format!("      delta = {:?}", info.adapt_delta),
        "    algorithm = hmc".to_string(),
        "      hmc".to_string(),
        "        engine = nuts".to_string(),
        "          nuts".to_string(),
        format!("            max_depth = {}", info.max_depth),
        format!("        metric = {}", info.metric.cmdstan_name()),
        format!("    num_chains = {}", info.num_chains),
        format!("id = {}", info.chain_id),
        "data".to_string(),
    ];
    lines.extend(info.data_files.iter().map(|f| format!("  file = {f}")));
    lines.extend([
        "random".to_string(),
        format!("  seed = {}", info.seed),
        format!("hazel_version = {}", info.hazel_version),
    ]);
    lines.iter().map(|l| format!("# {l}\n")).collect()
}

impl<W: Write + Send> DrawSink for StanCsvWriter<W> {
    fn warmup_row(&mut self, row: &[f64]) -> io::Result<()> {
        self.write_row(row)
    }

    fn adaptation(&mut self, adaptation: Option<&Adaptation>) -> io::Result<()> {
        let Some(a) = adaptation else {
            return Ok(());
        };
        self.comment(ADAPTATION_TERMINATED)?;
        let mut step = String::new();
        write_number(&mut step, a.step_size);
        self.comment(&format!("{STEP_SIZE} = {step}"))?;
        match &a.inv_metric {
            InvMetric::Diag(values) => {
                self.comment(DIAG_METRIC)?;
                self.comment(&joined(values))?;
            }
            InvMetric::Dense { dim, values } => {
                self.comment(DENSE_METRIC)?;
                for row in values.chunks((*dim).max(1)) {
                    self.comment(&joined(row))?;
                }
            }
        }
        self.out.flush()
    }

    fn draw_row(&mut self, row: &[f64]) -> io::Result<()> {
        self.write_row(row)
    }

    fn finish(&mut self, timing: &ChainTiming, interrupted: bool) -> io::Result<()> {
        if interrupted {
            self.comment(INTERRUPTED)?;
        }
        let total = timing.warmup_seconds + timing.sampling_seconds;
        writeln!(self.out, "# ")?;
        writeln!(
            self.out,
            "#  {ELAPSED_TIME} {:.3} seconds (Warm-up)",
            timing.warmup_seconds
        )?;
        writeln!(
            self.out,
            "#                {:.3} seconds (Sampling)",
            timing.sampling_seconds
        )?;
        writeln!(self.out, "#                {total:.3} seconds (Total)")?;
        writeln!(self.out, "# ")?;
        self.out.flush()
    }
}
