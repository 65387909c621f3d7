//! The readable text of `survcalc regression`: the coefficient table, the model's fit and tests, exclusions and warnings.

use std::fmt::Write;

use survcalc::format::p_value;
use survcalc::regression::{FirthLogistic, LinearFit, LogisticFit, RegressionFit, Term};

/// Renders a fit as plain-text tables for the terminal; `rows` are the data rows read.
pub fn render(fit: &RegressionFit, outcome: &str, rows: &super::RowsRead) -> String {
    match fit {
        RegressionFit::Linear(f) => linear(f, outcome, rows),
        RegressionFit::Logistic(f) => logistic(f, outcome, rows),
    }
}

fn num(x: Option<f64>, decimals: usize) -> String {
    x.map_or("-".into(), |x| format!("{x:.decimals$}"))
}

fn interval(lower: Option<f64>, upper: Option<f64>, decimals: usize) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!("({l:.decimals$}, {u:.decimals$})"),
        _ => "-".into(),
    }
}

fn p(x: Option<f64>) -> String {
    x.map_or("-".into(), p_value)
}

fn ci_header(conf_level: f64) -> String {
    format!("{}% CI", conf_level * 100.0)
}

fn linear(f: &LinearFit, outcome: &str, rows: &super::RowsRead) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Linear regression of '{outcome}' (least squares, as R's lm), n = {}\n",
        f.n
    );
    let _ = writeln!(
        out,
        "{:<24} {:>12} {:>10} {:>9} {:>8} {:>27}",
        "term",
        "estimate",
        "se",
        "t",
        "P",
        ci_header(f.conf_level)
    );
    for t in &f.terms {
        let _ = writeln!(
            out,
            "{:<24} {:>12} {:>10} {:>9} {:>8} {:>27}",
            t.name,
            estimate(t),
            num(t.se, 4),
            num(t.statistic, 3),
            p(t.p),
            interval(t.lower, t.upper, 4)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "R-squared {}, adjusted {}; residual standard error {} on {} df",
        num(f.r_squared, 4),
        num(f.adj_r_squared, 4),
        num(f.sigma, 4),
        f.df_residual
    );
    if let Some(ft) = &f.f_test {
        let _ = writeln!(
            out,
            "F test of the model: F = {:.4} on {} and {} df, P {}",
            ft.statistic,
            ft.df1,
            ft.df2,
            p_value(ft.p)
        );
    }
    super::exclusions_and_warnings(&mut out, &f.excluded, rows, &f.warnings);
    out
}

fn estimate(t: &Term) -> String {
    if t.aliased {
        "aliased".into()
    } else {
        num(t.estimate, 4)
    }
}

fn logistic(f: &LogisticFit, outcome: &str, rows: &super::RowsRead) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Logistic regression of '{outcome}' (maximum likelihood, as R's glm with family binomial), n = {}, with the outcome: {}",
        f.n, f.events
    );
    if let Some(coding) = &f.event_coding {
        let _ = writeln!(out, "Outcome: {coding}");
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<24} {:>10} {:>9} {:>8} {:>8} {:>10} {:>23}",
        "term",
        "estimate",
        "se",
        "z",
        "P",
        "OR",
        format!("{} (Wald)", ci_header(f.conf_level))
    );
    for t in &f.terms {
        let or = if t.infinite {
            "infinite".into()
        } else {
            num(t.odds_ratio, 3)
        };
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>9} {:>8} {:>8} {:>10} {:>23}",
            t.term.name,
            if t.infinite {
                "-".into()
            } else {
                estimate(&t.term)
            },
            num(t.term.se, 4),
            num(t.term.statistic, 3),
            p(t.term.p),
            or,
            interval(t.or_lower, t.or_upper, 3)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "null deviance {:.4} on {} df, residual deviance {:.4} on {} df, AIC {:.4}",
        f.null_deviance, f.df_null, f.deviance, f.df_residual, f.aic
    );
    let _ = writeln!(
        out,
        "likelihood-ratio test of the model: chi-square {} on {} df, P {}",
        num(f.lr_test.chisq, 4),
        f.lr_test.df,
        p(f.lr_test.p)
    );
    if let Some(firth) = &f.firth {
        firth_table(&mut out, firth, f.conf_level);
    }
    super::exclusions_and_warnings(&mut out, &f.excluded, rows, &f.warnings);
    out
}

fn firth_table(out: &mut String, f: &FirthLogistic, conf_level: f64) {
    let _ = writeln!(
        out,
        "\nFirth's penalised logistic regression (profile penalised-likelihood limits, penalised likelihood-ratio P)"
    );
    let _ = writeln!(
        out,
        "{:<24} {:>10} {:>9} {:>10} {:>23} {:>8}",
        "term",
        "estimate",
        "se",
        "OR",
        ci_header(conf_level),
        "P"
    );
    for t in &f.terms {
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>9} {:>10} {:>23} {:>8}",
            t.name,
            num(t.estimate, 4),
            num(t.se, 4),
            num(t.odds_ratio, 3),
            interval(t.or_lower, t.or_upper, 3),
            p(t.p)
        );
    }
    let _ = writeln!(
        out,
        "penalised likelihood-ratio test of the model: chi-square {} on {} df, P {}",
        num(f.lr_test.chisq, 4),
        f.lr_test.df,
        p(f.lr_test.p)
    );
}
