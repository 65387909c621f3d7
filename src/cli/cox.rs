//! The readable text of a Cox fit: a table of hazard ratios, the tests, and the univariable table.

use std::fmt::Write;

use survcalc::cox::{ChisqTest, CoxFit, CoxTerm, FirthFit, UnivariateModel, Zph};
use survcalc::format::p_value;
use survcalc::labels::Labels;
use survcalc::options::ZphTransform;

use super::exclusions;

/// Renders a fit as plain-text tables for the terminal.
pub fn render(fit: &CoxFit, rows: &super::RowsRead, labels: &Labels) -> String {
    let mut out = String::new();
    let level = fit.conf_level * 100.0;
    let _ = writeln!(
        out,
        "Cox proportional hazards regression (ties: {:?})",
        fit.ties
    );
    let _ = writeln!(out, "n = {}, events = {}", fit.n, fit.events);
    if let Some(time) = &fit.time_description {
        let _ = writeln!(out, "Time: {time}");
    }
    if let Some(coding) = &fit.event_coding {
        let _ = writeln!(out, "Event: {coding}");
    }
    if let Some(strata) = &fit.strata {
        let _ = writeln!(
            out,
            "stratified by {} strata: {}",
            strata.len(),
            strata.join(", ")
        );
    }
    let _ = writeln!(out);
    out.push_str(&render_terms(fit, level, labels));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "log-likelihood: {:.4} (null), {:.4} (model)",
        fit.loglik[0], fit.loglik[1]
    );
    for (name, test) in [
        ("Likelihood-ratio test", &fit.lr_test),
        ("Wald test", &fit.wald_test),
        ("Score (log-rank) test", &fit.score_test),
    ] {
        let _ = writeln!(out, "{name:<22} {}", test_line(test));
    }
    let _ = writeln!(out, "Concordance: {}", num(fit.concordance, 3));
    if let Some(zph) = &fit.zph {
        let _ = writeln!(out);
        out.push_str(&render_zph(zph));
    }
    if let Some(firth) = &fit.firth {
        let _ = writeln!(out);
        out.push_str(&render_firth(firth, level));
    }
    if let Some(models) = &fit.univariate {
        let _ = writeln!(out);
        out.push_str(&render_univariate(models, level, labels));
    }
    out.push_str(&exclusions(&fit.excluded, rows));
    for w in &fit.warnings {
        let _ = writeln!(out, "\nWarning: {w}");
    }
    out
}

