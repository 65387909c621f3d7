//! A table of text cells read from delimited text, stored column by column in one buffer each.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::data::records::Records;
use crate::data::values::{is_missing, read_number, NumberCell};
use crate::error::{Error, Hint, Result};

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
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Column {
    text: String,
    ends: Vec<u32>,
}

impl Column {
    fn push(&mut self, cell: &str) -> Result<()> {
        // Most cells need no trimming; checking the two ends first skips the Unicode scan.
        let plain = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace());
        let bytes = cell.as_bytes();
        let cell = if plain(bytes.first()) && plain(bytes.last()) {
            cell
        } else {
            cell.trim()
        };
        self.text.push_str(cell);
        let end = u32::try_from(self.text.len())
            .map_err(|_| Error::unreadable("a column holds more than 4 GB of text"))?;
        self.ends.push(end);
        Ok(())
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
}

/// Where a table came from and how it was read, for the column profile and for messages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Source {
    /// `csv` (any delimited text), `xlsx`, `xls`, `ods`, or `rows` (built in code).
    pub format: String,
    /// Text files: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `windows-1252`.
    pub encoding: Option<String>,
    /// Text files: the delimiter used, as typed (`,` `;` `tab` `|`).
    pub delimiter: Option<String>,
    /// Spreadsheets: the sheet read.
    pub sheet: Option<String>,
    /// Spreadsheets: every sheet of the workbook, in order, so the user can choose another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
}

/// A rectangular table of trimmed text cells with unique header names.
///
/// Row `r` (0-based here, `r + 1` in messages) is the `r + 1`-th record under the header, as a
/// spreadsheet shows it: a line break inside a quoted cell does not start a new row, and blank
/// rows between data rows keep their place (they are kept as rows of empty cells and
/// reported by [`Table::is_blank_row`]); blank rows after the last data row are dropped.
///
/// A table serialises whole, so that one read elsewhere (the page's spreadsheet module) is
/// the same table here; deserialising checks the parts fit together (see [`TableParts`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "TableParts")]
pub struct Table {
    headers: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
    decimal_comma: bool,
    missing: Vec<String>,
    blank_rows: Vec<usize>,
    notes: Vec<String>,
    source: Source,
    /// The spreadsheet row of the header (1-based): 1 for most files, 2 below Excel's `sep=`
    /// line, further down when a sheet's first rows are empty.
    header_row: usize,
}

/// A table's fields as they arrive serialised, before [`Table`] trusts them: cells are found
/// by slicing with the stored offsets, so offsets that do not fit their text must be refused
/// here rather than panic later.
#[derive(Deserialize)]
struct TableParts {
    headers: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
    decimal_comma: bool,
    missing: Vec<String>,
    blank_rows: Vec<usize>,
    notes: Vec<String>,
    source: Source,
    #[serde(default = "first_row")]
    header_row: usize,
}

fn first_row() -> usize {
    1
}

impl TryFrom<TableParts> for Table {
    type Error = Error;

    fn try_from(p: TableParts) -> Result<Table> {
        let broken = |what: &str| {
            Err(Error::unreadable(format!(
                "the table handed over by the spreadsheet reader is inconsistent ({what})"
            ))
            .hint(Hint::Reload))
        };
        if p.columns.len() != p.headers.len() {
            return broken("as many columns as headers");
        }
        for (h, c) in p.headers.iter().zip(&p.columns) {
            let fits = c.ends.len() == p.n_rows
                && c.ends.windows(2).all(|w| w[0] <= w[1])
                && c.ends
                    .last()
                    .map_or(c.text.is_empty(), |&e| e as usize == c.text.len())
                && c.ends.iter().all(|&e| c.text.is_char_boundary(e as usize));
            if !fits {
                return broken(&format!("the cells of column '{h}'"));
            }
        }
        if !p.blank_rows.windows(2).all(|w| w[0] < w[1])
            || p.blank_rows.last().is_some_and(|&r| r >= p.n_rows)
        {
            return broken("the blank rows");
        }
        Ok(Table {
            headers: p.headers,
            columns: p.columns,
            n_rows: p.n_rows,
            decimal_comma: p.decimal_comma,
            missing: p.missing,
            blank_rows: p.blank_rows,
            notes: p.notes,
            source: p.source,
            header_row: p.header_row,
        })
    }
}

