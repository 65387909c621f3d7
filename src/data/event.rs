//! Event coding: which cell values mean the event (death, progression) happened.

use std::collections::HashMap;

use crate::data::values::parse_number;
use crate::error::{Error, Hint, Result};
use crate::options::Setting;

/// How an event column is read.
#[derive(Debug, Clone, PartialEq)]
pub enum EventCoding {
    /// The user's `--event-value`s (compared case-insensitively, numbers by value); every other
    /// non-missing value is a censoring.
    Listed(Vec<String>),
    /// Two codes, inferred from the values found: the first means the event.
    Inferred { event: String, censored: String },
}

/// The pairs recognised without `--event-value`: (event, censored).
const KNOWN_PAIRS: [(&str, &str); 7] = [
    ("1", "0"),
    ("2", "1"),
    ("true", "false"),
    ("yes", "no"),
    ("dead", "alive"),
    ("died", "alive"),
    ("deceased", "alive"),
];

/// Lower-cases text and writes numbers canonically, so "1.0", "1" and " 1 " compare equal.
fn canonical(value: &str) -> String {
    let value = value.trim();
    // A decimal comma cannot be a thousands separator in a 0/1 or 1/2 code.
    match parse_number(value, true) {
        Some(x) => format!("{x}"),
        None => value.to_lowercase(),
    }
}

impl EventCoding {
    /// The coding for a column: the listed values if any, else inferred from the distinct
    /// non-missing values (an error naming them when no known pair fits).
    pub fn new<'a>(
        column: &str,
        listed: &[String],
        values: impl Iterator<Item = &'a str>,
    ) -> Result<EventCoding> {
        if !listed.is_empty() {
            return Ok(EventCoding::Listed(
                listed.iter().map(|v| canonical(v)).collect(),
            ));
        }
        let mut found: Vec<String> = Vec::new();
        // A column of a million 0s and 1s holds a handful of distinct spellings: canonicalise
        // each spelling once, not each cell.
        let mut spellings = BySpelling::default();
        for v in values.filter(|v| spellings.get_or_insert_with(v, || ()).1) {
            let c = canonical(v);
            if !found.contains(&c) {
                found.push(c);
                if found.len() > 20 {
                    break;
                }
            }
        }
        // First fit wins, so a column of only 1s reads as 0/1 (all events), as R's Surv does.
        let pair = KNOWN_PAIRS
            .iter()
            .copied()
            .find(|(event, censored)| found.iter().all(|f| f == event || f == censored));
        match pair {
            Some((event, censored)) => Ok(EventCoding::Inferred {
                event: event.into(),
                censored: censored.into(),
            }),
            None => {
                let mut shown = found
                    .iter()
                    .take(10)
                    .map(|f| format!("'{f}'"))
                    .collect::<Vec<_>>();
                if found.len() > 10 {
                    shown.push("...".into());
                }
                Err(Error::data(format!(
                    "cannot tell which values mean the event happened; found {}",
                    shown.join(", ")
                ))
                .column(column)
                .hint(Hint::ListEventValues {
                    suggestion: found.first().cloned().unwrap_or_else(|| "1".into()),
                }))
            }
        }
    }

    /// Whether each cell means the event happened, deciding once per distinct spelling.
    pub fn memo(&self) -> impl FnMut(&str) -> bool + '_ {
        let mut seen = BySpelling::default();
        move |cell| seen.get_or_insert_with(cell, || self.is_event(cell)).0
    }

    /// Whether a non-missing cell means the event happened.
    pub fn is_event(&self, value: &str) -> bool {
        let c = canonical(value);
        match self {
            EventCoding::Listed(values) => values.contains(&c),
            EventCoding::Inferred { event, .. } => *event == c,
        }
    }

    /// A plain statement of the coding, for output.
    pub fn describe(&self) -> String {
        match self {
            EventCoding::Listed(values) => format!(
                "event = {}; any other value = censored",
                values.join(" or ")
            ),
            EventCoding::Inferred { event, censored } => {
                format!("event = {event}, censored = {censored}")
            }
        }
    }
}

/// What one observation of a competing-risks outcome ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Cause {
    /// Followed without an event until the recorded time.
    #[default]
    Censored,
    /// The event of interest (e.g. progression).
    Event,
    /// An event that precludes the event of interest (e.g. death without progression).
    Competing,
}

/// How an event column with several codes is read for competing risks: the listed values of
/// the event of interest, the listed competing values, and every other non-missing value
/// censored.
#[derive(Debug, Clone, PartialEq)]
pub struct CauseCoding {
    event: Vec<String>,
    competing: Vec<String>,
}

impl CauseCoding {
    /// The coding of `column` from the user's two lists (compared as [`EventCoding::Listed`]
    /// compares: case-insensitive, numbers by value). An empty event list, or a value in both
    /// lists, is an error naming the column and what to change.
    pub fn new(column: &str, event: &[String], competing: &[String]) -> Result<CauseCoding> {
        if event.is_empty() {
            return Err(Error::usage("no value is named as the event of interest")
                .column(column)
                .hint(Hint::GiveOption {
                    setting: Setting::EventValues,
                }));
        }
        let event: Vec<String> = event.iter().map(|v| canonical(v)).collect();
        let competing: Vec<String> = competing.iter().map(|v| canonical(v)).collect();
        if let Some(both) = event.iter().find(|v| competing.contains(v)) {
            return Err(Error::usage(format!(
                "the value '{both}' is listed both as the event of interest and as a competing event; a value means one or the other"
            ))
            .column(column)
            .hint(Hint::ChooseOne {
                first: Setting::EventValues,
                second: Setting::CompetingValues,
            }));
        }
        Ok(CauseCoding { event, competing })
    }

