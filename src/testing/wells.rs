//! The wells logistic regression (Gelman and Hill 2007, ch. 5): whether a household
//! switched wells, on centred distance/100, centred arsenic, centred education/4 and their
//! three pairwise products; intercept and coefficients `N(0, 10)`.

use std::path::Path;

use super::data::{DataError, StanJson, bench_path};
use crate::model::{EvalError, LogDensity, Model};
use crate::rng::ChainRng;

/// Prior standard deviation of the intercept and coefficients (issue 2).
pub const COEF_PRIOR_SD: f64 = 10.0;
/// Number of predictors.
pub const PREDICTORS: usize = 6;

/// The wells regression with its design matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Wells {
    /// Outcomes (0 or 1).
    pub switched: Vec<f64>,
    /// Row-major `N × 6` design: c_dist100, c_arsenic, c_educ4, and the three products.
    pub x: Vec<f64>,
}

fn centred(v: Vec<f64>) -> Vec<f64> {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    v.into_iter().map(|x| x - m).collect()
}

impl Wells {
    /// Reads Stan JSON with `switched`, `dist`, `arsenic`, `educ`.
    pub fn read(path: &Path) -> Result<Self, DataError> {
        let j = StanJson::read(path)?;
        let switched: Vec<f64> = j.ints("switched")?.into_iter().map(|v| v as f64).collect();
        let dist = j.reals("dist")?;
        let arsenic = j.reals("arsenic")?;
        let educ = j.reals("educ")?;
        let n = switched.len();
        j.check_len(
            n,
            &[
                ("dist", dist.len()),
                ("arsenic", arsenic.len()),
                ("educ", educ.len()),
            ],
        )?;
        if let Some(k) = switched.iter().position(|v| *v != 0.0 && *v != 1.0) {
            return Err(j.invalid(format!("`switched[{}]` must be 0 or 1", k + 1)));
        }
        let d = centred(dist.iter().map(|v| v / 100.0).collect());
        let a = centred(arsenic);
        let e = centred(educ.iter().map(|v| v / 4.0).collect());
        let mut x = Vec::with_capacity(n * PREDICTORS);
        for i in 0..n {
            x.extend_from_slice(&[d[i], a[i], e[i], d[i] * a[i], d[i] * e[i], a[i] * e[i]]);
        }
        Ok(Wells { switched, x })
    }

    /// `data/bench/wells_data.json`.
    pub fn bench() -> Result<Self, DataError> {
        Self::read(&bench_path("wells_data.json"))
    }
}

impl LogDensity for Wells {
    fn dim(&self) -> usize {
        1 + PREDICTORS
    }
    fn log_density_and_gradient(&self, q: &[f64], grad: &mut [f64]) -> Result<f64, EvalError> {
        let v = COEF_PRIOR_SD * COEF_PRIOR_SD;
        let mut lp = 0.0;
        for (g, b) in grad.iter_mut().zip(q) {
            lp -= 0.5 * b * b / v;
            *g = -b / v;
        }
        let (alpha, beta) = (q[0], &q[1..]);
        for (row, y) in self.x.chunks_exact(PREDICTORS).zip(&self.switched) {
            let eta = alpha + row.iter().zip(beta).map(|(a, b)| a * b).sum::<f64>();
            // One exponential serves both log(1 + e^η) and the logistic function.
            let e = (-eta.abs()).exp();
            lp += y * eta - (eta.max(0.0) + e.ln_1p());
            let inv_logit = if eta >= 0.0 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            let resid = y - inv_logit;
            grad[0] += resid;
            for (g, xk) in grad[1..].iter_mut().zip(row) {
                *g += resid * xk;
            }
        }
        Ok(lp)
    }
}

impl Model for Wells {
    fn output_names(&self) -> Vec<String> {
        std::iter::once("alpha".to_string())
            .chain((1..=PREDICTORS).map(|i| format!("beta.{i}")))
            .collect()
    }
    fn write_output(
        &self,
        q: &[f64],
        _: &mut ChainRng,
        out: &mut Vec<f64>,
    ) -> Result<(), EvalError> {
        out.extend_from_slice(q);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::finite_diff::{gradient_error, test_point};

    #[test]
    fn gradient_matches_finite_differences() {
        let w = Wells::bench().unwrap();
        assert_eq!(w.switched.len(), 3020);
        assert!(gradient_error(&w, &test_point(7, 0.3), 1e-6).unwrap() < 1e-5);
        // Far in the tails the log density stays finite.
        let mut g = vec![0.0; 7];
        assert!(
            w.log_density_and_gradient(&[900.0; 7], &mut g)
                .unwrap()
                .is_finite()
        );
    }
}
