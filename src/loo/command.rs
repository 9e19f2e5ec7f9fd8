//! `hazel loo DIR [DIR…] [--var log_lik]`: PSIS-LOO of each fit folder's `chain_<k>.csv`
//! files as text tables, and the comparison of the models when more than one is given.

use std::fmt::Write;
use std::path::PathBuf;

use super::LooError;
use super::compare::{ComparisonRow, compare};
use super::elpd::{LooResult, psis_loo};
use super::log_lik::LogLik;
use crate::io::stan_csv::read_stan_csv;
use crate::summary::chain_files;

/// At most this many observations with k-hat above the threshold are listed by number.
const MAX_LISTED_OBSERVATIONS: usize = 20;

/// Reads each folder's chains, computes PSIS-LOO from variable `var` (relative efficiency
/// from the chains' ESS) and renders each model, then the comparison for ≥ 2 folders.
pub fn loo_command(dirs: &[PathBuf], var: &str) -> Result<String, LooError> {
    let mut results = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let csv = read_stan_csv(&chain_files(std::slice::from_ref(dir))?)?;
        let log_lik = LogLik::from_draws(&csv.draws, var)?;
        let loo = psis_loo(&log_lik, &log_lik.relative_efficiency())?;
        results.push((dir.display().to_string(), log_lik.chains(), loo));
    }
    let mut out = String::new();
    for (name, chains, loo) in &results {
        out.push_str(&format_loo(name, *chains, loo));
        out.push('\n');
    }
    if results.len() >= 2 {
        let models: Vec<(&str, &LooResult)> =
            results.iter().map(|(n, _, r)| (n.as_str(), r)).collect();
        out.push_str(&format_comparison(&compare(&models)?));
    }
    Ok(out)
}

/// One model's estimates, k-hat band table and warnings.
pub fn format_loo(name: &str, chains: usize, loo: &LooResult) -> String {
    let n = loo.observations();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{name}: PSIS-LOO from {} draws ({chains} chain(s)) and {n} observations",
        loo.draws
    );
    let _ = writeln!(s, "{:<10}{:>12}{:>10}", "", "Estimate", "SE");
    for (label, est, se) in [
        ("elpd_loo", loo.elpd_loo, loo.se),
        ("p_loo", loo.p_loo, loo.p_loo_se),
        ("looic", loo.looic(), loo.looic_se()),
    ] {
        let _ = writeln!(s, "{label:<10}{est:>12.2}{se:>10.2}");
    }
    let b = &loo.bands;
    let _ = writeln!(
        s,
        "Pareto k diagnostic (good threshold {:.2}):",
        b.threshold
    );
    let pct = |c: usize| 100.0 * c as f64 / n as f64;
    for (range, label, count) in [
        (format!("(-Inf, {:.2}]", b.threshold), "good", b.good),
        (format!("({:.2}, 1]", b.threshold), "bad", b.bad),
        ("(1, Inf)".to_string(), "very bad", b.very_bad),
    ] {
        let _ = writeln!(s, "  {range:<14}{label:<10}{count:>6}{:>7.1}%", pct(count));
    }
    let flagged: Vec<(usize, f64)> = loo
        .k_hats()
        .into_iter()
        .enumerate()
        .filter(|(_, k)| *k > b.threshold || k.is_nan())
        .collect();
    if !flagged.is_empty() {
        let listed: Vec<String> = flagged
            .iter()
            .take(MAX_LISTED_OBSERVATIONS)
            .map(|(i, k)| format!("{}: {k:.2}", i + 1))
            .collect();
        let more = flagged.len().saturating_sub(MAX_LISTED_OBSERVATIONS);
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(s, "  k-hat above threshold: {}{tail}", listed.join(", "));
    }
    for w in b.warnings() {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// The comparison table, best model first.
pub fn format_comparison(rows: &[ComparisonRow]) -> String {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(5);
    let mut s = String::new();
    let _ = writeln!(s, "Model comparison (elpd_diff = best − model):");
    let _ = writeln!(
        s,
        "{:<width$}{:>5}{:>11}{:>8}{:>8}{:>11}{:>9}{:>10}{:>11}  warning",
        "model",
        "rank",
        "elpd_loo",
        "se",
        "p_loo",
        "elpd_diff",
        "diff_se",
        "stacking",
        "pseudo_bma"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<width$}{:>5}{:>11.2}{:>8.2}{:>8.2}{:>11.2}{:>9.2}{:>10.3}{:>11.3}  {}",
            r.name,
            r.rank,
            r.elpd_loo,
            r.se,
            r.p_loo,
            r.elpd_diff,
            r.diff_se,
            r.stacking_weight,
            r.pseudo_bma_weight,
            if r.warning { "yes" } else { "no" }
        );
    }
    s
}
