//! How a figure looks: the options the page and the command line pass (serde, every key optional).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the y axis shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CurveKind {
    /// S(t).
    #[default]
    Survival,
    /// 1 - S(t), the curve rising from 0.
    CumulativeIncidence,
}

/// Line colours and dashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Palette {
    /// Okabe & Ito's colour-blind-safe colours, solid lines.
    #[default]
    OkabeIto,
    /// Black and grey with different dashes, for journals printing in black and white.
    Greyscale,
}

/// Where the legend goes; `auto` picks the corner of the plot the curves leave free, or goes
/// above the plot when every corner would hide part of a curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LegendPosition {
    #[default]
    Auto,
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
    /// Above the plot, entries side by side.
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
    /// Two columns (full page width), 180 mm.
    Double,
}

impl FigureSize {
    pub fn width_mm(self) -> f64 {
        match self {
            FigureSize::Single => 85.0,
            FigureSize::Double => 180.0,
        }
    }
}

/// How the figure looks. Every key is optional in JSON; the defaults make a single-column
/// journal figure at 300 dpi with a number-at-risk table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlotOptions {
    pub title: Option<String>,
    /// The time axis title, without its unit.
    pub x_label: String,
    /// Unit of time, shown as "Time (months)".
    pub time_unit: Option<String>,
    /// The y axis title; by default it names the curve and, with `percent`, "(%)".
    pub y_label: Option<String>,
    /// Distance between time breaks; chosen "nice" (1, 2, 2.5, 5 x 10^k) when absent.
    pub time_step: Option<f64>,
    /// End of the time axis; curves are cut there. By default the last time of any group.
    pub x_max: Option<f64>,
    pub curve: CurveKind,
    /// Whether the y axis reads 0-100 (%) rather than 0-1.
    pub percent: bool,
    /// Semi-transparent confidence bands from each step's `lower` and `upper`.
    pub conf_bands: bool,
    /// A "+" on the curve at each time with censorings (once per pixel).
    pub censor_marks: bool,
    /// Dashed lines from the 50% level down to each group's median.
    pub median_lines: bool,
    /// Numbers at risk under the plot, at the time breaks.
    pub risk_table: bool,
    /// Text placed in a free corner of the plot, e.g. "Log-rank P = 0.012".
    pub annotation: Option<String>,
    pub legend: LegendPosition,
    pub palette: Palette,
    /// Text size in points.
    pub font_size: f64,
    pub font_family: String,
    /// Curve width in points.
    pub line_width: f64,
    pub size: FigureSize,
    /// Overrides the width of `size`.
    pub width_mm: Option<f64>,
    /// Default: about 0.68 of the width, plus the title and the number-at-risk table.
    pub height_mm: Option<f64>,
    /// Pixels per inch of the output.
    pub dpi: f64,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            title: None,
            x_label: "Time".into(),
            time_unit: None,
            y_label: None,
            time_step: None,
            x_max: None,
            curve: CurveKind::Survival,
            percent: false,
            conf_bands: false,
            censor_marks: true,
            median_lines: false,
            risk_table: true,
            annotation: None,
            legend: LegendPosition::Auto,
            palette: Palette::OkabeIto,
            font_size: 8.0,
            font_family: "Helvetica, Arial, sans-serif".into(),
            line_width: 1.0,
            size: FigureSize::Single,
            width_mm: None,
            height_mm: None,
            dpi: 300.0,
        }
    }
}

impl PlotOptions {
    /// Checks every number against a sensible range, naming the option to fix.
    pub fn validate(&self) -> Result<()> {
        let check = |key: &str, value: Option<f64>, lo: f64, hi: f64| match value {
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(Error::usage(format!(
                "plot option '{key}' is {v}; give a number from {lo} to {hi}"
            ))),
            _ => Ok(()),
        };
        check("dpi", Some(self.dpi), 10.0, 2400.0)?;
        check("font_size", Some(self.font_size), 3.0, 48.0)?;
        check("line_width", Some(self.line_width), 0.1, 10.0)?;
        check("width_mm", self.width_mm, 20.0, 1000.0)?;
        check("height_mm", self.height_mm, 20.0, 1000.0)?;
        check("time_step", self.time_step, 1e-9, 1e12)?;
        check("x_max", self.x_max, 1e-9, 1e12)?;
        Ok(())
    }

    /// Checks that an explicit `time_step` gives a readable number of breaks up to `x_max`
    /// (or, without it, the last time of the data).
    pub fn check_breaks(&self, last_time: f64) -> Result<()> {
        let end = self.x_max.unwrap_or(last_time);
        match self.time_step {
            Some(step) if end / step > 100.0 => Err(Error::usage(format!(
                "plot option 'time_step' {step} gives over 100 breaks up to {end}; choose a larger step"
            ))),
            _ => Ok(()),
        }
    }

    pub(super) fn y_title(&self) -> String {
        if let Some(label) = &self.y_label {
            return label.clone();
        }
        let name = match self.curve {
            CurveKind::Survival => "Survival probability",
            CurveKind::CumulativeIncidence => "Cumulative incidence",
        };
        if self.percent {
            format!("{name} (%)")
        } else {
            name.into()
        }
    }

    pub(super) fn x_title(&self) -> String {
        match &self.time_unit {
            Some(unit) => format!("{} ({unit})", self.x_label),
            None => self.x_label.clone(),
        }
    }

    /// The plotted value of a survival probability.
    pub(super) fn value(&self, surv: f64) -> f64 {
        match self.curve {
            CurveKind::Survival => surv,
            CurveKind::CumulativeIncidence => 1.0 - surv,
        }
    }
}
