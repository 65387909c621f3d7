//! Invariants of cumulative incidence, Gray's test and Fine-Gray regression on random data
//! (proptest, bounded cases).

use proptest::prelude::*;
use survcalc::cif::{analyse, CifOptions, CumulativeIncidence};
use survcalc::cox::{fit_matrix as cox_fit, CoxMatrix};
use survcalc::data::competing::CompetingData;
use survcalc::data::design::Term;
use survcalc::data::event::{Cause, CauseCoding};
use survcalc::data::Factor;
use survcalc::finegray::fit_matrix;
use survcalc::km::{fit as km_fit, KmOptions};
use survcalc::options::Ties;

/// Up to 60 subjects with integer times 0..15 (ties within and across causes), a cause
/// (0 censored, 1 of interest, 2 competing), a group of 3 and a covariate.
fn subjects() -> impl Strategy<Value = Vec<(f64, u8, usize, f64)>> {
    prop::collection::vec(
        (0u32..15, 0u8..3, 0usize..3, -20i32..20)
            .prop_map(|(t, c, g, x)| (f64::from(t), c, g, f64::from(x) / 10.0)),
        1..60,
    )
}

fn cause_of(code: u8, interest: u8) -> Cause {
    match code {
        0 => Cause::Censored,
        c if c == interest => Cause::Event,
        _ => Cause::Competing,
    }
}

/// The data with `interest` (1 or 2) as the event of interest, grouped or not.
fn data(rows: &[(f64, u8, usize, f64)], interest: u8, grouped: bool) -> CompetingData {
    let labels: Vec<String> = rows.iter().map(|r| r.2.to_string()).collect();
    let other = if interest == 1 { "2" } else { "1" };
    CompetingData {
        time: rows.iter().map(|r| r.0).collect(),
        cause: rows.iter().map(|r| cause_of(r.1, interest)).collect(),
        row: (1..=rows.len()).collect(),
        group: grouped.then(|| Factor::new(labels.iter().map(String::as_str))),
        coding: CauseCoding::new("status", &[interest.to_string()], &[other.into()]).unwrap(),
        time_description: None,
        excluded: vec![],
        warnings: vec![],
    }
}

