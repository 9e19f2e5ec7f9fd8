//! Composite Gauss–Legendre quadrature for the CDFs that have no closed form here (the
//! von Mises CDF, Owen's T function of the skew normal CDF): a fixed 16-node rule applied
//! on equal panels, the number of panels chosen by the caller from the integrand's scale.

use std::sync::OnceLock;

/// Nodes per panel. A 16-node rule integrates polynomials of degree 31 exactly; on panels
/// no wider than the integrand's length scale its error is near machine precision.
pub const NODES: usize = 16;

/// Newton iterations for the Legendre roots (each converges quadratically from the
/// classical cosine guess; a handful reaches machine precision).
const NEWTON_STEPS: usize = 12;

/// Legendre polynomial P_n(x) and its derivative, by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    let dp = n as f64 * (x * p1 - p0) / (x * x - 1.0);
    (p1, dp)
}

/// The rule's nodes on [-1, 1] and weights.
fn rule() -> &'static ([f64; NODES], [f64; NODES]) {
    static RULE: OnceLock<([f64; NODES], [f64; NODES])> = OnceLock::new();
    RULE.get_or_init(|| {
        let (mut nodes, mut weights) = ([0.0; NODES], [0.0; NODES]);
        for i in 0..NODES {
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (NODES as f64 + 0.5)).cos();
            for _ in 0..NEWTON_STEPS {
                let (p, dp) = legendre(NODES, x);
                x -= p / dp;
            }
            let (_, dp) = legendre(NODES, x);
            nodes[i] = x;
            weights[i] = 2.0 / ((1.0 - x * x) * dp * dp);
        }
        (nodes, weights)
    })
}

/// ∫ f over [lo, hi] on `panels` equal panels (at least one); `f` returns several
/// integrands at once (`K` of them), so related integrals share the evaluations.
pub fn integrate<const K: usize>(
    f: impl Fn(f64) -> [f64; K],
    lo: f64,
    hi: f64,
    panels: usize,
) -> [f64; K] {
    let (nodes, weights) = rule();
    let panels = panels.max(1);
    let width = (hi - lo) / panels as f64;
    let mut total = [0.0; K];
    for p in 0..panels {
        let mid = lo + (p as f64 + 0.5) * width;
        for (x, w) in nodes.iter().zip(weights) {
            let v = f(mid + 0.5 * width * x);
            for k in 0..K {
                total[k] += w * v[k];
            }
        }
    }
    total.map(|t| 0.5 * width * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_two_and_polynomials_integrate_exactly() {
        let (_, w) = rule();
        assert!((w.iter().sum::<f64>() - 2.0).abs() < 1e-14);
        let [v] = integrate(|x| [x.powi(31) + 3.0 * x.powi(30)], -1.0, 1.0, 1);
        assert!((v - 6.0 / 31.0).abs() < 1e-13, "{v}");
    }

    #[test]
    fn smooth_integrals_match_closed_forms() {
        let [s, e] = integrate(|x| [x.sin(), (-x).exp()], 0.0, 3.0, 4);
        assert!((s - (1.0 - 3f64.cos())).abs() < 1e-14, "{s}");
        assert!((e - (1.0 - (-3f64).exp())).abs() < 1e-14, "{e}");
    }
}
