//! The special functions the distribution kernels use, in one place: statrs's gamma, beta
//! and error functions, hazel's own from [`crate::math`] (log Φ, log1p_exp, trigamma,
//! Bessel I₀), and the numerical shape derivative used by a few CDFs.

pub use statrs::function::beta::{beta_reg, ln_beta};
pub use statrs::function::erf::{erf, erfc};
pub use statrs::function::gamma::{digamma, gamma_lr, gamma_ur, ln_gamma};

/// log(2π) / 2.
pub const LOG_SQRT_TWO_PI: f64 = 0.918_938_533_204_672_8;
/// log(π).
pub const LOG_PI: f64 = 1.144_729_885_849_400_2;
/// log(2).
pub const LOG_TWO: f64 = std::f64::consts::LN_2;

pub use crate::math::normal::{log_phi, log_phi_deriv as dlog_phi};
pub use crate::math::special::{
    inv_logit, log_inv_logit, log_sum_exp, log1m_exp, log1m_inv_logit, log1p_exp, trigamma,
};

/// log of the modified Bessel function I₀(κ) for κ >= 0, and I₁(κ)/I₀(κ) (von Mises).
pub fn log_bessel_i0_and_ratio(kappa: f64) -> (f64, f64) {
    use crate::math::bessel::{log_bessel_i, log_bessel_i0_deriv};
    (log_bessel_i(0, kappa), log_bessel_i0_deriv(kappa))
}

/// Relative step of [`shape_derivative`]: central differences have error O(h²), so a step
/// of 1e-5 gives about 10 correct digits for smooth incomplete gamma/beta functions.
const SHAPE_DIFF_STEP: f64 = 1e-5;

/// Derivative of `f` at a positive shape argument `a` by central differences.
///
/// Used only for the partial of a CDF with respect to a shape argument of an incomplete
/// gamma or beta function (Stan uses series for `grad_reg_inc_gamma` / `inc_beta_dda`);
/// each use is documented at the call site.
pub fn shape_derivative(f: impl Fn(f64) -> f64, a: f64) -> f64 {
    let h = SHAPE_DIFF_STEP * a.abs().max(1e-3);
    (f(a + h) - f(a - h)) / (2.0 * h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_phi_matches_erfc_and_tail_series() {
        for &z in &[-30.0, -19.9, -20.1, -5.0, -1.0, 0.0, 1.5] {
            let direct = (0.5 * erfc(-z / std::f64::consts::SQRT_2)).ln();
            assert!(
                (log_phi(z) - direct).abs() < 1e-12 * direct.abs(),
                "z = {z}"
            );
        }
        // Upper tail, where ln(Φ) is tiny: log Φ(6) = -9.865876455243757e-10 (mpmath, 40 digits);
        // statrs erfc is accurate to about 1e-10 relative, which bounds this check.
        let v = log_phi(6.0);
        assert!(
            (v + 9.865_876_455_243_757e-10).abs() < 1e-9 * 9.9e-10,
            "{v:e}"
        );
        // Far tail against the known value log Φ(-40) = -804.608442013754 (mpmath).
        assert!((log_phi(-40.0) + 804.608_442_013_754).abs() < 1e-9);
    }

    #[test]
    fn trigamma_known_values() {
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-12);
        assert!((trigamma(0.5) - std::f64::consts::PI.powi(2) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn bessel_branches_agree() {
        // I₀(1) = 1.2660658777520082, I₁(1) = 0.5651591039924851.
        let (l, r) = log_bessel_i0_and_ratio(1.0);
        assert!((l - 1.266_065_877_752_008_2f64.ln()).abs() < 1e-14);
        assert!((r - 0.565_159_103_992_485_1 / 1.266_065_877_752_008_2).abs() < 1e-14);
        let (a, ra) = log_bessel_i0_and_ratio(49.999);
        let (b, rb) = log_bessel_i0_and_ratio(50.001);
        assert!((a - b).abs() < 5e-3 && (ra - rb).abs() < 1e-4);
    }

    #[test]
    fn log1p_exp_and_log_sum_exp() {
        assert!((log1p_exp(800.0) - 800.0).abs() < 1e-12);
        assert!((log1p_exp(0.0) - LOG_TWO).abs() < 1e-15);
        assert!((log_sum_exp(&[1000.0, 1000.0]) - 1000.0 - LOG_TWO).abs() < 1e-12);
        assert!((log1m_exp(-1e-20) - (1e-20f64).ln()).abs() < 1e-9);
    }
}
