//! Invariants of Kaplan-Meier curves and log-rank tests on random data (proptest, bounded cases).

use proptest::prelude::*;
use survcalc::compare::{Comparison, Weight};
use survcalc::km::{fit, KmOptions};
use survcalc::options::ConfType;

/// Up to 60 subjects with integer times 0..20 (heavy ties) and 3 groups.
fn subjects() -> impl Strategy<Value = Vec<(f64, bool, usize)>> {
    prop::collection::vec(
        (0u32..20, any::<bool>(), 0usize..3).prop_map(|(t, e, g)| (f64::from(t), e, g)),
        1..60,
    )
}

fn columns(rows: &[(f64, bool, usize)]) -> (Vec<f64>, Vec<bool>, Vec<usize>) {
    (
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| r.2).collect(),
    )
}

fn relative_eq(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn survival_is_non_increasing_within_zero_one(rows in subjects()) {
        let (time, event, _) = columns(&rows);
        for conf_type in [ConfType::LogLog, ConfType::Log, ConfType::Plain] {
            let c = fit(&time, &event, &KmOptions { conf_type, conf_level: 0.9 }).unwrap();
            let mut previous = 1.0;
            for s in &c.steps {
                prop_assert!(s.surv <= previous && s.surv >= 0.0);
                previous = s.surv;
                if let (Some(l), Some(u)) = (s.lower, s.upper) {
                    prop_assert!((0.0..=1.0).contains(&l) && (0.0..=1.0).contains(&u));
                    prop_assert!(l <= s.surv + 1e-12 && s.surv <= u + 1e-12);
                }
            }
            prop_assert!(c.rmean >= 0.0 && c.rmean <= c.rmean_limit + 1e-9);
        }
    }

    #[test]
    fn numbers_at_risk_are_consistent(rows in subjects()) {
        let (time, event, _) = columns(&rows);
        let c = fit(&time, &event, &KmOptions::default()).unwrap();
        prop_assert_eq!(c.n as usize, rows.len());
        prop_assert_eq!(c.steps[0].n_risk, c.n);
        for pair in c.steps.windows(2) {
            prop_assert!(pair[0].time < pair[1].time);
            prop_assert_eq!(pair[1].n_risk, pair[0].n_risk - pair[0].n_event - pair[0].n_censor);
        }
        let last = c.steps.last().unwrap();
        prop_assert_eq!(last.n_risk, last.n_event + last.n_censor);
        let events: u64 = c.steps.iter().map(|s| s.n_event).sum();
        prop_assert_eq!(events, c.events);
    }

    #[test]
    fn tests_do_not_depend_on_row_or_group_order(
        (rows, permuted) in subjects().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
    ) {
        let (time, event, group) = columns(&rows);
        let base = Comparison::from_observations(&time, &event, &group, 3, None).unwrap();
        let (t2, e2, g2) = columns(&permuted);
        let reordered = Comparison::from_observations(&t2, &e2, &g2, 3, None).unwrap();
        // Group labels: 0 -> 2, 1 -> 0, 2 -> 1.
        let relabelled: Vec<usize> = group.iter().map(|g| (g + 2) % 3).collect();
        let renamed = Comparison::from_observations(&time, &event, &relabelled, 3, None).unwrap();
        for weight in Weight::CONTRACT {
            let a = base.test(weight);
            let b = reordered.test(weight);
            let c = renamed.test(weight);
            prop_assert!(relative_eq(a.chisq, b.chisq), "{} row order", a.name);
            prop_assert!(relative_eq(a.chisq, c.chisq), "{} {} vs {}", a.name, a.chisq, c.chisq);
            prop_assert_eq!(a.df, c.df);
        }
    }

    #[test]
    fn two_groups_agree_with_the_two_sample_form(rows in subjects()) {
        // With two groups, (O1 - E1)^2 / V11 where V11 = sum d (n - d)/(n - 1) n1/n (1 - n1/n).
        let (time, event, group) = columns(&rows);
        let two: Vec<usize> = group.iter().map(|g| g % 2).collect();
        let c = Comparison::from_observations(&time, &event, &two, 2, None).unwrap();
        let test = c.test(Weight::LogRank);
        let mut order: Vec<usize> = (0..time.len()).collect();
        order.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
        let (mut o1, mut e0, mut e1, mut v11) = (0.0, 0.0, 0.0, 0.0);
        let mut distinct: Vec<f64> = order.iter().map(|&i| time[i]).collect();
        distinct.dedup();
        for t in distinct {
            let at_risk = |g: Option<usize>| (0..time.len())
                .filter(|&i| time[i] >= t && g.is_none_or(|g| two[i] == g)).count() as f64;
            let deaths = |g: Option<usize>| (0..time.len())
                .filter(|&i| time[i] == t && event[i] && g.is_none_or(|g| two[i] == g)).count() as f64;
            let (n, n1, d, d1) = (at_risk(None), at_risk(Some(1)), deaths(None), deaths(Some(1)));
            if d == 0.0 { continue; }
            o1 += d1;
            e0 += d * (n - n1) / n;
            e1 += d * n1 / n;
            if n > 1.0 {
                v11 += d * (n - d) / (n - 1.0) * n1 / n * (1.0 - n1 / n);
            }
        }
        // As survdiff: df counts the groups with expected deaths, minus one. With no variance
        // (every death where the whole risk set dies, or one group alone at risk) O1 = E1 at
        // each death time and the statistic is 0.
        let df = if e0 > 0.0 && e1 > 0.0 { 1 } else { 0 };
        let by_hand = if v11 > 0.0 { (o1 - e1).powi(2) / v11 } else { 0.0 };
        prop_assert_eq!(test.df, df);
        prop_assert!(relative_eq(test.chisq, by_hand), "{} vs {}", test.chisq, by_hand);
    }

    #[test]
    fn a_pair_restricted_from_three_groups_equals_those_groups_alone(rows in subjects()) {
        let (time, event, group) = columns(&rows);
        let all = Comparison::from_observations(&time, &event, &group, 3, None).unwrap();
        let keep: Vec<usize> = (0..rows.len()).filter(|&i| group[i] != 1).collect();
        let t: Vec<f64> = keep.iter().map(|&i| time[i]).collect();
        let e: Vec<bool> = keep.iter().map(|&i| event[i]).collect();
        let g: Vec<usize> = keep.iter().map(|&i| group[i] / 2).collect();
        let alone = Comparison::from_observations(&t, &e, &g, 2, None).unwrap();
        for weight in Weight::CONTRACT {
            let a = all.restrict(&[0, 2]).test(weight);
            let b = alone.test(weight);
            prop_assert!(relative_eq(a.chisq, b.chisq));
        }
    }
}
