//! Turning table columns into analysis vectors, excluding unusable rows with a reason for each.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::data::dates::{is_written_date, parse_date, resolve_format};
use crate::data::event::{Cause, CauseCoding, EventCoding};
use crate::data::profile::names_an_event;
use crate::data::table::Table;
use crate::data::values::{sort_levels, NumberCell};
use crate::error::{Error, Hint, Result};
use crate::options::{DateFormat, Setting, TimeUnit};

/// A data row that was not used, and why (the contract's `excluded`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exclusion {
    /// 1-based data row: the first row under the header is 1.
    pub row: usize,
    pub reason: String,
}

/// Why a row's follow-up was cut at `--cutoff-date`, which decides how its event is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutoffCensoring {
    /// The end date is after the cut-off: whatever happened then is not counted.
    EndAfterCutoff,
    /// No end date: followed until the cut-off; an event without a date cannot be placed.
    NoEndDate,
}

/// Tracks which rows are still usable; the first reason given for a row is the one reported.
///
/// A flag per row and the reasons only for the rows excluded: a million-row file with a
/// handful of exclusions needs a megabyte here, not a string slot per row.
#[derive(Debug, Clone)]
pub struct RowFilter {
    excluded: Vec<bool>,
    reasons: BTreeMap<usize, String>,
    cutoff: BTreeMap<usize, CutoffCensoring>,
}

impl RowFilter {
    pub fn new(n_rows: usize) -> RowFilter {
        RowFilter {
            excluded: vec![false; n_rows],
            reasons: BTreeMap::new(),
            cutoff: BTreeMap::new(),
        }
    }

    /// A filter over a table's rows in which its blank rows are already excluded as such.
    pub fn for_table(table: &Table) -> RowFilter {
        let mut rows = RowFilter::new(table.n_rows());
        for &r in table.blank_rows() {
            rows.exclude(r, || "blank row".into());
        }
        rows
    }

    /// Marks a row as followed only up to the cut-off date (set by [`read_times`]).
    pub fn censor_at_cutoff(&mut self, row: usize, why: CutoffCensoring) {
        self.cutoff.insert(row, why);
    }

    /// Whether, and why, a row was censored at the cut-off date.
    pub fn cutoff_censoring(&self, row: usize) -> Option<CutoffCensoring> {
        self.cutoff.get(&row).copied()
    }

    pub fn exclude(&mut self, row: usize, reason: impl FnOnce() -> String) {
        if !self.excluded[row] {
            self.excluded[row] = true;
            self.reasons.insert(row, reason());
        }
    }

    pub fn is_kept(&self, row: usize) -> bool {
        !self.excluded[row]
    }

    /// 0-based indices of the rows still usable.
    pub fn kept(&self) -> Vec<usize> {
        (0..self.excluded.len())
            .filter(|&r| self.is_kept(r))
            .collect()
    }

    /// The error when no row is left: a file without data rows says so; otherwise the first
    /// row's reason and the columns to check.
    pub fn none_left(&self, columns: &[&str]) -> Error {
        match self.reasons.iter().next() {
            None => Error::no_data(
                "the file has a header but no data rows under it; add one row per patient",
            )
            .hint(Hint::ChooseFile),
            Some((row, reason)) => Error::no_data(format!(
                "all {} rows were excluded (first reason: row {}: {reason})",
                self.excluded.len(),
                row + 1
            ))
            .hint(Hint::CheckColumns {
                columns: columns.iter().map(|c| c.to_string()).collect(),
            }),
        }
    }

    pub fn exclusions(&self) -> Vec<Exclusion> {
        self.reasons
            .iter()
            .map(|(&r, reason)| Exclusion {
                row: r + 1,
                reason: reason.clone(),
            })
            .collect()
    }
}

/// A categorical variable: sorted levels and each kept row's level index.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub levels: Vec<String>,
    pub codes: Vec<usize>,
}

