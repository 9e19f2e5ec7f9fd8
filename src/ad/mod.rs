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
//! Distribution kernels plug in through the [`kernel`] traits.
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
mod composite;
mod density;
mod dump;
pub mod fd;
pub mod kernel;
mod linalg_op;
mod op;
mod slot;
mod sweep;
mod tape;
mod var;

pub use builder::{BuildError, TapeBuilder};
pub use density::TapeDensity;
pub use kernel::{Kernel, MAX_KERNEL_INPUTS, ScalarKernel};
pub use op::Op;
pub use slot::Slot;
pub use tape::{Scratch, Tape};
pub use var::Var;
