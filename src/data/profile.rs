//! A profile of every column (kind, missing values, levels, range) with suggested roles and
//! warnings about direct identifiers, for `survcalc inspect` and the page's first screen.

use std::collections::HashMap;

use serde::Serialize;

use crate::data::dates::{is_written_date, iso_date, parse_date, resolve_format};
use crate::data::event::EventCoding;
use crate::data::kind::{few_whole_values, is_text, Kind};
use crate::data::table::{column_letter, Source, Table};
use crate::data::values::{parse_number, sort_levels};
use crate::options::DateFormat;

/// Levels listed per column; beyond this the most frequent are shown.
pub const LEVEL_CAP: usize = 30;
/// Distinct values counted per column; a column with more is counted as "at least" this.
const DISTINCT_CAP: usize = 100_000;
/// Problem cells quoted per column.
const PROBLEM_CAP: usize = 5;

/// What a column holds, judged from its non-missing cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnKind {
    /// Every cell missing.
    Empty,
    /// Two values that code yes/no (0/1, 1/2, yes/no, true/false, dead/alive...).
    YesNo,
    Integer,
    Number,
    Date,
    /// Few distinct text values.
    Category,
    /// Free text or identifiers: most values distinct.
    Text,
}

/// One value of a column and how many rows hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelCount {
    pub value: String,
    pub count: usize,
}

/// Everything the page or the CLI shows about one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnProfile {
    pub name: String,
    /// Spreadsheet letter of the column (A, B, ... AA).
    pub letter: String,
    pub kind: ColumnKind,
    /// Cells that are empty or a missing-value token.
    pub missing: usize,
    /// Distinct non-missing values (at most 100000 are counted).
    pub distinct: usize,
    /// More distinct values than were counted: `distinct` is a lower bound.
    pub distinct_capped: bool,
    /// Values with their counts: all of them in level order when there are at most
    /// [`LEVEL_CAP`], else the most frequent (text and categories only); none for
    /// identifier columns.
    pub levels: Vec<LevelCount>,
    pub levels_truncated: bool,
    /// Numeric columns: smallest and largest value.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Date columns: earliest and latest date (ISO), and how the dates are written.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// `iso`, `dmy`, `mdy`, `ambiguous` (needs the date order chosen) or `excel-serial`.
    pub date_format: Option<String>,
    /// How an event column would be read (for yes/no columns).
    pub event_coding: Option<String>,
    /// Why this column may identify a person (name, record number, birth date...).
    pub identifier: Option<String>,
    /// How Table 1 summarises the column, and a model takes it unless told otherwise:
    /// `categorical` for text and for few whole numbers (grade 1-3), else `continuous`; null
    /// for dates and empty columns.
    pub default_kind: Option<Kind>,
    /// Cells that do not fit the column's kind, with their 1-based row.
    pub problems: Vec<String>,
}

/// Columns proposed for each role; `None` or empty when nothing fits.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Suggestions {
    pub time: Option<String>,
    pub event: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub group: Vec<String>,
}

/// The profile of a whole table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableProfile {
    pub rows: usize,
    /// 1-based rows that were blank in the file (kept so later rows keep their numbers).
    pub blank_rows: Vec<usize>,
    pub source: Source,
    pub decimal_comma: bool,
    pub columns: Vec<ColumnProfile>,
    pub suggestions: Suggestions,
    pub warnings: Vec<String>,
}

/// Profiles every column of a table and suggests roles.
pub fn profile_table(table: &Table) -> TableProfile {
    let columns: Vec<ColumnProfile> = (0..table.headers().len())
        .map(|c| profile_column(table, c))
        .collect();
    let suggestions = suggest(&columns);
    let mut warnings = table.notes().to_vec();
    let identifiers: Vec<String> = columns
        .iter()
        .filter(|c| c.identifier.is_some())
        .map(|c| format!("'{}'", c.name))
        .collect();
    if !identifiers.is_empty() {
        warnings.push(format!(
            "{} may identify patients; remove {} before sharing the file or results",
            identifiers.join(", "),
            if identifiers.len() == 1 { "it" } else { "them" }
        ));
    }
    for c in &columns {
        if c.date_format.as_deref() == Some("ambiguous") {
            warnings.push(format!(
                "dates in '{}' read both day-first and month-first; choose the date order (day first or month first)",
                c.name
            ));
        }
    }
    TableProfile {
        rows: table.n_rows(),
        blank_rows: table.blank_rows().iter().map(|r| r + 1).collect(),
        source: table.source().clone(),
        decimal_comma: table.decimal_comma(),
        columns,
        suggestions,
        warnings,
    }
}

