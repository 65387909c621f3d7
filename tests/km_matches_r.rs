//! Kaplan-Meier curves and tests between groups against R's survival 3.5.3 (fixtures by tests/data/km.R).

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;
use survcalc::analysis::{analyse, KmAnalysis, KmReport};
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::km::KmOptions;
use survcalc::options::Adjust;
use survcalc::options::ConfType;

fn numbers(v: &Value) -> Vec<Option<f64>> {
    match v {
        Value::Array(a) => a.iter().map(num).collect(),
        other => vec![num(other)],
    }
}

/// The i-th string of an array, or the string itself (R writes length-1 vectors unboxed).
fn nth_text(v: &Value, i: usize) -> &str {
    v.as_array().map_or(v, |a| &a[i]).as_str().unwrap()
}

fn text(v: &Value) -> Option<&str> {
    v.as_str()
}

/// Runs survcalc's core on a fixture's CSV with the fixture's options.
fn run(case: &Value) -> KmReport {
    let bytes = std::fs::read(data_path(text(&case["data"]).unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = SurvivalSpec {
        time: TimeSpec::Column(text(&case["time"]).unwrap().into()),
        event: text(&case["event"]).unwrap().into(),
        event_values: vec![],
    };
    let data = SurvivalData::from_table(&table, &spec, text(&case["group"]), text(&case["strata"]))
        .unwrap();
    let conf_type = match text(&case["conf_type"]).unwrap() {
        "log-log" => ConfType::LogLog,
        "log" => ConfType::Log,
        _ => ConfType::Plain,
    };
    let options = KmAnalysis {
        km: KmOptions {
            conf_type,
            conf_level: case["conf_level"].as_f64().unwrap(),
        },
        tau: None,
        at: numbers(&case["at"]).into_iter().flatten().collect(),
        fleming_harrington: case["fh"]
            .as_array()
            .map(|v| (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())),
        trend_scores: case["trend"]["scores"]
            .as_array()
            .map(|v| v.iter().map(|x| x.as_f64().unwrap()).collect()),
        pairwise: case["pairwise"]["adjust"].as_str().map(|a| match a {
            "holm" => Adjust::Holm,
            "BH" => Adjust::BenjaminiHochberg,
            _ => Adjust::Bonferroni,
        }),
        ..KmAnalysis::default()
    };
    analyse(&data, &options).unwrap()
}

/// Pairs survcalc's list with the fixture's array, after checking that they are as long, so
/// that a loop over the pairs cannot pass by checking nothing.
#[track_caller]
fn same_length<'a, T>(
    id: &str,
    what: &str,
    ours: &'a [T],
    r: &'a Value,
) -> impl Iterator<Item = (&'a T, &'a Value)> {
    let r = r
        .as_array()
        .unwrap_or_else(|| panic!("{id}: fixture {what}"));
    assert_eq!(ours.len(), r.len(), "{id}: number of {what}");
    assert!(!r.is_empty(), "{id}: no {what} in the fixture");
    ours.iter().zip(r)
}

fn each_case(check: impl Fn(&Value, &KmReport)) {
    let fixtures = fixture("km_fixtures.json");
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for case in cases {
        check(case, &run(case));
    }
}

#[test]
fn every_step_matches_survfit() {
    each_case(|case, report| {
        let id = case["id"].as_str().unwrap();
        for (g, e) in same_length(id, "groups", &report.groups, &case["groups"]) {
            assert_eq!(g.name, e["name"].as_str().unwrap(), "{id}");
            let s = &e["steps"];
            let time = numbers(&s["time"]);
            assert_eq!(g.curve.steps.len(), time.len(), "{id} {}", g.name);
            for (i, step) in g.curve.steps.iter().enumerate() {
                let what = |k: &str| format!("{id} group {} step {i} {k}", g.name);
                assert_close(&what("time"), step.time, time[i].unwrap());
                for (key, value) in [
                    ("n_risk", step.n_risk),
                    ("n_event", step.n_event),
                    ("n_censor", step.n_censor),
                ] {
                    assert_eq!(Some(value as f64), numbers(&s[key])[i], "{}", what(key));
                }
                assert_close(&what("surv"), step.surv, numbers(&s["surv"])[i].unwrap());
                assert_close_opt(&what("se"), step.se, numbers(&s["se"])[i]);
                assert_close_opt(&what("lower"), step.lower, numbers(&s["lower"])[i]);
                assert_close_opt(&what("upper"), step.upper, numbers(&s["upper"])[i]);
            }
        }
    });
}

#[test]
fn medians_quantiles_and_restricted_means_match_r() {
    each_case(|case, report| {
        let id = case["id"].as_str().unwrap();
        for (g, e) in same_length(id, "groups", &report.groups, &case["groups"]) {
            let c = &g.curve;
            let what = |k: &str| format!("{id} group {} {k}", g.name);
            assert_eq!(Some(c.n as f64), num(&e["n"]), "{}", what("n"));
            assert_eq!(
                Some(c.events as f64),
                num(&e["events"]),
                "{}",
                what("events")
            );
            assert_close_opt(&what("median"), c.median, num(&e["median"]));
            assert_close_opt(
                &what("median_lower"),
                c.median_lower,
                num(&e["median_lower"]),
            );
            assert_close_opt(
                &what("median_upper"),
                c.median_upper,
                num(&e["median_upper"]),
            );
            assert_close(&what("rmean"), c.rmean, num(&e["rmean"]).unwrap());
            assert_close(&what("rmean_se"), c.rmean_se, num(&e["rmean_se"]).unwrap());
            let q = &e["quantiles"];
            assert_eq!(c.quantiles.len(), 3, "{}", what("quantiles"));
            assert_eq!(numbers(&q["time"]).len(), 3, "{}", what("R's quantiles"));
            for (i, quantile) in c.quantiles.iter().enumerate() {
                assert_close_opt(&what("quantile"), quantile.time, numbers(&q["time"])[i]);
                assert_close_opt(&what("q lower"), quantile.lower, numbers(&q["lower"])[i]);
                assert_close_opt(&what("q upper"), quantile.upper, numbers(&q["upper"])[i]);
            }
            assert_close_opt(
                &what("follow-up median"),
                g.follow_up.median,
                num(&e["follow_up"]["median"]),
            );
            for (key, got) in [
                ("median_lower", g.follow_up.median_lower),
                ("median_upper", g.follow_up.median_upper),
            ] {
                let what = what(&format!("follow-up {key}"));
                assert_close_opt(&what, got, num(&e["follow_up"][key]));
            }
            assert_close(
                &what("min"),
                g.follow_up.min,
                num(&e["follow_up"]["min"]).unwrap(),
            );
            assert_close(
                &what("max"),
                g.follow_up.max,
                num(&e["follow_up"]["max"]).unwrap(),
            );
        }
    });
}

#[test]
fn restricted_mean_to_a_common_tau_matches_r() {
    let fixtures = fixture("km_fixtures.json");
    let mut checked = 0;
    for case in fixtures["cases"].as_array().unwrap() {
        let Some(tau) = num(&case["tau"]) else {
            continue;
        };
        let bytes = std::fs::read(data_path(case["data"].as_str().unwrap())).unwrap();
        let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
        let spec = SurvivalSpec {
            time: TimeSpec::Column(case["time"].as_str().unwrap().into()),
            event: case["event"].as_str().unwrap().into(),
            event_values: vec![],
        };
        let data = SurvivalData::from_table(&table, &spec, case["group"].as_str(), None).unwrap();
        let conf_type = match case["conf_type"].as_str().unwrap() {
            "log-log" => ConfType::LogLog,
            "log" => ConfType::Log,
            _ => ConfType::Plain,
        };
        let options = KmAnalysis {
            km: KmOptions {
                conf_type,
                conf_level: case["conf_level"].as_f64().unwrap(),
            },
            tau: Some(tau),
            ..KmAnalysis::default()
        };
        let report = analyse(&data, &options).unwrap();
        assert_eq!(report.rmean_restriction, "tau");
        let id = case["id"].as_str().unwrap();
        for (g, e) in same_length(id, "groups", &report.groups, &case["groups"]) {
            let r = &e["rmean_tau"];
            assert_close(&format!("{id} {} limit", g.name), g.curve.rmean_limit, tau);
            assert_close(
                &format!("{id} {} rmean(tau)", g.name),
                g.curve.rmean,
                num(&r["rmean"]).unwrap(),
            );
            assert_close(
                &format!("{id} {} rmean_se(tau)", g.name),
                g.curve.rmean_se,
                num(&r["rmean_se"]).unwrap(),
            );
            checked += 1;
        }
    }
    assert!(checked >= 8);
}

#[test]
fn survival_at_chosen_times_matches_summary_times() {
    each_case(|case, report| {
        let id = case["id"].as_str().unwrap();
        let asked = numbers(&case["at"]).into_iter().flatten().count();
        for (g, e) in same_length(id, "groups", &report.groups, &case["groups"]) {
            // Every group reports every asked time, estimable or not, as R's summary(times =).
            assert_eq!(g.at.len(), asked, "{id} group {} times asked", g.name);
            let Some(at) = e.get("at") else {
                assert_eq!(asked, 0, "{id}: R's values at the asked times are missing");
                continue;
            };
            assert_eq!(numbers(&at["time"]).len(), asked, "{id} R's times");
            for (i, a) in g.at.iter().enumerate() {
                let what = |k: &str| format!("{id} group {} at {} {k}", g.name, a.time);
                assert_close_opt(&what("surv"), a.surv, numbers(&at["surv"])[i]);
                assert_close_opt(&what("se"), a.se, numbers(&at["se"])[i]);
                assert_close_opt(&what("lower"), a.lower, numbers(&at["lower"])[i]);
                assert_close_opt(&what("upper"), a.upper, numbers(&at["upper"])[i]);
                if a.surv.is_some() {
                    assert_eq!(
                        Some(a.n_risk as f64),
                        numbers(&at["n_risk"])[i],
                        "{}",
                        what("n_risk")
                    );
                } else {
                    assert_eq!(a.note.as_deref(), Some("not estimable"));
                }
            }
        }
    });
}

#[test]
fn tests_between_groups_match_survdiff_and_definitions() {
    // How many cases checked each optional part, so that a fixture losing one fails here.
    let seen = std::cell::RefCell::new(std::collections::BTreeMap::<&str, usize>::new());
    let saw = |part: &'static str| *seen.borrow_mut().entry(part).or_default() += 1;
    each_case(|case, report| {
        let id = case["id"].as_str().unwrap();
        if case["tests"].is_null() {
            assert!(report.tests.is_empty(), "{id}");
            return;
        }
        let names: Vec<&str> = report.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            ["log-rank", "gehan-breslow", "tarone-ware", "peto-peto"]
        );
        saw("tests");
        for (t, e) in same_length(id, "tests", &report.tests, &case["tests"]) {
            let what = |k: &str| format!("{id} {} {k} ({})", t.name, e["source"]);
            assert_eq!(t.name, e["name"].as_str().unwrap());
            assert_close(&what("chisq"), t.chisq, num(&e["chisq"]).unwrap());
            assert_eq!(Some(t.df as f64), num(&e["df"]), "{}", what("df"));
            assert_close_opt(&what("p"), t.p, num(&e["p"]));
            assert_eq!(
                t.observed.len(),
                report.groups.len(),
                "{}",
                what("observed")
            );
            assert_eq!(
                t.expected.len(),
                report.groups.len(),
                "{}",
                what("expected")
            );
            for (i, o) in t.observed.iter().enumerate() {
                assert_close(&what("observed"), *o, numbers(&e["observed"])[i].unwrap());
                assert_close(
                    &what("expected"),
                    t.expected[i],
                    numbers(&e["expected"])[i].unwrap(),
                );
            }
        }
        if let Some(fh) = case.get("fleming_harrington") {
            saw("fleming_harrington");
            let t = report.fleming_harrington.as_ref().unwrap();
            assert_close(
                &format!("{id} FH chisq"),
                t.chisq,
                num(&fh["chisq"]).unwrap(),
            );
            assert_close_opt(&format!("{id} FH p"), t.p, num(&fh["p"]));
        }
        if let Some(trend) = case.get("trend") {
            saw("trend");
            let t = report.trend.as_ref().unwrap();
            assert_close(
                &format!("{id} trend chisq"),
                t.chisq,
                num(&trend["chisq"]).unwrap(),
            );
            assert_close_opt(&format!("{id} trend p"), t.p, num(&trend["p"]));
        }
        if let Some(pw) = case.get("pairwise") {
            saw("pairwise");
            let got = &report.pairwise.as_ref().unwrap().comparisons;
            assert_eq!(got.len(), numbers(&pw["p"]).len(), "{id}");
            for (i, p) in got.iter().enumerate() {
                assert_eq!(p.group1, nth_text(&pw["group1"], i));
                assert_eq!(p.group2, nth_text(&pw["group2"], i));
                assert_close(
                    &format!("{id} pair {i} chisq"),
                    p.chisq,
                    numbers(&pw["chisq"])[i].unwrap(),
                );
                assert_close_opt(&format!("{id} pair {i} p"), p.p, numbers(&pw["p"])[i]);
                assert_close_opt(
                    &format!("{id} pair {i} adjusted"),
                    p.p_adjusted,
                    numbers(&pw["p_adjusted"])[i],
                );
            }
        }
        if let Some(hr) = case.get("hazard_ratio") {
            saw("hazard_ratio");
            let got = &report.hazard_ratio.as_ref().unwrap().estimates;
            assert_eq!(got.len(), 2, "{id} hazard ratios");
            for (estimate, key) in got.iter().zip(["mantel_haenszel", "o_e"]) {
                let e = numbers(&hr[key]);
                assert_close_opt(&format!("{id} {key} hr"), estimate.hr, e[0]);
                assert_close_opt(&format!("{id} {key} lower"), estimate.lower, e[1]);
                assert_close_opt(&format!("{id} {key} upper"), estimate.upper, e[2]);
            }
        }
    });
    let seen = seen.into_inner();
    for part in [
        "tests",
        "fleming_harrington",
        "trend",
        "pairwise",
        "hazard_ratio",
    ] {
        assert!(
            seen.get(part).copied().unwrap_or(0) >= 3,
            "{part}: {seen:?}"
        );
    }
}

