//! Forest plots: a Cox model's hazard ratios (univariable and multivariable side by side, or one alone) and subgroup hazard ratios, one row per term, with HR (95% CI) and P as text columns on a log scale with a line at 1.
//!
//! Input is the `cox` JSON as it is (`terms`, `univariate`, `covariate_tests`) or a
//! [`SubgroupAnalysis`]; both become the same rows and are drawn by the same code, on any
//! plotters backend, with the Kaplan-Meier figure's text sizes and physical size.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::element::{Polygon, Rectangle};
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBAColor};
use serde::{Deserialize, Serialize};

use super::draw::{DrawResult, Pen};
use super::layout::{text_width, wrap, LINE};
use super::options::{parse_colour, plain};
use super::page::{Page, PageRules};
use super::style::{INK, MUTED, WHITE};
use super::{svg, FigureSize, Target};
use crate::cox::SubgroupAnalysis;
use crate::error::{Error, Result};

/// One multivariable term as the `cox` JSON writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestTerm {
    pub name: String,
    pub variable: String,
    #[serde(default)]
    pub level: Option<String>,
    /// The reference level of a categorical covariate.
    #[serde(default)]
    pub reference: Option<String>,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub p: Option<f64>,
    #[serde(default)]
    pub infinite: bool,
}

/// One row of a univariable model as the `cox` JSON writes it (reference rows included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestUnivariateRow {
    pub name: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub reference: bool,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub p: Option<f64>,
    #[serde(default)]
    pub infinite: bool,
}

/// A chi-square test's P, as the JSON writes tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestTest {
    pub p: Option<f64>,
}

/// One univariable model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestUnivariate {
    pub variable: String,
    pub rows: Vec<ForestUnivariateRow>,
    /// The model's likelihood-ratio test: the covariate's overall P.
    #[serde(default)]
    pub lr_test: Option<ForestTest>,
}

/// A covariate's overall test in the multivariable model (`covariate_tests`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestCovariateTest {
    pub covariate: String,
    #[serde(default)]
    pub wald_p: Option<f64>,
    #[serde(default)]
    pub lr_p: Option<f64>,
}

/// The parts of a `cox` result a forest plot uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoxForest {
    pub terms: Vec<ForestTerm>,
    #[serde(default)]
    pub univariate: Option<Vec<ForestUnivariate>>,
    #[serde(default)]
    pub covariate_tests: Option<Vec<ForestCovariateTest>>,
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
}

fn default_conf_level() -> f64 {
    0.95
}

/// Which models a Cox forest plot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ForestModels {
    /// Univariable and multivariable side by side when the univariable models are given,
    /// else the multivariable alone.
    #[default]
    Both,
    Univariable,
    Multivariable,
}

/// How a forest plot looks. Every key is optional in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestOptions {
    pub models: ForestModels,
    /// Names as the reader sees them: a variable ("age") or a level ("ph.ecog=1") -> text.
    pub labels: BTreeMap<String, String>,
    pub title: Option<String>,
    /// The axis title under each panel.
    pub x_label: String,
    /// The axis range; by default from the intervals shown (between 0.01 and 100).
    pub x_min: Option<f64>,
    pub x_max: Option<f64>,
    /// The markers' and intervals' colour, "#RRGGBB".
    pub color: String,
    /// Size, resolution, type and line width (two columns by default).
    #[serde(flatten)]
    pub page: Page,
}

impl Default for ForestOptions {
    fn default() -> Self {
        ForestOptions {
            models: ForestModels::Both,
            labels: BTreeMap::new(),
            title: None,
            x_label: "Hazard ratio (log scale)".into(),
            x_min: None,
            x_max: None,
            color: "#000000".into(),
            page: Page::default(),
        }
    }
}

impl ForestOptions {
    /// A forest plot's page: two columns by default (the text columns need them), errors
    /// naming forest options.
    pub const PAGE: PageRules = PageRules {
        noun: "forest option",
        size: FigureSize::Double,
        min_width_mm: 40.0,
    };

    fn validate(&self) -> Result<RGBAColor> {
        self.page.validate(Self::PAGE)?;
        let check = |key: &str, value: Option<f64>, lo: f64, hi: f64| match value {
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(Error::usage(format!(
                "forest option '{key}' is {v}; give a number from {lo} to {hi}"
            ))),
            _ => Ok(()),
        };
        check("x_min", self.x_min, 1e-6, 1e6)?;
        check("x_max", self.x_max, 1e-6, 1e6)?;
        if let (Some(lo), Some(hi)) = (self.x_min, self.x_max) {
            if lo * 1.05 >= hi {
                return Err(Error::usage(format!(
                    "forest options 'x_min' {lo} and 'x_max' {hi}: give x_max above x_min"
                )));
            }
        }
        let (r, g, b) = parse_colour(&self.color).ok_or_else(|| {
            Error::usage(format!(
                "forest option 'color' '{}' is not a colour; write it as #RRGGBB",
                self.color
            ))
        })?;
        Ok(RGBAColor(r, g, b, 1.0))
    }

    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.labels.get(key).map_or(key, String::as_str)
    }
}

