//! The pointwise log-likelihood matrix (observations × draws pooled over chains), read
//! from a fit's `log_lik` columns, and the relative efficiency of each observation's
//! likelihood draws.

use super::LooError;
use crate::diagnostics::ChainArray;
use crate::draws::{Draws, dotted_to_bracket};

/// Stan convention: the generated quantity holding the pointwise log-likelihood.
pub const DEFAULT_LOG_LIK_VAR: &str = "log_lik";

/// Pointwise log-likelihood draws: `values[i][s]` is `log p(y_i | θ_s)`, with the draws
/// of all chains pooled chain after chain (every chain holds `draws / chains` of them).
#[derive(Debug, Clone, PartialEq)]
pub struct LogLik {
    values: Vec<Vec<f64>>,
    chains: usize,
}

impl LogLik {
    /// Checks the shape (at least one observation and one draw, equally many draws per
    /// observation, divisible among `chains`) and that every value is a finite number.
    pub fn new(values: Vec<Vec<f64>>, chains: usize) -> Result<Self, LooError> {
        let draws = values.first().ok_or(LooError::NoObservations)?.len();
        if draws == 0 {
            return Err(LooError::NoDraws);
        }
        if chains == 0 || draws % chains != 0 {
            return Err(LooError::ChainSplit { draws, chains });
        }
        for (i, obs) in values.iter().enumerate() {
            if obs.len() != draws {
                return Err(LooError::RaggedDraws {
                    observation: i + 1,
                    len: obs.len(),
                    expected: draws,
                });
            }
            if let Some(s) = obs.iter().position(|v| !v.is_finite()) {
                return Err(LooError::NonFinite {
                    observation: i + 1,
                    draw: s + 1,
                    value: obs[s],
                });
            }
        }
        Ok(LogLik { values, chains })
    }

    /// Reads the columns of variable `var` (`var` itself if scalar, else `var.1 … var.N`
    /// in column order) from a fit, pooling the chains' kept draws.
    pub fn from_draws(draws: &Draws, var: &str) -> Result<Self, LooError> {
        let prefix = format!("{var}.");
        let columns: Vec<usize> = (0..draws.columns.len())
            .filter(|&c| draws.columns[c] == var || draws.columns[c].starts_with(&prefix))
            .collect();
        if columns.is_empty() {
            return Err(LooError::MissingVariable(var.to_string()));
        }
        let values = columns
            .iter()
            .map(|&c| draws.column(c).concat())
            .collect::<Vec<_>>();
        let chains = draws.chains.len();
        LogLik::new(values, chains).map_err(|e| match e {
            LooError::NonFinite {
                observation,
                draw,
                value,
            } => LooError::NonFiniteColumn {
                column: dotted_to_bracket(&draws.columns[columns[observation - 1]]),
                draw,
                value,
            },
            other => other,
        })
    }

    /// Number of observations.
    pub fn observations(&self) -> usize {
        self.values.len()
    }

    /// Number of draws (all chains).
    pub fn draws(&self) -> usize {
        self.values[0].len()
    }

    /// Number of chains.
    pub fn chains(&self) -> usize {
        self.chains
    }

    /// The pooled draws of observation `i` (0-based).
    pub fn observation(&self, i: usize) -> &[f64] {
        &self.values[i]
    }

