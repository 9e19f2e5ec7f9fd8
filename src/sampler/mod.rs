//! NUTS and static HMC: Hamiltonian, metric, trajectory, adaptation, warmup schedule, parallel chains.
//!
//! The sampler sees a model only through [`crate::model::LogDensity`]. A transition
//! ([`nuts::Nuts`] or [`static_hmc::StaticHmc`]) is an explicit step from a [`Position`] to a
//! new one plus [`TransitionInfo`]; warmup ([`adaptation::Adapter`]) observes transitions and
//! returns new step sizes and metrics. [`chains::sample_with_sinks`] runs chains in parallel.

pub mod adaptation;
pub mod chain;
pub mod chains;
pub mod config;
pub mod dual_averaging;
pub mod evaluator;
pub mod init;
pub mod kernel;
pub mod leapfrog;
pub mod metric;
pub mod nuts;
pub mod progress;
pub mod static_hmc;
pub mod step_size_init;
pub mod uturn;
pub mod welford;
pub mod windows;

pub use chains::{
    ChainCounts, ChainOutcome, RunOutcome, SampleError, sample, sample_with_progress,
    sample_with_sinks,
};
pub use config::{Algorithm, Init, MetricKind, SamplerConfig};
pub use evaluator::{MAX_DISTINCT_REJECTIONS, Rejections};
pub use kernel::{Position, TransitionInfo};
pub use progress::{
    LINE_PROGRESS_STEPS, LineProgress, NoProgress, Phase, Progress, ProgressEvent, rejection_line,
};