/// What one panel shows on one row.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    /// A categorical variable's reference level.
    Reference,
    Estimate {
        hr: f64,
        lower: f64,
        upper: f64,
        p: Option<f64>,
    },
    NotEstimable,
    /// A heading row's overall (or interaction) P.
    Overall(Option<f64>),
}

/// One row of the plot.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    label: String,
    indent: bool,
    /// Text columns before the panels (e.g. patients and events).
    before: Vec<String>,
    cells: Vec<Cell>,
}

/// A forest plot's content: panels, text columns, rows, and a note under it.
#[derive(Debug, Clone, PartialEq)]
struct Forest {
    panels: Vec<String>,
    before: Vec<String>,
    rows: Vec<Row>,
    conf_level: f64,
    note: Option<String>,
}

fn estimate(
    hr: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    p: Option<f64>,
    infinite: bool,
) -> Cell {
    match (hr, lower, upper) {
        (Some(hr), Some(lower), Some(upper))
            if !infinite && [hr, lower, upper].iter().all(|v| v.is_finite() && *v > 0.0) =>
        {
            Cell::Estimate {
                hr,
                lower,
                upper,
                p,
            }
        }
        _ => Cell::NotEstimable,
    }
}

impl CoxForest {
    /// The rows: one per continuous covariate; for a categorical one a heading with its
    /// overall P, the reference level, then each level.
    fn forest(&self, opts: &ForestOptions) -> Result<Forest> {
        let univariate = self.univariate.as_deref().unwrap_or(&[]);
        let (show_uni, show_multi) = match opts.models {
            ForestModels::Both => (!univariate.is_empty(), true),
            ForestModels::Univariable if univariate.is_empty() => {
                return Err(Error::usage(
                    "a univariable forest plot needs the univariable models; fit them too",
                ))
            }
            ForestModels::Univariable => (true, false),
            ForestModels::Multivariable => (false, true),
        };
        let mut variables: Vec<&str> = Vec::new();
        for v in self
            .terms
            .iter()
            .map(|t| t.variable.as_str())
            .chain(univariate.iter().map(|u| u.variable.as_str()))
        {
            if !variables.contains(&v) {
                variables.push(v);
            }
        }
        let mut rows = Vec::new();
        for variable in variables {
            let terms: Vec<&ForestTerm> = self
                .terms
                .iter()
                .filter(|t| t.variable == variable)
                .collect();
            let uni = univariate.iter().find(|u| u.variable == variable);
            let categorical = terms.iter().any(|t| t.level.is_some())
                || uni.is_some_and(|u| u.rows.iter().any(|r| r.level.is_some()));
            let cells = |multi: Cell, single: Cell| {
                let mut cells = Vec::new();
                if show_uni {
                    cells.push(single);
                }
                if show_multi {
                    cells.push(multi);
                }
                cells
            };
            if !categorical {
                let multi = terms.first().map_or(Cell::Empty, |t| {
                    estimate(t.hr, t.hr_lower, t.hr_upper, t.p, t.infinite)
                });
                let single = uni.and_then(|u| u.rows.first()).map_or(Cell::Empty, |r| {
                    estimate(r.hr, r.hr_lower, r.hr_upper, r.p, r.infinite)
                });
                rows.push(Row {
                    label: opts.label(variable).to_string(),
                    indent: false,
                    before: Vec::new(),
                    cells: cells(multi, single),
                });
                continue;
            }
            let overall_multi = self
                .covariate_tests
                .as_ref()
                .and_then(|tests| tests.iter().find(|t| t.covariate == variable))
                .map(|t| t.lr_p.or(t.wald_p));
            let overall_uni = uni.and_then(|u| u.lr_test.as_ref()).map(|t| t.p);
            // With two levels the term's own P is the variable's: no heading P.
            let levels_multi = terms.len();
            let overall = |p: Option<Option<f64>>, terms: usize| {
                if terms >= 2 {
                    Cell::Overall(p.flatten())
                } else {
                    Cell::Empty
                }
            };
            let levels_uni = uni.map_or(0, |u| u.rows.iter().filter(|r| !r.reference).count());
            rows.push(Row {
                label: opts.label(variable).to_string(),
                indent: false,
                before: Vec::new(),
                cells: cells(
                    overall(overall_multi, levels_multi),
                    overall(overall_uni, levels_uni),
                ),
            });
            let reference = terms.iter().find_map(|t| t.reference.clone()).or_else(|| {
                uni.and_then(|u| u.rows.iter().find(|r| r.reference))
                    .and_then(|r| r.level.clone())
            });
            let mut levels: Vec<String> = reference.into_iter().collect();
            for level in terms.iter().filter_map(|t| t.level.clone()).chain(
                uni.into_iter()
                    .flat_map(|u| u.rows.iter().filter_map(|r| r.level.clone())),
            ) {
                if !levels.contains(&level) {
                    levels.push(level);
                }
            }
            for (k, level) in levels.iter().enumerate() {
                let key = format!("{variable}={level}");
                let is_reference = k == 0;
                let multi = if is_reference {
                    Cell::Reference
                } else {
                    terms
                        .iter()
                        .find(|t| t.level.as_deref() == Some(level))
                        .map_or(Cell::Empty, |t| {
                            estimate(t.hr, t.hr_lower, t.hr_upper, t.p, t.infinite)
                        })
                };
                let single = uni
                    .and_then(|u| u.rows.iter().find(|r| r.level.as_deref() == Some(level)))
                    .map_or(Cell::Empty, |r| {
                        if r.reference {
                            Cell::Reference
                        } else {
                            estimate(r.hr, r.hr_lower, r.hr_upper, r.p, r.infinite)
                        }
                    });
                let label = match opts.labels.get(&key) {
                    Some(text) => text.clone(),
                    None => level.clone(),
                };
                rows.push(Row {
                    label,
                    indent: true,
                    before: Vec::new(),
                    cells: cells(multi, single),
                });
            }
        }
        let mut panels = Vec::new();
        if show_uni {
            panels.push("Univariable".to_string());
        }
        if show_multi {
            panels.push(if show_uni { "Multivariable" } else { "" }.to_string());
        }
        let note = rows
            .iter()
            .any(|r| r.cells.iter().any(|c| matches!(c, Cell::Overall(_))))
            .then(|| {
                "P beside a variable's name: its overall test (likelihood ratio).".to_string()
            });
        Ok(Forest {
            panels,
            before: Vec::new(),
            rows,
            conf_level: self.conf_level,
            note,
        })
    }
}

