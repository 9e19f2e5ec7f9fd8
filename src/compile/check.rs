//! Declared-constraint checks on values: data at bind time, transformed data once,
//! transformed parameters at every evaluation (as a tape op that fails — a rejected
//! proposal — when violated) and generated quantities per draw.

// Negated comparisons are deliberate: a NaN must fail every check.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use crate::ad::ScalarKernel;

/// Absolute tolerance of the simplex sum-to-one and symmetry checks (Stan math's
/// `CONSTRAINT_TOLERANCE` is 1e-8).
pub const CONSTRAINT_TOLERANCE: f64 = 1e-8;

/// A constraint to check, with its bounds resolved to numbers where it has any.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// Elementwise bounds; each is a scalar (len 1) or one value per element.
    Bounds {
        lower: Option<Vec<f64>>,
        upper: Option<Vec<f64>>,
    },
    /// Each block of `k` consecutive elements is a simplex.
    Simplex(usize),
    /// Each block of `k` consecutive elements is strictly increasing.
    Ordered(usize),
    /// As `Ordered`, and positive.
    PositiveOrdered(usize),
    /// Each block of `k` is a unit vector.
    UnitVector(usize),
    /// Each `k×k` block is symmetric positive definite (`cov_matrix`), with unit
    /// diagonal too (`corr_matrix`: `true`).
    SpdMatrix(usize, bool),
    /// Each `r×c` block is lower triangular with positive diagonal; with unit-length rows
    /// for `cholesky_factor_corr` (`true`).
    Cholesky(usize, usize, bool),
}

fn at(b: &[f64], i: usize) -> f64 {
    if b.len() == 1 { b[0] } else { b[i] }
}

/// `name` for a scalar, `name[i + 1]` for element `i` of a container (flat, 1-based).
fn element(name: &str, len: usize, i: usize) -> String {
    if len == 1 {
        name.to_string()
    } else {
        format!("{name}[{}]", i + 1)
    }
}

/// Checks `values`; the error names `name`, the element (1-based) and the requirement.
pub fn check_values(name: &str, c: &Check, values: &[f64]) -> Result<(), String> {
    let blocks = |k: usize| values.chunks(k.max(1));
    match c {
        Check::Bounds { lower, upper } => {
            for (i, &y) in values.iter().enumerate() {
                if let Some(l) = lower
                    && !(y >= at(l, i))
                {
                    return Err(format!(
                        "{} is {y}, but must be greater than or equal to {}",
                        element(name, values.len(), i),
                        at(l, i)
                    ));
                }
                if let Some(u) = upper
                    && !(y <= at(u, i))
                {
                    return Err(format!(
                        "{} is {y}, but must be less than or equal to {}",
                        element(name, values.len(), i),
                        at(u, i)
                    ));
                }
            }
        }
        Check::Simplex(k) => {
            for b in blocks(*k) {
                let s: f64 = b.iter().sum();
                if (s - 1.0).abs() > CONSTRAINT_TOLERANCE || b.iter().any(|&x| !(x >= 0.0)) {
                    return Err(format!(
                        "{name} is not a valid simplex (sum = {s}, entries must be non-negative)"
                    ));
                }
            }
        }
        Check::Ordered(k) | Check::PositiveOrdered(k) => {
            for b in blocks(*k) {
                if let Some(w) = b.windows(2).find(|w| !(w[1] > w[0])) {
                    return Err(format!(
                        "{name} is not a valid ordered vector ({} is followed by {})",
                        w[0], w[1]
                    ));
                }
                if matches!(c, Check::PositiveOrdered(_)) && b.first().is_some_and(|&x| !(x > 0.0))
                {
                    return Err(format!("{name} is not positive"));
                }
            }
        }
        Check::UnitVector(k) => {
            for b in blocks(*k) {
                let s: f64 = b.iter().map(|x| x * x).sum();
                if (s - 1.0).abs() > CONSTRAINT_TOLERANCE {
                    return Err(format!("{name} is not a unit vector (squared norm {s})"));
                }
            }
        }
        Check::SpdMatrix(k, corr) => {
            for m in blocks(k * k) {
                let mat = nalgebra::DMatrix::from_column_slice(*k, *k, m);
                let asym = (&mat - mat.transpose()).abs().max();
                if asym > CONSTRAINT_TOLERANCE || mat.clone().cholesky().is_none() {
                    return Err(format!("{name} is not symmetric positive definite"));
                }
                if *corr && (0..*k).any(|i| (mat[(i, i)] - 1.0).abs() > CONSTRAINT_TOLERANCE) {
                    return Err(format!(
                        "{name} is not a correlation matrix (diagonal not 1)"
                    ));
                }
            }
        }
        Check::Cholesky(r, cc, corr) => {
            for m in blocks(r * cc) {
                for j in 0..*cc {
                    for i in 0..*r {
                        let x = m[i + j * r];
                        if (i < j && x != 0.0) || (i == j && !(x > 0.0)) {
                            return Err(format!("{name} is not a valid Cholesky factor"));
                        }
                    }
                }
                if *corr {
                    for i in 0..*r {
                        let s: f64 = (0..*cc).map(|j| m[i + j * r].powi(2)).sum();
                        if (s - 1.0).abs() > CONSTRAINT_TOLERANCE {
                            return Err(format!(
                                "{name} is not a Cholesky factor of a correlation matrix"
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// A tape op checking a transformed parameter's constraint at every evaluation: value 0,
/// no gradient, and a (recoverable) failure when the constraint is violated.
pub struct CheckKernel {
    pub name: String,
    pub check: Check,
}

impl ScalarKernel for CheckKernel {
    fn name(&self) -> &str {
        "check_constraint"
    }

    fn value_and_gradient(
        &self,
        inputs: &[&[f64]],
        grads: &mut [&mut [f64]],
    ) -> Result<f64, String> {
        for g in grads.iter_mut() {
            g.fill(0.0);
        }
        let check = match (&self.check, inputs.len()) {
            (Check::Bounds { lower, upper }, n) if n > 1 => {
                // bounds that depend on parameters arrive as extra inputs
                let mut k = 1;
                let mut next = |b: &Option<Vec<f64>>| {
                    b.as_ref().map(|_| {
                        k += 1;
                        inputs[k - 1].to_vec()
                    })
                };
                let lower = next(lower);
                let upper = next(upper);
                Check::Bounds { lower, upper }
            }
            (c, _) => c.clone(),
        };
        check_values(&self.name, &check, inputs[0])
            .map(|()| 0.0)
            .map_err(|m| format!("transformed parameter constraint violated: {m}"))
    }
}
