//! From a file's bytes to analysis inputs: tables, cell values, event codes, dates, and reported exclusions.

pub mod dates;
pub mod event;
pub mod prepare;
pub mod profile;
mod records;
pub mod sheet;
pub mod table;
pub mod values;

pub use prepare::{Exclusion, Factor, RowFilter};
pub use table::{ReadOptions, Table};

use crate::error::{Error, Result};

/// Reads any supported file from its bytes: .xlsx, .xls and .ods by their first bytes, else
/// delimited text. `name` (the file name, if known) only sharpens the messages: a file named
/// `.xls` that holds text (as some hospital systems export) is read as the text it is.
pub fn read_table(bytes: &[u8], name: Option<&str>, options: &ReadOptions) -> Result<Table> {
    if let Some(kind) = sheet::spreadsheet_kind(bytes) {
        return sheet::read_spreadsheet(bytes, kind, options);
    }
    if looks_like_web_page(bytes) {
        return Err(Error::Unreadable(format!(
            "{} is a web page (HTML), not a table. Open it in a spreadsheet program and save it as .xlsx or CSV",
            name.map_or("the input".to_string(), |n| format!("'{n}'"))
        )));
    }
    Table::from_csv_bytes(bytes, options)
}

fn looks_like_web_page(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<table")
}
