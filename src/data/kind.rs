//! Whether a column is summarised as categorical or continuous by default: one rule for Table 1,
//! the models' automatic covariates and the profile's suggestion, so a grade coded 1-3 is
//! categorical everywhere unless the user says otherwise.

use serde::{Deserialize, Serialize};

use crate::data::values::NumberCell;
use crate::data::Table;
use crate::error::{Error, Hint, Result};

/// A numeric column with at most this many distinct whole-number values is taken as codes
/// (0/1 flags, grade 1-3, ECOG 0-4, stage I-IV coded 1-4), not as measurements.
pub const MAX_CATEGORICAL_CODES: usize = 5;

/// A numeric column with text in fewer than one cell in this many is taken to hold a typo
/// (an error naming the cell), not categories.
const STRAY_TEXT_RATIO: usize = 10;

/// Whether a variable is summarised by mean and SD (a number per subject) or by counts per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Continuous,
    Categorical,
}

impl Kind {
    /// The kind in words, for messages.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Continuous => "continuous",
            Kind::Categorical => "categorical",
        }
    }
}

/// A column's cells over some rows: numbers when every present cell is one (None where
/// missing), else text (to be read as labels).
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    Numbers(Vec<Option<f64>>),
    Text,
}

impl Cells {
    /// The default kind: text, or a few distinct whole numbers, is categorical.
    pub fn default_kind(&self) -> Kind {
        match self {
            Cells::Numbers(x) if !few_whole_values(x.iter().flatten().copied()) => Kind::Continuous,
            _ => Kind::Categorical,
        }
    }
}

/// Whether numbers look like codes: at least one value, all whole, at most
/// [`MAX_CATEGORICAL_CODES`] distinct.
pub fn few_whole_values(values: impl IntoIterator<Item = f64>) -> bool {
    let mut distinct: Vec<f64> = Vec::with_capacity(MAX_CATEGORICAL_CODES);
    for x in values {
        if x.fract() != 0.0 {
            return false;
        }
        if !distinct.contains(&x) {
            if distinct.len() == MAX_CATEGORICAL_CODES {
                return false;
            }
            distinct.push(x);
        }
    }
    !distinct.is_empty()
}

/// Whether a column with `n_text` cells of text among `n_numbers` numbers holds text
/// (categories) rather than numbers with a stray word.
pub fn is_text(n_text: usize, n_numbers: usize) -> bool {
    n_text > 0 && n_text * STRAY_TEXT_RATIO >= n_numbers
}

/// Reads column `col` (named `name`) over `rows` (0-based data rows) as numbers or text.
///
/// A column with text in at least one cell in [`STRAY_TEXT_RATIO`] of its numbers is text (a
/// column of categories); one with fewer text cells holds a typo, and is an error naming the
/// first such cell. With `must_be_numeric` any text cell is that error.
pub fn read_cells(
    table: &Table,
    col: usize,
    name: &str,
    rows: &[usize],
    must_be_numeric: bool,
) -> Result<Cells> {
    let mut numbers = Vec::with_capacity(rows.len());
    let mut first_text: Option<usize> = None;
    let (mut n_numbers, mut n_text) = (0usize, 0usize);
    for &r in rows {
        match table.number(col, r) {
            NumberCell::Value(x) => {
                numbers.push(Some(x));
                n_numbers += 1;
            }
            NumberCell::Missing => numbers.push(None),
            NumberCell::Text if must_be_numeric => {
                return Err(Error::not_a_number(name, r + 1, table.cell(col, r)))
            }
            NumberCell::Text => {
                n_text += 1;
                first_text.get_or_insert(r);
                // Clearly a text column, not a numeric one with a stray word: stop early.
                if n_text >= 2 * STRAY_TEXT_RATIO && n_text * STRAY_TEXT_RATIO >= n_numbers {
                    return Ok(Cells::Text);
                }
            }
        }
    }
    match first_text {
        None => Ok(Cells::Numbers(numbers)),
        Some(_) if is_text(n_text, n_numbers) => Ok(Cells::Text),
        Some(r) => {
            let cell = table.cell(col, r);
            Err(Error::data(format!(
                "'{cell}' is not a number, though {n_numbers} cells of the column are"
            ))
            .column(name)
            .row(r + 1)
            .hint(Hint::FixCellOrMarkMissing {
                token: cell.to_string(),
                column: name.to_string(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(cells: &[&str]) -> Table {
        let rows: Vec<Vec<String>> = cells.iter().map(|c| vec![c.to_string()]).collect();
        Table::from_rows(&["x".to_string()], &rows).unwrap()
    }

    fn kind(cells: &[&str]) -> Kind {
        let t = column(cells);
        let rows: Vec<usize> = (0..t.n_rows()).collect();
        read_cells(&t, 0, "x", &rows, false).unwrap().default_kind()
    }

    #[test]
    fn codes_text_and_measurements() {
        assert_eq!(kind(&["1", "2", "3", "", "2"]), Kind::Categorical);
        assert_eq!(kind(&["0", "1", "2", "3", "4"]), Kind::Categorical);
        assert_eq!(kind(&["0", "1", "2", "3", "4", "5"]), Kind::Continuous);
        assert_eq!(kind(&["1", "2.5"]), Kind::Continuous);
        assert_eq!(kind(&["male", "female", "NA"]), Kind::Categorical);
        // Nothing present: no codes seen, so summarised as a (wholly missing) number.
        assert_eq!(kind(&["", "NA"]), Kind::Continuous);
    }

    #[test]
    fn a_stray_word_among_numbers_names_its_cell() {
        let mut cells: Vec<String> = (0..30).map(|i| (40 + i).to_string()).collect();
        cells.push("unknown".into());
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let t = column(&cells);
        let rows: Vec<usize> = (0..t.n_rows()).collect();
        let err = read_cells(&t, 0, "x", &rows, false).unwrap_err();
        assert_eq!((err.row, err.column.as_deref()), (Some(31), Some("x")));
        let err = read_cells(&column(&["1", "a", "b"]), 0, "x", &[0, 1], true).unwrap_err();
        assert_eq!(err.row, Some(2));
    }
}
