//! Reverse-mode automatic differentiation: the tape of ops, forward and reverse sweeps,
//! and the `Var` type.
//!
//! A [`Tape`] is a program, not a recording of values: a flat list of ops in SSA form
//! over one value buffer, where a slot ([`Slot`]) is a range of that buffer, so a
//! vector or matrix is one slot and a vectorised operation is one op with a hand-written
//! adjoint. It is built once — by the compiler through [`TapeBuilder`], or by Rust code
//! through [`Var`] — and replayed for every parameter vector with [`Tape::forward`] and
//! [`Tape::reverse`] over a reusable [`Scratch`], allocating nothing. Data live in the
//! tape and get no adjoints; ops on data alone are evaluated once at build time.
//! Distribution kernels plug in through the [`kernel`] traits. When a tape is finished
//! its ops are also resolved into a plan (`plan`): one forward and one reverse closure
//! per op, with offsets and argument forms fixed and small producer ops folded into
//! their only consumer (`plan_fuse`); the sweeps run the plan, and the ops remain the
//! tape's description (`Tape::ops`, `Tape::dump`, error messages). The target's terms
//! (read only by the sum that forms the result, so their adjoint is one) add their
//! gradients during the forward sweep of [`Tape::value_and_gradient`] (`plan_eager`).
//!
//! # Lowering onto the tape (for the compiler)
//!
//! * Parameters: [`TapeBuilder::param_slot`] is the unconstrained vector; carve it into
//!   variables with [`TapeBuilder::view`] (free: a view is a slot, not an op).
//! * Data: [`TapeBuilder::constant`] (column-major). Any op whose inputs are all data is
//!   evaluated at build time and becomes data itself, so `transformed data` arithmetic
//!   and data-only subexpressions cost nothing per evaluation.
//! * Indexing: a contiguous slice or a single element is a [`TapeBuilder::view`];
//!   multi-indexing, `x[idx]`, transposes, `rep_*`, `diagonal`, `row`/`col`/`block` are
//!   [`TapeBuilder::gather`] with 0-based flat indices; `diag_matrix`-like placements are
//!   [`TapeBuilder::scatter`]; `append_row`, `to_vector` of scalars and array literals
//!   are [`TapeBuilder::concat`]. Named helpers cover Stan's functions:
//!   [`TapeBuilder::rep`], [`TapeBuilder::segment`], [`TapeBuilder::row`],
//!   [`TapeBuilder::col`], [`TapeBuilder::block`], [`TapeBuilder::append_row`],
//!   [`TapeBuilder::append_col`], [`TapeBuilder::transpose`], [`TapeBuilder::diagonal`],
//!   [`TapeBuilder::diag_matrix`].
//! * Vectorised statements: one [`TapeBuilder::unary`] / [`TapeBuilder::binary`] (with
//!   scalar broadcasting) / [`TapeBuilder::reduce`] / [`TapeBuilder::matmul`] per
//!   operation; a scalar operation records a cheap scalar op automatically.
//! * `y ~ dist(...)` and `target += dist_lpdf(...)`: one
//!   [`TapeBuilder::scalar_kernel`] op over the argument slots.
//! * `target`: collect the terms and finish with [`TapeBuilder::sum_terms`] (one concat
//!   and one sum), not a chain of additions.
//! * Shape errors are [`BuildError`] values naming the op; domain failures at
//!   evaluation time are recoverable [`crate::model::EvalError`]s naming the op and its
//!   index in [`Tape::dump`]. Parameter-dependent control flow needs a re-trace (build a
//!   new tape) per evaluation: a tape has no branches.
//!
//! ```
//! use hazel::ad::{TapeBuilder, TapeDensity};
//! use hazel::model::LogDensity;
//!
//! // y ~ normal(mu, exp(log_sigma)), with the parameters (mu, log_sigma).
//! let b = TapeBuilder::new(2);
//! let p = b.params();
//! let (mu, log_sigma) = (p[0], p[1]);
//! let y = b.data_vector(&[1.2, 0.4, 2.1]);
//! let lp = (-0.5 * ((y - mu) / log_sigma.exp()).square()).sum() - 3.0 * log_sigma;
//! let density = TapeDensity::new(b.finish_var(lp).unwrap());
//!
//! let mut grad = [0.0; 2];
//! let value = density.log_density_and_gradient(&[1.0, 0.0], &mut grad).unwrap();
//! assert!((value - -0.5 * (0.04 + 0.36 + 1.21)).abs() < 1e-12);
//! assert!((grad[0] - 0.7).abs() < 1e-12); // Σ (y - mu)
//! ```

mod builder;
mod chain;
mod chain_form;
mod composite;
mod density;
mod dump;
pub mod fd;
#[cfg(test)]
mod fused_tests;
pub mod kernel;
mod linalg_op;
mod matrix_build;
mod normal_chain;
#[cfg(test)]
mod normal_chain_tests;
mod normal_op;
mod op;
mod plan;
mod plan_access;
mod plan_chain;
mod plan_eager;
#[cfg(test)]
mod plan_eager_tests;
mod plan_element;
mod plan_fold;
#[cfg(test)]
mod plan_fold_tests;
mod plan_fuse;
#[cfg(test)]
mod plan_fused_tests;
mod plan_normal;
mod plan_normal_eager;
mod plan_scalar;
#[cfg(test)]
mod plan_tests;
mod relocate;
mod slot;
mod step;
mod structure;
mod sweep;
mod tape;
mod var;
mod vectorise;
#[cfg(test)]
mod vectorise_tests;

pub use builder::{BuildError, TapeBuilder};
pub use density::TapeDensity;
pub use kernel::{ElementRule, Kernel, MAX_KERNEL_INPUTS, ScalarKernel};
pub use normal_op::{NormalOp, Operand};
pub use op::{MatrixOp, Op};
pub use slot::Slot;
pub use tape::{Scratch, Tape};
pub use var::Var;
