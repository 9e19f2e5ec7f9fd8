//! A radix-2 complex fast Fourier transform, used for autocovariances in O(n log n).
//!
//! Iterative Cooley–Tukey: bit-reversal permutation, then butterflies of doubling span.
//! Twiddle factors are evaluated directly with `sin_cos` (no recurrence), so the rounding
//! error stays near machine precision relative to the signal's energy.

/// In-place FFT of the complex sequence (`re`, `im`), whose length must be a power of
/// two. `inverse` computes the unnormalized inverse (the caller divides by the length).
pub fn fft_in_place(re: &mut [f64], im: &mut [f64], inverse: bool) {
    let n = re.len();
    debug_assert!(n.is_power_of_two() && im.len() == n);
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
        let step = sign * std::f64::consts::PI / span as f64;
        for k in 0..span {
            let (s, c) = (step * k as f64).sin_cos();
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

/// Biased autocovariances (1/n) Σᵢ dᵢ dᵢ₊ₜ for t = 0..n of an already centered series,
/// by zero-padding to a power of two ≥ 2n (no circular wrap-around), |FFT|², inverse FFT.
pub fn autocovariance(centered: &[f64]) -> Vec<f64> {
    let n = centered.len();
    if n == 0 {
        return Vec::new();
    }
    let m = (2 * n).next_power_of_two();
    let mut re = vec![0.0; m];
    re[..n].copy_from_slice(centered);
    let mut im = vec![0.0; m];
    fft_in_place(&mut re, &mut im, false);
    for (r, i) in re.iter_mut().zip(im.iter_mut()) {
        *r = *r * *r + *i * *i;
        *i = 0.0;
    }
    fft_in_place(&mut re, &mut im, true);
    re.truncate(n);
    let scale = (m * n) as f64;
    re.iter().map(|v| v / scale).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_direct_sums() {
        let d: Vec<f64> = (0..37)
            .map(|i| ((i * 17 % 11) as f64 - 5.0) * 0.3)
            .collect();
        let fast = autocovariance(&d);
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
        fft_in_place(&mut re, &mut im, false);
        fft_in_place(&mut re, &mut im, true);
        for (a, b) in re.iter().zip(&orig) {
            assert!((a / 8.0 - b).abs() < 1e-15);
        }
    }
}
