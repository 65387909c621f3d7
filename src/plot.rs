//! Kaplan-Meier figures over plotters' `DrawingBackend`: SVG natively, a canvas in the page, one drawing code.
//!
//! Input is the `km` result as the command line prints it (`groups[].name`, `steps[]` with
//! `time`, `n_risk`, `n_event`, `n_censor`, `surv`, `lower`, `upper`), so the page can pass the
//! KM JSON straight in. Sizes are in typographic points and millimetres and scale with the
//! pixel size, so a figure looks the same on screen and at 300 dpi.

mod geometry;
mod layout;

use plotters::coord::Shift;
use plotters::element::{DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TextStyle};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use geometry::DataPoint;
pub use layout::figure_pixels;
use layout::{Corner, Layout, Rect};

/// One row of a Kaplan-Meier table, as in the `km` output (`se` and other keys are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotStep {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_censor: u64,
    pub surv: f64,
    #[serde(default)]
    pub lower: Option<f64>,
    #[serde(default)]
    pub upper: Option<f64>,
}

/// One curve: a `km` group record (`n`, `events`, `rmean` and other keys are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotGroup {
    pub name: String,
    pub steps: Vec<PlotStep>,
    /// The median as the `km` command reports it; computed from the steps when absent.
    #[serde(default)]
    pub median: Option<f64>,
}

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

/// Where the legend goes; `auto` picks the corner of the plot the curves leave free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LegendPosition {
    #[default]
    Auto,
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
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
    /// A "+" on the curve at each time with censorings.
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
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(Error::Invalid(format!(
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
        if let (Some(step), Some(x_max)) = (self.time_step, self.x_max) {
            if x_max / step > 100.0 {
                return Err(Error::Invalid(format!(
                    "plot option 'time_step' {step} gives over 100 breaks up to {x_max}; choose a larger step"
                )));
            }
        }
        Ok(())
    }

    fn y_title(&self) -> String {
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

    fn x_title(&self) -> String {
        match &self.time_unit {
            Some(unit) => format!("{} ({unit})", self.x_label),
            None => self.x_label.clone(),
        }
    }

    /// The plotted value of a survival probability.
    fn value(&self, surv: f64) -> f64 {
        match self.curve {
            CurveKind::Survival => surv,
            CurveKind::CumulativeIncidence => 1.0 - surv,
        }
    }
}

/// Which plotters backend receives the figure. They disagree on font sizes: plotters' SVG
/// backend writes `font-size` as the requested size / 1.24, the canvas backend uses it as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Svg,
    Canvas,
}

impl Target {
    fn font_scale(self) -> f64 {
        match self {
            Target::Svg => 1.24,
            Target::Canvas => 1.0,
        }
    }
}

/// The figure as an SVG document, sized by the options (`size`, `width_mm`, `height_mm`, `dpi`).
pub fn km_svg(groups: &[PlotGroup], opts: &PlotOptions) -> Result<String> {
    let size = figure_pixels(groups.len(), opts)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_km(&root, groups, opts, Target::Svg)?;
    }
    Ok(svg)
}

/// Draws the figure on `root`, filling its whole pixel size; fonts and lines scale with it
/// (the options' physical width is taken to span the area). Give the canvas the size from
/// [`figure_pixels`] for the options' proportions.
pub fn draw_km<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &[PlotGroup],
    opts: &PlotOptions,
    target: Target,
) -> Result<()> {
    opts.validate()?;
    check_groups(groups)?;
    let layout = layout::layout(groups, opts, root.dim_in_pixel());
    let figure = Figure {
        root,
        groups,
        opts,
        layout,
        font_scale: target.font_scale(),
    };
    figure
        .draw()
        .map_err(|e| Error::Invalid(format!("drawing failed: {e}")))?;
    root.present()
        .map_err(|e| Error::Invalid(format!("drawing failed: {e}")))
}

