//! The posteriordb pass criterion: comparing a fit's draws with a reference posterior
//! summary (`reference.json`), quantity by quantity, in units of combined Monte Carlo
//! standard error, with the heavy-tail quantile rule and the multiple-comparison allowance
//! described in `../shared/posteriordb/README.md`.

pub mod runner;

use crate::diagnostics::ChainArray;
use crate::draws::Draws;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A comparison passes at or below this many combined MCSEs (README: "Pass").
pub const Z_PASS: f64 = 5.0;
/// A comparison between [`Z_PASS`] and this is *marginal*: allowed once per posterior that
/// has at least [`MARGINAL_MIN_STATISTICS`] compared statistics (README: "Multiple-comparison
/// allowance").
pub const Z_MARGINAL: f64 = 6.0;
/// How many compared statistics a posterior needs before one marginal comparison is allowed.
pub const MARGINAL_MIN_STATISTICS: usize = 20;
/// A quantity is compared by quantiles when its reference `mcse_sd` exceeds this multiple of
/// the normal-theory `sd / sqrt(2 ess_bulk)` (README: "Heavy tails").
pub const HEAVY_TAIL_FACTOR: f64 = 3.0;
/// Allowed deviation of a tail probability, in binomial standard errors (README).
pub const QUANTILE_SE: f64 = 5.0;

/// One quantity of a reference summary.
#[derive(Debug, Clone, Deserialize)]
pub struct RefQuantity {
    /// Mean over the reference draws.
    pub mean: f64,
    /// Standard deviation (n - 1).
    pub sd: f64,
    /// 5% quantile (absent for partial references).
    pub q05: Option<f64>,
    /// Median.
    pub q50: Option<f64>,
    /// 95% quantile.
    pub q95: Option<f64>,
    /// Bulk ESS of the reference draws.
    pub ess_bulk: f64,
    /// MCSE of the reference mean.
    pub mcse_mean: f64,
    /// MCSE of the reference sd.
    pub mcse_sd: f64,
}

/// A posteriordb reference summary.
#[derive(Debug, Clone, Deserialize)]
pub struct Reference {
    /// The posterior's name.
    pub posterior: String,
    /// Per quantity, by bracket name (`theta[1]`), in file order.
    pub params: BTreeMap<String, RefQuantity>,
    /// Whether the reference is partial (no quantiles; approximate MCSEs).
    #[serde(skip)]
    pub partial: bool,
}

impl Reference {
    /// Reads `reference.json`.
    pub fn from_file(path: &Path) -> Result<Reference, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut reference: Reference = serde_json::from_value(value.clone())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        reference.partial = value["reference"]["partial"].as_bool().unwrap_or(false);
        Ok(reference)
    }
}

/// How one quantity fared.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// Compared by mean and sd.
    Moments {
        /// |mean difference| / combined MCSE.
        z_mean: f64,
        /// |sd difference| / combined MCSE.
        z_sd: f64,
    },
    /// Compared by tail probabilities at the reference quantiles (heavy tails): for each
    /// of q05, q50, q95, |F − p| in units of its binomial standard error.
    Quantiles {
        /// The three standardized deviations.
        z: [f64; 3],
    },
    /// The fit has no column for this quantity.
    Missing,
}

impl Check {
    /// The largest z of this check (infinite when missing).
    pub fn max_z(&self) -> f64 {
        match self {
            Check::Moments { z_mean, z_sd } => z_mean.max(*z_sd),
            Check::Quantiles { z } => z.iter().copied().fold(0.0, f64::max),
            Check::Missing => f64::INFINITY,
        }
    }

    fn statistics(&self) -> Vec<f64> {
        match self {
            Check::Moments { z_mean, z_sd } => vec![*z_mean, *z_sd],
            Check::Quantiles { z } => z.to_vec(),
            Check::Missing => vec![f64::INFINITY],
        }
    }
}

/// The verdict for a posterior.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every comparison within [`Z_PASS`].
    Pass,
    /// One comparison in (Z_PASS, Z_MARGINAL] with enough statistics: rerun with another seed.
    Marginal,
    /// Anything else.
    Fail,
}

/// The comparison of one fit with its reference.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Per reference quantity, in reference order.
    pub checks: Vec<(String, Check)>,
    /// The verdict.
    pub verdict: Verdict,
}

impl Comparison {
    /// The largest z over all quantities.
    pub fn max_z(&self) -> f64 {
        self.checks
            .iter()
            .map(|(_, c)| c.max_z())
            .fold(0.0, f64::max)
    }

    /// Quantities whose every statistic is within [`Z_PASS`].
    pub fn passed(&self) -> usize {
        self.checks
            .iter()
            .filter(|(_, c)| c.max_z() <= Z_PASS)
            .count()
    }
}

/// True when the quantity must be compared by quantiles: listed by the suite, or its
/// reference `mcse_sd` exceeds [`HEAVY_TAIL_FACTOR`] × sd / sqrt(2 ess_bulk).
pub fn is_heavy_tailed(q: &RefQuantity, listed: bool) -> bool {
    listed || q.mcse_sd > HEAVY_TAIL_FACTOR * q.sd / (2.0 * q.ess_bulk).sqrt()
}

/// Compares `draws` with `reference`. `by_quantiles` names quantities the suite lists as
/// heavy-tailed.
pub fn compare(draws: &Draws, reference: &Reference, by_quantiles: &[String]) -> Comparison {
    let mut checks = Vec::new();
    for (name, q) in &reference.params {
        let check = match draws.column_index(name) {
            None => Check::Missing,
            Some(i) => {
                let chains = draws.column(i);
                let listed = by_quantiles.iter().any(|n| n == name);
                compare_quantity(&chains, q, is_heavy_tailed(q, listed) && !reference.partial)
            }
        };
        checks.push((name.clone(), check));
    }
    let verdict = verdict(&checks);
    Comparison { checks, verdict }
}