/// The subgroup analysis as rows: everyone, then each subgroup variable (its interaction P)
/// and its levels with patients and events.
fn subgroup_forest(a: &SubgroupAnalysis, opts: &ForestOptions) -> Forest {
    let several = a.comparisons.len() > 1;
    let mut rows = Vec::new();
    let level_rows =
        |label: String, indent: bool, level: &crate::cox::SubgroupLevel, rows: &mut Vec<Row>| {
            for (k, e) in level.estimates.iter().enumerate() {
                let name = if several {
                    format!(
                        "{label}: {} vs {}",
                        opts.label(&e.group),
                        opts.label(&a.reference)
                    )
                } else {
                    label.clone()
                };
                let before = if k == 0 {
                    vec![format!("{} ({})", level.n, level.events)]
                } else {
                    vec![String::new()]
                };
                rows.push(Row {
                    label: name,
                    indent,
                    before,
                    cells: vec![estimate(e.hr, e.hr_lower, e.hr_upper, e.p, e.infinite)],
                });
            }
        };
    level_rows("All patients".into(), false, &a.overall, &mut rows);
    for v in &a.subgroups {
        rows.push(Row {
            label: opts.label(&v.variable).to_string(),
            indent: false,
            before: vec![String::new()],
            cells: vec![Cell::Overall(v.interaction.p)],
        });
        for level in &v.levels {
            let key = format!("{}={}", v.variable, level.level);
            let label = opts
                .labels
                .get(&key)
                .cloned()
                .unwrap_or_else(|| level.level.clone());
            level_rows(label, true, level, &mut rows);
        }
    }
    let comparison = if several {
        String::new()
    } else {
        format!(
            "{} vs {}",
            opts.label(&a.comparisons[0]),
            opts.label(&a.reference)
        )
    };
    Forest {
        panels: vec![comparison],
        before: vec!["Patients (events)".into()],
        rows,
        conf_level: a.conf_level,
        note: Some(format!(
            "Hazard ratios from Cox models ({} ties) within each subgroup; P beside a subgroup variable: interaction test (likelihood ratio).",
            match a.ties {
                crate::options::Ties::Efron => "Efron",
                crate::options::Ties::Breslow => "Breslow",
            }
        )),
    }
}

/// An estimate and its limits with the fewest decimals, from two (three below 0.1) to four, at
/// which the limits differ: a covariate in small units has per-unit ratios such as
/// 1.003 (1.001-1.005), which two decimals print as "1.00 (1.00-1.00)", telling nothing.
fn interval_text(hr: f64, lower: f64, upper: f64) -> String {
    let at = |x: f64, d: usize| {
        let d = if x < 0.1 { d.max(3) } else { d };
        format!("{x:.d$}")
    };
    let d = (2..=4).find(|&d| at(lower, d) != at(upper, d)).unwrap_or(4);
    format!("{} ({}\u{2013}{})", at(hr, d), at(lower, d), at(upper, d))
}

