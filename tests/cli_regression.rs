//! The `survcalc regression` command: JSON keys of the contract, exit codes and error lines.

mod common;

use std::process::Output;

use common::data_path;
use serde_json::Value;

fn survcalc(args: &[&str]) -> Output {
    common::survcalc(args, None)
}

fn path(name: &str) -> String {
    data_path(name).display().to_string()
}

/// `survcalc regression` on a regression fixture file with the further arguments `extra`.
fn regression(file: &str, extra: &[&str]) -> Output {
    let file = path(file);
    survcalc(&[&["regression", file.as_str()][..], extra].concat())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn names(v: &Value) -> Vec<&str> {
    v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

#[test]
fn linear_json_has_every_contract_key() {
    let out = regression(
        "regression_mtcars.csv",
        &[
            "--outcome",
            "mpg",
            "--covariate",
            "wt",
            "--categorical",
            "cyl",
            "--json",
        ],
    );
    let v = common::json(&out);
    assert_eq!(v["family"], "linear");
    for key in [
        "n",
        "terms",
        "r_squared",
        "adj_r_squared",
        "sigma",
        "df_residual",
        "f_test",
        "excluded",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(names(&v), ["(Intercept)", "wt", "cyl=6", "cyl=8"]);
    for t in v["terms"].as_array().unwrap() {
        for key in ["name", "estimate", "se", "statistic", "p", "lower", "upper"] {
            assert!(
                t[key].is_string() || t[key].is_number(),
                "term key {key}: {t}"
            );
        }
    }
    for key in ["statistic", "df1", "df2", "p"] {
        assert!(v["f_test"][key].is_number(), "f_test.{key}");
    }
    assert_eq!(v["f_test"]["df1"], 3);
    assert_eq!(v["df_residual"], 28);
    // Fitted values and residuals only when asked.
    assert!(v.get("residuals").is_none());
}

#[test]
fn residuals_on_request_one_per_row_used() {
    let out = regression(
        "regression_lung.csv",
        &[
            "--outcome",
            "age",
            "--covariate",
            "wt.loss",
            "--residuals",
            "--json",
        ],
    );
    let v = common::json(&out);
    let res = v["residuals"].as_array().unwrap();
    assert_eq!(res.len() as u64, v["n"].as_u64().unwrap());
    // Row 1 of lung has no wt.loss: the first residual is row 2's.
    assert_eq!(res[0]["row"], 2);
    let r = &res[0];
    let sum = r["fitted"].as_f64().unwrap() + r["residual"].as_f64().unwrap();
    assert!(
        (sum - 68.0).abs() < 1e-9,
        "fitted + residual = age 68: {sum}"
    );
}

#[test]
fn logistic_json_has_every_contract_key() {
    let out = regression(
        "regression_lung.csv",
        &[
            "--outcome",
            "status",
            "--family",
            "logistic",
            "--covariate",
            "age",
            "--categorical",
            "sex",
            "--json",
        ],
    );
    let v = common::json(&out);
    assert_eq!(v["family"], "logistic");
    for key in [
        "n",
        "events",
        "terms",
        "null_deviance",
        "deviance",
        "aic",
        "lr_test",
        "excluded",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(names(&v), ["(Intercept)", "age", "sex=2"]);
    for key in [
        "name",
        "estimate",
        "se",
        "statistic",
        "p",
        "lower",
        "upper",
        "odds_ratio",
        "or_lower",
        "or_upper",
    ] {
        assert!(v["terms"][2].get(key).is_some(), "missing term key {key}");
    }
    assert_eq!(v["terms"][2]["infinite"], false);
    for key in ["chisq", "df", "p"] {
        assert!(v["lr_test"][key].is_number(), "lr_test.{key}");
    }
    // status is coded 1/2: 2 is the outcome, as R's convention for an event.
    assert_eq!(v["events"], 165);
    assert!(v.get("firth").is_none());
}

#[test]
fn event_values_choose_the_outcome() {
    let out = regression(
        "regression_lung.csv",
        &[
            "--outcome",
            "status",
            "--family",
            "logistic",
            "--event-value",
            "1",
            "--covariate",
            "age",
            "--json",
        ],
    );
    let v = common::json(&out);
    assert_eq!(v["events"], 63);
}

#[test]
fn separation_is_flagged_on_the_term_and_in_plain_words() {
    let out = regression(
        "regression_quasi.csv",
        &[
            "--outcome",
            "y",
            "--family",
            "logistic",
            "--categorical",
            "grp",
            "--covariate",
            "z",
            "--firth",
            "--json",
        ],
    );
    let v = common::json(&out);
    let c = &v["terms"][2];
    assert_eq!(c["name"], "grp=C");
    assert_eq!(c["infinite"], true);
    assert!(c["odds_ratio"].is_null() && c["p"].is_null());
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("Separation") && warnings.contains("'grp=C'"),
        "{warnings}"
    );
    assert!(
        !warnings.contains("--"),
        "no flag names in warnings: {warnings}"
    );
    let firth = &v["firth"]["terms"][2];
    assert!(firth["odds_ratio"].as_f64().unwrap() > 0.0);
}

#[test]
fn text_output_shows_the_table_and_the_tests() {
    let out = regression(
        "regression_mtcars.csv",
        &[
            "--outcome",
            "am",
            "--family",
            "logistic",
            "--covariate",
            "wt",
            "--covariate",
            "hp",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("(Intercept)") && text.contains("OR"),
        "{text}"
    );
    assert!(
        text.contains("likelihood-ratio test of the model"),
        "{text}"
    );
    assert!(text.contains("all 32 rows used"), "{text}");
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--outcome", "mpg", "--covariate", "weight"],
            "'weight' not found",
        ),
        (&["--outcome", "mpg"], "no covariate"),
        (
            &[
                "--outcome",
                "mpg",
                "--covariate",
                "wt",
                "--conf-level",
                "95",
            ],
            "between 0 and 1",
        ),
        (
            &["--outcome", "mpg", "--covariate", "wt", "--firth"],
            "--family logistic",
        ),
    ];
    for (args, message) in cases {
        let out = regression("regression_mtcars.csv", args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.contains(message),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn data_errors_exit_65_and_say_how_to_fix_them() {
    let dir = std::env::temp_dir().join(format!("survcalc_cli_regression_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.csv");
    std::fs::write(
        &file,
        "y,x,g,outcome\n1.5,2,a,yes\nlots,3,b,no\n2.5,4,a,maybe\n",
    )
    .unwrap();
    let f = file.display().to_string();
    let run = |args: &[&str]| survcalc(&[&["regression", f.as_str()][..], args].concat());
    // Text in a numeric outcome names the cell.
    let out = run(&["--outcome", "y", "--covariate", "x"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains("column 'y', row 2 (spreadsheet row 3): 'lots'"),
        "{}",
        stderr(&out)
    );
    // Text in a numeric covariate suggests marking it categorical.
    let out = run(&["--outcome", "x", "--covariate", "g"]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr(&out).contains("--categorical g"), "{}", stderr(&out));
    // Three outcome values: which one is the outcome?
    let out = run(&[
        "--outcome",
        "outcome",
        "--family",
        "logistic",
        "--covariate",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(65));
    assert!(stderr(&out).contains("--event-value"), "{}", stderr(&out));
    // Every row with the outcome: nothing to model.
    let out = run(&[
        "--outcome",
        "outcome",
        "--family",
        "logistic",
        "--event-value",
        "yes",
        "--event-value",
        "no",
        "--event-value",
        "maybe",
        "--covariate",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(65));
    assert!(
        stderr(&out).contains("all of the 3 rows used have the outcome"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rows_missing_the_outcome_or_a_covariate_are_excluded_with_reasons() {
    let out = regression(
        "regression_lung.csv",
        &["--outcome", "wt.loss", "--covariate", "meal.cal", "--json"],
    );
    let v = common::json(&out);
    let excluded = v["excluded"].as_array().unwrap();
    let reasons: Vec<&str> = excluded
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"missing outcome ('wt.loss')"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"missing covariate ('meal.cal')"),
        "{reasons:?}"
    );
    assert_eq!(v["n"].as_u64().unwrap() as usize + excluded.len(), 228);
}
