//! Central finite differences, to check analytic gradients.

use crate::model::LogDensity;

/// The largest discrepancy between `density`'s gradient at `x` and central differences
/// with step `h`, relative to `max(1, |fd|)`. `Err` when the density cannot be evaluated.
pub fn gradient_error(density: &dyn LogDensity, x: &[f64], h: f64) -> Result<f64, String> {
    let d = density.dim();
    let mut grad = vec![0.0; d];
    density
        .log_density_and_gradient(x, &mut grad)
        .map_err(|e| e.to_string())?;
    let mut scratch = vec![0.0; d];
    let mut xp = x.to_vec();
    let mut worst: f64 = 0.0;
    for i in 0..d {
        xp[i] = x[i] + h;
        let up = density
            .log_density_and_gradient(&xp, &mut scratch)
            .map_err(|e| e.to_string())?;
        xp[i] = x[i] - h;
        let down = density
            .log_density_and_gradient(&xp, &mut scratch)
            .map_err(|e| e.to_string())?;
        xp[i] = x[i];
        let fd = (up - down) / (2.0 * h);
        worst = worst.max((fd - grad[i]).abs() / fd.abs().max(1.0));
    }
    Ok(worst)
}

/// A deterministic test point: coordinate `i` is `scale · sin(1.3 i + 0.7)`.
pub fn test_point(dim: usize, scale: f64) -> Vec<f64> {
    (0..dim)
        .map(|i| scale * (1.3 * i as f64 + 0.7).sin())
        .collect()
}