impl Cell {
    fn hr_text(&self) -> String {
        match self {
            Cell::Estimate {
                hr, lower, upper, ..
            } => interval_text(*hr, *lower, *upper),
            Cell::Reference => "1 (reference)".into(),
            Cell::NotEstimable => "not estimable".into(),
            Cell::Empty | Cell::Overall(_) => String::new(),
        }
    }

    fn p_text(&self) -> String {
        match self {
            Cell::Estimate { p: Some(p), .. } | Cell::Overall(Some(p)) => {
                crate::format::p_value(*p)
            }
            _ => String::new(),
        }
    }
}

/// The tick sets of a log axis, finest first: powers of two (0.25 to 16), 1-2-5, decades.
fn tick_sets() -> [Vec<f64>; 3] {
    [
        (-2..=4).map(|k| 2f64.powi(k)).collect(),
        (-3..=3)
            .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
            .collect(),
        (-3..=3).map(|k| 10f64.powi(k)).collect(),
    ]
}

/// The ticks of the finest set that spans `lo..=hi` from a tick at or below `lo` to one at or
/// above `hi` in at most 7 ticks; the axis runs from the first to the last.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let eps = 1e-9;
    for set in tick_sets() {
        let first = set.iter().rev().copied().find(|&t| t <= lo * (1.0 + eps));
        let last = set.iter().copied().find(|&t| t >= hi * (1.0 - eps));
        if let (Some(first), Some(last)) = (first, last) {
            let ticks: Vec<f64> = set
                .iter()
                .copied()
                .filter(|&t| t >= first * (1.0 - eps) && t <= last * (1.0 + eps))
                .collect();
            if ticks.len() <= 7 {
                return ticks;
            }
        }
    }
    vec![lo, hi]
}

/// The x range: the options', else from the tick at or below the lowest limit to the one at or
/// above the highest (0.5 to 2 at the least, so the line at 1 has room), within 0.001-1000.
/// The axis starts and ends at labelled ticks of one set.
fn x_range(forest: &Forest, opts: &ForestOptions) -> (f64, f64) {
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for row in &forest.rows {
        for cell in &row.cells {
            if let Cell::Estimate { lower, upper, .. } = cell {
                lo = lo.min(*lower);
                hi = hi.max(*upper);
            }
        }
    }
    let ticks = log_ticks(lo.clamp(1e-3, 0.5), hi.clamp(2.0, 1e3));
    let auto_lo = ticks.first().copied().unwrap_or(0.5);
    let auto_hi = ticks.last().copied().unwrap_or(2.0);
    (opts.x_min.unwrap_or(auto_lo), opts.x_max.unwrap_or(auto_hi))
}

/// Columns and rows in pixels.
struct Geometry {
    em: f64,
    px_per_pt: f64,
    width: u32,
    height: u32,
    title_y: Option<i32>,
    header_y: i32,
    panel_title_y: i32,
    rows_top: f64,
    pitch: f64,
    /// Each row's label, broken onto more lines when the names' column is narrowed to fit.
    labels: Vec<Vec<String>>,
    label_x: i32,
    before_x: Vec<i32>,
    /// Per panel: plot left and right, the HR column's centre, the P column's right edge.
    panels: Vec<(i32, i32, i32, i32)>,
    axis_y: i32,
    x_range: (f64, f64),
}

impl Geometry {
    fn x(&self, panel: usize, v: f64) -> i32 {
        let (left, right, _, _) = self.panels[panel];
        let (lo, hi) = self.x_range;
        let along = (v.ln() - lo.ln()) / (hi.ln() - lo.ln());
        left + (along * f64::from(right - left)).round() as i32
    }

    /// The height each further line of a label adds to its row.
    fn extra(&self) -> f64 {
        LINE * self.em
    }

    /// The centre of row `i`'s first line, where its estimate, interval and P stand (as
    /// journals print a wrapped name: the numbers beside its first line).
    fn row_y(&self, i: usize) -> i32 {
        let above: usize = self.labels[..i].iter().map(|l| l.len() - 1).sum();
        (self.rows_top + self.pitch * (i as f64 + 0.5) + self.extra() * above as f64).round() as i32
    }
}

/// The most lines a name is broken onto to fit its column.
const MAX_LINES: usize = 3;

/// The most words of a name searched for the best breaks.
const MAX_WORDS: usize = 40;

/// The width `label` needs on at most `lines` lines: the best breaks at spaces (a name of one
/// word, or one that fits, on one line).
fn wrapped_width(label: &str, lines: usize, em: f64) -> f64 {
    let words: Vec<&str> = label.split(' ').filter(|w| !w.is_empty()).collect();
    best_breaks(&words, lines, em)
}

