//! Convergence warnings with the standard thresholds, naming the variables or chains
//! affected (Vehtari et al. 2021, section 4.3 for R-hat and ESS; Betancourt 2016 for
//! E-BFMI; Stan's `diagnose` for divergences and tree depth).

use std::fmt;

use super::sampler_checks::SamplerDiagnostics;

/// Warn when R-hat exceeds this (Vehtari et al. 2021: "only if R-hat < 1.01").
pub const RHAT_THRESHOLD: f64 = 1.01;
/// Warn when bulk or tail ESS falls below this many per chain (Vehtari et al. 2021:
/// "ESS > 100 per chain").
pub const ESS_PER_CHAIN: f64 = 100.0;
/// Warn when a chain's E-BFMI falls below this (Betancourt 2016; Stan `diagnose`).
pub const EBFMI_THRESHOLD: f64 = 0.3;

/// The thresholds behind the warnings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// R-hat above this warns.
    pub rhat: f64,
    /// Bulk or tail ESS below this times the number of chains warns.
    pub ess_per_chain: f64,
    /// E-BFMI below this warns.
    pub ebfmi: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            rhat: RHAT_THRESHOLD,
            ess_per_chain: ESS_PER_CHAIN,
            ebfmi: EBFMI_THRESHOLD,
        }
    }
}

/// The convergence figures of one variable that warnings look at.
#[derive(Debug, Clone, Copy)]
pub struct VariableCheck<'a> {
    /// Variable name as shown to the user.
    pub name: &'a str,
    /// Rank-normalized R-hat.
    pub rhat: f64,
    /// Bulk ESS.
    pub ess_bulk: f64,
    /// Tail ESS.
    pub ess_tail: f64,
}

/// One problem with a fit.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// Variables whose R-hat exceeds the threshold.
    HighRhat {
        threshold: f64,
        variables: Vec<String>,
    },
    /// Variables whose bulk ESS is below the threshold.
    LowEssBulk {
        threshold: f64,
        variables: Vec<String>,
    },
    /// Variables whose tail ESS is below the threshold.
    LowEssTail {
        threshold: f64,
        variables: Vec<String>,
    },
    /// Divergent transitions after warmup.
    Divergences { count: usize, total: usize },
    /// Transitions that hit the maximum tree depth.
    MaxTreedepth {
        count: usize,
        total: usize,
        max_depth: u32,
    },
    /// Chains (1-based) with low E-BFMI, with their values.
    LowEbfmi {
        threshold: f64,
        chains: Vec<(usize, f64)>,
    },
}

