//! Golden tests: `survcalc cox` against R survival 3.5.3's coxph, concordance and cox.zph.
//!
//! Every expected number comes from tests/data/cox_fixtures.json, written by tests/data/cox.R
//! (each case records its R call in `r_call`) on the CSVs that script wrote.

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;

fn run(case: &Value) -> Value {
    let csv = data_path(case["csv"].as_str().unwrap());
    let mut args = vec![
        "cox".to_string(),
        csv.display().to_string(),
        "--json".into(),
    ];
    args.extend(
        case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn cases() -> Vec<Value> {
    fixture("cox_fixtures.json")["cases"]
        .as_array()
        .unwrap()
        .clone()
}

fn term<'a>(fit: &'a Value, name: &str) -> &'a Value {
    fit["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no term {name} in {}", fit["terms"]))
}

fn check_test(what: &str, got: &Value, want: &Value) {
    assert_eq!(got["df"], want["df"], "{what} df");
    assert_close(
        &format!("{what} chisq"),
        num(&got["chisq"]).unwrap(),
        num(&want["chisq"]).unwrap(),
    );
    assert_close(
        &format!("{what} p"),
        num(&got["p"]).unwrap(),
        num(&want["p"]).unwrap(),
    );
}

#[test]
fn fits_match_coxph() {
    for case in cases() {
        check_fit(&run(&case), &case);
    }
}

