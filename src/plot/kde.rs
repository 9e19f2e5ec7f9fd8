//! Gaussian kernel density estimation with rule-of-thumb bandwidths (Silverman, Scott),
//! evaluated on an even grid. No boundary correction: the estimate is for unbounded
//! support and spills past hard bounds by a few bandwidths, which readers recognise.

use super::quantile::quantile_sorted;

/// Number of grid points a density curve is evaluated at.
pub const KDE_GRID_POINTS: usize = 200;
/// How far past the extreme draws the grid extends, in bandwidths (the Gaussian kernel
/// is below 1.2% of its peak beyond three standard deviations).
pub const KDE_TAIL_BANDWIDTHS: f64 = 3.0;
/// Silverman's rule: h = 0.9 · min(sd, IQR / 1.34) · n^(-1/5) (Silverman 1986,
/// "Density Estimation for Statistics and Data Analysis", eq. 3.31).
pub const SILVERMAN_FACTOR: f64 = 0.9;
/// Scott's rule: h = 1.06 · sd · n^(-1/5) (Scott 1992, "Multivariate Density
/// Estimation", normal reference rule).
pub const SCOTT_FACTOR: f64 = 1.06;
/// IQR of the standard normal, used to turn an IQR into a standard deviation.
pub const NORMAL_IQR: f64 = 1.34;
/// Bandwidth for constant draws, relative to max(|value|, 1), so the curve is a narrow
/// visible spike instead of a division by zero.
pub const DEGENERATE_BANDWIDTH: f64 = 1e-3;

/// Which rule of thumb picks the kernel bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bandwidth {
    /// Silverman's robust rule (the default: it copes with skewed and heavy-tailed draws).
    #[default]
    Silverman,
    /// Scott's normal reference rule.
    Scott,
}

/// A density evaluated on an even grid.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityCurve {
    /// Grid points, increasing.
    pub x: Vec<f64>,
    /// Estimated density at each grid point.
    pub y: Vec<f64>,
    /// The bandwidth used.
    pub bandwidth: f64,
}

/// The bandwidth `rule` gives for `values` (at least one value, all finite).
pub fn bandwidth(values: &[f64], rule: Bandwidth) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let sd = var.sqrt();
    let h = match rule {
        Bandwidth::Scott => SCOTT_FACTOR * sd * n.powf(-0.2),
        Bandwidth::Silverman => {
            let mut sorted = values.to_vec();
            sorted.sort_by(f64::total_cmp);
            let iqr = quantile_sorted(&sorted, 0.75) - quantile_sorted(&sorted, 0.25);
            let spread = if iqr > 0.0 {
                sd.min(iqr / NORMAL_IQR)
            } else {
                sd
            };
            SILVERMAN_FACTOR * spread * n.powf(-0.2)
        }
    };
    if h.is_finite() && h > 0.0 {
        h
    } else {
        DEGENERATE_BANDWIDTH * mean.abs().max(1.0)
    }
}

/// Gaussian KDE of `values` on `KDE_GRID_POINTS` points spanning the draws plus
/// `KDE_TAIL_BANDWIDTHS` bandwidths each side. `values` must be non-empty and finite.
pub fn kde(values: &[f64], rule: Bandwidth) -> DensityCurve {
    let h = bandwidth(values, rule);
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    kde_on_range(
        values,
        h,
        lo - KDE_TAIL_BANDWIDTHS * h,
        hi + KDE_TAIL_BANDWIDTHS * h,
    )
}

/// Gaussian KDE of `values` with bandwidth `h` on an even grid over `[lo, hi]`.
pub fn kde_on_range(values: &[f64], h: f64, lo: f64, hi: f64) -> DensityCurve {
    let step = (hi - lo) / (KDE_GRID_POINTS - 1) as f64;
    let norm = 1.0 / (values.len() as f64 * h * (2.0 * std::f64::consts::PI).sqrt());
    let x: Vec<f64> = (0..KDE_GRID_POINTS).map(|i| lo + step * i as f64).collect();
    let y = x
        .iter()
        .map(|&g| {
            values
                .iter()
                .map(|&v| (-0.5 * ((g - v) / h).powi(2)).exp())
                .sum::<f64>()
                * norm
        })
        .collect();
    DensityCurve { x, y, bandwidth: h }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal_like(n: usize) -> Vec<f64> {
        // Deterministic quasi-normal sample: inverse CDF of an even grid of probabilities.
        use statrs::distribution::{ContinuousCDF, Normal};
        let d = Normal::standard();
        (0..n)
            .map(|i| d.inverse_cdf((i as f64 + 0.5) / n as f64))
            .collect()
    }

    #[test]
    fn density_integrates_to_one_and_peaks_at_the_mode() {
        let v = normal_like(1000);
        let c = kde(&v, Bandwidth::Silverman);
        let step = c.x[1] - c.x[0];
        let area: f64 = c.y.iter().sum::<f64>() * step;
        assert!((area - 1.0).abs() < 0.01, "area {area}");
        let (imax, _) =
            c.y.iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .unwrap();
        assert!(c.x[imax].abs() < 0.1, "mode at {}", c.x[imax]);
        // Near the standard normal's peak density 1/sqrt(2π) ≈ 0.399, a little lower
        // because smoothing widens the curve.
        assert!((c.y[imax] - 0.399).abs() < 0.03, "peak {}", c.y[imax]);
    }

    #[test]
    fn rules_of_thumb_match_their_formulas() {
        let v = normal_like(1000);
        let n5 = 1000f64.powf(-0.2);
        let h_scott = bandwidth(&v, Bandwidth::Scott);
        assert!((h_scott - 1.06 * n5).abs() < 0.01 * h_scott, "{h_scott}");
        let h_silv = bandwidth(&v, Bandwidth::Silverman);
        assert!((h_silv - 0.9 * n5).abs() < 0.02 * h_silv, "{h_silv}");
    }

    #[test]
    fn constant_draws_get_a_narrow_spike() {
        let c = kde(&[2.0; 50], Bandwidth::Silverman);
        assert!((c.bandwidth - 2e-3).abs() < 1e-12);
        assert!(c.y.iter().all(|y| y.is_finite()));
    }
}
