//! Constraint transforms between constrained and unconstrained space, with log |Jacobian|.