impl Factor {
    /// Builds a factor over the given rows' cells, levels in the contract's order.
    ///
    /// One pass gives each cell the number of its spelling in order of first appearance,
    /// found in a short list while there are few spellings (most factors: hashing a million
    /// cells costs more than comparing each with two to eight levels) and in a hash map
    /// beyond; the numbers are then renumbered into the sorted levels' order.
    pub fn new<'a>(cells: impl Iterator<Item = &'a str>) -> Factor {
        const FEW: usize = 8;
        let mut seen: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let codes: Vec<usize> = cells
            .map(|cell| {
                let known = if seen.len() <= FEW {
                    seen.iter().position(|&s| s == cell)
                } else {
                    index.get(cell).copied()
                };
                known.unwrap_or_else(|| {
                    seen.push(cell);
                    if seen.len() == FEW + 1 {
                        index.extend(seen.iter().enumerate().map(|(i, &s)| (s, i)));
                    } else if seen.len() > FEW + 1 {
                        index.insert(cell, seen.len() - 1);
                    }
                    seen.len() - 1
                })
            })
            .collect();
        let mut levels: Vec<String> = seen.iter().map(|s| s.to_string()).collect();
        sort_levels(&mut levels);
        let sorted: HashMap<&str, usize> = levels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i))
            .collect();
        let renumber: Vec<usize> = seen.iter().map(|s| sorted[s]).collect();
        let codes = codes.into_iter().map(|c| renumber[c]).collect();
        Factor { levels, codes }
    }

    /// The level index of each row and the number of levels.
    pub fn as_codes(&self) -> (&[usize], usize) {
        (&self.codes, self.levels.len())
    }
}

/// Where follow-up time comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeSpec {
    Column(String),
    Dates {
        start: String,
        end: String,
        unit: TimeUnit,
        format: DateFormat,
        /// `--cutoff-date`: follow-up ends here; a missing or later end date is censored at it.
        cutoff: Option<String>,
    },
}

impl TimeSpec {
    /// The unit of time computed from dates; `None` for a time column (its unit is the user's).
    pub fn unit(&self) -> Option<TimeUnit> {
        match self {
            TimeSpec::Column(_) => None,
            TimeSpec::Dates { unit, .. } => Some(*unit),
        }
    }

    /// How follow-up time was obtained, in words for output; `None` for a time column.
    pub fn describe(&self) -> Option<String> {
        let TimeSpec::Dates {
            start,
            end,
            unit,
            cutoff,
            ..
        } = self
        else {
            return None;
        };
        let mut text = match unit {
            TimeUnit::Days => format!("time in days from '{start}' to '{end}'"),
            _ => format!(
                "time in {} = days from '{start}' to '{end}' / {}",
                unit.name(),
                unit.days()
            ),
        };
        if let Some(cutoff) = cutoff {
            text.push_str(&format!(
                "; censored at {cutoff} where '{end}' is later or empty"
            ));
        }
        Some(text)
    }
}

/// Which columns make a survival outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalSpec {
    pub time: TimeSpec,
    pub event: String,
    pub event_values: Vec<String>,
}

impl SurvivalSpec {
    /// The columns the outcome is read from, for messages.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns = match &self.time {
            TimeSpec::Column(time) => vec![time.as_str()],
            TimeSpec::Dates { start, end, .. } => vec![start.as_str(), end.as_str()],
        };
        columns.push(&self.event);
        columns
    }
}

