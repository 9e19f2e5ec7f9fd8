//! Convergence diagnostics on (chain, draw) arrays: R-hat, ESS, MCSE, quantiles, sampler diagnostics.
//!
//! [`ChainArray`] holds the draws of one scalar quantity, one slice per chain, and computes
//! every diagnostic of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021) exactly as
//! ArviZ 0.23 does (the reference vectors in `shared/testdata/diagnostics` pin it down).
//! Sampler diagnostics (divergences, tree depth, E-BFMI) and warnings read a whole
//! [`crate::draws::Draws`].

mod autocovariance;
pub mod ess;
pub mod fft;
pub mod mcse;
pub mod moments;
pub mod normal_quantile;
pub mod quantile;
pub mod rank_normalize;
pub mod rhat;
pub mod sampler_checks;
pub mod split;
pub mod warnings;

pub use sampler_checks::{SamplerDiagnostics, sampler_diagnostics};
pub use warnings::{Thresholds, Warning, convergence_warnings};

use split::{Rows, map_rows, pooled, split_chains};

/// Fewer draws per chain than this make every R-hat, ESS and MCSE NaN (ArviZ
/// `_not_valid(min_draws=4)`).
pub const MIN_DRAWS: usize = 4;
/// Fewer chains than this make every R-hat NaN (ArviZ `_not_valid(min_chains=2)`).
pub const MIN_CHAINS_RHAT: usize = 2;
/// The lower tail probability of tail ESS (Vehtari et al. 2021, section 4.3).
pub const TAIL_LOW: f64 = 0.05;
/// The upper tail probability of tail ESS.
pub const TAIL_HIGH: f64 = 0.95;

/// Why draws cannot be diagnosed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiagnosticsError {
    /// No chains were given.
    #[error("no chains given")]
    NoChains,
    /// Chains differ in length.
    #[error("chain {chain} has {len} draws but chain 1 has {expected}")]
    RaggedChains {
        /// 1-based chain number.
        chain: usize,
        /// Its number of draws.
        len: usize,
        /// Draws in the first chain.
        expected: usize,
    },
}

/// The draws of one scalar quantity: one equally long slice per chain.
#[derive(Debug, Clone)]
pub struct ChainArray<'a> {
    chains: Vec<&'a [f64]>,
    draws: usize,
}

