//! A table of text cells read from delimited text, stored column by column in one buffer each.

use crate::data::values::is_missing;
use crate::error::{Error, Result};

/// How to read a file; `None` fields are detected from the content.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub delimiter: Option<u8>,
    pub decimal_comma: Option<bool>,
    /// Extra tokens meaning "missing", on top of [`crate::data::values::MISSING_TOKENS`].
    pub missing: Vec<String>,
    /// Spreadsheet files: the sheet to read (the first one when `None`).
    pub sheet: Option<String>,
}

/// One column's cells, concatenated, with the end offset of each cell.
///
/// One buffer per column keeps a million-row table within about twice the file's size,
/// where a `String` per cell would need several times more.
#[derive(Debug, Clone, Default)]
struct Column {
    text: String,
    ends: Vec<u32>,
}

impl Column {
    fn push(&mut self, cell: &str) -> Result<()> {
        self.text.push_str(cell.trim());
        let end = u32::try_from(self.text.len())
            .map_err(|_| Error::Unreadable("a column holds more than 4 GB of text".into()))?;
        self.ends.push(end);
        Ok(())
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// A rectangular table of trimmed text cells with unique header names.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
    decimal_comma: bool,
    missing: Vec<String>,
}

impl Table {
    /// Builds a table from a header and rows of cells (used by readers and tests).
    pub fn from_rows<S: AsRef<str>>(headers: &[S], rows: &[Vec<S>]) -> Result<Table> {
        let mut builder = Builder::new(headers.iter().map(|h| h.as_ref().to_string()).collect())?;
        for (i, row) in rows.iter().enumerate() {
            builder.push_row(i + 1, row.iter().map(|c| c.as_ref()))?;
        }
        Ok(builder.finish(false, Vec::new()))
    }

    /// Reads delimited text (CSV, TSV, semicolon or pipe separated).
    pub fn from_csv_bytes(bytes: &[u8], options: &ReadOptions) -> Result<Table> {
        let text = decode_text(bytes);
        let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(record) => record.map_err(|e| Error::Unreadable(e.to_string()))?,
            None => return Err(Error::NoData("the file is empty".into())),
        };
        let mut builder = Builder::new(header.iter().map(str::to_string).collect())?;
        let mut row = 0;
        for record in records {
            let record = record.map_err(|e| Error::Unreadable(e.to_string()))?;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            row += 1;
            builder.push_row(row, record.iter())?;
        }
        let decimal_comma = options
            .decimal_comma
            .unwrap_or_else(|| delimiter != b',' && builder.looks_decimal_comma());
        Ok(builder.finish(decimal_comma, options.missing.clone()))
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Whether numbers in this table are written with a decimal comma.
    pub fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }

    /// The index of a column by its header, or an error listing the columns there are.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        self.headers
            .iter()
            .position(|h| h == name)
            .or_else(|| {
                self.headers
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
            })
            .ok_or_else(|| Error::MissingColumn {
                name: name.to_string(),
                available: self
                    .headers
                    .iter()
                    .map(|h| format!("'{h}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The trimmed text of a cell; `row` is 0-based here.
    pub fn cell(&self, column: usize, row: usize) -> &str {
        self.columns[column].get(row)
    }

    /// Whether a cell counts as missing for this table's tokens.
    pub fn is_missing(&self, column: usize, row: usize) -> bool {
        is_missing(self.cell(column, row), &self.missing)
    }

    /// The cells of one column, top to bottom.
    pub fn column_cells(&self, column: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.n_rows).map(move |r| self.cell(column, r))
    }
}

/// Accumulates rows, checking the header once and each row's width.
struct Builder {
    headers: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
}

impl Builder {
    fn new(raw: Vec<String>) -> Result<Builder> {
        let mut headers: Vec<String> = raw
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        while headers.last().is_some_and(String::is_empty) && headers.len() > 1 {
            headers.pop();
        }
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                return Err(Error::Invalid(format!(
                    "header: column {} has no name. Give every column a name in the first row",
                    i + 1
                )));
            }
            if headers[..i].contains(h) {
                return Err(Error::Invalid(format!(
                    "header: the name '{h}' is used by more than one column. Rename one of them"
                )));
            }
        }
        let columns = vec![Column::default(); headers.len()];
        Ok(Builder {
            headers,
            columns,
            n_rows: 0,
        })
    }

    fn push_row<'a>(&mut self, row: usize, cells: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut n = 0;
        for cell in cells {
            if n < self.columns.len() {
                self.columns[n].push(cell)?;
            } else if !cell.trim().is_empty() {
                return Err(Error::BadRow {
                    row,
                    message: format!(
                        "has a value ('{}') beyond the {} named columns. Remove it, or give its column a header (check for a stray delimiter)",
                        cell.trim(),
                        self.columns.len()
                    ),
                });
            }
            n += 1;
        }
        for column in self.columns.iter_mut().skip(n) {
            column.push("")?;
        }
        self.n_rows += 1;
        Ok(())
    }

    /// True when some cell reads like "1,5" and none like "1.5".
    fn looks_decimal_comma(&self) -> bool {
        let mut comma = false;
        for column in &self.columns {
            for i in 0..self.n_rows {
                let cell = column.get(i);
                let numeric = cell
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+'));
                if numeric && cell.chars().any(|c| c.is_ascii_digit()) {
                    match (cell.contains(','), cell.contains('.')) {
                        (true, false) => comma = true,
                        (false, true) => return false,
                        _ => {}
                    }
                }
            }
        }
        comma
    }

    fn finish(self, decimal_comma: bool, missing: Vec<String>) -> Table {
        Table {
            headers: self.headers,
            columns: self.columns,
            n_rows: self.n_rows,
            decimal_comma,
            missing,
        }
    }
}

/// Decodes UTF-8 (with or without BOM), UTF-16 with BOM, and falls back to Windows-1252.
fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Picks the delimiter that occurs most often outside quotes in the header line.
fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(k) = candidates.iter().position(|&c| c == b) {
                    counts[k] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4)
        .max_by_key(|&k| (counts[k], std::cmp::Reverse(k)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_with_decimal_comma_and_bom() {
        let t = Table::from_csv_bytes(
            "\u{feff}time;status\r\n1,5;1\r\n2;0\r\n\r\n".as_bytes(),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(t.headers(), ["time", "status"]);
        assert_eq!(t.n_rows(), 2);
        assert!(t.decimal_comma());
        assert_eq!(t.cell(0, 0), "1,5");
    }

    #[test]
    fn quoted_delimiters_stay_in_their_cell() {
        let t =
            Table::from_csv_bytes(b"name,time\n\"Smith, J\",3\n", &ReadOptions::default()).unwrap();
        assert_eq!(t.cell(0, 0), "Smith, J");
        assert_eq!(t.cell(1, 0), "3");
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_rejected_with_their_number() {
        let t = Table::from_csv_bytes(b"a,b\n1\n", &ReadOptions::default()).unwrap();
        assert_eq!(t.cell(1, 0), "");
        let err = Table::from_csv_bytes(b"a,b\n1,2\n1,2,3\n", &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("row 2:"), "{err}");
    }

    #[test]
    fn duplicate_headers_are_an_error() {
        let err = Table::from_csv_bytes(b"a,a\n1,2\n", &ReadOptions::default()).unwrap_err();
        assert!(err.to_string().contains("'a'"));
    }

    #[test]
    fn windows_1252_falls_back() {
        let t = Table::from_csv_bytes(b"name,t\nJos\xe9,1\n", &ReadOptions::default()).unwrap();
        assert_eq!(t.cell(0, 0), "José");
    }
}
