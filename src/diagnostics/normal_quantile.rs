//! The standard normal quantile function Φ⁻¹, accurate to about 1e-16 relative.
//!
//! Rank normalization maps ranks through Φ⁻¹, and the diagnostics must agree with ArviZ
//! (which calls cephes `ndtri`) to 1e-8, so a low-accuracy approximation is not enough.
//! This is Wichura's algorithm AS 241 (PPND16): a rational approximation on the central
//! region |p − ½| ≤ 0.425 and two rational approximations in √(−log min(p, 1−p)) for the
//! tails.

/// Central-region boundary of AS 241: |p − ½| ≤ 0.425.
const CENTRAL: f64 = 0.425;
/// Central region variable is r = 0.180625 − q², with 0.180625 = 0.425².
const CENTRAL_SQ: f64 = 0.180625;
/// Split between the near and far tail: r = √(−log p) ≤ 5.
const FAR_TAIL: f64 = 5.0;
/// Shift of r in the near tail.
const NEAR_SHIFT: f64 = 1.6;

// Coefficients as published in Wichura (1988), Applied Statistics 37(3), 477–484, kept
// verbatim; the compiler rounds them to the nearest double.
#[allow(clippy::excessive_precision)]
const A: [f64; 8] = [
    3.387132872796366608,
    133.14166789178437745,
    1971.5909503065514427,
    13731.693765509461125,
    45921.953931549871457,
    67265.770927008700853,
    33430.575583588128105,
    2509.0809287301226727,
];
#[allow(clippy::excessive_precision)]
const B: [f64; 8] = [
    1.0,
    42.313330701600911252,
    687.1870074920579083,
    5394.1960214247511077,
    21213.794301586595867,
    39307.89580009271061,
    28729.085735721942674,
    5226.495278852545925,
];
#[allow(clippy::excessive_precision)]
const C: [f64; 8] = [
    1.42343711074968357734,
    4.6303378461565452959,
    5.7694972214606914055,
    3.64784832476320460504,
    1.27045825245236838258,
    0.24178072517745061177,
    0.0227238449892691845833,
    7.7454501427834140764e-4,
];
#[allow(clippy::excessive_precision)]
const D: [f64; 8] = [
    1.0,
    2.05319162663775882187,
    1.6763848301838038494,
    0.68976733498510000455,
    0.14810397642748007459,
    0.0151986665636164571966,
    5.475938084995344946e-4,
    1.05075007164441684324e-9,
];
#[allow(clippy::excessive_precision)]
const E: [f64; 8] = [
    6.6579046435011037772,
    5.4637849111641143699,
    1.7848265399172913358,
    0.29656057182850489123,
    0.026532189526576123093,
    0.0012426609473880784386,
    2.71155556874348757815e-5,
    2.01033439929228813265e-7,
];
#[allow(clippy::excessive_precision)]
const F: [f64; 8] = [
    1.0,
    0.59983220655588793769,
    0.13692988092273580531,
    0.0148753612908506148525,
    7.868691311456132591e-4,
    1.8463183175100546818e-5,
    1.4215117583164458887e-7,
    2.04426310338993978564e-15,
];

/// Evaluates a degree-7 polynomial with coefficients in increasing order (Horner).
fn poly(coef: &[f64; 8], x: f64) -> f64 {
    coef.iter().rev().fold(0.0, |acc, &c| acc * x + c)
}

/// Φ⁻¹(p): the standard normal quantile. Returns −∞ at 0, +∞ at 1 and NaN outside [0, 1].
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= CENTRAL {
        let r = CENTRAL_SQ - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let x = if r <= FAR_TAIL {
        let r = r - NEAR_SHIFT;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - FAR_TAIL;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 { -x } else { x }
}

#[cfg(test)]
mod tests {
    use super::normal_quantile;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 4e-16 * b.abs().max(1.0)
    }

    #[test]
    fn matches_reference_values() {
        // Reference values: scipy.special.ndtri.
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(close(normal_quantile(0.975), 1.959_963_984_540_054));
        assert!(close(normal_quantile(0.9), 1.281_551_565_544_600_4));
        assert!(close(normal_quantile(0.025), -1.959_963_984_540_054));
        assert!(close(normal_quantile(1e-10), -6.361_340_902_404_056));
        assert!(close(normal_quantile(0.3), -0.524_400_512_708_040_9));
    }

    #[test]
    fn edges() {
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        assert!(normal_quantile(1.5).is_nan());
        assert!(normal_quantile(f64::NAN).is_nan());
    }
}