/// Compares survcalc's weighted tests with a package's (`tests`: log-rank, Gehan-Breslow,
/// Tarone-Ware; `fleming_harrington` when the case asks for it); returns how many it compared.
fn matches_package(id: &str, report: &KmReport, reference: &Value) -> usize {
    let source = reference["source"].as_str().unwrap();
    let expected = reference["tests"].as_array().unwrap();
    assert_eq!(expected.len(), 3, "{id}: {source}");
    let mut pairs: Vec<(&survcalc::compare::GroupTest, &Value)> = expected
        .iter()
        .map(|e| {
            let name = e["name"].as_str().unwrap();
            let ours = report.tests.iter().find(|t| t.name == name);
            (ours.unwrap_or_else(|| panic!("{id}: no {name} test")), e)
        })
        .collect();
    if let Some(fh) = reference.get("fleming_harrington") {
        let ours = report.fleming_harrington.as_ref();
        pairs.push((ours.unwrap_or_else(|| panic!("{id}: no FH test")), fh));
    }
    for (t, e) in &pairs {
        let what = |k: &str| format!("{id} {} {k} ({source})", e["name"]);
        assert_close(&what("chisq"), t.chisq, num(&e["chisq"]).unwrap());
        assert_eq!(Some(t.df as f64), num(&e["df"]), "{}", what("df"));
        assert_close_opt(&what("p"), t.p, num(&e["p"]));
    }
    pairs.len()
}