/// Rejects steps a figure cannot show, naming the group and step.
fn check_groups(groups: &[PlotGroup]) -> Result<()> {
    for group in groups {
        let mut previous = f64::NEG_INFINITY;
        for (i, step) in group.steps.iter().enumerate() {
            let bad = |what: &str| {
                Err(Error::Invalid(format!(
                    "group '{}', step {}: {what}; pass the km result unchanged",
                    group.name,
                    i + 1
                )))
            };
            if !(step.time.is_finite() && step.time >= 0.0) {
                return bad("time must be a non-negative number");
            }
            if step.time < previous {
                return bad("times must increase");
            }
            if !(0.0..=1.0).contains(&step.surv) {
                return bad("surv must lie between 0 and 1");
            }
            let limit_ok = |l: Option<f64>| l.is_none_or(|l| (0.0..=1.0).contains(&l));
            if !limit_ok(step.lower) || !limit_ok(step.upper) {
                return bad("lower and upper must lie between 0 and 1");
            }
            previous = step.time;
        }
    }
    Ok(())
}

/// Okabe & Ito (2008), reordered so the first colours differ most in lightness too; yellow,
/// faint on white, comes last.
const OKABE_ITO: [(u8, u8, u8); 8] = [
    (0x00, 0x72, 0xB2),
    (0xD5, 0x5E, 0x00),
    (0x00, 0x9E, 0x73),
    (0xCC, 0x79, 0xA7),
    (0xE6, 0x9F, 0x00),
    (0x56, 0xB4, 0xE9),
    (0x00, 0x00, 0x00),
    (0xF0, 0xE4, 0x42),
];

const INK: RGBAColor = RGBAColor(0, 0, 0, 1.0);
const MUTED: RGBAColor = RGBAColor(0x59, 0x59, 0x59, 1.0);

/// A curve's colour and dash pattern (dash and gap in line widths).
#[derive(Debug, Clone, Copy)]
struct LineLook {
    color: RGBAColor,
    dash: Option<(f64, f64)>,
}

fn line_look(palette: Palette, index: usize) -> LineLook {
    match palette {
        Palette::OkabeIto => {
            let (r, g, b) = OKABE_ITO[index % OKABE_ITO.len()];
            LineLook {
                color: RGBAColor(r, g, b, 1.0),
                dash: None,
            }
        }
        Palette::Greyscale => {
            const DASHES: [Option<(f64, f64)>; 4] =
                [None, Some((4.0, 2.5)), Some((1.2, 1.8)), Some((9.0, 3.0))];
            let grey = if (index / DASHES.len()) % 2 == 0 {
                0
            } else {
                0x80
            };
            LineLook {
                color: RGBAColor(grey, grey, grey, 1.0),
                dash: DASHES[index % DASHES.len()],
            }
        }
    }
}

type Segment = ((i32, i32), (i32, i32));
type DrawResult<DB> = std::result::Result<
    (),
    plotters::drawing::DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>,
>;

struct Figure<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    groups: &'a [PlotGroup],
    opts: &'a PlotOptions,
    layout: Layout,
    font_scale: f64,
}

