//! Data in (Stan JSON, CSV/Parquet tables) and draws out (Stan CSV, Parquet); reading Stan CSV back.
//!
//! This module currently owns the draw formats: [`stan_csv`] (a streaming writer that is
//! a [`crate::draws::DrawSink`], and a reader for hazel's and CmdStan's files),
//! [`parquet`] (all draws of a fit in one table) and [`summary_format`] (the summary as
//! text and CSV).

pub mod parquet;
pub mod stan_csv;
pub mod summary_format;
