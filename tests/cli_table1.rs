//! The `survcalc table1` command line: JSON keys of the contract, formats, exit codes and error lines.

mod common;

use std::process::Output;

use common::data_path;
use serde_json::Value;

fn survcalc(args: &[&str]) -> Output {
    common::survcalc(args, None)
}

fn with_stdin(args: &[&str], input: &str) -> Output {
    common::survcalc(args, Some(input.as_bytes()))
}

fn json(out: &Output) -> Value {
    common::json(out)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn path(name: &str) -> String {
    data_path(name).to_string_lossy().into_owned()
}

#[test]
fn json_has_the_contract_keys() {
    let lung = path("table1_lung.csv");
    let v = json(&survcalc(&[
        "table1",
        &lung,
        "--group",
        "sex",
        "--variable",
        "age",
        "--variable",
        "ph.ecog",
        "--json",
    ]));
    for key in ["groups", "rows", "excluded", "warnings"] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["groups"][0]["name"], "1");
    assert_eq!(v["groups"][0]["n"], 138);
    assert_eq!(v["groups"][1]["n"], 90);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    for row in rows {
        for key in [
            "variable",
            "kind",
            "test",
            "statistic",
            "p",
            "overall",
            "by_group",
        ] {
            assert!(row.get(key).is_some(), "row lacks {key}: {row}");
        }
    }
    assert_eq!(rows[0]["kind"], "continuous");
    assert_eq!(rows[0]["test"], "welch-t");
    assert_eq!(rows[1]["kind"], "categorical");
    // ph.ecog has an expected count below 5 (level 3 has one patient): Fisher, no statistic.
    assert_eq!(rows[1]["test"], "fisher-exact");
    assert!(rows[1]["statistic"].is_null());
    assert_eq!(rows[1]["overall"]["missing"], 1);
    assert_eq!(rows[0]["by_group"].as_array().unwrap().len(), 2);
}

#[test]
fn rows_with_a_missing_group_are_excluded_and_reported() {
    let pbc = path("table1_pbc.csv");
    let v = json(&survcalc(&[
        "table1",
        &pbc,
        "--group",
        "trt",
        "--variable",
        "age",
        "--json",
    ]));
    let excluded = v["excluded"].as_array().unwrap();
    // survival::pbc: rows 313 to 418 were not randomised (trt is NA).
    assert_eq!(excluded.len(), 106);
    assert_eq!(excluded[0]["row"], 313);
    assert!(excluded[0]["reason"].as_str().unwrap().contains("group"));
    assert_eq!(
        v["groups"][0]["n"].as_u64().unwrap() + v["groups"][1]["n"].as_u64().unwrap(),
        312
    );
}

#[test]
fn test_override_and_nonnormal_are_honoured() {
    let lung = path("table1_lung.csv");
    let v = json(&survcalc(&[
        "table1",
        &lung,
        "--group",
        "sex",
        "--variable",
        "age",
        "--variable",
        "wt.loss",
        "--variable",
        "status",
        "--nonnormal",
        "wt.loss",
        "--test",
        "age=student-t",
        "--test",
        "status=chi-square-yates",
        "--json",
    ]));
    let tests: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["test"].as_str().unwrap())
        .collect();
    assert_eq!(tests, ["student-t", "mann-whitney", "chi-square-yates"]);
    assert_eq!(v["rows"][0]["automatic"], false);
    assert_eq!(v["rows"][1]["automatic"], true);
}

