//! `survcalc km` as a process: the contract's JSON keys, exit codes and `error:` lines.

mod common;

use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn survcalc(args: &[&str], stdin: Option<&str>) -> Output {
    common::survcalc(args, stdin.map(str::as_bytes))
}

fn json(output: &Output) -> Value {
    common::json(output)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn aml() -> String {
    common::data_path("aml.csv").display().to_string()
}

/// `survcalc km` on aml's time and status with the further arguments `extra`.
fn km_aml(extra: &[&str], stdin: Option<&str>) -> Output {
    let aml = aml();
    survcalc(
        &[
            &["km", &aml, "--time", "time", "--event", "status"][..],
            extra,
        ]
        .concat(),
        stdin,
    )
}

/// `survcalc km` on `time` and `status` of the CSV given on standard input.
fn km_stdin(extra: &[&str], csv: Option<&str>) -> Output {
    let args = ["km", "-", "--time", "time", "--event", "status"];
    survcalc(&[&args[..], extra].concat(), csv)
}

#[test]
fn json_has_every_contract_key() {
    let out = json(&km_aml(&["--group", "x", "--json"], None));
    for key in ["groups", "tests", "excluded", "warnings"] {
        assert!(out.get(key).is_some(), "missing {key}");
    }
    let group = &out["groups"][0];
    for key in [
        "name",
        "n",
        "events",
        "median",
        "median_lower",
        "median_upper",
        "rmean",
        "rmean_se",
        "steps",
    ] {
        assert!(group.get(key).is_some(), "missing groups[].{key}");
    }
    for key in [
        "time", "n_risk", "n_event", "n_censor", "surv", "se", "lower", "upper",
    ] {
        assert!(
            group["steps"][0].get(key).is_some(),
            "missing steps[].{key}"
        );
    }
    let names: Vec<&str> = out["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["log-rank", "gehan-breslow", "tarone-ware", "peto-peto"]
    );
    for t in out["tests"].as_array().unwrap() {
        assert!(t["chisq"].is_f64() && t["df"].is_u64() && t["p"].is_f64());
    }
    // aml (survival package): survdiff(Surv(time, status) ~ x) gives chisq 3.396389.
    common::assert_close(
        "aml log-rank",
        out["tests"][0]["chisq"].as_f64().unwrap(),
        3.3963886989776,
    );
    assert_eq!(out["conf_type"], "log-log");
    assert_eq!(out["rmean_restriction"], "individual");
}

#[test]
fn groups_sort_numerically_and_one_group_is_all() {
    let lung = common::data_path("lung.csv").display().to_string();
    let out = json(&survcalc(
        &[
            "km", &lung, "--time", "time", "--event", "status", "--group", "ph.ecog", "--json",
        ],
        None,
    ));
    let names: Vec<&str> = out["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["0", "1", "2", "3"]);
    // lung has one missing ph.ecog (row 14 of the CSV): excluded with a reason, not dropped.
    let excluded = out["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 1);
    assert!(excluded[0]["reason"].as_str().unwrap().contains("ph.ecog"));
    let out = json(&survcalc(
        &["km", &lung, "--time", "time", "--event", "status", "--json"],
        None,
    ));
    assert_eq!(out["groups"][0]["name"], "all");
    assert_eq!(out["tests"].as_array().unwrap().len(), 0);
}

#[test]
fn negative_time_is_excluded_with_its_reason() {
    let csv = "time,status\n5,1\n-2,1\n3,0\n";
    let out = json(&km_stdin(&["--json"], Some(csv)));
    assert_eq!(out["excluded"][0]["row"], 2);
    assert!(out["excluded"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("negative time"));
    assert_eq!(out["groups"][0]["n"], 2);
}

#[test]
fn missing_column_is_a_usage_error_naming_it() {
    let out = survcalc(&["km", &aml(), "--time", "tme", "--event", "status"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("error: column 'tme' not found"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn non_numeric_time_is_a_data_error_naming_row_and_column() {
    let csv = "time,status\n5,1\nsoon,0\n";
    let out = survcalc(
        &["km", "-", "--time", "time", "--event", "status"],
        Some(csv),
    );
    assert_eq!(out.status.code(), Some(65));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: column 'time', row 2 (spreadsheet row 3): 'soon' is not a number"),
        "{err}"
    );
}

#[test]
fn unknown_event_values_ask_for_event_value() {
    let csv = "time,status\n5,relapse\n3,remission\n";
    let out = survcalc(
        &["km", "-", "--time", "time", "--event", "status"],
        Some(csv),
    );
    assert_eq!(out.status.code(), Some(65));
    let err = stderr(&out);
    assert!(err.starts_with("error: column 'status'"), "{err}");
    assert!(err.contains("--event-value"), "{err}");
    let ok = json(&km_stdin(
        &["--event-value", "relapse", "--json"],
        Some(csv),
    ));
    assert_eq!(ok["groups"][0]["events"], 1);
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        ["--conf-level", "1.5"],
        ["--fh", "1"],
        ["--conf-type", "arcsin"],
        ["--trend-scores", "1,2,3"],
    ] {
        let mut all = vec![
            "km", "-", "--time", "time", "--event", "status", "--group", "g",
        ];
        all.extend(args);
        let out = survcalc(&all, Some("time,status,g\n1,1,a\n2,0,b\n"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).starts_with("error:"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn survival_past_last_follow_up_is_not_estimable() {
    let out = json(&km_aml(&["--group", "x", "--at", "10,100", "--json"], None));
    // Nonmaintained's last follow-up is 45 weeks: survival at 100 is null, never 0.
    let at = &out["groups"][1]["at"][1];
    assert_eq!(at["time"], 100.0);
    assert!(at["surv"].is_null());
    assert_eq!(at["note"], "not estimable");
    assert!(out["groups"][1]["at"][0]["surv"].is_f64());
}

#[test]
fn extras_appear_under_their_own_keys() {
    let out = json(&km_aml(
        &[
            "--group",
            "x",
            "--fh",
            "1,1",
            "--trend-scores",
            "0,1",
            "--pairwise",
            "--adjust",
            "bh",
            "--tau",
            "40",
            "--conf-type",
            "plain",
            "--json",
        ],
        None,
    ));
    assert_eq!(out["tests"].as_array().unwrap().len(), 4);
    assert!(out["fleming_harrington"]["chisq"].is_f64());
    assert!(out["trend"]["chisq"].is_f64());
    assert_eq!(out["pairwise"]["adjust"], "BH");
    assert_eq!(out["hazard_ratio"]["reference"], "Maintained");
    assert_eq!(out["rmean_restriction"], "tau");
    assert_eq!(out["groups"][0]["rmean_limit"], 40.0);
    assert_eq!(out["conf_type"], "plain");
}

#[test]
fn text_output_is_a_readable_table() {
    let out = km_aml(&["--group", "x"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Maintained") && text.contains("log-rank"),
        "{text}"
    );
    assert!(text.contains("median (CI)"));
    assert!(!text.trim_start().starts_with('{'));
}

#[test]
fn time_from_dates_in_months() {
    // 2020-01-01 to 2020-07-01 is 182 days = 182 / 30.4375 months (the contract's month).
    let csv = "start,end,dead\n2020-01-01,2020-07-01,1\n2020-01-01,2021-01-01,0\n";
    let out = json(&survcalc(
        &[
            "km",
            "-",
            "--start-date",
            "start",
            "--end-date",
            "end",
            "--unit",
            "months",
            "--event",
            "dead",
            "--json",
        ],
        Some(csv),
    ));
    let steps = out["groups"][0]["steps"].as_array().unwrap();
    common::assert_close(
        "months",
        steps[0]["time"].as_f64().unwrap(),
        182.0 / 30.4375,
    );
    common::assert_close(
        "months",
        steps[1]["time"].as_f64().unwrap(),
        366.0 / 30.4375,
    );
    assert_eq!(steps[0]["surv"], 0.5);
}

#[test]
fn conventions_are_printed_with_the_results() {
    let csv = "start,end,died\n2020-01-01,2020-07-01,1\n2020-01-01,2021-01-01,0\n";
    let out = json(&survcalc(
        &[
            "km",
            "-",
            "--start-date",
            "start",
            "--end-date",
            "end",
            "--unit",
            "months",
            "--event",
            "died",
            "--json",
        ],
        Some(csv),
    ));
    assert_eq!(out["event_coding"], "event = 1, censored = 0");
    let time = out["time_description"].as_str().unwrap();
    assert!(
        time.contains("months") && time.contains("30.4375"),
        "{time}"
    );
}

#[test]
fn an_event_value_no_row_has_is_a_warning() {
    let csv = "t,status\n1,dead\n2,alive\n";
    let out = json(&survcalc(
        &[
            "km",
            "-",
            "--time",
            "t",
            "--event",
            "status",
            "--event-value",
            "died",
            "--json",
        ],
        Some(csv),
    ));
    assert_eq!(out["groups"][0]["events"], 0);
    let warnings = out["warnings"].to_string();
    assert!(
        warnings.contains("no row has 'status' = died"),
        "{warnings}"
    );
}

#[test]
fn a_reader_closing_the_pipe_early_is_not_a_crash() {
    // 20,000 distinct event times print far more than a pipe buffer holds, so the writer
    // meets a closed pipe once the reader has gone.
    let csv: String = std::iter::once("t,e\n".to_string())
        .chain((1..=20_000).map(|i| format!("{i},1\n")))
        .collect();
    let path = std::env::temp_dir().join(format!("survcalc_pipe_{}.csv", std::process::id()));
    std::fs::write(&path, csv).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(["km", path.to_str().unwrap(), "--time", "t", "--event", "e"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    std::fs::remove_file(&path).ok();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

/// A numeric missing-value code such as -99 (SPSS exports) is taken as the value of
/// `--missing`, not as a flag, and its rows are excluded as missing, not as negative times.
#[test]
fn a_negative_missing_code_is_a_value_and_its_rows_are_excluded_as_missing() {
    let csv = "time,status\n5,1\n-99,1\n7,-99\n3,1\n9,0\n";
    let out = json(&km_stdin(&["--missing", "-99", "--json"], Some(csv)));
    assert_eq!(out["groups"][0]["n"], 3);
    let reasons: Vec<&str> = out["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["missing time ('time')", "missing event ('status')"]
    );
}

/// A patient identifier given as the group (5000 groups) is refused at once, naming the
/// column, instead of inverting a 5000 x 5000 matrix for hours.
#[test]
fn an_identifier_as_the_group_is_refused_naming_the_column() {
    let csv: String = std::iter::once("time,status,id\n".to_string())
        .chain((0..5000).map(|i| format!("{},{},P{i}\n", 1 + i % 97, i % 2)))
        .collect();
    let out = km_stdin(&["--group", "id", "--json"], Some(&csv));
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: column 'id': has 5000 different values"),
        "{err}"
    );
    assert!(err.contains("too many groups (at most 100)"), "{err}");
}

/// The contract's `exact_test` object: coin's exact P on aml (tests/data/exact.R), and the
/// Monte Carlo keys null when exact.
#[test]
fn exact_test_has_the_contract_keys() {
    let out = json(&km_aml(&["--group", "x", "--exact", "--json"], None));
    let t = &out["exact_test"];
    let mut keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "mc_se",
            "method",
            "name",
            "p",
            "resamples",
            "seed",
            "statistic"
        ]
    );
    assert_eq!(t["name"], "log-rank (permutation)");
    assert_eq!(t["method"], "exact");
    assert!(t["resamples"].is_null() && t["seed"].is_null() && t["mc_se"].is_null());
    // coin::logrank_test(Surv(time, status) ~ x, data = aml, distribution = "exact")
    assert!((t["p"].as_f64().unwrap() - 0.0646930132729029).abs() < 1e-9);
    assert!((t["statistic"].as_f64().unwrap() - 3.36557343500594).abs() < 1e-9);
    assert!(km_aml(&["--group", "x", "--json"], None).status.success());
    assert!(json(&km_aml(&["--group", "x", "--json"], None))
        .get("exact_test")
        .is_none());
}

/// More than two groups: Monte Carlo with the resamples and seed asked for, reported.
#[test]
fn monte_carlo_reports_its_resamples_seed_and_standard_error() {
    let women = common::data_path("exact_ecog_women.csv")
        .display()
        .to_string();
    let run = |seed: &str| {
        json(&survcalc(
            &[
                "km",
                &women,
                "--time",
                "time",
                "--event",
                "status",
                "--group",
                "ph.ecog",
                "--exact",
                "--resamples",
                "2000",
                "--seed",
                seed,
                "--json",
            ],
            None,
        ))["exact_test"]
            .clone()
    };
    let t = run("5");
    assert_eq!(t["method"], "monte-carlo");
    assert_eq!(
        (t["resamples"].as_u64(), t["seed"].as_u64()),
        (Some(2000), Some(5))
    );
    let p = t["p"].as_f64().unwrap();
    assert!((t["mc_se"].as_f64().unwrap() - (p * (1.0 - p) / 2000.0).sqrt()).abs() < 1e-12);
    assert_eq!(run("5"), t);
}

#[test]
fn resamples_and_seed_need_exact() {
    let out = km_aml(&["--group", "x", "--seed", "3"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--exact"));
    let zero = km_aml(&["--group", "x", "--exact", "--resamples", "0"], None);
    assert_eq!(zero.status.code(), Some(2));
    assert!(stderr(&zero).starts_with("error:"));
}

/// `rmst_comparison` at a common tau: the contract's keys, the first group the reference.
#[test]
fn tau_with_groups_adds_the_rmst_comparison() {
    let out = json(&km_aml(&["--group", "x", "--tau", "40", "--json"], None));
    let rows = out["rmst_comparison"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let mut keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "difference",
            "difference_lower",
            "difference_p",
            "difference_se",
            "difference_upper",
            "group",
            "ratio",
            "ratio_lower",
            "ratio_p",
            "ratio_upper",
            "reference"
        ]
    );
    assert_eq!(rows[0]["reference"], "Maintained");
    assert_eq!(rows[0]["group"], "Nonmaintained");
    let no_groups = json(&km_aml(&["--tau", "40", "--json"], None));
    assert!(no_groups.get("rmst_comparison").is_none());
    let text = String::from_utf8(km_aml(&["--group", "x", "--tau", "40"], None).stdout).unwrap();
    assert!(text.contains("Restricted mean survival time at tau = 40 against 'Maintained'"));
}

#[test]
fn spss_means_are_a_block_of_their_own() {
    let out = json(&km_aml(&["--group", "x", "--spss-means", "--json"], None));
    let rows = out["spss_means"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap()).collect();
    assert_eq!(names, ["Maintained", "Nonmaintained", "Overall"]);
    assert_eq!(rows[0]["limit_censored"], true);
    assert_eq!(rows[1]["limit_censored"], false);
    let text = String::from_utf8(km_aml(&["--group", "x", "--spss-means"], None).stdout).unwrap();
    assert!(text.contains("Means and Medians for Survival Time"));
    assert!(text.contains("a. Estimation is limited to the largest survival time"));
}

/// `--reference`: the chosen group is the comparator. Expected values: the default run's own
/// Mantel-Haenszel ratio inverted (exp of minus the same log HR, the same SE, so the limits swap
/// and invert), the RMST comparison against it, and an unknown level's error.
#[test]
fn reference_chooses_the_comparator_of_the_hazard_ratio_and_rmst() {
    let default = json(&km_aml(&["--group", "x", "--json", "--tau", "30"], None));
    let chosen = json(&km_aml(
        &[
            "--group",
            "x",
            "--json",
            "--tau",
            "30",
            "--reference",
            "Nonmaintained",
        ],
        None,
    ));
    assert_eq!(default["hazard_ratio"]["reference"], "Maintained");
    assert_eq!(chosen["hazard_ratio"]["reference"], "Nonmaintained");
    assert_eq!(chosen["hazard_ratio"]["group"], "Maintained");
    let (d, c) = (
        &default["hazard_ratio"]["estimates"][0],
        &chosen["hazard_ratio"]["estimates"][0],
    );
    assert_eq!(d["method"], "mantel-haenszel");
    let f = |v: &Value| v.as_f64().unwrap();
    common::assert_close("hr", f(&c["hr"]), 1.0 / f(&d["hr"]));
    common::assert_close("lower", f(&c["lower"]), 1.0 / f(&d["upper"]));
    common::assert_close("upper", f(&c["upper"]), 1.0 / f(&d["lower"]));
    let rmst = &chosen["rmst_comparison"][0];
    assert_eq!(rmst["group"], "Maintained");
    assert_eq!(rmst["reference"], "Nonmaintained");
    let back = &default["rmst_comparison"][0];
    common::assert_close(
        "difference",
        f(&rmst["difference"]),
        -f(&back["difference"]),
    );
    // The groups keep the contract's order.
    assert_eq!(chosen["groups"][0]["name"], "Maintained");

    let out = km_aml(&["--group", "x", "--reference", "Mantained"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("'Mantained'") && err.contains("--reference"),
        "{err}"
    );
    assert!(err.contains("'Maintained', 'Nonmaintained'"), "{err}");
}
