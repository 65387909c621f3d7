//! Cumulative incidence, Gray's test and Fine-Gray on data small enough to derive by hand; the
//! derivations are in the comments (cmprsk's `cuminc` gives the same numbers on these data).

mod common;

use common::assert_close;
use survcalc::cif::{analyse, CifOptions, CumulativeIncidence};
use survcalc::data::competing::{CompetingData, CompetingSpec};
use survcalc::data::design::Term;
use survcalc::data::event::Cause;
use survcalc::data::prepare::TimeSpec;
use survcalc::data::Table;
use survcalc::finegray::fit_matrix;

/// Rows of (time, status, group); status 1 = event of interest, 2 = competing, 0 = censored.
fn cif(rows: &[(&str, &str, &str)], options: &CifOptions) -> CumulativeIncidence {
    let rows: Vec<Vec<&str>> = rows.iter().map(|&(t, s, g)| vec![t, s, g]).collect();
    let table = Table::from_rows(&["time", "status", "group"], &rows).unwrap();
    let spec = CompetingSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec!["1".into()],
        competing_values: vec!["2".into()],
    };
    let grouped = rows.iter().any(|r| r[2] != rows[0][2]);
    let data = CompetingData::from_table(&table, &spec, grouped.then_some("group")).unwrap();
    analyse(&data, options).unwrap()
}

/// Eight subjects: an event at 1; at 2 an event, a competing event and a censoring; a
/// competing event at 3; an event at 4; two censorings at 5.
const EIGHT: [(&str, &str, &str); 8] = [
    ("1", "1", "a"),
    ("2", "1", "a"),
    ("2", "2", "a"),
    ("2", "0", "a"),
    ("3", "2", "a"),
    ("4", "1", "a"),
    ("5", "0", "a"),
    ("5", "0", "a"),
];

#[test]
fn aalen_johansen_with_ties_across_causes() {
    let r = cif(&EIGHT, &CifOptions::default());
    let g = &r.groups[0];
    // F(t) adds S(t-) d1 / n at each event time; S is the Kaplan-Meier of any event.
    //   t = 1: n = 8, F = 1/8,                    S = 7/8
    //   t = 2: n = 7, F = 1/8 + 7/8 * 1/7 = 1/4,  S = 7/8 * 5/7 = 5/8 (an event and a
    //          competing event leave; the censoring at 2 was at risk)
    //   t = 3: n = 4, F stays 1/4,                S = 5/8 * 3/4 = 15/32
    //   t = 4: n = 3, F = 1/4 + 15/32 * 1/3 = 13/32
    //   t = 5: n = 2, two censorings, F stays 13/32.
    let cif: Vec<f64> = g.steps.iter().map(|s| s.cif).collect();
    assert_eq!(cif, [0.125, 0.25, 0.25, 13.0 / 32.0, 13.0 / 32.0]);
    let n_risk: Vec<u64> = g.steps.iter().map(|s| s.n_risk).collect();
    assert_eq!(n_risk, [8, 7, 4, 3, 2]);
    let s = &g.steps[1];
    assert_eq!((s.n_event, s.n_competing, s.n_censor), (1, 1, 1));
    assert_eq!((g.n, g.events, g.competing_events), (8, 3, 2));

    // Gray's variance: at each time, for the competing events (S = S(t) > 0)
    // w = S(t-)^2 d2 / n^2 (d2 = 1: no tie correction), a = F/S, b = 1/S; for the events of
    // interest w = S(t-)^2 d1 / n^2, a = 1 + F/S, b = 1/S; v1 += a^2 w, v2 += a b w,
    // v3 += b^2 w; at an event time var = v1 + F^2 v3 - 2 F v2.
    //   t = 1: w = 1/64, a = 1 + (1/8)(8/7) = 8/7 = b: v1 = v2 = v3 = 1/49,
    //          var = (1/49)(1 + 1/64 - 1/4) = 1/64.
    //   t = 2: competing: w = (49/64)/49 = 1/64, a = (1/4)/(5/8) = 2/5, b = 8/5;
    //          interest: w = 1/64, a = 1 + (8/5)(1/4) = 7/5, b = 8/5;
    //          v1 = 1/49 + (4 + 49)/1600, v2 = 1/49 + (16 + 56)/1600, v3 = 1/49 + 128/1600;
    //          var = (1/49)(1 + 1/16 - 1/2) + (53 + 8 - 36)/1600 = 9/784 + 1/64 = 85/3136.
    //   t = 3: competing only: the sums grow (w = 25/1024, a = 8/15, b = 32/15:
    //          +1/144, +1/36, +1/9), the reported variance stays 85/3136.
    //   t = 4: w = (15/32)^2/9 = 25/1024, a = 1 + (16/5)(13/32) = 23/10, b = 16/5:
    //          +529/4096, +23/128, +1/4; with F = 13/32, var = 19909/451584.
    let var: Vec<f64> = g.steps.iter().map(|s| s.se.unwrap().powi(2)).collect();
    let expected = [
        1.0 / 64.0,
        85.0 / 3136.0,
        85.0 / 3136.0,
        19909.0 / 451584.0,
        19909.0 / 451584.0,
    ];
    for (v, e) in var.iter().zip(expected) {
        assert_close("var", *v, e);
    }
}