impl Table {
    /// Builds a table from a header and rows of cells (used by readers and tests).
    pub fn from_rows<S: AsRef<str>>(headers: &[S], rows: &[Vec<S>]) -> Result<Table> {
        let mut builder = Builder::new(headers.iter().map(|h| h.as_ref().to_string()).collect())?;
        for (i, row) in rows.iter().enumerate() {
            builder.push_row(i + 1, row.iter().map(|c| c.as_ref()))?;
        }
        let source = Source {
            format: "rows".into(),
            ..Source::default()
        };
        Ok(builder.finish(false, Vec::new(), source, 1))
    }

    /// Reads delimited text (CSV, TSV, semicolon or pipe separated).
    pub fn from_csv_bytes(bytes: &[u8], options: &ReadOptions) -> Result<Table> {
        let (text, encoding) = decode_text(bytes);
        let (text, hinted) = strip_separator_hint(&text);
        let delimiter = options
            .delimiter
            .or(hinted)
            .unwrap_or_else(|| detect_delimiter(text));
        let mut records = Records::new(text, delimiter);
        let header = match records.advance() {
            None => return Err(Error::no_data("the file is empty").hint(Hint::ChooseFile)),
            Some(Err(_)) => return Err(unclosed_quote(0)),
            Some(Ok(_)) => records
                .cells()
                .map(|f| utf8(f).map(str::to_string))
                .collect::<Result<Vec<_>>>()?,
        };
        let mut builder = Builder::new(header)?;
        let mut blank_before = 0;
        while let Some(next) = records.advance() {
            let row = builder.n_rows + blank_before + 1;
            let skipped = next.map_err(|skipped| unclosed_quote(row + skipped))?;
            blank_before += skipped;
            if records
                .cells()
                .all(|f| f.is_none_or(|f| f.trim().is_empty()))
            {
                blank_before += 1;
                continue;
            }
            for _ in 0..blank_before {
                builder.push_blank()?;
            }
            blank_before = 0;
            let row = builder.n_rows + 1;
            builder.push_row_checked(row, records.cells().map(utf8))?;
            if row == RESERVE_AFTER_ROWS {
                builder.reserve_like_so_far(text.len(), records.consumed());
            }
        }
        let decimal_comma = options
            .decimal_comma
            .unwrap_or_else(|| delimiter != b',' && builder.looks_decimal_comma());
        let source = Source {
            format: "csv".into(),
            encoding: Some(encoding.into()),
            delimiter: Some(delimiter_name(delimiter)),
            ..Source::default()
        };
        let header_row = if hinted.is_some() { 2 } else { 1 };
        Ok(builder.finish(decimal_comma, options.missing.clone(), source, header_row))
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

    /// The extra missing-value tokens this table was read with.
    pub fn missing_tokens(&self) -> &[String] {
        &self.missing
    }

    /// Where the table came from and how it was read.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The row number a spreadsheet program shows for a 1-based data row.
    pub fn sheet_row(&self, row: usize) -> usize {
        self.header_row + row
    }

    /// The header's row number as a spreadsheet program shows it (1-based).
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// Whether a row (0-based) was blank in the file: kept so later rows keep their numbers.
    pub fn is_blank_row(&self, row: usize) -> bool {
        self.blank_rows.binary_search(&row).is_ok()
    }

    /// What the reader changed and says so: unnamed header cells it named.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// 0-based indices of the blank rows between data rows.
    pub fn blank_rows(&self) -> &[usize] {
        &self.blank_rows
    }

    /// Bytes held by the cells (text and offsets), to compare with the file's size.
    pub fn heap_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.text.capacity() + c.ends.capacity() * std::mem::size_of::<u32>())
            .sum()
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
            .ok_or_else(|| Error::missing_column(name, &self.headers))
    }

    /// The trimmed text of a cell; `row` is 0-based here.
    pub fn cell(&self, column: usize, row: usize) -> &str {
        self.columns[column].get(row)
    }

    /// Whether a cell counts as missing for this table's tokens.
    pub fn is_missing(&self, column: usize, row: usize) -> bool {
        is_missing(self.cell(column, row), &self.missing)
    }

    /// A cell where a number is expected, read with this table's decimal mark and tokens.
    pub fn number(&self, column: usize, row: usize) -> NumberCell {
        read_number(self.cell(column, row), self.decimal_comma, &self.missing)
    }

    /// The cells of one column, top to bottom.
    pub fn column_cells(&self, column: usize) -> impl Iterator<Item = &str> + '_ {
        (0..self.n_rows).map(move |r| self.cell(column, r))
    }
}

