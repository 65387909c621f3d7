//! The permutation log-rank test against R's coin 1.4-2 `logrank_test` (fixtures by tests/data/exact.R).

mod common;

use common::{assert_close, data_path, fixture};
use serde_json::Value;
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::exact::{
    logrank_permutation, PermutationMethod, PermutationOptions, PermutationTest,
};

/// Runs the test on a fixture case's file, groups and strata, with `options`.
fn run(case: &Value, options: &PermutationOptions) -> PermutationTest {
    let bytes = std::fs::read(data_path(case["file"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let spec = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    let data = SurvivalData::from_table(
        &table,
        &spec,
        case["group"].as_str(),
        case["strata"].as_str(),
    )
    .unwrap();
    let group = data.group.as_ref().unwrap();
    let strata = data
        .strata
        .as_ref()
        .map(|s| (s.codes.as_slice(), s.levels.len()));
    logrank_permutation(
        &data.time,
        &data.event,
        &group.codes,
        group.levels.len(),
        strata,
        options,
    )
    .unwrap()
}

fn cases(method: &str) -> Vec<Value> {
    let all = fixture("exact_fixtures.json")["cases"]
        .as_array()
        .unwrap()
        .clone();
    let chosen: Vec<Value> = all.into_iter().filter(|c| c["method"] == method).collect();
    assert!(!chosen.is_empty());
    chosen
}

#[test]
fn exact_p_and_statistic_equal_coins_exact_distribution() {
    for case in cases("exact") {
        let name = case["name"].as_str().unwrap();
        let test = run(&case, &PermutationOptions::default());
        assert_eq!(test.method, PermutationMethod::Exact, "{name}");
        assert_eq!((test.resamples, test.seed, test.mc_se), (None, None, None));
        let expected = |key: &str| case[key].as_f64().unwrap();
        assert_close(
            &format!("{name} statistic"),
            test.statistic,
            expected("statistic"),
        );
        assert_close(&format!("{name} p"), test.p, expected("p"));
    }
}

/// coin's Monte Carlo P (10^6 resamples) and ours (10^5, seed 1) estimate the same
/// permutation P: they agree within 4 standard errors of their difference.
#[test]
fn monte_carlo_p_agrees_with_coins_within_four_standard_errors() {
    for case in cases("monte-carlo") {
        let name = case["name"].as_str().unwrap();
        let options = PermutationOptions::default();
        let test = run(&case, &options);
        assert_eq!(test.method, PermutationMethod::MonteCarlo, "{name}");
        assert_eq!(test.resamples, Some(100_000));
        assert_eq!(test.seed, Some(1));
        let expected = |key: &str| case[key].as_f64().unwrap();
        assert_close(
            &format!("{name} statistic"),
            test.statistic,
            expected("statistic"),
        );
        let coin_p = expected("p");
        let coin_se2 = coin_p * (1.0 - coin_p) / expected("resamples");
        let se = test.mc_se.unwrap();
        assert_close(
            &format!("{name} mc_se"),
            se,
            (test.p * (1.0 - test.p) / 1e5).sqrt(),
        );
        let bound = 4.0 * (se * se + coin_se2).sqrt();
        assert!(
            (test.p - coin_p).abs() <= bound,
            "{name}: survcalc {} coin {coin_p} differ by more than {bound}",
            test.p
        );
    }
}

/// The same seed gives the same P; another seed another estimate of it.
#[test]
fn monte_carlo_is_repeatable_from_its_seed() {
    let case = cases("monte-carlo").remove(0);
    let options = PermutationOptions {
        resamples: 20_000,
        seed: 7,
    };
    assert_eq!(run(&case, &options), run(&case, &options));
    let other = run(&case, &PermutationOptions { seed: 8, ..options });
    assert_eq!(other.seed, Some(8));
}