/// Reads follow-up times into `out` (NaN where excluded), excluding missing and negative times.
pub fn read_times(table: &Table, spec: &TimeSpec, rows: &mut RowFilter) -> Result<Vec<f64>> {
    let n = table.n_rows();
    let mut time = vec![f64::NAN; n];
    match spec {
        TimeSpec::Column(name) => {
            let c = table.column_index(name)?;
            for (r, slot) in time.iter_mut().enumerate() {
                let t = match table.number(c, r) {
                    NumberCell::Value(t) => t,
                    NumberCell::Missing => {
                        rows.exclude(r, || format!("missing time ('{name}')"));
                        continue;
                    }
                    NumberCell::Text => return Err(not_a_time(table, c, name, r)),
                };
                if t < 0.0 {
                    rows.exclude(r, || {
                        format!("negative time ({}) in '{name}'", table.cell(c, r))
                    });
                }
                *slot = t;
            }
        }
        TimeSpec::Dates {
            start,
            end,
            unit,
            format,
            cutoff,
        } => {
            let (sc, ec) = (table.column_index(start)?, table.column_index(end)?);
            // Both columns come from the same hands, so one column's unambiguous dates settle
            // how the other's are written.
            let format = resolve_format(
                &format!("{start}' and '{end}"),
                *format,
                table.column_cells(sc).chain(table.column_cells(ec)),
            )?;
            let cutoff = cutoff
                .as_deref()
                .map(|d| parse_cutoff(d, format))
                .transpose()?;
            let start_days = read_dates(table, sc, start, format, rows, true)?;
            let end_days = read_dates(table, ec, end, format, rows, cutoff.is_none())?;
            for (r, slot) in time.iter_mut().enumerate() {
                let Some(s) = start_days[r] else { continue };
                let (e, censored) = match (end_days[r], cutoff) {
                    (Some(e), Some(d)) if e > d => (d, Some(CutoffCensoring::EndAfterCutoff)),
                    (Some(e), _) => (e, None),
                    (None, Some(d)) => (d, Some(CutoffCensoring::NoEndDate)),
                    (None, None) => continue,
                };
                if let Some(why) = censored {
                    rows.censor_at_cutoff(r, why);
                }
                if e < s && censored.is_some() {
                    rows.exclude(r, || format!("'{start}' is after the cut-off date"));
                } else if e < s {
                    rows.exclude(r, || format!("'{end}' is before '{start}'"));
                }
                *slot = (e - s) as f64 / unit.days();
            }
        }
    }
    Ok(time)
}

/// A time cell that is no number; a date there means the user wants time from dates, and a
/// column of text (a group or a name) means another column was meant for time.
fn not_a_time(table: &Table, c: usize, column: &str, row: usize) -> Error {
    let cell = table.cell(c, row);
    if is_written_date(cell) {
        return Error::data(format!("'{cell}' is a date, not a follow-up time"))
            .column(column)
            .row(row + 1)
            .hint(Hint::UseDateColumns);
    }
    let (mut n_text, mut n_numbers) = (0, 0);
    for r in 0..table.n_rows() {
        match table.number(c, r) {
            NumberCell::Value(_) => n_numbers += 1,
            NumberCell::Text => n_text += 1,
            NumberCell::Missing => {}
        }
    }
    // Mostly text: a column of words, not numbers with a typo (Table 1's rule, `is_text`, is
    // looser, as a few words there make a column of categories).
    if n_text > n_numbers {
        Error::data(format!(
            "the column holds text ('{cell}'), not follow-up times"
        ))
        .column(column)
        .row(row + 1)
        .hint(Hint::ChooseColumn {
            setting: Setting::Time,
        })
    } else {
        Error::not_a_number(column, row + 1, cell)
    }
}

/// Reads the cut-off date in the date columns' format (ISO always works).
fn parse_cutoff(cutoff: &str, format: DateFormat) -> Result<i64> {
    parse_date(cutoff, format).ok_or_else(|| {
        Error::usage(format!("the cut-off date '{cutoff}' is not a date")).hint(Hint::SetOption {
            setting: Setting::CutoffDate,
            example: Some("2021-12-31".into()),
        })
    })
}

fn read_dates(
    table: &Table,
    c: usize,
    name: &str,
    format: DateFormat,
    rows: &mut RowFilter,
    exclude_missing: bool,
) -> Result<Vec<Option<i64>>> {
    (0..table.n_rows())
        .map(|r| {
            if table.is_missing(c, r) {
                if exclude_missing {
                    rows.exclude(r, || format!("missing date ('{name}')"));
                }
                return Ok(None);
            }
            let cell = table.cell(c, r);
            parse_date(cell, format).map(Some).ok_or_else(|| {
                Error::data(format!("'{cell}' is not a date"))
                    .column(name)
                    .row(r + 1)
                    .hint(Hint::WriteDates)
            })
        })
        .collect()
}

