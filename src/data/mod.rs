//! From a file's bytes to analysis inputs: tables, cell values, event codes, dates, and reported exclusions.

pub mod competing;
pub mod dates;
pub mod design;
pub mod event;
pub mod kind;
pub mod prepare;
pub mod profile;
mod records;
#[cfg(feature = "spreadsheet")]
pub mod sheet;
pub mod table;
pub mod validate;
pub mod values;

pub use prepare::{Exclusion, Factor, RowFilter};
pub use table::{ReadOptions, Table};

use crate::error::{Error, Hint, Result};

/// Reads any supported file from its bytes: .xlsx, .xls and .ods by their first bytes, else
/// delimited text. `name` (the file name, if known) only sharpens the messages: a file named
/// `.xls` that holds text (as some hospital systems export) is read as the text it is.
pub fn read_table(bytes: &[u8], name: Option<&str>, options: &ReadOptions) -> Result<Table> {
    if let Some(kind) = spreadsheet_kind(bytes) {
        #[cfg(feature = "spreadsheet")]
        return sheet::read_spreadsheet(bytes, kind, options);
        #[cfg(not(feature = "spreadsheet"))]
        return Err(Error::unreadable(format!(
            "this is an .{kind} workbook, and this build of survcalc reads CSV and TSV files only (it was built without spreadsheet support)"
        ))
        .hint(Hint::SaveAsCsv));
    }
    if looks_like_web_page(bytes) {
        return Err(Error::unreadable(format!(
            "{} is a web page (HTML), not a table",
            name.map_or("the input".to_string(), |n| format!("'{n}'"))
        ))
        .hint(Hint::SaveAsTable));
    }
    Table::from_csv_bytes(bytes, options)
}

/// The spreadsheet kind a file's first bytes show, if any: known without a spreadsheet reader,
/// so a build without one (the page's main module) can tell a workbook apart and say so.
pub fn spreadsheet_kind(bytes: &[u8]) -> Option<&'static str> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        Some("xls")
    } else if bytes.starts_with(ZIP) {
        let head = &bytes[..bytes.len().min(200)];
        let ods = head
            .windows(b"opendocument.spreadsheet".len())
            .any(|w| w == b"opendocument.spreadsheet");
        Some(if ods { "ods" } else { "xlsx" })
    } else {
        None
    }
}

fn looks_like_web_page(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_pick_the_kind() {
        assert_eq!(spreadsheet_kind(b"PK\x03\x04rest"), Some("xlsx"));
        assert_eq!(
            spreadsheet_kind(
                b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
            ),
            Some("ods")
        );
        assert_eq!(spreadsheet_kind(b"time,status\n"), None);
    }
}
