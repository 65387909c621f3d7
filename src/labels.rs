//! Names as the reader should see them: a column's label ("Age (years)") and its levels' ("1" ->
//! "No hormone therapy"), checked against the table, for readable tables and figures alike.
//!
//! Labels change what is shown, never what is computed or the data's values in JSON: a result
//! keeps its levels as the data write them, and a front end looks their labels up here.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::data::Table;
use crate::error::{Error, Hint, Result};

/// One column's labels: its own, and its levels'.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ColumnLabels {
    /// The column's name as the reader sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Level (as the data write it) -> its label.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<String, String>,
}

/// Labels of columns and levels, keyed by the column's header as the table writes it once
/// [`Labels::checked`]. Later assignments replace earlier ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Labels {
    columns: BTreeMap<String, ColumnLabels>,
}

impl Labels {
    /// Whether no label is set.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Names a column.
    pub fn set_column(&mut self, column: &str, label: &str) {
        self.columns.entry(column.to_string()).or_default().label = Some(label.to_string());
    }

    /// Names a level of a column.
    pub fn set_level(&mut self, column: &str, level: &str, label: &str) {
        self.columns
            .entry(column.to_string())
            .or_default()
            .levels
            .insert(level.to_string(), label.to_string());
    }

    /// Labels read from a table with the columns `column`, `level` and `label` (any case, in any
    /// order, others ignored): an empty `level` names the column itself. Rows without a column
    /// or a label are refused, naming the row; blank rows are skipped.
    pub fn from_table(table: &Table) -> Result<Labels> {
        let find = |name: &str| {
            table
                .headers()
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    Error::usage(format!(
                        "the labels have no column '{name}': the first row must name the columns column, level and label"
                    ))
                    .hint(Hint::CheckColumnName {
                        available: table.headers().to_vec(),
                    })
                })
        };
        let (column, level, label) = (find("column")?, find("level")?, find("label")?);
        let mut labels = Labels::default();
        for row in 0..table.n_rows() {
            if table.is_blank_row(row) {
                continue;
            }
            let (c, l, text) = (
                table.cell(column, row),
                table.cell(level, row),
                table.cell(label, row),
            );
            let missing = |what: &str| {
                Error::usage(format!("the label's {what} is empty"))
                    .column(what)
                    .row(row + 1)
                    .hint(Hint::FixCell)
            };
            if c.is_empty() {
                return Err(missing("column"));
            }
            if text.is_empty() {
                return Err(missing("label"));
            }
            if l.is_empty() {
                labels.set_column(c, text);
            } else {
                labels.set_level(c, l, text);
            }
        }
        Ok(labels)
    }

    /// Adds `other`'s labels, replacing these where both name the same column or level.
    pub fn merge(&mut self, other: Labels) {
        for (column, given) in other.columns {
            let mine = self.columns.entry(column).or_default();
            if given.label.is_some() {
                mine.label = given.label;
            }
            mine.levels.extend(given.levels);
        }
    }

    /// The labels keyed by the table's own headers, after checking that every column labelled
    /// is in the table and every level labelled is one of its column's values. A labelled
    /// column the analysis does not use is allowed (one labels file serves every analysis of
    /// a data set).
    pub fn checked(self, table: &Table) -> Result<Labels> {
        let mut checked = Labels::default();
        for (column, given) in self.columns {
            let index = table.column_index(&column).map_err(|_| {
                Error::usage("a label names this column, which the table does not have")
                    .column(&column)
                    .hint(Hint::CheckColumnName {
                        available: table.headers().to_vec(),
                    })
            })?;
            let header = table.headers()[index].clone();
            if !given.levels.is_empty() {
                let present: BTreeSet<&str> = (0..table.n_rows())
                    .filter(|&row| !table.is_missing(index, row))
                    .map(|row| table.cell(index, row))
                    .collect();
                if let Some((level, _)) = given
                    .levels
                    .iter()
                    .find(|(level, _)| !present.contains(level.as_str()))
                {
                    return Err(unknown_level(&header, level, &present));
                }
            }
            let entry = checked.columns.entry(header).or_default();
            if given.label.is_some() {
                entry.label = given.label;
            }
            entry.levels.extend(given.levels);
        }
        Ok(checked)
    }

    /// A column's labels, found as the table finds columns: by name, else ignoring case and
    /// surrounding spaces.
    fn entry(&self, column: &str) -> Option<&ColumnLabels> {
        self.columns.get(column).or_else(|| {
            self.columns
                .iter()
                .find(|(name, _)| name.trim().eq_ignore_ascii_case(column.trim()))
                .map(|(_, labels)| labels)
        })
    }

    /// A column as the reader sees it: its label, else its name.
    pub fn column<'a>(&'a self, column: &'a str) -> &'a str {
        self.entry(column)
            .and_then(|c| c.label.as_deref())
            .unwrap_or(column)
    }

    /// A level of a column as the reader sees it: its label, else the value as written.
    pub fn level<'a>(&'a self, column: &str, level: &'a str) -> &'a str {
        self.entry(column)
            .and_then(|c| c.levels.get(level))
            .map_or(level, String::as_str)
    }

    /// A model's term as the reader sees it: a numeric covariate by its column's label, a
    /// level of a categorical one as "column: level" in their labels; `name` (the data's
    /// `COL=LEVEL`) as it is when neither is labelled.
    pub fn term(&self, name: &str, variable: &str, level: Option<&str>) -> String {
        match level {
            None => self.column(variable).to_string(),
            Some(level) => {
                let (c, l) = (self.column(variable), self.level(variable, level));
                if c == variable && l == level {
                    name.to_string()
                } else {
                    format!("{c}: {l}")
                }
            }
        }
    }

    /// One column's level labels, level -> label (a figure's group names).
    pub fn levels_of(&self, column: &str) -> BTreeMap<String, String> {
        self.entry(column)
            .map(|c| c.levels.clone())
            .unwrap_or_default()
    }

    /// Every label keyed as a forest plot looks names up: a column by its name, a level as
    /// `COL=LEVEL`.
    pub fn by_term(&self) -> BTreeMap<String, String> {
        let mut keys = BTreeMap::new();
        for (column, labels) in &self.columns {
            if let Some(label) = &labels.label {
                keys.insert(column.clone(), label.clone());
            }
            for (level, label) in &labels.levels {
                keys.insert(format!("{column}={level}"), label.clone());
            }
        }
        keys
    }
}

