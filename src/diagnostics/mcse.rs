//! Monte Carlo standard errors of the mean, the sd (delta method) and quantiles
//! (Vehtari et al. 2021, section 4.4: an interval of the Beta posterior of the
//! indicator's mean, mapped back through order statistics).

use statrs::function::beta::inv_beta_reg;

/// Probabilities Φ(−1) and Φ(+1), rounded to 7 digits as ArviZ 0.23 uses them: the
/// quantile MCSE is half the width of this ±1-sd interval.
pub const ONE_SD_PROBS: (f64, f64) = (0.158_655_3, 0.841_344_7);

/// MCSE of the mean: sd / √ESS.
pub fn mcse_mean(sd: f64, ess_mean: f64) -> f64 {
    sd / ess_mean.sqrt()
}

/// MCSE of the sd by the delta method, from the squared deviations `c = (x − mean)²`
/// of all draws and their ESS.
pub fn mcse_sd(squared_deviations: &[f64], ess_sd: f64) -> f64 {
    let size = squared_deviations.len() as f64;
    let e = squared_deviations.iter().sum::<f64>() / size;
    let e2 = squared_deviations.iter().map(|c| c * c).sum::<f64>() / size;
    ((e2 - e * e) / ess_sd / e / 4.0).sqrt()
}

/// MCSE of the `p` quantile from the ascending draws and that quantile's ESS.
pub fn mcse_quantile(sorted: &[f64], p: f64, ess: f64) -> f64 {
    if !ess.is_finite() || sorted.is_empty() {
        return f64::NAN;
    }
    let (a, b) = (ess * p + 1.0, ess * (1.0 - p) + 1.0);
    let lo = inv_beta_reg(a, b, ONE_SD_PROBS.0);
    let hi = inv_beta_reg(a, b, ONE_SD_PROBS.1);
    let size = sorted.len() as f64;
    let i1 = (lo * size - 1.0).max(0.0).floor() as usize;
    let i2 = (hi * size - 1.0).min(size - 1.0).ceil() as usize;
    (sorted[i2] - sorted[i1]) / 2.0
}
