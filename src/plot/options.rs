//! How a figure looks: the options the page and the command line pass (serde, every key optional; the defaults make a journal-ready figure).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::page::{Page, PageRules};
use super::PlotStep;
use crate::error::{Error, Result};
use crate::options::TimeUnit;

/// What the y axis shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CurveKind {
    /// S(t) from the Kaplan-Meier steps' `surv`.
    #[default]
    Survival,
    /// 1 - S(t) from the same steps, the curve rising from 0.
    CumulativeIncidence,
    /// Curves that are cumulative incidences already (the steps' value is the incidence,
    /// written `surv` or `cif`), such as competing-risks (Aalen-Johansen) estimates: drawn as
    /// given, rising from 0, with their `lower`/`upper` limits when present.
    Cif,
}

impl CurveKind {
    /// Whether the curve rises from 0 (an incidence) rather than falling from 1.
    pub fn rises(self) -> bool {
        self != CurveKind::Survival
    }
}

/// Line colours and dashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Palette {
    /// Okabe & Ito's colour-blind-safe colours, solid lines.
    #[default]
    OkabeIto,
    /// Black and greys with six line patterns; bands shaded and hatched for two groups, drawn
    /// as their limits for more, for journals printing in black and white.
    #[serde(alias = "grayscale", alias = "grey", alias = "gray")]
    Greyscale,
}

/// Where the legend goes. `auto` picks the corner of the plot the curves leave free, or goes
/// above the plot when every corner would hide part of a curve. Above the plot (`top`), the
/// figure grows by the legend's rows rather than the plot shrinking (unless the height is fixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LegendPosition {
    #[default]
    Auto,
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
    /// Above the plot (outside it), entries side by side.
    #[serde(alias = "outside")]
    Top,
    None,
}

/// Journal figure widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FigureSize {
    /// One column, 85 mm.
    #[default]
    Single,
    /// One and a half columns, 140 mm.
    #[serde(alias = "1.5", alias = "one-and-a-half")]
    OneAndHalf,
    /// Two columns (full page width), 180 mm.
    Double,
}

impl FigureSize {
    pub fn width_mm(self) -> f64 {
        match self {
            FigureSize::Single => 85.0,
            FigureSize::OneAndHalf => 140.0,
            FigureSize::Double => 180.0,
        }
    }
}

/// How censored observations are marked on the curves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CensorStyle {
    /// `thinned` when marks would overlap, else `every`.
    #[default]
    Auto,
    /// A "+" at every time with censorings (as R's `plot.survfit`).
    Every,
    /// A "+" on the curve, but none closer than one mark's width to the last one drawn, so
    /// dense censoring stays a row of marks rather than a solid bar.
    Thinned,
    /// Short ticks in a strip along the bottom of the plot, one strip per group.
    Rug,
}

/// How a hazard ratio on the plot was estimated, said beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HrMethod {
    /// A Cox model of the group alone.
    Cox,
    /// exp((O - E) / V) from the log-rank quantities (the `km` result's first estimate).
    MantelHaenszel,
}

impl HrMethod {
    fn words(self) -> &'static str {
        match self {
            HrMethod::Cox => "Cox",
            HrMethod::MantelHaenszel => "Mantel-Haenszel",
        }
    }
}

/// A test between the curves, printed on the plot as "Log-rank P = 0.012".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestNote {
    /// As the reader should see it, e.g. "Log-rank".
    pub name: String,
    pub p: f64,
}

/// A hazard ratio printed on the plot: "Cox HR B vs A: 0.59 (95% CI 0.42-0.82)".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardRatioNote {
    pub hr: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: HrMethod,
    #[serde(default = "default_conf_level")]
    pub conf_level: f64,
    /// The group's level and the reference level (shown through `labels`), when known.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
}

fn default_conf_level() -> f64 {
    0.95
}

