//! The permutation log-rank test against its definition on random small data (proptest): the exact P equals the share of all relabellings, and the Monte Carlo P approaches it.

use proptest::prelude::*;
use survcalc::exact::{logrank_permutation, PermutationMethod, PermutationOptions};

/// A subject: time (whole units 0..6 for heavy ties, or sevenths up to 20), event, group,
/// stratum.
type Row = (f64, bool, usize, usize);

fn subjects(groups: usize, max: usize) -> impl Strategy<Value = Vec<Row>> {
    let time = prop_oneof![
        (0u32..6).prop_map(f64::from),
        (0u32..140).prop_map(|t| f64::from(t) / 7.0),
    ];
    prop::collection::vec((time, any::<bool>(), 0..groups, 0usize..3), 2..=max).prop_map(
        move |mut rows| {
            // Every group gets at least one subject.
            for g in 0..groups.min(rows.len()) {
                rows[g].2 = g;
            }
            rows
        },
    )
}

/// The statistic of the data with the groups `group` (one resample: only the statistic is
/// used).
fn statistic(rows: &[Row], group: &[usize], k: usize, strata: bool) -> f64 {
    let options = PermutationOptions {
        resamples: 1,
        seed: 1,
    };
    test(rows, group, k, strata, &options).statistic
}

fn test(
    rows: &[Row],
    group: &[usize],
    k: usize,
    strata: bool,
    options: &PermutationOptions,
) -> survcalc::exact::PermutationTest {
    let time: Vec<f64> = rows.iter().map(|r| r.0).collect();
    let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
    let stratum: Vec<usize> = rows.iter().map(|r| r.3).collect();
    logrank_permutation(
        &time,
        &event,
        group,
        k,
        strata.then_some((stratum.as_slice(), 3)),
        options,
    )
    .unwrap()
}

/// Every relabelling that keeps each stratum's group sizes, as group vectors.
fn relabellings(rows: &[Row], k: usize, strata: bool) -> Vec<Vec<usize>> {
    let stratum = |i: usize| if strata { rows[i].3 } else { 0 };
    let mut left = vec![vec![0usize; k]; 3];
    for (i, r) in rows.iter().enumerate() {
        left[stratum(i)][r.2] += 1;
    }
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(rows.len());
    fn go(
        i: usize,
        n: usize,
        stratum: &dyn Fn(usize) -> usize,
        left: &mut Vec<Vec<usize>>,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if i == n {
            out.push(current.clone());
            return;
        }
        for g in 0..left[0].len() {
            if left[stratum(i)][g] > 0 {
                left[stratum(i)][g] -= 1;
                current.push(g);
                go(i + 1, n, stratum, left, current, out);
                current.pop();
                left[stratum(i)][g] += 1;
            }
        }
    }
    go(0, rows.len(), &stratum, &mut left, &mut current, &mut out);
    out
}

/// The permutation P from its definition: the share of relabellings whose statistic is at
/// least the observed one (equal up to rounding counting).
fn p_by_enumeration(rows: &[Row], k: usize, strata: bool) -> f64 {
    let group: Vec<usize> = rows.iter().map(|r| r.2).collect();
    let observed = statistic(rows, &group, k, strata);
    let all = relabellings(rows, k, strata);
    let hits = all
        .iter()
        .filter(|g| statistic(rows, g, k, strata) >= observed * (1.0 - 1e-9) - 1e-12)
        .count();
    hits as f64 / all.len() as f64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exact_p_is_the_share_of_relabellings(rows in subjects(2, 11), strata in any::<bool>()) {
        let group: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let exact = test(&rows, &group, 2, strata, &PermutationOptions::default());
        prop_assert_eq!(exact.method, PermutationMethod::Exact);
        let expected = p_by_enumeration(&rows, 2, strata);
        prop_assert!((exact.p - expected).abs() < 1e-9, "exact {} enumeration {}", exact.p, expected);
    }

    #[test]
    fn exact_p_ignores_row_order_and_group_names(rows in subjects(2, 11)) {
        let group: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let p = test(&rows, &group, 2, false, &PermutationOptions::default()).p;
        let mut reversed = rows.clone();
        reversed.reverse();
        let reversed_group: Vec<usize> = reversed.iter().map(|r| 1 - r.2).collect();
        let q = test(&reversed, &reversed_group, 2, false, &PermutationOptions::default()).p;
        prop_assert!((p - q).abs() < 1e-12, "{} {}", p, q);
    }

    #[test]
    fn monte_carlo_p_approaches_the_share_of_relabellings(
        rows in subjects(3, 8).prop_filter("three groups", |r| r.len() >= 3),
        strata in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let group: Vec<usize> = rows.iter().map(|r| r.2).collect();
        let options = PermutationOptions { resamples: 4000, seed };
        let mc = test(&rows, &group, 3, strata, &options);
        // Monte Carlo for three groups, unless no relabelling can change the statistic.
        prop_assert!(mc.method == PermutationMethod::MonteCarlo || mc.p == 1.0);
        let expected = p_by_enumeration(&rows, 3, strata);
        let se = (expected * (1.0 - expected) / 4000.0).sqrt();
        prop_assert!((mc.p - expected).abs() <= 5.0 * se + 1e-12, "monte carlo {} enumeration {}", mc.p, expected);
    }
}
