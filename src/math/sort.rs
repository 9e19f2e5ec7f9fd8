//! Sorting as a differentiable function: `sort_asc` / `sort_desc` of a parameter vector
//! is a permutation of its elements, so its vector-Jacobian product routes each output
//! adjoint back to the input that landed there. Also the stable ascending rank used by
//! `sort_indices_*` and `rank`.
//!
//! Ties: equal inputs are ordered by position (a stable sort), which makes the
//! permutation a bijection; at a tie the function is not differentiable and any such
//! choice is one valid subgradient.

use crate::ad::Kernel;

/// Position (0-based) of `xs[j]` in the stable ascending sort of `xs`, without
/// allocating: the count of smaller elements (a binary search in the sorted `sorted`)
/// plus the count of equal elements before `j`, counted only when there are ties.
fn stable_position(xs: &[f64], sorted_asc: &[f64], j: usize) -> usize {
    let x = xs[j];
    let below = sorted_asc.partition_point(|v| v.total_cmp(&x).is_lt());
    let upto = sorted_asc.partition_point(|v| v.total_cmp(&x).is_le());
    if upto - below <= 1 {
        return below;
    }
    below + xs[..j].iter().filter(|v| v.total_cmp(&x).is_eq()).count()
}

/// The 0-based input index of each position of the stable ascending sort.
pub fn argsort_asc(xs: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&i, &j| xs[i].total_cmp(&xs[j]));
    idx
}

/// The 0-based input index of each position of a descending sort (ties keep their order).
pub fn argsort_desc(xs: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&i, &j| xs[j].total_cmp(&xs[i]));
    idx
}

/// `rank(v, s)`: how many elements of `v` are strictly less than `v[s]` (0-based `s`).
pub fn rank(xs: &[f64], s: usize) -> usize {
    xs.iter().filter(|v| **v < xs[s]).count()
}

/// `sort_asc` (or `sort_desc`) as a tape kernel over one vector input.
#[derive(Debug, Clone, Copy)]
pub struct SortKernel {
    /// Descending order when true.
    pub descending: bool,
}

impl Kernel for SortKernel {
    fn name(&self) -> &str {
        if self.descending {
            "sort_desc"
        } else {
            "sort_asc"
        }
    }

    fn eval(&self, inputs: &[&[f64]], out: &mut [f64]) -> Result<(), String> {
        let xs = inputs[0];
        if let Some(i) = xs.iter().position(|v| v.is_nan()) {
            return Err(format!("{}: element [{}] is NaN", self.name(), i + 1));
        }
        out.copy_from_slice(xs);
        out.sort_unstable_by(f64::total_cmp);
        if self.descending {
            out.reverse();
        }
        Ok(())
    }

    fn vjp(&self, inputs: &[&[f64]], out: &[f64], out_adj: &[f64], input_adj: &mut [&mut [f64]]) {
        let xs = inputs[0];
        let n = xs.len();
        let Some(adj) = input_adj.first_mut().filter(|a| !a.is_empty()) else {
            return;
        };
        for j in 0..n {
            let pos = if self.descending {
                // out is descending; its reverse is ascending
                let asc = AscendingView(out);
                n - 1 - asc.position(xs, j)
            } else {
                stable_position(xs, out, j)
            };
            adj[j] += out_adj[pos];
        }
    }
}

/// A descending slice read in ascending order, for positions without copying.
struct AscendingView<'a>(&'a [f64]);

impl AscendingView<'_> {
    fn position(&self, xs: &[f64], j: usize) -> usize {
        let d = self.0;
        let n = d.len();
        let x = xs[j];
        // count of elements < x = elements of d after the last one >= x
        let ge = d.partition_point(|v| v.total_cmp(&x).is_ge());
        let gt = d.partition_point(|v| v.total_cmp(&x).is_gt());
        let below = n - ge;
        if ge - gt <= 1 {
            return below;
        }
        // ties: the descending order lists tied inputs in reverse of the ascending
        // stable order, so reversing positions keeps the map a bijection
        below + xs[..j].iter().filter(|v| v.total_cmp(&x).is_eq()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vjp_of(k: SortKernel, xs: &[f64], out_adj: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; xs.len()];
        k.eval(&[xs], &mut out).unwrap();
        let mut adj = vec![0.0; xs.len()];
        k.vjp(&[xs], &out, out_adj, &mut [&mut adj]);
        adj
    }

    #[test]
    fn sorts_and_routes_adjoints_back_through_the_permutation() {
        let xs = [0.3, -1.2, 2.5, 0.0, 1.1];
        let w = [1.0, 10.0, 100.0, 1000.0, 10000.0];
        for descending in [false, true] {
            let k = SortKernel { descending };
            let mut out = [0.0; 5];
            k.eval(&[&xs], &mut out).unwrap();
            let idx = if descending {
                argsort_desc(&xs)
            } else {
                argsort_asc(&xs)
            };
            for (p, &i) in idx.iter().enumerate() {
                assert_eq!(out[p], xs[i]);
            }
            // d/dx_j of sum_p w_p sort(x)_p = w at x_j's position
            let adj = vjp_of(k, &xs, &w);
            for (p, &i) in idx.iter().enumerate() {
                assert_eq!(adj[i], w[p], "descending {descending}");
            }
        }
    }

    #[test]
    fn ties_map_every_output_to_exactly_one_input() {
        let xs = [1.0, 0.5, 1.0, 1.0, 0.5];
        let w = [1.0, 2.0, 4.0, 8.0, 16.0];
        for descending in [false, true] {
            let adj = vjp_of(SortKernel { descending }, &xs, &w);
            let mut got = adj.clone();
            got.sort_by(f64::total_cmp);
            assert_eq!(got, w.to_vec(), "descending {descending}: {adj:?}");
        }
    }

    #[test]
    fn rank_counts_smaller_elements_and_nan_is_refused() {
        assert_eq!(rank(&[3.0, 1.0, 2.0, 1.0], 0), 3);
        assert_eq!(rank(&[3.0, 1.0, 2.0, 1.0], 1), 0);
        let mut out = [0.0; 2];
        let e = SortKernel { descending: false }
            .eval(&[&[1.0, f64::NAN]], &mut out)
            .unwrap_err();
        assert!(e.contains("[2]"), "{e}");
    }
}
