//! The core's one error type: what went wrong, where (column, sheet, row), and which choice to change.
//!
//! The core never words a fix in a front end's terms: the message says what is wrong ("'abc' is
//! not a number"), and a [`Hint`] says what to change in terms of the analysis ("give the start
//! and end date columns"). The command line renders a hint as its flags (`src/cli/hints.rs`),
//! the page as the control to change, which it can highlight (`www/hints.js`).

use serde::Serialize;

use crate::options::Setting;

/// Result with the core's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Whose fault: how the program was called, or what the data hold. Decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An option's value is not usable (exit status 2 on the command line).
    Usage,
    /// A named column is not in the table (exit status 2: the call names it).
    Column,
    /// A cell, row or column does not hold what the analysis needs (exit status 65).
    Data,
    /// The bytes are not a table survcalc can read (exit status 65).
    Unreadable,
    /// No rows are left to analyse (exit status 65).
    NoData,
}

/// Everything that can go wrong between a file and a result: a [`Detail`], boxed so that
/// `Result`s stay small on the hot paths that return them; its fields read through `Deref`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Error(Box<Detail>);

impl std::ops::Deref for Error {
    type Target = Detail;

    fn deref(&self) -> &Detail {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Detail {
        &mut self.0
    }
}

/// What went wrong and where.
///
/// `row` is the 1-based data row (the first row under the header is 1), as the contract's
/// `excluded` counts; `sheet_row` is the row number the spreadsheet program shows (header row
/// included, and any rows above the header), filled in by [`Error::locate`] where the table is
/// known.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    pub kind: ErrorKind,
    /// What is wrong, in plain words, naming neither flags nor page controls.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet_row: Option<usize>,
    /// What to change, for the front end to word as its own controls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<Hint>,
}

/// What the user can change to get past an error, in terms of the analysis, not of a front end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "hint", rename_all = "snake_case")]
pub enum Hint {
    /// A column name was not found: check its spelling (or the delimiter, when the header
    /// became one column).
    CheckColumnName { available: Vec<String> },
    /// A cell is wrong: correct it, or leave it empty (or NA) to exclude the row.
    FixCell,
    /// A cell is not a number though most of the column is: correct it, declare its text a
    /// missing-value token, or describe the column as categorical.
    FixCellOrMarkMissing { token: String, column: String },
    /// A date where a follow-up time was expected: compute time from a start and an end date.
    UseDateColumns,
    /// Dates must be written as 2021-03-04, or day-first or month-first with the date order chosen.
    WriteDates,
    /// Dates read both day-first and month-first: choose the date order.
    ChooseDateOrder,
    /// The event column's values do not say which means the event: list them.
    ListEventValues { suggestion: String },
    /// A text covariate: mark it categorical (or correct the cell).
    MarkCategorical { column: String },
    /// The sheet read is not the data: choose another.
    ChooseSheet { sheets: Vec<String> },
    /// The workbook cannot be read here: save the sheet as CSV.
    SaveAsCsv,
    /// The file is not a table (a web page): open it in a spreadsheet program and save it as
    /// a workbook or CSV.
    SaveAsTable,
    /// An option's value is out of range or not understood: set it, e.g. to `example`.
    SetOption {
        setting: Setting,
        example: Option<String>,
    },
    /// An option is missing: give it.
    GiveOption { setting: Setting },
    /// A column chosen for a role does not suit it (too many levels, a single group...):
    /// choose another column for that role.
    ChooseColumn { setting: Setting },
    /// A level named for a choice (the reference group) is not among the column's levels:
    /// choose one of these.
    ChooseLevel {
        setting: Setting,
        levels: Vec<String>,
    },
    /// Two options contradict each other.
    ChooseOne { first: Setting, second: Setting },
    /// A test does not suit a variable's kind: choose one of these.
    ChooseTest {
        variable: String,
        choices: Vec<String>,
    },
    /// A per-variable option names a column that is not among the variables described.
    AddVariable { column: String },
    /// A label names a level its column does not hold: label one of these levels instead.
    LabelLevel { column: String, levels: Vec<String> },
    /// No row has the event: check the event column and the values meaning the event.
    CheckEventCoding,
    /// Rows were all excluded: check these columns.
    CheckColumns { columns: Vec<String> },
    /// The file has a header but no data, or is empty: choose the file holding the data.
    ChooseFile,
    /// Two columns share a name, or a row is longer than the header: edit the file.
    EditFile,
    /// The spreadsheet module and the main module disagree: reload the page.
    Reload,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Detail {
            kind,
            message: message.into(),
            column: None,
            sheet: None,
            row: None,
            sheet_row: None,
            hint: None,
        }))
    }

    /// An option's value cannot be used.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    /// A cell, row or column does not hold what the analysis needs.
    pub fn data(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Data, message)
    }

    /// The bytes are not a readable table.
    pub fn unreadable(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Unreadable, message)
    }

    /// Nothing is left to analyse.
    pub fn no_data(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::NoData, message)
    }

    /// A column named in the options is not in the table.
    pub fn missing_column(name: &str, available: &[String]) -> Error {
        Error::new(ErrorKind::Column, format!("column '{name}' not found"))
            .column(name)
            .hint(Hint::CheckColumnName {
                available: available.to_vec(),
            })
    }

    /// A cell that should be a number and is not.
    pub fn not_a_number(column: &str, row: usize, value: &str) -> Error {
        Error::data(format!("'{value}' is not a number"))
            .column(column)
            .row(row)
            .hint(Hint::FixCell)
    }

    /// The column the problem is in.
    pub fn column(mut self, column: impl Into<String>) -> Error {
        self.column = Some(column.into());
        self
    }

    /// The 1-based data row the problem is in.
    pub fn row(mut self, row: usize) -> Error {
        self.row = Some(row);
        self
    }

    /// What to change.
    pub fn hint(mut self, hint: Hint) -> Error {
        self.hint = Some(hint);
        self
    }

    /// Adds where the table came from: the sheet read and the spreadsheet's row number, so a
    /// user finds the cell where their spreadsheet program shows it.
    pub fn locate(mut self, table: &crate::data::Table) -> Error {
        if self.sheet.is_none() {
            self.sheet = table.source().sheet.clone();
        }
        if let (Some(row), None) = (self.row, self.sheet_row) {
            self.sheet_row = Some(table.sheet_row(row));
        }
        self
    }

    /// Whether the fault lies in the data (exit 65) rather than in how the program was called (exit 2).
    pub fn is_data_error(&self) -> bool {
        !matches!(self.kind, ErrorKind::Usage | ErrorKind::Column)
    }

    /// Where the problem is, as "column 'x', row 3" (empty when nowhere in particular); the
    /// spreadsheet's row follows in parentheses when it differs from the data row.
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(sheet) = &self.sheet {
            if self.row.is_some() {
                parts.push(format!("sheet '{sheet}'"));
            }
        }
        if let Some(column) = &self.column {
            parts.push(format!("column '{column}'"));
        }
        if let Some(row) = self.row {
            match self.sheet_row {
                Some(shown) if shown != row => {
                    parts.push(format!("row {row} (spreadsheet row {shown})"))
                }
                _ => parts.push(format!("row {row}")),
            }
        }
        parts.join(", ")
    }
}

/// The location and the message, without a hint: a front end adds the hint in its own words.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.kind == ErrorKind::NoData {
            write!(f, "no rows left to analyse: ")?;
        }
        let location = self.location();
        if location.is_empty() || self.kind == ErrorKind::Column {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{location}: {}", self.message)
        }
    }
}

impl std::error::Error for Error {}
