//! Linear and logistic regression against R's lm and glm (tests/data/regression.R), Firth's
//! logistic regression and separation against firthmodels (tests/data/regression_firth.py).

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num, R_ABS, R_REL};
use serde_json::Value;
use survcalc::data::design::{covariate_specs, CovariateFlag};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::options::Family;
use survcalc::regression::{regression, RegressionFit, RegressionSpec};

fn table(csv: &str) -> Table {
    let bytes = std::fs::read(data_path(csv)).expect("fixture CSV");
    read_table(&bytes, Some(csv), &ReadOptions::default()).expect("readable")
}

/// The fit survcalc gives for a fixture case's `args` (the command line's flags).
fn fit(case: &Value) -> RegressionFit {
    let t = table(case["csv"].as_str().unwrap());
    let args: Vec<&str> = case["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let mut flags = Vec::new();
    let mut spec = RegressionSpec {
        outcome: String::new(),
        family: Family::Linear,
        event_values: vec![],
        covariates: vec![],
        conf_level: 0.95,
        firth: false,
        residuals: true,
    };
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).copied().unwrap_or_default().to_string();
        match args[i] {
            "--outcome" => spec.outcome = value,
            "--family" => spec.family = value.parse().unwrap(),
            "--covariate" => flags.push(CovariateFlag::Covariate(value)),
            "--categorical" => flags.push(CovariateFlag::Categorical(value)),
            "--conf-level" => spec.conf_level = value.parse().unwrap(),
            "--firth" => {
                spec.firth = true;
                i += 1;
                continue;
            }
            other => panic!("flag {other} not handled"),
        }
        i += 2;
    }
    spec.covariates = covariate_specs(&flags, t.headers());
    regression(&t, &spec).expect("the fit runs")
}

