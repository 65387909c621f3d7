//! The one error type of the core: every message names the column and row and says how to fix it.

use thiserror::Error;

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a file and a result.
///
/// Rows are 1-based data rows (the first row under the header is row 1), as a spreadsheet
/// user counts them after the header: a cell with line breaks stays one row, and blank rows
/// between data rows keep their numbers (see [`crate::data::Table`]).
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    #[error("column '{name}' not found; the columns are: {available}. Check the spelling (names are case-sensitive), or the delimiter if only one column is listed")]
    MissingColumn { name: String, available: String },

    #[error("column '{column}', row {row}: '{value}' is not a number. Correct the cell, or leave it empty (or NA) to exclude the row")]
    NotANumber {
        column: String,
        row: usize,
        value: String,
    },

    #[error("column '{column}', row {row}: '{value}' is not a date. Write dates as 2021-03-04, or as 04/03/2021 with --date-format dmy (or mdy for month-first)")]
    NotADate {
        column: String,
        row: usize,
        value: String,
    },

    #[error("column '{column}': every date such as '{example}' reads both day-first and month-first. Say which with --date-format dmy or --date-format mdy")]
    AmbiguousDates { column: String, example: String },

    #[error("column '{column}': cannot tell which values mean the event happened; found {found}. Say which with --event-value (for example --event-value {suggestion})")]
    UnknownEventCoding {
        column: String,
        found: String,
        suggestion: String,
    },

    #[error("column '{column}', row {row}: {message}")]
    BadCell {
        column: String,
        row: usize,
        message: String,
    },

    #[error("column '{column}' {message}")]
    BadColumn { column: String, message: String },

    #[error("row {row}: {message}")]
    BadRow { row: usize, message: String },

    /// A problem in the header row; `column` is its number and letter, e.g. "2 (B)".
    #[error("header, column {column}: {message}")]
    BadHeader { column: String, message: String },

    #[error("the file could not be read: {0}")]
    Unreadable(String),

    /// A workbook given to a build without the `spreadsheet` feature (the page's main module,
    /// which hands workbooks to its spreadsheet module instead).
    #[error("this is an .{kind} workbook, and this build of survcalc reads CSV and TSV files only (it was built without spreadsheet support). Save the sheet as CSV and read that, or use a build with the `spreadsheet` feature")]
    NoSpreadsheetReader { kind: String },

    #[error("no rows left to analyse: {0}")]
    NoData(String),

    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Whether the fault lies in the data (exit 65) rather than in how the program was called (exit 2).
    pub fn is_data_error(&self) -> bool {
        !matches!(self, Error::MissingColumn { .. } | Error::Invalid(_))
    }
}