/// A fit (`cox --json`) against its case: n, events, terms, likelihoods, tests, concordance.
fn check_fit(fit: &Value, case: &Value) {
    {
        let id = case["id"].as_str().unwrap();
        assert_eq!(fit["n"], case["n"], "{id} n");
        assert_eq!(fit["events"], case["events"], "{id} events");
        assert_eq!(
            fit["terms"].as_array().unwrap().len(),
            case["terms"].as_array().unwrap().len(),
            "{id} number of terms"
        );
        for want in case["terms"].as_array().unwrap() {
            let name = want["name"].as_str().unwrap();
            let got = term(fit, name);
            if want.get("coef").is_none() {
                assert_eq!(got["infinite"], true, "{id} {name} infinite");
                continue;
            }
            assert_eq!(got["infinite"], false, "{id} {name} finite");
            for key in ["coef", "se", "hr", "hr_lower", "hr_upper", "z", "p"] {
                assert_close_opt(
                    &format!("{id} {name} {key}"),
                    num(&got[key]),
                    num(&want[key]),
                );
            }
        }
        for k in 0..2 {
            assert_close(
                &format!("{id} loglik[{k}]"),
                num(&fit["loglik"][k]).unwrap(),
                num(&case["loglik"][k]).unwrap(),
            );
        }
        check_test(&format!("{id} lr"), &fit["lr_test"], &case["lr_test"]);
        check_test(
            &format!("{id} score"),
            &fit["score_test"],
            &case["score_test"],
        );
        if case["infinite"] == false {
            let wald_reference = match case["wald_same_as"].as_str() {
                Some(other) => {
                    cases().into_iter().find(|c| c["id"] == other).unwrap()["wald_test"].clone()
                }
                None => case["wald_test"].clone(),
            };
            check_test(&format!("{id} wald"), &fit["wald_test"], &wald_reference);
            assert_close(
                &format!("{id} concordance"),
                num(&fit["concordance"]).unwrap(),
                num(&case["concordance"]).unwrap(),
            );
            let (got, want) = (&fit["concordance_counts"], &case["concordance_counts"]);
            for (g, w) in [
                ("concordant", "concordant"),
                ("discordant", "discordant"),
                ("tied_x", "tied.x"),
                ("tied_y", "tied.y"),
                ("tied_xy", "tied.xy"),
            ] {
                assert_eq!(num(&got[g]), num(&want[w]), "{id} concordance count {g}");
            }
        } else {
            assert!(
                fit["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|w| w.as_str().unwrap().contains("Monotone likelihood")),
                "{id}: warning"
            );
        }
    }
}

/// Each covariate's Wald test (R from the definition, b' V^-1 b over its non-NA terms) and
/// likelihood-ratio test (R's `drop1(fit, test = "Chisq")` on the model's complete rows),
/// case by case; the R calls are in each case's `covariate_tests.r_call`.
#[test]
fn covariate_tests_match_drop1() {
    let mut checked = 0;
    for case in cases() {
        checked += check_covariate_tests(&run(&case), &case);
    }
    assert!(checked >= 40, "only {checked} covariate tests");
}

/// A fit's `covariate_tests` against its case's; gives how many were compared.
fn check_covariate_tests(fit: &Value, case: &Value) -> usize {
    let id = case["id"].as_str().unwrap();
    let got = fit["covariate_tests"].as_array().unwrap();
    let want = case["covariate_tests"]["tests"].as_array().unwrap();
    assert_eq!(got.len(), want.len(), "{id}: one test per covariate");
    for (g, w) in got.iter().zip(want) {
        let what = format!("{id} {}", w["covariate"]);
        assert_eq!(g["covariate"], w["covariate"], "{what} covariate");
        assert_eq!(g["df"], w["df"], "{what} df");
        assert_eq!(g["lr_df"], w["lr_df"], "{what} lr_df");
        for key in ["wald_chisq", "wald_p", "lr_chisq", "lr_p"] {
            assert_close_opt(&format!("{what} {key}"), num(&g[key]), num(&w[key]));
        }
    }
    got.len()
}

/// The core's fit of a `per_unit` case: the covariates it names (categorical as it says), each
/// hazard ratio per the unit given, and each covariate alone too.
fn fit_per_unit(case: &Value) -> survcalc::error::Result<survcalc::cox::CoxFit> {
    use survcalc::cox::{cox, CovariateKind, CovariateSpec, CoxSpec};
    use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
    use survcalc::data::{read_table, ReadOptions};
    use survcalc::options::Ties;
    let names = |key: &str| -> Vec<String> {
        case[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let categorical = names("categorical");
    let bytes = std::fs::read(data_path(case["csv"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: vec![],
        },
        covariates: names("covariates")
            .into_iter()
            .map(|column| CovariateSpec {
                kind: if categorical.contains(&column) {
                    CovariateKind::Categorical { reference: None }
                } else {
                    CovariateKind::Numeric
                },
                column,
            })
            .collect(),
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: true,
        zph: None,
        firth: false,
        per: case["per"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(c, u)| (c.clone(), num(u).unwrap()))
            .collect(),
    };
    cox(&table, &spec)
}

/// Hazard ratios per chosen units (age per 10 years) equal coxph on the column divided by the
/// unit, `I(age / 10)` (tests/data/cox.R's `per_unit` cases, R calls in `r_call`): terms,
/// likelihoods, tests and concordance; each scaled term says its unit. The univariable row of
/// age per 10 years is R's `uni_lung_age` (coxph on age alone) with its coefficient and SE
/// times 10 and its P unchanged.
#[test]
fn hazard_ratios_per_chosen_units_match_coxph_on_the_scaled_column() {
    let fixtures = fixture("cox_fixtures.json");
    let uni_age = &fixtures["univariate"][1]["models"][0];
    assert_eq!(uni_age["id"], "uni_lung_age");
    for case in fixtures["per_unit"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let fit = fit_per_unit(case).unwrap();
        let json = serde_json::to_value(&fit).unwrap();
        check_fit(&json, case);
        check_covariate_tests(&json, case);
        for t in &fit.terms {
            let want = case["per"].get(&t.variable).and_then(num);
            let want = want.filter(|_| t.level.is_none());
            assert_eq!(t.per, want, "{id} {}: the unit is stated", t.name);
        }
        let Some(unit) = num(&case["per"]["age"]) else {
            continue;
        };
        let models = fit.univariate.as_ref().unwrap();
        let age = &models.iter().find(|m| m.variable == "age").unwrap().rows[0];
        assert_eq!(
            age.per,
            Some(unit),
            "{id}: the univariable row states the unit"
        );
        let want = &uni_age["terms"][0];
        let what = format!("{id} univariable age per {unit}");
        assert_close(
            &format!("{what} coef"),
            age.coef.unwrap(),
            unit * num(&want["coef"]).unwrap(),
        );
        assert_close(
            &format!("{what} se"),
            age.se.unwrap(),
            unit * num(&want["se"]).unwrap(),
        );
        assert_close(
            &format!("{what} p"),
            age.p.unwrap(),
            num(&want["p"]).unwrap(),
        );
    }
}

/// A unit for a categorical covariate, for a column not in the model, or not a positive
/// number is refused, naming the column.
#[test]
fn a_unit_that_does_not_apply_is_refused_naming_the_column() {
    let fixtures = fixture("cox_fixtures.json");
    let case = &fixtures["per_unit"][1];
    for (column, unit, says) in [
        ("ph.ecog", 10.0, "'ph.ecog' is categorical"),
        ("sex", 10.0, "'sex', which is not a covariate"),
        ("age", 0.0, "must be a positive number, not 0"),
        ("age", -10.0, "must be a positive number, not -10"),
    ] {
        let mut case = case.clone();
        case["per"] = serde_json::json!({ column: unit });
        let error = fit_per_unit(&case).unwrap_err();
        assert!(
            error.message.contains(says),
            "{column} per {unit}: {error:?}"
        );
        assert_eq!(error.column.as_deref(), Some(column), "{error:?}");
    }
}

#[test]
fn proportional_hazards_tests_match_cox_zph() {
    let mut checked = 0;
    for case in cases() {
        let id = case["id"].as_str().unwrap();
        let Some(zphs) = case["zph"].as_array() else {
            continue;
        };
        for want in zphs {
            let transform = want["transform"].as_str().unwrap();
            let mut with_zph = case.clone();
            let args = with_zph["args"].as_array_mut().unwrap();
            args.push("--zph".into());
            args.push(transform.into());
            let got = &run(&with_zph)["zph"];
            let what = format!("{id} zph {transform}");
            assert_eq!(got["transform"], transform, "{what}");
            let terms = want["terms"].as_array().unwrap();
            assert_eq!(
                got["terms"].as_array().unwrap().len(),
                terms.len(),
                "{what} terms"
            );
            let by_name = |key: &str, name: &Value| {
                got[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["term"] == *name)
                    .cloned()
                    .unwrap_or_else(|| panic!("{what}: no {key} for {name}"))
            };
            for w in terms {
                check_test(
                    &format!("{what} {}", w["term"]),
                    &by_name("terms", &w["term"]),
                    w,
                );
            }
            check_test(&format!("{what} global"), &got["global"], &want["global"]);
            for key in ["x", "time"] {
                let (g, w) = (got[key].as_array().unwrap(), want[key].as_array().unwrap());
                assert_eq!(g.len(), w.len(), "{what} {key} length");
                for (k, (g, w)) in g.iter().zip(w).enumerate() {
                    assert_close(
                        &format!("{what} {key}[{k}]"),
                        num(g).unwrap(),
                        num(w).unwrap(),
                    );
                }
            }
            let cols = want["y"].as_array().unwrap();
            assert_eq!(
                got["residuals"].as_array().unwrap().len(),
                cols.len(),
                "{what} residual columns"
            );
            for (w_term, w) in terms.iter().zip(cols) {
                let g = by_name("residuals", &w_term["term"]);
                for (k, (gv, wv)) in g["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(w.as_array().unwrap())
                    .enumerate()
                {
                    assert_close_opt(
                        &format!("{what} {} residual {k}", w_term["term"]),
                        num(gv),
                        num(wv),
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} cox.zph fixtures");
}

#[test]
fn univariable_table_matches_one_coxph_per_covariate() {
    for table in fixture("cox_fixtures.json")["univariate"]
        .as_array()
        .unwrap()
    {
        let got = run(table);
        let models = got["univariate"].as_array().unwrap();
        let want_models = table["models"].as_array().unwrap();
        assert_eq!(models.len(), want_models.len());
        for want in want_models {
            let id = want["id"].as_str().unwrap();
            let first = want["terms"][0]["name"].as_str().unwrap();
            let variable = first.split('=').next().unwrap();
            let model = models.iter().find(|m| m["variable"] == variable).unwrap();
            assert_eq!(model["n"], want["n"], "{id} n");
            assert_eq!(model["events"], want["events"], "{id} events");
            check_test(
                &format!("{id} overall lr"),
                &model["lr_test"],
                &want["lr_test"],
            );
            check_test(
                &format!("{id} overall wald"),
                &model["wald_test"],
                &want["wald_test"],
            );
            let rows = model["rows"].as_array().unwrap();
            let is_factor = first.contains('=');
            assert_eq!(
                rows.len(),
                want["terms"].as_array().unwrap().len() + usize::from(is_factor),
                "{id} rows"
            );
            if is_factor {
                assert_eq!(
                    rows[0]["reference"], true,
                    "{id}: the reference level comes first"
                );
                assert_eq!(
                    rows[0]["hr"], 1.0,
                    "{id}: the reference's HR is 1 by definition"
                );
            }
            for w in want["terms"].as_array().unwrap() {
                let g = rows.iter().find(|r| r["name"] == w["name"]).unwrap();
                for key in ["coef", "se", "hr", "hr_lower", "hr_upper", "p"] {
                    assert_close_opt(
                        &format!("{id} {} {key}", w["name"]),
                        num(&g[key]),
                        num(&w[key]),
                    );
                }
            }
        }
    }
}

/// Firth's penalised Cox against the PyPI package firthmodels (which reproduces R's coxphf),
/// and, with strata (which neither fits), against the penalised likelihood computed from its
/// definition and maximised numerically; fixtures from tests/data/cox_firth.py, each case
/// recording its `python_call`.
#[test]
fn firth_matches_firthmodels() {
    for case in fixture("cox_firth_fixtures.json")["cases"]
        .as_array()
        .unwrap()
    {
        let id = case["id"].as_str().unwrap();
        assert_eq!(case["converged"], true, "{id}: the reference fit converged");
        let firth = &run(case)["firth"];
        assert_eq!(firth["converged"], true, "{id}");
        assert_eq!(firth["ties"], "breslow", "{id}");
        for k in 0..2 {
            assert_close(
                &format!("{id} penalised loglik[{k}]"),
                num(&firth["loglik"][k]).unwrap(),
                num(&case["loglik"][k]).unwrap(),
            );
        }
        for want in case["terms"].as_array().unwrap() {
            let name = want["name"].as_str().unwrap();
            let got = firth["terms"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["name"] == name)
                .unwrap();
            // The stratified case, computed from the definition, has no `se`.
            for key in ["coef", "se", "hr_lower", "hr_upper", "p"]
                .into_iter()
                .filter(|key| !want[*key].is_null())
            {
                assert_close(
                    &format!("{id} {name} {key}"),
                    num(&got[key]).unwrap(),
                    num(&want[key]).unwrap(),
                );
            }
        }
    }
}
