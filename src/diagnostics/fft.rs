//! A radix-2 complex fast Fourier transform, used for autocovariances in O(n log n).
//!
//! Iterative Cooley–Tukey: bit-reversal permutation, then butterflies of doubling span.
//! Twiddle factors are evaluated once per size, each directly with `sin_cos` (no
//! recurrence), so the rounding error stays near machine precision relative to the
//! signal's energy.

/// A radix-2 FFT of one power-of-two size, with its twiddle factors precomputed.
pub struct Radix2Fft {
    /// (cos, sin) of 2πk/size for k < size/2.
    twiddles: Vec<(f64, f64)>,
}

impl Radix2Fft {
    /// A plan for sequences of length `size` (a power of two).
    pub fn new(size: usize) -> Self {
        debug_assert!(size.is_power_of_two());
        let step = 2.0 * std::f64::consts::PI / size as f64;
        let twiddles = (0..size / 2)
            .map(|k| {
                let (s, c) = (step * k as f64).sin_cos();
                (c, s)
            })
            .collect();
        Radix2Fft { twiddles }
    }

    /// The sequence length of this plan.
    pub fn size(&self) -> usize {
        (2 * self.twiddles.len()).max(1)
    }

    /// In-place FFT of (`re`, `im`), both of length [`Self::size`]. `inverse` computes
    /// the unnormalized inverse (the caller divides by the size).
    pub fn transform(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = re.len();
        debug_assert!(n == self.size() && im.len() == n);
        if n < 2 {
            return;
        }
        let bits = n.trailing_zeros();
        for i in 0..n {
            let j = i.reverse_bits() >> (usize::BITS - bits);
            if j > i {
                re.swap(i, j);
                im.swap(i, j);
            }
        }
        let sign = if inverse { 1.0 } else { -1.0 };
        let mut span = 1;
        while span < n {
            let stride = n / (2 * span);
            for k in 0..span {
                let (c, s) = self.twiddles[k * stride];
                let s = sign * s;
                for start in (0..n).step_by(2 * span) {
                    let (a, b) = (start + k, start + k + span);
                    let tr = re[b] * c - im[b] * s;
                    let ti = re[b] * s + im[b] * c;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
            span *= 2;
        }
    }

    /// Biased autocovariances (1/n) Σᵢ dᵢ dᵢ₊ₜ for t = 0..n of an already centered
    /// series with 2n ≤ [`Self::size`]: zero-padded (no circular wrap-around), |FFT|²,
    /// inverse FFT.
    pub fn autocovariance(&self, centered: &[f64]) -> Vec<f64> {
        let (n, m) = (centered.len(), self.size());
        debug_assert!(2 * n <= m);
        let mut re = vec![0.0; m];
        re[..n].copy_from_slice(centered);
        let mut im = vec![0.0; m];
        self.transform(&mut re, &mut im, false);
        for (r, i) in re.iter_mut().zip(im.iter_mut()) {
            *r = *r * *r + *i * *i;
            *i = 0.0;
        }
        self.transform(&mut re, &mut im, true);
        re.truncate(n);
        let scale = (m * n) as f64;
        re.iter().map(|v| v / scale).collect()
    }
}

/// The FFT plan for autocovariances of series of length `n`: the next power of two ≥ 2n.
pub fn plan_for(n: usize) -> Radix2Fft {
    Radix2Fft::new((2 * n).next_power_of_two())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_direct_sums() {
        let d: Vec<f64> = (0..37)
            .map(|i| ((i * 17 % 11) as f64 - 5.0) * 0.3)
            .collect();
        let fast = plan_for(37).autocovariance(&d);
        let g0: f64 = d.iter().map(|v| v * v).sum::<f64>() / 37.0;
        for (t, f) in fast.iter().enumerate() {
            let direct: f64 = (0..37 - t).map(|i| d[i] * d[i + t]).sum::<f64>() / 37.0;
            assert!((f - direct).abs() < 1e-14 * g0, "lag {t}: {f} vs {direct}");
        }
    }

    #[test]
    fn round_trip() {
        let mut re = vec![1.0, 2.0, -1.0, 0.5, 0.0, 3.0, 2.0, -2.0];
        let orig = re.clone();
        let mut im = vec![0.0; 8];
        let fft = Radix2Fft::new(8);
        fft.transform(&mut re, &mut im, false);
        fft.transform(&mut re, &mut im, true);
        for (a, b) in re.iter().zip(&orig) {
            assert!((a / 8.0 - b).abs() < 1e-15);
        }
    }
}
