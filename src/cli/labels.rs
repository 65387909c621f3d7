//! `--label` and `--labels`: names readers see for columns and levels, read from the flags and a
//! labels file into the core's [`Labels`], checked against the table, and added to the JSON.

use clap::Args;
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::error::{ErrorKind, Hint};
use survcalc::labels::Labels;
use survcalc::options::Setting;
use survcalc::Error;

use super::Output;

/// Labels of columns and levels for the readable output and figures.
#[derive(Args)]
pub struct LabelArgs {
    /// A label readers see instead of a value (repeatable): COL=LEVEL=TEXT names a level of a
    /// column (arm=1=Tamoxifen), COL=TEXT or COL==TEXT the column itself (age=Age (years)); the
    /// text is everything after the second '=' (or the first, for COL=TEXT), so it may hold '='
    /// (a column's label with '=' is written COL==TEXT). Overrides --labels.
    #[arg(
        long = "label",
        value_name = "COL=LEVEL=TEXT",
        allow_hyphen_values = true
    )]
    label: Vec<String>,
    /// A CSV (or TSV, or spreadsheet) of labels with the columns column, level, label; an empty
    /// level names the column itself.
    #[arg(long = "labels", value_name = "FILE")]
    labels: Option<String>,
}

impl LabelArgs {
    /// The labels given, checked against the table: every column and level labelled exists.
    pub fn read(&self, table: &Table) -> Result<Labels, Error> {
        let mut labels = match &self.labels {
            Some(path) => read_file(path)?,
            None => Labels::default(),
        };
        let mut flags = Labels::default();
        for spec in &self.label {
            parse_flag(spec, &mut flags)?;
        }
        labels.merge(flags);
        labels.checked(table)
    }
}

/// One `--label` value into `labels`.
fn parse_flag(spec: &str, labels: &mut Labels) -> Result<(), Error> {
    let bad = |what: &str| {
        Error::usage(format!(
            "the label '{spec}' {what}: write COL=LEVEL=TEXT for a level, COL=TEXT for a column"
        ))
        .hint(Hint::SetOption {
            setting: Setting::Labels,
            example: Some("arm=1=Tamoxifen".into()),
        })
    };
    let mut parts = spec.splitn(3, '=');
    let column = parts.next().unwrap_or("").trim();
    let (level, text) = match (parts.next(), parts.next()) {
        (Some(text), None) => ("", text),
        (Some(level), Some(text)) => (level.trim(), text),
        _ => return Err(bad("has no '='")),
    };
    let text = text.trim();
    if column.is_empty() {
        return Err(bad("names no column"));
    }
    if text.is_empty() {
        return Err(bad("has no text"));
    }
    if level.is_empty() {
        labels.set_column(column, text);
    } else {
        labels.set_level(column, level, text);
    }
    Ok(())
}

/// A labels file, its errors naming the file.
fn read_file(path: &str) -> Result<Labels, Error> {
    // The labels file is part of the call, not the data: its faults are usage errors.
    let in_file = |mut e: Error| {
        e.kind = ErrorKind::Usage;
        e.message = format!("labels file '{path}': {}", e.message);
        if e.hint == Some(Hint::ChooseFile) {
            e.hint = None;
            e.message.push_str(
                "; its first row names the columns column,level,label, then one row per label",
            );
        }
        e
    };
    let bytes = std::fs::read(path).map_err(|e| {
        Error::usage(format!(
            "cannot open the labels file '{path}': {e}. Check the path"
        ))
    })?;
    let table = read_table(&bytes, Some(path), &ReadOptions::default()).map_err(in_file)?;
    Labels::from_table(&table).map_err(|e| in_file(e.locate(&table)))
}

/// The table's own spelling of a column named in the flags (names match ignoring case and
/// surrounding spaces when no header matches exactly), under which the labels are kept.
pub fn header(table: &Table, column: &str) -> String {
    table
        .column_index(column)
        .map_or_else(|_| column.to_string(), |i| table.headers()[i].clone())
}

/// The labels and the column whose levels a result's groups are.
pub struct Shown<'a> {
    pub labels: &'a Labels,
    /// The group column (as the table spells it), if the groups are its levels.
    pub group: Option<String>,
}

impl<'a> Shown<'a> {
    /// The labels for groups of `group` (a column named in the flags).
    pub fn new(labels: &'a Labels, table: &Table, group: Option<&str>) -> Shown<'a> {
        Shown {
            labels,
            group: group.map(|g| header(table, g)),
        }
    }

    /// A group as the reader sees it.
    pub fn group<'b>(&'b self, name: &'b str) -> &'b str {
        match &self.group {
            Some(column) => self.labels.level(column, name),
            None => name,
        }
    }
}

/// Adds the labels given to a JSON result as `"labels"`: {column: {"label": ..., "levels":
/// {level: label}}}; the result's own keys keep the data's values.
pub fn into_json(output: Output, labels: &Labels) -> Output {
    match output {
        Output::Json(serde_json::Value::Object(mut map)) if !labels.is_empty() => {
            if let Ok(value) = serde_json::to_value(labels) {
                map.insert("labels".into(), value);
            }
            Output::Json(serde_json::Value::Object(map))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(spec: &str) -> Result<Labels, Error> {
        let mut l = Labels::default();
        parse_flag(spec, &mut l).map(|()| l)
    }

    #[test]
    fn flags_name_levels_and_columns_and_keep_equals_signs_in_the_text() {
        let l = parsed("arm=1=Dose = 10 mg").unwrap();
        assert_eq!(l.level("arm", "1"), "Dose = 10 mg");
        let l = parsed("age=Age (years)").unwrap();
        assert_eq!(l.column("age"), "Age (years)");
        let l = parsed("bmi==BMI = kg/m2").unwrap();
        assert_eq!(l.column("bmi"), "BMI = kg/m2");
        for bad in ["arm", "=x", "arm=1=", "arm= "] {
            let err = parsed(bad).unwrap_err();
            assert!(
                matches!(
                    err.hint,
                    Some(Hint::SetOption {
                        setting: Setting::Labels,
                        ..
                    })
                ),
                "{bad}: {err:?}"
            );
        }
    }
}
