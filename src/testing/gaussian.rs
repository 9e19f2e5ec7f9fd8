//! Gaussian targets with known moments: independent normals with widely spread scales, and
//! correlated multivariate normals (2-d with ρ = 0.99, 50-d with a dense covariance).

use nalgebra::DMatrix;

use crate::model::{EvalError, LogDensity, Model};
use crate::rng::ChainRng;

fn coordinate_names(d: usize) -> Vec<String> {
    (1..=d).map(|i| format!("x.{i}")).collect()
}

/// Independent normals `x_i ~ N(0, scale_i)`.
#[derive(Debug, Clone, PartialEq)]
pub struct IidNormal {
    /// Standard deviations.
    pub scales: Vec<f64>,
}

impl IidNormal {
    /// `dim` normals with standard deviations log-spaced from `lo` to `hi`.
    pub fn log_spaced(dim: usize, lo: f64, hi: f64) -> Self {
        let scales = (0..dim)
            .map(|i| {
                let t = if dim > 1 {
                    i as f64 / (dim - 1) as f64
                } else {
                    0.0
                };
                (lo.ln() + t * (hi.ln() - lo.ln())).exp()
            })
            .collect();
        IidNormal { scales }
    }

    /// The target: d = 100, scales 0.01 … 100.
    pub fn standard() -> Self {
        Self::log_spaced(100, 0.01, 100.0)
    }
}

impl LogDensity for IidNormal {
    fn dim(&self) -> usize {
        self.scales.len()
    }
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let mut lp = 0.0;
        for ((g, xi), s) in grad.iter_mut().zip(x).zip(&self.scales) {
            let z = xi / s;
            lp -= 0.5 * z * z;
            *g = -z / s;
        }
        Ok(lp)
    }
}

impl Model for IidNormal {
    fn output_names(&self) -> Vec<String> {
        coordinate_names(self.dim())
    }
    fn write_output(
        &self,
        x: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.extend_from_slice(x);
        Ok(())
    }
}

/// A zero-mean multivariate normal with covariance `cov`.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelatedGaussian {
    dim: usize,
    /// Covariance, row-major.
    pub cov: Vec<f64>,
    precision: Vec<f64>,
}

impl CorrelatedGaussian {
    /// From a row-major covariance matrix; `Err` unless it is symmetric positive definite.
    pub fn new(dim: usize, cov: Vec<f64>) -> Result<Self, String> {
        if cov.len() != dim * dim {
            return Err(format!(
                "covariance has {} values, expected {}",
                cov.len(),
                dim * dim
            ));
        }
        let m = DMatrix::from_row_slice(dim, dim, &cov);
        if (&m - m.transpose()).abs().max() > 1e-12 {
            return Err("covariance is not symmetric".into());
        }
        let p = m
            .cholesky()
            .ok_or("covariance is not positive definite")?
            .inverse();
        let precision = (0..dim * dim).map(|k| p[(k / dim, k % dim)]).collect();
        Ok(CorrelatedGaussian {
            dim,
            cov,
            precision,
        })
    }

    /// Two unit-variance coordinates with correlation `rho` (the issue uses 0.99).
    pub fn pair(rho: f64) -> Self {
        Self::new(2, vec![1.0, rho, rho, 1.0]).expect("|rho| < 1 gives a valid covariance")
    }

    /// The 50-d target: `cov_ij = s_i s_j 0.9^|i−j|` with scales log-spaced 0.5 … 2, a dense
    /// covariance with strong neighbour correlation (condition number ≈ 300).
    pub fn dense50() -> Self {
        let d = 50;
        let s = IidNormal::log_spaced(d, 0.5, 2.0).scales;
        let cov = (0..d * d)
            .map(|k| {
                let (i, j) = (k / d, k % d);
                s[i] * s[j] * 0.9f64.powi((i as i32 - j as i32).abs())
            })
            .collect();
        Self::new(d, cov).expect("an AR(1) covariance is positive definite")
    }

    /// The variance of coordinate `i`.
    pub fn variance(&self, i: usize) -> f64 {
        self.cov[i * self.dim + i]
    }
}

impl LogDensity for CorrelatedGaussian {
    fn dim(&self) -> usize {
        self.dim
    }
    fn log_density_and_gradient(&self, x: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let mut lp = 0.0;
        for (i, g) in grad.iter_mut().enumerate() {
            let row = &self.precision[i * self.dim..(i + 1) * self.dim];
            let px: f64 = row.iter().zip(x).map(|(a, b)| a * b).sum();
            *g = -px;
            lp -= 0.5 * x[i] * px;
        }
        Ok(lp)
    }
}

impl Model for CorrelatedGaussian {
    fn output_names(&self) -> Vec<String> {
        coordinate_names(self.dim)
    }
    fn write_output(
        &self,
        x: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.extend_from_slice(x);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::finite_diff::{gradient_error, test_point};

    #[test]
    fn gradients_match_finite_differences() {
        let iid = IidNormal::log_spaced(5, 0.1, 10.0);
        assert!(gradient_error(&iid, &test_point(5, 0.3), 1e-6).unwrap() < 1e-5);
        let pair = CorrelatedGaussian::pair(0.99);
        assert!(gradient_error(&pair, &test_point(2, 1.0), 1e-6).unwrap() < 1e-5);
        let dense = CorrelatedGaussian::dense50();
        assert!(gradient_error(&dense, &test_point(50, 1.0), 1e-6).unwrap() < 1e-5);
        assert!((iid.scales[4] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn invalid_covariances_are_rejected() {
        assert!(CorrelatedGaussian::new(2, vec![1.0, 2.0, 2.0, 1.0]).is_err());
        assert!(CorrelatedGaussian::new(2, vec![1.0, 0.5, 0.4, 1.0]).is_err());
    }
}
