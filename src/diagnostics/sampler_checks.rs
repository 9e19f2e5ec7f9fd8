//! Sampler diagnostics from the sampler columns of a [`Draws`]: divergent transitions,
//! transitions that hit the maximum tree depth, and the energy Bayesian fraction of
//! missing information (E-BFMI, Betancourt 2016, "Diagnosing suboptimal cotangent
//! disintegrations in Hamiltonian Monte Carlo").

use crate::draws::Draws;

/// What the sampler columns say about a fit (post-warmup draws only).
#[derive(Debug, Clone, PartialEq)]
pub struct SamplerDiagnostics {
    /// Post-warmup draws over all chains: the denominator of every share.
    pub total_draws: usize,
    /// Divergent transitions, when `divergent__` is present.
    pub divergences: Option<usize>,
    /// The maximum tree depth the run used, when known.
    pub max_depth: Option<u32>,
    /// Transitions with `treedepth__ >= max_depth`, when both are known.
    pub treedepth_hits: Option<usize>,
    /// E-BFMI of each chain, when `energy__` is present (chain order).
    pub ebfmi: Vec<f64>,
}

impl SamplerDiagnostics {
    /// Share of post-warmup draws that diverged (0 when there are no draws).
    pub fn divergence_share(&self) -> Option<f64> {
        self.divergences.map(|d| share(d, self.total_draws))
    }

    /// Share of post-warmup draws that hit the maximum tree depth.
    pub fn treedepth_share(&self) -> Option<f64> {
        self.treedepth_hits.map(|d| share(d, self.total_draws))
    }
}

fn share(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 / total as f64
    }
}

/// E-BFMI of one chain's energies: mean squared successive difference over the variance
/// (ddof = 0), as ArviZ `bfmi` computes it. NaN with fewer than two draws.
pub fn ebfmi(energy: &[f64]) -> f64 {
    if energy.len() < 2 {
        return f64::NAN;
    }
    let n = energy.len() as f64;
    let num = energy
        .windows(2)
        .map(|w| (w[1] - w[0]) * (w[1] - w[0]))
        .sum::<f64>()
        / (n - 1.0);
    let mean = energy.iter().sum::<f64>() / n;
    let den = energy.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / n;
    num / den
}

/// Counts divergences and tree-depth hits and computes E-BFMI per chain.
/// `max_depth` is the run's maximum tree depth (Stan's `max_depth`), if known.
pub fn sampler_diagnostics(draws: &Draws, max_depth: Option<u32>) -> SamplerDiagnostics {
    let total_draws = draws.chains.iter().map(|c| c.num_draws()).sum();
    let count = |column: &str, hit: &dyn Fn(f64) -> bool| {
        draws.column_index(column).map(|i| {
            draws
                .column(i)
                .iter()
                .map(|c| c.iter().filter(|&&v| hit(v)).count())
                .sum()
        })
    };
    let divergences = count("divergent__", &|v| v != 0.0);
    let treedepth_hits = max_depth.and_then(|m| count("treedepth__", &|v| v >= f64::from(m)));
    let ebfmi = draws
        .column_index("energy__")
        .map(|i| draws.column(i).into_iter().map(ebfmi).collect())
        .unwrap_or_default();
    SamplerDiagnostics {
        total_draws,
        divergences,
        max_depth,
        treedepth_hits,
        ebfmi,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draws::ChainDraws;

    #[test]
    fn counts_and_ebfmi() {
        let columns = vec![
            "treedepth__".into(),
            "divergent__".into(),
            "energy__".into(),
        ];
        let chain = ChainDraws {
            draws: vec![
                vec![3.0, 10.0, 10.0, 2.0],
                vec![0.0, 1.0, 0.0, 0.0],
                vec![1.0, 2.0, 1.0, 2.0],
            ],
            ..Default::default()
        };
        let draws = Draws {
            columns,
            chains: vec![chain.clone(), chain],
        };
        let d = sampler_diagnostics(&draws, Some(10));
        assert_eq!(d.total_draws, 8);
        assert_eq!(d.divergences, Some(2));
        assert_eq!(d.treedepth_hits, Some(4));
        assert_eq!(d.divergence_share(), Some(0.25));
        // Squared steps all 1 (mean 1), variance 0.25.
        assert_eq!(d.ebfmi, vec![4.0, 4.0]);
        assert_eq!(sampler_diagnostics(&draws, None).treedepth_hits, None);
    }
}
