//! The core compiled to wasm32, called through the page's boundary (`survcalc::wasm`), under node.
//!
//! Run by `make test-wasm`, built as the page's main module is (no spreadsheet reader). There is
//! no filesystem in wasm, so the files are compiled in.
#![cfg(all(target_arch = "wasm32", not(feature = "sheets-module")))]

use serde::Serialize;
use serde_json::{json, Value};
use survcalc::data::{ReadOptions, Table};
use survcalc::wasm::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The committed simulated example (written by scripts/example_data.py).
const EXAMPLE: &str = include_str!("../www/example/gist_simulated.csv");
/// R's survival 3.5.3 on lung, veteran and aml, written by tests/data/km.R (each case has its `r_call`).
const KM_FIXTURES: &str = include_str!("data/km_fixtures.json");
const LUNG: &str = include_str!("data/lung.csv");
const VETERAN: &str = include_str!("data/veteran.csv");
const AML: &str = include_str!("data/aml.csv");
/// coin 1.4-2's permutation log-rank tests, written by tests/data/exact.R (`r_call` in each case).
const EXACT_FIXTURES: &str = include_str!("data/exact_fixtures.json");
const ECOG_WOMEN: &str = include_str!("data/exact_ecog_women.csv");

mod common;

fn open(text: &str, name: &str) -> Session {
    Session::new(text.as_bytes(), name, JsValue::UNDEFINED)
        .unwrap_or_else(|_| panic!("{name} should read"))
}

fn value(js: JsValue) -> Value {
    serde_wasm_bindgen::from_value(js).expect("a plain JS object")
}

fn settings(v: Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("settings serialise")
}