#[test]
fn readable_formats() {
    let small = path("table1_small.csv");
    let run = |format: &str| {
        let out = survcalc(&[
            "table1",
            &small,
            "--group",
            "arm",
            "--variable",
            "score",
            "--variable",
            "smoker",
            "--format",
            format,
            "--p-style",
            "nejm",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run("text").starts_with("Characteristic  "));
    assert!(run("csv").starts_with("Characteristic,\"Overall, n = 15\",\"A, n = 7\""));
    assert!(run("tsv").starts_with("Characteristic\tOverall, n = 15\tA, n = 7\t"));
    assert!(run("markdown").starts_with("| Characteristic | Overall, n = 15 |"));
    assert!(run("html").starts_with("<table>\n<thead>"));
    assert!(run("text").contains("welch-t: Welch's t test (score)"));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let out = with_stdin(
        &["table1", "-", "--group", "g", "--variable", "x", "--json"],
        "g,x\na,1\na,2\na,3\nb,4\nb,5\nb,7\n",
    );
    let v = json(&out);
    assert_eq!(v["rows"][0]["test"], "welch-t");
}

#[test]
fn usage_errors_exit_2_with_an_error_line() {
    let lung = path("table1_lung.csv");
    let small = path("table1_small.csv");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--variable", "age", "--test", "age=t-test"],
            "'t-test' is not a known test",
        ),
        (
            &["--variable", "smoker", "--test", "smoker=welch-t"],
            "'smoker', which is categorical",
        ),
        (&["--variable", "agee"], "column 'agee' not found"),
        (
            &["--variable", "age", "--test", "sex=fisher-exact"],
            "is not among the variables described. Add --variable sex",
        ),
        (
            &["--variable", "age", "--p-style", "bmj"],
            "'bmj' for '--p-style",
        ),
    ];
    for (extra, message) in cases {
        let (file, group) = if extra.contains(&"smoker") {
            (small.as_str(), "arm")
        } else {
            (lung.as_str(), "sex")
        };
        let mut args = vec!["table1", file, "--group", group];
        args.extend_from_slice(extra);
        let out = survcalc(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{extra:?}: {}",
            stderr(&out)
        );
    }
    let out = survcalc(&["table1", &lung, "--group", "sex"]);
    assert_eq!(out.status.code(), Some(2), "--variable is required");
}

#[test]
fn data_errors_exit_65_with_a_clear_message() {
    let single = with_stdin(
        &["table1", "-", "--group", "g", "--variable", "x"],
        "g,x\na,1\na,2\n,3\n",
    );
    assert_eq!(single.status.code(), Some(65));
    assert!(
        stderr(&single).starts_with("error: column 'g': has a single group ('a')"),
        "{}",
        stderr(&single)
    );
    let empty = with_stdin(&["table1", "-", "--group", "g", "--variable", "x"], "g,x\n");
    assert_eq!(empty.status.code(), Some(65));
    assert!(
        stderr(&empty).contains("no data rows"),
        "{}",
        stderr(&empty)
    );
    let text = with_stdin(
        &[
            "table1",
            "-",
            "--group",
            "g",
            "--variable",
            "x",
            "--continuous",
            "x",
        ],
        "g,x\na,1\na,2\nb,high\nb,4\n",
    );
    assert_eq!(text.status.code(), Some(65));
    assert!(
        stderr(&text).contains("column 'x', row 3 (spreadsheet row 4): 'high' is not a number"),
        "{}",
        stderr(&text)
    );
}

#[test]
fn a_constant_variable_gives_null_p_and_a_warning_not_nan() {
    let out = with_stdin(
        &[
            "table1",
            "-",
            "--group",
            "g",
            "--variable",
            "x",
            "--continuous",
            "x",
            "--json",
        ],
        "g,x\na,2\na,2\nb,2\nb,2\n",
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("NaN"), "{text}");
    let v = json(&out);
    assert!(v["rows"][0]["p"].is_null());
    assert!(v["rows"][0]["statistic"].is_null());
    let warning = v["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("'x'") && warning.contains("constant"),
        "{warning}"
    );
}

#[test]
fn a_stray_word_in_a_numeric_column_is_an_error_naming_the_cell() {
    let mut csv = String::from("g,age\n");
    for i in 0..30 {
        csv.push_str(&format!(
            "{},{}\n",
            if i % 2 == 0 { "a" } else { "b" },
            40 + i
        ));
    }
    csv.push_str("a,unknown\n");
    let out = with_stdin(&["table1", "-", "--group", "g", "--variable", "age"], &csv);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "error: column 'age', row 31 (spreadsheet row 32): 'unknown' is not a number"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("--categorical age"),
        "{}",
        stderr(&out)
    );
    let out = with_stdin(
        &[
            "table1",
            "-",
            "--group",
            "g",
            "--variable",
            "age",
            "--missing",
            "unknown",
            "--json",
        ],
        &csv,
    );
    let v = json(&out);
    assert_eq!(v["rows"][0]["kind"], "continuous");
    assert_eq!(v["rows"][0]["overall"]["missing"], 1);
}