/// The error for a quote that opens a cell on `row` (0 for the header) and never closes.
fn unclosed_quote(row: usize) -> Error {
    let message = "a quote (\") opens a cell and never closes, so the rest of the file would be one cell; remove the stray quote, or close it";
    if row == 0 {
        Error::unreadable(format!("header row: {message}"))
    } else {
        Error::data(message).row(row).hint(Hint::EditFile)
    }
}

/// A cell the splitter could not cut as text (see [`Records::cells`]).
fn utf8(cell: Option<&str>) -> Result<&str> {
    cell.ok_or_else(|| Error::unreadable("a cell is not valid text after decoding"))
}

/// Excel's `sep=;` first line names the delimiter; it is not the header.
fn strip_separator_hint(text: &str) -> (&str, Option<u8>) {
    let first = text.lines().next().unwrap_or("");
    let hint = first.trim_end_matches('\r').strip_prefix("sep=");
    match hint.map(str::as_bytes) {
        Some([d]) => {
            let rest = text.get(first.len()..).unwrap_or("");
            (rest.trim_start_matches(['\r', '\n']), Some(*d))
        }
        _ => (text, None),
    }
}

fn delimiter_name(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".into(),
        d => char::from(d).to_string(),
    }
}

/// Rows read before the column buffers are sized for the whole file.
const RESERVE_AFTER_ROWS: usize = 1000;

/// Accumulates rows, checking the header once and each row's width.
pub(crate) struct Builder {
    headers: Vec<String>,
    columns: Vec<Column>,
    n_rows: usize,
    blank_rows: Vec<usize>,
    notes: Vec<String>,
}

impl Builder {
    pub(crate) fn new(raw: Vec<String>) -> Result<Builder> {
        let mut headers: Vec<String> = raw
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        while headers.last().is_some_and(String::is_empty) && headers.len() > 1 {
            headers.pop();
        }
        let at = |i: usize| format!("{} ({})", i + 1, column_letter(i));
        // R's write.csv leaves the row-name column unnamed; naming it beats refusing the file.
        let mut notes = Vec::new();
        for (i, h) in headers.iter_mut().enumerate() {
            if h.is_empty() {
                *h = format!("column_{}", column_letter(i));
                notes.push(format!(
                    "column {} has no name in the header; it is called '{h}'",
                    at(i)
                ));
            }
        }
        for (i, h) in headers.iter().enumerate() {
            if let Some(j) = headers[..i].iter().position(|o| o == h) {
                return Err(Error::data(format!(
                    "header, column {}: the name '{h}' is also the name of column {}. Rename one of them",
                    at(i),
                    at(j)
                ))
                .hint(Hint::EditFile));
            }
        }
        let columns = vec![Column::default(); headers.len()];
        Ok(Builder {
            headers,
            columns,
            n_rows: 0,
            blank_rows: Vec::new(),
            notes,
        })
    }