/// Counts of each distinct non-missing value, in first-seen order, and the missing count.
struct Tally<'a> {
    counts: HashMap<&'a str, usize>,
    order: Vec<&'a str>,
    missing: usize,
    present: usize,
    /// Values were seen beyond [`DISTINCT_CAP`] and not counted.
    overflow: bool,
}

fn tally(table: &Table, c: usize) -> Tally<'_> {
    let mut t = Tally {
        counts: HashMap::new(),
        order: Vec::new(),
        missing: 0,
        present: 0,
        overflow: false,
    };
    for r in 0..table.n_rows() {
        if table.is_missing(c, r) {
            t.missing += 1;
            continue;
        }
        t.present += 1;
        let cell = table.cell(c, r);
        if let Some(n) = t.counts.get_mut(cell) {
            *n += 1;
        } else if t.order.len() < DISTINCT_CAP {
            t.counts.insert(cell, 1);
            t.order.push(cell);
        } else {
            t.overflow = true;
        }
    }
    t
}

fn profile_column(table: &Table, c: usize) -> ColumnProfile {
    let name = table.headers()[c].clone();
    let t = tally(table, c);
    let present_rows = || (0..table.n_rows()).filter(|&r| !table.is_missing(c, r));
    let numbers: Vec<(usize, Option<f64>)> = present_rows()
        .map(|r| (r, parse_number(table.cell(c, r), table.decimal_comma())))
        .collect();
    let n_numeric = numbers.iter().filter(|(_, x)| x.is_some()).count();
    let n_dates = t.order.iter().filter(|v| is_written_date(v)).count();
    let yes_no = (t.order.len() == 2 || t.order.len() == 1)
        .then(|| EventCoding::new(&name, &[], t.order.iter().copied()).ok())
        .flatten();
    let mostly = |n: usize| t.present > 0 && n * 10 >= t.present * 9;
    let kind = if t.present == 0 {
        ColumnKind::Empty
    } else if yes_no.is_some() && t.order.len() == 2 {
        ColumnKind::YesNo
    } else if n_dates > 0 && n_dates == t.order.len() {
        ColumnKind::Date
    } else if mostly(n_numeric) {
        let integers = numbers
            .iter()
            .all(|(_, x)| x.is_none_or(|x| x.fract() == 0.0));
        if integers {
            ColumnKind::Integer
        } else {
            ColumnKind::Number
        }
    } else if t.order.len() <= LEVEL_CAP.min(t.present.div_ceil(2)).max(2) {
        ColumnKind::Category
    } else {
        ColumnKind::Text
    };
    let mut profile = ColumnProfile {
        name,
        letter: column_letter(c),
        kind,
        missing: t.missing,
        distinct: t.order.len(),
        distinct_capped: t.overflow,
        levels: Vec::new(),
        levels_truncated: false,
        min: None,
        max: None,
        first_date: None,
        last_date: None,
        date_format: None,
        event_coding: yes_no.map(|coding| coding.describe()),
        identifier: None,
        default_kind: match kind {
            ColumnKind::Empty | ColumnKind::Date => None,
            ColumnKind::Integer | ColumnKind::Number
                if !is_text(t.present - n_numeric, n_numeric)
                    && !few_whole_values(numbers.iter().filter_map(|(_, x)| *x)) =>
            {
                Some(Kind::Continuous)
            }
            _ => Some(Kind::Categorical),
        },
        problems: Vec::new(),
    };
    match kind {
        ColumnKind::Integer | ColumnKind::Number => {
            let values = numbers.iter().filter_map(|(_, x)| *x);
            profile.min = values.clone().reduce(f64::min);
            profile.max = values.reduce(f64::max);
            profile.problems = numbers
                .iter()
                .filter(|(_, x)| x.is_none())
                .take(PROBLEM_CAP)
                .map(|&(r, _)| format!("row {}: '{}' is not a number", r + 1, table.cell(c, r)))
                .collect();
            if kind == ColumnKind::Integer && looks_like_serial_dates(&profile) {
                profile.date_format = Some("excel-serial".into());
                profile.default_kind = None;
            }
        }
        ColumnKind::Date => date_range(table, c, &mut profile),
        _ => {}
    }
    profile.identifier = identifier_reason(&profile, &t);
    // Continuous values listed one by one say nothing; identifiers should not be shown.
    let listable = matches!(
        kind,
        ColumnKind::Category | ColumnKind::YesNo | ColumnKind::Text
    ) || profile.distinct <= LEVEL_CAP;
    if profile.identifier.is_none() && listable {
        (profile.levels, profile.levels_truncated) = levels(&t);
    }
    profile
}