/// Reads the event indicator per row, excluding rows where it is missing.
///
/// Call it after [`read_times`]: rows censored at `--cutoff-date` read as censored, and a row
/// with an event but no end date is excluded.
pub fn read_events(
    table: &Table,
    name: &str,
    listed: &[String],
    rows: &mut RowFilter,
) -> Result<(Vec<bool>, EventCoding)> {
    let c = table.column_index(name)?;
    let present = (0..table.n_rows()).filter(|&r| !table.is_missing(c, r));
    let coding = EventCoding::new(name, listed, present.map(|r| table.cell(c, r)))?;
    let events = read_coded(table, c, name, rows, coding.memo(), |&e| e, false);
    Ok((events, coding))
}

/// Reads a competing-risks outcome's cause per row (event of interest, competing event or
/// censored), excluding rows where it is missing; as [`read_events`] for the cut-off date.
pub fn read_causes(
    table: &Table,
    name: &str,
    coding: &CauseCoding,
    rows: &mut RowFilter,
) -> Result<Vec<Cause>> {
    let c = table.column_index(name)?;
    Ok(read_coded(
        table,
        c,
        name,
        rows,
        coding.memo(),
        |&cause| cause != Cause::Censored,
        Cause::Censored,
    ))
}

/// Reads an event column cell by cell through `code`, excluding missing cells; follow-up cut
/// at the cut-off date reads as `censored`, and an event without an end date is excluded.
fn read_coded<T: Copy>(
    table: &Table,
    c: usize,
    name: &str,
    rows: &mut RowFilter,
    mut code: impl FnMut(&str) -> T,
    is_event: impl Fn(&T) -> bool,
    censored: T,
) -> Vec<T> {
    (0..table.n_rows())
        .map(|r| {
            if table.is_missing(c, r) {
                rows.exclude(r, || format!("missing event ('{name}')"));
                return censored;
            }
            let value = code(table.cell(c, r));
            match rows.cutoff_censoring(r) {
                None => value,
                Some(CutoffCensoring::EndAfterCutoff) => censored,
                Some(CutoffCensoring::NoEndDate) => {
                    if is_event(&value) {
                        rows.exclude(r, || {
                            format!("'{name}' records the event but its end date is empty; fill in the date of the event")
                        });
                    }
                    censored
                }
            }
        })
        .collect()
}

/// Marks rows with a missing value in a categorical column as excluded.
pub fn require_present(
    table: &Table,
    name: &str,
    role: &str,
    rows: &mut RowFilter,
) -> Result<usize> {
    let c = table.column_index(name)?;
    for r in 0..table.n_rows() {
        if table.is_missing(c, r) {
            rows.exclude(r, || format!("missing {role} ('{name}')"));
        }
    }
    Ok(c)
}

/// Reads a numeric column, excluding rows where it is missing.
pub fn read_numbers(
    table: &Table,
    name: &str,
    role: &str,
    rows: &mut RowFilter,
) -> Result<Vec<f64>> {
    let c = table.column_index(name)?;
    (0..table.n_rows())
        .map(|r| match table.number(c, r) {
            NumberCell::Value(v) => Ok(v),
            NumberCell::Missing => {
                rows.exclude(r, || format!("missing {role} ('{name}')"));
                Ok(f64::NAN)
            }
            NumberCell::Text => Err(Error::not_a_number(name, r + 1, table.cell(c, r))),
        })
        .collect()
}

/// The most groups (or levels of a categorical covariate) an analysis takes. Tests between k
/// groups invert a k x k matrix at every event time's scale, so an identifier or a
/// measurement given as the group would run for hours; no clinical comparison needs more.
pub const MAX_LEVELS: usize = 100;

