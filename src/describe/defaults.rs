//! The characteristics Table 1 describes when the user has not chosen: every column except
//! those with a role (the outcome's time, event and dates, the group, the strata), those that
//! may identify patients, row or patient numbers, dates, and empty or free-text columns; each
//! left-out column with the reason, so a page can say why it is not ticked.

use serde::{Deserialize, Serialize};

use crate::data::kind::Kind;
use crate::data::profile::{ColumnKind, ColumnProfile, TableProfile};

/// The columns given a role in the analysis; any may be absent (or empty).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Roles {
    pub time: Option<String>,
    pub event: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub group: Option<String>,
    pub strata: Option<String>,
}

/// A column Table 1 leaves out by default, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOut {
    pub column: String,
    pub reason: String,
}

/// The default Table 1: its variables in the file's order, which of them are categorical
/// (the same rule as Table 1's own choice: text, or few whole numbers), and the columns
/// left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table1Defaults {
    pub variables: Vec<String>,
    pub categorical: Vec<String>,
    pub left_out: Vec<LeftOut>,
}

/// Header words of a study's patient or record number (matched as the whole header, ignoring
/// case, spaces and punctuation).
const KEY_NAMES: [&str; 16] = [
    "id",
    "pid",
    "pidnum",
    "patid",
    "patientid",
    "patientnumber",
    "patientno",
    "subject",
    "subjectid",
    "subjid",
    "studyid",
    "caseid",
    "case",
    "recordid",
    "no",
    "nr",
];

/// The default Table 1 variables of a table (by its profile) given the columns' roles.
pub fn table1_defaults(profile: &TableProfile, roles: &Roles) -> Table1Defaults {
    let mut defaults = Table1Defaults {
        variables: Vec::new(),
        categorical: Vec::new(),
        left_out: Vec::new(),
    };
    for c in &profile.columns {
        match left_out_because(c, profile.rows, roles) {
            Some(reason) => defaults.left_out.push(LeftOut {
                column: c.name.clone(),
                reason,
            }),
            None => {
                if c.default_kind == Some(Kind::Categorical) {
                    defaults.categorical.push(c.name.clone());
                }
                defaults.variables.push(c.name.clone());
            }
        }
    }
    defaults
}

fn left_out_because(c: &ColumnProfile, rows: usize, roles: &Roles) -> Option<String> {
    let role = [
        (&roles.group, "the group column"),
        (&roles.time, "the outcome's time"),
        (&roles.event, "the outcome's event"),
        (&roles.start_date, "the outcome's start date"),
        (&roles.end_date, "the outcome's end date"),
        (&roles.strata, "the strata column"),
    ]
    .into_iter()
    .find(|(name, _)| name.as_deref() == Some(c.name.as_str()))
    .map(|(_, what)| what.to_string());
    role.or_else(|| {
        c.identifier
            .as_ref()
            .map(|why| format!("may identify patients ({why})"))
    })
    .or_else(|| key_reason(c, rows))
    .or_else(|| match c.kind {
        ColumnKind::Empty => Some("every cell is empty or missing".into()),
        ColumnKind::Date => Some("a date column".into()),
        ColumnKind::Text => Some(format!("free text ({} different values)", c.distinct)),
        _ if c.date_format.is_some() => Some("dates written as spreadsheet serial numbers".into()),
        _ => None,
    })
}

/// Why a column looks like a patient or record number: named like one, or whole numbers
/// each on one row and running without gaps (1, 2, ..., n in any order) over the `rows` of
/// the table.
fn key_reason(c: &ColumnProfile, rows: usize) -> Option<String> {
    let name: String = c
        .name
        .to_lowercase()
        .chars()
        .filter(|ch| ch.is_alphanumeric())
        .collect();
    if KEY_NAMES.contains(&name.as_str()) {
        return Some("a patient or record number (by its name)".into());
    }
    let consecutive = c.kind == ColumnKind::Integer
        && !c.distinct_capped
        && c.distinct >= 5
        && c.distinct == rows - c.missing
        && c.min
            .zip(c.max)
            .is_some_and(|(lo, hi)| hi - lo + 1.0 == c.distinct as f64);
    consecutive.then(|| "a row or patient number (whole numbers, one per row, without gaps)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::profile::profile_table;
    use crate::data::{ReadOptions, Table};

    #[test]
    fn roles_identifiers_keys_dates_and_free_text_are_left_out() {
        let mut csv = String::from("pidnum,seq,time,status,arm,age,grade,sex,op_date,note,MRN\n");
        let notes = ["a b", "c d", "e f", "g h", "i j", "a b", "c d", "k l"];
        for (i, note) in notes.iter().enumerate() {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{},{},2020-01-0{},{},{}\n",
                100 + 7 * i,
                8 - i,
                10 + i,
                i % 2,
                if i < 4 { "A" } else { "B" },
                50 + 3 * i,
                1 + i % 3,
                if i % 3 == 0 { "f" } else { "m" },
                1 + i,
                note,
                9000 + i
            ));
        }
        let table = Table::from_csv_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        let roles = Roles {
            time: Some("time".into()),
            event: Some("status".into()),
            group: Some("arm".into()),
            ..Roles::default()
        };
        let d = table1_defaults(&profile_table(&table), &roles);
        assert_eq!(d.variables, ["age", "grade", "sex"]);
        assert_eq!(d.categorical, ["grade", "sex"]);
        let left: Vec<(&str, &str)> = d
            .left_out
            .iter()
            .map(|l| (l.column.as_str(), l.reason.as_str()))
            .collect();
        assert_eq!(
            left[0],
            ("pidnum", "a patient or record number (by its name)")
        );
        assert!(
            left[1].0 == "seq" && left[1].1.contains("without gaps"),
            "{left:?}"
        );
        assert_eq!(left[2], ("time", "the outcome's time"));
        assert_eq!(left[3], ("status", "the outcome's event"));
        assert_eq!(left[4], ("arm", "the group column"));
        assert_eq!(left[5], ("op_date", "a date column"));
        assert!(
            left[6].0 == "note" && left[6].1.starts_with("free text"),
            "{left:?}"
        );
        assert!(
            left[7].0 == "MRN" && left[7].1.starts_with("may identify"),
            "{left:?}"
        );
    }
}
