//! Golden tests: Table 1 P values, statistics and summaries against R (tests/data/table1.R).
//!
//! Each fixture case names a CSV, a group column, a variable and a test, and carries the R call
//! (`t.test`, `oneway.test`, `aov`, `wilcox.test`, `kruskal.test`, `chisq.test`,
//! `fisher.test`) whose statistic and P it recorded; summaries are R's `mean`, `sd`,
//! `quantile(type = 7)`, `min`, `max` and `table` on the same rows. The percent cases are
//! base R's `prop.table` of `table()` (which leaves missing values out) on each basis.

mod common;

use common::{assert_close, assert_close_opt, data_path, fixture, num};
use serde_json::Value;
use survcalc::data::{read_table, ReadOptions};
use survcalc::describe::{table1, PercentBasis, Summary, Table1Options, TestName};

fn run_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let csv = case["csv"].as_str().unwrap();
    let variable = case["variable"].as_str().unwrap().to_string();
    let test: TestName = case["test"].as_str().unwrap().parse().unwrap();
    let bytes = std::fs::read(data_path(csv)).unwrap();
    let table = read_table(&bytes, Some(csv), &ReadOptions::default()).unwrap();
    let categorical = case["kind"] == "categorical";
    let options = Table1Options {
        group: case["group"].as_str().unwrap().to_string(),
        variables: vec![variable.clone()],
        categorical: if categorical {
            vec![variable.clone()]
        } else {
            vec![]
        },
        continuous: if categorical {
            vec![]
        } else {
            vec![variable.clone()]
        },
        tests: vec![(variable.clone(), test)],
        ..Table1Options::default()
    };
    let t = table1(&table, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let row = &t.rows[0];
    let call = case["r_call"].as_str().unwrap();
    assert_eq!(row.test, test, "{name}");
    assert!(
        !row.method.contains("Monte-Carlo"),
        "{name}: fell back to Monte Carlo"
    );
    assert_close_opt(&format!("{name}: P of {call}"), row.p, num(&case["p"]));
    assert_close_opt(
        &format!("{name}: statistic of {call}"),
        row.statistic,
        num(&case["statistic"]),
    );
    check_summary(name, &row.overall, &case["summary"]["overall"]);
    let groups = case["summary"]["by_group"].as_array().unwrap();
    assert_eq!(row.by_group.len(), groups.len(), "{name}: groups");
    for (g, expected) in row.by_group.iter().zip(groups) {
        assert_eq!(g.group, expected["group"].as_str().unwrap(), "{name}");
        check_summary(&format!("{name}, group {}", g.group), &g.summary, expected);
    }
}

fn check_summary(what: &str, actual: &Summary, expected: &Value) {
    match actual {
        Summary::Continuous(s) => {
            assert_eq!(s.n as u64, expected["n"].as_u64().unwrap(), "{what}: n");
            assert_eq!(
                s.missing as u64,
                expected["missing"].as_u64().unwrap(),
                "{what}: missing"
            );
            for (key, value) in [
                ("mean", s.mean),
                ("sd", s.sd),
                ("median", s.median),
                ("q1", s.q1),
                ("q3", s.q3),
                ("min", s.min),
                ("max", s.max),
            ] {
                assert_close_opt(&format!("{what}: {key}"), value, num(&expected[key]));
            }
        }
        Summary::Categorical(s) => {
            assert_eq!(s.n as u64, expected["n"].as_u64().unwrap(), "{what}: n");
            assert_eq!(
                s.missing as u64,
                expected["missing"].as_u64().unwrap(),
                "{what}: missing"
            );
            let levels = expected["levels"].as_array().unwrap();
            assert!(!levels.is_empty(), "{what}: R's table has no level");
            for level in levels {
                let label = level["level"].as_str().unwrap();
                let Some(l) = s.levels.iter().find(|l| l.level == label) else {
                    panic!("{what}: level {label} of R's table is missing");
                };
                assert_eq!(
                    l.count as u64,
                    level["count"].as_u64().unwrap(),
                    "{what}: level {label}"
                );
                // R's 100 * table(x)[level] / sum(!is.na(x)), written by table1.R.
                assert_close_opt(
                    &format!("{what}: percent of {label}"),
                    l.percent,
                    num(&level["percent"]),
                );
            }
            let total: usize = s.levels.iter().map(|l| l.count).sum();
            assert_eq!(total, s.n, "{what}: levels add up to n");
        }
    }
}

