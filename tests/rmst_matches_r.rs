//! Restricted means compared at a common tau, and SPSS's means, against R (fixtures by tests/data/rmst.R: survival 3.5.3's rmean and se, contrasts from survRM2's definitions); a chosen reference group turns the contrasts, the hazard ratio and the pairwise listing round (survdiff and coxph on the releveled factor).

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture};
use serde_json::Value;
use survcalc::analysis::{analyse, KmAnalysis, KmReport};
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::error::{ErrorKind, Hint};
use survcalc::km::KmOptions;
use survcalc::options::{Adjust, Setting};

fn run(case: &Value, tau: Option<f64>, spss_means: bool) -> KmReport {
    let bytes = std::fs::read(data_path(case["file"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    let data = SurvivalData::from_table(&table, &spec, case["group"].as_str(), None).unwrap();
    let options = KmAnalysis {
        km: KmOptions {
            conf_level: case["conf_level"].as_f64().unwrap(),
            ..KmOptions::default()
        },
        tau,
        spss_means,
        reference: case["reference"].as_str().map(str::to_string),
        pairwise: case["pairwise"]["adjust"]
            .as_str()
            .map(|a| a.parse::<Adjust>().unwrap()),
        ..KmAnalysis::default()
    };
    analyse(&data, &options).unwrap()
}

fn cases(kind: &str) -> Vec<Value> {
    let chosen: Vec<Value> = fixture("rmst_fixtures.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect();
    assert!(!chosen.is_empty());
    chosen
}

#[test]
fn differences_and_ratios_at_tau_follow_from_rs_restricted_means() {
    for case in cases("rmst_comparison") {
        let tau = case["tau"].as_f64().unwrap();
        let what = format!("{} tau {tau}", case["file"]);
        let report = run(&case, Some(tau), false);
        for (g, expected) in report.groups.iter().zip(case["rmean"].as_array().unwrap()) {
            assert_close(
                &format!("{what} rmean"),
                g.curve.rmean,
                expected.as_f64().unwrap(),
            );
        }
        for (g, expected) in report
            .groups
            .iter()
            .zip(case["rmean_se"].as_array().unwrap())
        {
            assert_close(
                &format!("{what} se"),
                g.curve.rmean_se,
                expected.as_f64().unwrap(),
            );
        }
        let rows = report.rmst_comparison.as_ref().expect("rmst_comparison");
        let expected = case["comparisons"].as_array().unwrap();
        assert_eq!(rows.len(), expected.len());
        for (row, e) in rows.iter().zip(expected) {
            assert_eq!(row.group, e["group"].as_str().unwrap());
            assert_eq!(row.reference, e["reference"].as_str().unwrap());
            let num = |key: &str| e[key].as_f64();
            let what = format!("{what} {}", row.group);
            assert_close(
                &format!("{what} difference"),
                row.difference,
                num("difference").unwrap(),
            );
            assert_close(
                &format!("{what} se"),
                row.difference_se,
                num("difference_se").unwrap(),
            );
            assert_close(
                &format!("{what} lower"),
                row.difference_lower,
                num("difference_lower").unwrap(),
            );
            assert_close(
                &format!("{what} upper"),
                row.difference_upper,
                num("difference_upper").unwrap(),
            );
            assert_close_opt(&format!("{what} p"), row.difference_p, num("difference_p"));
            assert_close_opt(&format!("{what} ratio"), row.ratio, num("ratio"));
            assert_close_opt(
                &format!("{what} ratio lower"),
                row.ratio_lower,
                num("ratio_lower"),
            );
            assert_close_opt(
                &format!("{what} ratio upper"),
                row.ratio_upper,
                num("ratio_upper"),
            );
            assert_close_opt(&format!("{what} ratio p"), row.ratio_p, num("ratio_p"));
        }
    }
}

#[test]
fn tau_past_a_groups_follow_up_is_warned_about_without_naming_a_flag() {
    let case = cases("rmst_comparison")
        .into_iter()
        .find(|c| c["tau"] == 100.0)
        .unwrap();
    let report = run(&case, Some(100.0), false);
    let warning = report
        .warnings
        .iter()
        .find(|w| w.contains("Nonmaintained"))
        .expect("a warning for the group followed to 45");
    assert!(
        warning.contains("45") && !warning.contains("--"),
        "{warning}"
    );
}

#[test]
fn spss_means_are_rs_individual_restricted_means_with_normal_limits() {
    for case in cases("spss_means") {
        let report = run(&case, None, true);
        let rows = report.spss_means.as_ref().expect("spss_means");
        let expected = case["rows"].as_array().unwrap();
        assert_eq!(rows.len(), expected.len());
        for (row, e) in rows.iter().zip(expected) {
            let what = format!("{} {}", case["file"], row.group);
            assert_eq!(row.group, e["group"].as_str().unwrap());
            for (name, actual) in [
                ("mean", row.mean),
                ("se", row.se),
                ("lower", row.lower),
                ("upper", row.upper),
                ("limit", row.limit),
            ] {
                assert_close(&format!("{what} {name}"), actual, e[name].as_f64().unwrap());
            }
            assert_eq!(
                row.limit_censored,
                e["limit_censored"].as_bool().unwrap(),
                "{what}"
            );
        }
    }
}

/// The SPSS means ignore tau (they are SPSS's, each group to its own largest time), and
/// without groups there is no "Overall" row to repeat the one curve.
#[test]
fn spss_means_ignore_tau_and_need_no_groups() {
    let case = cases("spss_means").remove(0);
    let plain = run(&case, None, true).spss_means.unwrap();
    let with_tau = run(&case, Some(20.0), true).spss_means.unwrap();
    assert_eq!(plain, with_tau);
    let mut one = case.clone();
    one["group"] = Value::Null;
    let rows = run(&one, None, true).spss_means.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].group, "all");
    assert_close("one curve", rows[0].mean, plain.last().unwrap().mean);
}

/// The two-group hazard ratio follows the chosen reference: the other group over it, as
/// survdiff's O, E and V on the releveled factor give it (and on coxph's side of 1).
#[test]
fn the_hazard_ratio_is_the_other_group_over_the_chosen_reference() {
    let cases: Vec<Value> = cases("rmst_comparison")
        .into_iter()
        .filter(|c| !c["hazard_ratio"].is_null())
        .collect();
    assert!(!cases.is_empty());
    for case in cases {
        let e = &case["hazard_ratio"];
        let report = run(&case, case["tau"].as_f64(), false);
        let hr = report
            .hazard_ratio
            .as_ref()
            .expect("two groups give a hazard ratio");
        assert_eq!(hr.group, e["group"].as_str().unwrap());
        assert_eq!(hr.reference, e["reference"].as_str().unwrap());
        for (estimate, key) in hr.estimates.iter().zip(["mantel_haenszel", "o_e"]) {
            let expected: Vec<f64> = e[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let what = format!("{} {key}", case["file"]);
            assert_close_opt(&format!("{what} hr"), estimate.hr, Some(expected[0]));
            assert_close_opt(&format!("{what} lower"), estimate.lower, Some(expected[1]));
            assert_close_opt(&format!("{what} upper"), estimate.upper, Some(expected[2]));
        }
        let cox = e["cox_hr"].as_f64().unwrap();
        assert_eq!(
            hr.estimates[0].hr.unwrap() < 1.0,
            cox < 1.0,
            "coxph's side of 1"
        );
    }
}

/// The pairwise tests are listed with the reference's pairs first, each pair's statistic
/// as survdiff gives it on that pair and Holm's adjustment over all pairs.
#[test]
fn pairwise_tests_list_the_reference_first() {
    let case = cases("rmst_comparison")
        .into_iter()
        .find(|c| !c["pairwise"].is_null())
        .unwrap();
    let e = &case["pairwise"];
    let report = run(&case, case["tau"].as_f64(), false);
    let pairs = &report.pairwise.as_ref().unwrap().comparisons;
    let column = |key: &str| e[key].as_array().unwrap().clone();
    assert_eq!(pairs.len(), column("chisq").len());
    for (i, pair) in pairs.iter().enumerate() {
        assert_eq!(pair.group1, column("group1")[i].as_str().unwrap());
        assert_eq!(pair.group2, column("group2")[i].as_str().unwrap());
        let what = format!("{} vs {}", pair.group1, pair.group2);
        assert_close(
            &format!("{what} chisq"),
            pair.chisq,
            column("chisq")[i].as_f64().unwrap(),
        );
        assert_close_opt(&format!("{what} p"), pair.p, column("p")[i].as_f64());
        assert_close_opt(
            &format!("{what} p adjusted"),
            pair.p_adjusted,
            column("p_adjusted")[i].as_f64(),
        );
    }
}

/// A reference that is not a group is refused, naming the column, the level and the groups.
#[test]
fn an_unknown_reference_names_the_column_and_its_groups() {
    let bytes = std::fs::read(data_path("aml.csv")).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    let data = SurvivalData::from_table(&table, &spec, Some("x"), None).unwrap();
    let options = KmAnalysis {
        reference: Some("maintained".into()),
        ..KmAnalysis::default()
    };
    let err = analyse(&data, &options).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Usage);
    assert_eq!(err.column.as_deref(), Some("x"));
    assert!(err.message.contains("'maintained'"), "{err}");
    assert_eq!(
        err.hint,
        Some(Hint::ChooseLevel {
            setting: Setting::Reference,
            levels: vec!["Maintained".into(), "Nonmaintained".into()],
        })
    );
    let ungrouped = SurvivalData::from_table(&table, &spec, None, None).unwrap();
    let err = analyse(&ungrouped, &options).unwrap_err();
    assert_eq!(
        err.hint,
        Some(Hint::GiveOption {
            setting: Setting::Group
        })
    );
}
