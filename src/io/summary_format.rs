//! The posterior summary as text: an aligned table like CmdStan's `stansummary` followed
//! by the sampler-diagnostic lines and warnings, and as CSV at full precision.

use std::fmt::Write;

use crate::io::stan_csv::number::write_number;
use crate::summary::{SUMMARY_COLUMNS, Summary, SummaryRow};

/// Significant digits of the location and scale columns in the text table
/// (CmdStan `stansummary --sig_figs` defaults to 2; one more keeps MCSE-sized
/// differences visible).
pub const TABLE_SIG_FIGS: usize = 3;
/// Decimals of R-hat in the text table: enough to compare with the 1.01 threshold.
pub const RHAT_DECIMALS: usize = 3;

/// Smallest decimal exponent printed in fixed notation (|v| ≥ 1e-3).
const FIXED_MIN_EXP: i64 = -3;
/// Exponents below this print in fixed notation (|v| < 1e6).
const FIXED_END_EXP: i64 = 6;

/// Formats `v` with `sig` significant digits, switching to exponent notation outside
/// [1e-3, 1e6).
pub fn significant(v: f64, sig: usize) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "nan".into()
        } else if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let mag = v.abs().log10().floor() as i64;
    if !(FIXED_MIN_EXP..FIXED_END_EXP).contains(&mag) {
        return format!("{:.*e}", sig.saturating_sub(1), v);
    }
    let decimals = (sig as i64 - 1 - mag).max(0) as usize;
    format!("{v:.decimals$}")
}

fn ess(v: f64) -> String {
    if v.is_finite() {
        format!("{}", v.round() as i64)
    } else {
        significant(v, 1)
    }
}

fn rhat(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.RHAT_DECIMALS$}")
    } else {
        significant(v, 1)
    }
}

/// The text cells of one row, in the table's column order.
fn cells(r: &SummaryRow) -> Vec<String> {
    let s = |v| significant(v, TABLE_SIG_FIGS);
    vec![
        r.variable.clone(),
        s(r.mean),
        s(r.mcse_mean),
        s(r.sd),
        s(r.mcse_sd),
        s(r.mad),
        s(r.q5),
        s(r.median),
        s(r.q95),
        ess(r.ess_bulk),
        ess(r.ess_tail),
        rhat(r.rhat),
    ]
}

/// Table headings, stansummary style.
const HEADINGS: [&str; 12] = [
    "", "Mean", "MCSE", "StdDev", "MCSE_SD", "MAD", "5%", "50%", "95%", "ESS_bulk", "ESS_tail",
    "R_hat",
];

fn percent(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * count as f64 / total as f64
    }
}

/// The aligned table: names left-aligned, numbers right-aligned, then the sampler lines.
pub fn render_table(summary: &Summary) -> String {
    let body: Vec<Vec<String>> = summary.rows.iter().map(cells).collect();
    let mut widths: Vec<usize> = HEADINGS.iter().map(|h| h.len()).collect();
    for row in &body {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = String::new();
    let _ = if summary.num_chains == 1 {
        writeln!(
            out,
            "1 chain, {} draws after warmup.\n",
            summary.draws_per_chain
        )
    } else {
        writeln!(
            out,
            "{} chains, {} draws each after warmup; {} draws in total.\n",
            summary.num_chains,
            summary.draws_per_chain,
            summary.num_chains * summary.draws_per_chain
        )
    };
    let line = |cols: &[String], out: &mut String| {
        let mut text = format!("{:<w$}", cols[0], w = widths[0]);
        for (c, w) in cols[1..].iter().zip(&widths[1..]) {
            let _ = write!(text, "  {c:>w$}");
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&HEADINGS.map(String::from), &mut out);
    for row in &body {
        line(row, &mut out);
    }
    out.push('\n');
    out.push_str(&sampler_lines(summary));
    out
}

/// Divergences, tree depth, E-BFMI and the warnings, one per line.
fn sampler_lines(summary: &Summary) -> String {
    let s = &summary.sampler;
    let total = s.total_draws;
    let mut out = String::new();
    match s.divergences {
        Some(d) => {
            let _ = writeln!(
                out,
                "Divergences: {d} of {total} draws after warmup ({:.1}%)",
                percent(d, total)
            );
        }
        None => out.push_str("Divergences: not recorded (no divergent__ column)\n"),
    }
    match (s.treedepth_hits, s.max_depth) {
        (Some(h), Some(m)) => {
            let _ = writeln!(
                out,
                "Max tree depth {m} reached: {h} of {total} draws ({:.1}%)",
                percent(h, total)
            );
        }
        _ => out.push_str("Max tree depth: not checked (maximum depth unknown)\n"),
    }
    if s.ebfmi.is_empty() {
        out.push_str("E-BFMI: not computed (no energy__ column)\n");
    } else {
        let list: Vec<String> = s.ebfmi.iter().map(|v| format!("{v:.3}")).collect();
        let _ = writeln!(out, "E-BFMI per chain: {}", list.join(", "));
    }
    if summary.warnings.is_empty() {
        out.push_str("No warnings.\n");
    } else {
        out.push_str("Warnings:\n");
        for w in &summary.warnings {
            let _ = writeln!(out, "  - {w}");
        }
    }
    out
}

/// Quotes a CSV field when it holds a comma or a quote (`theta[1,2]`).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The summary as CSV: [`SUMMARY_COLUMNS`] header, numbers that round-trip exactly.
pub fn render_csv(summary: &Summary) -> String {
    let mut out = SUMMARY_COLUMNS.join(",");
    out.push('\n');
    for r in &summary.rows {
        out.push_str(&csv_field(&r.variable));
        for v in r.values() {
            out.push(',');
            write_number(&mut out, v);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits() {
        assert_eq!(significant(1.23456, 3), "1.23");
        assert_eq!(significant(-123.456, 3), "-123");
        assert_eq!(significant(0.0123456, 3), "0.0123");
        assert_eq!(significant(1.5e-5, 3), "1.50e-5");
        assert_eq!(significant(2.5e7, 3), "2.50e7");
        assert_eq!(significant(f64::NAN, 3), "nan");
    }

    #[test]
    fn csv_quotes_multi_index_names() {
        assert_eq!(csv_field("theta[1,2]"), "\"theta[1,2]\"");
        assert_eq!(csv_field("mu"), "mu");
    }
}
