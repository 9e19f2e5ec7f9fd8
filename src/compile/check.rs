//! Declared-constraint checks on values: data at bind time, transformed data once,
//! transformed parameters at every evaluation (as a tape op that fails — a rejected
//! proposal — when violated) and generated quantities per draw.

// Negated comparisons are deliberate: a NaN must fail every check.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use super::values::unflatten;
use crate::ad::ScalarKernel;
use crate::lang::types::Type;

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

/// The value a check is of: its name, and its type and sizes, which say how an element
/// of its layout (arrays outermost, the base column-major) is indexed in Stan.
#[derive(Clone, Debug)]
pub struct Subject {
    pub name: String,
    pub ty: Type,
    pub shape: Vec<usize>,
}

impl Subject {
    /// Element `i` of the layout as Stan indexes it: `name` for a scalar, else
    /// `name[i, j, …]` (1-based, array indices first, then row and column).
    fn element(&self, i: usize) -> String {
        if self.shape.is_empty() {
            return self.name.clone();
        }
        bracket(&self.name, &unflatten(self.ty, &self.shape, i))
    }

    /// Block `b` of a check over blocks, one per element of the arrays around the base (a
    /// simplex, a covariance matrix…): `name` when there are no arrays, else
    /// `name[i, …]` (the array indices, 1-based).
    fn block(&self, b: usize) -> String {
        let dims = self.ty.dims.min(self.shape.len());
        if dims == 0 {
            return self.name.clone();
        }
        // the block's first element, whose array indices are the block's
        let base: usize = self.shape[dims..].iter().product();
        let idx = unflatten(self.ty, &self.shape, b * base);
        bracket(&self.name, &idx[..dims])
    }
}

/// `name[i + 1, j + 1, …]` for the 0-based indices `idx`.
fn bracket(name: &str, idx: &[usize]) -> String {
    let idx: Vec<String> = idx.iter().map(|i| (i + 1).to_string()).collect();
    format!("{name}[{}]", idx.join(", "))
}