    /// Relative efficiency of each observation: the ESS of the mean of its likelihood
    /// `exp(log_lik)` over its chains, divided by the number of draws (as R `loo`'s
    /// `relative_eff`, with hazel's split-chain ESS). A likelihood constant over the
    /// draws, whose ESS is undefined, gets 1.
    pub fn relative_efficiency(&self) -> Vec<f64> {
        let per_chain = self.draws() / self.chains;
        self.values
            .iter()
            .map(|obs| {
                let max = obs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let lik: Vec<f64> = obs.iter().map(|v| (v - max).exp()).collect();
                let slices: Vec<&[f64]> = lik.chunks(per_chain).collect();
                let r =
                    ChainArray::new(&slices).map_or(f64::NAN, |a| a.ess_mean() / obs.len() as f64);
                if r.is_finite() && r > 0.0 { r } else { 1.0 }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::ChainDraws;

    fn fit() -> Draws {
        let chain = |offset: f64| ChainDraws {
            draws: vec![
                vec![0.0, 0.0, 0.0],
                vec![-1.0 + offset, -2.0, -3.0],
                vec![-4.0, -5.0, -6.0 + offset],
                vec![9.0; 3],
            ],
            ..Default::default()
        };
        Draws {
            columns: ["lp__", "log_lik.1", "log_lik.2", "mu"]
                .map(String::from)
                .to_vec(),
            chains: vec![chain(0.0), chain(0.5)],
        }
    }

    #[test]
    fn reads_dotted_columns_and_pools_chains() {
        let ll = LogLik::from_draws(&fit(), DEFAULT_LOG_LIK_VAR).unwrap();
        assert_eq!((ll.observations(), ll.draws(), ll.chains()), (2, 6, 2));
        assert_eq!(ll.observation(0), &[-1.0, -2.0, -3.0, -0.5, -2.0, -3.0]);
        assert_eq!(ll.observation(1), &[-4.0, -5.0, -6.0, -4.0, -5.0, -5.5]);
        assert_eq!(LogLik::from_draws(&fit(), "mu").unwrap().observations(), 1);
    }

    #[test]
    fn errors_name_the_problem() {
        let err = LogLik::from_draws(&fit(), "loglik").unwrap_err();
        assert!(matches!(&err, LooError::MissingVariable(v) if v == "loglik"));
        let mut bad = fit();
        bad.chains[1].draws[2][1] = f64::NAN;
        let err = LogLik::from_draws(&bad, "log_lik").unwrap_err();
        assert!(err.to_string().contains("log_lik[2]"), "{err}");
        assert!(matches!(
            LogLik::new(vec![vec![0.0; 3], vec![0.0; 2]], 1),
            Err(LooError::RaggedDraws { observation: 2, .. })
        ));
        assert!(matches!(
            LogLik::new(vec![vec![0.0; 3]], 2),
            Err(LooError::ChainSplit { .. })
        ));
        assert!(matches!(
            LogLik::new(vec![], 1),
            Err(LooError::NoObservations)
        ));
    }

    #[test]
    fn independent_draws_have_relative_efficiency_near_one() {
        use crate::rng::chain_rng;
        use rand::RngExt;
        let mut rng = chain_rng(5, 0);
        let obs: Vec<f64> = (0..2000).map(|_| -rng.random::<f64>()).collect();
        let ll = LogLik::new(vec![obs, vec![-1.0; 2000]], 4).unwrap();
        let r = ll.relative_efficiency();
        // ESS of 2000 independent draws: sd of r_eff ≈ 0.05 at this size.
        assert!((r[0] - 1.0).abs() < 0.15, "{}", r[0]);
        assert_eq!(r[1], 1.0);
    }

    #[test]
    fn autocorrelated_draws_have_low_relative_efficiency() {
        use crate::rng::chain_rng;
        use rand::RngExt;
        // AR(1) chains with ρ = 0.9 and a small amplitude, so exp(log_lik) is nearly
        // linear in the chain: r_eff ≈ (1 − ρ)/(1 + ρ) ≈ 0.053. The ESS estimate of
        // 4 × 1000 draws has a relative sd near 15%; the band is ±50%.
        let rho: f64 = 0.9;
        let mut values = Vec::new();
        for chain in 0..4 {
            let mut rng = chain_rng(17, chain);
            let mut x = 0.0;
            for _ in 0..1000 {
                let u: f64 = rng.random::<f64>() - 0.5;
                x = rho * x + u;
                values.push(0.01 * x);
            }
        }
        let r = LogLik::new(vec![values], 4).unwrap().relative_efficiency()[0];
        let expected = (1.0 - rho) / (1.0 + rho);
        assert!(
            (r / expected - 1.0).abs() < 0.5,
            "r_eff {r}, expected ≈ {expected}"
        );
    }
}