/// A level that the column does not hold: the error names the column, the level, and the
/// levels there are (the first 20 when there are more).
fn unknown_level(column: &str, level: &str, present: &BTreeSet<&str>) -> Error {
    const SHOWN: usize = 20;
    let mut levels: Vec<String> = present.iter().map(|l| l.to_string()).collect();
    crate::data::values::sort_levels(&mut levels);
    let more = levels.len().saturating_sub(SHOWN);
    levels.truncate(SHOWN);
    let listed = levels
        .iter()
        .map(|l| format!("'{l}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let message = if levels.is_empty() {
        format!("a label names level '{level}', but the column holds no values")
    } else if more > 0 {
        format!("a label names level '{level}', which the column does not hold; its values include {listed} and {more} more")
    } else {
        format!("a label names level '{level}', which the column does not hold; its values are {listed}")
    };
    Error::usage(message).column(column).hint(Hint::LabelLevel {
        column: column.to_string(),
        levels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::from_rows(
            &["time", "arm", "age"],
            &[
                vec!["1", "1", "50"],
                vec!["2", "2", "60"],
                vec!["3", "NA", "70"],
            ],
        )
        .unwrap()
    }

    #[test]
    fn labels_show_through_and_fall_back_to_the_data() {
        let mut l = Labels::default();
        l.set_level("arm", "1", "Control");
        l.set_column("age", "Age (years)");
        let l = l.checked(&table()).unwrap();
        assert_eq!(l.level("arm", "1"), "Control");
        assert_eq!(l.level("arm", "2"), "2");
        assert_eq!(l.column("age"), "Age (years)");
        assert_eq!(l.column("arm"), "arm");
        assert_eq!(l.term("arm=2", "arm", Some("2")), "arm=2");
        assert_eq!(l.term("arm=1", "arm", Some("1")), "arm: Control");
        assert_eq!(l.term("age", "age", None), "Age (years)");
        assert_eq!(l.by_term()["arm=1"], "Control");
        assert_eq!(l.by_term()["age"], "Age (years)");
    }

    #[test]
    fn an_unknown_level_names_the_column_and_its_levels() {
        let mut l = Labels::default();
        l.set_level("arm", "3", "Other");
        let err = l.checked(&table()).unwrap_err();
        assert_eq!(err.column.as_deref(), Some("arm"));
        assert!(err.message.contains("level '3'"), "{}", err.message);
        assert!(err.message.contains("'1', '2'"), "{}", err.message);
        assert_eq!(
            err.hint,
            Some(Hint::LabelLevel {
                column: "arm".into(),
                levels: vec!["1".into(), "2".into()]
            })
        );
    }

    #[test]
    fn an_unknown_column_lists_the_columns() {
        let mut l = Labels::default();
        l.set_column("sex", "Sex");
        let err = l.checked(&table()).unwrap_err();
        assert_eq!(err.column.as_deref(), Some("sex"));
        assert!(matches!(err.hint, Some(Hint::CheckColumnName { .. })));
    }

    #[test]
    fn a_labels_table_names_columns_and_levels() {
        let t = Table::from_rows(
            &["Column", "level", "label", "note"],
            &[
                vec!["arm", "1", "Control", ""],
                vec!["age", "", "Age = years", "x"],
            ],
        )
        .unwrap();
        let l = Labels::from_table(&t).unwrap();
        assert_eq!(l.level("arm", "1"), "Control");
        assert_eq!(l.column("age"), "Age = years");
        let bad = Table::from_rows(&["column", "label"], &[vec!["arm", "x"]]).unwrap();
        let err = Labels::from_table(&bad).unwrap_err();
        assert!(err.message.contains("'level'"), "{}", err.message);
        let empty =
            Table::from_rows(&["column", "level", "label"], &[vec!["arm", "1", ""]]).unwrap();
        let err = Labels::from_table(&empty).unwrap_err();
        assert_eq!(err.row, Some(1));
    }
}
