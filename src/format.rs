//! Numbers for people: p-values and estimates as journals print them, never "0.000".

use crate::options::{PStyle, TableFormat};

/// A p-value in the default style: three decimals, "<0.001" below that, never 0.
pub fn p_value(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else if p > 0.999 {
        ">0.999".into()
    } else {
        format!("{p:.3}")
    }
}

/// An optional estimate with fixed decimals; "NR" (not reached) when absent.
pub fn estimate(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "NR".into(), |x| format!("{x:.decimals$}"))
}

/// A percentage (0-100) with `decimals` decimals, never rounded to a misleading 0 or 100: a
/// non-zero share that would show as 0 reads "<0.1" (at one decimal; "<1" at none), a share
/// short of all that would show as 100 reads ">99.9". No "%" sign is added.
pub fn percent(p: f64, decimals: usize) -> String {
    if p.is_nan() {
        return "NA".into();
    }
    let step = 10f64.powi(-(decimals as i32));
    let text = format!("{p:.decimals$}");
    let shown: f64 = text.parse().unwrap_or(p);
    if p > 0.0 && shown == 0.0 {
        format!("<{step:.decimals$}")
    } else if p < 100.0 && shown == 100.0 {
        let below = 100.0 - step;
        format!(">{below:.decimals$}")
    } else {
        text
    }
}

/// A P value in the given style; never "0.000" and never above 1.
pub fn p_value_styled(p: f64, style: PStyle) -> String {
    if p.is_nan() {
        return "NA".into();
    }
    let p = p.clamp(0.0, 1.0);
    match style {
        PStyle::Default => p_value(p),
        PStyle::Nejm => nejm(p),
        PStyle::Jama => drop_leading_zero(&nejm(p)),
        PStyle::Lancet => {
            if p < 0.0001 {
                "<0.0001".into()
            } else if p >= 0.995 {
                ">0.99".into()
            } else {
                significant(p, 2)
            }
        }
        PStyle::Apa => drop_leading_zero(&p_value(p)),
    }
}

fn nejm(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else if p < 0.01 {
        format!("{p:.3}")
    } else if p >= 0.995 {
        ">0.99".into()
    } else {
        let two = format!("{p:.2}");
        // A P just under 0.05 must not read as 0.05: NEJM asks for more digits there.
        if two == "0.05" {
            format!("{p:.3}")
        } else {
            two
        }
    }
}

fn drop_leading_zero(s: &str) -> String {
    s.replacen("0.", ".", 1)
}

/// `x` (0 < x < 1) rounded to `digits` significant figures, in fixed notation.
fn significant(x: f64, digits: i32) -> String {
    let magnitude = x.log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    format!("{x:.decimals$}")
}

/// A readable table: a header, rows (some indented under the row above), and notes below.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<TextRow>,
    pub notes: Vec<String>,
}

/// One row of a [`TextTable`]; `indent` marks a sub-row (a level, a statistic).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRow {
    pub cells: Vec<String>,
    pub indent: bool,
}

/// Renders a table in the chosen format.
pub fn render_table(table: &TextTable, format: TableFormat) -> String {
    match format {
        TableFormat::Text => render_text(table),
        TableFormat::Csv => render_delimited(table, ','),
        TableFormat::Tsv => render_delimited(table, '\t'),
        TableFormat::Markdown => render_markdown(table),
        TableFormat::Html => render_html(table),
    }
}

fn first_cell(row: &TextRow, i: usize, cell: &str, indent: &str) -> String {
    if i == 0 && row.indent {
        format!("{indent}{cell}")
    } else {
        cell.to_string()
    }
}

fn render_text(table: &TextTable) -> String {
    let rows: Vec<Vec<String>> = std::iter::once(table.header.clone())
        .chain(table.rows.iter().map(|r| {
            r.cells
                .iter()
                .enumerate()
                .map(|(i, c)| first_cell(r, i, c, "  "))
                .collect()
        }))
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|j| {
            rows.iter()
                .filter_map(|r| r.get(j))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(j, c)| format!("{c:<w$}", w = widths[j]))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
        if k == 0 {
            let rule: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
            out.push_str(&"-".repeat(rule));
            out.push('\n');
        }
    }
    for note in &table.notes {
        out.push_str(note);
        out.push('\n');
    }
    out
}

fn render_delimited(table: &TextTable, delimiter: char) -> String {
    let field = |c: &str| -> String {
        if delimiter == '\t' {
            c.replace(['\t', '\n', '\r'], " ")
        } else if c.contains([',', '"', '\n', '\r']) || c.starts_with(' ') {
            format!("\"{}\"", c.replace('"', "\"\""))
        } else {
            c.to_string()
        }
    };
    let line = |cells: Vec<String>| -> String {
        let mut s = cells
            .iter()
            .map(|c| field(c))
            .collect::<Vec<_>>()
            .join(&delimiter.to_string());
        s.push('\n');
        s
    };
    let mut out = line(table.header.clone());
    for row in &table.rows {
        out.push_str(&line(
            row.cells
                .iter()
                .enumerate()
                .map(|(i, c)| first_cell(row, i, c, "  "))
                .collect(),
        ));
    }
    for note in &table.notes {
        out.push_str(&line(vec![note.clone()]));
    }
    out
}