#[test]
fn weighted_tests_match_survmisc_and_lifelines() {
    let fixtures = fixture("km_fixtures.json");
    let cases = fixtures["cases"].as_array().unwrap();
    // survMisc::comp (R), for three or more groups without strata (km.R says why no fewer).
    let mut survmisc = 0;
    for case in cases {
        if let Some(reference) = case.get("package_tests") {
            survmisc += matches_package(case["id"].as_str().unwrap(), &run(case), reference);
        }
    }
    // lifelines' multivariate_logrank_test (tests/data/km_lifelines.py), two groups and more.
    let lifelines = fixture("km_lifelines_fixtures.json");
    let mut by_lifelines = 0;
    for reference in lifelines["cases"].as_array().unwrap() {
        let id = reference["km_case"].as_str().unwrap();
        let case = cases.iter().find(|c| c["id"] == id);
        let case = case.unwrap_or_else(|| panic!("{id} is not a case of km_fixtures.json"));
        by_lifelines += matches_package(id, &run(case), reference);
    }
    assert!(survmisc >= 20, "{survmisc} tests compared with survMisc");
    assert!(
        by_lifelines >= 22,
        "{by_lifelines} tests compared with lifelines"
    );
}

#[test]
fn every_reference_names_its_source() {
    // km.R labels each part "R package: ..." or "R from the definition: ..."; lifelines' cases
    // "Python package: ...".
    let labelled = |v: &Value, what: &str| {
        let source = v["source"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no source"));
        assert!(
            ["R package: ", "R from the definition", "Python package: "]
                .iter()
                .any(|p| source.starts_with(p)),
            "{what}: source {source:?}"
        );
    };
    let fixtures = fixture("km_fixtures.json");
    let mut parts = 0;
    for case in fixtures["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        labelled(case, id);
        for t in case["tests"].as_array().into_iter().flatten() {
            labelled(t, &format!("{id} {}", t["name"]));
            parts += 1;
        }
        for key in [
            "fleming_harrington",
            "trend",
            "pairwise",
            "hazard_ratio",
            "package_tests",
        ] {
            if let Some(part) = case.get(key) {
                labelled(part, &format!("{id} {key}"));
                parts += 1;
            }
        }
    }
    for case in fixture("km_lifelines_fixtures.json")["cases"]
        .as_array()
        .unwrap()
    {
        labelled(case, case["km_case"].as_str().unwrap());
        parts += 1;
    }
    assert!(parts >= 100, "{parts} labelled parts");
}