fn message(err: JsValue) -> String {
    err.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

/// The structured error a core error carries to the page (`detail`), as JSON.
fn detail(err: &JsValue) -> Value {
    let detail = js_sys::Reflect::get(err, &JsValue::from_str("detail")).expect("a JS object");
    serde_wasm_bindgen::from_value(detail).expect("a structured error")
}

#[wasm_bindgen_test]
fn preview_shows_header_and_first_rows() {
    let preview = value(open(EXAMPLE, "gist_simulated.csv").preview(2).unwrap());
    // The example's header and first patient, as written by scripts/example_data.py.
    assert_eq!(preview["n_rows"], 15);
    assert_eq!(preview["headers"][0], "patient");
    assert_eq!(preview["rows"].as_array().unwrap().len(), 2);
    assert_eq!(preview["rows"][0][0], "P01");
}

#[wasm_bindgen_test]
fn outcome_from_dates_counts_patients_events_and_groups() {
    let session = open(EXAMPLE, "gist_simulated.csv");
    let pfs = value(
        session
            .outcome(settings(json!({
                "start_date": "date_surgery",
                "end_date": "date_progression_or_last",
                "unit": "months",
                "event": "first_event",
                "event_values": ["progression", "death"],
                "group": "resection"
            })))
            .unwrap(),
    );
    // Counted in the CSV: 15 rows; PFS's event is progression or death, so only P13
    // (first_event = none) is censored; 9 R0/1 and 6 R2.
    assert_eq!(pfs["n"], 15);
    assert_eq!(pfs["events"], 14);
    assert_eq!(pfs["groups"], json!(["R0/1", "R2"]));
    assert_eq!(pfs["excluded"], json!([]));
}

#[wasm_bindgen_test]
fn excluded_rows_carry_their_reasons() {
    let session = open("t\ts\n5\t1\n\t0\n-2\t1\n", "pasted.tsv");
    let out = value(
        session
            .outcome(settings(json!({"time": "t", "event": "s"})))
            .unwrap(),
    );
    // Row 2 has no time, row 3 a negative one; only row 1 is used.
    assert_eq!(out["n"], 1);
    assert_eq!(out["excluded"][0]["row"], 2);
    assert_eq!(out["excluded"][1]["row"], 3);
}

#[wasm_bindgen_test]
fn core_errors_reach_javascript_with_their_message() {
    let err = Session::new(b"a,a\n1,2\n", "dup.csv", JsValue::UNDEFINED)
        .err()
        .expect("duplicate header is an error");
    let text = message(err);
    assert!(
        text.contains("'a'") && text.contains("Rename one"),
        "{text}"
    );
    let session = open("t,s\n1,x\n2,y\n", "odd.csv");
    let err = session
        .outcome(settings(json!({"time": "t", "event": "s"})))
        .err()
        .expect("unknown event coding is an error");
    // The page words the fix from the structure: no flag in the message, the hint named.
    let d = detail(&err);
    assert_eq!(d["column"], "s");
    assert_eq!(d["hint"]["hint"], "list_event_values");
    assert!(!message(err).contains("--"));
    let err = open("t,s\n1,1\nsoon,0\n", "t.csv")
        .outcome(settings(json!({"time": "t", "event": "s"})))
        .err()
        .expect("text as a time is an error");
    let d = detail(&err);
    assert_eq!(
        (d["row"].as_u64(), d["sheet_row"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(d["hint"]["hint"], "fix_cell");
}

/// What the spreadsheet module hands over: a table serialised as `read_sheet` does.
fn handed_over(text: &str) -> JsValue {
    let table = Table::from_csv_bytes(text.as_bytes(), &ReadOptions::default()).unwrap();
    settings(serde_json::to_value(&table).unwrap())
}

#[wasm_bindgen_test]
fn a_table_handed_over_is_analysed_as_if_read_here() {
    // A blank row (row 2) and two unusable ones (rows 3 and 4) keep their row numbers.
    let text = "t\ts\tarm\n5\t1\tA\n\t\t\n\t0\tB\n-2\t1\tB\n7\t0\tB\n";
    let here = open(text, "pasted.tsv");
    let there = Session::from_table(handed_over(text), None).unwrap();
    assert_eq!(
        value(there.preview(9).unwrap()),
        value(here.preview(9).unwrap())
    );
    assert_eq!(
        value(there.inspect().unwrap()),
        value(here.inspect().unwrap())
    );
    let outcome = json!({"time": "t", "event": "s", "group": "arm"});
    let out = value(there.outcome(settings(outcome.clone())).unwrap());
    assert_eq!(out, value(here.outcome(settings(outcome.clone())).unwrap()));
    assert_eq!(out["excluded"][0]["row"], 2);
    assert_eq!(out["excluded"][2]["row"], 4);
    assert_eq!(
        value(there.km(settings(outcome.clone())).unwrap()),
        value(here.km(settings(outcome)).unwrap())
    );
}

#[wasm_bindgen_test]
fn a_table_that_does_not_hold_together_is_refused_with_a_message() {
    let mut table: Value = serde_wasm_bindgen::from_value(handed_over("a\n1\n22\n")).unwrap();
    table["columns"][0]["ends"] = json!([1, 9]);
    let err = Session::from_table(settings(table), None)
        .err()
        .expect("offsets past the text are refused");
    assert!(message(err).contains("column 'a'"));
}

#[cfg(not(feature = "spreadsheet"))]
#[wasm_bindgen_test]
fn a_workbook_is_recognised_and_left_to_the_spreadsheet_module() {
    use survcalc::wasm::spreadsheet_kind;
    let workbook = b"PK\x03\x04 the rest of an .xlsx";
    assert_eq!(spreadsheet_kind(workbook).as_deref(), Some("xlsx"));
    assert_eq!(spreadsheet_kind(b"time,status\n1,0\n"), None);
    let err = Session::new(workbook, "a.xlsx", JsValue::UNDEFINED)
        .err()
        .expect("no spreadsheet reader in this build");
    assert!(message(err).contains("reads CSV and TSV files only"));
}

/// The fixture case `id`, and its data file's text.
fn km_case(id: &str) -> (Value, &'static str) {
    let all: Value = serde_json::from_str(KM_FIXTURES).expect("km fixtures parse");
    let case = all["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("fixture {id}"))
        .clone();
    let data = match case["data"].as_str() {
        Some("lung.csv") => LUNG,
        Some("veteran.csv") => VETERAN,
        Some("aml.csv") => AML,
        other => panic!("fixture data {other:?} is not compiled in"),
    };
    (case, data)
}

fn close_opt(what: &str, actual: &Value, expected: &Value) {
    match (actual.as_f64(), expected.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => assert!(common::close(a, e), "{what}: wasm {a:e}, R {e:e}"),
        _ => panic!("{what}: wasm {actual}, R {expected}"),
    }
}

/// The same numbers through the page's boundary in wasm as R gives: every step, median, rmean, test.
fn km_matches_r(id: &str) {
    let (case, data) = km_case(id);
    let session = open(data, case["data"].as_str().unwrap_or("data.csv"));
    let km = value(
        session
            .km(settings(json!({
                "time": case["time"], "event": case["event"], "group": case["group"],
                "conf_type": case["conf_type"], "conf_level": case["conf_level"],
            })))
            .unwrap(),
    );
    let groups = case["groups"].as_array().expect("fixture groups");
    assert_eq!(km["groups"].as_array().map(Vec::len), Some(groups.len()));
    for (g, r) in km["groups"].as_array().unwrap().iter().zip(groups) {
        let name = r["name"].as_str().unwrap_or("?");
        assert_eq!(g["n"], r["n"], "{id} {name} n");
        assert_eq!(g["events"], r["events"], "{id} {name} events");
        for key in [
            "median",
            "median_lower",
            "median_upper",
            "rmean",
            "rmean_se",
        ] {
            close_opt(&format!("{id} {name} {key}"), &g[key], &r[key]);
        }
        let steps = g["steps"].as_array().expect("steps");
        for key in ["time", "surv", "se", "lower", "upper"] {
            let expected = r["steps"][key].as_array().expect("fixture steps");
            assert_eq!(steps.len(), expected.len(), "{id} {name} steps");
            for (i, (s, e)) in steps.iter().zip(expected).enumerate() {
                close_opt(&format!("{id} {name} step {i} {key}"), &s[key], e);
            }
        }
    }
    let tests = km["tests"].as_array().expect("tests");
    let expected = case["tests"].as_array().expect("fixture tests");
    assert_eq!(tests.len(), expected.len(), "{id} tests");
    for (t, r) in tests.iter().zip(expected) {
        assert_eq!(t["name"], r["name"]);
        close_opt(
            &format!("{id} {} chisq", r["name"]),
            &t["chisq"],
            &r["chisq"],
        );
        close_opt(&format!("{id} {} p", r["name"]), &t["p"], &r["p"]);
    }
}

#[wasm_bindgen_test]
fn km_in_wasm_matches_r_on_lung_by_sex() {
    km_matches_r("lung-sex-log-log");
}

#[wasm_bindgen_test]
fn km_in_wasm_matches_r_on_veteran_with_four_groups_and_plain_band() {
    km_matches_r("veteran-celltype-plain");
}

#[wasm_bindgen_test]
fn km_in_wasm_matches_r_on_aml_with_log_band() {
    km_matches_r("aml-log");
}

/// lm and glm fixtures (tests/data/regression.R) and their data, compiled in.
const REGRESSION_FIXTURES: &str = include_str!("data/regression_fixtures.json");
const REGRESSION_MTCARS: &str = include_str!("data/regression_mtcars.csv");
const REGRESSION_LUNG: &str = include_str!("data/regression_lung.csv");

fn regression_case(id: &str) -> Value {
    let all: Value = serde_json::from_str(REGRESSION_FIXTURES).expect("fixtures parse");
    all["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("fixture {id}"))
        .clone()
}

/// Linear regression through the page's boundary: R's lm numbers, the residuals included.
#[wasm_bindgen_test]
fn linear_regression_in_wasm_matches_lm_with_residuals() {
    let case = regression_case("mtcars_cyl");
    let session = open(REGRESSION_MTCARS, "regression_mtcars.csv");
    let fit = value(
        session
            .regression(settings(json!({
                "outcome": "mpg",
                "covariates": [{"column": "wt"}, {"column": "cyl", "categorical": true}],
            })))
            .unwrap(),
    );
    assert_eq!(fit["family"], "linear");
    for (t, e) in fit["terms"]
        .as_array()
        .unwrap()
        .iter()
        .zip(case["terms"].as_array().unwrap())
    {
        assert_eq!(t["name"], e["name"]);
        for key in ["estimate", "se", "statistic", "p", "lower", "upper"] {
            close_opt(&format!("{} {key}", e["name"]), &t[key], &e[key]);
        }
    }
    close_opt("r_squared", &fit["r_squared"], &case["r_squared"]);
    let residuals = fit["residuals"].as_array().unwrap();
    assert_eq!(residuals.len(), 32);
    close_opt(
        "residual 1",
        &residuals[0]["residual"],
        &case["residuals"][0],
    );
}

/// Logistic regression through the boundary: glm's numbers, ph.ecog = 3 infinite.
#[wasm_bindgen_test]
fn logistic_regression_in_wasm_matches_glm() {
    let case = regression_case("lung_status");
    let session = open(REGRESSION_LUNG, "regression_lung.csv");
    let fit = value(
        session
            .regression(settings(json!({
                "outcome": "status", "family": "logistic",
                "covariates": [{"column": "age"}, {"column": "sex", "categorical": true},
                               {"column": "ph.ecog", "categorical": true}],
            })))
            .unwrap(),
    );
    assert_eq!(fit["family"], "logistic");
    close_opt("deviance", &fit["deviance"], &case["deviance"]);
    close_opt("aic", &fit["aic"], &case["aic"]);
    let terms = fit["terms"].as_array().unwrap();
    close_opt(
        "sex=2 OR",
        &terms[2]["odds_ratio"],
        &case["terms"][2]["odds_ratio"],
    );
    assert_eq!(terms[5]["name"], "ph.ecog=3");
    assert_eq!(terms[5]["infinite"], true);
}

/// cmprsk fixtures (tests/data/cif.R) and pbc's competing-risks file, compiled in.
const CIF_FIXTURES: &str = include_str!("data/cif_fixtures.json");
const CIF_PBC: &str = include_str!("data/cif_pbc.csv");

fn cif_case(kind: &str, id: &str) -> Value {
    let all: Value = serde_json::from_str(CIF_FIXTURES).expect("fixtures parse");
    all[kind]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("fixture {id}"))
        .clone()
}

/// Cumulative incidence through the page's boundary: cuminc's est and var at every step,
/// Gray's test, timepoints, and the coding stated.
#[wasm_bindgen_test]
fn cif_in_wasm_matches_cuminc() {
    let case = cif_case("cuminc", "pbc_death_by_edema");
    let session = open(CIF_PBC, "cif_pbc.csv");
    let out = value(
        session
            .cif(settings(json!({
                "time": "time", "event": "status", "event_values": ["2"],
                "competing_values": ["1"], "group": "edema", "at": [1000, 2000, 4000],
            })))
            .unwrap(),
    );
    close_opt(
        "gray chisq",
        &out["gray_test"]["chisq"],
        &case["gray_test"]["chisq"],
    );
    assert_eq!(out["gray_test"]["df"], 2);
    assert_eq!(
        out["event_coding"],
        "event of interest = 2; competing = 1; any other value = censored"
    );
    let groups = out["groups"].as_array().unwrap();
    let expected = case["groups"].as_array().unwrap();
    assert_eq!(groups.len(), expected.len());
    for (g, e) in groups.iter().zip(expected) {
        let steps = g["steps"].as_array().unwrap();
        let cif = e["steps"]["cif"].as_array().unwrap();
        let var = e["steps"]["var"].as_array().unwrap();
        assert_eq!(steps.len(), cif.len(), "{}", e["name"]);
        for (j, s) in steps.iter().enumerate() {
            close_opt("cif", &s["cif"], &cif[j]);
            let se = var[j].as_f64().map(f64::sqrt);
            close_opt("se", &s["se"], &json!(se));
        }
        for (a, t) in g["at"]
            .as_array()
            .unwrap()
            .iter()
            .zip(e["at"]["cif"].as_array().unwrap())
        {
            close_opt("at", &a["cif"], t);
        }
    }
}

/// Fine-Gray through the page's boundary: crr's coefficients and robust standard errors.
#[wasm_bindgen_test]
fn finegray_in_wasm_matches_crr() {
    let case = cif_case("crr", "pbc_death_age_bili_albumin_edema");
    let session = open(CIF_PBC, "cif_pbc.csv");
    let fit = value(
        session
            .finegray(settings(json!({
                "time": "time", "event": "status", "event_values": ["2"],
                "competing_values": ["1"],
                "covariates": [{"column": "age"}, {"column": "bili"}, {"column": "albumin"},
                               {"column": "edema", "categorical": true, "reference": "0"}],
            })))
            .unwrap(),
    );
    assert_eq!(fit["converged"], true);
    assert_eq!(fit["n"], case["n"]);
    let terms = fit["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 5);
    for (j, t) in terms.iter().enumerate() {
        assert_eq!(t["name"], case["terms"]["name"][j]);
        for key in ["coef", "se", "p"] {
            close_opt(
                &format!("{} {key}", t["name"]),
                &t[key],
                &case["terms"][key][j],
            );
        }
    }
}

/// A value listed as both the event of interest and a competing event is refused, naming it.
#[wasm_bindgen_test]
fn cif_in_wasm_refuses_a_value_in_both_lists() {
    let session = open(CIF_PBC, "cif_pbc.csv");
    let err = session
        .cif(settings(json!({
            "time": "time", "event": "status", "event_values": ["2"],
            "competing_values": ["2"],
        })))
        .unwrap_err();
    let text = message(err);
    assert!(text.contains("'status'") && text.contains("'2'"), "{text}");
}

/// R's table()/prop.table() with missing values left out (tests/data/table1.R, `percent`).
const TABLE1_FIXTURES: &str = include_str!("data/table1_fixtures.json");
const TABLE1_MISSING: &str = include_str!("data/table1_missing.csv");

#[wasm_bindgen_test]
fn table1_percent_basis_and_missing_counts_in_wasm_match_r() {
    let fixtures: Value = serde_json::from_str(TABLE1_FIXTURES).unwrap();
    let session = open(TABLE1_MISSING, "table1_missing.csv");
    for basis in ["column", "row", "total"] {
        let t = value(
            session
                .table1(settings(json!({
                    "group": "arm", "variables": ["grade"], "percent": basis
                })))
                .unwrap(),
        );
        assert_eq!(t["percent"], basis);
        let case = fixtures["percent"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["group"] == "arm" && c["variable"] == "grade" && c["percent"] == basis)
            .unwrap();
        let row = &t["rows"][0];
        assert_eq!(row["kind"], "categorical");
        assert_eq!(row["overall"]["missing"], case["overall"]["missing"]);
        for (ours, r) in row["by_group"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["by_group"].as_array().unwrap())
        {
            assert_eq!(ours["missing"], r["missing"]);
            for (l, rl) in ours["levels"]
                .as_array()
                .unwrap()
                .iter()
                .zip(r["levels"].as_array().unwrap())
            {
                close_opt(
                    case["r_call"].as_str().unwrap(),
                    &l["percent"],
                    &rl["percent"],
                );
            }
        }
    }
}

#[wasm_bindgen_test]
fn table1_defaults_leave_out_roles_identifiers_and_dates() {
    let session = open(EXAMPLE, "gist_simulated.csv");
    let d = value(
        session
            .table1_defaults(settings(json!({
                "start_date": "date_surgery",
                "end_date": "date_progression_or_last",
                "unit": "months",
                "event": "progressed",
                "group": "resection"
            })))
            .unwrap(),
    );
    let variables: Vec<&str> = d["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let left: Vec<&str> = d["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["column"].as_str().unwrap())
        .collect();
    for role in [
        "patient",
        "date_surgery",
        "date_progression_or_last",
        "progressed",
        "resection",
    ] {
        assert!(left.contains(&role), "{role} should be left out: {d}");
        assert!(!variables.contains(&role), "{role}: {d}");
    }
    assert!(variables.contains(&"age"), "{d}");
    assert_eq!(survcalc::wasm::format_percent(0.4, 0), "<1");
}

fn exact_case(name: &str) -> Value {
    let all: Value = serde_json::from_str(EXACT_FIXTURES).expect("exact fixtures parse");
    all["cases"]
        .as_array()
        .and_then(|cases| cases.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("fixture {name}"))
        .clone()
}

/// The page asks for the permutation test, the comparison at tau and SPSS's means; the
/// exact P is coin's.
#[wasm_bindgen_test]
fn km_in_wasm_adds_the_exact_test_rmst_comparison_and_spss_means() {
    let km = value(
        open(AML, "aml.csv")
            .km(settings(json!({
                "time": "time", "event": "status", "group": "x",
                "exact": true, "tau": 40, "spss_means": true,
            })))
            .unwrap(),
    );
    let coin = exact_case("aml");
    assert_eq!(km["exact_test"]["method"], "exact");
    close_opt("aml exact p", &km["exact_test"]["p"], &coin["p"]);
    assert!(km["exact_test"]["mc_se"].is_null());
    assert_eq!(km["rmst_comparison"][0]["reference"], "Maintained");
    assert_eq!(km["spss_means"].as_array().map(Vec::len), Some(3));
}

/// Three groups: Monte Carlo in wasm too, with the page's resamples and seed, within four
/// standard errors of coin's 10^6-resample estimate.
#[wasm_bindgen_test]
fn km_in_wasm_runs_the_monte_carlo_permutation_test() {
    let km = value(
        open(ECOG_WOMEN, "exact_ecog_women.csv")
            .km(settings(json!({
                "time": "time", "event": "status", "group": "ph.ecog",
                "exact": true, "resamples": 20000, "seed": 3,
            })))
            .unwrap(),
    );
    let t = &km["exact_test"];
    assert_eq!(t["method"], "monte-carlo");
    assert_eq!(
        (t["resamples"].as_u64(), t["seed"].as_u64()),
        (Some(20000), Some(3))
    );
    let coin = exact_case("ecog_women");
    let (p, coin_p) = (t["p"].as_f64().unwrap(), coin["p"].as_f64().unwrap());
    let se = t["mc_se"].as_f64().unwrap();
    assert!((p - coin_p).abs() < 4.0 * (se * se + coin_p * (1.0 - coin_p) / 1e6).sqrt());
}

/// The page's R script is the command line's (`survcalc::rscript`), naming the file by the
/// name it was opened with, for every kind of result.
#[wasm_bindgen_test]
fn r_scripts_through_the_boundary_are_the_command_lines() {
    use survcalc::analysis::{analyse, KmAnalysis};
    use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
    use survcalc::rscript::{self, DataFile, KmScript};
    let session = open(AML, "aml.csv");
    let km = session
        .r_script(
            "km",
            settings(json!({"time": "time", "event": "status", "group": "x", "conf_type": "log"})),
        )
        .unwrap();
    let table = Table::from_csv_bytes(AML.as_bytes(), &ReadOptions::default()).unwrap();
    let outcome = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    let mut options = KmAnalysis::default();
    options.km.conf_type = survcalc::options::ConfType::Log;
    let data = SurvivalData::from_table(&table, &outcome, Some("x"), None).unwrap();
    let report = analyse(&data, &options).unwrap();
    let request = KmScript {
        outcome: &outcome,
        group: Some("x"),
        strata: None,
        options: &options,
    };
    let native = rscript::km(&table, &DataFile::name("aml.csv"), &request, &report).unwrap();
    assert_eq!(km, native);
    assert!(km.contains("read.csv(\"aml.csv\""), "{km}");
    assert!(km.contains("conf.type = \"log\""), "{km}");

    // Another name can be given; the other kinds give their scripts.
    let lung = open(LUNG, "lung.csv");
    let cox = lung
        .r_script(
            "cox",
            settings(json!({"time": "time", "event": "status", "file": "my lung.csv",
                "covariates": [{"column": "age"}, {"column": "ph.ecog", "categorical": true, "reference": "1"}]})),
        )
        .unwrap();
    assert!(cox.contains("read.csv(\"my lung.csv\""), "{cox}");
    assert!(
        cox.contains("fit <- coxph(Surv(time, status) ~ age + ph.ecog"),
        "{cox}"
    );
    let table1 = lung
        .r_script(
            "table1",
            settings(json!({"group": "sex", "variables": ["age", "ph.ecog"]})),
        )
        .unwrap();
    assert!(
        table1.contains("tests[[\"age\"]] <- t.test(age ~ sex"),
        "{table1}"
    );
    let cif = lung
        .r_script(
            "cif",
            settings(
                json!({"time": "time", "event": "status", "event_values": ["2"],
                "competing_values": [], "group": "sex"}),
            ),
        )
        .unwrap();
    assert!(
        cif.contains("fit <- cuminc(d$time, d$status, group = d$sex"),
        "{cif}"
    );

    // No kind of its own, and a settings error, come back as core errors.
    let err = session
        .r_script("regression", settings(json!({})))
        .unwrap_err();
    assert!(message(err).contains("no R script for 'regression'"));
    let err = session
        .r_script("km", settings(json!({"time": "nope", "event": "status"})))
        .unwrap_err();
    assert_eq!(detail(&err)["column"], "nope");
}
