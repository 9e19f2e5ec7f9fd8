//! Potential scale reduction R-hat: classic split R-hat and the rank-normalized bulk and
//! folded (tail) versions of Vehtari et al. (2021, section 4.2).

use super::moments::{mean, variance};
use super::quantile::median;
use super::rank_normalize::z_scale;
use super::split::{Rows, map_rows, pooled};

/// R-hat of a (K × n) array: √((B/W + n − 1)/n) with W the mean within-row variance and
/// B = n · var(row means). NaN when W = B = 0.
pub fn basic_rhat(rows: &Rows) -> f64 {
    let n = rows.first().map_or(0, Vec::len) as f64;
    let means: Vec<f64> = rows.iter().map(|r| mean(r)).collect();
    let within: Vec<f64> = rows.iter().map(|r| variance(r, 1)).collect();
    let w = mean(&within);
    let b = n * variance(&means, 1);
    ((b / w + n - 1.0) / n).sqrt()
}

/// Rank-normalized R-hat of split draws (bulk).
pub fn bulk_rhat(split: &Rows) -> f64 {
    basic_rhat(&z_scale(split))
}

/// Rank-normalized R-hat of split draws folded around their pooled median (tail).
pub fn tail_rhat(split: &Rows) -> f64 {
    let m = median(&pooled(split));
    basic_rhat(&z_scale(&map_rows(split, |v| (v - m).abs())))
}

/// `max(bulk, tail)` with Python semantics: tail only if it is strictly larger, so a NaN
/// tail keeps the bulk value and a NaN bulk stays NaN.
pub fn python_max(first: f64, second: f64) -> f64 {
    if second > first { second } else { first }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_rows_give_rhat_below_one() {
        let rows = vec![vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0]];
        // B = 0, W = 1: sqrt((n − 1)/n).
        assert!((basic_rhat(&rows) - (2.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn python_max_semantics() {
        assert_eq!(python_max(1.0, f64::NAN), 1.0);
        assert!(python_max(f64::NAN, 2.0).is_nan());
        assert_eq!(python_max(1.0, 2.0), 2.0);
    }
}
