//! Cumulative incidence, its variance and limits, and Gray's test against R's cmprsk 2.2
//! (`cuminc`, `timepoints`; fixtures written by tests/data/cif.R, each case with its r_call).

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;
use survcalc::cif::{analyse, CifOptions, CumulativeIncidence};
use survcalc::data::competing::{CompetingData, CompetingSpec};
use survcalc::data::prepare::TimeSpec;
use survcalc::data::{read_table, ReadOptions};

/// A JSON array of numbers (R writes a length-1 vector as a bare number).
fn numbers(v: &Value) -> Vec<Option<f64>> {
    match v {
        Value::Array(a) => a.iter().map(num).collect(),
        Value::Null => vec![],
        other => vec![num(other)],
    }
}

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        other => vec![other.as_str().unwrap().to_string()],
    }
}

/// Runs survcalc's core on a fixture case's CSV with its options.
fn run(case: &Value) -> CumulativeIncidence {
    let bytes = std::fs::read(data_path(case["data"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = CompetingSpec {
        time: TimeSpec::Column(case["time"].as_str().unwrap().into()),
        event: case["event"].as_str().unwrap().into(),
        event_values: texts(&case["event_values"]),
        competing_values: texts(&case["competing_values"]),
    };
    let data = CompetingData::from_table(&table, &spec, case["group"].as_str()).unwrap();
    let at = case["groups"][0]["at"]["time"].clone();
    let options = CifOptions {
        conf_level: case["conf_level"].as_f64().unwrap(),
        at: numbers(&at).into_iter().flatten().collect(),
        rho: case["rho"].as_f64().unwrap(),
    };
    analyse(&data, &options).unwrap()
}

fn each_case(mut check: impl FnMut(&str, &Value, &CumulativeIncidence)) {
    let fixtures = fixture("cif_fixtures.json");
    let cases = fixtures["cuminc"].as_array().unwrap();
    assert!(cases.len() >= 11);
    for case in cases {
        check(case["id"].as_str().unwrap(), case, &run(case));
    }
}

#[test]
fn groups_and_counts_match() {
    each_case(|id, case, result| {
        let expected = case["groups"].as_array().unwrap();
        assert_eq!(result.groups.len(), expected.len(), "{id}");
        for (g, e) in result.groups.iter().zip(expected) {
            assert_eq!(g.name, e["name"].as_str().unwrap(), "{id}");
            assert_eq!(g.n, e["n"].as_u64().unwrap(), "{id} {}", g.name);
            assert_eq!(g.events, e["events"].as_u64().unwrap(), "{id} {}", g.name);
            assert_eq!(
                g.competing_events,
                e["competing_events"].as_u64().unwrap(),
                "{id} {}",
                g.name
            );
        }
    });
}

#[test]
fn every_step_matches_cuminc_est_and_var() {
    each_case(|id, case, result| {
        for (g, e) in result.groups.iter().zip(case["groups"].as_array().unwrap()) {
            let steps = &e["steps"];
            let time = numbers(&steps["time"]);
            assert_eq!(
                g.steps.len(),
                time.len(),
                "{id} {}: one step per observed time",
                g.name
            );
            let (cif, var) = (numbers(&steps["cif"]), numbers(&steps["var"]));
            let (lower, upper) = (numbers(&steps["lower"]), numbers(&steps["upper"]));
            for (j, s) in g.steps.iter().enumerate() {
                let what = format!("{id} {} at {}", g.name, s.time);
                assert_eq!(Some(s.time), time[j], "{what}");
                assert_close(&format!("{what} cif"), s.cif, cif[j].unwrap());
                assert_close_opt(&format!("{what} se"), s.se, var[j].map(f64::sqrt));
                assert_close_opt(&format!("{what} lower"), s.lower, lower[j]);
                assert_close_opt(&format!("{what} upper"), s.upper, upper[j]);
            }
        }
    });
}

/// cuminc's own output lists each jump twice (before and after, at the same time); the value
/// after each jump is ours at that time, and our curve jumps nowhere else.
#[test]
fn jumps_are_cumincs_own_points() {
    each_case(|id, case, result| {
        for (g, e) in result.groups.iter().zip(case["groups"].as_array().unwrap()) {
            let raw = &e["cuminc"];
            let (time, est, var) = (
                numbers(&raw["time"]),
                numbers(&raw["est"]),
                numbers(&raw["var"]),
            );
            let jumps: Vec<usize> = (2..time.len() - 1).step_by(2).collect();
            for &m in &jumps {
                let t = time[m].unwrap();
                let s = g.steps.iter().find(|s| s.time == t).unwrap();
                assert!(s.n_event > 0, "{id} {} at {t}", g.name);
                assert_close(
                    &format!("{id} {} est at {t}", g.name),
                    s.cif,
                    est[m].unwrap(),
                );
                assert_close(
                    &format!("{id} {} var at {t}", g.name),
                    s.se.unwrap().powi(2),
                    var[m].unwrap(),
                );
            }
            let with_events = g.steps.iter().filter(|s| s.n_event > 0).count();
            assert_eq!(with_events, jumps.len(), "{id} {}", g.name);
        }
    });
}

#[test]
fn incidence_at_chosen_times_matches_timepoints() {
    let mut checked = 0;
    each_case(|id, case, result| {
        for (g, e) in result.groups.iter().zip(case["groups"].as_array().unwrap()) {
            let Some(at) = e.get("at") else { continue };
            let (time, cif, var) = (
                numbers(&at["time"]),
                numbers(&at["cif"]),
                numbers(&at["var"]),
            );
            let (lower, upper) = (numbers(&at["lower"]), numbers(&at["upper"]));
            assert_eq!(g.at.len(), time.len(), "{id}");
            for (j, a) in g.at.iter().enumerate() {
                let what = format!("{id} {} at {}", g.name, a.time);
                assert_close_opt(&format!("{what} cif"), a.cif, cif[j]);
                assert_close_opt(&format!("{what} se"), a.se, var[j].map(f64::sqrt));
                assert_close_opt(&format!("{what} lower"), a.lower, lower[j]);
                assert_close_opt(&format!("{what} upper"), a.upper, upper[j]);
            }
            checked += 1;
        }
    });
    assert!(checked > 0);
}

#[test]
fn gray_test_matches_cuminc_tests() {
    each_case(|id, case, result| {
        let expected = &case["gray_test"];
        match &result.gray_test {
            None => assert!(expected.is_null(), "{id}: survcalc has no Gray test"),
            Some(t) => {
                assert_close_opt(&format!("{id} chisq"), t.chisq, num(&expected["chisq"]));
                assert_eq!(t.df as u64, expected["df"].as_u64().unwrap(), "{id}");
                assert_close_opt(&format!("{id} p"), t.p, num(&expected["p"]));
            }
        }
    });
}