/// A column named like a date whose whole numbers fall in 1900-2100 as Excel serials.
fn looks_like_serial_dates(p: &ColumnProfile) -> bool {
    let named = name_has(&p.name, &["date", "datum", "dob", "_dt", "fecha"]);
    let in_range = |x: Option<f64>| x.is_some_and(|x| (1.0..=73_415.0).contains(&x));
    named && in_range(p.min) && in_range(p.max)
}

fn date_range(table: &Table, c: usize, p: &mut ColumnProfile) {
    let format = resolve_format(&p.name, DateFormat::Auto, table.column_cells(c));
    let (format, label) = match format {
        Ok(DateFormat::Dmy) => (DateFormat::Dmy, "dmy"),
        Ok(DateFormat::Mdy) => (DateFormat::Mdy, "mdy"),
        Ok(DateFormat::Auto) => (DateFormat::Auto, "iso"),
        Err(_) => (DateFormat::Dmy, "ambiguous"),
    };
    p.date_format = Some(label.into());
    let days: Vec<i64> = (0..table.n_rows())
        .filter(|&r| !table.is_missing(c, r))
        .filter_map(|r| parse_date(table.cell(c, r), format))
        .collect();
    p.first_date = days.iter().min().map(|&d| iso_date(d));
    p.last_date = days.iter().max().map(|&d| iso_date(d));
}

/// Levels in the contract's order when few, else the most frequent (ties in level order).
fn levels(t: &Tally<'_>) -> (Vec<LevelCount>, bool) {
    let mut names: Vec<String> = t.order.iter().map(|v| v.to_string()).collect();
    sort_levels(&mut names);
    let mut levels: Vec<LevelCount> = names
        .into_iter()
        .map(|value| LevelCount {
            count: t.counts.get(value.as_str()).copied().unwrap_or(0),
            value,
        })
        .collect();
    if levels.len() <= LEVEL_CAP {
        return (levels, false);
    }
    levels.sort_by_key(|l| std::cmp::Reverse(l.count));
    levels.truncate(LEVEL_CAP);
    (levels, true)
}

/// Whether a header contains any of the (lower-case) words.
fn name_has(name: &str, words: &[&str]) -> bool {
    let name = name.to_lowercase();
    words.iter().any(|w| name.contains(w))
}

/// Whether a header is exactly one of the (lower-case) names, ignoring spaces and underscores.
fn name_is(name: &str, names: &[&str]) -> bool {
    let name: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    names.contains(&name.as_str())
}

