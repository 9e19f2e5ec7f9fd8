//! Checks of sampled moments against known values, in units of Monte Carlo standard error.

use super::ess::{mcse_mean, mcse_var};
use crate::draws::Draws;

/// The kept draws of the column named `name` (`x.3` or `x[3]`), one slice per chain.
pub fn column<'a>(draws: &'a Draws, name: &str) -> Vec<&'a [f64]> {
    let i = draws
        .column_index(name)
        .unwrap_or_else(|| panic!("no column {name}"));
    draws.column(i)
}

fn pooled(chains: &[&[f64]]) -> Vec<f64> {
    chains.iter().flat_map(|c| c.iter().copied()).collect()
}

/// `(estimate − truth) / MCSE` for the mean.
pub fn mean_z(chains: &[&[f64]], truth: f64) -> f64 {
    let all = pooled(chains);
    let m = all.iter().sum::<f64>() / all.len() as f64;
    (m - truth) / mcse_mean(chains)
}

/// `(estimate − truth) / MCSE` for the variance.
pub fn var_z(chains: &[&[f64]], truth: f64) -> f64 {
    let all = pooled(chains);
    let n = all.len() as f64;
    let m = all.iter().sum::<f64>() / n;
    let v = all.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (v - truth) / mcse_var(chains)
}

/// The sum of a sampler column (e.g. `divergent__`, `n_leapfrog__`) over all kept draws.
pub fn column_sum(draws: &Draws, name: &str) -> f64 {
    column(draws, name).iter().flat_map(|c| c.iter()).sum()
}
