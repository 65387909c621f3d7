//! Fine-Gray regression against R's cmprsk 2.2 `crr` (fixtures written by tests/data/cif.R,
//! each case with its r_call): coefficients, robust standard errors, limits, Wald P,
//! log pseudo-likelihoods and convergence; a hazard ratio per 10 years of age as crr on I(age / 10).

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;
use survcalc::data::competing::CompetingSpec;
use survcalc::data::design::{CovariateKind, CovariateSpec};
use survcalc::data::prepare::TimeSpec;
use survcalc::data::{read_table, ReadOptions};
use survcalc::finegray::{finegray, FineGray, FineGraySpec};

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

/// Runs `finegray` on the case's CSV: numeric covariates as they are, categorical ones with
/// the fixture's reference level. Also the number of data rows in the file.
fn run(case: &Value) -> (FineGray, usize) {
    let bytes = std::fs::read(data_path(case["data"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let mut covariates: Vec<CovariateSpec> = texts(&case["numeric"])
        .into_iter()
        .map(|column| CovariateSpec {
            column,
            kind: CovariateKind::Numeric,
        })
        .collect();
    if let Some(categorical) = case["categorical"].as_object() {
        covariates.extend(categorical.iter().map(|(column, reference)| CovariateSpec {
            column: column.clone(),
            kind: CovariateKind::Categorical {
                reference: Some(reference.as_str().unwrap().to_string()),
            },
        }));
    }
    let spec = FineGraySpec {
        outcome: CompetingSpec {
            time: TimeSpec::Column(case["time"].as_str().unwrap().into()),
            event: case["event"].as_str().unwrap().into(),
            event_values: texts(&case["event_values"]),
            competing_values: texts(&case["competing_values"]),
        },
        covariates,
        conf_level: case["conf_level"].as_f64().unwrap(),
        // A covariate divided by its unit in R (crr on I(age / 10)) has its unit here.
        per: case["per"]
            .as_object()
            .map(|per| {
                per.iter()
                    .map(|(column, unit)| (column.clone(), unit.as_f64().unwrap()))
                    .collect()
            })
            .unwrap_or_default(),
    };
    (finegray(&table, &spec).unwrap(), table.n_rows())
}

fn each_case(check: impl Fn(&str, &Value, &FineGray, usize)) {
    let fixtures = fixture("cif_fixtures.json");
    let cases = fixtures["crr"].as_array().unwrap();
    assert!(cases.len() >= 4);
    for case in cases {
        let (fit, rows) = run(case);
        check(case["id"].as_str().unwrap(), case, &fit, rows);
    }
}

#[test]
fn counts_and_convergence_match() {
    each_case(|id, case, fit, rows| {
        assert_eq!(fit.n as u64, case["n"].as_u64().unwrap(), "{id}");
        // Rows lacking a covariate (mgus2's hemoglobin) are reported, not dropped silently.
        assert_eq!(fit.n + fit.excluded.len(), rows, "{id}");
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
    each_case(|id, case, fit, _| {
        let t = &case["terms"];
        let names = texts(&t["name"]);
        assert_eq!(fit.terms.len(), names.len(), "{id}");
        for (j, term) in fit.terms.iter().enumerate() {
            let what = format!("{id} {}", term.name);
            assert_eq!(term.name, names[j], "{id}");
            assert_eq!(
                term.per,
                case["per"].get(&term.name).and_then(Value::as_f64),
                "{what}: its unit"
            );
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
