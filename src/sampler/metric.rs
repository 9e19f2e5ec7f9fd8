//! The Euclidean metric: kinetic energy, velocity `M⁻¹p`, and momentum draws `p ~ N(0, M)`.

use nalgebra::DMatrix;
use rand_distr::{Distribution, StandardNormal};

use crate::draws::InvMetric;
use crate::rng::ChainRng;

/// A Euclidean metric given by its inverse `M⁻¹` (the posterior covariance estimate).
#[derive(Debug, Clone, PartialEq)]
pub enum Metric {
    /// Diagonal `M⁻¹`, with `1/sqrt(M⁻¹ᵢᵢ)` cached for momentum draws.
    Diag {
        /// Diagonal of `M⁻¹`.
        inv: Vec<f64>,
        /// `sqrt(Mᵢᵢ) = 1 / sqrt(M⁻¹ᵢᵢ)`.
        sqrt_m: Vec<f64>,
    },
    /// Dense `M⁻¹ = L Lᵀ`, row-major, with its lower Cholesky factor `L`.
    Dense {
        /// Dimension.
        dim: usize,
        /// `M⁻¹`, row-major.
        inv: Vec<f64>,
        /// Lower Cholesky factor of `M⁻¹`, row-major.
        chol: Vec<f64>,
    },
}

impl Metric {
    /// The unit diagonal metric (Stan's initial `diag_e` metric).
    pub fn unit_diag(dim: usize) -> Self {
        Metric::Diag {
            inv: vec![1.0; dim],
            sqrt_m: vec![1.0; dim],
        }
    }

    /// The identity dense metric (Stan's initial `dense_e` metric).
    pub fn unit_dense(dim: usize) -> Self {
        let mut inv = vec![0.0; dim * dim];
        for i in 0..dim {
            inv[i * dim + i] = 1.0;
        }
        Metric::Dense {
            dim,
            chol: inv.clone(),
            inv,
        }
    }

    /// A diagonal metric from `M⁻¹` diagonal entries, which must be positive and finite.
    pub fn diag(inv: Vec<f64>) -> Result<Self, String> {
        if let Some(i) = inv.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
            return Err(format!(
                "inverse metric element {} is {}, not positive and finite",
                i + 1,
                inv[i]
            ));
        }
        let sqrt_m = inv.iter().map(|v| 1.0 / v.sqrt()).collect();
        Ok(Metric::Diag { inv, sqrt_m })
    }

    /// A dense metric from a row-major `M⁻¹`, which must be symmetric positive definite.
    pub fn dense(dim: usize, inv: Vec<f64>) -> Result<Self, String> {
        if inv.len() != dim * dim {
            return Err(format!(
                "dense inverse metric has {} values, expected {}",
                inv.len(),
                dim * dim
            ));
        }
        if inv.iter().any(|v| !v.is_finite()) {
            return Err("dense inverse metric has a non-finite element".into());
        }
        let m = DMatrix::from_row_slice(dim, dim, &inv);
        let chol = m
            .cholesky()
            .ok_or("dense inverse metric is not positive definite")?;
        let l = chol.l();
        let mut chol = vec![0.0; dim * dim];
        for i in 0..dim {
            for j in 0..=i {
                chol[i * dim + j] = l[(i, j)];
            }
        }
        Ok(Metric::Dense { dim, inv, chol })
    }

    /// Builds the metric an [`InvMetric`] describes.
    pub fn from_inv_metric(m: &InvMetric) -> Result<Self, String> {
        match m {
            InvMetric::Diag(v) => Metric::diag(v.clone()),
            InvMetric::Dense { dim, values } => Metric::dense(*dim, values.clone()),
        }
    }

    /// The inverse metric for reporting.
    pub fn to_inv_metric(&self) -> InvMetric {
        match self {
            Metric::Diag { inv, .. } => InvMetric::Diag(inv.clone()),
            Metric::Dense { dim, inv, .. } => InvMetric::Dense {
                dim: *dim,
                values: inv.clone(),
            },
        }
    }

    /// Writes the velocity `M⁻¹p` (Stan's `dtau_dp`, "p sharp") into `v`.
    #[inline]
    pub fn velocity(&self, p: &[f64], v: &mut [f64]) {
        match self {
            Metric::Diag { inv, .. } => {
                for ((vi, pi), mi) in v.iter_mut().zip(p).zip(inv) {
                    *vi = mi * pi;
                }
            }
            Metric::Dense { dim, inv, .. } => {
                for (i, vi) in v.iter_mut().enumerate() {
                    let row = &inv[i * dim..(i + 1) * dim];
                    *vi = row.iter().zip(p).map(|(a, b)| a * b).sum();
                }
            }
        }
    }

    /// Draws `p ~ N(0, M)` into `p`.
    pub fn sample_momentum(&self, rng: &mut ChainRng, p: &mut [f64]) {
        match self {
            Metric::Diag { sqrt_m, .. } => {
                for (pi, s) in p.iter_mut().zip(sqrt_m) {
                    let u: f64 = StandardNormal.sample(rng);
                    *pi = u * s;
                }
            }
            Metric::Dense { dim, chol, .. } => {
                // p = L⁻ᵀ u has covariance (L Lᵀ)⁻¹ = M: back substitution on Lᵀ p = u.
                let n = *dim;
                for pi in p.iter_mut() {
                    *pi = StandardNormal.sample(rng);
                }
                for i in (0..n).rev() {
                    let mut s = p[i];
                    for j in i + 1..n {
                        s -= chol[j * n + i] * p[j];
                    }
                    p[i] = s / chol[i * n + i];
                }
            }
        }
    }
}

/// Kinetic energy `½ pᵀ M⁻¹ p` from a momentum and its velocity.
#[inline]
pub fn kinetic_energy(p: &[f64], v: &[f64]) -> f64 {
    0.5 * dot(p, v)
}

/// The dot product.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chain_rng;

    #[test]
    fn dense_momentum_has_covariance_m() {
        // M⁻¹ = [[2, 1], [1, 2]] so M = [[2, -1], [-1, 2]] / 3.
        let m = Metric::dense(2, vec![2.0, 1.0, 1.0, 2.0]).unwrap();
        let mut rng = chain_rng(1, 0);
        let n = 200_000;
        let (mut s00, mut s01, mut s11) = (0.0, 0.0, 0.0);
        let mut p = [0.0; 2];
        for _ in 0..n {
            m.sample_momentum(&mut rng, &mut p);
            s00 += p[0] * p[0];
            s01 += p[0] * p[1];
            s11 += p[1] * p[1];
        }
        let nf = n as f64;
        assert!((s00 / nf - 2.0 / 3.0).abs() < 0.01);
        assert!((s01 / nf + 1.0 / 3.0).abs() < 0.01);
        assert!((s11 / nf - 2.0 / 3.0).abs() < 0.01);
        let mut v = [0.0; 2];
        m.velocity(&[1.0, 0.0], &mut v);
        assert_eq!(v, [2.0, 1.0]);
    }

    #[test]
    fn invalid_metrics_are_rejected() {
        assert!(
            Metric::diag(vec![1.0, 0.0])
                .unwrap_err()
                .contains("element 2")
        );
        assert!(Metric::dense(2, vec![1.0, 2.0, 2.0, 1.0]).is_err());
        assert!(Metric::dense(2, vec![1.0]).is_err());
    }
}