fn cases(family: &str) -> Vec<Value> {
    let f = fixture("regression_fixtures.json");
    f["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["family"] == family)
        .cloned()
        .collect()
}

fn excluded_rows(case: &Value) -> Vec<usize> {
    case["excluded_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_u64().unwrap() as usize)
        .collect()
}

/// The terms' estimates, standard errors, statistics, P and limits; aliased terms null.
fn check_terms(id: &str, terms: &[survcalc::regression::Term], expected: &Value) {
    let expected = expected.as_array().unwrap();
    assert_eq!(terms.len(), expected.len(), "{id}: number of terms");
    for (t, e) in terms.iter().zip(expected) {
        let what = |k: &str| format!("{id} {} {k}", t.name);
        assert_eq!(t.name, e["name"].as_str().unwrap(), "{id}: term order");
        assert_eq!(
            t.aliased,
            e["aliased"].as_bool().unwrap(),
            "{}",
            what("aliased")
        );
        if t.aliased {
            assert_eq!(t.estimate, None, "{}", what("estimate"));
            continue;
        }
        assert_close_opt(&what("estimate"), t.estimate, num(&e["estimate"]));
        assert_close_opt(&what("se"), t.se, num(&e["se"]));
        assert_close_opt(&what("statistic"), t.statistic, num(&e["statistic"]));
        assert_close_opt(&what("p"), t.p, num(&e["p"]));
        assert_close_opt(&what("lower"), t.lower, num(&e["lower"]));
        assert_close_opt(&what("upper"), t.upper, num(&e["upper"]));
    }
}

#[test]
fn linear_models_match_lm() {
    let all = cases("linear");
    assert!(all.len() >= 5);
    for case in &all {
        let id = case["id"].as_str().unwrap();
        let RegressionFit::Linear(fit) = fit(case) else {
            panic!("{id}: not linear")
        };
        assert_eq!(fit.n, case["n"].as_u64().unwrap() as usize, "{id}: n");
        let rows: Vec<usize> = fit.excluded.iter().map(|e| e.row).collect();
        assert_eq!(rows, excluded_rows(case), "{id}: excluded rows");
        check_terms(id, &fit.terms, &case["terms"]);
        assert_close_opt(&format!("{id} r2"), fit.r_squared, num(&case["r_squared"]));
        assert_close_opt(
            &format!("{id} adj r2"),
            fit.adj_r_squared,
            num(&case["adj_r_squared"]),
        );
        assert_close_opt(&format!("{id} sigma"), fit.sigma, num(&case["sigma"]));
        assert_eq!(
            fit.df_residual as u64,
            case["df_residual"].as_u64().unwrap()
        );
        let f = fit.f_test.as_ref().expect("F test");
        let ef = &case["f_test"];
        assert_close(
            &format!("{id} F"),
            f.statistic,
            num(&ef["statistic"]).unwrap(),
        );
        assert_eq!(f.df1 as u64, ef["df1"].as_u64().unwrap());
        assert_eq!(f.df2 as u64, ef["df2"].as_u64().unwrap());
        assert_close(&format!("{id} F p"), f.p, num(&ef["p"]).unwrap());
        // Fitted values and residuals, as R's fitted() and residuals(), row by row.
        let res = fit.residuals.as_ref().expect("asked for");
        let fitted = case["fitted"].as_array().unwrap();
        let residuals = case["residuals"].as_array().unwrap();
        assert_eq!(res.len(), fitted.len());
        for (k, r) in res.iter().enumerate() {
            assert_close(
                &format!("{id} fitted {k}"),
                r.fitted,
                num(&fitted[k]).unwrap(),
            );
            // A residual is a difference of nearly equal numbers: compare on the outcome's scale.
            let tol = R_ABS.max(R_REL * r.fitted.abs());
            let e = num(&residuals[k]).unwrap();
            assert!(
                (r.residual - e).abs() <= tol,
                "{id} residual {k}: {} vs {e}",
                r.residual
            );
        }
        let aliased = fit.terms.iter().any(|t| t.aliased);
        assert_eq!(
            fit.warnings.iter().any(|w| w.contains("collinear")),
            aliased,
            "{id}: {:?}",
            fit.warnings
        );
    }
}

/// The separation fixture's answer for a case: term name -> direction (0 finite).
fn separation_of(id: &str) -> Option<Value> {
    let f = fixture("regression_firth_fixtures.json");
    f["separation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["infinite"].clone())
}

#[test]
fn logistic_models_match_glm() {
    let all = cases("logistic");
    assert!(all.len() >= 6);
    for case in &all {
        let id = case["id"].as_str().unwrap();
        let RegressionFit::Logistic(fit) = fit(case) else {
            panic!("{id}: not logistic")
        };
        assert_eq!(fit.n, case["n"].as_u64().unwrap() as usize, "{id}: n");
        assert_eq!(
            fit.events,
            case["events"].as_u64().unwrap() as usize,
            "{id}: events"
        );
        let rows: Vec<usize> = fit.excluded.iter().map(|e| e.row).collect();
        assert_eq!(rows, excluded_rows(case), "{id}: excluded rows");
        assert_eq!(
            fit.iterations as u64,
            case["iterations"].as_u64().unwrap(),
            "{id}: glm's iterations"
        );
        assert_eq!(
            fit.converged,
            case["converged"].as_bool().unwrap(),
            "{id}: converged"
        );
        // Which terms are infinite: the linear program of detectseparation (firthmodels).
        let infinite = separation_of(id);
        let expected = case["terms"].as_array().unwrap();
        for (t, e) in fit.terms.iter().zip(expected) {
            let direction = infinite
                .as_ref()
                .map_or(0, |m| m[&t.term.name].as_i64().unwrap());
            assert_eq!(t.infinite, direction != 0, "{id} {}: infinite", t.term.name);
            if t.infinite {
                assert_eq!(t.term.estimate, None);
                assert_eq!(t.odds_ratio, None);
                continue;
            }
            let what = |k: &str| format!("{id} {} {k}", t.term.name);
            assert_eq!(t.term.name, e["name"].as_str().unwrap());
            if t.term.aliased {
                assert_eq!(e["aliased"], true, "{}", what("aliased"));
                continue;
            }
            assert_close_opt(&what("estimate"), t.term.estimate, num(&e["estimate"]));
            assert_close_opt(&what("se"), t.term.se, num(&e["se"]));
            assert_close_opt(&what("z"), t.term.statistic, num(&e["statistic"]));
            assert_close_opt(&what("p"), t.term.p, num(&e["p"]));
            assert_close_opt(&what("lower"), t.term.lower, num(&e["lower"]));
            assert_close_opt(&what("upper"), t.term.upper, num(&e["upper"]));
            assert_close_opt(&what("OR"), t.odds_ratio, num(&e["odds_ratio"]));
            assert_close_opt(&what("OR lower"), t.or_lower, num(&e["or_lower"]));
            assert_close_opt(&what("OR upper"), t.or_upper, num(&e["or_upper"]));
        }
        assert_eq!(fit.separation, fit.terms.iter().any(|t| t.infinite));
        assert_eq!(
            fit.warnings.iter().any(|w| w.starts_with("Separation")),
            fit.separation,
            "{id}: {:?}",
            fit.warnings
        );
        assert_close(
            &format!("{id} null deviance"),
            fit.null_deviance,
            num(&case["null_deviance"]).unwrap(),
        );
        assert_close(
            &format!("{id} deviance"),
            fit.deviance,
            num(&case["deviance"]).unwrap(),
        );
        assert_close(&format!("{id} aic"), fit.aic, num(&case["aic"]).unwrap());
        let lr = &case["lr_test"];
        assert_close_opt(&format!("{id} LR"), fit.lr_test.chisq, num(&lr["chisq"]));
        assert_eq!(fit.lr_test.df as u64, lr["df"].as_u64().unwrap());
        assert_close_opt(&format!("{id} LR p"), fit.lr_test.p, num(&lr["p"]));
        assert_eq!(
            fit.df_residual as u64,
            case["df_residual"].as_u64().unwrap()
        );
    }
}

/// firthmodels stops once its steps fall below 1e-7 (its Newton matrix only approximates
/// the Hessian, so convergence is linear and stalls near 1e-8): its estimates and limits are
/// within about 1e-7 of the maximum, so they are compared to 1e-6 relative with a 1e-6 floor.
const FIRTH_ABS: f64 = 1e-6;

fn firth_close(what: &str, actual: Option<f64>, expected: Option<f64>) {
    match (actual, expected) {
        (Some(a), Some(e)) => assert!(
            (a - e).abs() <= FIRTH_ABS.max(R_REL * e.abs()),
            "{what}: survcalc {a:e}, firthmodels {e:e}"
        ),
        (_, None) => {}
        _ => panic!("{what}: survcalc {actual:?}, firthmodels {expected:?}"),
    }
}

#[test]
fn firth_logistic_matches_firthmodels() {
    let f = fixture("regression_firth_fixtures.json");
    let all = f["firth"].as_array().unwrap();
    assert!(all.len() >= 4);
    let mut p_compared = 0;
    for case in all {
        let id = case["id"].as_str().unwrap();
        let RegressionFit::Logistic(fit) = fit(case) else {
            panic!("{id}: not logistic")
        };
        let firth = fit.firth.as_ref().expect("asked for Firth");
        assert!(firth.converged, "{id}");
        firth_close(
            &format!("{id} loglik"),
            Some(firth.loglik[1]),
            num(&case["loglik"][1]),
        );
        firth_close(
            &format!("{id} null loglik"),
            Some(firth.loglik[0]),
            num(&case["loglik"][0]),
        );
        for (t, e) in firth.terms.iter().zip(case["terms"].as_array().unwrap()) {
            let what = |k: &str| format!("{id} {} {k}", t.name);
            assert_eq!(t.name, e["name"].as_str().unwrap());
            firth_close(&what("estimate"), t.estimate, num(&e["estimate"]));
            firth_close(&what("se"), t.se, num(&e["se"]));
            firth_close(&what("lower"), t.lower, num(&e["lower"]));
            firth_close(&what("upper"), t.upper, num(&e["upper"]));
            firth_close(&what("p"), t.p, num(&e["p"]));
            p_compared += usize::from(num(&e["p"]).is_some());
        }
    }
    assert!(
        p_compared >= 15,
        "only {p_compared} penalised LR P compared"
    );
}
