//! Functions built from the primitive ops rather than given their own adjoint: transposes,
//! diagonals, diagonal scalings, quadratic forms, cross products, traces, log_mix. Each
//! is a few gathers and products, so its gradient follows from theirs.

use super::builder::{BuildError, TapeBuilder, err};
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::reduce::Reduce;

/// Most scalar `target` terms summed by scalar additions rather than a concat and a
/// sum: each addition is a fast-path op, while the concat and the sum each pay the
/// slice set-up of a container op (measured with callgrind on the compile benchmark's
/// eight schools, five terms).
const SCALAR_TERMS_ADDED: usize = 8;

fn dims(s: Slot) -> (usize, usize) {
    (s.rows as usize, s.cols as usize)
}

impl TapeBuilder {
    /// Transpose (a view for vectors, a gather for matrices).
    pub fn transpose(&self, x: Slot) -> Result<Slot, BuildError> {
        let (r, c) = dims(x);
        if r == 1 || c == 1 {
            return self.view(x, 0, c, r);
        }
        let index = (0..r)
            .flat_map(|i| (0..c).map(move |j| (i + j * r) as u32))
            .collect();
        self.gather(x, index, c, r)
    }

    /// The diagonal of a matrix as a column vector.
    pub fn diagonal(&self, x: Slot) -> Result<Slot, BuildError> {
        let (r, c) = dims(x);
        let n = r.min(c);
        self.gather(x, (0..n).map(|i| (i + i * r) as u32).collect(), n, 1)
    }

    /// The square matrix with `v` on its diagonal.
    pub fn diag_matrix(&self, v: Slot) -> Result<Slot, BuildError> {
        let n = v.len();
        self.scatter(v, (0..n).map(|i| (i + i * n) as u32).collect(), n, n)
    }

    /// `v` repeated as the rows (`along_rows`) or columns of an `r×c` matrix: element
    /// `(i, j)` is `v[i]` when `along_rows` is false, `v[j]` when true.
    fn spread(&self, v: Slot, r: usize, c: usize, along_rows: bool) -> Result<Slot, BuildError> {
        let index = (0..c)
            .flat_map(|j| (0..r).map(move |i| if along_rows { j } else { i } as u32))
            .collect();
        self.gather(v, index, r, c)
    }

    /// `diag_matrix(v) * m`.
    pub fn diag_pre_multiply(&self, v: Slot, m: Slot) -> Result<Slot, BuildError> {
        let (r, c) = dims(m);
        if v.len() != r {
            return err(
                "diag_pre_multiply",
                format!("vector of size {} for {} rows", v.len(), r),
            );
        }
        let s = self.spread(v, r, c, false)?;
        self.binary(Binary::Mul, s, m)
    }

    /// `m * diag_matrix(v)`.
    pub fn diag_post_multiply(&self, m: Slot, v: Slot) -> Result<Slot, BuildError> {
        let (r, c) = dims(m);
        if v.len() != c {
            return err(
                "diag_post_multiply",
                format!("vector of size {} for {} columns", v.len(), c),
            );
        }
        let s = self.spread(v, r, c, true)?;
        self.binary(Binary::Mul, m, s)
    }

    /// `diag(v) * m * diag(v)`.
    pub fn quad_form_diag(&self, m: Slot, v: Slot) -> Result<Slot, BuildError> {
        let pre = self.diag_pre_multiply(v, m)?;
        self.diag_post_multiply(pre, v)
    }

    /// `bᵀ a b` (a scalar when `b` is a vector).
    pub fn quad_form(&self, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        let ab = self.matmul(a, b)?;
        let bt = self.transpose(b)?;
        self.matmul(bt, ab)
    }

    /// `xᵀ x`.
    pub fn crossprod(&self, x: Slot) -> Result<Slot, BuildError> {
        let xt = self.transpose(x)?;
        self.matmul(xt, x)
    }

    /// `x xᵀ`.
    pub fn tcrossprod(&self, x: Slot) -> Result<Slot, BuildError> {
        let xt = self.transpose(x)?;
        self.matmul(x, xt)
    }

    /// `m` with `d` (a scalar or a vector) added to its diagonal.
    pub fn add_diag(&self, m: Slot, d: Slot) -> Result<Slot, BuildError> {
        let (r, c) = dims(m);
        if r != c {
            return err(
                "add_diag",
                format!("matrix is {} but must be square", m.shape()),
            );
        }
        let dv = if d.is_scalar() {
            self.gather(d, vec![0; r], r, 1)?
        } else {
            d
        };
        if dv.len() != r {
            return err(
                "add_diag",
                format!("{} diagonal values for a {r}x{r} matrix", dv.len()),
            );
        }
        let dm = self.diag_matrix(dv)?;
        self.binary(Binary::Add, m, dm)
    }

    /// The sum of all elements of all `terms` (scalars or containers): how `target`
    /// accumulates, as one concat and one sum rather than a chain of additions, except
    /// for a few scalar terms, which scalar additions (the sweeps' fast path) sum more
    /// cheaply. Zero for no terms.
    pub fn sum_terms(&self, terms: &[Slot]) -> Result<Slot, BuildError> {
        match terms {
            [] => Ok(self.scalar(0.0)),
            [t] if t.is_scalar() => Ok(*t),
            _ if terms.len() <= SCALAR_TERMS_ADDED && terms.iter().all(Slot::is_scalar) => terms
                [1..]
                .iter()
                .try_fold(terms[0], |acc, &t| self.binary(Binary::Add, acc, t)),
            _ => {
                let n = terms.iter().map(Slot::len).sum();
                let all = self.concat(terms, n, 1)?;
                self.reduce(Reduce::Sum, all)
            }
        }
    }

    /// Sum of the diagonal.
    pub fn trace(&self, m: Slot) -> Result<Slot, BuildError> {
        let d = self.diagonal(m)?;
        self.reduce(Reduce::Sum, d)
    }

    /// `log(θ exp(λ₁) + (1 - θ) exp(λ₂))`.
    pub fn log_mix(&self, theta: Slot, lambda1: Slot, lambda2: Slot) -> Result<Slot, BuildError> {
        let lt = self.unary(Unary::Log, theta)?;
        let l1t = self.unary(Unary::Log1m, theta)?;
        let a = self.binary(Binary::Add, lt, lambda1)?;
        let b = self.binary(Binary::Add, l1t, lambda2)?;
        self.binary(Binary::LogSumExp, a, b)
    }

    /// `log Σₖ θₖ exp(λₖ)` for a vector of mixing weights `θ` and log densities `λ`.
    pub fn log_mix_vector(&self, theta: Slot, lambda: Slot) -> Result<Slot, BuildError> {
        let lt = self.unary(Unary::Log, theta)?;
        let s = self.binary(Binary::Add, lt, lambda)?;
        self.reduce(Reduce::LogSumExp, s)
    }
}
