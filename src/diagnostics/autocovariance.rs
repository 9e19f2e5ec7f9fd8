//! Multi-chain autocorrelation ρ(t) of a (chains × draws) array, as in Stan and
//! Vehtari et al. (2021, eq. 10): within-chain autocovariances combined with the
//! between-chain variance of the means.
//!
//! The autocovariances of every row come from one FFT each ([`super::fft`]), as in
//! ArviZ, so a slowly mixing array costs O(n log n) rather than O(n²).

use super::fft::plan_for;
use super::moments::{mean, variance};
use super::split::Rows;

/// ρ(t) of one (rows × draws) array.
pub struct Autocorrelation {
    /// Mean over rows of the biased autocovariance at each lag.
    mean_acov: Vec<f64>,
    n: usize,
    mean_var: f64,
    var_plus: f64,
}

impl Autocorrelation {
    /// Prepares the array `rows` (K rows of n ≥ 2 draws).
    pub fn new(rows: &Rows) -> Self {
        let n = rows.first().map_or(0, Vec::len);
        let means: Vec<f64> = rows.iter().map(|r| mean(r)).collect();
        let fft = plan_for(n);
        let mut mean_acov = vec![0.0; n];
        for (r, m) in rows.iter().zip(&means) {
            let centered: Vec<f64> = r.iter().map(|v| v - m).collect();
            for (total, g) in mean_acov.iter_mut().zip(fft.autocovariance(&centered)) {
                *total += g;
            }
        }
        let k = rows.len() as f64;
        mean_acov.iter_mut().for_each(|g| *g /= k);
        let nf = n as f64;
        let mean_var = mean_acov.first().copied().unwrap_or(f64::NAN) * nf / (nf - 1.0);
        let mut var_plus = mean_var * (nf - 1.0) / nf;
        if rows.len() > 1 {
            var_plus += variance(&means, 1);
        }
        Autocorrelation {
            mean_acov,
            n,
            mean_var,
            var_plus,
        }
    }

    /// Draws per row.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.n
    }

    /// ρ(t) = 1 − (mean_var − mean γ(t)) / var_plus.
    pub fn rho(&self, lag: usize) -> f64 {
        1.0 - (self.mean_var - self.mean_acov[lag]) / self.var_plus
    }
}
