//! Owen's T function T(h, a) = (1/2π) ∫₀ᵃ exp(-h²(1+x²)/2) / (1+x²) dx, the piece of the
//! skew normal CDF that is not a normal CDF: F(z; α) = Φ(z) - 2 T(z, α).
//!
//! For |a| <= 1 the integral is computed by quadrature (its integrand is smooth, with
//! length scale 1/|h|); for |a| > 1 by Owen's (1956) reflection
//! T(h, a) = ½Q(h) + ½Q(ah) - Q(h)Q(ah) - T(ah, 1/a) for h >= 0, Q = 1 - Φ, which keeps
//! every quadrature on [0, 1]. T is even in h and odd in a.

use super::quadrature::integrate;
use crate::math::normal::phi;
use std::f64::consts::PI;

/// Most quadrature panels on [0, a] (enough for |h| up to about 500; T is below 1e-300
/// beyond |h| ≈ 38 anyway).
const MAX_PANELS: usize = 512;

/// T(h, a) by quadrature, for h >= 0 and 0 <= a <= 1.
fn t_quadrature(h: f64, a: f64) -> f64 {
    let panels = ((a * h).ceil() as usize + 2).min(MAX_PANELS);
    let [v] = integrate(
        |x| {
            let s = 1.0 + x * x;
            [(-0.5 * h * h * s).exp() / s]
        },
        0.0,
        a,
        panels,
    );
    v / (2.0 * PI)
}

/// Owen's T function.
pub fn owens_t(h: f64, a: f64) -> f64 {
    if a < 0.0 {
        return -owens_t(h, -a);
    }
    let h = h.abs();
    if a == 0.0 {
        return 0.0;
    }
    if a <= 1.0 {
        return t_quadrature(h, a);
    }
    let (qh, qah) = (phi(-h), phi(-a * h));
    0.5 * qh + 0.5 * qah - qh * qah - t_quadrature(a * h, 1.0 / a)
}

/// ∂T/∂a = exp(-h²(1+a²)/2) / (2π(1+a²)).
pub fn owens_t_da(h: f64, a: f64) -> f64 {
    let s = 1.0 + a * a;
    (-0.5 * h * h * s).exp() / (2.0 * PI * s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        // T(0, a) = atan(a) / 2π; T(h, 1) = Φ(h)(1 - Φ(h)) / 2
        for a in [0.1, 0.5, 1.0, 2.0, 10.0] {
            let t = owens_t(0.0, a);
            assert!(
                (t - a.atan() / (2.0 * PI)).abs() < 1e-15,
                "{a}: {t} vs {}",
                a.atan() / (2.0 * PI)
            );
        }
        for h in [0.0, 0.3, 1.0, 2.5, 6.0] {
            let p = phi(h);
            // Φ here is statrs' erfc, good to about 1e-10 relative
            assert!((owens_t(h, 1.0) - 0.5 * p * (1.0 - p)).abs() < 1e-11, "{h}");
        }
        // odd in a, even in h
        assert_eq!(owens_t(0.7, -2.0), -owens_t(0.7, 2.0));
        assert_eq!(owens_t(-0.7, 2.0), owens_t(0.7, 2.0));
    }

    #[test]
    fn matches_a_reference_value_and_its_derivative() {
        // the defining integral evaluated by mpmath.quad at 30 digits
        for (h, a, t) in [
            (0.5, 2.0, 0.141_580_603_653_978_4),
            (3.0, 0.5, 0.000_605_121_378_585_194_9),
            (1.5, 7.0, 0.033_403_600_634_429_033),
        ] {
            let v = owens_t(h, a);
            // a > 1 goes through Φ (statrs' erfc, about 1e-10 relative)
            let tol = if a > 1.0 { 1e-11 } else { 1e-16 };
            assert!((v - t).abs() < tol, "{h} {a}: {v} vs {t}");
        }
        for (h, a) in [(0.3, 0.4), (1.2, 3.0), (2.0, 0.9)] {
            let e = 1e-6;
            let fd = (owens_t(h, a + e) - owens_t(h, a - e)) / (2.0 * e);
            assert!((fd - owens_t_da(h, a)).abs() < 1e-9, "{h} {a}");
        }
    }
}
