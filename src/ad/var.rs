//! `Var`: a handle to a tape value with operator overloading, for writing log densities
//! in plain Rust. Each operation records an op on the shared [`TapeBuilder`]; a shape
//! error is remembered by the builder and returned by [`TapeBuilder::finish`] (operators
//! cannot return `Result`).
//!
//! `*` and `/` are elementwise (with scalar broadcasting); use [`Var::matmul`] for matrix
//! products.

use super::builder::{BuildError, TapeBuilder};
use super::slot::Slot;
use crate::math::elementwise::{Binary, Unary};
use crate::math::gp::GpKernel;
use crate::math::reduce::{PairReduce, Reduce, VectorMap};
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A scalar, vector or matrix value recorded on a [`TapeBuilder`].
#[derive(Clone, Copy)]
pub struct Var<'b> {
    builder: &'b TapeBuilder,
    slot: Slot,
}

impl TapeBuilder {
    /// Wraps a slot of this builder as a [`Var`].
    pub fn var(&self, slot: Slot) -> Var<'_> {
        Var {
            builder: self,
            slot,
        }
    }

    /// The parameters as scalar `Var`s.
    pub fn params(&self) -> Vec<Var<'_>> {
        let p = self.param_slot();
        (0..p.len())
            .map(|i| self.var(self.view(p, i, 1, 1).unwrap_or(p)))
            .collect()
    }

    /// The parameters as one vector `Var`.
    pub fn param_vector(&self) -> Var<'_> {
        self.var(self.param_slot())
    }

    /// A scalar constant.
    pub fn data(&self, v: f64) -> Var<'_> {
        self.var(self.scalar(v))
    }

    /// A column vector of data.
    pub fn data_vector(&self, v: &[f64]) -> Var<'_> {
        let s = self.constant(v, v.len(), 1);
        self.lift(s)
    }

    /// A matrix of data given column-major.
    pub fn data_matrix(&self, values: &[f64], rows: usize, cols: usize) -> Var<'_> {
        let s = self.constant(values, rows, cols);
        self.lift(s)
    }

    /// A column vector of the given scalars.
    pub fn stack(&self, parts: &[Var<'_>]) -> Var<'_> {
        let slots: Vec<Slot> = parts.iter().map(|v| v.slot).collect();
        let s = self.concat(&slots, slots.iter().map(Slot::len).sum(), 1);
        self.lift(s)
    }

    /// Turns a builder result into a `Var`, remembering an error for `finish`.
    fn lift(&self, r: Result<Slot, BuildError>) -> Var<'_> {
        match r {
            Ok(slot) => self.var(slot),
            Err(e) => {
                self.record_error(e);
                self.var(self.scalar(f64::NAN))
            }
        }
    }

    /// Finishes the tape with `lp` as the log density.
    pub fn finish_var(&self, lp: Var<'_>) -> Result<super::Tape, BuildError> {
        let slot = lp.slot;
        self.finish(slot)
    }
}

macro_rules! unary_methods {
    ($($method:ident => $f:ident),* $(,)?) => {
        $(
            #[doc = concat!("Elementwise `", stringify!($method), "`.")]
            pub fn $method(self) -> Self { self.unary(Unary::$f) }
        )*
    };
}

macro_rules! reduce_methods {
    ($($method:ident => $f:ident),* $(,)?) => {
        $(
            #[doc = concat!("The `", stringify!($method), "` of all elements.")]
            pub fn $method(self) -> Self { self.reduce(Reduce::$f) }
        )*
    };
}

