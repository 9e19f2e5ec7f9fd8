//! Numbers in Stan CSV cells: written so they parse back to the same double.

use std::fmt::Write;

/// Writes `v` as the shortest decimal that parses back to the same `f64`. Integral
/// values below 2⁵³ are written without a fraction (`10`), as CmdStan writes tree
/// depths; NaN and infinities as `nan`, `inf`, `-inf`, which CmdStan, numpy and Rust all
/// parse.
pub fn write_number(out: &mut String, v: f64) {
    /// Integers up to 2⁵³ are exact in a double.
    const MAX_EXACT_INT: f64 = 9_007_199_254_740_992.0;
    if v.is_nan() {
        out.push_str("nan");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "inf" } else { "-inf" });
    } else if v.fract() == 0.0 && v.abs() < MAX_EXACT_INT && !(v == 0.0 && v.is_sign_negative()) {
        let _ = write!(out, "{}", v as i64);
    } else {
        // `{:?}` is Rust's shortest round-trip form, switching to exponent notation for
        // very large and very small magnitudes.
        let _ = write!(out, "{v:?}");
    }
}

/// Parses a cell written by hazel, CmdStan or any other tool (Rust's correctly rounded
/// parser; accepts `nan`, `inf`, `-inf` in any case).
pub fn parse_number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: f64) -> String {
        let mut s = String::new();
        write_number(&mut s, v);
        s
    }

    #[test]
    fn round_trips() {
        for v in [
            0.1,
            -2.5e-300,
            1e21,
            123456.789,
            f64::MIN_POSITIVE,
            -0.0,
            1.0 / 3.0,
        ] {
            assert_eq!(parse_number(&fmt(v)).unwrap().to_bits(), v.to_bits(), "{v}");
        }
        assert_eq!(fmt(10.0), "10");
        assert_eq!(fmt(f64::NEG_INFINITY), "-inf");
        assert!(parse_number(&fmt(f64::NAN)).unwrap().is_nan());
        assert_eq!(parse_number(" 1e-3 "), Some(0.001));
        assert_eq!(parse_number("abc"), None);
    }
}