/// The table of terms, each covariate on its header row with its overall tests: a numeric
/// covariate's term is its header; a categorical one gets a row of its own (its name, Wald P
/// over its terms, likelihood-ratio P) above its levels' rows.
fn render_terms(fit: &CoxFit, level: f64, labels: &Labels) -> String {
    let mut out = String::new();
    let row = |out: &mut String, cells: [&str; 7]| {
        let [name, coef, se, hr, ci, p, lr_p] = cells;
        let _ = writeln!(
            out,
            "{name:<24} {coef:>10} {se:>10} {hr:>10} {ci:>21} {p:>8} {lr_p:>8}"
        );
    };
    row(
        &mut out,
        [
            "term",
            "coef",
            "se",
            "HR",
            &format!("{level}% CI"),
            "P",
            "LR P",
        ],
    );
    let shown = |t: &CoxTerm| labels.term(&t.name, &t.variable, t.level.as_deref());
    let term_row = |out: &mut String, t: &CoxTerm, name: &str, lr_p: &str| {
        let hr = if t.infinite {
            "infinite".into()
        } else {
            num(t.hr, 3)
        };
        let (coef, se) = (num(t.coef, 4), num(t.se, 4));
        let ci = interval(t.hr_lower, t.hr_upper);
        let p = t.p.map_or("-".into(), p_value);
        row(out, [name, &coef, &se, &hr, &ci, &p, lr_p]);
    };
    let p_of = |p: Option<f64>| p.map_or("-".into(), p_value);
    for test in &fit.covariate_tests {
        let terms: Vec<&CoxTerm> = fit
            .terms
            .iter()
            .filter(|t| t.variable == test.covariate)
            .collect();
        let lr_p = p_of(test.lr_p);
        match terms.as_slice() {
            [t] if t.level.is_none() => term_row(&mut out, t, &shown(t), &lr_p),
            _ => {
                let header = format!("{} ({} df)", labels.column(&test.covariate), test.df);
                row(
                    &mut out,
                    [&header, "", "", "", "", &p_of(test.wald_p), &lr_p],
                );
                for t in terms {
                    term_row(&mut out, t, &format!("  {}", shown(t)), "");
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "P: Wald; a covariate's row tests all its terms. LR P: likelihood ratio against the model without the covariate."
    );
    out
}

/// The univariable screening table as a paper prints it: one row per level, "Ref" for the reference.
pub fn render_univariate(models: &[UnivariateModel], level: f64, labels: &Labels) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Univariable Cox models (one model per covariate)");
    let _ = writeln!(
        out,
        "{:<20} {:<14} {:>6} {:>7} {:>24} {:>8} {:>10}",
        "variable",
        "level",
        "n",
        "events",
        format!("HR ({level}% CI)"),
        "P",
        "overall P"
    );
    for m in models {
        for (k, row) in m.rows.iter().enumerate() {
            let hr = if row.reference {
                "Ref".to_string()
            } else if row.infinite {
                "infinite".to_string()
            } else {
                format!(
                    "{} {}",
                    num(row.hr, 2),
                    interval(row.hr_lower, row.hr_upper)
                )
            };
            let first = k == 0;
            let any_infinite = m.rows.iter().any(|r| r.infinite);
            let overall = if first && (m.rows.len() > 2 || any_infinite) {
                m.lr_test.p.map_or("-".into(), p_value)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{:<20} {:<14} {:>6} {:>7} {:>24} {:>8} {:>10}",
                if first {
                    labels.column(&m.variable)
                } else {
                    ""
                },
                row.level
                    .as_deref()
                    .map_or("", |l| labels.level(&m.variable, l)),
                if first {
                    m.n.to_string()
                } else {
                    String::new()
                },
                if first {
                    m.events.to_string()
                } else {
                    String::new()
                },
                hr,
                if row.reference {
                    String::new()
                } else {
                    row.p.map_or("-".into(), p_value)
                },
                overall
            );
        }
    }
    out
}

/// The proportional-hazards table: one row per covariate and the global test.
pub fn render_zph(zph: &Zph) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Test of proportional hazards (cox.zph, transform: {})",
        match zph.transform {
            ZphTransform::Km => "km",
            ZphTransform::Identity => "identity",
            ZphTransform::Rank => "rank",
            ZphTransform::Log => "log",
        }
    );
    let _ = writeln!(out, "{:<24} {:>10} {:>4} {:>8}", "term", "chisq", "df", "P");
    let rows = zph
        .terms
        .iter()
        .map(|t| (t.term.as_str(), t.chisq, t.df, t.p))
        .chain([("GLOBAL", zph.global.chisq, zph.global.df, zph.global.p)]);
    for (name, chisq, df, p) in rows {
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>4} {:>8}",
            name,
            num(chisq, 3),
            df,
            p.map_or("-".into(), p_value)
        );
    }
    out
}

/// Firth's penalised estimates with profile-likelihood intervals and penalised LR P.
pub fn render_firth(firth: &FirthFit, level: f64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Firth's penalised Cox regression (Breslow ties; profile-likelihood {level}% CI, penalised likelihood-ratio P)"
    );
    let _ = writeln!(
        out,
        "{:<24} {:>10} {:>10} {:>21} {:>8}",
        "term", "coef", "HR", "CI", "P"
    );
    for t in &firth.terms {
        let _ = writeln!(
            out,
            "{:<24} {:>10.4} {:>10.3} {:>21} {:>8}",
            t.name,
            t.coef,
            t.hr,
            interval(t.hr_lower, t.hr_upper),
            t.p.map_or("-".into(), p_value)
        );
    }
    let _ = writeln!(
        out,
        "{:<22} {}",
        "Penalised LR test",
        test_line(&firth.lr_test)
    );
    out
}

fn num(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "-".into(), |x| format!("{x:.decimals$}"))
}

fn interval(lower: Option<f64>, upper: Option<f64>) -> String {
    match (lower, upper) {
        (Some(l), Some(u)) => format!("({}-{})", ratio(l), ratio(u)),
        _ => "-".into(),
    }
}

/// A ratio with two decimals, or enough significant digits when it is small.
fn ratio(x: f64) -> String {
    if x >= 0.1 {
        format!("{x:.2}")
    } else if x >= 0.001 {
        format!("{x:.4}")
    } else {
        format!("{x:.1e}")
    }
}

fn test_line(t: &ChisqTest) -> String {
    match (t.chisq, t.p) {
        (Some(c), Some(p)) => format!("chisq = {c:.3} on {} df, P = {}", t.df, p_value(p)),
        _ => format!("not available on {} df", t.df),
    }
}
