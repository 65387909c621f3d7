//! Cox fits on tiny data sets whose answers are derived by hand in the comments.

mod common;

use survcalc::cox::{fit_matrix, CoxFit, CoxMatrix};
use survcalc::data::Table;
use survcalc::options::Ties;

fn fit(rows: &[[&str; 3]], ties: Ties) -> CoxFit {
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.to_vec()).collect();
    let table = Table::from_rows(&["t", "d", "x"], &rows).unwrap();
    common::cox_one_covariate(&table, ties)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-10 * b.abs().max(1.0), "{a} vs {b}");
}

/// (t, d, x) = (1,1,1), (2,1,0), (3,1,1), (4,0,0); write r = exp(beta).
/// Risk sets: t=1 all four (sum 2r+2, the death has x=1); t=2 rows 2-4 (r+2, x=0);
/// t=3 rows 3-4 (r+1, x=1). So l(b) = 2b - ln(2r+2) - ln(r+2) - ln(r+1).
/// l(0) = -ln 24. U(0) = 2 - (1/2 + 1/3 + 1/2) = 2/3; I(0) = 1/4 + 2/9 + 1/4 = 13/18,
/// so the score test is (4/9)/(13/18) = 8/13. U(b) = 2/(r+1) - r/(r+2) = 0 gives
/// r^2 - r - 4 = 0: HR = (1 + sqrt 17)/2.
#[test]
fn four_subjects_without_ties() {
    let f = fit(
        &[
            ["1", "1", "1"],
            ["2", "1", "0"],
            ["3", "1", "1"],
            ["4", "0", "0"],
        ],
        Ties::Efron,
    );
    let r = (1.0 + 17f64.sqrt()) / 2.0;
    close(f.terms[0].hr.unwrap(), r);
    close(f.loglik[0], -(24f64.ln()));
    let l = 2.0 * r.ln() - (2.0 * r + 2.0).ln() - (r + 2.0).ln() - (r + 1.0).ln();
    close(f.loglik[1], l);
    close(f.score_test.chisq.unwrap(), 8.0 / 13.0);
    // Information at the maximum: sum of p(1-p) with p = r/(r+1), r/(r+2), r/(r+1).
    let info = 2.0 * r / (r + 1.0).powi(2) + 2.0 * r / (r + 2.0).powi(2);
    close(f.terms[0].se.unwrap(), 1.0 / info.sqrt());
    assert_eq!((f.n, f.events), (4, 3));
}

/// (t, d, x) = (1,1,1), (1,1,0), (2,0,1), (2,1,0): two deaths tied at t=1.
/// At t=1 the risk set is all four, D = 2r+2, the deaths' risk r+1; at t=2 it is r+1.
/// Breslow: l = b - 2 ln(2r+2) - ln(r+1) = b - 2 ln 2 - 3 ln(r+1).
/// Efron: the second death sees D - (r+1)/2, so l = b - ln 2 - ln 1.5 - 3 ln(r+1).
/// Both give U = 1 - 3r/(r+1) = 0, r = 1/2, and differ only in the log-likelihood.
#[test]
fn tied_deaths_by_breslow_and_efron() {
    let rows = [
        ["1", "1", "1"],
        ["1", "1", "0"],
        ["2", "0", "1"],
        ["2", "1", "0"],
    ];
    let b = fit(&rows, Ties::Breslow);
    let e = fit(&rows, Ties::Efron);
    close(b.terms[0].hr.unwrap(), 0.5);
    close(e.terms[0].hr.unwrap(), 0.5);
    close(
        b.loglik[1],
        0.5f64.ln() - 2.0 * 2f64.ln() - 3.0 * 1.5f64.ln(),
    );
    close(
        e.loglik[1],
        0.5f64.ln() - 2f64.ln() - 1.5f64.ln() - 3.0 * 1.5f64.ln(),
    );
}

/// A covariate whose every death has the largest value in its risk set: the likelihood
/// rises for ever as beta grows, so the term is infinite and no HR is made up.
#[test]
fn monotone_likelihood_is_flagged_not_estimated() {
    let f = fit(
        &[
            ["1", "1", "1"],
            ["2", "1", "1"],
            ["3", "0", "0"],
            ["4", "0", "0"],
            ["5", "0", "1"],
        ],
        Ties::Efron,
    );
    let t = &f.terms[0];
    assert!(t.infinite);
    assert_eq!((t.hr, t.se, t.p, t.hr_lower), (None, None, None, None));
    assert!(f.lr_test.p.is_some() && f.wald_test.chisq.is_none());
    assert!(f
        .warnings
        .iter()
        .any(|w| w.contains("Monotone likelihood") && w.contains("likelihood-ratio")));
}

/// The numeric entry point gives the four-subject answer above: HR = (1 + sqrt 17)/2.
#[test]
fn numeric_inputs_give_the_same_fit() {
    let names = ["x".to_string()];
    let m = CoxMatrix {
        time: &[1.0, 2.0, 3.0, 4.0],
        event: &[true, true, true, false],
        x: &[1.0, 0.0, 1.0, 0.0],
        names: &names,
        strata: None,
    };
    let f = fit_matrix(&m, Ties::Efron, 0.95).unwrap();
    close(f.terms[0].hr.unwrap(), (1.0 + 17f64.sqrt()) / 2.0);
    assert!(fit_matrix(&CoxMatrix { x: &[1.0], ..m }, Ties::Efron, 0.95).is_err());
    assert!(fit_matrix(
        &CoxMatrix {
            x: &[1.0, f64::NAN, 1.0, 0.0],
            ..m
        },
        Ties::Efron,
        0.95
    )
    .is_err());
}
