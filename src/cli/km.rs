//! The readable text of `survcalc km`: one summary line per group, follow-up, each group's
//! event times, survival at chosen times, then the tests between groups.

use survcalc::analysis::KmReport;
use survcalc::exact::{PermutationMethod, PermutationTest};
use survcalc::format::{self, p_value};
use survcalc::rmst::{RmstComparison, SpssMean};

use super::exclusions;
use super::labels::Shown;

/// Optional number for a table cell: "NA" when absent (R's print).
fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".into(), |x| format!("{x:.4}"))
}

/// One row of the tests table: name, statistic, df and P.
fn test_line(name: &str, chisq: f64, df: usize, p: Option<f64>) -> String {
    format!(
        "{name:<28} {chisq:>12.4} {df:>4} {:>8}\n",
        p.map_or_else(|| "NA".into(), p_value)
    )
}

/// `median (lower, upper)` as a readable cell.
fn with_limits(x: Option<f64>, lower: Option<f64>, upper: Option<f64>) -> String {
    let show = |x: Option<f64>| x.map_or_else(|| "NR".into(), format::time);
    format!("{} ({}, {})", show(x), show(lower), show(upper))
}

/// The report as readable tables: one summary line per group, its event times, then the tests.
pub fn render_text(report: &KmReport, rows: &super::RowsRead, shown: &Shown) -> String {
    let level = report.conf_level * 100.0;
    let mut out = String::new();
    out.push_str(&format!(
        "Kaplan-Meier estimates ({level}% CI, {}; restricted mean to {})\n\n",
        report.conf_type.describe(),
        match report.tau {
            Some(tau) => format!("tau = {}", format::time(tau)),
            None => "each group's largest observed time".into(),
        }
    ));
    if let Some(time) = &report.time_description {
        out.push_str(&format!("Time: {time}\n"));
    }
    out.push_str(&format!("Event: {}\n\n", report.event_coding));
    out.push_str(&format!(
        "{:<16} {:>8} {:>8} {:>34} {:>12} {:>10} {:>10}\n",
        "group", "n", "events", "median (CI)", "rmean", "se(rmean)", "limit"
    ));
    for g in &report.groups {
        let c = &g.curve;
        out.push_str(&format!(
            "{:<16} {:>8} {:>8} {:>34} {:>12.4} {:>10.4} {:>10}\n",
            shown.group(&g.name),
            c.n,
            c.events,
            with_limits(c.median, c.median_lower, c.median_upper),
            c.rmean,
            c.rmean_se,
            format::time(c.rmean_limit)
        ));
    }
    out.push_str("\nMedian follow-up (reverse Kaplan-Meier) and range\n");
    for g in &report.groups {
        let f = &g.follow_up;
        out.push_str(&format!(
            "{:<16} {:>34}   range {} to {}\n",
            shown.group(&g.name),
            with_limits(f.median, f.median_lower, f.median_upper),
            format::time(f.min),
            format::time(f.max)
        ));
    }
    for g in &report.groups {
        out.push_str(&format!(
            "\n{} (event times)\n{:>12} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10}\n",
            shown.group(&g.name),
            "time",
            "n.risk",
            "n.event",
            "survival",
            "std.err",
            "lower",
            "upper"
        ));
        for s in g.curve.steps.iter().filter(|s| s.n_event > 0) {
            out.push_str(&format!(
                "{:>12} {:>8} {:>8} {:>10.4} {:>10} {:>10} {:>10}\n",
                format::time(s.time),
                s.n_risk,
                s.n_event,
                s.surv,
                cell(s.se),
                cell(s.lower),
                cell(s.upper)
            ));
        }
        for a in &g.at {
            out.push_str(&format!(
                "  at {}: {}\n",
                format::time(a.time),
                match a.surv {
                    Some(_) => format!(
                        "survival {} ({}, {}), {} at risk",
                        cell(a.surv),
                        cell(a.lower),
                        cell(a.upper),
                        a.n_risk
                    ),
                    None => "not estimable (past the last follow-up)".into(),
                }
            ));
        }
    }
    if !report.tests.is_empty() {
        out.push_str(&format!(
            "\nTests between groups{}\n{:<28} {:>12} {:>4} {:>8}\n",
            if report.strata.is_empty() {
                String::new()
            } else {
                format!(" (stratified over {} strata)", report.strata.len())
            },
            "test",
            "chisq",
            "df",
            "p"
        ));
        let extra = report.fleming_harrington.iter();
        for t in report.tests.iter().chain(extra) {
            out.push_str(&test_line(&t.name, t.chisq, t.df, t.p));
        }
    }
    if let Some(t) = &report.trend {
        out.push_str(&test_line(&t.name, t.chisq, t.df, t.p));
    }
    if let Some(t) = &report.exact_test {
        out.push_str(&exact_test_text(t));
    }
    if let Some(rows) = &report.rmst_comparison {
        out.push_str(&rmst_comparison_text(rows, report, shown));
    }
    if let Some(rows) = &report.spss_means {
        out.push_str(&spss_means_text(rows, report.conf_level, shown));
    }
    if let Some(hr) = &report.hazard_ratio {
        out.push_str(&format!(
            "\nHazard ratio, '{}' vs '{}' ({}% CI)\n",
            shown.group(&hr.group),
            shown.group(&hr.reference),
            hr.conf_level * 100.0
        ));
        for e in &hr.estimates {
            out.push_str(&format!(
                "{:<28} {}\n",
                e.method,
                with_limits(e.hr, e.lower, e.upper)
            ));
        }
    }
    if let Some(pw) = &report.pairwise {
        out.push_str(&format!(
            "\nPairwise {} tests ({} adjustment)\n",
            pw.test, pw.adjust
        ));
        for p in &pw.comparisons {
            out.push_str(&format!(
                "{:<14} vs {:<14} chisq {:>10.4}  p {:>8}  adjusted {:>8}\n",
                shown.group(&p.group1),
                shown.group(&p.group2),
                p.chisq,
                p.p.map_or_else(|| "NA".into(), p_value),
                p.p_adjusted.map_or_else(|| "NA".into(), p_value)
            ));
        }
    }
    out.push_str(&exclusions(&report.excluded, rows));
    for w in &report.warnings {
        out.push_str(&format!("\nwarning: {w}\n"));
    }
    out
}