fn render_markdown(table: &TextTable) -> String {
    let escape = |c: &str| c.replace('|', "\\|");
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(table.header.iter().map(|c| escape(c)).collect());
    out.push_str(&line(
        table.header.iter().map(|_| "---".to_string()).collect(),
    ));
    for row in &table.rows {
        out.push_str(&line(
            row.cells
                .iter()
                .enumerate()
                .map(|(i, c)| first_cell(row, i, &escape(c), "&nbsp;&nbsp;"))
                .collect(),
        ));
    }
    if !table.notes.is_empty() {
        out.push('\n');
        for note in &table.notes {
            out.push_str(&escape(note));
            out.push_str("  \n");
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render_html(table: &TextTable) -> String {
    let mut out = String::from("<table>\n<thead>\n<tr>");
    for c in &table.header {
        out.push_str(&format!("<th>{}</th>", html_escape(c)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str(if row.indent {
            "<tr class=\"sub\">"
        } else {
            "<tr>"
        });
        for c in &row.cells {
            out.push_str(&format!("<td>{}</td>", html_escape(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n");
    if !table.notes.is_empty() {
        out.push_str(&format!(
            "<tfoot>\n<tr><td colspan=\"{}\">",
            table.header.len().max(1)
        ));
        let notes: Vec<String> = table.notes.iter().map(|n| html_escape(n)).collect();
        out.push_str(&notes.join("<br>"));
        out.push_str("</td></tr>\n</tfoot>\n");
    }
    out.push_str("</table>\n");
    out
}

/// A time for a readable table: whole numbers as they are, others to four decimals with
/// trailing zeros dropped (times from dates in months carry 15 digits nobody reads).
pub fn time(t: f64) -> String {
    if t.fract() == 0.0 && t.abs() < 1e15 {
        format!("{t:.0}")
    } else {
        let text = format!("{t:.4}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_are_never_zero() {
        assert_eq!(p_value(0.0), "<0.001");
        assert_eq!(p_value(0.0004), "<0.001");
        assert_eq!(p_value(0.0123), "0.012");
        assert_eq!(p_value(1.0), ">0.999");
    }

    // Examples from each journal's instructions for authors: NEJM "P=0.04", "P=0.007",
    // "P<0.001"; JAMA "P = .04", "P < .001"; Lancet "p=0.0023", "p<0.0001"; APA "p = .032".
    #[test]
    fn journal_styles() {
        let styles = [
            PStyle::Default,
            PStyle::Nejm,
            PStyle::Jama,
            PStyle::Lancet,
            PStyle::Apa,
        ];
        let show = |p: f64| styles.map(|s| p_value_styled(p, s));
        assert_eq!(show(0.0412), ["0.041", "0.04", ".04", "0.041", ".041"]);
        assert_eq!(show(0.0072), ["0.007", "0.007", ".007", "0.0072", ".007"]);
        assert_eq!(show(0.00231), ["0.002", "0.002", ".002", "0.0023", ".002"]);
        assert_eq!(
            show(0.00005),
            ["<0.001", "<0.001", "<.001", "<0.0001", "<.001"]
        );
        assert_eq!(show(0.0), ["<0.001", "<0.001", "<.001", "<0.0001", "<.001"]);
        assert_eq!(show(0.4567), ["0.457", "0.46", ".46", "0.46", ".457"]);
        assert_eq!(show(1.0), [">0.999", ">0.99", ">.99", ">0.99", ">.999"]);
        assert_eq!(p_value_styled(0.0496, PStyle::Nejm), "0.050");
    }

    fn sample() -> TextTable {
        TextTable {
            header: vec!["Characteristic".into(), "A, n = 2".into()],
            rows: vec![
                TextRow {
                    cells: vec!["sex".into(), String::new()],
                    indent: false,
                },
                TextRow {
                    cells: vec!["f|m".into(), "1 (50.0%)".into()],
                    indent: true,
                },
            ],
            notes: vec!["P <0.05 & \"x\"".into()],
        }
    }

    #[test]
    fn exports_quote_and_escape() {
        let t = sample();
        let csv = render_table(&t, TableFormat::Csv);
        assert!(csv.starts_with("Characteristic,\"A, n = 2\"\n"), "{csv}");
        assert!(csv.contains("\"  f|m\",1 (50.0%)\n"), "{csv}");
        let tsv = render_table(&t, TableFormat::Tsv);
        assert!(tsv.contains("  f|m\t1 (50.0%)\n"), "{tsv}");
        let md = render_table(&t, TableFormat::Markdown);
        assert!(md.contains("| &nbsp;&nbsp;f\\|m | 1 (50.0%) |"), "{md}");
        let html = render_table(&t, TableFormat::Html);
        assert!(html.contains("<tr class=\"sub\"><td>f|m</td>"), "{html}");
        assert!(html.contains("P &lt;0.05 &amp; &quot;x&quot;"), "{html}");
        let text = render_table(&t, TableFormat::Text);
        assert!(text.contains("\n  f|m           1 (50.0%)\n"), "{text}");
    }

    #[test]
    fn percentages_never_round_to_nothing_or_everything() {
        assert_eq!(percent(0.4, 1), "0.4");
        assert_eq!(percent(0.4, 0), "<1");
        assert_eq!(percent(0.04, 1), "<0.1");
        assert_eq!(percent(0.0, 1), "0.0");
        assert_eq!(percent(33.333, 1), "33.3");
        assert_eq!(percent(99.96, 1), ">99.9");
        assert_eq!(percent(99.6, 0), ">99");
        assert_eq!(percent(100.0, 0), "100");
        assert_eq!(percent(12.5, 2), "12.50");
    }

    #[test]
    fn absent_estimates_read_not_reached() {
        assert_eq!(estimate(None, 1), "NR");
        assert_eq!(estimate(Some(12.345), 1), "12.3");
    }

    #[test]
    fn times_are_short_but_exact_when_whole() {
        assert_eq!(time(1022.0), "1022");
        assert_eq!(time(38.04517453798768), "38.0452");
        assert_eq!(time(2.5), "2.5");
    }
}
