//! Order statistics of pooled draws: type-7 quantiles, the `mquantiles` thresholds used
//! by quantile ESS, the median and the normalized median absolute deviation.

/// Median absolute deviation scale for consistency with the normal sd: 1/Φ⁻¹(3/4)
/// (scipy `median_abs_deviation(scale="normal")`, R `mad`, the `posterior` package).
pub const MAD_NORMAL_SCALE: f64 = 1.482_602_218_505_602;

/// `values` sorted ascending (total order; callers reject NaN first).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

/// Type-7 (Hyndman–Fan) quantile of an ascending sample, evaluated as numpy's
/// `method="linear"` does. NaN for an empty sample.
pub fn type7(sorted: &[f64], p: f64) -> f64 {
    let size = sorted.len();
    if size == 0 {
        return f64::NAN;
    }
    let h = (size - 1) as f64 * p;
    let j = (h.floor() as usize).min(size - 1);
    let g = h - j as f64;
    if j + 1 >= size {
        return sorted[size - 1];
    }
    let (lo, hi) = (sorted[j], sorted[j + 1]);
    if g < 0.5 {
        lo + g * (hi - lo)
    } else {
        hi - (1.0 - g) * (hi - lo)
    }
}

/// The quantile threshold of quantile ESS: scipy `mquantiles(x, p, alphap=1, betap=1)`.
pub fn mquantile(sorted: &[f64], p: f64) -> f64 {
    let size = sorted.len();
    if size < 2 {
        return sorted.first().copied().unwrap_or(f64::NAN);
    }
    let s = size as f64;
    let aleph = s * p + (1.0 - p);
    let k = aleph.clamp(1.0, s - 1.0).floor();
    let gamma = (aleph - k).clamp(0.0, 1.0);
    let k = k as usize;
    (1.0 - gamma) * sorted[k - 1] + gamma * sorted[k]
}

/// Median of an ascending sample: the middle value, or the mean of the middle two.
pub fn median_sorted(sorted: &[f64]) -> f64 {
    let size = sorted.len();
    if size == 0 {
        return f64::NAN;
    }
    if size % 2 == 1 {
        sorted[size / 2]
    } else {
        (sorted[size / 2 - 1] + sorted[size / 2]) / 2.0
    }
}

/// Median of unsorted values (NaN if any value is NaN).
pub fn median(values: &[f64]) -> f64 {
    if values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    median_sorted(&sorted(values))
}

/// Normalized median absolute deviation: `MAD_NORMAL_SCALE` · median(|x − median(x)|).
pub fn mad(values: &[f64]) -> f64 {
    let m = median(values);
    let dev: Vec<f64> = values.iter().map(|v| (v - m).abs()).collect();
    MAD_NORMAL_SCALE * median(&dev)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_numpy() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(type7(&s, 0.5), 2.5);
        assert_eq!(type7(&s, 0.0), 1.0);
        assert_eq!(type7(&s, 1.0), 4.0);
        assert!((type7(&s, 0.05) - 1.15).abs() < 1e-15);
    }

    #[test]
    fn mquantile_hits_tied_values_exactly() {
        let s = [0.0, 1.0, 1.0, 1.0, 2.0];
        assert_eq!(mquantile(&s, 0.5), 1.0);
        assert_eq!(mquantile(&[3.0, 3.0, 3.0, 3.0], 0.95), 3.0);
    }

    #[test]
    fn mad_of_symmetric_sample() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert!((mad(&[1.0, 2.0, 3.0, 4.0, 5.0]) - MAD_NORMAL_SCALE).abs() < 1e-15);
    }
}
