//! Kaplan-Meier and log-rank on tiny data, every expected number derived by hand in the comments.

use survcalc::compare::{Comparison, Weight};
use survcalc::km::{fit, survival_at, KmOptions};
use survcalc::options::ConfType;

const EPS: f64 = 1e-12;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < EPS
}

fn options(conf_type: ConfType) -> KmOptions {
    KmOptions {
        conf_type,
        conf_level: 0.95,
    }
}

#[test]
fn all_censored_group_stays_at_one() {
    // No events: S(t) = 1 at every time, Greenwood se = 0. log-log limits are undefined at
    // S = 1 (log(-log 1) = log 0); log and plain give [1, 1]. The median is never reached, and
    // the restricted mean to the last time (4) is the whole rectangle 4 x 1 with se 0.
    let time = [2.0, 4.0, 3.0];
    let event = [false, false, false];
    for conf_type in [ConfType::LogLog, ConfType::Log, ConfType::Plain] {
        let c = fit(&time, &event, &options(conf_type)).unwrap();
        assert_eq!(c.steps.len(), 3);
        for s in &c.steps {
            assert_eq!(s.surv, 1.0);
            assert_eq!(s.se, Some(0.0));
            let limits = if conf_type == ConfType::LogLog {
                (None, None)
            } else {
                (Some(1.0), Some(1.0))
            };
            assert_eq!((s.lower, s.upper), limits, "{conf_type:?}");
        }
        assert_eq!(c.events, 0);
        assert_eq!(
            (c.median, c.median_lower, c.median_upper),
            (None, None, None)
        );
        assert!(close(c.rmean, 4.0) && c.rmean_se == 0.0);
        assert!(c.quantiles.iter().all(|q| q.time.is_none()));
    }
}

#[test]
fn single_observation_event_or_censored() {
    // One death at 5: one step, n at risk 1, S = 0; se and limits undefined at S = 0 (R: NA).
    // The median is the first time S <= 0.5: 5. Restricted mean: 5 x 1 = 5; the Greenwood term
    // of a step with n = d counts as 0 (survmean), so se = 0.
    let c = fit(&[5.0], &[true], &options(ConfType::LogLog)).unwrap();
    let s = &c.steps[0];
    assert_eq!((s.n_risk, s.n_event, s.n_censor, s.surv), (1, 1, 0, 0.0));
    assert_eq!((s.se, s.lower, s.upper), (None, None, None));
    assert_eq!(c.median, Some(5.0));
    assert!(close(c.rmean, 5.0) && c.rmean_se == 0.0);
    // One censoring at 5: S = 1, median not reached, rmean 5.
    let c = fit(&[5.0], &[false], &options(ConfType::Log)).unwrap();
    assert_eq!(c.steps[0].surv, 1.0);
    assert_eq!(c.median, None);
    assert!(close(c.rmean, 5.0));
}

#[test]
fn events_come_before_censorings_at_a_tied_time() {
    // Times 2 (event), 2 (censored), 3 (event). At t = 2 all 3 are at risk, 1 dies:
    // S = 2/3, Greenwood se = S sqrt(1/(3 x 2)). At t = 3 one is left and dies: S = 0.
    let c = fit(
        &[2.0, 2.0, 3.0],
        &[true, false, true],
        &options(ConfType::Plain),
    )
    .unwrap();
    let s = &c.steps[0];
    assert_eq!((s.time, s.n_risk, s.n_event, s.n_censor), (2.0, 3, 1, 1));
    assert!(close(s.surv, 2.0 / 3.0));
    assert!(close(s.se.unwrap(), 2.0 / 3.0 * (1.0f64 / 6.0).sqrt()));
    // Plain band: S +- 1.959964 se, clipped to [0, 1].
    let z = 1.959_963_984_540_054;
    assert!((s.upper.unwrap() - (2.0 / 3.0 + z * s.se.unwrap()).min(1.0)).abs() < 1e-9);
    let s = &c.steps[1];
    assert_eq!((s.n_risk, s.n_event, s.surv), (1, 1, 0.0));
}

