//! Interpreting Stan CSV comment lines: `key = value` configuration entries, the
//! adaptation block (step size and inverse metric) and the timing trailer.

use std::collections::BTreeMap;

use super::number::parse_number;
use super::{
    ADAPTATION_TERMINATED, DENSE_METRIC, DIAG_METRIC, ELAPSED_TIME, INTERRUPTED, STEP_SIZE,
};
use crate::draws::{Adaptation, ChainTiming, InvMetric};

/// CmdStan marks values left at their default with this suffix.
const DEFAULT_SUFFIX: &str = "(Default)";

/// What a comment line means.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Comment {
    /// `key = value` (a configuration entry, also the step size).
    Entry(String, String),
    /// `Adaptation terminated`.
    AdaptationTerminated,
    /// The header of a diagonal inverse metric.
    DiagMetric,
    /// The header of a dense inverse metric.
    DenseMetric,
    /// A line of comma-separated numbers (inverse metric values).
    Numbers(Vec<f64>),
    /// One line of the timing trailer: (which phase, seconds).
    Elapsed(Phase, f64),
    /// hazel's marker of an interrupted chain.
    Interrupted,
    /// Anything else (blank comments, free text).
    Other,
}

/// The phase an elapsed-time line reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Phase {
    Warmup,
    Sampling,
    Total,
}

/// Classifies the text of a comment line (the part after `#`).
pub(super) fn classify(text: &str) -> Comment {
    let t = text.trim();
    let t = t.strip_suffix(DEFAULT_SUFFIX).unwrap_or(t).trim();
    if t == ADAPTATION_TERMINATED {
        return Comment::AdaptationTerminated;
    }
    if t == DIAG_METRIC {
        return Comment::DiagMetric;
    }
    if t == DENSE_METRIC {
        return Comment::DenseMetric;
    }
    if t.starts_with(INTERRUPTED) {
        return Comment::Interrupted;
    }
    if t.ends_with(')') && t.contains("seconds (") {
        let t = t.strip_prefix(ELAPSED_TIME).unwrap_or(t).trim();
        if let Some((secs, phase)) = t.split_once("seconds") {
            let phase = match phase.trim() {
                "(Warm-up)" => Some(Phase::Warmup),
                "(Sampling)" => Some(Phase::Sampling),
                "(Total)" => Some(Phase::Total),
                _ => None,
            };
            if let (Some(phase), Some(secs)) = (phase, parse_number(secs)) {
                return Comment::Elapsed(phase, secs);
            }
        }
    }
    if let Some((key, value)) = t.split_once('=') {
        let key = key.trim();
        if !key.is_empty() && !key.contains(' ') || key == STEP_SIZE {
            return Comment::Entry(key.to_string(), value.trim().to_string());
        }
    }
    if !t.is_empty() {
        let numbers: Option<Vec<f64>> = t.split(',').map(parse_number).collect();
        if let Some(numbers) = numbers {
            return Comment::Numbers(numbers);
        }
    }
    Comment::Other
}

/// Collects what the comments of one file say, line by line.
#[derive(Debug, Default)]
pub(super) struct CommentState {
    /// Configuration entries before the column header (last one wins).
    pub config: BTreeMap<String, String>,
    pub step_size: Option<f64>,
    pub metric: Option<InvMetric>,
    pub adaptation_row: Option<usize>,
    pub interrupted: bool,
    warmup_seconds: Option<f64>,
    sampling_seconds: Option<f64>,
    /// Reading metric rows: (dense?, values so far, rows so far).
    reading_metric: Option<(bool, Vec<f64>, usize)>,
}

impl CommentState {
    /// Takes in a comment found before the column header.
    pub fn header_comment(&mut self, text: &str) {
        if let Comment::Entry(k, v) = classify(text) {
            self.config.insert(k, v);
        }
    }

    /// Takes in a comment found after the column header, `rows` data rows in.
    /// Returns an error message when the adaptation block is malformed.
    pub fn body_comment(&mut self, text: &str, rows: usize) -> Result<(), String> {
        let comment = classify(text);
        if let Some((dense, mut values, nrows)) = self.reading_metric.take() {
            let Comment::Numbers(row) = comment else {
                return Err("inverse metric header is not followed by its values".into());
            };
            if !dense {
                self.metric = Some(InvMetric::Diag(row));
                return Ok(());
            }
            let dim = values.len().checked_div(nrows).unwrap_or(row.len());
            if row.len() != dim {
                return Err(format!(
                    "dense inverse metric row {} has {} values, expected {dim}",
                    nrows + 1,
                    row.len()
                ));
            }
            values.extend(row);
            if nrows + 1 < dim {
                self.reading_metric = Some((true, values, nrows + 1));
            } else {
                self.metric = Some(InvMetric::Dense { dim, values });
            }
            return Ok(());
        }
        match comment {
            Comment::AdaptationTerminated => self.adaptation_row = Some(rows),
            Comment::Entry(k, v) if k == STEP_SIZE => {
                let step =
                    parse_number(&v).ok_or_else(|| format!("step size {v:?} is not a number"))?;
                self.step_size = Some(step);
            }
            Comment::DiagMetric => self.reading_metric = Some((false, Vec::new(), 0)),
            Comment::DenseMetric => self.reading_metric = Some((true, Vec::new(), 0)),
            Comment::Elapsed(Phase::Warmup, s) => self.warmup_seconds = Some(s),
            Comment::Elapsed(Phase::Sampling, s) => self.sampling_seconds = Some(s),
            Comment::Interrupted => self.interrupted = true,
            _ => {}
        }
        Ok(())
    }

    /// The adaptation, when a step size was reported.
    pub fn adaptation(&self) -> Option<Adaptation> {
        Some(Adaptation {
            step_size: self.step_size?,
            inv_metric: self.metric.clone().unwrap_or(InvMetric::Diag(Vec::new())),
        })
    }

    /// The timing, when the trailer reported both phases.
    pub fn timing(&self) -> Option<ChainTiming> {
        Some(ChainTiming {
            warmup_seconds: self.warmup_seconds?,
            sampling_seconds: self.sampling_seconds?,
        })
    }

    /// True when a dense metric's rows were still being read at the end of the file.
    pub fn metric_unfinished(&self) -> bool {
        self.reading_metric.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_cmdstan_lines() {
        assert_eq!(
            classify("     num_warmup = 1000 (Default)"),
            Comment::Entry("num_warmup".into(), "1000".into())
        );
        assert_eq!(
            classify(" Step size = 0.893542"),
            Comment::Entry("Step size".into(), "0.893542".into())
        );
        assert_eq!(classify(" 0.5, 0.25"), Comment::Numbers(vec![0.5, 0.25]));
        assert_eq!(
            classify("  Elapsed Time: 0.005 seconds (Warm-up)"),
            Comment::Elapsed(Phase::Warmup, 0.005)
        );
        assert_eq!(
            classify("                0.017 seconds (Total)"),
            Comment::Elapsed(Phase::Total, 0.017)
        );
        assert_eq!(
            classify(" Adaptation terminated"),
            Comment::AdaptationTerminated
        );
        assert_eq!(classify(" "), Comment::Other);
    }
}