fn run(data: &CompetingData) -> CumulativeIncidence {
    analyse(data, &CifOptions::default()).unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// With no competing events the Aalen-Johansen estimate is 1 - Kaplan-Meier.
    #[test]
    fn without_competing_events_cif_is_one_minus_km(rows in subjects()) {
        let rows: Vec<_> = rows.into_iter().map(|(t, c, g, x)| (t, c.min(1), g, x)).collect();
        let r = run(&data(&rows, 1, false));
        let time: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let event: Vec<bool> = rows.iter().map(|r| r.1 == 1).collect();
        let km = km_fit(&time, &event, &KmOptions::default()).unwrap();
        prop_assert_eq!(km.steps.len(), r.groups[0].steps.len());
        for (k, c) in km.steps.iter().zip(&r.groups[0].steps) {
            prop_assert_eq!(k.time, c.time);
            prop_assert!(close(c.cif, 1.0 - k.surv, 1e-12), "{} vs 1 - {}", c.cif, k.surv);
        }
    }

    /// The incidences of the two causes and the survival free of both sum to 1.
    #[test]
    fn incidences_and_survival_sum_to_one(rows in subjects()) {
        let first = run(&data(&rows, 1, true));
        let second = run(&data(&rows, 2, true));
        for (g1, g2) in first.groups.iter().zip(&second.groups) {
            let group: Vec<_> = rows.iter().filter(|r| r.2.to_string() == g1.name).collect();
            let time: Vec<f64> = group.iter().map(|r| r.0).collect();
            let event: Vec<bool> = group.iter().map(|r| r.1 != 0).collect();
            let km = km_fit(&time, &event, &KmOptions::default()).unwrap();
            for ((a, b), k) in g1.steps.iter().zip(&g2.steps).zip(&km.steps) {
                prop_assert!(a.time == b.time && b.time == k.time);
                prop_assert!(close(a.cif + b.cif + k.surv, 1.0, 1e-12));
            }
        }
    }

    /// F is non-decreasing in [0, 1], its limits bracket it, and at-risk counts add up.
    #[test]
    fn curves_are_monotone_with_consistent_counts(rows in subjects()) {
        let r = run(&data(&rows, 1, true));
        for g in &r.groups {
            let mut previous = 0.0;
            prop_assert_eq!(g.steps[0].n_risk, g.n);
            for pair in g.steps.windows(2) {
                let s = &pair[0];
                prop_assert_eq!(pair[1].n_risk, s.n_risk - s.n_event - s.n_competing - s.n_censor);
            }
            for s in &g.steps {
                prop_assert!(s.cif >= previous && s.cif <= 1.0 + 1e-12);
                previous = s.cif;
                if let (Some(l), Some(u)) = (s.lower, s.upper) {
                    prop_assert!(0.0 <= l && l <= s.cif && s.cif <= u && u <= 1.0);
                }
            }
        }
    }

    /// Gray's statistic does not depend on the order of the rows or the labels of the groups.
    #[test]
    fn gray_test_does_not_depend_on_row_or_group_order(
        (rows, permuted) in subjects().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
    ) {
        let base = run(&data(&rows, 1, true)).gray_test;
        let reordered = run(&data(&permuted, 1, true)).gray_test;
        let relabelled: Vec<_> = rows.iter().map(|&(t, c, g, x)| (t, c, (g + 2) % 3, x)).collect();
        let renamed = run(&data(&relabelled, 1, true)).gray_test;
        for other in [reordered, renamed] {
            match (&base, &other) {
                (Some(a), Some(b)) => match (a.chisq, b.chisq) {
                    (Some(x), Some(y)) => prop_assert!(close(x, y, 1e-8), "{} vs {}", x, y),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
                },
                (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
            }
        }
    }

    /// With no competing events the subdistribution hazard is the hazard: Fine-Gray's
    /// coefficient is Cox's with Breslow ties (each to its own stopping rule).
    #[test]
    fn without_competing_events_fine_gray_is_cox_breslow(rows in subjects()) {
        let rows: Vec<_> = rows.into_iter().map(|(t, c, g, x)| (t, c.min(1), g, x)).collect();
        let time: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let cause: Vec<Cause> = rows.iter().map(|r| cause_of(r.1, 1)).collect();
        let event: Vec<bool> = rows.iter().map(|r| r.1 == 1).collect();
        let x: Vec<f64> = rows.iter().map(|r| r.3).collect();
        prop_assume!(event.iter().filter(|&&e| e).count() >= 3);
        let names = ["x".to_string()];
        let cox = cox_fit(
            &CoxMatrix { time: &time, event: &event, x: &x, names: &names, strata: None },
            Ties::Breslow,
            0.95,
        ).unwrap();
        prop_assume!(cox.converged && !cox.terms[0].infinite && cox.terms[0].coef.is_some());
        let fg = fit_matrix(&time, &cause, &x, &[Term::numeric("x")], 0.95).unwrap();
        prop_assume!(fg.converged);
        let (a, b) = (fg.terms[0].coef.unwrap(), cox.terms[0].coef.unwrap());
        prop_assert!(close(a, b, 1e-4), "Fine-Gray {} vs Cox {}", a, b);
        prop_assert!(close(fg.loglik[1], cox.loglik[1], 1e-8));
    }

    /// A covariate scaled by c divides its coefficient by c and leaves its P.
    #[test]
    fn scaling_a_covariate_scales_its_coefficient(rows in subjects(), c in 0.1f64..10.0) {
        let time: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let cause: Vec<Cause> = rows.iter().map(|r| cause_of(r.1, 1)).collect();
        prop_assume!(cause.iter().filter(|&&e| e == Cause::Event).count() >= 3);
        let x: Vec<f64> = rows.iter().map(|r| r.3).collect();
        let scaled: Vec<f64> = x.iter().map(|v| v * c).collect();
        let term = [Term::numeric("x")];
        let a = fit_matrix(&time, &cause, &x, &term, 0.95).unwrap();
        let b = fit_matrix(&time, &cause, &scaled, &term, 0.95).unwrap();
        prop_assume!(a.converged && b.converged);
        let (ta, tb) = (&a.terms[0], &b.terms[0]);
        prop_assume!(ta.coef.is_some() && ta.se.is_some());
        prop_assert!(close(ta.coef.unwrap(), tb.coef.unwrap() * c, 1e-4));
        prop_assert!(close(ta.p.unwrap(), tb.p.unwrap(), 1e-3));
    }
}
