//! Data in (Stan JSON, CSV/Parquet tables) and draws out (Stan CSV, Parquet); reading Stan CSV back.
pub mod stan_json;