/// Refuses a column with more than [`MAX_LEVELS`] distinct values among the rows used.
///
/// `setting` is the role the column was chosen for, so the hint says which choice to change.
pub fn check_level_count(
    column: &str,
    levels: usize,
    rows: usize,
    what: &str,
    setting: Setting,
) -> Result<()> {
    if levels <= MAX_LEVELS {
        return Ok(());
    }
    Err(Error::data(format!(
        "has {levels} different values among the {rows} rows used, too many {what} (at most {MAX_LEVELS}); if it identifies patients or holds a measurement, choose another column, or group its values first (for example ages into bands)"
    ))
    .column(column)
    .hint(Hint::ChooseColumn { setting }))
}

/// Fewest observations over which an event column's censoring pattern is judged.
const GROUP_CHECK_MIN_ROWS: usize = 10;

/// A doubt, worded for output, when the event column looks like a grouping chosen by mistake
/// (a treatment arm coded 1/2 reads as "event = 2"). Only codes inferred from the values (the
/// user listed none) in a column whose name says nothing of an event (`names_an_event`) are
/// doubted, and then when either
/// - the codes are 1 and 2, the usual codes of two groups in SPSS files (R's `Surv` reads 2 as
///   the event), or
/// - the two values split the patients about evenly (35% to 65% read as events) and those read
///   as censored were followed no longer than those read as events (median time): in an event
///   column the censored are mostly the patients still event-free when follow-up ended, so the
///   ones followed longest, while a grouping has no such pattern.
pub fn event_looks_like_group(
    column: &str,
    coding: &EventCoding,
    time: &[f64],
    event: &[bool],
) -> Option<String> {
    let EventCoding::Inferred {
        event: code,
        censored: other,
    } = coding
    else {
        return None;
    };
    if names_an_event(column) {
        return None;
    }
    let mut reasons = vec!["its name says nothing of an event".to_string()];
    if code == "2" && other == "1" {
        reasons.push(
            "1 and 2 are the usual codes of two groups (read here as event = 2, censored = 1, as R's Surv reads them)"
                .into(),
        );
    }
    if let Some(pattern) = no_censoring_pattern(time, event) {
        reasons.push(pattern);
    }
    (reasons.len() > 1).then(|| {
        format!(
            "'{column}' looks more like a grouping than an event: {}; check that '{column}' records whether the event happened",
            reasons.join("; ")
        )
    })
}

/// Why a two-valued outcome shows no censoring pattern (an even split, the censored followed no
/// longer than the events), or None when it shows one or there are too few rows to judge.
fn no_censoring_pattern(time: &[f64], event: &[bool]) -> Option<String> {
    if time.len() < GROUP_CHECK_MIN_ROWS {
        return None;
    }
    let (mut events, mut censored): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    for (&t, &e) in time.iter().zip(event) {
        if e {
            events.push(t)
        } else {
            censored.push(t)
        }
    }
    let share = events.len() as f64 / time.len() as f64;
    if !(0.35..=0.65).contains(&share) {
        return None;
    }
    let (median_events, median_censored) = (median(&mut events)?, median(&mut censored)?);
    (median_censored <= median_events).then(|| {
        format!(
            "its two values split the patients about evenly ({:.0}% read as events) and those read as censored were followed no longer than those read as events (median time {} against {}), whereas censored patients are usually the ones followed longest",
            share * 100.0,
            crate::format::time(median_censored),
            crate::format::time(median_events),
        )
    })
}