    #[cfg(feature = "spreadsheet")]
    pub(crate) fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Something the reader decided that the user should know (which sheet was read).
    #[cfg(feature = "spreadsheet")]
    pub(crate) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(crate) fn push_row<'a>(
        &mut self,
        row: usize,
        cells: impl Iterator<Item = &'a str>,
    ) -> Result<()> {
        self.push_row_checked(row, cells.map(Ok))
    }

    fn push_row_checked<'a>(
        &mut self,
        row: usize,
        cells: impl Iterator<Item = Result<&'a str>>,
    ) -> Result<()> {
        let mut n = 0;
        for cell in cells {
            let cell = cell?;
            if n < self.columns.len() {
                self.columns[n].push(cell)?;
            } else if !cell.trim().is_empty() {
                return Err(self.beyond_header(row, n, cell.trim()));
            }
            n += 1;
        }
        for column in self.columns.iter_mut().skip(n) {
            column.push("")?;
        }
        self.n_rows += 1;
        Ok(())
    }

    /// Reserves room for the whole file, as the first rows' share of it suggests, so the
    /// buffers grow once instead of doubling (and copying) as they fill.
    fn reserve_like_so_far(&mut self, total: usize, consumed: usize) {
        let scale = total as f64 / consumed.max(1) as f64 * 1.05;
        for column in &mut self.columns {
            let text = (column.text.len() as f64 * scale) as usize;
            let ends = (column.ends.len() as f64 * scale) as usize;
            column.text.reserve(text.saturating_sub(column.text.len()));
            column.ends.reserve(ends.saturating_sub(column.ends.len()));
        }
    }

    fn beyond_header(&self, row: usize, n: usize, cell: &str) -> Error {
        let fix = if self.columns.len() == 1 {
            "The first row has a single name: if the column names are further down, delete the rows above them"
        } else {
            "Remove it, or give its column a name in the header (check for a stray delimiter)"
        };
        Error::data(format!(
            "has a value ('{cell}') in column {} ({}), beyond the {} named column{}. {fix}",
            n + 1,
            column_letter(n),
            self.columns.len(),
            if self.columns.len() == 1 { "" } else { "s" }
        ))
        .row(row)
        .hint(Hint::EditFile)
    }

    pub(crate) fn push_blank(&mut self) -> Result<()> {
        self.blank_rows.push(self.n_rows);
        for column in &mut self.columns {
            column.push("")?;
        }
        self.n_rows += 1;
        Ok(())
    }

    /// True when some cell reads like "1,5" (digits, one comma, digits) in the first rows.
    pub(crate) fn looks_decimal_comma(&self) -> bool {
        let rows = self.n_rows.min(1000);
        self.columns
            .iter()
            .any(|column| (0..rows).any(|i| is_comma_decimal(column.get(i))))
    }

    /// The table; `header_row` is the header's row as the spreadsheet program shows it.
    pub(crate) fn finish(
        mut self,
        decimal_comma: bool,
        missing: Vec<String>,
        source: Source,
        header_row: usize,
    ) -> Table {
        for column in &mut self.columns {
            column.text.shrink_to_fit();
            column.ends.shrink_to_fit();
        }
        Table {
            headers: self.headers,
            columns: self.columns,
            n_rows: self.n_rows,
            decimal_comma,
            missing,
            blank_rows: self.blank_rows,
            notes: self.notes,
            source,
            header_row,
        }
    }
}