/// `survcalc table1 ... --json` on the R fixture's data with missing values.
fn missing_data(extra: &[&str]) -> Value {
    let file = path("table1_missing.csv");
    let mut args = vec![
        "table1",
        &file,
        "--group",
        "arm",
        "--variable",
        "grade",
        "--variable",
        "smoker",
        "--json",
    ];
    args.extend_from_slice(extra);
    json(&survcalc(&args))
}

#[test]
fn percent_and_missing_keys_match_r_on_each_basis() {
    let fixtures = common::fixture("table1_fixtures.json");
    for basis in ["column", "row", "total"] {
        let v = missing_data(&["--percent", basis]);
        assert_eq!(v["percent"], basis);
        // Three rows have no arm: excluded, and in no count below.
        assert_eq!(v["excluded"].as_array().unwrap().len(), 3);
        for row in v["rows"].as_array().unwrap() {
            // grade is coded 1-3: categorical without being told.
            assert_eq!(row["kind"], "categorical", "{row}");
            let variable = row["variable"].as_str().unwrap();
            let case = fixtures["percent"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| {
                    c["csv"] == "table1_missing.csv"
                        && c["group"] == "arm"
                        && c["variable"] == variable
                        && c["percent"] == basis
                })
                .unwrap();
            let columns = std::iter::once((&row["overall"], &case["overall"])).chain(
                row["by_group"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(case["by_group"].as_array().unwrap()),
            );
            for (ours, r) in columns {
                let what = format!("{variable}, {basis}: {} ({})", r, case["r_call"]);
                assert_eq!(ours["n"], r["n"], "{what}");
                assert_eq!(ours["missing"], r["missing"], "{what}");
                for (l, rl) in ours["levels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(r["levels"].as_array().unwrap())
                {
                    assert_eq!(l["level"], rl["level"], "{what}");
                    assert_eq!(l["count"], rl["count"], "{what}");
                    common::assert_close(
                        &what,
                        l["percent"].as_f64().unwrap(),
                        rl["percent"].as_f64().unwrap(),
                    );
                }
            }
        }
    }
    assert_eq!(missing_data(&[])["percent"], "column");
    assert_eq!(missing_data(&["--row-percent"])["percent"], "row");
}

#[test]
fn readable_table_states_the_basis_and_shows_missing_on_its_own_line() {
    let file = path("table1_missing.csv");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "table1",
            &file,
            "--group",
            "arm",
            "--variable",
            "grade",
            "--variable",
            "smoker",
        ];
        args.extend_from_slice(extra);
        let out = survcalc(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["--percent", "total"]);
    assert!(text.contains("grade, n (% of total)"), "{text}");
    assert!(
        text.contains("n (%): percentages of all non-missing values of the variable"),
        "{text}"
    );
    let missing: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("Missing"))
        .collect();
    assert_eq!(missing.len(), 2, "{text}");
    assert!(!missing.iter().any(|l| l.contains('%')), "{missing:?}");
    assert!(run(&[]).contains("grade, n (%) "));
    assert!(run(&["--percent", "row"]).contains("smoker, n (row %)"));
    let csv = run(&["--percent", "row", "--format", "csv"]);
    assert!(csv.contains("grade, n (row %)"), "{csv}");
    let html = run(&["--format", "html"]);
    assert!(html.contains("<td>Missing</td>"), "{html}");
    assert!(html.contains("n (%): percentages of each column"), "{html}");
}

