//! Stationary Gaussian-process covariance functions (Stan's gp_exp_quad_cov,
//! gp_matern32_cov, gp_periodic_cov) over points in R^d, with the adjoints of the
//! covariance matrix with respect to the points and the hyperparameters.

/// A stationary covariance function of the distance r between two points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GpKernel {
    /// `α² exp(-r² / (2ρ²))`; hyperparameters (α, ρ).
    ExpQuad,
    /// `α² (1 + √3 r/ρ) exp(-√3 r/ρ)`; hyperparameters (α, ρ).
    Matern32,
    /// `α² exp(-2 sin²(π r / p) / ρ²)`; hyperparameters (α, ρ, p).
    Periodic,
}

/// Derivatives of one covariance entry: (k, ∂k/∂r, ∂k/∂α, ∂k/∂ρ, ∂k/∂p).
type EntryGrad = (f64, f64, f64, f64, f64);

impl GpKernel {
    /// The function's name in the Stan language.
    pub fn name(self) -> &'static str {
        match self {
            GpKernel::ExpQuad => "gp_exp_quad_cov",
            GpKernel::Matern32 => "gp_matern32_cov",
            GpKernel::Periodic => "gp_periodic_cov",
        }
    }

    /// Number of hyperparameters (α, ρ and, for the periodic kernel, the period).
    pub fn n_hyper(self) -> usize {
        if self == GpKernel::Periodic { 3 } else { 2 }
    }

    /// One entry and its partials at distance `r` with hyperparameters `h`.
    fn entry(self, r: f64, h: &[f64]) -> EntryGrad {
        let (alpha, rho) = (h[0], h[1]);
        let a2 = alpha * alpha;
        match self {
            GpKernel::ExpQuad => {
                let k = a2 * (-0.5 * r * r / (rho * rho)).exp();
                (
                    k,
                    -k * r / (rho * rho),
                    2.0 * k / alpha,
                    k * r * r / rho.powi(3),
                    0.0,
                )
            }
            GpKernel::Matern32 => {
                let s = 3f64.sqrt() * r / rho;
                let e = (-s).exp();
                let k = a2 * (1.0 + s) * e;
                let dr = -a2 * 3.0 * r / (rho * rho) * e;
                (k, dr, 2.0 * k / alpha, a2 * s * s / rho * e, 0.0)
            }
            GpKernel::Periodic => {
                let p = h[2];
                let u = std::f64::consts::PI * r / p;
                let (sn, cs) = u.sin_cos();
                let k = a2 * (-2.0 * sn * sn / (rho * rho)).exp();
                let du = -4.0 * k * sn * cs / (rho * rho);
                let dr = du * std::f64::consts::PI / p;
                let dp = du * (-u / p);
                (k, dr, 2.0 * k / alpha, 4.0 * k * sn * sn / rho.powi(3), dp)
            }
        }
    }

    /// Writes the `n×n` covariance of the `n` points in `x` (point `i` at
    /// `x[i·d..(i+1)·d]`) into `out`.
    pub fn forward(self, x: &[f64], d: usize, h: &[f64], out: &mut [f64]) {
        let n = x.len() / d;
        for j in 0..n {
            for i in j..n {
                let k = self.entry(dist(x, d, i, j), h).0;
                out[i + j * n] = k;
                out[j + i * n] = k;
            }
        }
    }

    /// Accumulates `x_adj` (if the points are parameters) and `h_adj` from the adjoint
    /// of the covariance matrix `k_adj`.
    pub fn backward(
        self,
        x: &[f64],
        d: usize,
        h: &[f64],
        k_adj: &[f64],
        mut x_adj: Option<&mut [f64]>,
        h_adj: &mut [f64; 3],
    ) {
        let n = x.len() / d;
        for j in 0..n {
            for i in j..n {
                let g = if i == j {
                    k_adj[i + i * n]
                } else {
                    k_adj[i + j * n] + k_adj[j + i * n]
                };
                let r = dist(x, d, i, j);
                let (_, dr, da, drho, dp) = self.entry(r, h);
                h_adj[0] += g * da;
                h_adj[1] += g * drho;
                h_adj[2] += g * dp;
                if let Some(xa) = x_adj.as_deref_mut()
                    && r > 0.0
                {
                    for c in 0..d {
                        let t = g * dr * (x[i * d + c] - x[j * d + c]) / r;
                        xa[i * d + c] += t;
                        xa[j * d + c] -= t;
                    }
                }
            }
        }
    }
}

fn dist(x: &[f64], d: usize, i: usize, j: usize) -> f64 {
    (0..d)
        .map(|c| (x[i * d + c] - x[j * d + c]).powi(2))
        .sum::<f64>()
        .sqrt()
}
