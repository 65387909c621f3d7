//! The readable text of `survcalc finegray`: the subdistribution hazard ratio of each term.

use std::fmt::Write;

use survcalc::finegray::FineGray;
use survcalc::format::p_value;
use survcalc::labels::Labels;

fn num(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "NA".into(), |x| format!("{x:.decimals$}"))
}

/// The fit as a readable table.
pub fn render(fit: &FineGray, rows: &super::RowsRead, labels: &Labels) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Fine-Gray subdistribution hazards regression (as cmprsk's crr; robust standard errors)"
    );
    let _ = writeln!(
        out,
        "n = {}, events of interest = {}, competing events = {}{}",
        fit.n,
        fit.events,
        fit.competing_events,
        if fit.converged {
            ""
        } else {
            " (did not converge)"
        }
    );
    if let Some(time) = &fit.time_description {
        let _ = writeln!(out, "Time: {time}");
    }
    if let Some(coding) = &fit.event_coding {
        let _ = writeln!(out, "Event: {coding}");
    }
    let ci = format!("{}% CI", fit.conf_level * 100.0);
    let _ = writeln!(
        out,
        "\n{:<24} {:>10} {:>10} {:>10} {:>21} {:>8}",
        "term", "coef", "se", "SHR", ci, "P"
    );
    for t in &fit.terms {
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>10} {:>10} {:>21} {:>8}",
            labels.term(&t.name, &t.variable, t.level.as_deref()),
            num(t.coef, 4),
            num(t.se, 4),
            num(t.hr, 3),
            format!("({}, {})", num(t.hr_lower, 3), num(t.hr_upper, 3)),
            t.p.map_or_else(|| "NA".into(), p_value)
        );
    }
    let _ = writeln!(
        out,
        "\nLog pseudo-likelihood: {:.4} (null {:.4})",
        fit.loglik[1], fit.loglik[0]
    );
    super::exclusions_and_warnings(&mut out, &fit.excluded, rows, &fit.warnings);
    out
}