fn best_breaks(words: &[&str], lines: usize, em: f64) -> f64 {
    let one = text_width(&words.join(" "), em);
    // A name of more words than a row could show is not searched (the search grows with the
    // square of the words): it keeps its one line, and the refusal asks for room.
    if lines <= 1 || words.len() <= 1 || words.len() > MAX_WORDS {
        return one;
    }
    (1..words.len())
        .map(|k| text_width(&words[..k].join(" "), em).max(best_breaks(&words[k..], lines - 1, em)))
        .fold(one, f64::min)
}

/// The narrowest a panel's log axis may be, in ems: room for its tick labels (0.1 to 100).
const MIN_PANEL_EM: f64 = 8.0;

/// Places the forest plot `width` pixels wide (`height` high, else as high as it needs);
/// refuses a width its names, estimates and panels cannot share without overlapping.
fn geometry(
    forest: &Forest,
    opts: &ForestOptions,
    width: u32,
    height: Option<u32>,
) -> Result<Geometry> {
    let w = f64::from(width);
    let px_per_pt = opts.page.px_per_pt(ForestOptions::PAGE, w);
    let em = opts.page.font_size * px_per_pt;
    let margin = 0.5 * em;
    let gap = 1.0 * em;
    let indent = 1.0 * em;
    let before_widths: Vec<f64> = forest
        .before
        .iter()
        .enumerate()
        .map(|(k, header)| {
            forest
                .rows
                .iter()
                .filter_map(|r| r.before.get(k))
                .map(|t| text_width(t, em))
                .fold(text_width(header, em), f64::max)
        })
        .collect();
    let level = plain((forest.conf_level * 100.0 * 1e6).round() / 1e6);
    let hr_header = format!("HR ({level}% CI)");
    let hr_width = forest
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(Cell::hr_text))
        .map(|t| text_width(&t, em))
        .fold(text_width(&hr_header, em), f64::max);
    let p_width = text_width("<0.001", em).max(text_width("P", em));
    let n = forest.panels.len().max(1) as f64;
    let texts = n * (gap + hr_width + gap + p_width + gap);
    let others: f64 = before_widths.iter().map(|c| c + gap).sum::<f64>() + texts;

    // The names' column: as wide as the longest name when that fits, else narrowed (down to
    // every name on at most three lines) so the panels keep their least width.
    let indent_of = |r: &Row| if r.indent { indent } else { 0.0 };
    let widest = |f: &dyn Fn(&Row) -> f64| forest.rows.iter().map(f).fold(0.0, f64::max);
    let full = widest(&|r| text_width(&r.label, em) + indent_of(r));
    let narrowest = widest(&|r| wrapped_width(&r.label, MAX_LINES, em) + indent_of(r));
    let room = w - 2.0 * margin - gap - others - n * MIN_PANEL_EM * em;
    let label_width = room.clamp(narrowest, full);
    let labels: Vec<Vec<String>> = forest
        .rows
        .iter()
        .map(|r| {
            if text_width(&r.label, em) + indent_of(r) <= label_width {
                vec![r.label.clone()]
            } else {
                wrap(&r.label, label_width - indent_of(r), em)
            }
        })
        .collect();
    let mut x = margin + label_width + gap;
    let mut before_x = Vec::new();
    for col in before_widths {
        before_x.push((x + 0.5 * col).round() as i32);
        x += col + gap;
    }
    let need = x + margin + texts + n * MIN_PANEL_EM * em;
    if need > w + 0.5 {
        // Millimetres per pixel from the page: its width over the pixels it spans.
        let mm = opts.page.width_mm(ForestOptions::PAGE) / w;
        return Err(Error::usage(format!(
            "the forest plot needs {:.0} mm for its names, estimates and {} at {} pt, wider than the {:.0} mm asked; give it a wider size, one model, or a smaller font",
            (need * mm).ceil(),
            if forest.panels.len() > 1 { "two panels" } else { "its panel" },
            plain(opts.page.font_size),
            w * mm
        )));
    }
    let plot_width = (w - x - margin - texts) / n;
    let mut panels = Vec::new();
    for _ in 0..forest.panels.len() {
        let left = x;
        let right = x + plot_width;
        let hr_centre = right + gap + 0.5 * hr_width;
        let p_right = right + gap + hr_width + gap + p_width;
        panels.push((
            left.round() as i32,
            right.round() as i32,
            hr_centre.round() as i32,
            p_right.round() as i32,
        ));
        x = p_right + gap;
    }
    let mut top = 0.8 * em;
    let title_y = opts.title.as_ref().map(|_| {
        let y = top + 0.7 * em;
        top += 1.8 * em;
        y.round() as i32
    });
    let has_panel_titles = forest.panels.iter().any(|t| !t.is_empty());
    let panel_title_y = (top + 0.6 * em).round() as i32;
    if has_panel_titles {
        top += 1.5 * em;
    }
    let header_y = (top + 0.6 * em).round() as i32;
    top += 1.6 * em;
    let pitch = 1.45 * em;
    let rows = forest.rows.len() as f64;
    let extra = LINE * em * labels.iter().map(|l| l.len() - 1).sum::<usize>() as f64;
    let below = 0.4 * em + 0.4 * em + 1.2 * em + 0.6 * em + 1.2 * em;
    let note = if forest.note.is_some() { 1.6 * em } else { 0.0 };
    let natural = top + rows * pitch + extra + below + note + 0.4 * em;
    let h = height.map_or(natural, f64::from);
    let pitch = if height.is_some() && rows > 0.0 {
        ((h - top - extra - below - note - 0.4 * em) / rows).max(0.8 * em)
    } else {
        pitch
    };
    let axis_y = (top + rows * pitch + extra + 0.4 * em).round() as i32;
    Ok(Geometry {
        em,
        px_per_pt,
        width: w as u32,
        height: h.round().max(1.0) as u32,
        title_y,
        header_y,
        panel_title_y,
        rows_top: top,
        pitch,
        labels,
        label_x: margin.round() as i32,
        before_x,
        panels,
        axis_y,
        x_range: x_range(forest, opts),
    })
}

