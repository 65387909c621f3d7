//! The readable text of `survcalc inspect`: one line per column, then suggestions and warnings.

use survcalc::data::kind::Kind;
use survcalc::data::profile::{ColumnKind, ColumnProfile, TableProfile};

/// The profile as readable text: one line per column, then suggestions and warnings.
pub fn render_profile(p: &TableProfile) -> String {
    let mut out = String::new();
    let how = match (&p.source.delimiter, &p.source.sheet) {
        (Some(d), _) => format!(
            "{} text, delimiter '{d}'{}",
            p.source.encoding.as_deref().unwrap_or("UTF-8"),
            if p.decimal_comma {
                ", decimal comma"
            } else {
                ""
            }
        ),
        (None, Some(sheet)) => format!("{} sheet '{sheet}'", p.source.format),
        (None, None) => p.source.format.clone(),
    };
    out.push_str(&format!(
        "{} rows, {} columns ({how})\n",
        p.rows,
        p.columns.len()
    ));
    if !p.blank_rows.is_empty() {
        out.push_str(&format!(
            "blank rows (not used): {}\n",
            join_numbers(&p.blank_rows)
        ));
    }
    out.push('\n');
    let width = p
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .max()
        .unwrap_or(0);
    for c in &p.columns {
        out.push_str(&format!(
            "{:>3} {:<width$}  {:<9} missing {:>6}  {}\n",
            c.letter,
            c.name,
            kind_name(c.kind),
            c.missing,
            column_summary(c)
        ));
        for problem in &c.problems {
            out.push_str(&format!("      {problem}\n"));
        }
    }
    let s = &p.suggestions;
    out.push_str("\nsuggested:\n");
    let role = |label: &str, v: &Option<String>| {
        format!(
            "  {label:<11}{}\n",
            v.as_deref().map_or("-".into(), |v| format!("'{v}'"))
        )
    };
    out.push_str(&role("time", &s.time));
    out.push_str(&role("event", &s.event));
    out.push_str(&role("start date", &s.start_date));
    out.push_str(&role("end date", &s.end_date));
    out.push_str(&format!(
        "  {:<11}{}\n",
        "group",
        if s.group.is_empty() {
            "-".into()
        } else {
            s.group
                .iter()
                .map(|g| format!("'{g}'"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    for w in &p.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Empty => "empty",
        ColumnKind::YesNo => "yes-no",
        ColumnKind::Integer => "integer",
        ColumnKind::Number => "number",
        ColumnKind::Date => "date",
        ColumnKind::Category => "category",
        ColumnKind::Text => "text",
    }
}

fn column_summary(c: &ColumnProfile) -> String {
    let mut parts = Vec::new();
    if let (Some(min), Some(max)) = (c.min, c.max) {
        parts.push(format!("{min} to {max}"));
    }
    if let (Some(first), Some(last)) = (&c.first_date, &c.last_date) {
        parts.push(format!("{first} to {last}"));
    }
    if let Some(format) = &c.date_format {
        parts.push(format!("dates {format}"));
    }
    if let Some(coding) = &c.event_coding {
        parts.push(coding.clone());
    } else if matches!(c.kind, ColumnKind::Category | ColumnKind::YesNo) {
        let shown: Vec<String> = c
            .levels
            .iter()
            .take(8)
            .map(|l| format!("{} ({})", l.value, l.count))
            .collect();
        let more = if c.levels.len() > 8 || c.levels_truncated || c.distinct_capped {
            format!(" and {} more", c.distinct - shown.len())
        } else {
            String::new()
        };
        parts.push(format!("{}{more}", shown.join(", ")));
    } else {
        let at_least = if c.distinct_capped { "at least " } else { "" };
        parts.push(format!("{at_least}{} distinct", c.distinct));
    }
    let numeric = matches!(c.kind, ColumnKind::Integer | ColumnKind::Number);
    if numeric && c.default_kind == Some(Kind::Categorical) {
        parts.push("categorical by default (few whole values)".into());
    }
    if let Some(why) = &c.identifier {
        parts.push(format!("IDENTIFIER? {why}"));
    }
    parts.join("; ")
}

fn join_numbers(rows: &[usize]) -> String {
    let shown: Vec<String> = rows.iter().take(20).map(usize::to_string).collect();
    let more = rows.len().saturating_sub(20);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use survcalc::data::profile::profile_table;
    use survcalc::data::{ReadOptions, Table};

    #[test]
    fn identifiers_are_flagged_in_the_text() {
        let csv = "Patient name,DOB,time\nAnn Lee,1950-02-03,5\nBo Ng,1961-07-08,7\n";
        let table = Table::from_csv_bytes(csv.as_bytes(), &ReadOptions::default()).unwrap();
        let text = render_profile(&profile_table(&table));
        assert!(text.contains("IDENTIFIER? birth date"), "{text}");
    }
}