macro_rules! builder_methods {
    ($($(#[$doc:meta])* $method:ident($($arg:ident),*);)*) => {
        $(
            $(#[$doc])*
            pub fn $method(self $(, $arg: Var<'b>)*) -> Self {
                self.wrap(self.builder.$method(self.slot $(, $arg.slot)*))
            }
        )*
    };
}

impl<'b> Var<'b> {
    builder_methods! {
        /// The diagonal as a column vector.
        diagonal();
        /// The square matrix with this vector on its diagonal.
        diag_matrix();
        /// `self⁻¹` for a square matrix.
        inverse();
        /// `log |det self|`.
        log_determinant();
        /// `det self`.
        determinant();
        /// `selfᵀ self`.
        crossprod();
        /// `self selfᵀ`.
        tcrossprod();
        /// Sum of the diagonal.
        trace();
        /// `self` with `d` (scalar or vector) added to the diagonal.
        add_diag(d);
        /// `diag_matrix(self) * m`.
        diag_pre_multiply(m);
        /// `self * diag_matrix(v)`.
        diag_post_multiply(v);
        /// `bᵀ self b`.
        quad_form(b);
        /// `diag(v) self diag(v)`.
        quad_form_diag(v);
    }

    /// `self⁻¹ b` for a lower-triangular `self` (mdivide_left_tri_low).
    pub fn mdivide_left_tri_low(self, b: Var<'b>) -> Self {
        self.wrap(self.builder.tri_solve_left(self.slot, b.slot))
    }

    /// `self L⁻¹` for a lower-triangular `l` (mdivide_right_tri_low).
    pub fn mdivide_right_tri_low(self, l: Var<'b>) -> Self {
        self.wrap(self.builder.tri_solve_right(self.slot, l.slot))
    }

    /// The underlying slot (for mixing `Var` code with direct builder calls).
    pub fn slot(self) -> Slot {
        self.slot
    }

    /// Number of elements.
    pub fn len(self) -> usize {
        self.slot.len()
    }

    /// True when the value has no elements.
    pub fn is_empty(self) -> bool {
        self.slot.is_empty()
    }

    fn wrap(self, r: Result<Slot, BuildError>) -> Self {
        self.builder.lift(r)
    }

    /// Any elementwise function of the table.
    pub fn unary(self, f: Unary) -> Self {
        self.wrap(self.builder.unary(f, self.slot))
    }

    /// Any binary elementwise function of the table.
    pub fn binary(self, f: Binary, other: Var<'b>) -> Self {
        self.wrap(self.builder.binary(f, self.slot, other.slot))
    }

    /// Any reduction of the table.
    pub fn reduce(self, f: Reduce) -> Self {
        self.wrap(self.builder.reduce(f, self.slot))
    }

    fn constant(self, v: f64) -> Self {
        self.builder.data(v)
    }

    unary_methods! {
        exp => Exp, ln => Log, log10 => Log10, log2 => Log2, log1p => Log1p, expm1 => Expm1, log1m => Log1m, sqrt => Sqrt,
        square => Square, inv => Inv, inv_sqrt => InvSqrt, inv_logit => InvLogit, logit => Logit,
        log_inv_logit => LogInvLogit, log1m_inv_logit => Log1mInvLogit, log1p_exp => Log1pExp,
        log1m_exp => Log1mExp, phi => Phi, log_phi => LogPhi, phi_approx => PhiApprox,
        inv_phi => InvPhi, lgamma => Lgamma, tgamma => Tgamma, digamma => Digamma, erf => Erf,
        erfc => Erfc, abs => Abs, step => Step, sin => Sin, cos => Cos, tanh => Tanh,
    }

    reduce_methods! {
        sum => Sum, prod => Prod, mean => Mean, variance => Variance, sd => Sd, min => Min,
        max => Max, log_sum_exp => LogSumExp, dot_self => DotSelf,
    }

    /// `self^p` for a constant exponent (`square` for 2).
    pub fn powf(self, p: f64) -> Self {
        if p == 2.0 {
            return self.square();
        }
        self.binary(Binary::Pow, self.constant(p))
    }

    /// `self^n` for an integer exponent.
    pub fn powi(self, n: i32) -> Self {
        self.powf(f64::from(n))
    }

    /// `self^e` elementwise.
    pub fn pow(self, e: Var<'b>) -> Self {
        self.binary(Binary::Pow, e)
    }

    /// `log(exp(self) + exp(other))` elementwise.
    pub fn log_sum_exp_with(self, other: Var<'b>) -> Self {
        self.binary(Binary::LogSumExp, other)
    }

    /// Dot product.
    pub fn dot(self, other: Var<'b>) -> Self {
        self.wrap(
            self.builder
                .pair(PairReduce::DotProduct, self.slot, other.slot),
        )
    }

    /// Squared Euclidean distance.
    pub fn squared_distance(self, other: Var<'b>) -> Self {
        self.wrap(
            self.builder
                .pair(PairReduce::SquaredDistance, self.slot, other.slot),
        )
    }

    /// Softmax of a vector.
    pub fn softmax(self) -> Self {
        self.wrap(self.builder.map(VectorMap::Softmax, self.slot))
    }

    /// Log softmax of a vector.
    pub fn log_softmax(self) -> Self {
        self.wrap(self.builder.map(VectorMap::LogSoftmax, self.slot))
    }

    /// Running sums.
    pub fn cumulative_sum(self) -> Self {
        self.wrap(self.builder.map(VectorMap::CumulativeSum, self.slot))
    }

    /// Matrix product `self · other`.
    pub fn matmul(self, other: Var<'b>) -> Self {
        self.wrap(self.builder.matmul(self.slot, other.slot))
    }

    /// Transpose.
    pub fn transpose(self) -> Self {
        self.wrap(self.builder.transpose(self.slot))
    }

    /// Lower Cholesky factor.
    pub fn cholesky(self) -> Self {
        self.wrap(self.builder.cholesky(self.slot))
    }

    /// Element `i` (0-based, column-major) as a scalar.
    pub fn at(self, i: usize) -> Self {
        self.wrap(self.builder.view(self.slot, i, 1, 1))
    }

    /// The elements at `index` (0-based) as a column vector: `alpha[county]`.
    pub fn select(self, index: &[usize]) -> Self {
        let idx = index.iter().map(|&i| i as u32).collect();
        self.wrap(self.builder.gather(self.slot, idx, index.len(), 1))
    }

    /// Exponentiated-quadratic GP covariance of the 1-D points `self` with magnitude
    /// `alpha` and length scale `rho`.
    pub fn gp_exp_quad_cov(self, alpha: Var<'b>, rho: Var<'b>) -> Self {
        self.wrap(
            self.builder
                .gp_cov(GpKernel::ExpQuad, self.slot, 1, &[alpha.slot, rho.slot]),
        )
    }
}

macro_rules! arith {
    ($tr:ident, $method:ident, $f:ident) => {
        impl<'b> $tr for Var<'b> {
            type Output = Var<'b>;
            fn $method(self, rhs: Var<'b>) -> Var<'b> {
                self.binary(Binary::$f, rhs)
            }
        }
        impl<'b> $tr<f64> for Var<'b> {
            type Output = Var<'b>;
            fn $method(self, rhs: f64) -> Var<'b> {
                self.binary(Binary::$f, self.constant(rhs))
            }
        }
        impl<'b> $tr<Var<'b>> for f64 {
            type Output = Var<'b>;
            fn $method(self, rhs: Var<'b>) -> Var<'b> {
                rhs.constant(self).binary(Binary::$f, rhs)
            }
        }
    };
}

arith!(Add, add, Add);
arith!(Sub, sub, Sub);
arith!(Mul, mul, Mul);
arith!(Div, div, Div);

impl<'b> Neg for Var<'b> {
    type Output = Var<'b>;
    fn neg(self) -> Var<'b> {
        self.unary(Unary::Neg)
    }
}