impl<'a> ChainArray<'a> {
    /// Checks that there is at least one chain and that all chains are equally long.
    pub fn new(chains: &[&'a [f64]]) -> Result<Self, DiagnosticsError> {
        let first = chains.first().ok_or(DiagnosticsError::NoChains)?;
        let draws = first.len();
        if let Some((i, c)) = chains.iter().enumerate().find(|(_, c)| c.len() != draws) {
            return Err(DiagnosticsError::RaggedChains {
                chain: i + 1,
                len: c.len(),
                expected: draws,
            });
        }
        Ok(ChainArray {
            chains: chains.to_vec(),
            draws,
        })
    }

    /// Number of chains.
    pub fn num_chains(&self) -> usize {
        self.chains.len()
    }

    /// Draws per chain.
    pub fn num_draws(&self) -> usize {
        self.draws
    }

    /// All draws, chain after chain.
    pub fn pooled(&self) -> Vec<f64> {
        pooled(&self.chains)
    }

    fn has_nan(&self) -> bool {
        self.chains.iter().any(|c| c.iter().any(|v| v.is_nan()))
    }

    /// The split array when ESS and MCSE are defined (no NaN, at least [`MIN_DRAWS`]).
    fn split_if_valid(&self) -> Option<Rows> {
        (self.draws >= MIN_DRAWS && !self.has_nan()).then(|| split_chains(&self.chains))
    }

    /// The split array when R-hat is defined (also at least [`MIN_CHAINS_RHAT`] chains).
    fn split_for_rhat(&self) -> Option<Rows> {
        if self.chains.len() < MIN_CHAINS_RHAT {
            return None;
        }
        self.split_if_valid()
    }

    /// Mean of all draws.
    pub fn mean(&self) -> f64 {
        moments::mean(&self.pooled())
    }

    /// Standard deviation of all draws (ddof = 1).
    pub fn sd(&self) -> f64 {
        moments::sd(&self.pooled())
    }

    /// Type-7 quantile of all draws; NaN if any draw is NaN.
    pub fn quantile(&self, p: f64) -> f64 {
        if self.has_nan() {
            return f64::NAN;
        }
        quantile::type7(&quantile::sorted(&self.pooled()), p)
    }

    /// Median of all draws (type-7 quantile at ½).
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// Normalized median absolute deviation of all draws.
    pub fn mad(&self) -> f64 {
        quantile::mad(&self.pooled())
    }

    /// Classic split R-hat on the raw draws.
    pub fn rhat_split(&self) -> f64 {
        self.split_for_rhat()
            .map_or(f64::NAN, |s| rhat::basic_rhat(&s))
    }

    /// Rank-normalized split R-hat (bulk).
    pub fn rhat_bulk(&self) -> f64 {
        self.split_for_rhat()
            .map_or(f64::NAN, |s| rhat::bulk_rhat(&s))
    }

    /// Folded rank-normalized split R-hat (tail).
    pub fn rhat_tail(&self) -> f64 {
        self.split_for_rhat()
            .map_or(f64::NAN, |s| rhat::tail_rhat(&s))
    }

    /// The maximum of bulk and tail R-hat (ArviZ `rhat(method="rank")`).
    pub fn rhat_rank(&self) -> f64 {
        self.split_for_rhat().map_or(f64::NAN, |s| {
            rhat::python_max(rhat::bulk_rhat(&s), rhat::tail_rhat(&s))
        })
    }

    /// The R-hat of ArviZ's `summary`: fold the unsplit draws around their median, then
    /// split. Equal to [`Self::rhat_rank`] for an even number of draws.
    pub fn summary_rhat(&self) -> f64 {
        let Some(split) = self.split_for_rhat() else {
            return f64::NAN;
        };
        let m = quantile::median(&self.pooled());
        let folded: Rows = self
            .chains
            .iter()
            .map(|c| c.iter().map(|v| (v - m).abs()).collect())
            .collect();
        let folded_refs: Vec<&[f64]> = folded.iter().map(Vec::as_slice).collect();
        let tail = rhat::basic_rhat(&rank_normalize::z_scale(&split_chains(&folded_refs)));
        rhat::python_max(rhat::bulk_rhat(&split), tail)
    }

    /// Bulk ESS: ESS of the rank-normalized split draws.
    pub fn ess_bulk(&self) -> f64 {
        self.split_if_valid()
            .map_or(f64::NAN, |s| ess::geyer_ess(&rank_normalize::z_scale(&s)))
    }

    /// Tail ESS: the smaller of the 5% and 95% quantile ESS.
    pub fn ess_tail(&self) -> f64 {
        let (lo, hi) = (self.ess_quantile(TAIL_LOW), self.ess_quantile(TAIL_HIGH));
        // numpy `min` of the two: NaN if either is NaN.
        if lo.is_nan() || hi.is_nan() {
            f64::NAN
        } else {
            lo.min(hi)
        }
    }

    /// ESS of the mean: ESS of the raw split draws.
    pub fn ess_mean(&self) -> f64 {
        self.split_if_valid()
            .map_or(f64::NAN, |s| ess::geyer_ess(&s))
    }

    fn squared_deviations(&self) -> Vec<f64> {
        let m = self.mean();
        self.pooled().iter().map(|v| (v - m) * (v - m)).collect()
    }

    /// ESS of the sd: ESS of the split squared deviations from the pooled mean.
    pub fn ess_sd(&self) -> f64 {
        let Some(_) = self.split_if_valid() else {
            return f64::NAN;
        };
        ess::geyer_ess(&self.split_rows_of(&self.squared_deviations()))
    }

    /// Splits values laid out like [`Self::pooled`].
    fn split_rows_of(&self, values: &[f64]) -> Rows {
        let rows: Vec<&[f64]> = values.chunks(self.draws.max(1)).collect();
        split_chains(&rows)
    }

    /// ESS of the `p` quantile: ESS of the split indicator x ≤ q_p.
    pub fn ess_quantile(&self, p: f64) -> f64 {
        let Some(split) = self.split_if_valid() else {
            return f64::NAN;
        };
        let q = quantile::mquantile(&quantile::sorted(&self.pooled()), p);
        ess::geyer_ess(&map_rows(&split, |v| if v <= q { 1.0 } else { 0.0 }))
    }

    /// MCSE of the mean.
    pub fn mcse_mean(&self) -> f64 {
        mcse::mcse_mean(self.sd(), self.ess_mean())
    }

    /// MCSE of the sd (delta method).
    pub fn mcse_sd(&self) -> f64 {
        let c = self.squared_deviations();
        mcse::mcse_sd(&c, self.ess_sd())
    }

    /// MCSE of the `p` quantile.
    pub fn mcse_quantile(&self, p: f64) -> f64 {
        let ess = self.ess_quantile(p);
        mcse::mcse_quantile(&quantile::sorted(&self.pooled()), p, ess)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_chains_are_an_error() {
        let a = [1.0, 2.0];
        let b = [1.0];
        let err = ChainArray::new(&[&a, &b]).unwrap_err();
        assert_eq!(err.to_string(), "chain 2 has 1 draws but chain 1 has 2");
        assert_eq!(
            ChainArray::new(&[]).unwrap_err(),
            DiagnosticsError::NoChains
        );
    }

    #[test]
    fn single_chain_has_no_rhat_but_ess() {
        let a: Vec<f64> = (0..100).map(|i| ((i * 37) % 101) as f64).collect();
        let arr = ChainArray::new(&[&a]).unwrap();
        assert!(arr.rhat_rank().is_nan());
        assert!(arr.ess_bulk() > 0.0);
    }
}
