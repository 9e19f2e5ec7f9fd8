//! The standard normal CDF family: Φ, log Φ (accurate deep in the lower tail), Φ⁻¹ and
//! the logistic approximation Phi_approx, with derivatives.

use statrs::function::erf;

/// `log(sqrt(2π))`.
pub const LOG_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Below this argument `erfc` underflows relative precision and log Φ switches to the
/// asymptotic expansion of the Mills ratio (Abramowitz & Stegun 26.2.12).
const LOG_PHI_ASYMPTOTIC_BELOW: f64 = -37.5;

/// The coefficients of Stan's `Phi_approx`: `inv_logit(0.07056 x³ + 1.5976 x)`
/// (Stan functions reference, "Phi_approx"; Bowling et al. 2009).
pub const PHI_APPROX_CUBIC: f64 = 0.07056;
/// Linear coefficient of `Phi_approx`, see [`PHI_APPROX_CUBIC`].
pub const PHI_APPROX_LINEAR: f64 = 1.5976;

/// The standard normal density φ(x).
pub fn std_normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x - LOG_SQRT_2PI).exp()
}

/// Φ(x) = ½ erfc(-x/√2).
pub fn phi(x: f64) -> f64 {
    0.5 * erf::erfc(-x * std::f64::consts::FRAC_1_SQRT_2)
}

/// log Φ(x), accurate for every finite x (no underflow to -inf in the lower tail).
pub fn log_phi(x: f64) -> f64 {
    if x >= LOG_PHI_ASYMPTOTIC_BELOW {
        return phi(x).ln();
    }
    // Φ(x) = φ(x)/(-x) · (1 - 1/x² + 3/x⁴ - 15/x⁶ + 105/x⁸ - ...)
    let r = 1.0 / (x * x);
    let series = 1.0 - r * (1.0 - r * (3.0 - r * (15.0 - r * 105.0)));
    -0.5 * x * x - LOG_SQRT_2PI - (-x).ln() + series.ln()
}

/// d/dx log Φ(x) = φ(x)/Φ(x), computed on the log scale so it stays finite in the tail.
pub fn log_phi_deriv(x: f64) -> f64 {
    (-0.5 * x * x - LOG_SQRT_2PI - log_phi(x)).exp()
}

/// Φ⁻¹(p) for p in [0, 1] (NaN outside), via statrs' inverse complementary error function.
pub fn inv_phi(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    -std::f64::consts::SQRT_2 * erf::erfc_inv(2.0 * p)
}

/// Stan's `Phi_approx(x) = inv_logit(0.07056 x³ + 1.5976 x)`.
pub fn phi_approx(x: f64) -> f64 {
    super::special::inv_logit(PHI_APPROX_CUBIC * x * x * x + PHI_APPROX_LINEAR * x)
}

/// Derivative of [`phi_approx`] given its value `y`.
pub fn phi_approx_deriv(x: f64, y: f64) -> f64 {
    y * (1.0 - y) * (3.0 * PHI_APPROX_CUBIC * x * x + PHI_APPROX_LINEAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_and_its_inverse_agree_with_statrs_and_each_other() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let n = Normal::standard();
        for &x in &[-6.0, -1.3, 0.0, 0.4, 2.5] {
            assert!((phi(x) - n.cdf(x)).abs() < 1e-15);
            assert!((inv_phi(phi(x)) - x).abs() < 1e-9, "x = {x}");
        }
        assert!(inv_phi(1.5).is_nan());
    }

    #[test]
    fn log_phi_is_continuous_across_the_asymptotic_switch_and_finite_far_out() {
        let a = log_phi(LOG_PHI_ASYMPTOTIC_BELOW + 1e-9);
        let b = log_phi(LOG_PHI_ASYMPTOTIC_BELOW - 1e-9);
        assert!((a - b).abs() < 1e-9 * a.abs(), "{a} vs {b}");
        let far = log_phi(-1e3);
        assert!(far.is_finite());
        // leading term: -x²/2 - log(-x) - log √(2π)
        assert!((far - (-5e5 - 1e3f64.ln() - LOG_SQRT_2PI)).abs() < 1e-5);
        // derivative ~ -x in the far tail
        assert!((log_phi_deriv(-1e3) - 1e3).abs() < 1e-2);
    }
}
