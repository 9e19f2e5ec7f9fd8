//! A small effective-sample-size estimator for tests and benchmarks: split chains,
//! autocorrelations combined across chains, Geyer's initial monotone sequence (Stan
//! reference manual, effective sample size), optionally on rank-normalised draws (Vehtari
//! et al. 2021, bulk ESS). The diagnostics module owns the reference implementation.

use statrs::function::erf::erf_inv;

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Halves of each chain (the odd middle draw is dropped, as Stan does).
fn split(chains: &[&[f64]]) -> Vec<Vec<f64>> {
    let mut out = Vec::with_capacity(2 * chains.len());
    for c in chains {
        let h = c.len() / 2;
        out.push(c[..h].to_vec());
        out.push(c[c.len() - h..].to_vec());
    }
    out
}

/// ESS of the given chains (no splitting, no ranking). `NaN` with fewer than 4 draws per
/// chain or zero variance.
pub fn ess_of(chains: &[Vec<f64>]) -> f64 {
    let m = chains.len();
    let n = chains.iter().map(Vec::len).min().unwrap_or(0);
    if m == 0 || n < 4 {
        return f64::NAN;
    }
    let means: Vec<f64> = chains.iter().map(|c| mean(&c[..n])).collect();
    let var_within: Vec<f64> = chains
        .iter()
        .zip(&means)
        .map(|(c, mu)| c[..n].iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (n - 1) as f64)
        .collect();
    let w = mean(&var_within);
    let grand = mean(&means);
    let b_over_n = if m > 1 {
        means
            .iter()
            .map(|mu| (mu - grand) * (mu - grand))
            .sum::<f64>()
            / (m - 1) as f64
    } else {
        0.0
    };
    let var_plus = w * (n - 1) as f64 / n as f64 + b_over_n;
    if var_plus.is_nan() || var_plus <= 0.0 {
        return f64::NAN;
    }
    // Autocovariance at lag t, averaged over chains (denominator n).
    let acov = |t: usize| -> f64 {
        chains
            .iter()
            .zip(&means)
            .map(|(c, mu)| {
                (0..n - t)
                    .map(|i| (c[i] - mu) * (c[i + t] - mu))
                    .sum::<f64>()
                    / n as f64
            })
            .sum::<f64>()
            / m as f64
    };
    let rho = |t: usize| 1.0 - (w - acov(t)) / var_plus;
    let mut sum_pairs = 0.0;
    let mut prev_pair = f64::INFINITY;
    let mut t = 0;
    while t + 1 < n {
        let pair = rho(t) + rho(t + 1);
        if pair < 0.0 {
            break;
        }
        let pair = pair.min(prev_pair);
        sum_pairs += pair;
        prev_pair = pair;
        t += 2;
    }
    let tau = (-1.0 + 2.0 * sum_pairs).max(1.0 / ((m * n) as f64).log10());
    (m * n) as f64 / tau
}

/// Split-chain ESS of the raw draws (for means).
pub fn ess(chains: &[&[f64]]) -> f64 {
    ess_of(&split(chains))
}

/// Bulk ESS: split-chain ESS of the rank-normalised draws (ranks pooled over chains,
/// mapped through the normal quantile of `(r − 3/8) / (S + 1/4)`, ties averaged).
pub fn bulk_ess(chains: &[&[f64]]) -> f64 {
    let parts = split(chains);
    let mut all: Vec<(f64, usize, usize)> = Vec::new();
    for (k, c) in parts.iter().enumerate() {
        for (i, &x) in c.iter().enumerate() {
            all.push((x, k, i));
        }
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let s = all.len() as f64;
    let mut z: Vec<Vec<f64>> = parts.iter().map(|c| vec![0.0; c.len()]).collect();
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j + 1 < all.len() && all[j + 1].0 == all[i].0 {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        let p = (rank - 0.375) / (s + 0.25);
        let q = std::f64::consts::SQRT_2 * erf_inv(2.0 * p - 1.0);
        for item in &all[i..=j] {
            z[item.1][item.2] = q;
        }
        i = j + 1;
    }
    ess_of(&z)
}

/// Monte Carlo standard error of the mean of the pooled draws.
pub fn mcse_mean(chains: &[&[f64]]) -> f64 {
    let all: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
    let mu = mean(&all);
    let var = all.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (all.len() - 1) as f64;
    (var / ess(chains)).sqrt()
}

/// Monte Carlo standard error of the pooled variance estimate (through the ESS of the
/// squared deviations).
pub fn mcse_var(chains: &[&[f64]]) -> f64 {
    let all: Vec<f64> = chains.iter().flat_map(|c| c.iter().copied()).collect();
    let mu = mean(&all);
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

    fn ar1(phi: f64, n: usize, seed: u64) -> Vec<Vec<f64>> {
        (0..4)
            .map(|c| {
                let mut rng = chain_rng(seed, c);
                let mut x = 0.0;
                (0..n)
                    .map(|_| {
                        let e: f64 = StandardNormal.sample(&mut rng);
                        x = phi * x + (1.0 - phi * phi).sqrt() * e;
                        x
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ess_matches_ar1_theory() {
        // AR(1) with φ: ESS/N = (1 − φ)/(1 + φ).
        for (phi, seed) in [(0.0, 1), (0.5, 2), (0.9, 3)] {
            let chains = ar1(phi, 5000, seed);
            let refs: Vec<&[f64]> = chains.iter().map(Vec::as_slice).collect();
            let want = 20000.0 * (1.0 - phi) / (1.0 + phi);
            let got = ess(&refs);
            assert!(
                (got / want - 1.0).abs() < 0.15,
                "phi {phi}: {got} vs {want}"
            );
            let bulk = bulk_ess(&refs);
            assert!(
                (bulk / want - 1.0).abs() < 0.15,
                "phi {phi}: bulk {bulk} vs {want}"
            );
        }
    }
}
