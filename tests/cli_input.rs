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

/// The results, without what describes the input rather than the patients: the excluded rows
/// (compared separately), how the event column was coded and how time came from dates.
fn results(mut v: serde_json::Value) -> serde_json::Value {
    let object = v.as_object_mut().unwrap();
    for key in ["excluded", "event_coding", "time_description"] {
        object.remove(key);
    }
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

/// `--cutoff-date` on the day-first dates equals the same analysis on times and events censored
/// at the cut-off by hand: time = min(end, cut-off) - start, event only when end <= cut-off.
#[test]
fn cutoff_date_equals_censoring_by_hand() {
    use survcalc::data::dates::parse_date;
    use survcalc::options::DateFormat;
    let cutoff = parse_date("2018-06-30", DateFormat::Auto).unwrap();
    let path = format!(
        "{}/tests/data/input/dates_dmy.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut by_hand = String::from("time,status,arm\n");
    let mut censored = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (start, end) = (
            parse_date(f[1], DateFormat::Dmy).unwrap(),
            parse_date(f[2], DateFormat::Dmy).unwrap(),
        );
        let event = f[3] == "1" && end <= cutoff;
        censored += usize::from(end > cutoff);
        by_hand.push_str(&format!(
            "{},{},{}\n",
            end.min(cutoff) - start,
            u8::from(event),
            f[4]
        ));
    }
    assert!(
        censored >= 5,
        "the cut-off must censor some rows to test anything"
    );
    let dir = std::env::temp_dir().join(format!("survcalc_cutoff_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hand_path = dir.join("by_hand.csv");
    std::fs::write(&hand_path, by_hand).unwrap();
    let run = |file: &str, args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
            .args(["km", file, "--event", "status", "--group", "arm", "--json"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let dated = format!(
        "{}/tests/data/input/dates_dmy.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let with_cutoff = run(
        &dated,
        &[
            "--start-date",
            "start",
            "--end-date",
            "end",
            "--cutoff-date",
            "2018-06-30",
        ],
    );
    let expected = run(hand_path.to_str().unwrap(), &["--time", "time"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(results(with_cutoff), results(expected));
}

/// A workbook with a cover page: the command reads the data sheet and says so on stderr,
/// naming every sheet and the flag that chooses another (issue 12, item 8); with `--sheet`
/// given it says nothing. Sheets from make_fixtures.py's `cover_sheet`: Cover, Data, Codebook.
#[test]
fn a_workbook_says_which_sheet_was_read() {
    let path = format!(
        "{}/tests/data/input/cover_sheet.xlsx",
        env!("CARGO_MANIFEST_DIR")
    );
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_survcalc"))
            .args(["km", &path, "--time", "time", "--event", "status", "--json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let chosen = run(&[]);
    assert!(
        chosen.contains("note: read sheet 'Data'")
            && chosen.contains("'Cover', 'Data', 'Codebook'")
            && chosen.contains("--sheet"),
        "{chosen}"
    );
    assert!(!run(&["--sheet", "Data"]).contains("note:"));
}

#[test]
fn the_text_lists_rows_not_used_as_the_spreadsheet_numbers_them() {
    // Data rows 2 (no time) and 4 (negative time) sit under a header on row 1: spreadsheet rows
    // 3 and 5 (counted by hand); the JSON keeps the data rows, as the contract says.
    let path = std::env::temp_dir().join(format!("survcalc-rows-{}.csv", std::process::id()));
    std::fs::write(&path, "time,status\n5,1\n,0\n7,1\n-1,1\n9,0\n").unwrap();
    let run = |json: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_survcalc"));
        cmd.arg("km")
            .arg(&path)
            .args(["--time", "time", "--event", "status"]);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(false);
    assert!(
        text.contains("the header being row 1):\n  row 3: missing time ('time')\n  row 5: negative time (-1) in 'time'\n"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(true)).unwrap();
    let rows: Vec<u64> = json["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [2, 4]);
    std::fs::remove_file(&path).unwrap();
}