#[test]
fn event_at_time_zero() {
    // Times 0 (event), 1 (event), 2 (censored): S(0) = 2/3, S(1) = 2/3 x 1/2 = 1/3.
    // Restricted mean to 2: 0 x 1 + 1 x 2/3 + 1 x 1/3 = 1. Median: S first <= 0.5 at t = 1.
    let c = fit(
        &[0.0, 1.0, 2.0],
        &[true, true, false],
        &options(ConfType::LogLog),
    )
    .unwrap();
    assert_eq!(c.steps[0].time, 0.0);
    assert!(close(c.steps[0].surv, 2.0 / 3.0));
    assert!(close(c.steps[1].surv, 1.0 / 3.0));
    assert!(close(c.rmean, 1.0));
    assert_eq!(c.median, Some(1.0));
}

#[test]
fn last_observation_event_versus_censored() {
    // Last an event: times 1, 2, 3 with events at 1 and 3: S = 2/3, 2/3, 0; median 3.
    let ended = fit(
        &[1.0, 2.0, 3.0],
        &[true, false, true],
        &options(ConfType::Log),
    )
    .unwrap();
    assert_eq!(ended.steps[2].surv, 0.0);
    assert_eq!(ended.steps[2].se, None);
    assert_eq!(ended.median, Some(3.0));
    // Last censored: events at 1 and 2: S = 2/3, 1/3, 1/3; the curve stays at 1/3, its se at 3
    // is S sqrt(1/(3 x 2) + 1/(2 x 1)); median 2.
    let open = fit(
        &[1.0, 2.0, 3.0],
        &[true, true, false],
        &options(ConfType::Log),
    )
    .unwrap();
    let last = &open.steps[2];
    assert!(close(last.surv, 1.0 / 3.0));
    assert!(close(
        last.se.unwrap(),
        (1.0 / 3.0) * (1.0f64 / 6.0 + 0.5).sqrt()
    ));
    assert_eq!(open.median, Some(2.0));
    // Past the last follow-up survival is not estimable (null), never 0.
    let past = survival_at(&ended, 3.5);
    assert_eq!(past.surv, None);
    assert_eq!(past.note.as_deref(), Some("not estimable"));
}

#[test]
fn median_on_a_flat_segment_at_one_half_is_the_midpoint() {
    // Four deaths at 1, 2, 3, 4: S = 3/4, 1/2, 1/4, 0. S is exactly 0.5 on [2, 3): R takes the
    // midpoint (2 + 3) / 2 = 2.5. Quartiles: 25% where S first <= 0.75 and stays -> midpoint of
    // [1, 2) = 1.5, 75% -> (3 + 4) / 2 = 3.5.
    let c = fit(
        &[1.0, 2.0, 3.0, 4.0],
        &[true; 4],
        &options(ConfType::LogLog),
    )
    .unwrap();
    assert_eq!(c.median, Some(2.5));
    let q: Vec<Option<f64>> = c.quantiles.iter().map(|q| q.time).collect();
    assert_eq!(q, [Some(1.5), Some(2.5), Some(3.5)]);
}

#[test]
fn restricted_mean_and_its_standard_error() {
    // Deaths at 1, 2, 3 (n = 3): S = 2/3, 1/3, 0; rectangles 1, 2/3, 1/3: rmean = 2.
    // Var = sum over steps of d/(n(n-d)) x (area after the step)^2
    //     = 1/6 x 1^2 + 1/2 x (1/3)^2 + 0 = 2/9.
    let c = fit(&[1.0, 2.0, 3.0], &[true; 3], &options(ConfType::LogLog)).unwrap();
    assert!(close(c.rmean, 2.0));
    assert!(close(c.rmean_se, (2.0f64 / 9.0).sqrt()));
    assert_eq!(c.rmean_limit, 3.0);
}

