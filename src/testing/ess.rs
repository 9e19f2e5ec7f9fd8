//! Effective sample size and Monte Carlo standard errors for sampler tests and benchmarks,
//! as thin wrappers over the reference implementation in [`crate::diagnostics`] (which
//! matches ArviZ number for number), so tests and benches judge the sampler with the same
//! estimator users see in the summary.

use crate::diagnostics::ChainArray;

fn array<'a>(chains: &[&'a [f64]]) -> Option<ChainArray<'a>> {
    ChainArray::new(chains).ok()
}

/// Split-chain ESS of the mean (no rank normalisation); `NaN` when undefined.
pub fn ess(chains: &[&[f64]]) -> f64 {
    array(chains).map_or(f64::NAN, |a| a.ess_mean())
}

/// Bulk ESS: split-chain ESS of the rank-normalised draws (Vehtari et al. 2021).
pub fn bulk_ess(chains: &[&[f64]]) -> f64 {
    array(chains).map_or(f64::NAN, |a| a.ess_bulk())
}

/// Monte Carlo standard error of the pooled mean.
pub fn mcse_mean(chains: &[&[f64]]) -> f64 {
    array(chains).map_or(f64::NAN, |a| a.mcse_mean())
}

/// Monte Carlo standard error of the pooled variance estimate: the MCSE of the mean of
/// the squared deviations from the pooled mean.
pub fn mcse_var(chains: &[&[f64]]) -> f64 {
    let n: usize = chains.iter().map(|c| c.len()).sum();
    let mu = chains.iter().flat_map(|c| c.iter()).sum::<f64>() / n as f64;
    let sq: Vec<Vec<f64>> = chains
        .iter()
        .map(|c| c.iter().map(|x| (x - mu) * (x - mu)).collect())
        .collect();
    let refs: Vec<&[f64]> = sq.iter().map(Vec::as_slice).collect();
    mcse_mean(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chain_rng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn iid_draws_have_ess_near_the_draw_count_and_ar1_far_below() {
        let mut iid = Vec::new();
        let mut ar = Vec::new();
        for c in 0..4 {
            let mut rng = chain_rng(11, c);
            let z: Vec<f64> = (0..1000).map(|_| StandardNormal.sample(&mut rng)).collect();
            let mut x = 0.0;
            ar.push(
                z.iter()
                    .map(|e| {
                        x = 0.9 * x + e;
                        x
                    })
                    .collect::<Vec<f64>>(),
            );
            iid.push(z);
        }
        let iid: Vec<&[f64]> = iid.iter().map(Vec::as_slice).collect();
        let ar: Vec<&[f64]> = ar.iter().map(Vec::as_slice).collect();
        let e = bulk_ess(&iid);
        assert!((3400.0..4600.0).contains(&e), "{e}");
        // AR(1) with phi = 0.9: ESS ≈ N (1 − φ)/(1 + φ) ≈ 210.
        let e = ess(&ar);
        assert!((140.0..300.0).contains(&e), "{e}");
        assert!(mcse_var(&iid) > 0.0 && mcse_mean(&iid) > 0.0);
    }
}
