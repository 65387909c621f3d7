//! `survcalc cif` and `survcalc finegray` as the contract (shared/spec/cli.md, "Additions")
//! specifies them: flags, JSON keys, nulls, event coding, exclusions, exit codes and errors.
//! Numbers are tied to cmprsk's (fixtures by tests/data/cif.R).

mod common;

use common::{assert_close, data_path, fixture, json, survcalc};
use serde_json::Value;

fn path(name: &str) -> String {
    data_path(name).to_str().unwrap().to_string()
}

/// `cif` on mgus2: progression (pcm) against death, by sex.
fn mgus2_cif(extra: &[&str]) -> std::process::Output {
    let file = path("cif_mgus2.csv");
    let mut args = vec![
        "cif",
        &file,
        "--time",
        "etime",
        "--event",
        "event_label",
        "--event-value",
        "pcm",
        "--competing-value",
        "death",
    ];
    args.extend_from_slice(extra);
    survcalc(&args, None)
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

fn fixture_case(kind: &str, id: &str) -> Value {
    fixture("cif_fixtures.json")[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn cif_json_has_the_contract_keys() {
    let out = json(&mgus2_cif(&["--group", "sex", "--at", "60,120", "--json"]));
    for key in [
        "groups",
        "gray_test",
        "excluded",
        "warnings",
        "event_coding",
    ] {
        assert!(out.get(key).is_some(), "missing {key}");
    }
    let group = &out["groups"][0];
    for key in ["name", "n", "events", "competing_events", "steps", "at"] {
        assert!(group.get(key).is_some(), "group lacks {key}");
    }
    assert_eq!(
        keys(&group["steps"][0]),
        [
            "cif",
            "lower",
            "n_censor",
            "n_competing",
            "n_event",
            "n_risk",
            "se",
            "time",
            "upper"
        ]
    );
    assert_eq!(
        keys(&group["at"][0]),
        ["cif", "lower", "se", "time", "upper"]
    );
    assert_eq!(keys(&out["gray_test"])[..3], ["chisq", "df", "p"]);
    assert_eq!(
        out["event_coding"],
        "event of interest = pcm; competing = death; any other value = censored"
    );
    let names: Vec<&str> = out["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["F", "M"]);
}

#[test]
fn cif_numbers_are_cumincs() {
    let out = json(&mgus2_cif(&["--group", "sex", "--json"]));
    let case = fixture_case("cuminc", "mgus2_pcm_by_sex");
    assert_close(
        "gray chisq",
        out["gray_test"]["chisq"].as_f64().unwrap(),
        case["gray_test"]["chisq"].as_f64().unwrap(),
    );
    assert_eq!(out["gray_test"]["df"], 1);
    for (g, e) in out["groups"]
        .as_array()
        .unwrap()
        .iter()
        .zip(case["groups"].as_array().unwrap())
    {
        let steps = g["steps"].as_array().unwrap();
        assert_eq!(steps.len(), e["steps"]["time"].as_array().unwrap().len());
        let last = steps.len() - 1;
        assert_close(
            "last cif",
            steps[last]["cif"].as_f64().unwrap(),
            e["steps"]["cif"][last].as_f64().unwrap(),
        );
        assert_close(
            "last se",
            steps[last]["se"].as_f64().unwrap(),
            e["steps"]["var"][last].as_f64().unwrap().sqrt(),
        );
    }
}

#[test]
fn undefined_limits_are_null() {
    let out = json(&mgus2_cif(&["--json"]));
    let first = &out["groups"][0]["steps"][0];
    // mgus2's first observed times carry no progression: cif 0, limits undefined.
    assert_eq!(first["cif"], 0.0);
    assert!(
        first["lower"].is_null() && first["upper"].is_null(),
        "{first}"
    );
    assert!(first["se"].is_number());
}

#[test]
fn one_group_is_all_and_has_no_gray_test() {
    let out = json(&mgus2_cif(&["--json"]));
    assert_eq!(out["groups"].as_array().unwrap().len(), 1);
    assert_eq!(out["groups"][0]["name"], "all");
    assert!(out.get("gray_test").is_none());
}

#[test]
fn past_the_last_time_the_incidence_is_null() {
    let out = json(&mgus2_cif(&["--at", "0,100000", "--json"]));
    let at = &out["groups"][0]["at"];
    assert_eq!(at[0]["cif"], 0.0);
    assert!(at[1]["cif"].is_null() && at[1]["se"].is_null());
}

#[test]
fn rows_not_used_are_reported() {
    let file = path("cif_pbc.csv");
    let out = json(&survcalc(
        &[
            "cif",
            &file,
            "--time",
            "time",
            "--event",
            "status",
            "--event-value",
            "1",
            "--competing-value",
            "2",
            "--group",
            "trt",
            "--json",
        ],
        None,
    ));
    let excluded = out["excluded"].as_array().unwrap();
    // pbc's 106 patients outside the trial have no trt.
    assert_eq!(excluded.len(), 106);
    assert_eq!(excluded[0]["reason"], "missing group ('trt')");
    assert_eq!(excluded[0]["row"], 313);
}

#[test]
fn time_from_dates_and_missing_tokens_work_as_in_km() {
    let csv = "start,end,status\n2020-01-01,2020-01-11,relapse\n2020-01-01,2020-01-21,death\n2020-01-01,2020-01-31,-99\n2020-01-01,2020-02-10,alive\n";
    let out = json(&survcalc(
        &[
            "cif",
            "-",
            "--start-date",
            "start",
            "--end-date",
            "end",
            "--event",
            "status",
            "--event-value",
            "relapse",
            "--competing-value",
            "death",
            "--missing",
            "-99",
            "--json",
        ],
        Some(csv.as_bytes()),
    ));
    let steps = out["groups"][0]["steps"].as_array().unwrap();
    let times: Vec<f64> = steps.iter().map(|s| s["time"].as_f64().unwrap()).collect();
    assert_eq!(times, [10.0, 20.0, 40.0]);
    assert_eq!(out["excluded"][0]["row"], 3);
    // 3 at risk: relapse at 10 (1/3), death at 20, censoring at 40.
    assert_close("cif", steps[0]["cif"].as_f64().unwrap(), 1.0 / 3.0);
}

#[test]
fn a_value_both_of_interest_and_competing_is_a_usage_error() {
    let out = mgus2_cif(&["--competing-value", "PCM", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error:"), "{err}");
    assert!(
        err.contains("'event_label'") && err.contains("'pcm'"),
        "{err}"
    );
}

#[test]
fn the_event_of_interest_must_be_named() {
    let file = path("cif_mgus2.csv");
    let out = survcalc(
        &[
            "cif",
            &file,
            "--time",
            "etime",
            "--event",
            "event",
            "--competing-value",
            "2",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--event-value"));
}

#[test]
fn unknown_column_is_a_usage_error_and_bad_time_a_data_error() {
    let out = mgus2_cif(&["--group", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'nosuch'"));
    let out = survcalc(
        &[
            "cif",
            "-",
            "--time",
            "t",
            "--event",
            "s",
            "--event-value",
            "1",
            "--competing-value",
            "2",
        ],
        Some(b"t,s\n5,1\nsoon,2\n"),
    );
    assert_eq!(out.status.code(), Some(65));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("column 't', row 2"), "{err}");
}

#[test]
fn cif_text_output_names_the_coding_and_the_test() {
    let out = mgus2_cif(&["--group", "sex", "--at", "120"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Cumulative incidence"), "{text}");
    assert!(text.contains("event of interest = pcm"), "{text}");
    assert!(text.contains("Gray's test"), "{text}");
}

/// `finegray` on pbc: death against transplant, age, bili, albumin and edema (reference 0).
fn pbc_finegray(extra: &[&str]) -> std::process::Output {
    let file = path("cif_pbc.csv");
    let mut args = vec![
        "finegray",
        &file,
        "--time",
        "time",
        "--event",
        "status",
        "--event-value",
        "2",
        "--competing-value",
        "1",
        "--covariate",
        "age",
        "--covariate",
        "bili",
        "--covariate",
        "albumin",
        "--categorical",
        "edema=0",
    ];
    args.extend_from_slice(extra);
    survcalc(&args, None)
}

#[test]
fn finegray_json_has_the_contract_keys_and_crrs_numbers() {
    let out = json(&pbc_finegray(&["--json"]));
    for key in [
        "n",
        "events",
        "competing_events",
        "terms",
        "converged",
        "excluded",
        "warnings",
    ] {
        assert!(out.get(key).is_some(), "missing {key}");
    }
    let case = fixture_case("crr", "pbc_death_age_bili_albumin_edema");
    assert_eq!(out["n"], case["n"]);
    assert_eq!(out["converged"], true);
    let terms = out["terms"].as_array().unwrap();
    for key in ["name", "coef", "se", "hr", "hr_lower", "hr_upper", "z", "p"] {
        assert!(terms[0].get(key).is_some(), "term lacks {key}");
    }
    for (j, t) in terms.iter().enumerate() {
        assert_eq!(t["name"], case["terms"]["name"][j]);
        for key in ["coef", "se", "hr_lower", "hr_upper", "p"] {
            assert_close(
                &format!("{} {key}", t["name"]),
                t[key].as_f64().unwrap(),
                case["terms"][key][j].as_f64().unwrap(),
            );
        }
    }
}

#[test]
fn finegray_needs_a_covariate_and_warns_of_few_events() {
    let file = path("cif_ties.csv");
    let out = survcalc(
        &[
            "finegray",
            &file,
            "--time",
            "time",
            "--event",
            "status",
            "--event-value",
            "1",
            "--competing-value",
            "2",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let out = json(&survcalc(
        &[
            "finegray",
            &file,
            "--time",
            "time",
            "--event",
            "status",
            "--event-value",
            "1",
            "--competing-value",
            "2",
            "--covariate",
            "x",
            "--categorical",
            "grp",
            "--json",
        ],
        None,
    ));
    // Group C has no event of interest: crr does not converge, as here (fixture ties_x_grp).
    assert_eq!(out["converged"], false);
    let warnings = out["warnings"].to_string();
    assert!(warnings.contains("did not converge"), "{warnings}");
    // 19 transplants for 2 coefficients.
    let pbc = path("cif_pbc.csv");
    let out = json(&survcalc(
        &[
            "finegray",
            &pbc,
            "--time",
            "time",
            "--event",
            "status",
            "--event-value",
            "1",
            "--competing-value",
            "2",
            "--covariate",
            "age",
            "--categorical",
            "trt",
            "--json",
        ],
        None,
    ));
    assert_eq!(out["events"], 19);
    let warnings = out["warnings"].to_string();
    assert!(warnings.contains("events per coefficient"), "{warnings}");
}

#[test]
fn finegray_text_output_lists_the_terms() {
    let out = pbc_finegray(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("edema=0.5") && text.contains("subdistribution"),
        "{text}"
    );
}
