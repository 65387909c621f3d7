//! Table 1 as a readable table: one block per characteristic, P and test on its first line,
//! missing values on their own line, the percent basis, the tests used and any warnings as
//! notes below.

use survcalc::describe::summary::{CategoricalSummary, ContinuousSummary};
use survcalc::describe::{Kind, PercentBasis, Row, Summary, Table1};
use survcalc::format::{p_value_styled, percent, TextRow, TextTable};
use survcalc::labels::Labels;
use survcalc::options::PStyle;

/// How numbers are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    pub p_style: PStyle,
    /// Decimals of means, SDs, medians and ranges.
    pub decimals: usize,
    /// Per-variable decimals, overriding `decimals`.
    pub decimals_by_variable: Vec<(String, usize)>,
    /// Decimals of percentages.
    pub percent_decimals: usize,
    /// Names readers see for the group column's levels, variables and their levels.
    pub labels: Labels,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            p_style: PStyle::Default,
            decimals: 1,
            decimals_by_variable: Vec::new(),
            percent_decimals: 1,
            labels: Labels::default(),
        }
    }
}

/// Lays out Table 1 with an Overall column, one column per group, SMD when computed, P and test.
pub fn table1_text(t: &Table1, options: &RenderOptions) -> TextTable {
    let with_smd = t.rows.iter().any(|r| r.smd.is_some());
    let mut header = vec![
        "Characteristic".to_string(),
        format!("Overall, n = {}", t.n),
    ];
    let labels = &options.labels;
    header.extend(
        t.groups
            .iter()
            .map(|g| format!("{}, n = {}", labels.level(&t.group, &g.name), g.n)),
    );
    if with_smd {
        header.push("SMD".into());
    }
    header.extend(["P".to_string(), "Test".to_string()]);
    let mut rows = Vec::new();
    for row in &t.rows {
        let decimals = options
            .decimals_by_variable
            .iter()
            .rev()
            .find(|(v, _)| v == &row.variable)
            .map_or(options.decimals, |&(_, d)| d);
        let block = match row.kind {
            Kind::Continuous => continuous_block(row, decimals),
            Kind::Categorical => categorical_block(row, options.percent_decimals, labels),
        };
        let mut head = vec![
            match row.kind {
                Kind::Continuous => labels.column(&row.variable).to_string(),
                Kind::Categorical => format!(
                    "{}, {}",
                    labels.column(&row.variable),
                    percent_label(t.percent)
                ),
            },
            String::new(),
        ];
        head.extend(t.groups.iter().map(|_| String::new()));
        if with_smd {
            head.push(row.smd.map_or_else(String::new, |d| format!("{d:.3}")));
        }
        head.push(
            row.p
                .map_or_else(|| "n/a".into(), |p| p_value_styled(p, options.p_style)),
        );
        head.push(row.test.name().to_string());
        rows.push(TextRow {
            cells: head,
            indent: false,
        });
        let pad = if with_smd { 3 } else { 2 };
        for mut cells in block {
            cells.extend(std::iter::repeat_n(String::new(), pad));
            rows.push(TextRow {
                cells,
                indent: true,
            });
        }
    }
    let mut notes = Vec::new();
    if t.rows.iter().any(|r| r.kind == Kind::Categorical) {
        notes.push(percent_note(t.percent));
    }
    notes.extend(t.tests_used.iter().map(|u| {
        format!(
            "{}: {} ({})",
            u.test.name(),
            u.method,
            u.variables.join(", ")
        )
    }));
    if with_smd {
        notes.push("SMD: standardised mean difference between the two groups.".into());
    }
    if !t.excluded.is_empty() {
        notes.push(format!(
            "{} rows excluded for a missing group ('{}').",
            t.excluded.len(),
            t.group
        ));
    }
    notes.extend(t.warnings.iter().map(|w| format!("Warning: {w}")));
    TextTable {
        header,
        rows,
        notes,
    }
}

/// The count-and-percent label of a categorical row, naming the basis unless it is the usual
/// column percentage.
fn percent_label(basis: PercentBasis) -> &'static str {
    match basis {
        PercentBasis::Column => "n (%)",
        PercentBasis::Row => "n (row %)",
        PercentBasis::Total => "n (% of total)",
    }
}

/// The footnote saying what the percentages are of.
fn percent_note(basis: PercentBasis) -> String {
    let of = match basis {
        PercentBasis::Column => "of each column's non-missing values (column %)",
        PercentBasis::Row => {
            "of the level's non-missing values across the groups (row %; Overall is 100%)"
        }
        PercentBasis::Total => "of all non-missing values of the variable (% of total)",
    };
    format!("n (%): percentages {of}; missing values are counted on their own line and are in no percentage.")
}

fn columns(row: &Row) -> impl Iterator<Item = &Summary> {
    std::iter::once(&row.overall).chain(row.by_group.iter().map(|g| &g.summary))
}

fn continuous_block(row: &Row, d: usize) -> Vec<Vec<String>> {
    let summaries: Vec<&ContinuousSummary> = columns(row)
        .filter_map(|s| match s {
            Summary::Continuous(c) => Some(c),
            Summary::Categorical(_) => None,
        })
        .collect();
    let num = |x: Option<f64>| x.map_or_else(|| "NA".into(), |x| format!("{x:.d$}"));
    let line = |label: &str, f: &dyn Fn(&ContinuousSummary) -> String| {
        std::iter::once(label.to_string())
            .chain(
                summaries
                    .iter()
                    .map(|s| if s.n == 0 { "NA".into() } else { f(s) }),
            )
            .collect::<Vec<_>>()
    };
    let mut lines = vec![
        line("n", &|s| s.n.to_string()),
        line("Mean (SD)", &|s| format!("{} ({})", num(s.mean), num(s.sd))),
        line("Median [Q1, Q3]", &|s| {
            format!("{} [{}, {}]", num(s.median), num(s.q1), num(s.q3))
        }),
        line("Range", &|s| format!("{} to {}", num(s.min), num(s.max))),
    ];
    if summaries.iter().any(|s| s.missing > 0) {
        lines.push(
            std::iter::once("Missing".to_string())
                .chain(summaries.iter().map(|s| s.missing.to_string()))
                .collect(),
        );
    }
    lines
}

fn categorical_block(row: &Row, d: usize, labels: &Labels) -> Vec<Vec<String>> {
    let summaries: Vec<&CategoricalSummary> = columns(row)
        .filter_map(|s| match s {
            Summary::Categorical(c) => Some(c),
            Summary::Continuous(_) => None,
        })
        .collect();
    let Some(first) = summaries.first() else {
        return Vec::new();
    };
    let count = |n: usize, pct: Option<f64>| match pct {
        Some(p) => format!("{n} ({}%)", percent(p, d)),
        None => n.to_string(),
    };
    let mut lines: Vec<Vec<String>> = (0..first.levels.len())
        .map(|i| {
            std::iter::once(
                labels
                    .level(&row.variable, &first.levels[i].level)
                    .to_string(),
            )
            .chain(
                summaries
                    .iter()
                    .map(|s| count(s.levels[i].count, s.levels[i].percent)),
            )
            .collect()
        })
        .collect();
    if summaries.iter().any(|s| s.missing > 0) {
        lines.push(
            std::iter::once("Missing".to_string())
                .chain(summaries.iter().map(|s| s.missing.to_string()))
                .collect(),
        );
    }
    lines
}