    /// The cause a non-missing cell means.
    pub fn cause(&self, value: &str) -> Cause {
        let c = canonical(value);
        if self.event.contains(&c) {
            Cause::Event
        } else if self.competing.contains(&c) {
            Cause::Competing
        } else {
            Cause::Censored
        }
    }

    /// [`CauseCoding::cause`], deciding once per distinct spelling.
    pub fn memo(&self) -> impl FnMut(&str) -> Cause + '_ {
        let mut seen = BySpelling::default();
        move |cell| seen.get_or_insert_with(cell, || self.cause(cell)).0
    }

    /// The values meaning the event of interest, as compared (canonical spelling).
    pub fn event_values(&self) -> &[String] {
        &self.event
    }

    /// The values meaning a competing event, as compared (canonical spelling).
    pub fn competing_values(&self) -> &[String] {
        &self.competing
    }

    /// A plain statement of the coding, for output (the contract's `event_coding`).
    pub fn describe(&self) -> String {
        let competing = if self.competing.is_empty() {
            "competing = none".to_string()
        } else {
            format!("competing = {}", self.competing.join(" or "))
        };
        format!(
            "event of interest = {}; {competing}; any other value = censored",
            self.event.join(" or ")
        )
    }
}

/// A value per distinct spelling of a cell. Event columns hold a handful of spellings, so a
/// short list searched in order beats hashing each of a million cells; a column with many
/// spellings spills into a hash map.
struct BySpelling<T> {
    few: Vec<(String, T)>,
    many: HashMap<String, T>,
}

impl<T> Default for BySpelling<T> {
    fn default() -> Self {
        BySpelling {
            few: Vec::new(),
            many: HashMap::new(),
        }
    }
}

const FEW_SPELLINGS: usize = 16;

impl<T: Copy> BySpelling<T> {
    /// The value for `cell`, computed by `make` the first time; and whether it was new.
    fn get_or_insert_with(&mut self, cell: &str, make: impl FnOnce() -> T) -> (T, bool) {
        if let Some((_, v)) = self.few.iter().find(|(s, _)| s == cell) {
            return (*v, false);
        }
        if let Some(v) = self.many.get(cell) {
            return (*v, false);
        }
        let v = make();
        if self.few.len() < FEW_SPELLINGS {
            self.few.push((cell.to_string(), v));
        } else {
            self.many.insert(cell.to_string(), v);
        }
        (v, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(values: &[&str]) -> Result<EventCoding> {
        EventCoding::new("status", &[], values.iter().copied())
    }

    #[test]
    fn r_conventions() {
        assert!(infer(&["0", "1"]).unwrap().is_event("1"));
        let c = infer(&["1", "2", "1"]).unwrap();
        assert!(c.is_event("2") && !c.is_event("1"));
        assert!(infer(&["1", "1"]).unwrap().is_event("1.0"));
        assert!(infer(&["Dead", "alive"]).unwrap().is_event("DEAD"));
        assert!(infer(&["no", "no"]).unwrap().is_event("yes"));
        assert!(!infer(&["0"]).unwrap().is_event("0"));
    }

    #[test]
    fn mixed_codes_are_an_error_listing_them() {
        let err = infer(&["1", "2", "dead"]).unwrap_err();
        assert!(err.message.contains("'1', '2', 'dead'"), "{err}");
        assert!(matches!(err.hint, Some(Hint::ListEventValues { .. })));
    }

    #[test]
    fn listed_values_win() {
        let c = EventCoding::new("s", &["Progressed".into()], std::iter::empty()).unwrap();
        assert!(c.is_event("progressed") && !c.is_event("stable"));
    }

    fn causes(event: &[&str], competing: &[&str]) -> Result<CauseCoding> {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        CauseCoding::new("status", &list(event), &list(competing))
    }

    #[test]
    fn causes_by_listed_values_and_censored_otherwise() {
        let c = causes(&["1"], &["2", "Death"]).unwrap();
        assert_eq!(c.cause("1.0"), Cause::Event);
        assert_eq!(c.cause(" 2 "), Cause::Competing);
        assert_eq!(c.cause("DEATH"), Cause::Competing);
        assert_eq!(c.cause("0"), Cause::Censored);
        assert_eq!(c.cause("lost"), Cause::Censored);
        assert_eq!(
            c.describe(),
            "event of interest = 1; competing = 2 or death; any other value = censored"
        );
    }

    #[test]
    fn a_value_in_both_lists_is_an_error_naming_column_and_value() {
        let err = causes(&["1", "relapse"], &["2", "Relapse"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("column 'status'")
                && err.contains("'relapse'")
                && err.contains("one or the other"),
            "{err}"
        );
        let err = causes(&["1"], &["1.0"]).unwrap_err().to_string();
        assert!(err.contains("'1'"), "{err}");
    }

    #[test]
    fn the_event_of_interest_must_be_named() {
        let err = causes(&[], &["2"]).unwrap_err();
        assert_eq!(
            err.hint,
            Some(Hint::GiveOption {
                setting: Setting::EventValues
            })
        );
    }
}
