//! PSIS-LOO estimates from a pointwise log-likelihood matrix (Vehtari, Gelman, Gabry 2017):
//! per observation the smoothed leave-one-out predictive density and k-hat, and the
//! totals elpd_loo, its standard error, p_loo and looic.

use super::LooError;
use super::khat::ParetoBands;
use super::log_lik::LogLik;
use super::psis::{log_sum_exp, psis};

/// Per-observation PSIS-LOO values.
#[derive(Debug, Clone, PartialEq)]
pub struct Pointwise {
    /// Leave-one-out expected log predictive density of the observation.
    pub elpd_loo: f64,
    /// Log pointwise predictive density `log((1/S) Σ_s p(y_i | θ_s))`.
    pub lppd: f64,
    /// Effective number of parameters of the observation, `lppd − elpd_loo`.
    pub p_loo: f64,
    /// Pareto shape of the observation's importance ratios.
    pub k_hat: f64,
}

/// The PSIS-LOO estimate of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct LooResult {
    /// Sum of the pointwise elpd_loo.
    pub elpd_loo: f64,
    /// Standard error of elpd_loo, `√(n · Var(elpd_loo_i))` with the population variance
    /// (ArviZ's convention; R `loo` divides by n − 1).
    pub se: f64,
    /// Effective number of parameters, `lppd − elpd_loo`.
    pub p_loo: f64,
    /// Standard error of p_loo, by the same rule as [`LooResult::se`].
    pub p_loo_se: f64,
    /// Total log pointwise predictive density.
    pub lppd: f64,
    /// Draws used (all chains pooled).
    pub draws: usize,
    /// One entry per observation.
    pub pointwise: Vec<Pointwise>,
    /// The k-hat threshold and the counts of observations in each band.
    pub bands: ParetoBands,
}

impl LooResult {
    /// The LOO information criterion on the deviance scale, `−2 · elpd_loo`.
    pub fn looic(&self) -> f64 {
        -2.0 * self.elpd_loo
    }

    /// Standard error of looic.
    pub fn looic_se(&self) -> f64 {
        2.0 * self.se
    }

    /// Number of observations.
    pub fn observations(&self) -> usize {
        self.pointwise.len()
    }

    /// The pointwise elpd_loo values.
    pub fn elpd_pointwise(&self) -> Vec<f64> {
        self.pointwise.iter().map(|p| p.elpd_loo).collect()
    }

    /// The pointwise k-hat values.
    pub fn k_hats(&self) -> Vec<f64> {
        self.pointwise.iter().map(|p| p.k_hat).collect()
    }
}

/// `√(n · population variance)` of pointwise values: the SE of their sum.
pub fn sum_se(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (n * var).sqrt()
}

/// PSIS-LOO of every observation of `log_lik`, with one relative efficiency per
/// observation (`r_eff[i]` = ESS / S of the observation's likelihood draws; all ones
/// treats the draws as independent, as ArviZ does with `reff=1`).
pub fn psis_loo(log_lik: &LogLik, r_eff: &[f64]) -> Result<LooResult, LooError> {
    let n = log_lik.observations();
    if r_eff.len() != n {
        return Err(LooError::REffLength {
            got: r_eff.len(),
            expected: n,
        });
    }
    if let Some((i, &r)) = r_eff
        .iter()
        .enumerate()
        .find(|(_, r)| !(r.is_finite() && **r > 0.0))
    {
        return Err(LooError::BadREff {
            observation: i + 1,
            value: r,
        });
    }
    let draws = log_lik.draws();
    let log_s = (draws as f64).ln();
    let pointwise: Vec<Pointwise> = (0..n)
        .map(|i| {
            let ll = log_lik.observation(i);
            let neg: Vec<f64> = ll.iter().map(|v| -v).collect();
            let smoothed = psis(&neg, r_eff[i]);
            let weighted: Vec<f64> = smoothed
                .log_weights
                .iter()
                .zip(ll)
                .map(|(w, l)| w + l)
                .collect();
            let elpd_loo = log_sum_exp(&weighted);
            let lppd = log_sum_exp(ll) - log_s;
            Pointwise {
                elpd_loo,
                lppd,
                p_loo: lppd - elpd_loo,
                k_hat: smoothed.k_hat,
            }
        })
        .collect();
    let elpd: Vec<f64> = pointwise.iter().map(|p| p.elpd_loo).collect();
    let p_loo: Vec<f64> = pointwise.iter().map(|p| p.p_loo).collect();
    let elpd_loo: f64 = elpd.iter().sum();
    let lppd: f64 = pointwise.iter().map(|p| p.lppd).sum();
    let k_hats: Vec<f64> = pointwise.iter().map(|p| p.k_hat).collect();
    Ok(LooResult {
        elpd_loo,
        se: sum_se(&elpd),
        p_loo: lppd - elpd_loo,
        p_loo_se: sum_se(&p_loo),
        lppd,
        draws,
        bands: ParetoBands::count(&k_hats, draws),
        pointwise,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_draws_give_the_plain_log_likelihood() {
        // A likelihood that does not vary over draws: elpd_loo = lppd = the value, p_loo = 0.
        let ll = LogLik::new(vec![vec![-1.5; 50], vec![-0.25; 50]], 2).unwrap();
        let r = psis_loo(&ll, &[1.0, 1.0]).unwrap();
        assert!((r.elpd_loo + 1.75).abs() < 1e-12);
        assert!(r.p_loo.abs() < 1e-12);
        assert!((r.se - 0.625 * 2f64.sqrt()).abs() < 1e-12); // √2 · sd_pop of {−1.5, −0.25}
        assert!((r.looic() - 3.5).abs() < 1e-12);
    }

    #[test]
    fn r_eff_is_checked() {
        let ll = LogLik::new(vec![vec![-1.0; 10]], 1).unwrap();
        assert!(matches!(
            psis_loo(&ll, &[1.0, 1.0]),
            Err(LooError::REffLength {
                got: 2,
                expected: 1
            })
        ));
        assert!(matches!(
            psis_loo(&ll, &[0.0]),
            Err(LooError::BadREff { observation: 1, .. })
        ));
    }
}
