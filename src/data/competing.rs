//! Competing-risks outcomes: time, and which of the event of interest, a competing event or
//! censoring ended each observation, read as the Kaplan-Meier outcome is (dates, cut-off,
//! missing cells, exclusions).

use crate::data::event::{Cause, CauseCoding};
use crate::data::prepare::{
    check_level_count, read_causes, read_times, require_present, Exclusion, Factor, RowFilter,
    TimeSpec,
};
use crate::data::table::Table;
use crate::error::Result;
use crate::options::Setting;

/// Which columns and values make a competing-risks outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetingSpec {
    pub time: TimeSpec,
    /// The event column, holding several codes.
    pub event: String,
    /// Values meaning the event of interest.
    pub event_values: Vec<String>,
    /// Values meaning a competing event; any other non-missing value is a censoring.
    pub competing_values: Vec<String>,
}

impl CompetingSpec {
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

/// A competing-risks outcome over every row of a table, with the rows it excludes; the
/// models add their own columns (group, covariates) before taking the kept rows.
#[derive(Debug, Clone)]
pub struct CompetingOutcome {
    /// Per table row (NaN or meaningless where excluded).
    pub time: Vec<f64>,
    pub cause: Vec<Cause>,
    pub coding: CauseCoding,
    pub rows: RowFilter,
}

impl CompetingOutcome {
    /// Reads time and cause, excluding blank rows and rows with a missing or negative time
    /// or a missing event cell.
    pub fn read(table: &Table, spec: &CompetingSpec) -> Result<CompetingOutcome> {
        let coding = CauseCoding::new(&spec.event, &spec.event_values, &spec.competing_values)?;
        let mut rows = RowFilter::for_table(table);
        let time = read_times(table, &spec.time, &mut rows)?;
        let cause = read_causes(table, &spec.event, &coding, &mut rows)?;
        Ok(CompetingOutcome {
            time,
            cause,
            coding,
            rows,
        })
    }

    /// Warnings for listed values that no kept row has.
    pub fn warnings(&self, spec: &CompetingSpec, kept: &[usize]) -> Vec<String> {
        let has = |c: Cause| kept.iter().any(|&r| self.cause[r] == c);
        let mut warnings = Vec::new();
        if !has(Cause::Event) {
            warnings.push(format!(
                "no row used has '{}' = {} (the event of interest), so its cumulative incidence is 0 throughout; check the values given for the event of interest",
                spec.event,
                self.coding.event_values().join(" or ")
            ));
        }
        if !self.coding.competing_values().is_empty() && !has(Cause::Competing) {
            warnings.push(format!(
                "no row used has '{}' = {} (a competing event), so there are no competing events; check the values given for competing events",
                spec.event,
                self.coding.competing_values().join(" or ")
            ));
        }
        warnings
    }
}

/// A competing-risks outcome over the kept rows, with an optional group factor.
#[derive(Debug, Clone)]
pub struct CompetingData {
    pub time: Vec<f64>,
    pub cause: Vec<Cause>,
    /// 1-based data row of each kept observation.
    pub row: Vec<usize>,
    pub group: Option<Factor>,
    pub coding: CauseCoding,
    /// How time was obtained (unit, divisor, cut-off) when it comes from dates.
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

impl CompetingData {
    /// Reads time, cause and an optional group column from a table.
    pub fn from_table(
        table: &Table,
        spec: &CompetingSpec,
        group: Option<&str>,
    ) -> Result<CompetingData> {
        let mut outcome = CompetingOutcome::read(table, spec)?;
        let group_col = group
            .map(|g| require_present(table, g, "group", &mut outcome.rows))
            .transpose()?;
        let kept = outcome.rows.kept();
        if kept.is_empty() {
            return Err(outcome.rows.none_left(&spec.columns()));
        }
        let groups = group_col.map(|c| Factor::new(kept.iter().map(move |&r| table.cell(c, r))));
        if let (Some(name), Some(g)) = (group, &groups) {
            check_level_count(name, g.levels.len(), kept.len(), "groups", Setting::Group)?;
        }
        Ok(CompetingData {
            time: kept.iter().map(|&r| outcome.time[r]).collect(),
            cause: kept.iter().map(|&r| outcome.cause[r]).collect(),
            row: kept.iter().map(|&r| r + 1).collect(),
            group: groups,
            warnings: outcome.warnings(spec, &kept),
            excluded: outcome.rows.exclusions(),
            coding: outcome.coding,
            time_description: spec.time.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::DateFormat;
    use crate::options::TimeUnit;

    fn spec(time: TimeSpec) -> CompetingSpec {
        CompetingSpec {
            time,
            event: "status".into(),
            event_values: vec!["relapse".into()],
            competing_values: vec!["death".into()],
        }
    }

    #[test]
    fn text_codes_with_exclusions_reported() {
        let t = Table::from_rows(
            &["time", "status", "arm"],
            &[
                vec!["5", "Relapse", "A"],
                vec!["3", "death", "B"],
                vec!["4", "alive", "A"],
                vec!["", "death", "A"],
                vec!["6", "", "B"],
                vec!["7", "lost", ""],
            ],
        )
        .unwrap();
        let d = CompetingData::from_table(&t, &spec(TimeSpec::Column("time".into())), Some("arm"))
            .unwrap();
        assert_eq!(d.time, [5.0, 3.0, 4.0]);
        assert_eq!(d.cause, [Cause::Event, Cause::Competing, Cause::Censored]);
        assert_eq!(d.row, [1, 2, 3]);
        let reasons: Vec<(usize, &str)> = d
            .excluded
            .iter()
            .map(|e| (e.row, e.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (4, "missing time ('time')"),
                (5, "missing event ('status')"),
                (6, "missing group ('arm')")
            ]
        );
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn dates_and_cutoff_as_for_kaplan_meier() {
        let t = Table::from_rows(
            &["op", "last", "status"],
            &[
                vec!["2020-01-01", "2020-03-01", "relapse"],
                vec!["2020-01-01", "2021-06-01", "death"],
                vec!["2020-01-01", "", "death"],
                vec!["2020-01-01", "", "alive"],
            ],
        )
        .unwrap();
        let d = CompetingData::from_table(
            &t,
            &spec(TimeSpec::Dates {
                start: "op".into(),
                end: "last".into(),
                unit: TimeUnit::Days,
                format: DateFormat::Auto,
                cutoff: Some("2020-12-31".into()),
            }),
            None,
        )
        .unwrap();
        // A death after the cut-off is censored at it; a death without a date is excluded.
        assert_eq!(d.time, [60.0, 365.0, 365.0]);
        assert_eq!(d.cause, [Cause::Event, Cause::Censored, Cause::Censored]);
        assert_eq!(d.excluded.len(), 1);
        assert!(d.excluded[0].reason.contains("fill in the date"));
    }

    #[test]
    fn values_no_row_has_are_warned_about() {
        let t =
            Table::from_rows(&["time", "status"], &[vec!["1", "0"], vec!["2", "death"]]).unwrap();
        let d =
            CompetingData::from_table(&t, &spec(TimeSpec::Column("time".into())), None).unwrap();
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].contains("'status' = relapse"),
            "{:?}",
            d.warnings
        );
    }
}