#[test]
fn every_r_case_matches() {
    let fixtures = fixture("table1_fixtures.json");
    let cases = fixtures["cases"].as_array().unwrap();
    assert!(cases.len() > 100);
    for case in cases {
        run_case(case);
    }
}

#[test]
fn r_exact_and_approximate_mann_whitney_paths_are_both_covered() {
    let fixtures = fixture("table1_fixtures.json");
    let csv = |name: &str| {
        let bytes = std::fs::read(data_path(name)).unwrap();
        read_table(&bytes, Some(name), &ReadOptions::default()).unwrap()
    };
    let options = Table1Options {
        group: "group".into(),
        variables: vec!["x".into()],
        tests: vec![("x".into(), TestName::MannWhitney)],
        ..Table1Options::default()
    };
    let exact = table1(&csv("table1_noties.csv"), &options).unwrap();
    assert!(
        exact.rows[0].method.contains("exact"),
        "{}",
        exact.rows[0].method
    );
    let approx = table1(&csv("table1_large_noties.csv"), &options).unwrap();
    assert!(
        approx.rows[0].method.contains("normal"),
        "{}",
        approx.rows[0].method
    );
    assert!(fixtures["cases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["csv"] == "table1_noties.csv" && c["test"] == "mann-whitney"));
}

#[test]
fn anova_matches_both_aov_and_oneway_test() {
    // R gives the one-way ANOVA two ways: aov's F table and oneway.test(var.equal = TRUE).
    // survcalc's anova on mtcars' mpg by cyl must match each (statistic, P and summaries).
    let fixtures = fixture("table1_fixtures.json");
    let cases = fixtures["cases"].as_array().unwrap();
    let call_starts = |prefix: &str| {
        let found: Vec<&Value> = cases
            .iter()
            .filter(|c| c["r_call"].as_str().unwrap().starts_with(prefix) && c["test"] == "anova")
            .collect();
        assert_eq!(found.len(), 1, "one case whose R call starts with {prefix}");
        found[0]
    };
    for case in [call_starts("aov(`mpg`"), call_starts("oneway.test(`mpg`")] {
        run_case(case);
    }
}

#[test]
fn monte_carlo_fisher_agrees_with_r_within_sampling_error() {
    let fixtures = fixture("table1_fixtures.json");
    let mc = &fixtures["monte_carlo"];
    let table: Vec<Vec<u64>> = mc["table"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect()
        })
        .collect();
    let r = survcalc::describe::fisher::fisher_exact(&table).unwrap();
    assert!(r.method.contains("Monte-Carlo"), "{}", r.method);
    assert!(
        r.method.contains("draws") && r.method.contains("seed"),
        "{}",
        r.method
    );
    let p = r.p.unwrap();
    let expected = num(&mc["p"]).unwrap();
    let n: u64 = table.iter().flatten().sum();
    let draws = survcalc::describe::fisher::monte_carlo_draws(n as usize) as f64;
    // Five standard errors of our estimate; R's own (B = 1e6) is ten times smaller.
    let se = (expected * (1.0 - expected) / draws).sqrt();
    assert!(
        (p - expected).abs() < 5.0 * se,
        "{}: survcalc {p}, R {expected}",
        mc["r_call"]
    );
    // The fixed seed makes the answer repeatable.
    assert_eq!(
        survcalc::describe::fisher::fisher_exact(&table).unwrap().p,
        Some(p)
    );
}

#[test]
fn standardised_mean_differences_match_the_tableone_formula_in_r() {
    let fixtures = fixture("table1_fixtures.json");
    for case in fixtures["smd"].as_array().unwrap() {
        let csv = case["csv"].as_str().unwrap();
        let variable = case["variable"].as_str().unwrap().to_string();
        let bytes = std::fs::read(data_path(csv)).unwrap();
        let table = read_table(&bytes, Some(csv), &ReadOptions::default()).unwrap();
        let categorical = case["kind"] == "categorical";
        let options = Table1Options {
            group: case["group"].as_str().unwrap().to_string(),
            variables: vec![variable.clone()],
            categorical: if categorical {
                vec![variable.clone()]
            } else {
                vec![]
            },
            continuous: if categorical { vec![] } else { vec![variable] },
            smd: true,
            ..Table1Options::default()
        };
        let t = table1(&table, &options).unwrap();
        assert_close_opt(
            case["r_call"].as_str().unwrap(),
            t.rows[0].smd,
            num(&case["smd"]),
        );
    }
}

#[test]
fn fisher_on_a_large_seven_by_two_table_is_still_exact() {
    let fixtures = fixture("table1_fixtures.json");
    let case = &fixtures["fisher_large"];
    let table: Vec<Vec<u64>> = case["table"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap())
                .collect()
        })
        .collect();
    let r = survcalc::describe::fisher::fisher_exact(&table).unwrap();
    assert_eq!(r.method, "Fisher's exact test");
    assert_close(
        case["r_call"].as_str().unwrap(),
        r.p.unwrap(),
        num(&case["p"]).unwrap(),
    );
}