/// The permutation test: statistic, P, and how P was obtained.
fn exact_test_text(t: &PermutationTest) -> String {
    let how = match (t.method, t.resamples, t.seed) {
        (PermutationMethod::MonteCarlo, Some(b), Some(seed)) => format!(
            "Monte Carlo, {b} random permutations, seed {seed}; standard error of P {:.2e}",
            t.mc_se.unwrap_or(f64::NAN)
        ),
        _ => "exact distribution".into(),
    };
    format!(
        "\nPermutation log-rank test ({how})\n{:<28} {:>12} {:>4} {:>8}\n{:<28} {:>12.4} {:>4} {:>8}\n",
        "test",
        "statistic",
        "",
        "p",
        t.name,
        t.statistic,
        "",
        p_value(t.p)
    )
}

/// Differences and ratios of restricted means against the reference group.
fn rmst_comparison_text(rows: &[RmstComparison], report: &KmReport, shown: &Shown) -> String {
    let Some(reference) = rows.first().map(|r| shown.group(&r.reference)) else {
        return String::new();
    };
    let mut out = format!(
        "\nRestricted mean survival time at tau = {} against '{reference}' ({}% CI)\n{:<16} {:>34} {:>8} {:>34} {:>8}\n",
        report.tau.map_or_else(String::new, format::time),
        report.conf_level * 100.0,
        "group",
        "difference (CI)",
        "p",
        "ratio (CI)",
        "p"
    );
    let number = |x: Option<f64>| x.map_or_else(|| "NA".into(), |x| format!("{x:.4}"));
    let interval = |x: Option<f64>, l: Option<f64>, u: Option<f64>| {
        format!("{} ({}, {})", number(x), number(l), number(u))
    };
    let p = |x: Option<f64>| x.map_or_else(|| "NA".into(), p_value);
    for r in rows {
        out.push_str(&format!(
            "{:<16} {:>34} {:>8} {:>34} {:>8}\n",
            shown.group(&r.group),
            interval(
                Some(r.difference),
                Some(r.difference_lower),
                Some(r.difference_upper)
            ),
            p(r.difference_p),
            interval(r.ratio, r.ratio_lower, r.ratio_upper),
            p(r.ratio_p)
        ));
    }
    out
}

/// SPSS's mean rows, with its footnote where the largest time is censored.
fn spss_means_text(rows: &[SpssMean], conf_level: f64, shown: &Shown) -> String {
    let mut out = format!(
        "\nMeans for survival time, as SPSS's \"Means and Medians for Survival Time\" ({}% CI: mean -+ z SE)\n{:<16} {:>12} {:>10} {:>12} {:>12} {:>10}\n",
        conf_level * 100.0,
        "group",
        "mean",
        "std.error",
        "lower",
        "upper",
        "limit"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<16} {:>12.4} {:>10.4} {:>12.4} {:>12.4} {:>10}{}\n",
            shown.group(&r.group),
            r.mean,
            r.se,
            r.lower,
            r.upper,
            format::time(r.limit),
            if r.limit_censored { " a" } else { "" }
        ));
    }
    if rows.iter().any(|r| r.limit_censored) {
        out.push_str("a. Estimation is limited to the largest survival time, which is censored.\n");
    }
    out.push_str("The median's SPSS standard error and interval are not given (no citable statement of SPSS's formula); the median's interval above is Brookmeyer-Crowley's, as R's.\n");
    out
}
