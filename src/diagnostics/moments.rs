//! Means and variances with the conventions of numpy: `var` with a chosen ddof.

/// Arithmetic mean; NaN for an empty slice.
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Two-pass variance with `ddof` degrees of freedom removed (numpy `var(ddof=...)`);
/// NaN when there are no more values than `ddof`, as numpy returns.
pub fn variance(values: &[f64], ddof: usize) -> f64 {
    if values.len() <= ddof {
        return f64::NAN;
    }
    let m = mean(values);
    let ss: f64 = values.iter().map(|v| (v - m) * (v - m)).sum();
    ss / (values.len() as f64 - ddof as f64)
}

/// Standard deviation with one degree of freedom removed.
pub fn sd(values: &[f64]) -> f64 {
    variance(values, 1).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sample() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(mean(&x), 2.5);
        assert!((variance(&x, 1) - 5.0 / 3.0).abs() < 1e-15);
        assert_eq!(variance(&x, 0), 1.25);
        assert!(variance(&[1.0], 1).is_nan());
        assert!(mean(&[]).is_nan());
    }
}
