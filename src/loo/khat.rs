//! Pareto k-hat diagnostic bands: the sample-size-dependent threshold of Vehtari, Simpson,
//! Gelman, Yao and Gabry (2024) and the count of observations in each band.

/// Vehtari et al. (2024), section 3.2.4: k-hat above `min(1 − 1/log10(S), 0.7)` makes the
/// PSIS estimate unreliable for S draws; this is the upper cap.
pub const KHAT_THRESHOLD_CAP: f64 = 0.7;

/// Vehtari et al. (2024): k-hat above 1 means the ratios have no finite mean, so even the
/// plain importance sampling estimate is not consistent.
pub const KHAT_VERY_BAD: f64 = 1.0;

/// The sample-size-dependent good-k threshold `min(1 − 1/log10(S), 0.7)`.
pub fn khat_threshold(draws: usize) -> f64 {
    (1.0 - 1.0 / (draws as f64).log10()).min(KHAT_THRESHOLD_CAP)
}

/// Counts of observations in each k-hat band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParetoBands {
    /// The good-k threshold for this number of draws.
    pub threshold: f64,
    /// k-hat ≤ threshold: the estimate is reliable.
    pub good: usize,
    /// threshold < k-hat ≤ 1: unreliable.
    pub bad: usize,
    /// k-hat > 1 (or undefined): unusable.
    pub very_bad: usize,
}

impl ParetoBands {
    /// Sorts `k_hats` into bands for `draws` draws. NaN counts as very bad.
    pub fn count(k_hats: &[f64], draws: usize) -> Self {
        let threshold = khat_threshold(draws);
        let mut bands = ParetoBands {
            threshold,
            good: 0,
            bad: 0,
            very_bad: 0,
        };
        for &k in k_hats {
            if k <= threshold {
                bands.good += 1;
            } else if k <= KHAT_VERY_BAD {
                bands.bad += 1;
            } else {
                bands.very_bad += 1;
            }
        }
        bands
    }

    /// Warnings for the bands above the threshold (empty when all k-hat are good).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.bad > 0 {
            out.push(format!(
                "{} observation(s) with Pareto k-hat in ({:.2}, 1]: their PSIS-LOO estimates \
                 are unreliable; consider more draws, moment matching or exact LOO for them",
                self.bad, self.threshold
            ));
        }
        if self.very_bad > 0 {
            out.push(format!(
                "{} observation(s) with Pareto k-hat > 1: their PSIS-LOO estimates are \
                 unusable; refit without them (exact LOO) or use K-fold cross-validation",
                self.very_bad
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_depends_on_draws() {
        assert!((khat_threshold(100) - 0.5).abs() < 1e-12);
        assert!((khat_threshold(1000) - (1.0 - 1.0 / 3.0)).abs() < 1e-12);
        assert_eq!(khat_threshold(4000), 0.7);
    }

    #[test]
    fn counts_each_band() {
        let b = ParetoBands::count(&[0.1, 0.5, 0.6, 1.0, 1.2, f64::INFINITY, f64::NAN], 100);
        assert_eq!((b.good, b.bad, b.very_bad), (2, 2, 3));
        assert_eq!(b.warnings().len(), 2);
        assert!(ParetoBands::count(&[0.1], 100).warnings().is_empty());
    }
}
