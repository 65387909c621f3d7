//! Error messages and exclusions from file to prepared data: each names the row (as counted
//! under the header, blank and multi-line rows included, and as the spreadsheet shows it), the
//! column, and how to fix it (the command line's words: the core's hint rendered as flags).

mod common;

use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::options::{DateFormat, TimeUnit};

fn table(csv: &str) -> Table {
    read_table(csv.as_bytes(), None, &ReadOptions::default()).unwrap()
}

fn spec(event_values: &[&str]) -> SurvivalSpec {
    SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: event_values.iter().map(|v| v.to_string()).collect(),
    }
}

fn dates(format: DateFormat, cutoff: Option<&str>) -> SurvivalSpec {
    SurvivalSpec {
        time: TimeSpec::Dates {
            start: "start".into(),
            end: "end".into(),
            unit: TimeUnit::Months,
            format,
            cutoff: cutoff.map(str::to_string),
        },
        event: "status".into(),
        event_values: vec![],
    }
}

/// The command line's error for the file and outcome (`survcalc km -`), without `error: `;
/// the core must refuse the same data.
fn error(csv: &str, spec: &SurvivalSpec) -> String {
    assert!(SurvivalData::from_table(&table(csv), spec, None, None).is_err());
    let mut args = vec![
        "km".to_string(),
        "-".into(),
        "--event".into(),
        spec.event.clone(),
    ];
    for v in &spec.event_values {
        args.extend(["--event-value".into(), v.clone()]);
    }
    match &spec.time {
        TimeSpec::Column(time) => args.extend(["--time".into(), time.clone()]),
        TimeSpec::Dates {
            start,
            end,
            unit,
            format,
            cutoff,
        } => {
            args.extend(["--start-date".into(), start.clone(), "--end-date".into()]);
            args.extend([end.clone(), "--unit".into(), unit.to_string()]);
            args.extend(["--date-format".into(), format.to_string()]);
            if let Some(cutoff) = cutoff {
                args.extend(["--cutoff-date".into(), cutoff.clone()]);
            }
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = common::survcalc(&args, Some(csv.as_bytes()));
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    err.trim_end()
        .strip_prefix("error: ")
        .unwrap_or(&err)
        .to_string()
}

#[test]
fn a_word_in_the_time_column_names_its_row_counting_blank_and_multiline_rows() {
    // Row 1 holds a two-line note, row 2 is blank, row 3 has the bad cell.
    let err = error(
        "time,status,note\n5,1,\"first\nsecond\"\n\n12 months,0,x\n",
        &spec(&[]),
    );
    assert_eq!(
        err,
        "column 'time', row 3 (spreadsheet row 4): '12 months' is not a number. Correct the cell, or leave it empty (or NA) to exclude the row"
    );
}

#[test]
fn a_text_column_chosen_as_time_asks_for_another_column_not_a_corrected_cell() {
    // Expected text: prepare.rs's not_a_time, rendered by src/cli/hints.rs (ChooseColumn).
    let err = error("time,status\nA,1\nB,0\nA,1\n", &spec(&[]));
    assert_eq!(
        err,
        "column 'time', row 1 (spreadsheet row 2): the column holds text ('A'), not follow-up times. Choose another column for --time"
    );
    // One stray word among numbers stays a cell to correct.
    let err = error("time,status\n5,1\n7,0\nsoon,1\n9,1\n", &spec(&[]));
    assert!(err.ends_with("'soon' is not a number. Correct the cell, or leave it empty (or NA) to exclude the row"), "{err}");
}

#[test]
fn mixed_event_codes_list_the_values_found() {
    let err = error("time,status\n1,1\n2,2\n3,dead\n4,1\n", &spec(&[]));
    assert!(err.starts_with("column 'status': cannot tell which values mean the event happened; found '1', '2', 'dead'"), "{err}");
    assert!(err.contains("--event-value"), "{err}");
    // Naming the event value resolves it: every other value is a censoring.
    let d = SurvivalData::from_table(
        &table("time,status\n1,1\n2,2\n3,dead\n4,1\n"),
        &spec(&["Dead"]),
        None,
        None,
    )
    .unwrap();
    assert_eq!(d.event, [false, false, true, false]);
}

#[test]
fn dates_name_their_problem_and_the_flag_that_fixes_it() {
    let err = error(
        "start,end,status\n2020-01-01,2020-02-01,1\n2020-01-01,soon,0\n",
        &dates(DateFormat::Auto, None),
    );
    assert!(
        err.starts_with("column 'end', row 2 (spreadsheet row 3): 'soon' is not a date."),
        "{err}"
    );
    assert!(err.contains("--date-format dmy"), "{err}");
    let err = error(
        "start,end,status\n01/02/2020,03/04/2020,1\n",
        &dates(DateFormat::Auto, None),
    );
    assert!(
        err.contains("'01/02/2020' reads both day-first and month-first"),
        "{err}"
    );
    assert!(
        err.contains("--date-format dmy or --date-format mdy"),
        "{err}"
    );
    // The end column's 25/04 settles the start column's 01/02 as day-first.
    let d = SurvivalData::from_table(
        &table("start,end,status\n01/02/2020,25/04/2020,1\n"),
        &dates(DateFormat::Auto, None),
        None,
        None,
    )
    .unwrap();
    // 2020-02-01 to 2020-04-25 is 29 + 31 + 24 = 84 days; months are days / 30.4375.
    assert_eq!(d.time, [84.0 / 30.4375]);
    let err = error(
        "start,end,status\n2020-01-01,2020-02-01,1\n",
        &dates(DateFormat::Auto, Some("31/12/2020")),
    );
    assert!(
        err.contains("the cut-off date '31/12/2020' is not a date. Set --cutoff-date"),
        "{err}"
    );
}

#[test]
fn every_unused_row_is_reported_with_its_number_and_reason() {
    let csv = "start,end,status\n\
               2020-01-01,2020-03-01,1\n\
               2020-05-01,2020-03-01,0\n\
               \n\
               NA,2020-03-01,0\n\
               2020-01-01,,0\n\
               2020-01-01,2021-06-01,1\n\
               2020-01-01,2020-06-01,\n";
    let d =
        SurvivalData::from_table(&table(csv), &dates(DateFormat::Auto, None), None, None).unwrap();
    let excluded: Vec<(usize, &str)> = d
        .excluded
        .iter()
        .map(|e| (e.row, e.reason.as_str()))
        .collect();
    assert_eq!(
        excluded,
        [
            (2, "'end' is before 'start'"),
            (3, "blank row"),
            (4, "missing date ('start')"),
            (5, "missing date ('end')"),
            (7, "missing event ('status')"),
        ]
    );
    assert_eq!(d.row, [1, 6]);
    let d = SurvivalData::from_table(
        &table(csv),
        &dates(DateFormat::Auto, Some("2020-12-31")),
        None,
        None,
    )
    .unwrap();
    // With the cut-off, row 5 (no end date) and row 6 (ends after it) are censored at 2020-12-31.
    assert_eq!(d.row, [1, 5, 6]);
    assert_eq!(d.event, [true, false, false]);
    assert_eq!(d.time[1], 365.0 / 30.4375);
}

#[test]
fn all_rows_excluded_says_why() {
    let err = error("time,status\nNA,1\n,0\n", &spec(&[]));
    assert!(err.starts_with("no rows left to analyse: all 2 rows were excluded (first reason: row 1: missing time ('time'))"), "{err}");
}