#[test]
fn limits_by_pintilies_formula() {
    // At t = 1: F = 1/8, se = 1/8. With z = 1.9599640, w = z se / (F log F)
    // = 0.24499550 / (0.125 * -2.0794415) = -0.94254344; upper = F^exp(w) = 0.125^0.38963
    // = exp(-2.0794415 * 0.38963) = 0.444758; lower = F^exp(-w) = 0.125^2.566476
    // = exp(-5.336900) = 0.00481082.
    let r = cif(&EIGHT, &CifOptions::default());
    let s = &r.groups[0].steps[0];
    assert!((s.upper.unwrap() - 0.444758).abs() < 1e-6, "{:?}", s.upper);
    assert!(
        (s.lower.unwrap() - 0.00481082).abs() < 1e-8,
        "{:?}",
        s.lower
    );
}

#[test]
fn incidence_at_chosen_times() {
    let options = CifOptions {
        at: vec![0.5, 2.0, 3.5, 5.0, 6.0],
        ..CifOptions::default()
    };
    let r = cif(&EIGHT, &options);
    let at: Vec<Option<f64>> = r.groups[0].at.iter().map(|a| a.cif).collect();
    // Before the first time F = 0; between times the last step holds; past the last
    // observed time (5) it is not estimable, as cmprsk's timepoints gives NA.
    assert_eq!(
        at,
        [Some(0.0), Some(0.25), Some(0.25), Some(13.0 / 32.0), None]
    );
    assert_eq!(r.groups[0].at[0].se, Some(0.0));
    assert_eq!(r.groups[0].at[0].lower, None);
}

#[test]
fn a_single_event_of_interest_reaches_one() {
    // n = 1, d1 = 1: F = 1 and S = 0, so b = 0 and a = 1; w = 1: var = 1 (cuminc's 1 too).
    // Limits are undefined at F = 1.
    let r = cif(&[("3", "1", "a")], &CifOptions::default());
    let s = &r.groups[0].steps[0];
    assert_eq!(
        (s.cif, s.se, s.lower, s.upper),
        (1.0, Some(1.0), None, None)
    );
}

#[test]
fn all_censored_stays_at_zero() {
    let r = cif(&[("1", "0", "a"), ("2", "0", "a")], &CifOptions::default());
    for s in &r.groups[0].steps {
        assert_eq!(
            (s.cif, s.se, s.lower, s.upper),
            (0.0, Some(0.0), None, None)
        );
    }
    assert!(r.warnings.iter().any(|w| w.contains("no row used")));
}

#[test]
fn gray_test_of_identical_groups_is_zero() {
    // Each group's score adds d1_g - d1 R_g / sum R at each time; with the same data in both
    // groups d1_g = d1 / 2 and R_g = sum R / 2, so the score and the statistic are 0.
    let mut rows: Vec<(&str, &str, &str)> = EIGHT.to_vec();
    rows.extend(EIGHT.iter().map(|&(t, s, _)| (t, s, "b")));
    let r = cif(&rows, &CifOptions::default());
    let test = r.gray_test.unwrap();
    assert_eq!(test.df, 1);
    assert!(test.chisq.unwrap().abs() < 1e-12, "{test:?}");
    assert_close("p", test.p.unwrap(), 1.0);
    assert_eq!(r.groups[0].steps, r.groups[1].steps);
}

#[test]
fn fine_gray_coefficient_by_hand() {
    // A: t 1 event x 1; B: t 1.5 competing x 0; C: t 1.7 censored x 1; D: t 2 event x 0;
    // E, F: t 3 censored, x 1 and 0. Censoring Kaplan-Meier: at 1.7, 1 of 4 at risk, so
    // G(2-) = 3/4; B stays in the risk set at t = 2 with weight G(2-)/G(1.5-) = 3/4.
    // With u = e^b: t = 1: all six at risk, S0 = 3u + 3; t = 2: D, E, F and B: u + 11/4.
    // log L = b - log(3u + 3) - log(u + 11/4); its derivative 1 - u/(u + 1) - u/(u + 11/4)
    // is 0 at u^2 = 11/4: b = log(11/4)/2. At b = 0, log L = -log 6 - log(15/4).
    // crr stops once |score| max(|b|, 1) < 1e-6 |log L| (about 3e-6 here); with the
    // information 0.47 that leaves b within 3e-6 / 0.47 < 1e-5 of the root (crr's own
    // answer, 0.5057997, is 8e-7 short of it).
    let time = [1.0, 1.5, 1.7, 2.0, 3.0, 3.0];
    let cause = [
        Cause::Event,
        Cause::Competing,
        Cause::Censored,
        Cause::Event,
        Cause::Censored,
        Cause::Censored,
    ];
    let x = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let fit = fit_matrix(&time, &cause, &x, &[Term::numeric("x")], 0.95).unwrap();
    let b = (11.0f64 / 4.0).ln() / 2.0;
    let u = b.exp();
    assert!(fit.converged);
    assert!(
        (fit.terms[0].coef.unwrap() - b).abs() < 1e-5,
        "{:?}",
        fit.terms[0]
    );
    // The log-likelihood is flat at the maximum: 1e-5 in b moves it by about 1e-11.
    assert_close(
        "loglik",
        fit.loglik[1],
        b - (3.0 * u + 3.0).ln() - (u + 11.0 / 4.0).ln(),
    );
    assert_close(
        "null loglik",
        fit.loglik[0],
        -(6.0f64).ln() - (15.0f64 / 4.0).ln(),
    );
    assert!(fit
        .warnings
        .iter()
        .any(|w| w.contains("events per coefficient")));
}