/// How the figure looks. Every key is optional in JSON; the defaults make a single-column
/// (85 mm) journal figure at 300 dpi, 8-pt text, with a number-at-risk table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlotOptions {
    pub title: Option<String>,
    /// The time axis title, without its unit.
    pub x_label: String,
    /// The data's unit of time. Shown as "Time (months)"; when it is days, weeks, months or
    /// years, `display_unit` can convert it.
    pub time_unit: Option<String>,
    /// Show time in this unit (days, weeks, months, years), converting from `time_unit` with
    /// 7, 30.4375 and 365.25 days per week, month and year. `time_step` and `x_max` are in it.
    pub display_unit: Option<TimeUnit>,
    /// The endpoint's name ("Overall survival"): the default y title is "Overall survival
    /// probability" ("Overall survival (%)" with `percent`).
    pub endpoint: Option<String>,
    /// The y axis title; replaces the default.
    pub y_label: Option<String>,
    /// Distance between time breaks, in the displayed unit; by default a natural step of it
    /// (6 or 12 months, 1 year, 4 or 13 weeks...) or a round number.
    pub time_step: Option<f64>,
    /// End of the time axis, in the displayed unit; curves are cut there. By default the last
    /// time of any group.
    pub x_max: Option<f64>,
    /// The y axis range as proportions (0.5 and 1 for 50-100%); a cut axis (`y_min` above 0)
    /// carries a break mark.
    pub y_min: f64,
    pub y_max: f64,
    pub curve: CurveKind,
    /// Whether the y axis reads 0-100 (%) rather than 0-1.
    pub percent: bool,
    /// Group names as the reader sees them: level -> label (legend, numbers at risk, notes).
    pub labels: BTreeMap<String, String>,
    /// Levels in the order to show them (legend, table rows, colours); levels not listed
    /// follow in their own order, names matching no group are ignored.
    pub order: Vec<String>,
    /// A level's colour as "#RRGGBB", overriding the palette's.
    pub colors: BTreeMap<String, String>,
    /// A second curve per level, drawn dashed in the level's colour beside its own, valued as
    /// the curves are (`curve`): 1 − Kaplan-Meier beside a cumulative incidence, say. No band,
    /// marks or risk rows; what it is, the caption says. Levels matching no group are ignored.
    pub comparison: BTreeMap<String, Vec<PlotStep>>,
    pub palette: Palette,
    /// Confidence bands from each step's `lower` and `upper`.
    pub conf_bands: bool,
    /// Marks for censored observations.
    pub censor_marks: bool,
    pub censor_style: CensorStyle,
    /// Dashed lines from the 50% level down to each group's median (survival curves).
    pub median_lines: bool,
    /// Numbers at risk under the plot, at the time breaks.
    pub risk_table: bool,
    /// The cumulative number of events at each break (KMunicate), with or without the numbers
    /// at risk.
    pub risk_table_events: bool,
    /// The cumulative number censored at each break (KMunicate), with or without the numbers
    /// at risk.
    pub risk_table_censored: bool,
    /// A test's P on the plot.
    pub test: Option<TestNote>,
    /// A hazard ratio with its confidence interval on the plot.
    pub hazard_ratio: Option<HazardRatioNote>,
    /// Further text on the plot, one note per line.
    pub annotation: Option<String>,
    pub legend: LegendPosition,
    /// Size, resolution, type and line width (single column by default; without a height,
    /// a plot panel of 0.53 of the width plus title, legend rows and tables).
    #[serde(flatten)]
    pub page: Page,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            title: None,
            x_label: "Time".into(),
            time_unit: None,
            display_unit: None,
            endpoint: None,
            y_label: None,
            time_step: None,
            x_max: None,
            y_min: 0.0,
            y_max: 1.0,
            curve: CurveKind::Survival,
            percent: false,
            labels: BTreeMap::new(),
            order: Vec::new(),
            colors: BTreeMap::new(),
            comparison: BTreeMap::new(),
            palette: Palette::OkabeIto,
            conf_bands: false,
            censor_marks: true,
            censor_style: CensorStyle::Auto,
            median_lines: false,
            risk_table: true,
            risk_table_events: false,
            risk_table_censored: false,
            test: None,
            hazard_ratio: None,
            annotation: None,
            legend: LegendPosition::Auto,
            page: Page::default(),
        }
    }
}

fn invalid(message: String) -> Error {
    Error::usage(message)
}

impl PlotOptions {
    /// A curve figure's page: one column by default, errors naming plot options.
    pub const PAGE: PageRules = PageRules {
        noun: "plot option",
        size: FigureSize::Single,
        min_width_mm: 20.0,
    };

