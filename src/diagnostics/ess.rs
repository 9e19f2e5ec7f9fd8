//! Effective sample size by Geyer's initial monotone sequence estimator, as in Stan and
//! ArviZ (Vehtari et al. 2021, section 3.2; Geyer 1992).

use super::autocovariance::Autocorrelation;
use super::split::{Rows, pooled};

/// Below this range (max − min) an array counts as constant and its ESS is its size:
/// numpy `finfo(float).resolution`, the threshold ArviZ uses.
pub const CONSTANT_RANGE: f64 = 1e-15;

/// ESS of a (K × n) array: K·n / τ with τ from Geyer's initial positive and monotone
/// sequences, and τ ≥ 1/log10(K·n) so that ESS ≤ K·n·log10(K·n).
///
/// NaN when the array holds a NaN (a derived array such as squared deviations from an
/// infinite mean can), or when any autocorrelation used is NaN (infinite draws), as
/// ArviZ 0.23 `_ess` does.
pub fn geyer_ess(rows: &Rows) -> f64 {
    let values = pooled(rows);
    let size = values.len() as f64;
    if values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if hi - lo < CONSTANT_RANGE {
        return size;
    }
    let ac = Autocorrelation::new(rows);
    let n = ac.len() as i64;
    let mut r = vec![0.0; ac.len().max(2)];
    r[0] = 1.0;
    let mut even = 1.0;
    let mut odd = ac.rho(1);
    r[1] = odd;
    // Initial positive sequence: pairs (ρ(t+1), ρ(t+2)) while their sum stays positive.
    let mut t: i64 = 1;
    while t < n - 3 && even + odd > 0.0 {
        even = ac.rho((t + 1) as usize);
        odd = ac.rho((t + 2) as usize);
        if even + odd >= 0.0 {
            r[(t + 1) as usize] = even;
            r[(t + 2) as usize] = odd;
        }
        t += 2;
    }
    let max_t = t - 2;
    if even > 0.0 {
        r[(max_t + 1) as usize] = even;
    }
    // Initial monotone sequence: pair sums may not increase.
    let mut t: i64 = 1;
    while t <= max_t - 2 {
        let i = t as usize;
        let prev = r[i - 1] + r[i];
        if r[i + 1] + r[i + 2] > prev {
            r[i + 1] = prev / 2.0;
            r[i + 2] = r[i + 1];
        }
        t += 2;
    }
    let head: f64 = r[..(max_t + 1) as usize].iter().sum();
    let tau = -1.0 + 2.0 * head + r[(max_t + 1) as usize];
    if r.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let cap = 1.0 / size.log10();
    // Python `max(tau, cap)`: tau unless cap is larger.
    let tau = if cap > tau { cap } else { tau };
    size / tau
}
