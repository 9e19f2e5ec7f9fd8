//! Scalar special functions on the log scale and around the logistic curve, with
//! derivatives: log1p_exp, log1m_exp, log_sum_exp, log_diff_exp, the logit family,
//! and the gamma family (lgamma, digamma, trigamma, lbeta, lchoose).

/// `log(1 + exp(x))` without overflow for large `x` or loss of precision for small `x`.
pub fn log1p_exp(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// `log(1 - exp(x))` for `x <= 0`; NaN for `x > 0`. Splits at `-ln 2` (Mächler 2012,
/// "Accurately computing log(1 - exp(-|a|))").
pub fn log1m_exp(x: f64) -> f64 {
    if x > 0.0 {
        f64::NAN
    } else if x > -std::f64::consts::LN_2 {
        (-x.exp_m1()).ln()
    } else {
        (-x.exp()).ln_1p()
    }
}

/// Derivative of [`log1m_exp`]: `-exp(x) / (1 - exp(x)) = -1 / expm1(-x)`.
pub fn log1m_exp_deriv(x: f64) -> f64 {
    -1.0 / (-x).exp_m1()
}

/// `log(exp(a) + exp(b))`, exact when either argument is infinite.
pub fn log_sum_exp2(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    if m == f64::INFINITY {
        return m;
    }
    m + log1p_exp(a.min(b) - m)
}

/// `log(sum(exp(xs)))`; `-inf` for an empty slice.
pub fn log_sum_exp(xs: &[f64]) -> f64 {
    let m = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + xs.iter().map(|&x| (x - m).exp()).sum::<f64>().ln()
}

/// `log(exp(a) - exp(b))` for `a >= b`; NaN when `a < b`.
pub fn log_diff_exp(a: f64, b: f64) -> f64 {
    if b > a {
        return f64::NAN;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    a + log1m_exp(b - a)
}

/// The logistic function `1 / (1 + exp(-x))`, accurate in both tails.
pub fn inv_logit(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `log(p / (1 - p))`.
pub fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// `log(inv_logit(x)) = -log1p_exp(-x)`.
pub fn log_inv_logit(x: f64) -> f64 {
    -log1p_exp(-x)
}

/// `log(1 - inv_logit(x)) = -log1p_exp(x)`.
pub fn log1m_inv_logit(x: f64) -> f64 {
    -log1p_exp(x)
}

/// `log(1 - x)`.
pub fn log1m(x: f64) -> f64 {
    (-x).ln_1p()
}

/// Natural log of the absolute gamma function (statrs).
pub fn lgamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

/// The digamma function (statrs).
pub fn digamma(x: f64) -> f64 {
    statrs::function::gamma::digamma(x)
}

/// The gamma function (statrs).
pub fn tgamma(x: f64) -> f64 {
    statrs::function::gamma::gamma(x)
}

/// Below this argument trigamma is shifted up by the recurrence before the asymptotic
/// series' next term there is about 1e-15).
const TRIGAMMA_ASYMPTOTIC_FROM: f64 = 10.0;

/// The trigamma function ψ₁(x) = d²/dx² log Γ(x): recurrence ψ₁(x) = ψ₁(x+1) + 1/x² up
/// to x ≥ 10, then the asymptotic series in 1/x (Bernoulli numbers); reflection for x ≤ 0.
pub fn trigamma(x: f64) -> f64 {
    if x.is_nan() || (x <= 0.0 && x == x.floor()) {
        return f64::NAN;
    }
    if x < 0.0 {
        // ψ₁(1 - x) + ψ₁(x) = π² / sin²(πx)
        let s = (std::f64::consts::PI * x).sin();
        return std::f64::consts::PI.powi(2) / (s * s) - trigamma(1.0 - x);
    }
    let mut acc = 0.0;
    let mut z = x;
    while z < TRIGAMMA_ASYMPTOTIC_FROM {
        acc += 1.0 / (z * z);
        z += 1.0;
    }
    let r = 1.0 / z;
    let r2 = r * r;
    // 1/z + 1/(2z²) + Σ B_{2k} / z^{2k+1}
    let series = r
        + 0.5 * r2
        + r * r2
            * (1.0 / 6.0
                + r2 * (-1.0 / 30.0
                    + r2 * (1.0 / 42.0
                        + r2 * (-1.0 / 30.0 + r2 * (5.0 / 66.0 - r2 * 691.0 / 2730.0)))));
    acc + series
}

/// `log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)`.
pub fn lbeta(a: f64, b: f64) -> f64 {
    lgamma(a) + lgamma(b) - lgamma(a + b)
}

/// Partial derivatives of [`lbeta`] in `a` and `b`.
pub fn lbeta_grad(a: f64, b: f64) -> (f64, f64) {
    let dab = digamma(a + b);
    (digamma(a) - dab, digamma(b) - dab)
}

/// `log C(n, k)` for real `n >= k >= 0`, via `-log(n + 1) - lbeta(n - k + 1, k + 1)`;
/// NaN outside that domain.
pub fn lchoose(n: f64, k: f64) -> f64 {
    if !(k >= 0.0 && n >= k) {
        return f64::NAN;
    }
    lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0)
}

/// Partial derivatives of [`lchoose`] in `n` and `k`.
pub fn lchoose_grad(n: f64, k: f64) -> (f64, f64) {
    let dnk = digamma(n - k + 1.0);
    (digamma(n + 1.0) - dnk, dnk - digamma(k + 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn log_scale_functions_match_naive_forms_where_those_are_accurate() {
        for &x in &[-3.0, -0.5, 0.0, 0.7, 4.0] {
            assert!(close(log1p_exp(x), (1.0 + f64::exp(x)).ln(), 1e-14));
            assert!(close(log_inv_logit(x), inv_logit(x).ln(), 1e-14));
            assert!(close(log1m_inv_logit(x), (1.0 - inv_logit(x)).ln(), 1e-13));
        }
        for &x in &[-5.0, -0.7, -0.1] {
            assert!(close(log1m_exp(x), (1.0 - f64::exp(x)).ln(), 1e-14));
        }
        assert!(close(
            log_sum_exp(&[1.0, 2.0, 3.0]),
            3.40760596444438,
            1e-14
        ));
        assert!(close(
            log_diff_exp(3.0, 1.0),
            (3f64.exp() - 1f64.exp()).ln(),
            1e-14
        ));
        assert_eq!(log1p_exp(800.0), 800.0);
        assert!(log1m_exp(0.5).is_nan());
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }

    #[test]
    fn trigamma_matches_known_values_and_the_derivative_of_digamma() {
        // ψ₁(1) = π²/6, ψ₁(1/2) = π²/2
        let pi2 = std::f64::consts::PI.powi(2);
        assert!(close(trigamma(1.0), pi2 / 6.0, 1e-14));
        assert!(close(trigamma(0.5), pi2 / 2.0, 1e-14));
        for &x in &[-2.5, 0.1, 3.3, 40.0] {
            let h = 1e-5 * (1.0 + f64::abs(x));
            let fd = (digamma(x + h) - digamma(x - h)) / (2.0 * h);
            assert!(close(trigamma(x), fd, 1e-7), "x = {x}");
        }
    }

    #[test]
    fn lchoose_matches_integer_binomial_coefficients() {
        assert!(close(lchoose(10.0, 3.0), 120f64.ln(), 1e-13));
        assert!(close(lbeta(2.0, 3.0), (1.0f64 / 12.0).ln(), 1e-13));
        assert!(lchoose(2.0, 3.0).is_nan());
    }
}
