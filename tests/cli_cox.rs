//! The `survcalc cox` command: JSON keys of the contract, exit codes and error lines.

mod common;

use std::process::Output;

use common::data_path;
use serde_json::Value;

fn survcalc(args: &[&str]) -> Output {
    common::survcalc(args, None)
}

fn lung() -> String {
    data_path("cox_lung.csv").display().to_string()
}

/// `survcalc cox` on lung's time and status with the further arguments `extra`.
fn cox_lung(extra: &[&str]) -> Output {
    let lung = lung();
    let args = ["cox", &lung, "--time", "time", "--event", "status"];
    survcalc(&[&args[..], extra].concat())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn json_has_every_contract_key() {
    let out = cox_lung(&["--covariate", "age", "--categorical", "ph.ecog=1", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "n",
        "events",
        "terms",
        "loglik",
        "lr_test",
        "wald_test",
        "score_test",
        "covariate_tests",
        "concordance",
        "excluded",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    let names: Vec<&str> = v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["age", "ph.ecog=0", "ph.ecog=2", "ph.ecog=3"]);
    for key in ["name", "coef", "se", "hr", "hr_lower", "hr_upper", "z", "p"] {
        assert!(v["terms"][0].get(key).is_some(), "missing term key {key}");
    }
    let tests = v["covariate_tests"].as_array().unwrap();
    let covariates: Vec<&str> = tests
        .iter()
        .map(|t| t["covariate"].as_str().unwrap())
        .collect();
    assert_eq!(covariates, ["age", "ph.ecog"]);
    assert_eq!(tests[1]["df"], 3);
    for key in ["wald_chisq", "wald_p", "lr_chisq", "lr_p"] {
        assert!(tests[1][key].is_number(), "covariate_tests[1].{key}");
    }
    for test in ["lr_test", "wald_test", "score_test"] {
        for key in ["chisq", "df", "p"] {
            assert!(v[test].get(key).is_some(), "missing {test}.{key}");
        }
    }
    assert_eq!(v["loglik"].as_array().unwrap().len(), 2);
    // lung row 14 has no ph.ecog: excluded and reported.
    assert_eq!(v["excluded"][0]["row"], 14);
    assert!(v["excluded"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("ph.ecog"));
}

#[test]
fn text_output_is_a_table() {
    let out = cox_lung(&["--covariate", "sex", "--univariate"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("HR") && text.contains("Likelihood-ratio") && text.contains("Univariable"),
        "{text}"
    );
}

#[test]
fn no_covariate_is_a_usage_error() {
    let out = cox_lung(&["--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: no covariate given"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn unknown_column_is_a_usage_error_naming_it() {
    let out = cox_lung(&["--covariate", "agee"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'agee' not found"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn text_in_a_numeric_covariate_is_a_data_error_suggesting_categorical() {
    let csv = "t,d,arm\n1,1,A\n2,0,B\n3,1,A\n";
    let path = std::env::temp_dir().join(format!("survcalc_cli_cox_{}.csv", std::process::id()));
    std::fs::write(&path, csv).unwrap();
    let out = survcalc(&[
        "cox",
        path.to_str().unwrap(),
        "--time",
        "t",
        "--event",
        "d",
        "--covariate",
        "arm",
    ]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(65));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: column 'arm', row 1 (spreadsheet row 2): 'A' is not a number"),
        "{err}"
    );
    assert!(err.contains("--categorical arm"), "{err}");
}

#[test]
fn unknown_reference_level_lists_the_levels() {
    let out = cox_lung(&["--categorical", "sex=3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the levels are: 1, 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn conf_level_outside_zero_one_is_refused() {
    let out = cox_lung(&["--covariate", "age", "--conf-level", "95"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("confidence level 95 is not between 0 and 1"),
        "{err}"
    );
    assert!(err.contains("--conf-level 0.95"), "{err}");
}

#[test]
fn group_without_events_gives_infinite_term_and_no_made_up_ratio() {
    let mono = data_path("cox_mono.csv").display().to_string();
    let out = survcalc(&[
        "cox",
        &mono,
        "--time",
        "futime",
        "--event",
        "fustat",
        "--categorical",
        "grp",
        "--covariate",
        "age",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Typed first, so grp=B is the first term; age stays finite.
    let t = &v["terms"][0];
    assert_eq!(t["name"], "grp=B");
    assert_eq!(v["terms"][1]["name"], "age");
    assert_eq!(v["terms"][1]["infinite"], false);
    assert_eq!(t["infinite"], true);
    for key in ["hr", "hr_lower", "hr_upper", "se", "z", "p"] {
        assert!(t[key].is_null(), "{key} should be null: {t}");
    }
    assert!(v["lr_test"]["p"].as_f64().unwrap() < 1e-3);
    let warnings: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("grp=B") && w.contains("likelihood-ratio")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("fewer than 10 events")),
        "{warnings:?}"
    );
}

#[test]
fn garbage_input_never_panics() {
    for csv in [
        "",
        "t,d,x\n",
        "t,d,x\n1,1,1\n",
        "t,d,x\n1,1,1\n2,1,1\n",
        "t,d,x\n0,0,1\n0,0,2\n",
        "t,d,x\n1,1,1e300\n2,1,-1e300\n3,0,0\n",
    ] {
        let path = std::env::temp_dir().join(format!(
            "survcalc_cli_cox_g{}_{}.csv",
            csv.len(),
            std::process::id()
        ));
        std::fs::write(&path, csv).unwrap();
        let out = survcalc(&[
            "cox",
            path.to_str().unwrap(),
            "--time",
            "t",
            "--event",
            "d",
            "--covariate",
            "x",
            "--zph",
            "--univariate",
            "--json",
        ]);
        std::fs::remove_file(&path).unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{csv:?}: {err}");
        assert!(
            matches!(out.status.code(), Some(0 | 2 | 65)),
            "{csv:?}: {:?} {err}",
            out.status
        );
    }
}

#[test]
fn terms_follow_the_order_the_flags_were_typed() {
    let colon = data_path("cox_colon.csv").display().to_string();
    let out = survcalc(&[
        "cox",
        &colon,
        "--time",
        "time",
        "--event",
        "status",
        "--categorical",
        "rx=Obs",
        "--covariate",
        "age",
        "--covariate=sex",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    // Levels of rx in character-code order (Lev, Lev+5FU, Obs), reference Obs left out.
    assert_eq!(names, ["rx=Lev", "rx=Lev+5FU", "age", "sex"]);
}

#[test]
fn the_event_coding_used_is_reported() {
    // lung codes status 1 = censored, 2 = dead: R's 1/2 convention.
    let out = cox_lung(&["--covariate", "age", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["event_coding"], "event = 2, censored = 1");
    assert!(v.get("time_description").is_none());
}

/// A categorical covariate with more levels than any clinical model could estimate (an
/// identifier) is refused, naming the column, instead of a 5000-term Newton-Raphson.
#[test]
fn an_identifier_as_a_categorical_covariate_is_refused_naming_the_column() {
    let csv: String = std::iter::once("time,status,id\n".to_string())
        .chain((0..5000).map(|i| format!("{},{},P{i}\n", 1 + i % 97, i % 2)))
        .collect();
    let out = common::survcalc(
        &[
            "cox",
            "-",
            "--time",
            "time",
            "--event",
            "status",
            "--categorical",
            "id",
            "--json",
        ],
        Some(csv.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: column 'id': has 5000 different values"),
        "{err}"
    );
    assert!(
        err.contains("too many levels for a categorical covariate"),
        "{err}"
    );
}

/// The text table puts each covariate's overall tests on its header row: ph.ecog's row
/// carries its Wald P over its three terms and its likelihood-ratio P (the numbers of the
/// JSON's `covariate_tests`, checked against R in cox_matches_r), its levels indented below;
/// a numeric covariate's term row carries its likelihood-ratio P.
#[test]
fn text_shows_each_covariate_test_on_its_header_row() {
    use survcalc::format::p_value;
    let args = ["--covariate", "age", "--categorical", "ph.ecog"];
    let json: Value =
        serde_json::from_slice(&cox_lung(&[&args[..], &["--json"]].concat()).stdout).unwrap();
    let tests = &json["covariate_tests"];
    let p = |v: &Value| p_value(v.as_f64().unwrap());
    let out = cox_lung(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let fields = |start: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.starts_with(start));
        let line = line.unwrap_or_else(|| panic!("no row {start:?} in\n{text}"));
        line.split_whitespace().map(String::from).collect()
    };
    let header = fields("ph.ecog (3 df)");
    assert_eq!(
        header[3..],
        [p(&tests[1]["wald_p"]), p(&tests[1]["lr_p"])],
        "{text}"
    );
    assert!(text.contains("\n  ph.ecog=1 "), "{text}");
    let age = fields("age ");
    assert_eq!(age.last().unwrap(), &p(&tests[0]["lr_p"]), "{text}");
}

/// `--zph-plot FILE` draws the proportional-hazards plot (tests/plot_zph.rs checks the drawing)
/// in the format of FILE's extension, beside the unchanged output: an SVG of 85 mm with one
/// 40-point smooth per term, a PDF; an unknown extension or no `--zph` is a usage error.
#[test]
fn zph_plot_writes_the_figure_in_the_format_of_its_extension() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_zph_plot");
    std::fs::create_dir_all(&dir).unwrap();
    let svg_path = dir.join("lung-ph.svg");
    let out = cox_lung(&[
        "--covariate",
        "age",
        "--covariate",
        "sex",
        "--zph",
        "--zph-plot",
        svg_path.to_str().unwrap(),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["zph"]["residuals"].as_array().unwrap().len(), 2);
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.contains("width=\"85mm\""), "{}", &svg[..200]);
    let smooths = svg
        .split("<polyline")
        .skip(1)
        .filter(|p| {
            let points = p
                .split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            points.split_whitespace().count() == 40
        })
        .count();
    assert_eq!(smooths, 2, "one smooth per term");
    assert!(svg.contains("Beta(t) for age") && svg.contains("Beta(t) for sex"));

    let pdf_path = dir.join("lung-ph.pdf");
    let out = cox_lung(&[
        "--covariate",
        "age",
        "--zph",
        "rank",
        "--zph-plot",
        pdf_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&pdf_path).unwrap().starts_with(b"%PDF-"));

    let out = cox_lung(&["--covariate", "age", "--zph", "--zph-plot", "plot.jpeg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out)
        .contains("--zph-plot plot.jpeg: end the file name in .svg, .pdf, .tif or .png"));
    let out = cox_lung(&["--covariate", "age", "--zph-plot", "plot.svg"]);
    assert_eq!(out.status.code(), Some(2), "--zph-plot needs --zph");
    assert!(stderr(&out).contains("--zph"), "{}", stderr(&out));
}
