//! Minnesota radon, varying intercepts, non-centered: `alpha_j = mu_alpha + sigma_alpha z_j`,
//! `log_radon_n ~ N(alpha[county_n] + beta floor_n, sigma_y)`, half-normal(0, 1) scales
//! (sampled on the log scale with Jacobian), `N(0, 10)` for `mu_alpha` and `beta`.

use std::path::Path;

use super::data::{DataError, StanJson, bench_path};
use super::normal_lpdf;
use crate::model::{EvalError, LogDensity, Model};
use crate::rng::ChainRng;

/// Prior standard deviation of `mu_alpha` and `beta` (issue 2).
pub const LOCATION_PRIOR_SD: f64 = 10.0;

/// The radon model. Unconstrained order:
/// `mu_alpha, beta, log sigma_alpha, log sigma_y, z[1..J]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Radon {
    /// Number of counties.
    pub counties: usize,
    /// 0-based county of each home.
    pub county: Vec<usize>,
    /// Floor indicator per home.
    pub floor: Vec<f64>,
    /// Log radon per home.
    pub log_radon: Vec<f64>,
}

impl Radon {
    /// Reads Stan JSON with `J`, `county_idx` (1-based), `floor_measure`, `log_radon`.
    pub fn read(path: &Path) -> Result<Self, DataError> {
        let j = StanJson::read(path)?;
        let counties = j.int("J")?;
        let idx = j.ints("county_idx")?;
        let floor = j.reals("floor_measure")?;
        let log_radon = j.reals("log_radon")?;
        j.check_len(
            idx.len(),
            &[
                ("floor_measure", floor.len()),
                ("log_radon", log_radon.len()),
            ],
        )?;
        if counties < 1 {
            return Err(j.invalid(format!("`J` = {counties} must be positive")));
        }
        let mut county = Vec::with_capacity(idx.len());
        for (n, c) in idx.iter().enumerate() {
            if *c < 1 || *c > counties {
                return Err(j.invalid(format!(
                    "`county_idx[{}]` = {c} is outside 1..{counties}",
                    n + 1
                )));
            }
            county.push((*c - 1) as usize);
        }
        Ok(Radon {
            counties: counties as usize,
            county,
            floor,
            log_radon,
        })
    }

    /// `data/bench/radon_mn.json`.
    pub fn bench() -> Result<Self, DataError> {
        Self::read(&bench_path("radon_mn.json"))
    }
}

impl LogDensity for Radon {
    fn dim(&self) -> usize {
        4 + self.counties
    }
    fn log_density_and_gradient(&self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let (mu, beta, ua, uy) = (q[0], q[1], q[2], q[3]);
        let (sa, sy) = (ua.exp(), uy.exp());
        let z = &q[4..];
        let (lp_mu, g_mu) = normal_lpdf(mu, 0.0, LOCATION_PRIOR_SD);
        let (lp_beta, g_beta) = normal_lpdf(beta, 0.0, LOCATION_PRIOR_SD);
        // Half-normal(0, 1) on each scale plus the log-Jacobian of exp.
        let mut lp = lp_mu + lp_beta - 0.5 * sa * sa + ua - 0.5 * sy * sy + uy;
        grad[0] = g_mu;
        grad[1] = g_beta;
        grad[2] = 1.0 - sa * sa;
        grad[3] = 1.0 - sy * sy;
        let gz = &mut grad[4..];
        for (g, zj) in gz.iter_mut().zip(z) {
            lp -= 0.5 * zj * zj;
            *g = -zj;
        }
        let inv_var = 1.0 / (sy * sy);
        let mut sum_sq = 0.0;
        for ((c, f), y) in self.county.iter().zip(&self.floor).zip(&self.log_radon) {
            let r = y - (mu + sa * z[*c]) - beta * f;
            let e = r * inv_var;
            sum_sq += r * r;
            grad[0] += e;
            grad[1] += e * f;
            grad[2] += e * z[*c] * sa;
            grad[4 + c] += e * sa;
        }
        let n = self.county.len() as f64;
        lp += -0.5 * sum_sq * inv_var - n * uy;
        grad[3] += sum_sq * inv_var - n;
        Ok(lp)
    }
}

impl Model for Radon {
    fn output_names(&self) -> Vec<String> {
        ["mu_alpha", "beta", "sigma_alpha", "sigma_y"]
            .iter()
            .map(|s| s.to_string())
            .chain((1..=self.counties).map(|j| format!("z.{j}")))
            .chain((1..=self.counties).map(|j| format!("alpha.{j}")))
            .collect()
    }
    fn write_output(
        &self,
        q: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        let sa = q[2].exp();
        out.extend_from_slice(&[q[0], q[1], sa, q[3].exp()]);
        out.extend_from_slice(&q[4..]);
        out.extend(q[4..].iter().map(|z| q[0] + sa * z));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::finite_diff::{gradient_error, test_point};

    #[test]
    fn gradient_matches_finite_differences() {
        let r = Radon::bench().unwrap();
        assert_eq!((r.counties, r.county.len()), (85, 919));
        assert!(gradient_error(&r, &test_point(89, 0.5), 1e-6).unwrap() < 1e-5);
        assert_eq!(r.output_names().len(), 4 + 170);
    }
}
