//! Splitting chains in half and pooling draws: the array shapes every diagnostic runs on.
//!
//! Splitting M chains of N draws gives 2M rows of h = ⌊N/2⌋ draws: the first halves of
//! all chains, then the second halves. For odd N the middle draw of each chain is dropped
//! (Vehtari et al. 2021, section 4; ArviZ `_split_chains`).

/// A rectangular (rows × draws) array, one `Vec` per row.
pub type Rows = Vec<Vec<f64>>;

/// Splits each chain into its first and last ⌊N/2⌋ draws: first halves, then second halves.
pub fn split_chains(chains: &[&[f64]]) -> Rows {
    let mut first = Vec::with_capacity(2 * chains.len());
    let mut second = Vec::with_capacity(chains.len());
    for chain in chains {
        let n = chain.len();
        let h = n / 2;
        first.push(chain[..h].to_vec());
        second.push(chain[n - h..].to_vec());
    }
    first.extend(second);
    first
}

/// Applies `f` to every element of `rows`.
pub fn map_rows(rows: &Rows, f: impl Fn(f64) -> f64) -> Rows {
    rows.iter()
        .map(|row| row.iter().map(|&v| f(v)).collect())
        .collect()
}

/// All elements of `rows`, row after row.
pub fn pooled<R: AsRef<[f64]>>(rows: &[R]) -> Vec<f64> {
    rows.iter()
        .flat_map(|r| r.as_ref().iter().copied())
        .collect()
}

/// Reshapes `values` (row after row) into rows of `width` elements.
pub fn reshape(values: &[f64], width: usize) -> Rows {
    if width == 0 {
        return Vec::new();
    }
    values.chunks(width).map(<[f64]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_length_drops_middle_draw() {
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [6.0, 7.0, 8.0, 9.0, 10.0];
        let rows = split_chains(&[&a, &b]);
        assert_eq!(
            rows,
            vec![
                vec![1.0, 2.0],
                vec![6.0, 7.0],
                vec![4.0, 5.0],
                vec![9.0, 10.0]
            ]
        );
        assert_eq!(reshape(&pooled(&rows), 2), rows);
    }
}
