//! Generalised linear model densities: `normal_id_glm`, `bernoulli_logit_glm`,
//! `poisson_log_glm` and `binomial_logit_glm`, each `family(y | alpha + x * beta, ...)` as one call.
//!
//! The linear predictor is formed once, the univariate kernel is applied to it, and its
//! partial is pulled back to `x` (N x K, column-major), `alpha` (scalar or length N) and
//! `beta` (length K).

use super::args::{Arg, IntArg, MatRef};
use super::bernoulli::BernoulliLogit;
use super::binomial::BinomialLogit;
use super::error::{DistError, check_partial};
use super::kernel::{Family, log_density};
use super::normal::Normal;
use super::poisson::PoissonLog;

/// The regression part of a GLM call: `alpha + x * beta`.
#[derive(Debug, Clone, Copy)]
pub struct Linear<'a> {
    /// Design matrix, N x K column-major.
    pub x: MatRef<'a>,
    /// Intercept: scalar or one per row.
    pub alpha: Arg<'a>,
    /// Coefficients, length K.
    pub beta: &'a [f64],
}

/// Partial buffers for a [`Linear`] predictor; `None` marks a constant.
#[derive(Debug, Default)]
pub struct LinearPartials<'a> {
    /// Shaped like `x`.
    pub x: Option<&'a mut [f64]>,
    /// Shaped like `alpha` (length 1 for a scalar).
    pub alpha: Option<&'a mut [f64]>,
    /// Shaped like `beta`.
    pub beta: Option<&'a mut [f64]>,
}

impl LinearPartials<'_> {
    fn check(&self, function: &str, lin: &Linear) -> Result<(), DistError> {
        check_partial(function, "x", self.x.as_deref(), lin.x.data.len())?;
        check_partial(
            function,
            "alpha",
            self.alpha.as_deref(),
            lin.alpha.partial_len(),
        )?;
        check_partial(function, "beta", self.beta.as_deref(), lin.beta.len())
    }

    fn any(&self) -> bool {
        self.x.is_some() || self.alpha.is_some() || self.beta.is_some()
    }
}

impl Linear<'_> {
    fn eta(&self, function: &str) -> Result<Vec<f64>, DistError> {
        let (n, k) = (self.x.rows, self.x.cols);
        let shape = |arg, message: String| DistError::Shape {
            function: function.to_string(),
            arg,
            message,
        };
        if self.beta.len() != k {
            return Err(shape(
                "beta",
                format!("has length {}, but x has {k} columns", self.beta.len()),
            ));
        }
        if let Some(len) = self.alpha.len()
            && len != n
        {
            return Err(shape(
                "alpha",
                format!("has length {len}, but x has {n} rows"),
            ));
        }
        let mut eta: Vec<f64> = (0..n).map(|i| self.alpha.at(i)).collect();
        for (j, b) in self.beta.iter().enumerate() {
            for (i, e) in eta.iter_mut().enumerate() {
                *e += self.x.at(i, j) * b;
            }
        }
        if let Some(i) = eta.iter().position(|v| !v.is_finite()) {
            return Err(DistError::Domain {
                function: function.to_string(),
                arg: "linear predictor",
                index: format!("[{}]", i + 1),
                value: eta[i],
                requirement: "finite",
            });
        }
        Ok(eta)
    }

    fn pull_back(&self, deta: &[f64], p: LinearPartials) {
        let n = self.x.rows;
        if let Some(b) = p.alpha {
            match self.alpha {
                Arg::Scalar(_) => b[0] += deta.iter().sum::<f64>(),
                Arg::Vector(_) => b.iter_mut().zip(deta).for_each(|(o, d)| *o += d),
            }
        }
        if let Some(b) = p.beta {
            for (j, o) in b.iter_mut().enumerate() {
                *o += (0..n).map(|i| self.x.at(i, j) * deta[i]).sum::<f64>();
            }
        }
        if let Some(b) = p.x {
            for (j, beta) in self.beta.iter().enumerate() {
                for (i, d) in deta.iter().enumerate() {
                    b[i + j * n] += d * beta;
                }
            }
        }
    }
}

/// `normal_id_glm_lpdf(y | x, alpha, beta, sigma)`.
pub fn normal_id_glm_lpdf(
    y: Arg,
    lin: Linear,
    sigma: Arg,
    propto: bool,
    dy: Option<&mut [f64]>,
    dlin: LinearPartials,
    dsigma: Option<&mut [f64]>,
) -> Result<f64, DistError> {
    let eta = lin.eta("normal_id_glm_lpdf")?;
    dlin.check("normal_id_glm_lpdf", &lin)?;
    let mut deta = dlin.any().then(|| vec![0.0; eta.len()]);
    let lp = log_density::<Normal>(
        &[],
        &[y, Arg::Vector(&eta), sigma],
        propto,
        &mut [dy, deta.as_deref_mut(), dsigma],
    )
    .map_err(|e| e.renamed("normal_id_glm_lpdf"))?;
    if let Some(d) = deta {
        lin.pull_back(&d, dlin);
    }
    Ok(lp)
}

/// A GLM whose univariate kernel takes an integer outcome and the linear predictor.
fn discrete_glm<F: Family>(
    function: &str,
    ints: &[IntArg],
    lin: Linear,
    propto: bool,
    dlin: LinearPartials,
) -> Result<f64, DistError> {
    let eta = lin.eta(function)?;
    dlin.check(function, &lin)?;
    let mut deta = dlin.any().then(|| vec![0.0; eta.len()]);
    let lp = log_density::<F>(
        ints,
        &[Arg::Vector(&eta)],
        propto,
        &mut [deta.as_deref_mut()],
    )
    .map_err(|e| e.renamed(function))?;
    if let Some(d) = deta {
        lin.pull_back(&d, dlin);
    }
    Ok(lp)
}

/// `bernoulli_logit_glm_lpmf(y | x, alpha, beta)`.
pub fn bernoulli_logit_glm_lpmf(
    y: IntArg,
    lin: Linear,
    propto: bool,
    dlin: LinearPartials,
) -> Result<f64, DistError> {
    discrete_glm::<BernoulliLogit>("bernoulli_logit_glm_lpmf", &[y], lin, propto, dlin)
}

/// `poisson_log_glm_lpmf(y | x, alpha, beta)`.
pub fn poisson_log_glm_lpmf(
    y: IntArg,
    lin: Linear,
    propto: bool,
    dlin: LinearPartials,
) -> Result<f64, DistError> {
    discrete_glm::<PoissonLog>("poisson_log_glm_lpmf", &[y], lin, propto, dlin)
}

/// `binomial_logit_glm_lpmf(n | N, x, alpha, beta)`: `binomial_logit(n | N, alpha + x * beta)`.
pub fn binomial_logit_glm_lpmf(
    n: IntArg,
    trials: IntArg,
    lin: Linear,
    propto: bool,
    dlin: LinearPartials,
) -> Result<f64, DistError> {
    discrete_glm::<BinomialLogit>("binomial_logit_glm_lpmf", &[n, trials], lin, propto, dlin)
}