/// The ticks within the axis' range: of the finest set with at most 7 there that has a tick at
/// both ends (as the automatic range has), else (ends set by hand may fall between ticks) of
/// the finest with at most 7 spanning most of the axis.
fn axis_ticks((lo, hi): (f64, f64)) -> Vec<f64> {
    let within = |t: &f64| *t >= lo * (1.0 - 1e-9) && *t <= hi * (1.0 + 1e-9);
    let at = |t: Option<&f64>, end: f64| t.is_some_and(|t| (t / end - 1.0).abs() < 1e-9);
    let spans = |t: &[f64]| match (t.first(), t.last()) {
        (Some(a), Some(b)) => (b / a).ln() >= 0.8 * (hi / lo).ln(),
        _ => false,
    };
    let sets: Vec<Vec<f64>> = tick_sets()
        .into_iter()
        .map(|set| set.into_iter().filter(within).collect())
        .filter(|t: &Vec<f64>| t.len() <= 7)
        .collect();
    let ends_at_ticks = sets.iter().find(|t| at(t.first(), lo) && at(t.last(), hi));
    ends_at_ticks
        .or_else(|| sets.iter().find(|t| spans(t)))
        .cloned()
        .unwrap_or_else(|| vec![1.0])
}

struct ForestPainter<'a, DB: DrawingBackend> {
    forest: &'a Forest,
    opts: &'a ForestOptions,
    g: &'a Geometry,
    pen: Pen<'a, DB>,
    color: RGBAColor,
}

