//! Private special functions the kernels need that statrs lacks (log Φ, log1p_exp, …).
//! The lead may later fold these into `src/math/`.

pub use statrs::function::beta::{beta_reg, ln_beta};
pub use statrs::function::erf::{erf, erfc};
pub use statrs::function::gamma::{digamma, gamma_lr, gamma_ur, ln_gamma};

/// log(2π) / 2.
pub const LOG_SQRT_TWO_PI: f64 = 0.918_938_533_204_672_8;
/// log(π).
pub const LOG_PI: f64 = 1.144_729_885_849_400_2;
/// log(2).
pub const LOG_TWO: f64 = std::f64::consts::LN_2;

/// log(1 + exp(x)) without overflow.
pub fn log1p_exp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// log(1 - exp(x)) for x <= 0, accurate near both ends (Mächler 2012).
pub fn log1m_exp(x: f64) -> f64 {
    if x > -std::f64::consts::LN_2 {
        (-x.exp_m1()).ln()
    } else {
        (-x.exp()).ln_1p()
    }
}

/// The logistic function 1 / (1 + exp(-x)).
pub fn inv_logit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// log(inv_logit(x)).
pub fn log_inv_logit(x: f64) -> f64 {
    -log1p_exp(-x)
}

/// log(1 - inv_logit(x)).
pub fn log1m_inv_logit(x: f64) -> f64 {
    -log1p_exp(x)
}

/// log Σ exp(x_i), stable; -inf for an empty slice.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m.is_infinite() {
        return m;
    }
    m + x.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

/// Below this z, log Φ(z) uses the asymptotic series (erfc underflows near z = -38).
const LOG_PHI_ASYMPTOTIC_BELOW: f64 = -20.0;

/// log Φ(z), the log standard normal CDF, accurate far into the lower tail.
pub fn log_phi(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    if z < LOG_PHI_ASYMPTOTIC_BELOW {
        // Φ(z) = φ(z)/(-z) · (1 - 1/z² + 3/z⁴ - 15/z⁶ + 105/z⁸ - 945/z¹⁰ + …).
        let r = 1.0 / (z * z);
        let series =
            1.0 - r * (1.0 - 3.0 * r * (1.0 - 5.0 * r * (1.0 - 7.0 * r * (1.0 - 9.0 * r))));
        -0.5 * z * z - LOG_SQRT_TWO_PI - (-z).ln() + series.ln()
    } else if z > 5.0 {
        // Φ(z) = 1 - Φ(-z); log1p keeps the tiny complement.
        (-0.5 * erfc(z / std::f64::consts::SQRT_2)).ln_1p()
    } else {
        (0.5 * erfc(-z / std::f64::consts::SQRT_2)).ln()
    }
}

/// d/dz log Φ(z) = φ(z) / Φ(z) (the inverse Mills ratio of -z).
pub fn dlog_phi(z: f64) -> f64 {
    (-0.5 * z * z - LOG_SQRT_TWO_PI - log_phi(z)).exp()
}

/// The trigamma function ψ'(x) for x > 0: recurrence up to x >= 12, then the asymptotic
/// series (Abramowitz & Stegun 6.4.12; the first omitted term is below 1e-13 there).
pub fn trigamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 12.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / (x * x);
    acc + 1.0 / x + r / 2.0 + (r / x) * (1.0 / 6.0 - r * (1.0 / 30.0 - r * (1.0 / 42.0 - r / 30.0)))
}

/// log of the modified Bessel function I₀(κ) for κ >= 0, and I₁(κ)/I₀(κ).
///
/// Uses the power series Σ (κ/2)^{2k} / (k!)² below 50 (all terms positive, so no
/// cancellation) and the large-argument expansion above.
pub fn log_bessel_i0_and_ratio(kappa: f64) -> (f64, f64) {
    if kappa < 50.0 {
        let q = 0.25 * kappa * kappa;
        let (mut t0, mut s0, mut s1) = (1.0f64, 1.0f64, 0.0f64);
        // I₁(κ) = (κ/2) Σ q^k / (k! (k+1)!)
        let mut t1 = 1.0f64;
        s1 += t1;
        let mut k = 1.0;
        while t0 > 1e-17 * s0 || t1 > 1e-17 * s1 {
            t0 *= q / (k * k);
            t1 *= q / (k * (k + 1.0));
            s0 += t0;
            s1 += t1;
            k += 1.0;
        }
        (s0.ln(), 0.5 * kappa * s1 / s0)
    } else {
        // I_ν(κ) ≈ e^κ / sqrt(2πκ) · (1 - (μ-1)/(8κ) + (μ-1)(μ-9)/(2!(8κ)²) - …), μ = 4ν².
        let series = |mu: f64| {
            let z = 8.0 * kappa;
            let (mut term, mut sum) = (1.0f64, 1.0f64);
            for k in 1..8 {
                let kf = k as f64;
                term *= -(mu - (2.0 * kf - 1.0).powi(2)) / (kf * z);
                sum += term;
            }
            sum
        };
        let (a0, a1) = (series(0.0), series(4.0));
        (
            kappa - 0.5 * (2.0 * std::f64::consts::PI * kappa).ln() + a0.ln(),
            a1 / a0,
        )
    }
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
