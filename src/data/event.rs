//! Event coding: which cell values mean the event (death, progression) happened.

use std::collections::HashMap;

use crate::data::values::parse_number;
use crate::error::{Error, Result};

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
                Err(Error::UnknownEventCoding {
                    column: column.to_string(),
                    found: shown.join(", "),
                    suggestion: found.first().cloned().unwrap_or_else(|| "1".into()),
                })
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
        let err = infer(&["1", "2", "dead"]).unwrap_err().to_string();
        assert!(
            err.contains("'1', '2', 'dead'") && err.contains("--event-value"),
            "{err}"
        );
    }

    #[test]
    fn listed_values_win() {
        let c = EventCoding::new("s", &["Progressed".into()], std::iter::empty()).unwrap();
        assert!(c.is_event("progressed") && !c.is_event("stable"));
    }
}