/// A number written with a decimal comma: optional sign, digits, one comma, digits.
fn is_comma_decimal(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    match digits.split_once(',') {
        Some((whole, fraction)) => {
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// The spreadsheet letter of a 0-based column: 0 is A, 26 is AA.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Decodes UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every other
/// byte is zero), and falls back to Windows-1252; returns the text and the encoding's name.
fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let (encoding, bom) = match encoding_rs::Encoding::for_bom(bytes) {
        Some(found) => found,
        None => match utf16_without_bom(bytes) {
            Some(encoding) => (encoding, 0),
            None => {
                return match std::str::from_utf8(bytes) {
                    Ok(text) => (Cow::Borrowed(text), "UTF-8"),
                    Err(_) => (
                        encoding_rs::WINDOWS_1252
                            .decode_without_bom_handling(bytes)
                            .0,
                        "windows-1252",
                    ),
                }
            }
        },
    };
    let text = encoding.decode_without_bom_handling(&bytes[bom..]).0;
    (text, encoding.name())
}

/// UTF-16 without a byte-order mark shows as a zero byte in every other place of ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(1000) & !1];
    if sample.len() < 4 {
        return None;
    }
    let zeros = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let half = sample.len() / 2;
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 10 >= half * 9 && even * 10 < half {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= half * 9 && odd * 10 < half {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Picks the delimiter that splits the header like most of the first lines.
///
/// A candidate must occur in the header; among those, the one whose count per line agrees
/// with the header's on most of the first 20 lines wins, then the one occurring most often.
/// Counting per line rather than in the header alone keeps a decimal comma in semicolon
/// files from being taken for the delimiter.
fn detect_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let lines = delimiter_counts(text, &CANDIDATES, 20);
    let Some(header) = lines.first() else {
        return b',';
    };
    (0..CANDIDATES.len())
        .filter(|&k| header[k] > 0)
        .max_by_key(|&k| {
            let agreeing = lines.iter().filter(|l| l[k] == header[k]).count();
            (agreeing, header[k], std::cmp::Reverse(k))
        })
        .map_or(b',', |k| CANDIDATES[k])
}

/// Per line (outside quotes), how often each candidate delimiter occurs.
fn delimiter_counts(text: &str, candidates: &[u8; 4], max_lines: usize) -> Vec<[usize; 4]> {
    let mut lines = Vec::new();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    let mut content = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => {
                if content {
                    lines.push(counts);
                    if lines.len() == max_lines {
                        return lines;
                    }
                }
                counts = [0; 4];
                content = false;
                continue;
            }
            _ if !quoted => {
                if let Some(k) = candidates.iter().position(|&c| c == b) {
                    counts[k] += 1;
                }
            }
            _ => {}
        }
        content = true;
    }
    if content {
        lines.push(counts);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_serialised_and_read_back_is_the_same_table() {
        let t = Table::from_csv_bytes(
            "a;b\nx é;1,5\n\n;2\n".as_bytes(),
            &ReadOptions {
                missing: vec![".".into()],
                ..ReadOptions::default()
            },
        )
        .unwrap();
        let back: Table = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back.headers(), t.headers());
        assert_eq!(back.n_rows(), 3);
        assert_eq!(back.blank_rows(), [1]);
        assert!(back.decimal_comma());
        assert_eq!(back.missing_tokens(), ["."]);
        assert_eq!(back.source(), t.source());
        for c in 0..2 {
            assert!(back.column_cells(c).eq(t.column_cells(c)));
        }
    }

    #[test]
    fn a_serialised_table_whose_offsets_do_not_fit_is_refused() {
        let t = Table::from_csv_bytes("a\né\n".as_bytes(), &ReadOptions::default()).unwrap();
        let mut json: serde_json::Value = serde_json::to_value(&t).unwrap();
        // An offset inside the two bytes of "é" would slice through a character.
        json["columns"][0]["ends"] = serde_json::json!([1]);
        json["columns"][0]["text"] = serde_json::json!("é");
        let err = serde_json::from_value::<Table>(json).unwrap_err();
        assert!(err.to_string().contains("column 'a'"), "{err}");
    }

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

    fn read(bytes: &[u8]) -> Table {
        Table::from_csv_bytes(bytes, &ReadOptions::default()).unwrap()
    }

    #[test]
    fn blank_rows_keep_later_row_numbers_and_trailing_ones_are_dropped() {
        // Data rows as a spreadsheet shows them: 1 = "1,a", 2 = blank, 3 = ",," (blank),
        // 4 = the quoted two-line cell, 5 = "5,e"; the trailing blank lines are no rows.
        let t = read(b"n,s\r\n1,a\r\n\r\n,,\n4,\"two\r\nlines\"\n5,e\n\n\r\n  \n");
        assert_eq!(t.n_rows(), 5);
        assert_eq!(t.blank_rows(), [1, 2]);
        assert_eq!(t.cell(1, 3), "two\r\nlines");
        assert_eq!(t.cell(0, 4), "5");
        let err = Table::from_csv_bytes(b"a,b\n1,2\n\n\"x\ny\",2,3\n", &ReadOptions::default())
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("row 3: has a value ('3') in column 3 (C)"),
            "{err}"
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "time\tstatus\r\n1,5\t1\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [
            ([&[0xFF, 0xFE][..], &le].concat(), "UTF-16LE"),
            ([&[0xFE, 0xFF][..], &be].concat(), "UTF-16BE"),
            (le.clone(), "UTF-16LE"),
            (be.clone(), "UTF-16BE"),
        ] {
            let t = read(&bytes);
            assert_eq!(t.headers(), ["time", "status"], "{name}");
            assert_eq!(t.source().encoding.as_deref(), Some(name));
            assert_eq!(t.source().delimiter.as_deref(), Some("tab"));
            assert!(t.decimal_comma());
        }
    }

    #[test]
    fn delimiters_are_detected() {
        for (text, d) in [
            ("a|b\n1|2\n", "|"),
            ("a\tb\n1\t2\n", "tab"),
            ("a;b\n1,5;2,5\n", ";"),
            ("\"x;y\",b\n1,2\n", ","),
            ("sep=;\na;b\n1;2\n", ";"),
        ] {
            let t = read(text.as_bytes());
            assert_eq!(t.source().delimiter.as_deref(), Some(d), "{text}");
            assert_eq!(t.headers().len(), 2, "{text}");
        }
    }

    #[test]
    fn dotted_dates_do_not_hide_a_decimal_comma() {
        let t = read(b"d;x\n04.03.2021;1,5\n");
        assert!(t.decimal_comma());
        assert!(!read(b"d;x\n04.03.2021;1.5\n").decimal_comma());
    }

    #[test]
    fn header_problems_name_the_column() {
        let t = read(b",a,,b\n1,2,3,4\n");
        assert_eq!(t.headers(), ["column_A", "a", "column_C", "b"]);
        assert_eq!(
            t.notes()[1],
            "column 3 (C) has no name in the header; it is called 'column_C'"
        );
        let err = Table::from_csv_bytes(b" a ,b,a\n", &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("column 3 (C): the name 'a' is also the name of column 1 (A)"),
            "{err}"
        );
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn a_stray_quote_names_its_row() {
        let err = Table::from_csv_bytes(b"a,b\n1,2\n\n\"3,4\n5,6\n", &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("row 3: a quote (\") opens a cell and never closes"),
            "{err}"
        );
    }

    #[test]
    fn long_files_keep_every_cell_after_the_buffers_are_sized() {
        let mut csv = String::from("i,half\n");
        for i in 0..2500 {
            csv.push_str(&format!("{i},{}\n", i / 2));
        }
        let t = read(csv.as_bytes());
        assert_eq!(t.n_rows(), 2500);
        assert_eq!(
            (t.cell(0, 999), t.cell(1, 1000), t.cell(0, 2499)),
            ("999", "500", "2499")
        );
        assert!(
            t.heap_bytes() <= 2 * csv.len(),
            "{} for {}",
            t.heap_bytes(),
            csv.len()
        );
    }

    #[test]
    fn a_title_above_the_header_is_named_as_the_likely_cause() {
        let err = Table::from_csv_bytes(
            b"Export of 2021-03-04\n\ntime,status\n5,1\n",
            &ReadOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(
                "row 2: has a value ('status') in column 2 (B), beyond the 1 named column."
            ),
            "{err}"
        );
        assert!(err.contains("delete the rows above them"), "{err}");
    }
}