#[test]
fn chi_square_variant_is_chosen_and_named_in_the_footnote() {
    let file = path("table1_missing.csv");
    let args = ["table1", &file, "--group", "arm", "--variable", "smoker"];
    let text = String::from_utf8(survcalc(&args).stdout).unwrap();
    assert!(
        text.contains("chi-square: Pearson's chi-square test without continuity correction (SPSS's Pearson Chi-Square) (smoker)"),
        "{text}"
    );
    let out = survcalc(&[&args[..], &["--yates"]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("chi-square-yates: Pearson's chi-square test with Yates' continuity correction (R's default for 2 x 2 tables) (smoker)"),
        "{text}"
    );
    let v = json(&survcalc(&[&args[..], &["--yates", "--json"]].concat()));
    assert_eq!(v["rows"][0]["test"], "chi-square-yates");
    // R: chisq.test(table(missing_d$smoker, missing_d$arm)), from the fixtures.
    let fixtures = common::fixture("table1_fixtures.json");
    let case = fixtures["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "missing smoker by arm: chi-square-yates")
        .unwrap();
    common::assert_close(
        case["r_call"].as_str().unwrap(),
        v["rows"][0]["p"].as_f64().unwrap(),
        case["p"].as_f64().unwrap(),
    );
}

#[test]
fn percent_decimals_never_show_a_present_level_as_zero() {
    let mut csv = String::from("g,x\n");
    for i in 0..300 {
        let x = if i == 0 { "rare" } else { "common" };
        csv.push_str(&format!("{},{x}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    let run = |extra: &[&str]| {
        let mut args = vec!["table1", "-", "--group", "g", "--variable", "x"];
        args.extend_from_slice(extra);
        let out = with_stdin(&args, &csv);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // 1 of 300 is 0.33%, 1 of 150 is 0.67%.
    let zero = run(&["--percent-decimals", "0"]);
    assert!(zero.contains("1 (<1%)"), "{zero}");
    assert!(
        !zero.contains("1 (0%)") && zero.contains("0 (0%)"),
        "{zero}"
    );
    let two = run(&["--percent-decimals", "2"]);
    assert!(
        two.contains("1 (0.33%)") && two.contains("1 (0.67%)"),
        "{two}"
    );
    assert!(run(&[]).contains("1 (0.3%)"));
    let out = with_stdin(
        &[
            "table1",
            "-",
            "--group",
            "g",
            "--variable",
            "x",
            "--percent-decimals",
            "9",
        ],
        &csv,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_old_percent_flags_are_gone_or_aliased() {
    let lung = path("table1_lung.csv");
    let base = ["table1", &lung, "--group", "sex", "--variable", "ph.ecog"];
    let out = survcalc(&[&base[..], &["--missing-in-denominator"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = survcalc(&[&base[..], &["--row-percent", "--percent", "total"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = survcalc(&[&base[..], &["--percent", "cell"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("column, row, total"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn standardised_mean_differences_show_as_a_column_on_request() {
    let lung = path("table1_lung.csv");
    let args = [
        "table1",
        &lung,
        "--group",
        "sex",
        "--variable",
        "age",
        "--variable",
        "ph.ecog",
    ];
    let plain = String::from_utf8(survcalc(&args).stdout).unwrap();
    assert!(!plain.contains("SMD"), "{plain}");
    let text = String::from_utf8(survcalc(&[&args[..], &["--smd"]].concat()).stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.contains("SMD"), "{text}");
    assert!(text.contains("SMD: standardised mean difference"), "{text}");
    // R: smd_cont(lung_d$age, lung_d$sex) and smd_cat(lung_d$ph.ecog, lung_d$sex) (table1.R).
    let v = json(&survcalc(&[&args[..], &["--smd", "--json"]].concat()));
    let fixtures = common::fixture("table1_fixtures.json");
    for (row, variable) in v["rows"].as_array().unwrap().iter().zip(["age", "ph.ecog"]) {
        let case = fixtures["smd"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["csv"] == "table1_lung.csv" && c["variable"] == variable)
            .unwrap();
        let smd = row["smd"].as_f64().unwrap();
        common::assert_close(
            case["r_call"].as_str().unwrap(),
            smd,
            case["smd"].as_f64().unwrap(),
        );
        assert!(text.contains(&format!("{smd:.3}")), "{text}");
    }
}