/// The median of some numbers (the mean of the middle two for an even count), or None for none.
fn median(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    // Below the upper middle lie the n/2 smaller values: the lower middle is their largest.
    let lower = values[..n / 2]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

/// A survival outcome over the kept rows, with optional group and strata factors.
#[derive(Debug, Clone)]
pub struct SurvivalData {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    /// 1-based data row of each kept observation.
    pub row: Vec<usize>,
    pub group: Option<Factor>,
    /// The group column's name, for messages about its levels.
    pub group_column: Option<String>,
    pub strata: Option<Factor>,
    pub coding: EventCoding,
    /// How time was obtained (unit, divisor, cut-off) when it comes from dates.
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    /// Things the analysis should say, such as an `--event-value` that no row has.
    pub warnings: Vec<String>,
}

impl SurvivalData {
    /// Reads time, event, and optional group and strata columns from a table.
    pub fn from_table(
        table: &Table,
        spec: &SurvivalSpec,
        group: Option<&str>,
        strata: Option<&str>,
    ) -> Result<SurvivalData> {
        let mut rows = RowFilter::for_table(table);
        let time = read_times(table, &spec.time, &mut rows)?;
        let (event, coding) = read_events(table, &spec.event, &spec.event_values, &mut rows)?;
        let group_col = group
            .map(|g| require_present(table, g, "group", &mut rows))
            .transpose()?;
        let strata_col = strata
            .map(|s| require_present(table, s, "stratum", &mut rows))
            .transpose()?;
        let kept = rows.kept();
        if kept.is_empty() {
            return Err(rows.none_left(&spec.columns()));
        }
        let factor = |c: usize| Factor::new(kept.iter().map(move |&r| table.cell(c, r)));
        let groups = group_col.map(factor);
        if let (Some(name), Some(g)) = (group, &groups) {
            check_level_count(name, g.levels.len(), kept.len(), "groups", Setting::Group)?;
        }
        let time: Vec<f64> = kept.iter().map(|&r| time[r]).collect();
        let event: Vec<bool> = kept.iter().map(|&r| event[r]).collect();
        let mut warnings = Vec::new();
        if spec.event_values.is_empty() {
            warnings.extend(event_looks_like_group(&spec.event, &coding, &time, &event));
        }
        if !spec.event_values.is_empty() && !event.contains(&true) {
            warnings.push(format!(
                "no row has '{}' = {}, so every observation is censored; check the values meaning the event",
                spec.event,
                spec.event_values.join(" or ")
            ));
        }
        Ok(SurvivalData {
            time,
            event,
            row: kept.iter().map(|&r| r + 1).collect(),
            group: groups,
            group_column: group.map(str::to_string),
            strata: strata_col.map(factor),
            coding,
            time_description: spec.time.describe(),
            excluded: rows.exclusions(),
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Twelve patients followed 1, 2, ..., 12 time units.
    fn twelve() -> Vec<f64> {
        (1..=12).map(f64::from).collect()
    }

    fn coded(event: &str, censored: &str) -> EventCoding {
        EventCoding::Inferred {
            event: event.into(),
            censored: censored.into(),
        }
    }

    /// Patients 2, 4, ..., 12 read as events (times 2, 4, ..., 12, median (6 + 8) / 2 = 7), the
    /// others censored (times 1, 3, ..., 11, median (5 + 7) / 2 = 6): an even split, and the
    /// censored followed no longer than the events.
    fn alternating() -> Vec<bool> {
        (1..=12).map(|i| i % 2 == 0).collect()
    }

    /// Events at times 1-6, censored at 7-12: the pattern of an event column.
    fn early_events() -> Vec<bool> {
        (1..=12).map(|i| i <= 6).collect()
    }

    #[test]
    fn a_one_two_code_with_no_censoring_pattern_looks_like_a_group() {
        let doubt =
            event_looks_like_group("arm", &coded("2", "1"), &twelve(), &alternating()).unwrap();
        assert!(doubt.starts_with("'arm' looks more like a grouping than an event: its name says nothing of an event; 1 and 2 are the usual codes of two groups (read here as event = 2, censored = 1"), "{doubt}");
        assert!(doubt.contains("(50% read as events)"), "{doubt}");
        assert!(doubt.contains("(median time 6 against 7)"), "{doubt}");
        assert!(!doubt.contains("--"), "no flag: {doubt}");
    }

    #[test]
    fn either_sign_alone_raises_the_doubt() {
        // Coded 1/2 though the censoring pattern is an event column's.
        let doubt =
            event_looks_like_group("arm", &coded("2", "1"), &twelve(), &early_events()).unwrap();
        assert!(
            doubt.contains("usual codes of two groups") && !doubt.contains("median time"),
            "{doubt}"
        );
        // Coded 0/1 but split evenly with no censoring pattern.
        let doubt =
            event_looks_like_group("treated", &coded("1", "0"), &twelve(), &alternating()).unwrap();
        assert!(
            !doubt.contains("usual codes") && doubt.contains("median time 6 against 7"),
            "{doubt}"
        );
    }

    #[test]
    fn an_event_column_is_not_doubted() {
        // Named as an event column: the same values raise no doubt.
        assert_eq!(
            event_looks_like_group("status", &coded("2", "1"), &twelve(), &alternating()),
            None
        );
        // Values the user listed: they said what the event is.
        let listed = EventCoding::Listed(vec!["2".into()]);
        assert_eq!(
            event_looks_like_group("arm", &listed, &twelve(), &alternating()),
            None
        );
        // Coded 0/1 with the censored followed longest.
        assert_eq!(
            event_looks_like_group("d", &coded("1", "0"), &twelve(), &early_events()),
            None
        );
        // Coded 0/1, nine events in twelve (75%): not an even split.
        let most: Vec<bool> = (1..=12).map(|i| i % 4 != 0).collect();
        assert_eq!(
            event_looks_like_group("d", &coded("1", "0"), &twelve(), &most),
            None
        );
        // Coded 0/1, fewer than ten patients: too few to judge the pattern.
        assert_eq!(
            event_looks_like_group("d", &coded("1", "0"), &twelve()[..8], &alternating()[..8]),
            None
        );
    }

    #[test]
    fn a_group_chosen_as_the_event_is_warned_about_with_its_coding() {
        let rows: Vec<[String; 3]> = (1..=12)
            .map(|i| {
                [
                    i.to_string(),
                    "1".into(),
                    if i % 2 == 0 { "2" } else { "1" }.into(),
                ]
            })
            .collect();
        let rows: Vec<Vec<&str>> = rows
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let t = Table::from_rows(&["time", "status", "arm"], &rows).unwrap();
        let spec = SurvivalSpec {
            event: "arm".into(),
            ..spec()
        };
        let data = SurvivalData::from_table(&t, &spec, None, None).unwrap();
        assert_eq!(data.coding.describe(), "event = 2, censored = 1");
        assert_eq!(data.warnings.len(), 1, "{:?}", data.warnings);
        assert!(data.warnings[0].contains("'arm' looks more like a grouping"));
    }

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    fn table(rows: &[[&str; 3]]) -> Table {
        let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
        Table::from_rows(&["time", "status", "arm"], &rows).unwrap()
    }

    fn spec() -> SurvivalSpec {
        SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: vec![],
        }
    }

    /// Levels in the contract's order and each cell's code pointing at its own level, with
    /// few levels (the short list) and with more than eight (the hash map, switched to
    /// mid-column): numbers in numeric order (2 before 10), text by character code.
    #[test]
    fn factor_codes_point_at_sorted_levels() {
        let numbers: Vec<String> = [7, 2, 10, 2, 1, 12, 9, 3, 11, 5, 7, 4, 6, 8, 1, 12]
            .iter()
            .map(|v| v.to_string())
            .collect();
        for cells in [
            numbers,
            ["b", "a", "b", "C", "a"].map(String::from).to_vec(),
        ] {
            let f = Factor::new(cells.iter().map(String::as_str));
            let mut expected: Vec<String> = cells.clone();
            expected.sort_by(|a, b| match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => x.total_cmp(&y),
                _ => a.cmp(b),
            });
            expected.dedup();
            assert_eq!(f.levels, expected);
            for (cell, &code) in cells.iter().zip(&f.codes) {
                assert_eq!(&f.levels[code], cell);
            }
        }
    }

    #[test]
    fn unusable_rows_are_excluded_with_reasons() {
        let t = table(&[
            ["5", "1", "A"],
            ["", "0", "B"],
            ["-1", "1", "A"],
            ["3", "NA", "B"],
            ["4", "0", ""],
            ["2", "0", "B"],
        ]);
        let d = SurvivalData::from_table(&t, &spec(), Some("arm"), None).unwrap();
        assert_eq!(d.time, [5.0, 2.0]);
        assert_eq!(d.row, [1, 6]);
        let rows: Vec<usize> = d.excluded.iter().map(|e| e.row).collect();
        assert_eq!(rows, [2, 3, 4, 5]);
        assert!(d.excluded[1].reason.contains("negative"));
        assert_eq!(d.group.unwrap().levels, ["A", "B"]);
    }

    #[test]
    fn a_date_in_the_time_column_hints_at_the_date_columns() {
        let t = table(&[["2020-01-05", "1", "A"]]);
        let err = SurvivalData::from_table(&t, &spec(), None, None).unwrap_err();
        assert_eq!(err.hint, Some(Hint::UseDateColumns));
        assert_eq!((err.column.as_deref(), err.row), (Some("time"), Some(1)));
    }

    #[test]
    fn non_numeric_time_names_row_and_column() {
        let t = table(&[["5", "1", "A"], ["five", "0", "B"]]);
        let err = SurvivalData::from_table(&t, &spec(), None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("column 'time', row 2: 'five' is not a number"),
            "{err}"
        );
    }

    #[test]
    fn time_from_dates_in_months() {
        let t = Table::from_rows(
            &["op", "last", "dead"],
            &[
                vec!["2020-01-01", "2020-07-01", "1"],
                vec!["2020-01-01", "2019-12-01", "0"],
            ],
        )
        .unwrap();
        let s = SurvivalSpec {
            time: TimeSpec::Dates {
                start: "op".into(),
                end: "last".into(),
                unit: TimeUnit::Months,
                format: DateFormat::Auto,
                cutoff: None,
            },
            event: "dead".into(),
            event_values: vec![],
        };
        let d = SurvivalData::from_table(&t, &s, None, None).unwrap();
        assert_eq!(d.time, [182.0 / 30.4375]);
        assert!(d.excluded[0].reason.contains("before"));
    }

    #[test]
    fn cutoff_censors_late_and_missing_end_dates() {
        let t = Table::from_rows(
            &["op", "last", "dead"],
            &[
                vec!["2020-01-01", "2020-03-01", "1"],
                vec!["2020-01-01", "2021-06-01", "1"],
                vec!["2020-01-01", "", "0"],
                vec!["2020-01-01", "", "1"],
                vec!["2021-02-01", "2021-03-01", "0"],
            ],
        )
        .unwrap();
        let s = SurvivalSpec {
            time: TimeSpec::Dates {
                start: "op".into(),
                end: "last".into(),
                unit: TimeUnit::Days,
                format: DateFormat::Auto,
                cutoff: Some("2020-12-31".into()),
            },
            event: "dead".into(),
            event_values: vec![],
        };
        let d = SurvivalData::from_table(&t, &s, None, None).unwrap();
        // 2020 is a leap year: 2020-01-01 to 2020-03-01 is 31 + 29 days; to 2020-12-31 is 365.
        assert_eq!(d.time, [60.0, 365.0, 365.0]);
        assert_eq!(d.event, [true, false, false]);
        assert_eq!(d.row, [1, 2, 3]);
        assert_eq!(d.excluded.len(), 2);
        assert!(
            d.excluded[0].reason.contains("fill in the date"),
            "{:?}",
            d.excluded
        );
        assert!(
            d.excluded[1].reason.contains("after the cut-off"),
            "{:?}",
            d.excluded
        );
        assert!(s
            .time
            .describe()
            .unwrap()
            .contains("censored at 2020-12-31"));
    }
}
