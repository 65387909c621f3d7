//! Spreadsheets (.xlsx, .xls, .ods) read through calamine into the same text table as CSV.

use std::io::Cursor;

use calamine::{open_workbook_auto_from_rs, Data, ExcelDateTime, Reader};

use crate::data::table::{Builder, Source, Table};
use crate::data::ReadOptions;
use crate::error::{Error, Hint, Result};

/// Reads one sheet (`options.sheet`, else the first that holds a table): its first row is
/// the header.
pub fn read_spreadsheet(bytes: &[u8], kind: &str, options: &ReadOptions) -> Result<Table> {
    guarded(kind, || read_sheet(bytes, kind, options))
}

/// Runs calamine so that a panic inside it becomes an error: calamine 0.38 panics on some
/// damaged files (a truncated .xls slices past its end), and a damaged file must not crash
/// the program. The process-wide panic hook is left alone (swapping it races with other
/// threads); the command line installs a quiet one once. On wasm32 panics abort, so there
/// the page's spreadsheet module reports the failure instead.
fn guarded(kind: &str, read: impl FnOnce() -> Result<Table>) -> Result<Table> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    result.unwrap_or_else(|_| {
        Err(
            Error::unreadable(format!("this {kind} file is damaged or cut short"))
                .hint(Hint::SaveAsCsv),
        )
    })
}

fn read_sheet(bytes: &[u8], kind: &str, options: &ReadOptions) -> Result<Table> {
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::unreadable(format!("this {kind} file could not be opened ({e})"))
            .hint(Hint::SaveAsCsv)
    })?;
    let names = book.sheet_names();
    let choose = || Hint::ChooseSheet {
        sheets: names.clone(),
    };
    let mut read = |sheet: &str| {
        book.worksheet_range(sheet).map_err(|e| {
            Error::unreadable(format!("sheet '{sheet}' could not be read ({e})"))
                .hint(Hint::SaveAsCsv)
        })
    };
    let (sheet, range, note) = match options.sheet.as_deref() {
        Some(wanted) => {
            let sheet = named_sheet(&names, wanted).ok_or_else(|| {
                Error::usage(format!("there is no sheet '{wanted}'")).hint(choose())
            })?;
            let range = read(&sheet)?;
            (sheet, range, None)
        }
        None => first_table(&names, &mut read)?,
    };
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        let message = if names.is_empty() {
            "the workbook has no sheets".to_string()
        } else {
            format!("sheet '{sheet}' is empty")
        };
        return Err(Error::no_data(message).hint(choose()));
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
    if let Some(note) = note {
        builder.note(note);
    }
    let header_row = range.start().map_or(1, |(row, _)| row as usize + 1);
    let source = Source {
        format: kind.into(),
        sheet: Some(sheet),
        sheets: names,
        ..Source::default()
    };
    // Numbers typed as text in a decimal-comma locale ("1,5") arrive as text cells.
    let decimal_comma = options
        .decimal_comma
        .unwrap_or_else(|| builder.looks_decimal_comma());
    Ok(builder.finish(decimal_comma, options.missing.clone(), source, header_row))
}

/// The sheet asked for: its exact name, else ignoring case and surrounding spaces.
fn named_sheet(names: &[String], wanted: &str) -> Option<String> {
    names
        .iter()
        .find(|n| *n == wanted)
        .or_else(|| {
            names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
        })
        .cloned()
}

/// With no sheet named, the first sheet that looks like a table (a header of two or more
/// named columns over at least one row): a cover page or a notes sheet in front of the data
/// is passed over, and a note says which sheet was read and why. When no sheet looks like
/// a table, the first is read (and its own errors explain).
fn first_table(
    names: &[String],
    read: &mut impl FnMut(&str) -> Result<calamine::Range<Data>>,
) -> Result<(String, calamine::Range<Data>, Option<String>)> {
    let Some(first) = names.first() else {
        return Err(Error::no_data("the workbook has no sheets").hint(Hint::ChooseFile));
    };
    let mut passed = Vec::new();
    for name in names {
        let range = read(name)?;
        if looks_like_table(&range) {
            let note = (!passed.is_empty()).then(|| {
                format!(
                    "read sheet '{name}': the sheet{} before it ({}) hold{} no table",
                    if passed.len() == 1 { "" } else { "s" },
                    passed.join(", "),
                    if passed.len() == 1 { "s" } else { "" }
                )
            });
            return Ok((name.clone(), range, note));
        }
        passed.push(format!("'{name}'"));
    }
    Ok((first.clone(), read(first)?, None))
}

/// A header row with two or more non-empty cells, and a row under it.
fn looks_like_table(range: &calamine::Range<Data>) -> bool {
    let mut rows = range.rows();
    let named = rows.next().map_or(0, |header| {
        header
            .iter()
            .filter(|c| !cell_text(c).trim().is_empty())
            .count()
    });
    named >= 2 && rows.any(|r| r.iter().any(|c| !cell_text(c).trim().is_empty()))
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
