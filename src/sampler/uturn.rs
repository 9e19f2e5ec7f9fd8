//! The generalized no-U-turn criterion (Betancourt 2017, as in Stan ≥ 2.21).

use super::metric::dot;

/// True while a trajectory segment with summed momentum `rho` and end velocities
/// `v_minus`, `v_plus` (`M⁻¹p` at its two ends) keeps expanding: both
/// `v_plus · rho > 0` and `v_minus · rho > 0`.
#[inline]
pub fn no_uturn(v_minus: &[f64], v_plus: &[f64], rho: &[f64]) -> bool {
    dot(v_plus, rho) > 0.0 && dot(v_minus, rho) > 0.0
}

/// [`no_uturn`] for the summed momentum `rho = a + b`, without forming the sum.
#[inline]
pub fn no_uturn_sum(v_minus: &[f64], v_plus: &[f64], a: &[f64], b: &[f64]) -> bool {
    dot(v_plus, a) + dot(v_plus, b) > 0.0 && dot(v_minus, a) + dot(v_minus, b) > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_turning_back() {
        assert!(no_uturn(&[1.0], &[1.0], &[3.0]));
        assert!(!no_uturn(&[1.0], &[-1.0], &[0.5]));
        assert!(!no_uturn(&[-1.0], &[1.0], &[0.5]));
        assert!(no_uturn_sum(&[1.0], &[1.0], &[1.0], &[2.0]));
        assert!(!no_uturn_sum(&[1.0], &[1.0], &[1.0], &[-2.0]));
    }
}
