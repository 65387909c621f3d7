//! Invariants of the Cox fit on random data: row order, covariate scale, and the score test
//! of one binary covariate against the log-rank test computed here from its definition.

mod common;

use proptest::prelude::*;
use survcalc::cox::CoxFit;
use survcalc::data::Table;
use survcalc::options::Ties;

/// (time, event, x) rows as a table with columns t, d, x.
fn fit(rows: &[(f64, bool, f64)], ties: Ties) -> CoxFit {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(t, d, x)| vec![t.to_string(), u8::from(*d).to_string(), x.to_string()])
        .collect();
    let table = Table::from_rows(&["t".to_string(), "d".into(), "x".into()], &cells).unwrap();
    common::cox_one_covariate(&table, ties)
}

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1e-3)
}

/// Data with tied times (1..8), some censoring, a covariate on a grid, both groups dying.
fn data() -> impl Strategy<Value = Vec<(f64, bool, f64)>> {
    prop::collection::vec((1u8..=8, any::<bool>(), -20i32..=20), 12..40)
        .prop_map(|v| {
            v.into_iter()
                .map(|(t, d, x)| (f64::from(t), d, f64::from(x) / 4.0))
                .collect()
        })
        .prop_filter("a finite maximum", |rows: &Vec<(f64, bool, f64)>| {
            let f = fit(rows, Ties::Efron);
            f.terms[0].coef.is_some_and(|b| b.abs() < 5.0)
        })
}

/// Log-rank chi-square (hypergeometric variance) for group x = 1 against x = 0.
fn log_rank(rows: &[(f64, bool, f64)]) -> f64 {
    let mut times: Vec<f64> = rows.iter().filter(|r| r.1).map(|r| r.0).collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    let (mut o_minus_e, mut var) = (0.0, 0.0);
    for t in times {
        let at_risk = rows.iter().filter(|r| r.0 >= t);
        let n = at_risk.clone().count() as f64;
        let n1 = at_risk.filter(|r| r.2 == 1.0).count() as f64;
        let dying = rows.iter().filter(|r| r.0 == t && r.1);
        let d = dying.clone().count() as f64;
        let d1 = dying.filter(|r| r.2 == 1.0).count() as f64;
        o_minus_e += d1 - d * n1 / n;
        if n > 1.0 {
            var += d * (n1 / n) * (1.0 - n1 / n) * (n - d) / (n - 1.0);
        }
    }
    o_minus_e * o_minus_e / var
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn hazard_ratio_does_not_depend_on_row_order(rows in data(), seed in any::<u64>()) {
        let mut shuffled = rows.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let (a, b) = (fit(&rows, Ties::Efron), fit(&shuffled, Ties::Efron));
        prop_assert!(rel_close(a.terms[0].hr.unwrap(), b.terms[0].hr.unwrap(), 1e-9));
        prop_assert!(rel_close(a.loglik[1], b.loglik[1], 1e-12));
        prop_assert!(rel_close(a.concordance.unwrap(), b.concordance.unwrap(), 1e-12));
    }

    #[test]
    fn scaling_a_covariate_divides_its_coefficient(rows in data(), c in prop::sample::select(vec![0.1, 2.0, -3.0, 1000.0])) {
        let scaled: Vec<_> = rows.iter().map(|&(t, d, x)| (t, d, x * c)).collect();
        for ties in [Ties::Efron, Ties::Breslow] {
            let (a, b) = (fit(&rows, ties), fit(&scaled, ties));
            prop_assert!(rel_close(b.terms[0].coef.unwrap(), a.terms[0].coef.unwrap() / c, 1e-8));
            prop_assert!(rel_close(b.terms[0].p.unwrap(), a.terms[0].p.unwrap(), 1e-8));
            prop_assert!(rel_close(b.loglik[1], a.loglik[1], 1e-12));
        }
    }

    /// Without tied event times the Cox score test of a binary covariate is the log-rank test.
    #[test]
    fn score_test_of_a_binary_covariate_is_the_log_rank_test(
        picks in prop::collection::vec((any::<bool>(), any::<bool>()), 8..40),
        seed in any::<u64>(),
    ) {
        let n = picks.len();
        let mut times: Vec<f64> = (1..=n).map(|t| t as f64).collect();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            times.swap(i, (s >> 33) as usize % (i + 1));
        }
        let rows: Vec<_> = picks.iter().zip(&times).map(|(&(d, g), &t)| (t, d, f64::from(u8::from(g)))).collect();
        let groups_die = |g: f64| rows.iter().any(|r| r.1 && r.2 == g);
        let both_present = rows.iter().any(|r| r.2 == 1.0) && rows.iter().any(|r| r.2 == 0.0);
        prop_assume!(both_present && (groups_die(0.0) || groups_die(1.0)));
        let expected = log_rank(&rows);
        prop_assume!(expected.is_finite(), "no event time with both groups at risk");
        let f = fit(&rows, Ties::Efron);
        prop_assert!(rel_close(f.score_test.chisq.unwrap(), expected, 1e-10));
    }
}
