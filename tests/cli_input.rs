//! The same Kaplan-Meier analysis through the command line on the clean CSV and on each messy
//! variant of it (tests/data/input, written by make_fixtures.py) prints identical results.

use std::process::Command;

fn km(file: &str, args: &[&str]) -> serde_json::Value {
    let path = format!("{}/tests/data/input/{file}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(["km", &path, "--event", "status", "--group", "arm", "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{file}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The results, without the list of excluded rows (compared separately).
fn results(mut v: serde_json::Value) -> serde_json::Value {
    v.as_object_mut().unwrap().remove("excluded");
    v
}

#[test]
fn every_variant_gives_the_clean_csv_results() {
    let time = ["--time", "time"];
    let dates = ["--start-date", "start", "--end-date", "end"];
    let clean = km("clean.csv", &time);
    assert_eq!(clean["groups"][0]["n"], 17);
    assert_eq!(clean["groups"][1]["n"], 13);
    let cases: [(&str, &[&str]); 13] = [
        ("semicolon_decimal_comma.csv", &time),
        ("bom_crlf.csv", &time),
        ("utf16_tab.txt", &time),
        ("text_events.csv", &time),
        ("pipe_windows1252.csv", &time),
        ("quoted_multiline.csv", &time),
        (
            "missing_tokens.csv",
            &["--time", "time", "--missing", "unknown"],
        ),
        ("workbook.xlsx", &time),
        ("dates_dmy.csv", &dates),
        ("dates_excel_serial.csv", &dates),
        ("workbook.xlsx", &dates),
        ("workbook.ods", &dates),
        ("workbook.xls", &dates),
    ];
    for (file, args) in cases {
        let v = km(file, args);
        let expected_excluded = if file == "missing_tokens.csv" { 5 } else { 0 };
        assert_eq!(
            v["excluded"].as_array().unwrap().len(),
            expected_excluded,
            "{file}"
        );
        assert_eq!(results(v), results(clean.clone()), "{file}");
    }
}