impl<DB: DrawingBackend> Figure<'_, DB> {
    fn draw(&self) -> DrawResult<DB> {
        self.root.fill(&RGBAColor(255, 255, 255, 1.0))?;
        if self.opts.conf_bands {
            self.draw_bands()?;
        }
        if self.opts.median_lines {
            self.draw_medians()?;
        }
        self.draw_curves()?;
        self.draw_axes()?;
        self.draw_titles()?;
        let legend = self.draw_legend()?;
        self.draw_annotation(legend)?;
        if self.opts.risk_table {
            self.draw_risk_table()?;
        }
        Ok(())
    }

    fn px(&self, (t, v): DataPoint) -> (i32, i32) {
        (self.layout.x(t), self.layout.y(self.opts.value(v)))
    }

    fn text_style(&self, size_em: f64, bold: bool, color: RGBAColor, pos: Pos) -> TextStyle<'_> {
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(
            FontFamily::Name(&self.opts.font_family),
            size_em * self.layout.em * self.font_scale,
            style,
        );
        TextStyle {
            font,
            color: color.to_backend_color(),
            pos,
        }
    }

    fn text(&self, text: &str, at: (i32, i32), style: &TextStyle<'_>) -> DrawResult<DB> {
        self.root.draw(&Text::new(text, at, style.clone()))
    }

    fn line(&self, points: Vec<(i32, i32)>, color: RGBAColor, width_pt: f64) -> DrawResult<DB> {
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: self.layout.pt(width_pt),
        };
        self.root.draw(&PathElement::new(points, style))
    }

    fn styled_line(&self, points: Vec<(i32, i32)>, look: LineLook) -> DrawResult<DB> {
        let width = self.layout.pt(self.opts.line_width);
        let style = ShapeStyle {
            color: look.color,
            filled: false,
            stroke_width: width,
        };
        match look.dash {
            None => self.root.draw(&PathElement::new(points, style)),
            Some((dash, gap)) => {
                let w = f64::from(width).max(1.5);
                let size = (dash * w).round().max(1.0) as u32;
                let spacing = (gap * w).round().max(1.0) as u32;
                self.root
                    .draw(&DashedPathElement::new(points, size, spacing, style))
            }
        }
    }

    fn draw_bands(&self) -> DrawResult<DB> {
        for (i, group) in self.groups.iter().enumerate() {
            let mut fill = line_look(self.opts.palette, i).color;
            fill.3 = match self.opts.palette {
                Palette::OkabeIto => 0.2,
                Palette::Greyscale => 0.12,
            };
            for outline in geometry::band_outlines(&group.steps, self.layout.x_max) {
                let points: Vec<_> = outline.into_iter().map(|p| self.px(p)).collect();
                self.root.draw(&Polygon::new(points, fill.filled()))?;
            }
        }
        Ok(())
    }

    fn medians(&self) -> Vec<f64> {
        self.groups
            .iter()
            .filter_map(|g| g.median.or_else(|| geometry::median(&g.steps)))
            .filter(|&m| m <= self.layout.x_max)
            .collect()
    }

    fn median_segments(&self) -> Vec<Segment> {
        let medians = self.medians();
        let Some(last) = medians.iter().copied().reduce(f64::max) else {
            return Vec::new();
        };
        let half = self.layout.y(0.5);
        let mut segments = vec![((self.layout.x(0.0), half), (self.layout.x(last), half))];
        segments.extend(medians.iter().map(|&m| {
            (
                (self.layout.x(m), half),
                (self.layout.x(m), self.layout.plot.bottom),
            )
        }));
        segments
    }

    fn draw_medians(&self) -> DrawResult<DB> {
        let width = self.layout.pt(0.5);
        let style = ShapeStyle {
            color: MUTED,
            filled: false,
            stroke_width: width,
        };
        let dash = self.layout.pt(2.0);
        for (a, b) in self.median_segments() {
            self.root
                .draw(&DashedPathElement::new(vec![a, b], dash, dash, style))?;
        }
        Ok(())
    }

    fn curve_pixels(&self, group: &PlotGroup) -> Vec<(i32, i32)> {
        let mut points: Vec<_> = geometry::step_path(&group.steps, self.layout.x_max)
            .into_iter()
            .map(|p| self.px(p))
            .collect();
        points.dedup();
        points
    }

    fn draw_curves(&self) -> DrawResult<DB> {
        for (i, group) in self.groups.iter().enumerate() {
            let look = line_look(self.opts.palette, i);
            self.styled_line(self.curve_pixels(group), look)?;
            if self.opts.censor_marks {
                for mark in geometry::censor_marks(&group.steps, self.layout.x_max) {
                    self.draw_plus(self.px(mark), look.color)?;
                }
            }
        }
        Ok(())
    }

    /// A "+" as one filled outline, as thick as the curve.
    fn draw_plus(&self, (x, y): (i32, i32), color: RGBAColor) -> DrawResult<DB> {
        let arm = (0.3 * self.layout.em).round().max(2.0) as i32;
        let w = self.layout.pt(self.opts.line_width * 0.8) as i32;
        let (a, b) = (w / 2, w - w / 2);
        let outline = vec![
            (x - a, y - arm),
            (x + b, y - arm),
            (x + b, y - a),
            (x + arm, y - a),
            (x + arm, y + b),
            (x + b, y + b),
            (x + b, y + arm),
            (x - a, y + arm),
            (x - a, y + b),
            (x - arm, y + b),
            (x - arm, y - a),
            (x - a, y - a),
        ];
        self.root.draw(&Polygon::new(outline, color.filled()))
    }

    fn draw_axes(&self) -> DrawResult<DB> {
        let l = &self.layout;
        let p = l.plot;
        let axis_pt = 0.6;
        let tick = (0.4 * l.em).round() as i32;
        self.line(
            vec![(p.left, p.top), (p.left, p.bottom), (p.right, p.bottom)],
            INK,
            axis_pt,
        )?;
        let label_style = self.text_style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top));
        for &t in &l.x_breaks {
            let x = l.x(t);
            self.line(vec![(x, p.bottom), (x, p.bottom + tick)], INK, axis_pt)?;
            let label = format!("{t:.*}", l.x_decimals);
            self.text(&label, (x, l.x_tick_label_y), &label_style)?;
        }
        let y_style = self.text_style(1.0, false, INK, Pos::new(HPos::Right, VPos::Center));
        let gap = (0.3 * l.em).round() as i32;
        for (v, label) in layout::y_ticks(self.opts) {
            let y = l.y(v);
            self.line(vec![(p.left - tick, y), (p.left, y)], INK, axis_pt)?;
            self.text(&label, (p.left - tick - gap, y), &y_style)?;
        }
        Ok(())
    }

    fn draw_titles(&self) -> DrawResult<DB> {
        let l = &self.layout;
        let p = l.plot;
        let centre = |a: i32, b: i32| a + (b - a) / 2;
        let middle = Pos::new(HPos::Center, VPos::Center);
        if let (Some(title), Some(y)) = (&self.opts.title, l.title_y) {
            let style = self.text_style(1.2, true, INK, middle);
            self.text(title, (centre(p.left, p.right), y), &style)?;
        }
        let style = self.text_style(1.0, false, INK, middle);
        self.text(
            &self.opts.x_title(),
            (centre(p.left, p.right), l.x_title_y),
            &style,
        )?;
        let y_style = self
            .text_style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top))
            .transform(FontTransform::Rotate270);
        self.text(
            &self.opts.y_title(),
            (l.y_title_x, centre(p.top, p.bottom)),
            &y_style,
        )
    }

    /// Segments a box in the plot should not hide: curves, bands' edges, median lines.
    fn obstacles(&self) -> Vec<Segment> {
        let mut segments = Vec::new();
        for group in self.groups {
            let points = self.curve_pixels(group);
            segments.extend(points.windows(2).map(|w| (w[0], w[1])));
            if self.opts.conf_bands {
                for outline in geometry::band_outlines(&group.steps, self.layout.x_max) {
                    let points: Vec<_> = outline.into_iter().map(|p| self.px(p)).collect();
                    segments.extend(points.windows(2).map(|w| (w[0], w[1])));
                }
            }
        }
        if self.opts.median_lines {
            segments.extend(self.median_segments());
        }
        segments
    }

    /// Draws the legend and returns the corner it took.
    fn draw_legend(
        &self,
    ) -> std::result::Result<Option<Corner>, plotters::drawing::DrawingAreaErrorKind<DB::ErrorType>>
    {
        if self.opts.legend == LegendPosition::None || self.groups.len() < 2 {
            return Ok(None);
        }
        let em = self.layout.em;
        let sample = 2.4 * em;
        let row = 1.35 * em;
        let pad = 0.4 * em;
        let names_width = self
            .groups
            .iter()
            .map(|g| layout::text_width(&g.name, em))
            .fold(0.0, f64::max);
        let size = (
            (2.0 * pad + sample + 0.5 * em + names_width).round() as i32,
            (2.0 * pad + row * self.groups.len() as f64).round() as i32,
        );
        let Some(corner) = layout::least_covered(
            &self.layout,
            size,
            &self.obstacles(),
            &layout::legend_corners(self.opts),
        ) else {
            return Ok(None);
        };
        let rect = self.layout.in_corner(corner, size);
        self.backdrop(rect)?;
        let style = self.text_style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        for (i, group) in self.groups.iter().enumerate() {
            let y = (f64::from(rect.top) + pad + row * (i as f64 + 0.5)).round() as i32;
            let x0 = (f64::from(rect.left) + pad).round() as i32;
            let x1 = x0 + sample.round() as i32;
            self.styled_line(vec![(x0, y), (x1, y)], line_look(self.opts.palette, i))?;
            self.text(&group.name, (x1 + (0.5 * em).round() as i32, y), &style)?;
        }
        Ok(Some(corner))
    }

    /// A translucent white box, so text stays readable over a band or grid.
    fn backdrop(&self, r: Rect) -> DrawResult<DB> {
        self.root.draw(&Rectangle::new(
            [(r.left, r.top), (r.right, r.bottom)],
            RGBAColor(255, 255, 255, 0.85).filled(),
        ))
    }

    fn draw_annotation(&self, legend: Option<Corner>) -> DrawResult<DB> {
        let Some(text) = self
            .opts
            .annotation
            .as_deref()
            .filter(|t| !t.trim().is_empty())
        else {
            return Ok(());
        };
        let em = self.layout.em;
        let lines: Vec<&str> = text.lines().collect();
        let pad = 0.3 * em;
        let row = 1.3 * em;
        let width = lines
            .iter()
            .map(|l| layout::text_width(l, em))
            .fold(0.0, f64::max);
        let size = (
            (width + 2.0 * pad).round() as i32,
            (row * lines.len() as f64 + 2.0 * pad).round() as i32,
        );
        let corners: Vec<Corner> = layout::annotation_corners(self.opts)
            .into_iter()
            .filter(|&c| Some(c) != legend)
            .collect();
        let Some(corner) = layout::least_covered(&self.layout, size, &self.obstacles(), &corners)
        else {
            return Ok(());
        };
        let rect = self.layout.in_corner(corner, size);
        self.backdrop(rect)?;
        let style = self.text_style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        for (i, line) in lines.iter().enumerate() {
            let y = (f64::from(rect.top) + pad + row * (i as f64 + 0.5)).round() as i32;
            self.text(
                line,
                ((f64::from(rect.left) + pad).round() as i32, y),
                &style,
            )?;
        }
        Ok(())
    }

    fn draw_risk_table(&self) -> DrawResult<DB> {
        let l = &self.layout;
        let Some(heading_y) = l.risk_heading_y else {
            return Ok(());
        };
        let heading = self.text_style(1.0, true, INK, Pos::new(HPos::Left, VPos::Center));
        self.text("Number at risk", (l.y_title_x, heading_y), &heading)?;
        let number = self.text_style(1.0, false, INK, Pos::new(HPos::Center, VPos::Center));
        for ((i, group), &y) in self.groups.iter().enumerate().zip(&l.risk_rows_y) {
            let color = match self.opts.palette {
                Palette::OkabeIto => line_look(self.opts.palette, i).color,
                Palette::Greyscale => INK,
            };
            let name = self.text_style(1.0, false, color, Pos::new(HPos::Right, VPos::Center));
            self.text(&group.name, (l.risk_label_x, y), &name)?;
            for &t in &l.x_breaks {
                let n = geometry::n_risk_at(&group.steps, t);
                self.text(&n.to_string(), (l.x(t), y), &number)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default_from_empty_json() {
        let opts: PlotOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(opts, PlotOptions::default());
        let opts: PlotOptions =
            serde_json::from_str(r#"{"palette":"greyscale","curve":"cumulative-incidence","legend":"top-left","size":"double"}"#)
                .unwrap();
        assert_eq!(opts.palette, Palette::Greyscale);
        assert_eq!(opts.curve, CurveKind::CumulativeIncidence);
        assert_eq!(opts.size.width_mm(), 180.0);
    }

    #[test]
    fn bad_options_name_the_key() {
        let opts = PlotOptions {
            dpi: 0.0,
            ..PlotOptions::default()
        };
        let err = km_svg(&[], &opts).unwrap_err().to_string();
        assert!(err.contains("'dpi'"), "{err}");
    }
}