fn compare_quantity(chains: &[&[f64]], q: &RefQuantity, by_quantiles: bool) -> Check {
    let Ok(a) = ChainArray::new(chains) else {
        return Check::Missing;
    };
    if by_quantiles {
        let all: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
        let ess = a.ess_bulk();
        let mut z = [f64::INFINITY; 3];
        for (k, (quantile, p)) in [(q.q05, 0.05), (q.q50, 0.5), (q.q95, 0.95)]
            .into_iter()
            .enumerate()
        {
            if let Some(r) = quantile {
                let below = all.iter().filter(|&&x| x < r).count() as f64 / all.len() as f64;
                let se = (p * (1.0 - p) * (1.0 / ess + 1.0 / q.ess_bulk)).sqrt();
                z[k] = (below - p).abs() / se;
            }
        }
        return Check::Quantiles { z };
    }
    let z_mean = (a.mean() - q.mean).abs() / (a.mcse_mean().powi(2) + q.mcse_mean.powi(2)).sqrt();
    let z_sd = (a.sd() - q.sd).abs() / (a.mcse_sd().powi(2) + q.mcse_sd.powi(2)).sqrt();
    Check::Moments { z_mean, z_sd }
}

fn verdict(checks: &[(String, Check)]) -> Verdict {
    let stats: Vec<f64> = checks.iter().flat_map(|(_, c)| c.statistics()).collect();
    // NaN counts as over the bound.
    let over: Vec<f64> = stats
        .iter()
        .copied()
        .filter(|z| z.is_nan() || *z > Z_PASS)
        .collect();
    match over.as_slice() {
        [] => Verdict::Pass,
        [z] if *z <= Z_MARGINAL && stats.len() >= MARGINAL_MIN_STATISTICS => Verdict::Marginal,
        _ => Verdict::Fail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::{ChainDraws, DrawSink};
    use crate::rng::chain_rng;
    use rand_distr::{Distribution, Normal};

    fn normal_draws(mean: f64, sd: f64) -> Draws {
        let mut chains = Vec::new();
        for c in 0..4 {
            let mut rng = chain_rng(3, c);
            let d = Normal::new(mean, sd).unwrap();
            let mut chain = ChainDraws::default();
            for _ in 0..1000 {
                chain.draw_row(&[d.sample(&mut rng)]).unwrap();
            }
            chains.push(chain);
        }
        Draws {
            columns: vec!["theta.1".into()],
            chains,
        }
    }

    fn reference(mean: f64, sd: f64) -> Reference {
        let q = RefQuantity {
            mean,
            sd,
            q05: Some(mean - 1.645 * sd),
            q50: Some(mean),
            q95: Some(mean + 1.645 * sd),
            ess_bulk: 10000.0,
            mcse_mean: sd / 100.0,
            mcse_sd: sd / (2.0f64 * 10000.0).sqrt(),
        };
        Reference {
            posterior: "t".into(),
            params: [("theta[1]".to_string(), q)].into(),
            partial: false,
        }
    }

    #[test]
    fn matching_draws_pass_and_shifted_draws_fail() {
        let draws = normal_draws(1.0, 2.0);
        let ok = compare(&draws, &reference(1.0, 2.0), &[]);
        assert_eq!(ok.verdict, Verdict::Pass, "{ok:?}");
        // A shift of 0.3 sd is about 9 combined MCSEs with 4000 iid draws.
        let bad = compare(&draws, &reference(1.6, 2.0), &[]);
        assert_eq!(bad.verdict, Verdict::Fail, "{bad:?}");
        let wide = compare(&draws, &reference(1.0, 2.4), &[]);
        assert_eq!(wide.verdict, Verdict::Fail, "{wide:?}");
    }

    #[test]
    fn heavy_tailed_quantities_use_quantiles_and_missing_ones_fail() {
        let draws = normal_draws(0.0, 1.0);
        let r = reference(0.0, 1.0);
        let c = compare(&draws, &r, &["theta[1]".to_string()]);
        assert!(matches!(c.checks[0].1, Check::Quantiles { .. }));
        assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
        let mut shifted = reference(0.5, 1.0);
        shifted.params.get_mut("theta[1]").unwrap().mcse_sd = 1.0; // flags heavy tails
        let c = compare(&draws, &shifted, &[]);
        assert!(matches!(c.checks[0].1, Check::Quantiles { .. }));
        assert_eq!(c.verdict, Verdict::Fail);
        let empty = Draws {
            columns: vec!["other".into()],
            chains: draws.chains.clone(),
        };
        assert_eq!(compare(&empty, &r, &[]).verdict, Verdict::Fail);
    }

    #[test]
    fn one_marginal_comparison_is_allowed_only_with_enough_statistics() {
        let checks = |n: usize, z: f64| -> Vec<(String, Check)> {
            (0..n)
                .map(|i| {
                    let z_mean = if i == 0 { z } else { 1.0 };
                    (format!("q{i}"), Check::Moments { z_mean, z_sd: 1.0 })
                })
                .collect()
        };
        assert_eq!(verdict(&checks(10, 5.5)), Verdict::Marginal);
        assert_eq!(verdict(&checks(9, 5.5)), Verdict::Fail);
        assert_eq!(verdict(&checks(10, 6.5)), Verdict::Fail);
        assert_eq!(verdict(&checks(10, 4.9)), Verdict::Pass);
    }
}
