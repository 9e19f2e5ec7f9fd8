//! Eight schools (Rubin 1981), centered and non-centered: `mu ~ N(0, 5)`,
//! `tau ~ half-Cauchy(0, 5)` sampled as `log tau` with its Jacobian, `y_j ~ N(theta_j, sigma_j)`.

use std::path::Path;

use super::data::{DataError, StanJson, bench_path};
use crate::model::{EvalError, LogDensity, Model};
use crate::rng::ChainRng;

/// Prior scale of `mu` (posteriordb `eight_schools_noncentered`: `mu ~ normal(0, 5)`).
pub const MU_PRIOR_SD: f64 = 5.0;
/// Prior scale of `tau` (posteriordb: `tau ~ cauchy(0, 5)`, `tau > 0`).
pub const TAU_PRIOR_SCALE: f64 = 5.0;

/// The observed effects and their standard errors.
#[derive(Debug, Clone, PartialEq)]
pub struct SchoolsData {
    /// Estimated effects.
    pub y: Vec<f64>,
    /// Standard errors.
    pub sigma: Vec<f64>,
}

impl SchoolsData {
    /// Reads Stan JSON with `J`, `y`, `sigma`.
    pub fn read(path: &Path) -> Result<Self, DataError> {
        let j = StanJson::read(path)?;
        let y = j.reals("y")?;
        let sigma = j.reals("sigma")?;
        j.check_len(y.len(), &[("sigma", sigma.len())])?;
        if let Some(k) = sigma.iter().position(|s| s.is_nan() || *s <= 0.0) {
            return Err(j.invalid(format!("`sigma[{}]` must be positive", k + 1)));
        }
        Ok(SchoolsData { y, sigma })
    }

    /// `data/bench/eight_schools.json`.
    pub fn bench() -> Result<Self, DataError> {
        Self::read(&bench_path("eight_schools.json"))
    }
}

/// Prior terms of `mu` and `u = log tau` (half-Cauchy plus Jacobian): value, d/dmu, d/du.
fn hyperprior(mu: f64, u: f64) -> (f64, f64, f64) {
    let tau = u.exp();
    let r = tau / TAU_PRIOR_SCALE;
    let lp = -0.5 * (mu / MU_PRIOR_SD).powi(2) - (r * r).ln_1p() + u;
    (
        lp,
        -mu / (MU_PRIOR_SD * MU_PRIOR_SD),
        1.0 - 2.0 * r * r / (1.0 + r * r),
    )
}

fn indexed(name: &str, n: usize) -> impl Iterator<Item = String> + '_ {
    (1..=n).map(move |i| format!("{name}.{i}"))
}

/// Non-centered: `theta = mu + tau · theta_tilde`, `theta_tilde ~ N(0, 1)`.
/// Unconstrained order: `mu, log tau, theta_tilde[1..J]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EightSchoolsNonCentered {
    /// The data.
    pub data: SchoolsData,
}

impl EightSchoolsNonCentered {
    /// With the benchmark data.
    pub fn bench() -> Result<Self, DataError> {
        Ok(EightSchoolsNonCentered {
            data: SchoolsData::bench()?,
        })
    }
}

impl LogDensity for EightSchoolsNonCentered {
    fn dim(&self) -> usize {
        2 + self.data.y.len()
    }
    fn log_density_and_gradient(&self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let (mu, u) = (q[0], q[1]);
        let tau = u.exp();
        let (mut lp, mut g_mu, mut g_u) = hyperprior(mu, u);
        for (j, (y, s)) in self.data.y.iter().zip(&self.data.sigma).enumerate() {
            let t = q[2 + j];
            let r = (y - mu - tau * t) / (s * s);
            lp += -0.5 * t * t - 0.5 * r * (y - mu - tau * t);
            g_mu += r;
            g_u += r * t * tau;
            grad[2 + j] = -t + r * tau;
        }
        grad[0] = g_mu;
        grad[1] = g_u;
        Ok(lp)
    }
}

impl Model for EightSchoolsNonCentered {
    fn output_names(&self) -> Vec<String> {
        let j = self.data.y.len();
        ["mu".to_string(), "tau".to_string()]
            .into_iter()
            .chain(indexed("theta_tilde", j))
            .chain(indexed("theta", j))
            .collect()
    }
    fn write_output(
        &self,
        q: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        let tau = q[1].exp();
        out.push(q[0]);
        out.push(tau);
        out.extend_from_slice(&q[2..]);
        out.extend(q[2..].iter().map(|t| q[0] + tau * t));
        Ok(())
    }
}

/// Centered: `theta_j ~ N(mu, tau)`. Unconstrained order: `mu, log tau, theta[1..J]`.
#[derive(Debug, Clone, PartialEq)]
pub struct EightSchoolsCentered {
    /// The data.
    pub data: SchoolsData,
}

impl EightSchoolsCentered {
    /// With the benchmark data.
    pub fn bench() -> Result<Self, DataError> {
        Ok(EightSchoolsCentered {
            data: SchoolsData::bench()?,
        })
    }
}

impl LogDensity for EightSchoolsCentered {
    fn dim(&self) -> usize {
        2 + self.data.y.len()
    }
    fn log_density_and_gradient(&self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let (mu, u) = (q[0], q[1]);
        let inv_var = (-2.0 * u).exp();
        let (mut lp, mut g_mu, mut g_u) = hyperprior(mu, u);
        for (j, (y, s)) in self.data.y.iter().zip(&self.data.sigma).enumerate() {
            let th = q[2 + j];
            let d = th - mu;
            let e = (y - th) / (s * s);
            lp += -0.5 * d * d * inv_var - u - 0.5 * e * (y - th);
            g_mu += d * inv_var;
            g_u += d * d * inv_var - 1.0;
            grad[2 + j] = -d * inv_var + e;
        }
        grad[0] = g_mu;
        grad[1] = g_u;
        Ok(lp)
    }
}

impl Model for EightSchoolsCentered {
    fn output_names(&self) -> Vec<String> {
        ["mu".to_string(), "tau".to_string()]
            .into_iter()
            .chain(indexed("theta", self.data.y.len()))
            .collect()
    }
    fn write_output(
        &self,
        q: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.push(q[0]);
        out.push(q[1].exp());
        out.extend_from_slice(&q[2..]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::finite_diff::{gradient_error, test_point};

    #[test]
    fn gradients_match_finite_differences() {
        let nc = EightSchoolsNonCentered::bench().unwrap();
        let c = EightSchoolsCentered::bench().unwrap();
        for scale in [0.5, 2.0] {
            let x = test_point(10, scale);
            assert!(gradient_error(&nc, &x, 1e-6).unwrap() < 1e-5);
            assert!(gradient_error(&c, &x, 1e-6).unwrap() < 1e-5);
        }
        assert_eq!(nc.output_names().len(), 18);
        assert_eq!(c.output_names()[2], "theta.1");
    }

    #[test]
    fn bad_data_is_named() {
        let dir = std::env::temp_dir().join("hazel_eight_schools_bad.json");
        std::fs::write(&dir, r#"{"J": 2, "y": [1, 2], "sigma": [1]}"#).unwrap();
        let e = SchoolsData::read(&dir).unwrap_err().to_string();
        assert!(e.contains("sigma"), "{e}");
    }
}
