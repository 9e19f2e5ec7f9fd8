//! Sample quantiles by linear interpolation between order statistics (Hyndman & Fan
//! 1996, definition 7: the default of R and NumPy), and interval summaries built on them.

/// The `p` quantile (0 ≤ p ≤ 1) of already sorted, non-empty `sorted`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Median and central intervals of a set of draws, as a forest row shows them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalSummary {
    /// The median.
    pub median: f64,
    /// Inner (50%) central interval.
    pub inner: (f64, f64),
    /// Outer (90%) central interval.
    pub outer: (f64, f64),
}

/// Median and central intervals with probability mass `inner` and `outer` of `values`
/// (non-empty, finite).
pub fn interval_summary(values: &[f64], inner: f64, outer: f64) -> IntervalSummary {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let central = |mass: f64| {
        let tail = (1.0 - mass) / 2.0;
        (
            quantile_sorted(&sorted, tail),
            quantile_sorted(&sorted, 1.0 - tail),
        )
    };
    IntervalSummary {
        median: quantile_sorted(&sorted, 0.5),
        inner: central(inner),
        outer: central(outer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_between_order_statistics() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&s, 0.0), 1.0);
        assert_eq!(quantile_sorted(&s, 1.0), 4.0);
        assert_eq!(quantile_sorted(&s, 0.5), 2.5);
        assert!((quantile_sorted(&s, 0.25) - 1.75).abs() < 1e-12);
    }

    #[test]
    fn intervals_nest_around_the_median() {
        let v: Vec<f64> = (0..101).rev().map(f64::from).collect();
        let s = interval_summary(&v, 0.5, 0.9);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(s.median, 50.0));
        assert!(close(s.inner.0, 25.0) && close(s.inner.1, 75.0), "{s:?}");
        assert!(close(s.outer.0, 5.0) && close(s.outer.1, 95.0), "{s:?}");
    }
}
