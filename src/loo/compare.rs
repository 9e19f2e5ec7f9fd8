//! Comparing models by PSIS-LOO: the elpd difference to the best model with the standard
//! error of the paired pointwise differences, and pseudo-BMA and stacking weights
//! (Yao, Vehtari, Simpson, Gelman 2018).

use super::LooError;
use super::elpd::{LooResult, sum_se};

/// Stacking weights are found by EM on the mixture likelihood; iteration stops when no
/// weight moves by more than this.
const STACKING_TOLERANCE: f64 = 1e-10;

/// Upper bound on EM iterations for the stacking weights.
const STACKING_MAX_ITERATIONS: usize = 100_000;

/// One model's row of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonRow {
    /// The model's name as given.
    pub name: String,
    /// 0 for the best model (highest elpd_loo), then 1, 2, …
    pub rank: usize,
    /// The model's elpd_loo.
    pub elpd_loo: f64,
    /// The model's SE of elpd_loo.
    pub se: f64,
    /// The model's p_loo.
    pub p_loo: f64,
    /// `elpd_loo(best) − elpd_loo(this)` (≥ 0).
    pub elpd_diff: f64,
    /// Standard error of the difference, from the paired pointwise differences.
    pub diff_se: f64,
    /// Pseudo-BMA weight `∝ exp(elpd_loo)`.
    pub pseudo_bma_weight: f64,
    /// Stacking weight: maximizes the leave-one-out log score of the mixture.
    pub stacking_weight: f64,
    /// True when some k-hat of the model is above its good threshold.
    pub warning: bool,
}

/// Compares models fitted to the same observations; rows sorted best first.
pub fn compare(models: &[(&str, &LooResult)]) -> Result<Vec<ComparisonRow>, LooError> {
    let first = models.first().ok_or(LooError::NoModels)?;
    let n = first.1.observations();
    if let Some((name, r)) = models.iter().find(|(_, r)| r.observations() != n) {
        return Err(LooError::ObservationMismatch {
            model: name.to_string(),
            observations: r.observations(),
            first: first.0.to_string(),
            expected: n,
        });
    }
    let mut order: Vec<usize> = (0..models.len()).collect();
    order.sort_by(|&a, &b| models[b].1.elpd_loo.total_cmp(&models[a].1.elpd_loo));
    let best = models[order[0]].1;
    let best_points = best.elpd_pointwise();

    let max_elpd = best.elpd_loo;
    let pseudo: Vec<f64> = models
        .iter()
        .map(|(_, r)| (r.elpd_loo - max_elpd).exp())
        .collect();
    let pseudo_total: f64 = pseudo.iter().sum();
    let pointwise: Vec<Vec<f64>> = models.iter().map(|(_, r)| r.elpd_pointwise()).collect();
    let stacking = stacking_weights(&pointwise);

    Ok(order
        .iter()
        .enumerate()
        .map(|(rank, &m)| {
            let (name, r) = models[m];
            let diff: Vec<f64> = best_points
                .iter()
                .zip(&pointwise[m])
                .map(|(b, x)| b - x)
                .collect();
            ComparisonRow {
                name: name.to_string(),
                rank,
                elpd_loo: r.elpd_loo,
                se: r.se,
                p_loo: r.p_loo,
                elpd_diff: diff.iter().sum(),
                diff_se: sum_se(&diff),
                pseudo_bma_weight: pseudo[m] / pseudo_total,
                stacking_weight: stacking[m],
                warning: r.bands.bad + r.bands.very_bad > 0,
            }
        })
        .collect())
}

/// Stacking weights of models with pointwise elpd `elpd[k][i]`: the point of the simplex
/// maximizing `Σ_i log Σ_k w_k exp(elpd[k][i])`, found by EM (the objective is a mixture
/// log-likelihood with fixed components, so each EM step increases it).
pub fn stacking_weights(elpd: &[Vec<f64>]) -> Vec<f64> {
    let k = elpd.len();
    let n = elpd.first().map_or(0, Vec::len);
    if k == 0 || n == 0 {
        return vec![1.0 / k.max(1) as f64; k];
    }
    // Densities scaled per observation (the scale cancels in the EM responsibilities).
    let dens: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let max = (0..k).map(|m| elpd[m][i]).fold(f64::NEG_INFINITY, f64::max);
            (0..k).map(|m| (elpd[m][i] - max).exp()).collect()
        })
        .collect();
    let mut w = vec![1.0 / k as f64; k];
    for _ in 0..STACKING_MAX_ITERATIONS {
        let mut next = vec![0.0; k];
        for row in &dens {
            let mix: f64 = row.iter().zip(&w).map(|(d, wm)| d * wm).sum();
            for m in 0..k {
                next[m] += w[m] * row[m] / mix / n as f64;
            }
        }
        let moved = next
            .iter()
            .zip(&w)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        w = next;
        if moved < STACKING_TOLERANCE {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loo::elpd::Pointwise;
    use crate::loo::khat::ParetoBands;

    fn result(points: &[f64]) -> LooResult {
        let pointwise: Vec<Pointwise> = points
            .iter()
            .map(|&e| Pointwise {
                elpd_loo: e,
                lppd: e,
                p_loo: 0.0,
                k_hat: 0.1,
            })
            .collect();
        LooResult {
            elpd_loo: points.iter().sum(),
            se: sum_se(points),
            p_loo: 0.0,
            p_loo_se: 0.0,
            lppd: points.iter().sum(),
            draws: 100,
            bands: ParetoBands::count(&[0.1; 4], 100),
            pointwise,
        }
    }

    #[test]
    fn difference_and_its_se_by_hand() {
        let a = result(&[-1.0, -2.0, -1.0, -2.0]); // −6
        let b = result(&[-2.0, -2.0, -2.0, -4.0]); // −10
        let rows = compare(&[("b", &b), ("a", &a)]).unwrap();
        assert_eq!(rows[0].name, "a");
        assert_eq!((rows[0].rank, rows[1].rank), (0, 1));
        assert_eq!(rows[0].elpd_diff, 0.0);
        assert_eq!(rows[0].diff_se, 0.0);
        // Differences a − b: {1, 0, 1, 2}: sum 4, mean 1, population variance 0.5,
        // SE = √(4 · 0.5) = √2.
        assert!((rows[1].elpd_diff - 4.0).abs() < 1e-12);
        assert!((rows[1].diff_se - 2f64.sqrt()).abs() < 1e-12);
        let e4 = 4f64.exp();
        assert!((rows[0].pseudo_bma_weight - e4 / (1.0 + e4)).abs() < 1e-12);
        // a dominates b at every point, so stacking puts (almost) all weight on it.
        assert!(rows[0].stacking_weight > 0.999);
    }

    #[test]
    fn stacking_mixes_complementary_models() {
        // Each model is better on half the points, symmetrically: weights 1/2 each.
        let a = vec![-1.0, -3.0, -1.0, -3.0];
        let b = vec![-3.0, -1.0, -3.0, -1.0];
        let w = stacking_weights(&[a, b]);
        assert!((w[0] - 0.5).abs() < 1e-9 && (w[1] - 0.5).abs() < 1e-9);
    }

    #[test]
    fn mismatched_observations_are_an_error() {
        let a = result(&[-1.0, -2.0]);
        let b = result(&[-1.0]);
        let err = compare(&[("a", &a), ("b", &b)]).unwrap_err();
        assert!(err.to_string().contains("`b`"), "{err}");
        assert!(matches!(compare(&[]), Err(LooError::NoModels)));
    }
}