    /// Checks every number against a sensible range, naming the option to fix.
    pub fn validate(&self) -> Result<()> {
        let check = |key: &str, value: Option<f64>, lo: f64, hi: f64| match value {
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(invalid(format!(
                "plot option '{key}' is {v}; give a number from {lo} to {hi}"
            ))),
            _ => Ok(()),
        };
        self.page.validate(Self::PAGE)?;
        check("time_step", self.time_step, 1e-9, 1e12)?;
        check("x_max", self.x_max, 1e-9, 1e12)?;
        check("y_min", Some(self.y_min), 0.0, 0.95)?;
        check("y_max", Some(self.y_max), 0.05, 1.0)?;
        if self.y_max - self.y_min < 0.05 {
            return Err(invalid(format!(
                "plot options 'y_min' {} and 'y_max' {} leave no room; give y_max at least 0.05 above y_min",
                self.y_min, self.y_max
            )));
        }
        for (level, colour) in &self.colors {
            if parse_colour(colour).is_none() {
                return Err(invalid(format!(
                    "plot option 'colors': '{colour}' for group '{level}' is not a colour; write it as #RRGGBB, e.g. #0072B2"
                )));
            }
        }
        if let Some(hr) = &self.hazard_ratio {
            let positive = |x: f64| x.is_finite() && x > 0.0;
            if !(positive(hr.hr) && positive(hr.lower) && positive(hr.upper)) {
                return Err(invalid(format!(
                    "plot option 'hazard_ratio' {} ({}-{}) is not a positive finite ratio; leave it out when the ratio cannot be estimated",
                    hr.hr, hr.lower, hr.upper
                )));
            }
            check("hazard_ratio.conf_level", Some(hr.conf_level), 0.5, 0.9999)?;
        }
        self.conversion().map(|_| ())
    }

    /// Checks that an explicit `time_step` gives a readable number of breaks up to `x_max`
    /// (or, without it, the last time of the data, in the displayed unit).
    pub fn check_breaks(&self, last_time: f64) -> Result<()> {
        let end = self.x_max.unwrap_or(last_time);
        match self.time_step {
            Some(step) if end / step > 100.0 => Err(invalid(format!(
                "plot option 'time_step' {step} gives over 100 breaks up to {end}; choose a larger step"
            ))),
            _ => Ok(()),
        }
    }

    /// The data's unit when it is one of the four the figure can convert.
    pub fn data_unit(&self) -> Option<TimeUnit> {
        self.time_unit
            .as_deref()
            .and_then(|u| u.trim().parse().ok())
    }

    /// The factor from the data's times to the displayed ones (1 without conversion).
    pub fn conversion(&self) -> Result<f64> {
        match (self.display_unit, self.data_unit()) {
            (None, _) => Ok(1.0),
            (Some(shown), Some(data)) => Ok(data.days() / shown.days()),
            (Some(shown), None) => Err(invalid(format!(
                "plot option 'display_unit' {} needs the data's unit of time: give 'time_unit' as days, weeks, months or years",
                shown.name()
            ))),
        }
    }

    /// The unit the time axis shows: the displayed one, else the data's.
    pub fn shown_unit(&self) -> Option<String> {
        self.display_unit
            .map(|u| u.name().to_string())
            .or_else(|| self.time_unit.clone())
    }

    /// A sentence for the caption or methods saying how time was converted, when it was:
    /// "Time is shown in months (1 month = 30.4375 days)".
    pub fn time_note(&self) -> Option<String> {
        let shown = self.display_unit?;
        let data = self.data_unit()?;
        if shown == data {
            return None;
        }
        let singular = |u: TimeUnit| u.name().trim_end_matches('s').to_string();
        let (big, small) = if shown.days() > data.days() {
            (shown, data)
        } else {
            (data, shown)
        };
        let ratio = big.days() / small.days();
        Some(format!(
            "Time was recorded in {} and is shown in {} (1 {} = {} {}).",
            data.name(),
            shown.name(),
            singular(big),
            plain(ratio),
            small.name()
        ))
    }

    /// A label as the reader sees it.
    pub fn label<'a>(&'a self, level: &'a str) -> &'a str {
        self.labels.get(level).map_or(level, String::as_str)
    }