/// Checks `values`, laid out as `subject` says; the error names the variable, the
/// element or block (Stan's 1-based indices) and the requirement.
pub fn check_values(subject: &Subject, c: &Check, values: &[f64]) -> Result<(), String> {
    let blocks = |k: usize| values.chunks(k.max(1)).enumerate();
    match c {
        Check::Bounds { lower, upper } => {
            for (i, &y) in values.iter().enumerate() {
                if let Some(l) = lower
                    && !(y >= at(l, i))
                {
                    return Err(format!(
                        "{} is {y}, but must be greater than or equal to {}",
                        subject.element(i),
                        at(l, i)
                    ));
                }
                if let Some(u) = upper
                    && !(y <= at(u, i))
                {
                    return Err(format!(
                        "{} is {y}, but must be less than or equal to {}",
                        subject.element(i),
                        at(u, i)
                    ));
                }
            }
        }
        Check::Simplex(k) => {
            for (j, b) in blocks(*k) {
                let s: f64 = b.iter().sum();
                if (s - 1.0).abs() > CONSTRAINT_TOLERANCE || b.iter().any(|&x| !(x >= 0.0)) {
                    return Err(format!(
                        "{} is not a valid simplex (sum = {s}, entries must be non-negative)",
                        subject.block(j)
                    ));
                }
            }
        }
        Check::Ordered(k) | Check::PositiveOrdered(k) => {
            for (j, b) in blocks(*k) {
                if let Some(w) = b.windows(2).find(|w| !(w[1] > w[0])) {
                    return Err(format!(
                        "{} is not a valid ordered vector ({} is followed by {})",
                        subject.block(j),
                        w[0],
                        w[1]
                    ));
                }
                if matches!(c, Check::PositiveOrdered(_)) && b.first().is_some_and(|&x| !(x > 0.0))
                {
                    return Err(format!("{} is not positive", subject.block(j)));
                }
            }
        }
        Check::UnitVector(k) => {
            for (j, b) in blocks(*k) {
                let s: f64 = b.iter().map(|x| x * x).sum();
                if (s - 1.0).abs() > CONSTRAINT_TOLERANCE {
                    return Err(format!(
                        "{} is not a unit vector (squared norm {s})",
                        subject.block(j)
                    ));
                }
            }
        }
        Check::SpdMatrix(k, corr) => {
            for (j, m) in blocks(k * k) {
                let mat = nalgebra::DMatrix::from_column_slice(*k, *k, m);
                let asym = (&mat - mat.transpose()).abs().max();
                if asym > CONSTRAINT_TOLERANCE || mat.clone().cholesky().is_none() {
                    return Err(format!(
                        "{} is not symmetric positive definite",
                        subject.block(j)
                    ));
                }
                if *corr && (0..*k).any(|i| (mat[(i, i)] - 1.0).abs() > CONSTRAINT_TOLERANCE) {
                    return Err(format!(
                        "{} is not a correlation matrix (diagonal not 1)",
                        subject.block(j)
                    ));
                }
            }
        }
        Check::Cholesky(r, cc, corr) => {
            for (j, m) in blocks(r * cc) {
                for j in 0..*cc {
                    for i in 0..*r {
                        let x = m[i + j * r];
                        if (i < j && x != 0.0) || (i == j && !(x > 0.0)) {
                            return Err(format!(
                                "{} is not a valid Cholesky factor",
                                subject.block(j)
                            ));
                        }
                    }
                }
                if *corr {
                    for i in 0..*r {
                        let s: f64 = (0..*cc).map(|j| m[i + j * r].powi(2)).sum();
                        if (s - 1.0).abs() > CONSTRAINT_TOLERANCE {
                            return Err(format!(
                                "{} is not a Cholesky factor of a correlation matrix",
                                subject.block(j)
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
    pub subject: Subject,
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
        check_values(&self.subject, &check, inputs[0])
            .map(|()| 0.0)
            .map_err(|m| format!("transformed parameter constraint violated: {m}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::BaseType;

    fn subject(base: BaseType, dims: usize, shape: &[usize]) -> Subject {
        Subject {
            name: "x".into(),
            ty: Type { base, dims },
            shape: shape.to_vec(),
        }
    }

    fn lower0() -> Check {
        Check::Bounds {
            lower: Some(vec![0.0]),
            upper: None,
        }
    }

    #[test]
    fn a_bound_names_the_element_by_stan_indices() {
        // a scalar is named alone
        let s = subject(BaseType::Real, 0, &[]);
        let e = check_values(&s, &lower0(), &[-1.0]).unwrap_err();
        assert!(e.starts_with("x is -1,"), "{e}");
        // matrix[2, 3], column-major: layout position 3 is row 2, column 2
        let s = subject(BaseType::Matrix, 0, &[2, 3]);
        let mut v = vec![1.0; 6];
        v[3] = -2.0;
        let e = check_values(&s, &lower0(), &v).unwrap_err();
        assert!(e.starts_with("x[2, 2] is -2,"), "{e}");
        // array[2] vector[3]: position 5 is x[2][3]
        let s = subject(BaseType::Vector, 1, &[2, 3]);
        let mut v = vec![1.0; 6];
        v[5] = -3.0;
        let e = check_values(&s, &lower0(), &v).unwrap_err();
        assert!(e.starts_with("x[2, 3] is -3,"), "{e}");
        // array[2, 2] real: row-major over the arrays, position 2 is x[2, 1]
        let s = subject(BaseType::Real, 2, &[2, 2]);
        let e = check_values(&s, &lower0(), &[1.0, 1.0, -4.0, 1.0]).unwrap_err();
        assert!(e.starts_with("x[2, 1] is -4,"), "{e}");
    }

    #[test]
    fn a_block_check_names_the_array_element() {
        // array[2, 2] simplex[2]: the third block is x[2, 1]
        let s = subject(BaseType::Vector, 2, &[2, 2, 2]);
        let mut v = vec![0.5; 8];
        v[4] = 0.9;
        let e = check_values(&s, &Check::Simplex(2), &v).unwrap_err();
        assert!(e.starts_with("x[2, 1] is not a valid simplex"), "{e}");
        // a single ordered vector is named alone
        let s = subject(BaseType::Vector, 0, &[3]);
        let e = check_values(&s, &Check::Ordered(3), &[1.0, 3.0, 2.0]).unwrap_err();
        assert!(e.starts_with("x is not a valid ordered vector"), "{e}");
        // array[3] cov_matrix[2]: the second is not positive definite
        let s = subject(BaseType::Matrix, 1, &[3, 2, 2]);
        let id = [1.0, 0.0, 0.0, 1.0];
        let bad = [1.0, 2.0, 2.0, 1.0];
        let v: Vec<f64> = [id, bad, id].concat();
        let e = check_values(&s, &Check::SpdMatrix(2, false), &v).unwrap_err();
        assert!(
            e.starts_with("x[2] is not symmetric positive definite"),
            "{e}"
        );
    }
}