impl<DB: DrawingBackend> ForestPainter<'_, DB> {
    fn draw(&self) -> DrawResult<DB> {
        let g = self.g;
        let em = g.em;
        self.pen.root.fill(&WHITE)?;
        let left = Pos::new(HPos::Left, VPos::Center);
        let centre = Pos::new(HPos::Center, VPos::Center);
        let right = Pos::new(HPos::Right, VPos::Center);
        if let (Some(title), Some(y)) = (&self.opts.title, g.title_y) {
            let style = self.pen.style(1.2, true, INK, left);
            self.pen.text(title, (g.label_x, y), &style)?;
        }
        let bold_left = self.pen.style(1.0, true, INK, left);
        let bold_centre = self.pen.style(1.0, true, INK, centre);
        let bold_right = self.pen.style(1.0, true, INK, right);
        let plain_left = self.pen.style(1.0, false, INK, left);
        let plain_centre = self.pen.style(1.0, false, INK, centre);
        let plain_right = self.pen.style(1.0, false, INK, right);
        for (k, header) in self.forest.before.iter().enumerate() {
            self.pen
                .text(header, (g.before_x[k], g.header_y), &bold_centre)?;
        }
        let level = plain((self.forest.conf_level * 100.0 * 1e6).round() / 1e6);
        for (k, title) in self.forest.panels.iter().enumerate() {
            let (l, r, hr_x, p_x) = g.panels[k];
            if !title.is_empty() {
                self.pen
                    .text(title, ((l + p_x) / 2, g.panel_title_y), &bold_centre)?;
                let y = g.panel_title_y + (0.75 * em).round() as i32;
                self.pen.line(vec![(l, y), (p_x, y)], INK, 0.5)?;
            }
            self.pen.text(
                &format!("HR ({level}% CI)"),
                (hr_x, g.header_y),
                &bold_centre,
            )?;
            self.pen.text("P", (p_x, g.header_y), &bold_right)?;
            // The line of no effect, through every row.
            let one = g.x(k, 1.0);
            let top = (g.rows_top).round() as i32;
            self.pen
                .line(vec![(one, top), (one, g.axis_y)], MUTED, 0.5)?;
            self.draw_axis(k, l, r)?;
        }
        for (i, row) in self.forest.rows.iter().enumerate() {
            let y = g.row_y(i);
            let x = g.label_x + if row.indent { em.round() as i32 } else { 0 };
            let heading = !row.indent && row.cells.iter().any(|c| matches!(c, Cell::Overall(_)));
            let style = if heading
                || (!row.indent && i > 0 && self.forest.rows.get(i + 1).is_some_and(|r| r.indent))
            {
                &bold_left
            } else {
                &plain_left
            };
            for (k, line) in g.labels[i].iter().enumerate() {
                let at = y + (g.extra() * k as f64).round() as i32;
                self.pen.text(line, (x, at), style)?;
            }
            for (k, text) in row.before.iter().enumerate() {
                self.pen.text(text, (g.before_x[k], y), &plain_centre)?;
            }
            for (k, cell) in row.cells.iter().enumerate() {
                let (_, _, hr_x, p_x) = g.panels[k];
                self.pen.text(&cell.hr_text(), (hr_x, y), &plain_centre)?;
                self.pen.text(&cell.p_text(), (p_x, y), &plain_right)?;
                if let Cell::Estimate {
                    hr, lower, upper, ..
                } = cell
                {
                    self.draw_estimate(k, y, (*hr, *lower, *upper))?;
                }
            }
        }
        if let Some(note) = &self.forest.note {
            let y = g.axis_y + (3.9 * em).round() as i32;
            let style = self.pen.style(0.9, false, MUTED, left);
            self.pen.text(note, (g.label_x, y), &style)?;
        }
        Ok(())
    }

    fn draw_axis(&self, k: usize, l: i32, r: i32) -> DrawResult<DB> {
        let g = self.g;
        let em = g.em;
        let y = g.axis_y;
        self.pen.line(vec![(l, y), (r, y)], INK, 0.6)?;
        let tick = (0.35 * em).round() as i32;
        let style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top));
        for v in axis_ticks(g.x_range) {
            let x = g.x(k, v);
            self.pen.line(vec![(x, y), (x, y + tick)], INK, 0.6)?;
            let label = if v >= 1.0 {
                plain(v)
            } else {
                plain((v * 1000.0).round() / 1000.0)
            };
            self.pen
                .text(&label, (x, y + (0.6 * em).round() as i32), &style)?;
        }
        let title = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Center));
        self.pen.text(
            &self.opts.x_label,
            ((l + r) / 2, y + (2.6 * em).round() as i32),
            &title,
        )
    }

    /// The interval as a line (an arrow where it leaves the axis) and the estimate as a square.
    fn draw_estimate(
        &self,
        k: usize,
        y: i32,
        (hr, lower, upper): (f64, f64, f64),
    ) -> DrawResult<DB> {
        let g = self.g;
        let (l, r, _, _) = g.panels[k];
        let (lo, hi) = g.x_range;
        let x_lo = g.x(k, lower.max(lo));
        let x_hi = g.x(k, upper.min(hi));
        self.pen.line(
            vec![(x_lo, y), (x_hi, y)],
            self.color,
            self.opts.page.line_width,
        )?;
        let head = (0.3 * g.em).round() as i32;
        if lower < lo {
            self.arrow(x_lo, y, -head)?;
        }
        if upper > hi {
            self.arrow(x_hi, y, head)?;
        }
        if (lo..=hi).contains(&hr) {
            let x = g.x(k, hr).clamp(l, r);
            let s = (0.3 * g.em).round() as i32;
            self.pen.root.draw(&Rectangle::new(
                [(x - s, y - s), (x + s, y + s)],
                self.color.filled(),
            ))?;
        }
        Ok(())
    }

    fn arrow(&self, x: i32, y: i32, head: i32) -> DrawResult<DB> {
        let half = head.abs() * 2 / 3;
        self.pen.root.draw(&Polygon::new(
            vec![(x + head, y), (x, y - half), (x, y + half)],
            self.color.filled(),
        ))
    }
}

fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    forest: &Forest,
    opts: &ForestOptions,
    g: &Geometry,
    target: Target,
) -> Result<()> {
    let color = opts.validate()?;
    let painter = ForestPainter {
        forest,
        opts,
        g,
        pen: Pen {
            root,
            font_family: &opts.page.font_family,
            em: g.em,
            px_per_pt: g.px_per_pt,
            font_scale: target.font_scale(),
        },
        color,
    };
    painter
        .draw()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))?;
    root.present()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))
}

