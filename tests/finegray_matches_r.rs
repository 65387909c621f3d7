//! Fine-Gray regression against R's cmprsk 2.2 `crr` (fixtures written by tests/data/cif.R,
//! each case with its r_call): coefficients, robust standard errors, limits, Wald P,
//! log pseudo-likelihoods and convergence.

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;
use survcalc::data::event::{Cause, CauseCoding};
use survcalc::data::values::NumberCell;
use survcalc::data::{read_table, ReadOptions};
use survcalc::finegray::{fit_matrix, FineGray, TermName};

fn numbers(v: &Value) -> Vec<Option<f64>> {
    match v {
        Value::Array(a) => a.iter().map(num).collect(),
        other => vec![num(other)],
    }
}

fn texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(|s| s.as_str().unwrap().to_string()).collect(),
        other => vec![other.as_str().unwrap().to_string()],
    }
}

/// Complete rows of the case's columns, with numeric covariates as they are and each
/// categorical one coded against its reference (levels sorted as the fixture sorts them).
fn run(case: &Value) -> FineGray {
    let bytes = std::fs::read(data_path(case["data"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let col = |name: &str| table.column_index(name).unwrap();
    let (tc, ec) = (
        col(case["time"].as_str().unwrap()),
        col(case["event"].as_str().unwrap()),
    );
    let numeric = texts(&case["numeric"]);
    let categorical: Vec<(String, String)> = case["categorical"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let coding = CauseCoding::new(
        "event",
        &texts(&case["event_values"]),
        &texts(&case["competing_values"]),
    )
    .unwrap();
    let mut used: Vec<usize> = vec![tc, ec];
    used.extend(numeric.iter().map(|c| col(c)));
    used.extend(categorical.iter().map(|(c, _)| col(c)));
    let rows: Vec<usize> = (0..table.n_rows())
        .filter(|&r| used.iter().all(|&c| !table.is_missing(c, r)))
        .collect();
    let value = |c: usize, r: usize| match table.number(c, r) {
        NumberCell::Value(v) => v,
        _ => panic!("row {r}"),
    };
    let mut terms: Vec<TermName> = numeric.iter().map(|c| TermName::numeric(c)).collect();
    let mut columns: Vec<Vec<f64>> = numeric
        .iter()
        .map(|c| rows.iter().map(|&r| value(col(c), r)).collect())
        .collect();
    for name in texts(&case["terms"]["name"]).iter().skip(numeric.len()) {
        let (variable, level) = name.split_once('=').unwrap();
        let reference = &categorical.iter().find(|(c, _)| c == variable).unwrap().1;
        columns.push(
            rows.iter()
                .map(|&r| f64::from(u8::from(table.cell(col(variable), r) == level)))
                .collect(),
        );
        terms.push(TermName {
            name: name.clone(),
            variable: variable.into(),
            level: Some(level.into()),
            reference: Some(reference.clone()),
        });
    }
    let time: Vec<f64> = rows.iter().map(|&r| value(tc, r)).collect();
    let cause: Vec<Cause> = rows
        .iter()
        .map(|&r| coding.cause(table.cell(ec, r)))
        .collect();
    let x: Vec<f64> = (0..rows.len())
        .flat_map(|i| columns.iter().map(move |c| c[i]))
        .collect();
    fit_matrix(
        &time,
        &cause,
        &x,
        &terms,
        case["conf_level"].as_f64().unwrap(),
    )
    .unwrap()
}

fn each_case(check: impl Fn(&str, &Value, &FineGray)) {
    let fixtures = fixture("cif_fixtures.json");
    let cases = fixtures["crr"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        check(case["id"].as_str().unwrap(), case, &run(case));
    }
}

#[test]
fn counts_and_convergence_match() {
    each_case(|id, case, fit| {
        assert_eq!(fit.n as u64, case["n"].as_u64().unwrap(), "{id}");
        assert_eq!(fit.events as u64, case["events"].as_u64().unwrap(), "{id}");
        assert_eq!(
            fit.competing_events as u64,
            case["competing_events"].as_u64().unwrap(),
            "{id}"
        );
        assert_eq!(fit.converged, case["converged"].as_bool().unwrap(), "{id}");
        assert_close(
            &format!("{id} loglik"),
            fit.loglik[1],
            case["loglik"].as_f64().unwrap(),
        );
        assert_close(
            &format!("{id} null loglik"),
            fit.loglik[0],
            case["loglik_null"].as_f64().unwrap(),
        );
    });
}

#[test]
fn terms_match_crr() {
    each_case(|id, case, fit| {
        let t = &case["terms"];
        let names = texts(&t["name"]);
        assert_eq!(fit.terms.len(), names.len(), "{id}");
        for (j, term) in fit.terms.iter().enumerate() {
            let what = format!("{id} {}", term.name);
            assert_eq!(term.name, names[j], "{id}");
            for (key, value) in [
                ("coef", term.coef),
                ("se", term.se),
                ("hr", term.hr),
                ("hr_lower", term.hr_lower),
                ("hr_upper", term.hr_upper),
                ("z", term.z),
                ("p", term.p),
            ] {
                assert_close_opt(&format!("{what} {key}"), value, numbers(&t[key])[j]);
            }
        }
    });
}
