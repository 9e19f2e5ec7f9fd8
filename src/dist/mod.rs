//! Distributions: log densities with gradients, random number generators, CDFs.
