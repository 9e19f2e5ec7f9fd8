//! Recording the matrix ops on a [`TapeBuilder`]: products, Cholesky factorisation,
//! triangular solves, inverse, determinants and GP covariance matrices, each with its
//! shape checks.

use super::builder::{BuildError, TapeBuilder, err};
use super::op::{MatrixOp, Op};
use super::slot::Slot;
use crate::math::gp::GpKernel;

impl TapeBuilder {
    /// Matrix product.
    pub fn matmul(&self, a: Slot, b: Slot) -> Result<Slot, BuildError> {
        if a.cols != b.rows {
            return err(
                "multiply",
                format!("{} times {}: inner sizes differ", a.shape(), b.shape()),
            );
        }
        self.push(&[a, b], a.rows as usize, b.cols as usize, |out, _| {
            Op::Matrix(MatrixOp::MatMul { a, b, out })
        })
    }

    fn square(&self, name: &str, a: Slot) -> Result<usize, BuildError> {
        if a.rows != a.cols {
            return err(name, format!("matrix is {} but must be square", a.shape()));
        }
        Ok(a.rows as usize)
    }

    /// Lower Cholesky factor.
    pub fn cholesky(&self, a: Slot) -> Result<Slot, BuildError> {
        let n = self.square("cholesky_decompose", a)?;
        self.push(&[a], n, n, |out, _| {
            Op::Matrix(MatrixOp::Cholesky { a, out })
        })
    }

    /// `L⁻¹ b` (mdivide_left_tri_low).
    pub fn tri_solve_left(&self, l: Slot, b: Slot) -> Result<Slot, BuildError> {
        let n = self.square("mdivide_left_tri_low", l)?;
        if b.rows as usize != n {
            return err(
                "mdivide_left_tri_low",
                format!("{} by {}", l.shape(), b.shape()),
            );
        }
        self.push(&[l, b], n, b.cols as usize, |out, _| {
            Op::Matrix(MatrixOp::TriSolveLeft { l, b, out })
        })
    }

    /// `b L⁻¹` (mdivide_right_tri_low).
    pub fn tri_solve_right(&self, b: Slot, l: Slot) -> Result<Slot, BuildError> {
        let n = self.square("mdivide_right_tri_low", l)?;
        if b.cols as usize != n {
            return err(
                "mdivide_right_tri_low",
                format!("{} by {}", b.shape(), l.shape()),
            );
        }
        self.push(&[b, l], b.rows as usize, n, |out, _| {
            Op::Matrix(MatrixOp::TriSolveRight { b, l, out })
        })
    }

    /// Matrix inverse.
    pub fn inverse(&self, a: Slot) -> Result<Slot, BuildError> {
        let n = self.square("inverse", a)?;
        self.push(&[a], n, n, |out, _| {
            Op::Matrix(MatrixOp::Inverse { a, out })
        })
    }

    /// `log |det a|`.
    pub fn log_determinant(&self, a: Slot) -> Result<Slot, BuildError> {
        self.square("log_determinant", a)?;
        self.push(&[a], 1, 1, |out, _| {
            Op::Matrix(MatrixOp::LogDeterminant { a, out })
        })
    }

    /// `det a`.
    pub fn determinant(&self, a: Slot) -> Result<Slot, BuildError> {
        self.square("determinant", a)?;
        self.push(&[a], 1, 1, |out, _| {
            Op::Matrix(MatrixOp::Determinant { a, out })
        })
    }

    /// GP covariance matrix of the points in `x` (each `dim` consecutive elements one
    /// point) with scalar hyperparameters `hyper` (α, ρ and, if periodic, the period).
    pub fn gp_cov(
        &self,
        kernel: GpKernel,
        x: Slot,
        dim: usize,
        hyper: &[Slot],
    ) -> Result<Slot, BuildError> {
        if hyper.len() != kernel.n_hyper() || hyper.iter().any(|h| !h.is_scalar()) {
            return err(
                kernel.name(),
                format!("expects {} scalar hyperparameters", kernel.n_hyper()),
            );
        }
        if dim == 0 || !x.len().is_multiple_of(dim) {
            return err(
                kernel.name(),
                format!(
                    "{} coordinates do not form points of dimension {dim}",
                    x.len()
                ),
            );
        }
        let n = x.len() / dim;
        let mut h = [hyper[0]; 3];
        h[..hyper.len()].copy_from_slice(hyper);
        let mut inputs = vec![x];
        inputs.extend_from_slice(hyper);
        self.push(&inputs, n, n, |out, _| {
            Op::Matrix(MatrixOp::GpCov {
                kernel,
                x,
                dim: dim as u32,
                hyper: h,
                out,
            })
        })
    }
}