/// A categorical summary against R's: n, missing, and each level's count and percent (R's
/// `prop.table` on the basis), levels matched by name.
fn check_percents(what: &str, actual: &Summary, expected: &Value) {
    let Summary::Categorical(s) = actual else {
        panic!("{what}: categorical expected");
    };
    assert_eq!(s.n as u64, expected["n"].as_u64().unwrap(), "{what}: n");
    assert_eq!(
        s.missing as u64,
        expected["missing"].as_u64().unwrap(),
        "{what}: missing"
    );
    let levels = expected["levels"].as_array().unwrap();
    assert_eq!(s.levels.len(), levels.len(), "{what}: levels");
    for level in levels {
        let label = level["level"].as_str().unwrap();
        let l = s
            .levels
            .iter()
            .find(|l| l.level == label)
            .unwrap_or_else(|| panic!("{what}: no level {label}"));
        assert_eq!(
            l.count as u64,
            level["count"].as_u64().unwrap(),
            "{what}: {label}"
        );
        assert_close_opt(
            &format!("{what}: percent of {label}"),
            l.percent,
            num(&level["percent"]),
        );
    }
}

#[test]
fn percentages_on_each_basis_match_prop_table_with_missing_values_left_out() {
    let fixtures = fixture("table1_fixtures.json");
    let cases = fixtures["percent"].as_array().unwrap();
    assert_eq!(cases.len(), 15);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let csv = case["csv"].as_str().unwrap();
        let variable = case["variable"].as_str().unwrap().to_string();
        let bytes = std::fs::read(data_path(csv)).unwrap();
        let table = read_table(&bytes, Some(csv), &ReadOptions::default()).unwrap();
        let basis: PercentBasis = case["percent"].as_str().unwrap().parse().unwrap();
        let options = Table1Options {
            group: case["group"].as_str().unwrap().to_string(),
            variables: vec![variable.clone()],
            categorical: vec![variable],
            percent: basis,
            ..Table1Options::default()
        };
        let t = table1(&table, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(t.percent, basis);
        let row = &t.rows[0];
        let call = case["r_call"].as_str().unwrap();
        check_percents(
            &format!("{name}, overall ({})", case["overall_r_call"]),
            &row.overall,
            &case["overall"],
        );
        for expected in case["by_group"].as_array().unwrap() {
            let group = expected["group"].as_str().unwrap();
            let g = row
                .by_group
                .iter()
                .find(|g| g.group == group)
                .unwrap_or_else(|| panic!("{name}: no group {group}"));
            check_percents(
                &format!("{name}, group {group} ({call}; {})", case["missing_r_call"]),
                &g.summary,
                expected,
            );
        }
    }
    // The cases do hold missing values, in the variable and (the arm) in the group.
    let missing = |c: &Value| c["overall"]["missing"].as_u64().unwrap();
    assert!(cases.iter().filter(|c| missing(c) > 0).count() >= 12);
}
