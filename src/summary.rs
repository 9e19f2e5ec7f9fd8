//! The posterior summary table: per-variable statistics and diagnostics as a polars DataFrame.
