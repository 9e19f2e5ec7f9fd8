//! Special functions and vectorised kernels with their derivatives.
