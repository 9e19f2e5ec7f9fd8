//! Reverse-mode automatic differentiation: the tape of ops, forward and reverse sweeps, and the Var type.
