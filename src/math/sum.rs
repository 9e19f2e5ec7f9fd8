//! Summation with independent partial sums. A plain `for` loop adding into one
//! accumulator is a chain of dependent additions (one add latency per element, and the
//! compiler may not reorder floating-point additions); keeping [`LANES`] partial sums
//! lets consecutive additions overlap, which is what makes long reductions (a sum over
//! 1,000 observations) run at the machine's throughput instead of its latency.

/// Independent partial sums: enough to cover the latency of a floating-point addition
/// (about 4 cycles) at one addition per cycle.
pub const LANES: usize = 4;

/// `Σ f(i)` for `i` in `0..n`, with [`LANES`] partial sums.
#[inline(always)]
pub fn sum_by(n: usize, mut f: impl FnMut(usize) -> f64) -> f64 {
    let mut acc = [0.0; LANES];
    let main = n - n % LANES;
    let mut i = 0;
    while i < main {
        for (k, a) in acc.iter_mut().enumerate() {
            *a += f(i + k);
        }
        i += LANES;
    }
    for j in main..n {
        acc[0] += f(j);
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3])
}

/// `Σ xᵢ`.
#[inline]
pub fn sum(xs: &[f64]) -> f64 {
    sum_by(xs.len(), |i| xs[i])
}

/// `Σ aᵢ bᵢ` over the shorter of the two.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    sum_by(n, |i| a[i] * b[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_agree_with_the_sequential_sum_for_every_remainder() {
        for n in 0..13 {
            let xs: Vec<f64> = (0..n).map(|i| 0.5 * i as f64 - 1.0).collect();
            let ys: Vec<f64> = (0..n).map(|i| 1.0 + i as f64).collect();
            let plain: f64 = xs.iter().sum();
            assert!((sum(&xs) - plain).abs() < 1e-12, "n = {n}");
            let plain_dot: f64 = xs.iter().zip(&ys).map(|(x, y)| x * y).sum();
            assert!((dot(&xs, &ys) - plain_dot).abs() < 1e-12, "n = {n}");
        }
    }
}
