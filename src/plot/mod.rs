//! Diagnostic and posterior plots drawn with plotters: trace, rank, density, forest, pair, energy, acf.
