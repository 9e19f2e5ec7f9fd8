//! Pareto smoothed importance sampling of one vector of log importance ratios: the largest
//! ratios are replaced by expected order statistics of a generalized Pareto fit, whose
//! shape k-hat is the reliability diagnostic (Vehtari, Simpson, Gelman, Yao, Gabry 2024).

use super::gpd::{fit_gpd, gpd_quantile};

/// Vehtari et al. (2024), section 3: the tail holds the largest
/// `M = ⌈min(S / TAIL_FRACTION_DIVISOR, TAIL_SQRT_FACTOR · √(S / r_eff))⌉` ratios.
const TAIL_FRACTION_DIVISOR: f64 = 5.0;

/// See [`TAIL_FRACTION_DIVISOR`].
const TAIL_SQRT_FACTOR: f64 = 3.0;

/// Fewer tail values than this leave k-hat undefined (reported as +∞, no smoothing), as
/// in the `loo` and ArviZ implementations.
const MIN_TAIL: usize = 5;

/// Smoothed, self-normalized log weights and the Pareto shape estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Psis {
    /// Log weights, normalized so that their exponentials sum to 1.
    pub log_weights: Vec<f64>,
    /// Estimated Pareto shape of the ratios' right tail (+∞ when it could not be fitted).
    pub k_hat: f64,
}

/// Number of largest ratios in the tail for `s` draws with relative efficiency `r_eff`.
pub fn tail_length(s: usize, r_eff: f64) -> usize {
    let sf = s as f64;
    (sf / TAIL_FRACTION_DIVISOR)
        .min(TAIL_SQRT_FACTOR * (sf / r_eff).sqrt())
        .ceil() as usize
}

/// `log Σ exp(x)`, stable for large magnitudes; −∞ for an empty slice.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + x.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// Pareto-smooths the log importance ratios `log_ratios` (finite values). An empty slice
/// gives no weights and an undefined (+∞) k-hat.
pub fn psis(log_ratios: &[f64], r_eff: f64) -> Psis {
    let s = log_ratios.len();
    if s == 0 {
        return Psis {
            log_weights: Vec::new(),
            k_hat: f64::INFINITY,
        };
    }
    let max = log_ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut x: Vec<f64> = log_ratios.iter().map(|v| v - max).collect();
    let mut order: Vec<usize> = (0..s).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));

    // The cutoff is the largest ratio below the tail, floored at the smallest positive
    // double so that exp(cutoff) stays representable.
    let m = tail_length(s, r_eff).min(s - 1);
    let cutoff = x[order[s - 1 - m]].max(f64::MIN_POSITIVE.ln());
    let exp_cutoff = cutoff.exp();
    // Strictly above the cutoff, in ascending order (ties at the cutoff stay in the body).
    let tail: Vec<usize> = order.iter().copied().filter(|&i| x[i] > cutoff).collect();

    let mut k_hat = f64::INFINITY;
    if tail.len() >= MIN_TAIL {
        let exceed: Vec<f64> = tail.iter().map(|&i| x[i].exp() - exp_cutoff).collect();
        if let Some(fit) = fit_gpd(&exceed) {
            k_hat = fit.k;
            let len = tail.len() as f64;
            for (j, &i) in tail.iter().enumerate() {
                let p = (j as f64 + 0.5) / len;
                // Never above the largest raw ratio (which is exp(0) = 1 after the shift).
                x[i] = (gpd_quantile(p, fit) + exp_cutoff).ln().min(0.0);
            }
        }
    }
    let total = log_sum_exp(&x);
    for v in &mut x {
        *v -= total;
    }
    Psis {
        log_weights: x,
        k_hat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chain_rng;
    use rand::RngExt;

    #[test]
    fn tail_length_follows_the_paper() {
        assert_eq!(tail_length(1000, 1.0), 95); // 3·√1000 = 94.87
        assert_eq!(tail_length(100, 1.0), 20); // S/5 wins
        assert_eq!(tail_length(1000, 0.25), 190); // 3·√4000 = 189.7
    }

    #[test]
    fn smoothing_keeps_the_order_and_normalizes() {
        let mut rng = chain_rng(11, 0);
        // Log ratios of a heavy-tailed importance problem.
        let lr: Vec<f64> = (0..1000)
            .map(|_| 2.0 * (-(rng.random::<f64>().max(1e-300)).ln()).ln_1p())
            .collect();
        let out = psis(&lr, 1.0);
        assert!(out.k_hat.is_finite());
        assert!((log_sum_exp(&out.log_weights)).abs() < 1e-12);
        for a in 0..lr.len() {
            for b in 0..lr.len() {
                if lr[a] < lr[b] {
                    assert!(out.log_weights[a] <= out.log_weights[b], "order broken");
                }
            }
        }
        // The body is untouched: differences below the cutoff are preserved.
        let mut sorted: Vec<usize> = (0..lr.len()).collect();
        sorted.sort_by(|&a, &b| lr[a].total_cmp(&lr[b]));
        let (i, j) = (sorted[0], sorted[500]);
        let d_raw = lr[j] - lr[i];
        let d_out = out.log_weights[j] - out.log_weights[i];
        assert!((d_raw - d_out).abs() < 1e-12);
    }

    #[test]
    fn short_tails_are_not_smoothed() {
        let lr = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        let out = psis(&lr, 1.0); // tail of 2 values
        assert_eq!(out.k_hat, f64::INFINITY);
        let direct = log_sum_exp(&lr);
        for (w, r) in out.log_weights.iter().zip(lr) {
            assert!((w - (r - direct)).abs() < 1e-12);
        }
        let constant = psis(&[1.0; 100], 1.0);
        assert_eq!(constant.k_hat, f64::INFINITY);
        assert!(psis(&[], 1.0).log_weights.is_empty());
    }
}