/// Why a column might identify a person, judged by its name and its values.
fn identifier_reason(p: &ColumnProfile, t: &Tally<'_>) -> Option<String> {
    let reason = |r: &str| Some(r.to_string());
    if name_has(
        &p.name,
        &["birth", "dob", "geburt", "naissance", "nacimiento"],
    ) {
        return reason("birth date");
    }
    if name_has(
        &p.name,
        &["name", "vorname", "nachname", "nombre", "apellido"],
    ) || name_is(&p.name, &["nom", "patient", "surname"])
    {
        return reason("person's name");
    }
    if name_has(
        &p.name,
        &[
            "mrn",
            "medical record",
            "record number",
            "record no",
            "hospital number",
            "hospital no",
            "chart",
            "nhs",
            "ssn",
            "social security",
            "insurance",
            "passport",
        ],
    ) {
        return reason("record or registration number");
    }
    if name_has(
        &p.name,
        &[
            "address",
            "street",
            "phone",
            "telephone",
            "mobile",
            "email",
            "e-mail",
            "postcode",
            "zip",
        ],
    ) || t.order.iter().take(1000).any(|v| looks_like_email(v))
    {
        return reason("contact details");
    }
    // Past the cap, no repeat among the values counted stands for "all distinct".
    let unique = t.present >= 5
        && if t.overflow {
            t.counts.values().all(|&n| n == 1)
        } else {
            p.distinct == t.present
        };
    let text_like = matches!(p.kind, ColumnKind::Text | ColumnKind::Integer);
    if unique && text_like && t.order.iter().take(200).all(|v| looks_like_person_name(v)) {
        return reason("values look like people's names");
    }
    if unique && text_like && p.kind == ColumnKind::Text {
        return reason("unique per row: an identifier (check it is not a record number)");
    }
    None
}

fn looks_like_email(v: &str) -> bool {
    v.split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !v.contains(' '))
}

/// "Smith, John" or "John Smith": two or three capitalised words of letters.
fn looks_like_person_name(v: &str) -> bool {
    let words: Vec<&str> = v.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
        })
}

/// Words in the names of event columns (status, death, relapse, German "Tod", French "décès").
const EVENT_WORDS: [&str; 15] = [
    "status", "event", "dead", "death", "died", "censor", "vital", "fustat", "outcome", "relapse",
    "progress", "recur", "cens", "tod", "deces",
];

/// Whether a column's name says it records an event, as the suggestions judge it.
pub fn names_an_event(name: &str) -> bool {
    name_has(name, &EVENT_WORDS) || name_is(name, &EVENT_WORDS)
}

