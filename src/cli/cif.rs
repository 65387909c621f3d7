//! The readable text of `survcalc cif`: one line per group, each group's times of the event
//! of interest with the incidence and its limits, the incidence at chosen times, Gray's test.

use std::fmt::Write;

use survcalc::cif::CumulativeIncidence;
use survcalc::format::{self, p_value};

use super::labels::Shown;

/// Optional number for a table cell: "NA" when absent (R's print).
fn cell(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".into(), |x| format!("{x:.4}"))
}

/// The result as readable tables.
pub fn render(r: &CumulativeIncidence, rows: &super::RowsRead, shown: &Shown) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Cumulative incidence of the event of interest (Aalen-Johansen; variance as cmprsk's cuminc; {}% CI, log(-log) transform)\n",
        r.conf_level * 100.0
    );
    if let Some(time) = &r.time_description {
        let _ = writeln!(out, "Time: {time}");
    }
    let _ = writeln!(out, "Event: {}\n", r.event_coding);
    let _ = writeln!(
        out,
        "{:<16} {:>8} {:>8} {:>10} {:>10}",
        "group", "n", "events", "competing", "censored"
    );
    for g in &r.groups {
        let censored = g.n - g.events - g.competing_events;
        let _ = writeln!(
            out,
            "{:<16} {:>8} {:>8} {:>10} {:>10}",
            shown.group(&g.name),
            g.n,
            g.events,
            g.competing_events,
            censored
        );
    }
    for g in &r.groups {
        let _ = writeln!(
            out,
            "\n{} (times of the event of interest)\n{:>12} {:>8} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10}",
            shown.group(&g.name),
            "time",
            "n.risk", "n.event", "n.compet", "incidence", "std.err", "lower", "upper"
        );
        for s in g.steps.iter().filter(|s| s.n_event > 0) {
            let _ = writeln!(
                out,
                "{:>12} {:>8} {:>8} {:>10} {:>10.4} {:>10} {:>10} {:>10}",
                format::time(s.time),
                s.n_risk,
                s.n_event,
                s.n_competing,
                s.cif,
                cell(s.se),
                cell(s.lower),
                cell(s.upper)
            );
        }
        for a in &g.at {
            let _ = writeln!(
                out,
                "  at {}: {}",
                format::time(a.time),
                match a.cif {
                    Some(_) => format!(
                        "incidence {} ({}, {})",
                        cell(a.cif),
                        cell(a.lower),
                        cell(a.upper)
                    ),
                    None => "not estimable (past the last follow-up)".into(),
                }
            );
        }
    }
    if let Some(t) = &r.gray_test {
        let _ = writeln!(
            out,
            "\nGray's test between groups (rho = {}): chisq {}, df {}, p {}",
            t.rho,
            t.chisq.map_or_else(|| "NA".into(), |c| format!("{c:.4}")),
            t.df,
            t.p.map_or_else(|| "NA".into(), p_value)
        );
    }
    super::exclusions_and_warnings(&mut out, &r.excluded, rows, &r.warnings);
    out
}
