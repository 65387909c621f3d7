//! From a file's bytes to analysis inputs: tables, cell values, event codes, dates, and reported exclusions.

pub mod dates;
pub mod event;
pub mod prepare;
pub mod table;
pub mod values;

pub use prepare::{Exclusion, Factor, RowFilter};
pub use table::{ReadOptions, Table};

use crate::error::Result;

/// Reads any supported file from its bytes; `name` (the file name, if known) helps pick the format.
pub fn read_table(bytes: &[u8], name: Option<&str>, options: &ReadOptions) -> Result<Table> {
    let _ = name;
    Table::from_csv_bytes(bytes, options)
}