fn percent(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * count as f64 / total as f64
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::HighRhat {
                threshold,
                variables,
            } => write!(
                f,
                "R-hat above {threshold} for {}: {}; the chains have not mixed, run longer or reparameterize",
                plural(variables.len(), "variable"),
                variables.join(", ")
            ),
            Warning::LowEssBulk {
                threshold,
                variables,
            } => write!(
                f,
                "bulk ESS below {threshold} for {}: {}; posterior means and medians may be unreliable",
                plural(variables.len(), "variable"),
                variables.join(", ")
            ),
            Warning::LowEssTail {
                threshold,
                variables,
            } => write!(
                f,
                "tail ESS below {threshold} for {}: {}; posterior intervals may be unreliable",
                plural(variables.len(), "variable"),
                variables.join(", ")
            ),
            Warning::Divergences { count, total } => write!(
                f,
                "{count} of {total} transitions after warmup diverged ({:.1}%); increase adapt delta or reparameterize",
                percent(*count, *total)
            ),
            Warning::MaxTreedepth {
                count,
                total,
                max_depth,
            } => write!(
                f,
                "{count} of {total} transitions hit the maximum tree depth {max_depth} ({:.1}%); sampling may be inefficient",
                percent(*count, *total)
            ),
            Warning::LowEbfmi { threshold, chains } => {
                let list: Vec<String> = chains
                    .iter()
                    .map(|(c, v)| format!("chain {c} ({v:.3})"))
                    .collect();
                write!(
                    f,
                    "E-BFMI below {threshold} in {}; the energy distribution is poorly explored, reparameterize",
                    list.join(", ")
                )
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// All warnings for a fit with `num_chains` chains. NaN figures (constant or too short
/// draws) do not warn: they are not evidence of non-convergence.
pub fn convergence_warnings(
    variables: &[VariableCheck<'_>],
    num_chains: usize,
    sampler: &SamplerDiagnostics,
    thresholds: &Thresholds,
) -> Vec<Warning> {
    let ess_min = thresholds.ess_per_chain * num_chains as f64;
    let names = |bad: &dyn Fn(&VariableCheck<'_>) -> bool| -> Vec<String> {
        variables
            .iter()
            .filter(|v| bad(v))
            .map(|v| v.name.to_string())
            .collect()
    };
    let mut out = Vec::new();
    let high_rhat = names(&|v| v.rhat > thresholds.rhat);
    if !high_rhat.is_empty() {
        out.push(Warning::HighRhat {
            threshold: thresholds.rhat,
            variables: high_rhat,
        });
    }
    let low_bulk = names(&|v| v.ess_bulk < ess_min);
    if !low_bulk.is_empty() {
        out.push(Warning::LowEssBulk {
            threshold: ess_min,
            variables: low_bulk,
        });
    }
    let low_tail = names(&|v| v.ess_tail < ess_min);
    if !low_tail.is_empty() {
        out.push(Warning::LowEssTail {
            threshold: ess_min,
            variables: low_tail,
        });
    }
    if let Some(count) = sampler.divergences.filter(|&d| d > 0) {
        out.push(Warning::Divergences {
            count,
            total: sampler.total_draws,
        });
    }
    if let (Some(count), Some(max_depth)) = (sampler.treedepth_hits, sampler.max_depth)
        && count > 0
    {
        out.push(Warning::MaxTreedepth {
            count,
            total: sampler.total_draws,
            max_depth,
        });
    }
    let low: Vec<(usize, f64)> = sampler
        .ebfmi
        .iter()
        .enumerate()
        .filter(|(_, v)| **v < thresholds.ebfmi)
        .map(|(i, v)| (i + 1, *v))
        .collect();
    if !low.is_empty() {
        out.push(Warning::LowEbfmi {
            threshold: thresholds.ebfmi,
            chains: low,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_affected_variables() {
        let vars = [
            VariableCheck {
                name: "mu",
                rhat: 1.05,
                ess_bulk: 50.0,
                ess_tail: 500.0,
            },
            VariableCheck {
                name: "tau",
                rhat: 1.001,
                ess_bulk: 900.0,
                ess_tail: 300.0,
            },
            VariableCheck {
                name: "c",
                rhat: f64::NAN,
                ess_bulk: 400.0,
                ess_tail: 400.0,
            },
        ];
        let sampler = SamplerDiagnostics {
            total_draws: 4000,
            divergences: Some(12),
            max_depth: Some(10),
            treedepth_hits: Some(0),
            ebfmi: vec![0.9, 0.2, 1.0, 0.8],
        };
        let w = convergence_warnings(&vars, 4, &sampler, &Thresholds::default());
        assert_eq!(w.len(), 5, "{w:?}");
        assert_eq!(
            w[0],
            Warning::HighRhat {
                threshold: 1.01,
                variables: vec!["mu".into()]
            }
        );
        assert_eq!(
            w[2],
            Warning::LowEssTail {
                threshold: 400.0,
                variables: vec!["tau".into()]
            }
        );
        assert!(
            w[3].to_string()
                .starts_with("12 of 4000 transitions after warmup diverged (0.3%)")
        );
        assert!(w[4].to_string().contains("chain 2 (0.200)"));
    }
}
