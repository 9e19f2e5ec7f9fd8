//! Data in (Stan JSON, CSV/Parquet tables) and draws out (Stan CSV, Parquet); reading Stan CSV back.
//!
//! [`stan_json`] reads Stan JSON data; [`stan_csv`] is a streaming writer (a
//! [`crate::draws::DrawSink`]) and a reader for hazel's and CmdStan's files; [`parquet`]
//! writes all draws of a fit in one table; [`summary_format`] renders the summary as text
//! and CSV.

pub mod parquet;
pub mod stan_csv;
pub mod stan_json;
pub mod summary_format;
pub mod table_sizes;
pub mod tables;
