//! Special functions and vectorised kernels with their derivatives, at the f64 level.
//!
//! Everything here works on plain slices (matrices column-major) and writes derivatives
//! explicitly; the [`crate::ad`] tape dispatches to these kernels once per op.

pub mod bessel;
pub mod dense;
pub mod elementwise;
pub mod gp;
pub mod normal;
pub mod reduce;
pub mod sort;
pub mod special;
pub mod sum;
