//! Rank normalization ("z-scale"): pooled ranks with ties averaged, mapped through Φ⁻¹
//! with Blom's offset (Vehtari et al. 2021, eq. 14).

use super::normal_quantile::normal_quantile;
use super::split::{Rows, pooled, reshape};

/// Blom's offset c in (r − c) / (S − 2c + 1) (Vehtari et al. 2021, section 4.1: c = 3/8).
pub const BLOM_OFFSET: f64 = 0.375;

/// 1-based ranks of `values`, ties sharing their average rank (scipy `rankdata`,
/// method "average"). Ties are detected by exact equality; NaN must not occur.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Ranks start+1 ..= end share their mean.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Rank-normalizes all elements of `rows` jointly, keeping the shape.
pub fn z_scale(rows: &Rows) -> Rows {
    let values = pooled(rows);
    let size = values.len() as f64;
    let z: Vec<f64> = average_ranks(&values)
        .into_iter()
        .map(|r| normal_quantile((r - BLOM_OFFSET) / (size - 2.0 * BLOM_OFFSET + 1.0)))
        .collect();
    reshape(&z, rows.first().map_or(0, Vec::len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_average_rank() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]),
            vec![4.0, 1.0, 4.0, 2.0, 4.0]
        );
        assert_eq!(
            average_ranks(&[f64::INFINITY, f64::NEG_INFINITY, 0.0]),
            vec![3.0, 1.0, 2.0]
        );
    }

    #[test]
    fn z_scale_is_symmetric() {
        let z = z_scale(&vec![vec![10.0, 20.0], vec![30.0, 40.0]]);
        assert!((z[0][0] + z[1][1]).abs() < 1e-15);
        assert!((z[0][1] + z[1][0]).abs() < 1e-15);
    }
}
