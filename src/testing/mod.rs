//! Hand-written test targets with analytic gradients, for sampler tests and benchmarks.
