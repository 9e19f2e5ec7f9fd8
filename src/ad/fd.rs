//! Finite-difference gradient checks for any [`LogDensity`]: the reference every hand
//! written adjoint (tape ops, distribution kernels, whole models) is tested against.

use crate::model::{EvalError, LogDensity};

/// Relative step of the central differences: near the cube root of machine epsilon,
/// which balances truncation and rounding error (Nocedal & Wright, Numerical
/// Optimization, section 8.1).
pub const FD_RELATIVE_STEP: f64 = 6e-6;

/// The central finite-difference gradient of `density` at `x`.
pub fn finite_difference_gradient(
    density: &impl LogDensity,
    x: &[f64],
) -> Result<Vec<f64>, EvalError> {
    let mut grad = vec![0.0; x.len()];
    let mut scratch_grad = vec![0.0; x.len()];
    let mut xp = x.to_vec();
    for i in 0..x.len() {
        let h = FD_RELATIVE_STEP * (1.0 + x[i].abs());
        xp[i] = x[i] + h;
        let up = density.log_density_and_gradient(&xp, &mut scratch_grad)?;
        xp[i] = x[i] - h;
        let down = density.log_density_and_gradient(&xp, &mut scratch_grad)?;
        xp[i] = x[i];
        grad[i] = (up - down) / (2.0 * h);
    }
    Ok(grad)
}

/// The largest discrepancy between the density's gradient and central differences at
/// `x`, each measured as `|g - fd| / (1 + |fd|)`.
pub fn max_gradient_error(density: &impl LogDensity, x: &[f64]) -> Result<f64, EvalError> {
    let mut grad = vec![0.0; x.len()];
    density.log_density_and_gradient(x, &mut grad)?;
    let fd = finite_difference_gradient(density, x)?;
    Ok(grad
        .iter()
        .zip(&fd)
        .map(|(g, f)| (g - f).abs() / (1.0 + f.abs()))
        .fold(0.0, f64::max))
}
