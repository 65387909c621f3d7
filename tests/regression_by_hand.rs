//! Linear and logistic regression on tiny data whose answers are derived in the comments.

use survcalc::data::design::{Design, Term};
use survcalc::regression::{fit_linear, fit_logistic};

fn design(name: &str, x: &[f64]) -> Design {
    Design {
        x: x.to_vec(),
        terms: vec![Term::numeric(name)],
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[track_caller]
fn assert_near(what: &str, actual: Option<f64>, expected: f64, tol: f64) {
    let a = actual.unwrap_or_else(|| panic!("{what}: no value"));
    assert!(close(a, expected, tol), "{what}: {a} vs {expected}");
}

/// y = (1, 3, 2) on x = (0, 1, 2).
///
/// Normal equations X'X b = X'y with X = [1 x]: X'X = [[3, 3], [3, 5]], X'y = [6, 7].
/// det = 15 - 9 = 6, (X'X)^-1 = [[5, -3], [-3, 3]] / 6, b = [30 - 21, -18 + 21] / 6 = [3/2, 1/2].
/// Fitted 3/2, 2, 5/2; residuals -1/2, 1, -1/2; RSS = 3/2 on 3 - 2 = 1 df, s^2 = 3/2.
/// se(b0) = sqrt(3/2 * 5/6) = sqrt(5/4), se(b1) = sqrt(3/2 * 3/6) = sqrt(3/4);
/// t0 = (3/2) / sqrt(5/4) = sqrt(9/5), t1 = (1/2) / sqrt(3/4) = 1 / sqrt 3.
/// With 1 df, t is Cauchy: P(|T| > t) = 1 - 2 atan(t) / pi, so P1 = 1 - 2 (pi/6) / pi = 2/3.
/// Limits b1 -+ qt(0.975, 1) se(b1), qt(0.975, 1) = tan(0.475 pi) = 12.706204736174694 (R).
/// mean y = 2: TSS = 1 + 1 + 0 = 2; MSS = 1/4 + 0 + 1/4 = 1/2; R^2 = (1/2) / 2 = 1/4;
/// adjusted 1 - (3/4)(2/1) = -1/2; F = (1/2) / (3/2) = 1/3 on (1, 1) df, P = 2/3 (F = t^2).
#[test]
fn a_line_through_three_points() {
    let fit = fit_linear(
        &[1.0, 3.0, 2.0],
        &design("x", &[0.0, 1.0, 2.0]),
        &[1, 2, 3],
        0.95,
        true,
    );
    let tol = 1e-12;
    let (b0, b1) = (&fit.terms[0], &fit.terms[1]);
    assert_eq!(b0.name, "(Intercept)");
    assert_near("b0", b0.estimate, 1.5, tol);
    assert_near("b1", b1.estimate, 0.5, tol);
    assert_near("se b0", b0.se, 1.25_f64.sqrt(), tol);
    assert_near("se b1", b1.se, 0.75_f64.sqrt(), tol);
    assert_near("t0", b0.statistic, 1.8_f64.sqrt(), tol);
    assert_near("t1", b1.statistic, 1.0 / 3.0_f64.sqrt(), tol);
    assert_near("P1", b1.p, 2.0 / 3.0, tol);
    let p0 = 1.0 - 2.0 * 1.8_f64.sqrt().atan() / std::f64::consts::PI;
    assert_near("P0", b0.p, p0, tol);
    let q = (0.475 * std::f64::consts::PI).tan() * 0.75_f64.sqrt();
    assert_near("lower b1", b1.lower, 0.5 - q, tol);
    assert_near("upper b1", b1.upper, 0.5 + q, tol);
    assert_near("sigma", fit.sigma, 1.5_f64.sqrt(), tol);
    assert_near("R2", fit.r_squared, 0.25, tol);
    assert_near("adjusted R2", fit.adj_r_squared, -0.5, tol);
    let f = fit.f_test.unwrap();
    assert!(close(f.statistic, 1.0 / 3.0, tol) && close(f.p, 2.0 / 3.0, tol));
    assert_eq!((f.df1, f.df2, fit.df_residual), (1, 1, 1));
    let res: Vec<f64> = fit.residuals.unwrap().iter().map(|r| r.residual).collect();
    for (r, e) in res.iter().zip([-0.5, 1.0, -0.5]) {
        assert!((r - e).abs() < tol, "{res:?}");
    }
}

/// Two points determine a line: no residual df, so no SE, test or interval (R: NaN).
#[test]
fn no_residual_degrees_of_freedom() {
    let fit = fit_linear(&[1.0, 3.0], &design("x", &[0.0, 1.0]), &[1, 2], 0.95, false);
    assert_near("b1", fit.terms[1].estimate, 2.0, 1e-12);
    assert_eq!(fit.terms[1].se, None);
    assert_eq!(fit.f_test, None);
    assert!(fit
        .warnings
        .iter()
        .any(|w| w.contains("no residual degrees of freedom")));
}

/// A 2 x 2 table: x = 0 has 1 outcome in 3 rows, x = 1 has 2 in 3.
///
/// With one binary covariate the logistic MLE reproduces each group's proportion:
/// intercept = logit(1/3) = log(1/2), slope = logit(2/3) - logit(1/3) = 2 log 2 (OR 4);
/// se(slope)^2 = 1/1 + 1/2 + 1/2 + 1/1 = 3 (Woolf), se(intercept)^2 = 1/1 + 1/2 = 3/2.
/// log L = 2 [log(1/3) + 2 log(2/3)] = 4 log 2 - 6 log 3, deviance = 12 log 3 - 8 log 2;
/// null (p = 1/2): 12 log 2; LR = 20 log 2 - 12 log 3 on 1 df; AIC = deviance + 2 * 2.
/// glm stops once the deviance changes by less than 1e-8 relative, a step after which the
/// estimates are within about 1e-10 of the maximum (R gives -0.69314718055974311 and
/// 1.38629436111948579 here). Its standard errors use the weights of the step before, so
/// they are off by more: R gives 1.7320504895440849 for sqrt 3, 1.8e-7 below.
#[test]
fn a_two_by_two_table() {
    let y = [true, false, false, true, true, false];
    let fit = fit_logistic(
        &y,
        &design("x", &[0.0, 0.0, 0.0, 1.0, 1.0, 1.0]),
        0.95,
        false,
    );
    let tol = 1e-9;
    let ln2 = 2.0_f64.ln();
    let ln3 = 3.0_f64.ln();
    let (b0, b1) = (&fit.terms[0], &fit.terms[1]);
    assert_near("intercept", b0.term.estimate, -ln2, tol);
    assert_near("slope", b1.term.estimate, 2.0 * ln2, tol);
    assert_near("OR", b1.odds_ratio, 4.0, tol);
    assert_near("se slope", b1.term.se, 3.0_f64.sqrt(), 1e-6);
    assert_near("se intercept", b0.term.se, 1.5_f64.sqrt(), 1e-6);
    let z = 1.959_963_984_540_054; // qnorm(0.975)
    assert_near(
        "OR lower",
        b1.or_lower,
        (2.0 * ln2 - z * 3.0_f64.sqrt()).exp(),
        1e-6,
    );
    assert!(close(fit.deviance, 12.0 * ln3 - 8.0 * ln2, tol));
    assert!(close(fit.null_deviance, 12.0 * ln2, 1e-14));
    assert_near("LR", fit.lr_test.chisq, 20.0 * ln2 - 12.0 * ln3, tol);
    assert!(close(fit.aic, 12.0 * ln3 - 8.0 * ln2 + 4.0, tol));
    assert!(!fit.separation && fit.converged);
}

/// x = 0 never has the outcome, x = 1 always: complete separation. The log-likelihood
/// rises towards 0 as the slope goes to +infinity and the intercept to -infinity, so both
/// are infinite and nothing of theirs is estimated; the deviance tends to 0.
#[test]
fn complete_separation_is_infinite_both_ways() {
    let y = [false, false, true, true];
    let fit = fit_logistic(&y, &design("x", &[0.0, 0.0, 1.0, 1.0]), 0.95, true);
    assert!(fit.separation);
    assert!(fit
        .terms
        .iter()
        .all(|t| t.infinite && t.term.estimate.is_none()));
    assert!(fit.deviance < 1e-6, "{}", fit.deviance);
    assert!(fit.warnings[0].contains("'(Intercept)' runs to -infinity (odds ratio zero)"));
    assert!(fit.warnings[1].contains("'x' runs to +infinity (odds ratio infinite)"));
    // Firth's estimate is finite: with the penalty each cell gains half an observation,
    // so for this symmetric table the slope is logit(2.5/3) - logit(0.5/3) = 2 log 5.
    let firth = fit.firth.unwrap();
    let slope = firth.terms[1].estimate.unwrap();
    assert!(close(slope, 2.0 * 5.0_f64.ln(), 1e-9), "{slope}");
}

/// No rows at all (the table path refuses them first, but the functions are public): no
/// panic, nothing estimated.
#[test]
fn no_rows_give_no_estimates_and_no_panic() {
    let empty = design("x", &[]);
    let linear = fit_linear(&[], &empty, &[], 0.95, true);
    assert_eq!((linear.n, linear.rank, linear.df_residual), (0, 0, 0));
    assert!(linear.terms.iter().all(|t| t.estimate.is_none()));
    let logistic = fit_logistic(&[], &empty, 0.95, false);
    assert_eq!((logistic.n, logistic.df_null), (0, 0));
    assert!(logistic.terms.iter().all(|t| t.term.estimate.is_none()));
}