#[test]
fn log_rank_and_gehan_on_four_deaths() {
    // A dies at 1 and 3, B at 2 and 4.
    // t=1: n=4 (2 A), d=1 (A): E_A = 1/2, V = 1 x 3/3 x 1/2 x 1/2 = 1/4
    // t=2: n=3 (1 A), d=1 (B): E_A = 1/3, V = 1 x 2/2 x 1/3 x 2/3 = 2/9
    // t=3: n=2 (1 A), d=1 (A): E_A = 1/2, V = 1/4
    // t=4: n=1 (0 A): E_A = 0, V = 0.
    // Log-rank: O_A - E_A = 2 - 4/3 = 2/3, V = 13/18, chisq = (4/9) / (13/18) = 8/13.
    // Gehan (weight n): U = 4(1/2) + 3(-1/3) + 2(1/2) = 2, V = 16/4 + 9(2/9) + 4/4 = 7: 4/7.
    let time = [1.0, 3.0, 2.0, 4.0];
    let event = [true; 4];
    let group = [0, 0, 1, 1];
    let c = Comparison::from_observations(&time, &event, &group, 2, None).unwrap();
    let lr = c.test(Weight::LogRank);
    assert!(close(lr.chisq, 8.0 / 13.0), "{}", lr.chisq);
    assert_eq!(lr.df, 1);
    assert!(close(lr.expected[0], 4.0 / 3.0));
    let gehan = c.test(Weight::GehanBreslow);
    assert!(close(gehan.chisq, 4.0 / 7.0), "{}", gehan.chisq);
    // Mantel-Haenszel hazard ratio of B over A: exp((O_B - E_B) / V) = exp(-(2/3) / (13/18)).
    let hr = c.hazard_ratios(0.95).unwrap();
    assert!(close(
        hr[0].hr.unwrap(),
        (-(2.0 / 3.0) / (13.0 / 18.0f64)).exp()
    ));
}

#[test]
fn a_group_never_at_risk_at_an_event_time_drops_a_degree_of_freedom() {
    // Group C's only subject is censored at 0.5, before any death: its expected count is 0,
    // so df = 3 groups with E > 0 ... minus C = 2 - 1 = 1 (survdiff's rule).
    let time = [1.0, 3.0, 2.0, 4.0, 0.5];
    let event = [true, true, true, true, false];
    let group = [0, 0, 1, 1, 2];
    let c = Comparison::from_observations(&time, &event, &group, 3, None).unwrap();
    let lr = c.test(Weight::LogRank);
    assert_eq!(lr.df, 1);
    assert!(close(lr.chisq, 8.0 / 13.0));
    // Only one group has expected events: 0 on 0 df, and survdiff reports p = 1
    // (survdiff(Surv(c(5, 6, 7), c(0, 0, 1)) ~ c("a", "b", "b"))$pvalue in R 4.2, survival 3.5.3).
    let one =
        Comparison::from_observations(&[5.0, 6.0, 7.0], &[false, false, true], &[0, 1, 1], 2, None)
            .unwrap()
            .test(Weight::LogRank);
    assert_eq!((one.chisq, one.df, one.p), (0.0, 0, Some(1.0)));
    // No events at all (survdiff's pvalue is NaN there): nothing to compare, df 0 and no p-value.
    let none = Comparison::from_observations(&[1.0, 2.0], &[false, false], &[0, 1], 2, None)
        .unwrap()
        .test(Weight::LogRank);
    assert_eq!((none.chisq, none.df, none.p), (0.0, 0, None));
}

#[test]
fn curve_ending_flat_at_one_half_print_and_quantile_differ_as_in_r() {
    // Deaths at 1 and 2, censored at 3 and 4: S = 3/4, 1/2, 1/2, 1/2. The curve never drops
    // below 0.5, so survmean's minmin (print, summary()$table) gives the first time at 0.5: 2;
    // quantile.survfit's findq takes the midpoint of that time and the last time: (2 + 4)/2 = 3.
    // R 3.5.3: summary(fit)$table["median"] = 2, quantile(fit)$quantile["50"] = 3.
    let c = fit(
        &[1.0, 2.0, 3.0, 4.0],
        &[true, true, false, false],
        &options(ConfType::LogLog),
    )
    .unwrap();
    assert_eq!(c.median, Some(2.0));
    assert_eq!(c.quantiles[1].time, Some(3.0));
    assert_eq!(c.quantiles[2].time, None);
    // Restricted mean to 4: 1 + 3/4 + 1/2 + 1/2 = 2.75 (R: 2.75).
    assert!(close(c.rmean, 2.75));
}
