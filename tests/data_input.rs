//! The same patients read from a clean CSV and from each messy variant prepare to identical data.
//!
//! The files under tests/data/input are written by tests/data/input/make_fixtures.py: one
//! synthetic data set of 30 patients, saved as clinicians' exports save it.

use survcalc::data::prepare::{read_numbers, SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions, RowFilter, Table};
use survcalc::options::DateFormat;
use survcalc::options::TimeUnit;

/// What an analysis sees: per kept row, its time, event, arm and age.
#[derive(Debug, PartialEq)]
struct Prepared {
    time: Vec<f64>,
    event: Vec<bool>,
    arm: Vec<String>,
    age: Vec<f64>,
}

fn path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/input")
        .join(name)
}

fn read(name: &str, options: &ReadOptions) -> Table {
    let bytes = std::fs::read(path(name)).unwrap();
    read_table(&bytes, Some(name), options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn by_time() -> SurvivalSpec {
    SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    }
}

fn by_dates() -> SurvivalSpec {
    SurvivalSpec {
        time: TimeSpec::Dates {
            start: "start".into(),
            end: "end".into(),
            unit: TimeUnit::Days,
            format: DateFormat::Auto,
            cutoff: None,
        },
        event: "status".into(),
        event_values: vec![],
    }
}

fn prepare(table: &Table, spec: &SurvivalSpec) -> (Prepared, SurvivalData) {
    let d = SurvivalData::from_table(table, spec, Some("arm"), None).unwrap();
    let mut rows = RowFilter::for_table(table);
    let age = read_numbers(table, "age", "covariate", &mut rows).unwrap();
    let arm = d.group.as_ref().unwrap();
    let prepared = Prepared {
        time: d.time.clone(),
        event: d.event.clone(),
        arm: arm.codes.iter().map(|&c| arm.levels[c].clone()).collect(),
        age: d.row.iter().map(|&r| age[r - 1]).collect(),
    };
    (prepared, d)
}

fn clean() -> Prepared {
    let (p, d) = prepare(&read("clean.csv", &ReadOptions::default()), &by_time());
    assert_eq!(p.time.len(), 30);
    assert!(d.excluded.is_empty());
    p
}

#[test]
fn text_variants_prepare_like_the_clean_csv() {
    let expected = clean();
    for name in [
        "semicolon_decimal_comma.csv",
        "bom_crlf.csv",
        "utf16_tab.txt",
        "text_events.csv",
        "pipe_windows1252.csv",
        "quoted_multiline.csv",
    ] {
        let table = read(name, &ReadOptions::default());
        let (p, d) = prepare(&table, &by_time());
        assert_eq!(p, expected, "{name}");
        assert!(d.excluded.is_empty(), "{name}: {:?}", d.excluded);
    }
}

#[test]
fn how_each_text_variant_was_read_is_recorded() {
    let source = |name: &str| read(name, &ReadOptions::default()).source().clone();
    let s = source("semicolon_decimal_comma.csv");
    assert_eq!(s.delimiter.as_deref(), Some(";"));
    assert!(read("semicolon_decimal_comma.csv", &ReadOptions::default()).decimal_comma());
    assert_eq!(
        source("utf16_tab.txt").encoding.as_deref(),
        Some("UTF-16LE")
    );
    assert_eq!(source("utf16_tab.txt").delimiter.as_deref(), Some("tab"));
    assert_eq!(
        source("pipe_windows1252.csv").encoding.as_deref(),
        Some("windows-1252")
    );
    let t = read("pipe_windows1252.csv", &ReadOptions::default());
    assert_eq!(t.cell(6, 0), "café");
    let t = read("quoted_multiline.csv", &ReadOptions::default());
    assert_eq!(t.n_rows(), 30, "blank trailing lines are no rows");
    assert_eq!(t.cell(6, 1), "said \"fine\", left");
    assert_eq!(t.cell(6, 2), "two\nlines, here");
}

#[test]
fn missing_tokens_exclude_rows_with_their_numbers() {
    let expected = clean();
    let options = ReadOptions {
        missing: vec!["unknown".into()],
        ..ReadOptions::default()
    };
    let table = read("missing_tokens.csv", &options);
    let (p, d) = prepare(&table, &by_time());
    assert_eq!(p, expected);
    let excluded: Vec<(usize, &str)> = d
        .excluded
        .iter()
        .map(|e| (e.row, e.reason.as_str()))
        .collect();
    assert_eq!(
        excluded,
        [
            (31, "missing time ('time')"),
            (32, "missing event ('status')"),
            (33, "missing event ('status')"),
            (34, "missing group ('arm')"),
            (35, "missing time ('time')"),
        ]
    );
    // Without --missing unknown, "unknown" is a group of its own, not an exclusion.
    let table = read("missing_tokens.csv", &ReadOptions::default());
    let d = SurvivalData::from_table(&table, &by_time(), Some("arm"), None).unwrap();
    assert_eq!(d.group.unwrap().levels, ["A", "B", "unknown"]);
}

#[test]
fn dates_instead_of_times_prepare_like_the_clean_csv() {
    let expected = clean();
    for name in [
        "dates_dmy.csv",
        "dates_excel_serial.csv",
        "workbook.xlsx",
        "workbook.ods",
        "workbook.xls",
    ] {
        let table = read(name, &ReadOptions::default());
        let (p, d) = prepare(&table, &by_dates());
        assert_eq!(p, expected, "{name}");
        assert!(d.excluded.is_empty(), "{name}: {:?}", d.excluded);
    }
}

#[test]
fn spreadsheet_cells_read_as_text_a_csv_would_hold() {
    let expected = clean();
    let table = read("workbook.xlsx", &ReadOptions::default());
    assert_eq!(table.source().format, "xlsx");
    assert_eq!(table.source().sheet.as_deref(), Some("Data"));
    // The time column holds formulas (=C2-B2); their cached results are read.
    let (p, _) = prepare(&table, &by_time());
    assert_eq!(p, expected);
    let start = table.column_index("start").unwrap();
    assert_eq!(
        table.cell(start, 0),
        "2016-03-25",
        "date cells become ISO text"
    );
    assert_eq!(
        read("workbook.ods", &ReadOptions::default())
            .source()
            .format,
        "ods"
    );
    assert_eq!(
        read("workbook.xls", &ReadOptions::default())
            .source()
            .format,
        "xls"
    );
}

#[test]
fn sheets_are_chosen_by_name() {
    let options = ReadOptions {
        sheet: Some("notes".into()),
        ..ReadOptions::default()
    };
    let table = read("workbook.xlsx", &options);
    assert_eq!(table.headers(), ["written by make_fixtures.py"]);
    let options = ReadOptions {
        sheet: Some("Results".into()),
        ..ReadOptions::default()
    };
    let bytes = std::fs::read(path("workbook.xlsx")).unwrap();
    let err = read_table(&bytes, None, &options).unwrap_err();
    assert_eq!(err.message, "there is no sheet 'Results'");
    assert!(
        matches!(&err.hint, Some(survcalc::error::Hint::ChooseSheet { sheets }) if sheets == &["Data", "Notes"]),
        "{err:?}"
    );
}
