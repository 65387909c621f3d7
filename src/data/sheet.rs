//! Spreadsheets (.xlsx, .xls, .ods) read through calamine into the same text table as CSV.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, ExcelDateTime, Reader};

use crate::data::table::{Builder, Source, Table};
use crate::data::ReadOptions;
use crate::error::{Error, Result};

/// Reads one sheet (the first, or `options.sheet`): its first row is the header.
pub fn read_spreadsheet(bytes: &[u8], kind: &str, options: &ReadOptions) -> Result<Table> {
    guarded(kind, || read_sheet(bytes, kind, options))
}

/// Runs calamine so that a panic inside it becomes an error: calamine 0.38 panics on some
/// damaged files (a truncated .xls slices past its end), and a damaged file must not crash
/// the program. The panic hook is silenced meanwhile so no panic message reaches stderr.
fn guarded(kind: &str, read: impl FnOnce() -> Result<Table>) -> Result<Table> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| {
        Err(Error::Unreadable(format!(
            "this {kind} file is damaged or cut short. Save it again from the spreadsheet program, or export the sheet as CSV"
        )))
    })
}

fn read_sheet(bytes: &[u8], kind: &str, options: &ReadOptions) -> Result<Table> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::Unreadable(format!(
            "this {kind} file could not be opened ({e}). Save it again from the spreadsheet program, or export the sheet as CSV"
        ))
    })?;
    let names = book.sheet_names();
    let sheet = pick_sheet(&names, options.sheet.as_deref())?;
    let range = book.worksheet_range(&sheet).map_err(|e| {
        Error::Unreadable(format!(
            "sheet '{sheet}' could not be read ({e}). Export it as CSV and read that"
        ))
    })?;
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(Error::NoData(format!(
            "sheet '{sheet}' is empty. Choose the sheet with the data (--sheet NAME); the sheets are: {}",
            quoted_list(&names)
        )));
    };
    let mut builder = Builder::new(header.iter().map(cell_text).collect())?;
    let mut blank_before = 0;
    let mut texts: Vec<String> = Vec::new();
    for cells in rows {
        texts.clear();
        texts.extend(cells.iter().map(cell_text));
        if texts.iter().all(|t| t.trim().is_empty()) {
            blank_before += 1;
            continue;
        }
        for _ in 0..blank_before {
            builder.push_blank()?;
        }
        blank_before = 0;
        let row = builder.n_rows() + 1;
        builder.push_row(row, texts.iter().map(String::as_str))?;
    }
    let source = Source {
        format: kind.into(),
        sheet: Some(sheet),
        ..Source::default()
    };
    // Numbers typed as text in a decimal-comma locale ("1,5") arrive as text cells.
    let decimal_comma = options
        .decimal_comma
        .unwrap_or_else(|| builder.looks_decimal_comma());
    Ok(builder.finish(decimal_comma, options.missing.clone(), source))
}

/// The sheet asked for (exact name, else ignoring case), or the first sheet.
fn pick_sheet(names: &[String], wanted: Option<&str>) -> Result<String> {
    let found = match wanted {
        None => names.first(),
        Some(w) => names.iter().find(|n| *n == w).or_else(|| {
            names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
        }),
    };
    found.cloned().ok_or_else(|| match wanted {
        Some(w) => Error::Invalid(format!(
            "--sheet '{w}' not found; the sheets are: {}",
            quoted_list(names)
        )),
        None => Error::NoData("the workbook has no sheets".into()),
    })
}

fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A cell as the text a CSV export would hold: numbers in shortest round-trip form, dates as
/// ISO text (so the date reader takes them without guessing), formulas by their cached value.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(x) => x.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        Data::DateTime(dt) if dt.is_datetime() => iso_datetime(dt),
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

/// An Excel date-time as `2021-03-04`, or `2021-03-04 10:30:00` when it has a time of day.
fn iso_datetime(dt: &ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn cells_become_the_text_a_csv_would_hold() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        // Serial 44259 is 2021-03-04 in the 1900 system; 1904-system serials are 1462 less.
        let date = ExcelDateTime::new(44259.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2021-03-04");
        let date = ExcelDateTime::new(42797.5, ExcelDateTimeType::DateTime, true);
        assert_eq!(cell_text(&Data::DateTime(date)), "2021-03-04 12:00:00");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
    }
}