/// Proposes time, event, date and group columns by name first, then by kind.
fn suggest(columns: &[ColumnProfile]) -> Suggestions {
    let usable = |c: &&ColumnProfile| c.identifier.is_none();
    let pick = |kinds: &[ColumnKind], names: &[&str]| {
        columns
            .iter()
            .filter(usable)
            .filter(|c| kinds.contains(&c.kind))
            .find(|c| name_has(&c.name, names) || name_is(&c.name, names))
            .map(|c| c.name.clone())
    };
    let numeric = [ColumnKind::Integer, ColumnKind::Number];
    let time = pick(
        &numeric,
        &[
            "time", "futime", "os", "pfs", "dfs", "efs", "surv", "follow", "month", "day", "week",
            "year", "duration", "stime", "zeit", "tiempo", "temps",
        ],
    )
    .filter(|name| {
        columns
            .iter()
            .any(|c| &c.name == name && c.min.is_some_and(|m| m >= 0.0))
    });
    let event = pick(&[ColumnKind::YesNo], &EVENT_WORDS).or_else(|| {
        columns
            .iter()
            .filter(usable)
            .find(|c| c.kind == ColumnKind::YesNo && !name_has(&c.name, &["sex", "gender"]))
            .map(|c| c.name.clone())
    });
    let dates = [ColumnKind::Date];
    let start_date = pick(
        &dates,
        &[
            "start",
            "diag",
            "surg",
            "op",
            "entry",
            "enrol",
            "random",
            "baseline",
            "begin",
            "treat",
            "inclu",
            "admission",
        ],
    );
    let end_date = pick(
        &dates,
        &[
            "end", "last", "death", "follow", "censor", "contact", "event", "exit", "fu",
            "progress", "relapse", "status",
        ],
    )
    .filter(|e| Some(e) != start_date.as_ref());
    let group = columns
        .iter()
        .filter(usable)
        .filter(|c| Some(&c.name) != event.as_ref() && Some(&c.name) != time.as_ref())
        .filter(|c| match c.kind {
            ColumnKind::Category | ColumnKind::YesNo => (2..=10).contains(&c.distinct),
            ColumnKind::Integer => (2..=5).contains(&c.distinct),
            _ => false,
        })
        .map(|c| c.name.clone())
        .collect();
    Suggestions {
        time,
        event,
        start_date,
        end_date,
        group,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ReadOptions;

    fn profile(csv: &str) -> TableProfile {
        profile_table(&Table::from_csv_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap())
    }

    #[test]
    fn kinds_missing_levels_and_ranges() {
        let p = profile(
            "futime,fustat,rx,age,op_date,comment\n\
             5,1,A,61.5,25/03/2016,x\n\
             NA,0,B,70,01/02/2016,y\n\
             12,0,A,NA,03/02/2017,z\n\
             7,1,B,58,.,w\n",
        );
        let kinds: Vec<ColumnKind> = p.columns.iter().map(|c| c.kind).collect();
        use ColumnKind::*;
        assert_eq!(kinds, [Integer, YesNo, Category, Number, Date, Text]);
        let futime = &p.columns[0];
        assert_eq!(
            (futime.missing, futime.min, futime.max),
            (1, Some(5.0), Some(12.0))
        );
        assert_eq!(
            p.columns[1].event_coding.as_deref(),
            Some("event = 1, censored = 0")
        );
        assert_eq!(
            p.columns[2].levels,
            [
                LevelCount {
                    value: "A".into(),
                    count: 2
                },
                LevelCount {
                    value: "B".into(),
                    count: 2
                }
            ]
        );
        let op = &p.columns[4];
        assert_eq!(op.date_format.as_deref(), Some("dmy"));
        assert_eq!(op.first_date.as_deref(), Some("2016-02-01"));
        assert_eq!(op.last_date.as_deref(), Some("2017-02-03"));
        assert_eq!(p.suggestions.time.as_deref(), Some("futime"));
        assert_eq!(p.suggestions.event.as_deref(), Some("fustat"));
        assert_eq!(p.suggestions.start_date.as_deref(), Some("op_date"));
        assert_eq!(p.suggestions.group, ["rx"]);
    }

    #[test]
    fn identifiers_are_flagged_and_their_values_not_listed() {
        let p = profile(
            "Patient name,MRN,DOB,code,time\n\
             \"Smith, John\",100234,1950-01-02,a1,1\n\
             Mary Jones,100235,1948-05-06,b2,2\n\
             Ann Lee,100236,1960-07-08,c3,3\n\
             Tom Hart,100237,1971-09-10,d4,4\n\
             Li Wei,100238,1955-11-12,e5,5\n",
        );
        let reasons: Vec<Option<&str>> =
            p.columns.iter().map(|c| c.identifier.as_deref()).collect();
        assert_eq!(reasons[0], Some("person's name"));
        assert_eq!(reasons[1], Some("record or registration number"));
        assert_eq!(reasons[2], Some("birth date"));
        assert!(reasons[3].is_some_and(|r| r.contains("identifier")));
        assert_eq!(reasons[4], None);
        assert!(p.columns[0].levels.is_empty());
        assert!(p.warnings[0].contains("'Patient name', 'MRN', 'DOB', 'code'"));
    }

    #[test]
    fn mostly_numeric_columns_quote_their_problem_cells() {
        let mut csv = String::from("time\n");
        for i in 0..20 {
            csv.push_str(&format!("{i}\n"));
        }
        csv.push_str("unk\n");
        let p = profile(&csv);
        assert_eq!(p.columns[0].kind, ColumnKind::Integer);
        assert_eq!(p.columns[0].problems, ["row 21: 'unk' is not a number"]);
    }

    #[test]
    fn ambiguous_dates_warn() {
        let p = profile("start,end\n01/02/2020,03/04/2020\n");
        assert_eq!(p.columns[0].date_format.as_deref(), Some("ambiguous"));
        assert!(p
            .warnings
            .iter()
            .any(|w| w.contains("choose the date order")));
    }

    #[test]
    fn identifiers_past_the_distinct_cap_are_still_flagged() {
        let rows: Vec<Vec<String>> = (0..DISTINCT_CAP + 10)
            .map(|i| vec![format!("P{i}"), (i % 3).to_string()])
            .collect();
        let t = Table::from_rows(&["code".to_string(), "arm".into()], &rows).unwrap();
        let p = profile_table(&t);
        assert!(p.columns[0].distinct_capped);
        assert!(p.columns[0].identifier.is_some());
        assert!(!p.columns[1].distinct_capped);
        assert_eq!(p.columns[1].distinct, 3);
    }
}