fn svg_of(forest: &Forest, opts: &ForestOptions, desc: &str) -> Result<String> {
    opts.validate()?;
    let page = &opts.page;
    let g = geometry(
        forest,
        opts,
        page.width_px(ForestOptions::PAGE)?,
        page.height_px(),
    )?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (g.width, g.height)).into_drawing_area();
        paint(&root, forest, opts, &g, Target::Svg)?;
    }
    let size_mm = page.size_mm(ForestOptions::PAGE, g.height);
    svg::finish(out, (g.width, g.height), size_mm, desc)
}

/// What a forest plot shows, in words (its SVG `<desc>`).
fn describe(forest: &Forest) -> String {
    let mut text = String::from("Forest plot of hazard ratios");
    let panels: Vec<&str> = forest
        .panels
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    if !panels.is_empty() {
        text.push_str(&format!(" ({})", panels.join(" and ")));
    }
    text.push('.');
    for row in &forest.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|c| match c {
                Cell::Estimate { p, .. } => format!(
                    "{}{}",
                    c.hr_text(),
                    p.map_or(String::new(), |p| format!(
                        ", P {}",
                        crate::format::p_value(p)
                    ))
                ),
                Cell::Overall(Some(p)) => format!("P {}", crate::format::p_value(*p)),
                _ => c.hr_text(),
            })
            .filter(|t| !t.is_empty())
            .collect();
        if !cells.is_empty() {
            text.push_str(&format!(" {}: {}.", row.label, cells.join("; ")));
        }
    }
    super::draw::printable(&text)
}

/// A Cox model's forest plot as SVG of its physical size.
pub fn cox_forest_svg(fit: &CoxForest, opts: &ForestOptions) -> Result<String> {
    let forest = fit.forest(opts)?;
    svg_of(&forest, opts, &describe(&forest))
}

/// A subgroup analysis' forest plot as SVG of its physical size.
pub fn subgroup_forest_svg(analysis: &SubgroupAnalysis, opts: &ForestOptions) -> Result<String> {
    let forest = subgroup_forest(analysis, opts);
    svg_of(&forest, opts, &describe(&forest))
}

/// A Cox model's forest plot's size in pixels, to size a canvas.
pub fn cox_forest_pixels(fit: &CoxForest, opts: &ForestOptions) -> Result<(u32, u32)> {
    opts.validate()?;
    let forest = fit.forest(opts)?;
    let g = geometry(
        &forest,
        opts,
        opts.page.width_px(ForestOptions::PAGE)?,
        opts.page.height_px(),
    )?;
    Ok((g.width, g.height))
}

/// Draws a Cox model's forest plot on `root`, filling it.
pub fn draw_cox_forest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fit: &CoxForest,
    opts: &ForestOptions,
    target: Target,
) -> Result<()> {
    opts.validate()?;
    let forest = fit.forest(opts)?;
    let (w, h) = root.dim_in_pixel();
    let g = geometry(&forest, opts, w, Some(h))?;
    paint(root, &forest, opts, &g, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_break_where_their_widest_line_is_narrowest() {
        // At 10 px to the em: "ECOG performance status" on two lines is best split before
        // "status" (the first line the wider), on three one word a line; a name of more
        // words than are searched keeps its one line.
        let em = 10.0;
        let w = |t: &str| text_width(t, em);
        let name = "ECOG performance status";
        assert_eq!(wrapped_width(name, 1, em), w(name));
        assert_eq!(wrapped_width(name, 2, em), w("ECOG performance"));
        assert_eq!(wrapped_width(name, 3, em), w("performance"));
        let long = vec!["word"; MAX_WORDS + 1].join(" ");
        assert_eq!(wrapped_width(&long, 3, em), w(&long));
    }

    #[test]
    fn log_ticks_are_round() {
        assert_eq!(log_ticks(0.6, 3.0), vec![0.5, 1.0, 2.0, 4.0]);
        assert_eq!(
            log_ticks(0.15, 8.0),
            vec![0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        );
        // lung's ECOG 3: 0.42 to 67.9 spans decades.
        assert_eq!(log_ticks(0.42, 67.9), vec![0.1, 1.0, 10.0, 100.0]);
        assert_eq!(axis_ticks((0.5, 4.0)), vec![0.5, 1.0, 2.0, 4.0]);
        assert_eq!(axis_ticks((0.1, 100.0)), vec![0.1, 1.0, 10.0, 100.0]);
    }

    #[test]
    fn limits_that_round_alike_get_more_decimals() {
        assert_eq!(interval_text(0.59, 0.42, 0.82), "0.59 (0.42\u{2013}0.82)");
        // Per unit of a covariate in small units: two decimals would print 1.00 (1.00-1.00).
        assert_eq!(
            interval_text(1.0031, 1.0012, 1.0049),
            "1.003 (1.001\u{2013}1.005)"
        );
        assert_eq!(
            interval_text(0.05, 0.02, 0.09),
            "0.050 (0.020\u{2013}0.090)"
        );
    }
}