    pub(super) fn y_title(&self) -> String {
        if let Some(label) = &self.y_label {
            return label.clone();
        }
        let name = match (self.curve, &self.endpoint) {
            (CurveKind::Survival, Some(endpoint)) if self.percent => endpoint.trim().to_string(),
            (CurveKind::Survival, Some(endpoint)) => format!("{} probability", endpoint.trim()),
            (CurveKind::Survival, None) => "Survival probability".into(),
            (CurveKind::CumulativeIncidence | CurveKind::Cif, _) => "Cumulative incidence".into(),
        };
        if self.percent {
            format!("{name} (%)")
        } else {
            name
        }
    }

    pub(super) fn x_title(&self) -> String {
        match self.shown_unit() {
            Some(unit) => format!("{} ({unit})", self.x_label),
            None => self.x_label.clone(),
        }
    }

    /// The plotted value of a step's value: survival and given incidences as they are,
    /// 1 - S(t) for the cumulative incidence view.
    pub(super) fn value(&self, surv: f64) -> f64 {
        match self.curve {
            CurveKind::Survival | CurveKind::Cif => surv,
            CurveKind::CumulativeIncidence => 1.0 - surv,
        }
    }

    /// The notes printed on the plot, in order: the test, the hazard ratio, the free text.
    pub fn notes(&self) -> Vec<String> {
        self.notes_held(false)
    }

    /// The notes, the hazard ratio's group names each held together by no-break spaces when
    /// `hold_names` (so a wrapped note breaks between the names or around "vs", not inside a
    /// name), else "vs" held to the reference's name. The estimate stays with its interval.
    pub(super) fn notes_held(&self, hold_names: bool) -> Vec<String> {
        let name = |level: &str| {
            let label = self.label(level);
            if hold_names {
                label.replace(' ', "\u{a0}")
            } else {
                label.to_string()
            }
        };
        let mut lines = Vec::new();
        if let Some(test) = &self.test {
            lines.push(format!("{} P {}", test.name, p_in_sentence(test.p)));
        }
        if let Some(hr) = &self.hazard_ratio {
            let level = (hr.conf_level * 100.0 * 1e6).round() / 1e6;
            let which = match (&hr.group, &hr.reference) {
                (Some(g), Some(r)) => {
                    let vs = if hold_names { " vs " } else { " vs\u{a0}" };
                    format!(" {}{vs}{}:", name(g), name(r))
                }
                _ => String::new(),
            };
            // No-break spaces keep the estimate with its interval when the note wraps.
            lines.push(format!(
                "{} HR{which} {}\u{a0}({}%\u{a0}CI\u{a0}{}\u{2013}{})",
                hr.method.words(),
                ratio(hr.hr),
                plain(level),
                ratio(hr.lower),
                ratio(hr.upper)
            ));
        }
        if let Some(text) = &self.annotation {
            lines.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            );
        }
        lines
    }
}

/// "= 0.012" or "< 0.001": a P as it reads in a sentence.
fn p_in_sentence(p: f64) -> String {
    let text = crate::format::p_value(p);
    match text.chars().next() {
        Some(c @ ('<' | '>')) => format!("{c} {}", &text[1..]),
        _ => format!("= {text}"),
    }
}

/// A ratio to two decimals, or three below 0.1, so no interval reads "0.00".
fn ratio(x: f64) -> String {
    if x < 0.1 {
        format!("{x:.3}")
    } else {
        format!("{x:.2}")
    }
}

/// A number without trailing zeros: 30.4375, 7, 95.
pub fn plain(x: f64) -> String {
    let text = format!("{x:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "#RRGGBB" or "#RGB" as (r, g, b).
pub fn parse_colour(text: &str) -> Option<(u8, u8, u8)> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |s: &str| u8::from_str_radix(s, 16).ok();
    match hex.len() {
        6 => Some((byte(&hex[0..2])?, byte(&hex[2..4])?, byte(&hex[4..6])?)),
        3 => {
            let d = |i: usize| byte(&hex[i..=i]).map(|v| v * 17);
            Some((d(0)?, d(1)?, d(2)?))
        }
        _ => None,
    }
}
