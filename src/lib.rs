//! hazel: a hierarchical Bayesian modeling engine.
//!
//! Models are written in a Stan-compatible modeling language, compiled into a log density
//! with gradient, and sampled with a multicore No-U-Turn sampler. Every fit ends with
//! convergence diagnostics, a posterior summary and diagnostic plots.
//!
//! The pipeline runs one way: [`lang`] parses and checks a program, [`compile`] binds data
//! and lowers it to an [`ad`] tape, the tape is a [`model::LogDensity`], [`sampler`] draws
//! from it, and [`diagnostics`], [`summary`], [`io`] and [`plot`] report the draws.
//! [`fit`] runs the whole flow in a few lines (with a runnable example), and
//! `examples/fit_api.rs` does it on a model file.

pub mod ad;
pub mod compile;
pub mod conformance;
pub mod diagnostics;
pub mod dist;
pub mod draws;
pub mod fit;
pub mod io;
pub mod lang;
pub mod loo;
pub mod math;
pub mod model;
pub mod plot;
pub mod rng;
pub mod sampler;
pub mod summary;
pub mod testing;
pub mod transform;
