//! From typed program to log density: binding data, lowering to a tape, running generated quantities.
