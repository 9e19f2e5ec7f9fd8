//! Convergence diagnostics on (chain, draw) arrays: R-hat, ESS, MCSE, quantiles, sampler diagnostics.
