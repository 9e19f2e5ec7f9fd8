//! One chain's access to the log density: counts gradient evaluations, turns recoverable
//! failures into zero density, and tallies why the model rejected points (`reject`, a
//! violated constraint on a transformed parameter, a function outside its domain).

use crate::model::{EvalError, LogDensity};

/// Distinct kinds of rejection message kept per chain; further kinds are only counted.
/// Messages that differ only in the real values they quote (`y is -1.48, but must be
/// ...` and `y is -1.02, but must be ...`) are one kind.
pub const MAX_DISTINCT_REJECTIONS: usize = 8;

/// Why and how often a chain's model rejected a point during the run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rejections {
    /// Each kind of message (up to [`MAX_DISTINCT_REJECTIONS`]), as first seen, with its
    /// count, in the order first seen.
    pub messages: Vec<(String, u64)>,
    /// Rejections whose message was not among the kept ones.
    pub other: u64,
    /// The kind of each kept message (see [`message_kind`]), computed once.
    kinds: Vec<String>,
}

impl Rejections {
    /// Counts one rejection; true when `message` starts a new kept kind.
    pub fn record(&mut self, message: &str) -> bool {
        let kind = message_kind(message);
        if let Some(i) = self.kinds.iter().position(|k| *k == kind) {
            self.messages[i].1 += 1;
            false
        } else if self.messages.len() < MAX_DISTINCT_REJECTIONS {
            self.messages.push((message.to_string(), 1));
            self.kinds.push(kind);
            true
        } else {
            self.other += 1;
            false
        }
    }

    /// All rejections counted.
    pub fn total(&self) -> u64 {
        self.other + self.messages.iter().map(|(_, n)| n).sum::<u64>()
    }
}

/// `message` with every real number in it (a token with a decimal point or exponent, or
/// `inf`/`nan`) replaced by `#`; integers such as indices and source locations are kept.
fn message_kind(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        let real = token.chars().any(|c| c.is_ascii_digit())
            && token.chars().any(|c| matches!(c, '.' | 'e' | 'E'));
        let special = matches!(token.trim_start_matches('-'), "inf" | "nan" | "NaN");
        if real || special {
            out.push('#');
        } else {
            out.push_str(token);
        }
        token.clear();
    };
    for c in message.chars() {
        let sign = matches!(c, '-' | '+')
            && (token.is_empty()
                || token.ends_with(['e', 'E'])
                    && token.starts_with(|d: char| d.is_ascii_digit() || d == '-'));
        if c.is_ascii_alphanumeric() || c == '.' || sign {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// Evaluates a density for one chain, counting gradient evaluations.
pub struct Evaluator<'a> {
    density: &'a dyn LogDensity,
    evals: u64,
    rejections: Rejections,
    /// Messages first seen since [`Evaluator::take_new_rejections`] was last called.
    fresh: Vec<String>,
}

impl<'a> Evaluator<'a> {
    /// Wraps `density`.
    pub fn new(density: &'a dyn LogDensity) -> Self {
        Evaluator {
            density,
            evals: 0,
            rejections: Rejections::default(),
            fresh: Vec::new(),
        }
    }

    /// The unconstrained dimension.
    pub fn dim(&self) -> usize {
        self.density.dim()
    }

    /// Gradient evaluations so far.
    pub fn evals(&self) -> u64 {
        self.evals
    }

    /// The raw result at `q`, with the gradient written into `grad`.
    pub fn raw(&mut self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        self.evals += 1;
        self.density.log_density_and_gradient(q, grad)
    }

    /// The log density at `q` (gradient into `grad`), `-inf` when the density or gradient is
    /// not finite or the evaluation failed recoverably (the failure's message is tallied).
    /// `Err` carries a fatal message.
    pub fn log_density(&mut self, q: &[f64], grad: &mut [f64]) -> Result<f64, String> {
        match self.raw(q, grad) {
            Ok(lp) if lp.is_finite() && grad.iter().all(|g| g.is_finite()) => Ok(lp),
            Ok(_) => Ok(f64::NEG_INFINITY),
            Err(EvalError::Recoverable(msg)) => {
                if self.rejections.record(&msg) {
                    self.fresh.push(msg);
                }
                Ok(f64::NEG_INFINITY)
            }
            Err(EvalError::Fatal(msg)) => Err(msg),
        }
    }

    /// Rejection messages seen for the first time since the last call.
    pub fn take_new_rejections(&mut self) -> Vec<String> {
        std::mem::take(&mut self.fresh)
    }

    /// The tally of rejections so far.
    pub fn rejections(&self) -> &Rejections {
        &self.rejections
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_keep_distinct_messages_up_to_the_cap() {
        let mut r = Rejections::default();
        assert!(r.record("a"));
        assert!(!r.record("a"));
        for k in 0..20 {
            r.record(&format!("m{k}"));
        }
        assert_eq!(r.messages.len(), MAX_DISTINCT_REJECTIONS);
        assert_eq!(r.messages[0], ("a".to_string(), 2));
        assert_eq!(r.other, 20 - (MAX_DISTINCT_REJECTIONS as u64 - 1));
        assert_eq!(r.total(), 22);
    }

    #[test]
    fn messages_that_differ_in_quoted_reals_are_one_kind() {
        let mut r = Rejections::default();
        assert!(r.record("y[1] is -1.4872, but must be greater than or equal to -1"));
        assert!(!r.record("y[1] is -2.5e-3, but must be greater than or equal to -1"));
        assert!(r.record("y[2] is -1.4872, but must be greater than or equal to -1"));
        assert!(r.record("reject at line 6, column 16: x is inf"));
        assert!(!r.record("reject at line 6, column 16: x is nan"));
        assert!(r.record("reject at line 7, column 16: x is inf"));
        assert_eq!(r.messages.len(), 4);
        assert_eq!(r.messages[0].1, 2);
        assert!(
            r.messages[0].0.contains("-1.4872"),
            "first message kept whole"
        );
    }
}
