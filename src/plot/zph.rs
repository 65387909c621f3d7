//! The proportional-hazards plot (R's `plot.cox.zph`): per term, the scaled Schoenfeld residuals against transformed time, the natural-spline smooth with its band of two standard errors, and the model's coefficient; one panel per term, drawn over any plotters backend with the other figures' sizes and exports.
//!
//! Input is the `zph` object of the `cox` JSON as it is ([`Zph`]); the smooth and the time
//! axis are the core's numbers ([`zph_smooth`], [`zph_time_axis`]), checked against R in
//! tests/zph_plot_matches_r.rs. As in R, the x axis is the transformed time: for the km and
//! rank transforms its ticks sit at transformed places and say the times there (R's eight
//! ticks), for log it is R's log axis of time, for identity time itself. The line of the
//! coefficient is survcalc's addition (R leaves it to `abline`): beta(t) stays at it under
//! proportional hazards.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::element::{Circle, Polygon};
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontTransform, RGBAColor, ShapeStyle};
use serde::{Deserialize, Serialize};

use super::draw::{DrawResult, Pen};
use super::geometry::{decimals_for, nice_step, unit_step};
use super::layout::text_width;
use super::options::plain;
use super::page::{Page, PageRules};
use super::style::{line_look, LineLook, DASHED, DOTTED, INK, MUTED, WHITE};
use super::{svg, FigureSize, Palette, PlotOptions, Target};
use crate::cox::{zph_smooth, zph_time_axis, Zph, ZphSmooth, SMOOTH_DF, SMOOTH_POINTS};
use crate::error::{Error, Result};
use crate::options::{TimeUnit, ZphTransform};

/// How the smooth's band of two standard errors is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ZphBand {
    /// Two dashed lines, as R draws them.
    #[default]
    Lines,
    /// A shaded area.
    Shaded,
    None,
}

/// How the proportional-hazards plot looks. Every key is optional in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ZphOptions {
    /// The terms to draw, in order (as `zph.residuals[].term`); all when empty.
    pub terms: Vec<String>,
    /// Panels side by side; by default one at single-column width, else two.
    pub columns: Option<usize>,
    /// Names as the reader sees them: term -> text ("age" -> "Age (years)").
    pub labels: BTreeMap<String, String>,
    /// The time axis title, without its unit.
    pub x_label: String,
    /// The data's unit of time (shown as "Time (days)"), which `display_unit` can convert.
    pub time_unit: Option<String>,
    pub display_unit: Option<TimeUnit>,
    /// The residuals as open circles (R's `resid = TRUE`).
    pub residuals: bool,
    pub band: ZphBand,
    /// The model's coefficient as a dotted line.
    pub coefficient_line: bool,
    /// The test of proportional hazards' P above each panel.
    pub test_p: bool,
    pub palette: Palette,
    /// Size, resolution, type and line width (one column by default; without a height,
    /// each panel's plot is 0.7 times as high as it is wide).
    #[serde(flatten)]
    pub page: Page,
}

impl Default for ZphOptions {
    fn default() -> Self {
        ZphOptions {
            terms: Vec::new(),
            columns: None,
            labels: BTreeMap::new(),
            x_label: "Time".into(),
            time_unit: None,
            display_unit: None,
            residuals: true,
            band: ZphBand::Lines,
            coefficient_line: true,
            test_p: true,
            palette: Palette::OkabeIto,
            page: Page::default(),
        }
    }
}

impl ZphOptions {
    /// The plot's page: one column by default, errors naming its options.
    pub const PAGE: PageRules = PageRules {
        noun: "proportional-hazards plot option",
        size: FigureSize::Single,
        min_width_mm: 40.0,
    };

    /// The time options as the Kaplan-Meier figure reads them (unit, conversion, caption).
    fn time(&self) -> PlotOptions {
        PlotOptions {
            x_label: self.x_label.clone(),
            time_unit: self.time_unit.clone(),
            display_unit: self.display_unit,
            ..PlotOptions::default()
        }
    }

    fn validate(&self) -> Result<()> {
        self.page.validate(Self::PAGE)?;
        let check = |key: &str, value: Option<f64>, lo: f64, hi: f64| match value {
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(Error::usage(format!(
                "proportional-hazards plot option '{key}' is {v}; give a number from {lo} to {hi}"
            ))),
            _ => Ok(()),
        };
        check("columns", self.columns.map(|c| c as f64), 1.0, 6.0)?;
        self.time().conversion().map(|_| ())
    }

    fn label<'a>(&'a self, term: &'a str) -> &'a str {
        self.labels.get(term).map_or(term, String::as_str)
    }
}

/// One term's panel: its residuals, smooth and axes in data units.
struct Panel {
    term: String,
    /// (transformed time, residual) of the events with a residual.
    points: Vec<(f64, f64)>,
    smooth: Option<ZphSmooth>,
    coefficient: f64,
    p: Option<f64>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    /// Tick places (transformed time) and labels.
    x_ticks: Vec<(f64, String)>,
    y_ticks: Vec<(f64, String)>,
}

/// R's axis range: the data's range widened by 4% on each side (`xaxs = "r"`).
fn widened((lo, hi): (f64, f64)) -> (f64, f64) {
    let pad = if hi > lo { 0.04 * (hi - lo) } else { 0.5 };
    (lo - pad, hi + pad)
}

fn range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        })
}

/// Round values within `(lo, hi)`, about five of them.
fn linear_ticks((lo, hi): (f64, f64), step: f64) -> Vec<f64> {
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn time_label(t: f64) -> String {
    let rounded = (t * 1e6).round() / 1e6;
    plain(rounded)
}

impl Panel {
    fn new(zph: &Zph, index: usize, opts: &ZphOptions, scale: f64) -> Panel {
        let series = &zph.residuals[index];
        let points: Vec<(f64, f64)> = zph
            .x
            .iter()
            .zip(&series.values)
            .filter_map(|(x, v)| v.filter(|v| v.is_finite()).map(|v| (*x, v)))
            .collect();
        let smooth = zph_smooth(zph, index, SMOOTH_DF, SMOOTH_POINTS);
        let shown_band = opts.band != ZphBand::None;
        let mut ys: Vec<f64> = Vec::new();
        if opts.residuals {
            ys.extend(points.iter().map(|p| p.1));
        }
        if let Some(s) = &smooth {
            ys.extend(&s.fit);
            if shown_band {
                ys.extend(s.lower.iter().chain(&s.upper));
            }
        }
        if opts.coefficient_line || ys.is_empty() {
            ys.push(series.coefficient);
        }
        let y_range = widened(range(ys));
        let x_range = widened(range(points.iter().map(|p| p.0)));
        let step = nice_step(y_range.1 - y_range.0, 5);
        let decimals = decimals_for(step);
        let y_ticks = linear_ticks(y_range, step)
            .into_iter()
            .map(|v| {
                (
                    v,
                    format!("{:.*}", decimals, if v == 0.0 { 0.0 } else { v }),
                )
            })
            .collect();
        let x_ticks = x_ticks(zph, opts, scale, x_range);
        Panel {
            term: series.term.clone(),
            p: zph
                .terms
                .iter()
                .find(|t| t.term == series.term)
                .and_then(|t| t.p),
            points,
            smooth,
            coefficient: series.coefficient,
            x_range,
            y_range,
            x_ticks,
            y_ticks,
        }
    }
}

/// The time axis' ticks in transformed time, labelled in the displayed unit.
fn x_ticks(zph: &Zph, opts: &ZphOptions, scale: f64, (lo, hi): (f64, f64)) -> Vec<(f64, String)> {
    let inside = |at: f64| at >= lo && at <= hi;
    match zph.transform {
        ZphTransform::Km | ZphTransform::Rank | ZphTransform::Log => zph_time_axis(zph, scale)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| inside(t.at))
            .map(|t| (t.at, t.label))
            .collect(),
        ZphTransform::Identity => {
            let unit = opts.display_unit.or_else(|| opts.time().data_unit());
            let (a, b) = (lo.max(0.0) * scale, hi * scale);
            let step = unit_step(unit, b - a, 5);
            linear_ticks((a, b), step)
                .into_iter()
                .map(|t| (t / scale, time_label(t)))
                .filter(|(at, _)| inside(*at))
                .collect()
        }
    }
}

/// Where a panel's parts go, in pixels.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: i32,
    right: i32,
    top: i32,
    bottom: i32,
    /// The row of the panel's heading (term and P).
    heading_y: i32,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl Frame {
    fn x(&self, v: f64) -> i32 {
        let (lo, hi) = self.x_range;
        self.left + ((v - lo) / (hi - lo) * f64::from(self.right - self.left)).round() as i32
    }

    fn y(&self, v: f64) -> i32 {
        let (lo, hi) = self.y_range;
        self.bottom - ((v - lo) / (hi - lo) * f64::from(self.bottom - self.top)).round() as i32
    }
}

/// The whole figure placed.
struct Figure {
    panels: Vec<Panel>,
    frames: Vec<Frame>,
    width: u32,
    height: u32,
    em: f64,
    px_per_pt: f64,
}

fn y_title(label: &str) -> String {
    format!("Beta(t) for {label}")
}

/// The panels chosen by `opts.terms` (all when empty), in that order.
fn chosen(zph: &Zph, opts: &ZphOptions) -> Result<Vec<usize>> {
    if opts.terms.is_empty() {
        return Ok((0..zph.residuals.len()).collect());
    }
    opts.terms
        .iter()
        .map(|name| {
            zph.residuals
                .iter()
                .position(|r| &r.term == name)
                .ok_or_else(|| {
                    let names: Vec<&str> = zph.residuals.iter().map(|r| r.term.as_str()).collect();
                    Error::usage(format!(
                        "the proportional-hazards check has no term '{name}'; its terms are: {}",
                        names.join(", ")
                    ))
                })
        })
        .collect()
}

/// Places the plot `width` pixels wide (`height` high, else as high as it needs).
fn place(zph: &Zph, opts: &ZphOptions, width: u32, height: Option<u32>) -> Result<Figure> {
    opts.validate()?;
    let indices = chosen(zph, opts)?;
    if indices.is_empty() {
        return Err(Error::no_data(
            "the proportional-hazards check has no term to plot",
        ));
    }
    let scale = opts.time().conversion()?;
    let panels: Vec<Panel> = indices
        .iter()
        .map(|&i| Panel::new(zph, i, opts, scale))
        .collect();
    let width_mm = opts.page.width_mm(ZphOptions::PAGE);
    let w = f64::from(width);
    let px_per_pt = opts.page.px_per_pt(ZphOptions::PAGE, w);
    let em = opts.page.font_size * px_per_pt;
    let columns = opts
        .columns
        .unwrap_or(if width_mm < 120.0 { 1 } else { 2 })
        .clamp(1, panels.len());
    let rows = panels.len().div_ceil(columns);
    let cell_w = w / columns as f64;
    // Around each plot: the heading above; tick labels, the y title and the x title beside
    // and below (the widest tick label of any panel, so the plots line up).
    let tick_label = panels
        .iter()
        .flat_map(|p| p.y_ticks.iter().map(|(_, l)| text_width(l, em)))
        .fold(0.0, f64::max);
    let left = 0.4 * em + 1.3 * em + tick_label + 0.3 * em + 0.4 * em;
    let right = 0.9 * em;
    let above = 0.5 * em + 1.4 * em;
    let below = 0.4 * em + 0.3 * em + 1.1 * em + 1.5 * em + 0.3 * em;
    let plot_w = (cell_w - left - right).max(4.0 * em);
    let natural_plot_h = 0.7 * plot_w;
    let cell_h = match height {
        Some(h) => f64::from(h) / rows as f64,
        None => above + natural_plot_h + below,
    };
    let plot_h = (cell_h - above - below).max(3.0 * em);
    let frames = panels
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (row, col) = (k / columns, k % columns);
            let x0 = col as f64 * cell_w;
            let y0 = row as f64 * cell_h;
            Frame {
                left: (x0 + left).round() as i32,
                right: (x0 + left + plot_w).round() as i32,
                top: (y0 + above).round() as i32,
                bottom: (y0 + above + plot_h).round() as i32,
                heading_y: (y0 + 0.5 * em + 0.6 * em).round() as i32,
                x_range: p.x_range,
                y_range: p.y_range,
            }
        })
        .collect();
    Ok(Figure {
        panels,
        frames,
        width: w as u32,
        height: height.unwrap_or((cell_h * rows as f64).round() as u32),
        em,
        px_per_pt,
    })
}

struct ZphPainter<'a, DB: DrawingBackend> {
    figure: &'a Figure,
    opts: &'a ZphOptions,
    pen: Pen<'a, DB>,
    x_title: String,
}

impl<DB: DrawingBackend> ZphPainter<'_, DB> {
    fn draw(&self) -> DrawResult<DB> {
        self.pen.root.fill(&WHITE)?;
        for (panel, frame) in self.figure.panels.iter().zip(&self.figure.frames) {
            self.draw_panel(panel, frame)?;
        }
        Ok(())
    }

    fn looks(&self) -> (LineLook, LineLook, RGBAColor) {
        let smooth = line_look(self.opts.palette, 0, None);
        let band = LineLook {
            dash: Some(DASHED),
            ..smooth
        };
        let points = match self.opts.palette {
            Palette::OkabeIto => RGBAColor(0x59, 0x59, 0x59, 1.0),
            Palette::Greyscale => RGBAColor(0x80, 0x80, 0x80, 1.0),
        };
        (smooth, band, points)
    }

    fn draw_panel(&self, panel: &Panel, f: &Frame) -> DrawResult<DB> {
        let em = self.figure.em;
        let (smooth_look, band_look, point_colour) = self.looks();
        let label = self.opts.label(&panel.term);
        let left = Pos::new(HPos::Left, VPos::Center);
        self.pen.text(
            label,
            (f.left, f.heading_y),
            &self.pen.style(1.0, true, INK, left),
        )?;
        if let (true, Some(p)) = (self.opts.test_p, panel.p) {
            let text = format!("PH test P {}", p_phrase(p));
            let style = self
                .pen
                .style(0.9, false, MUTED, Pos::new(HPos::Right, VPos::Center));
            self.pen.text(&text, (f.right, f.heading_y), &style)?;
        }
        if let Some(s) = &panel.smooth {
            let path = |ys: &[f64]| -> Vec<(i32, i32)> {
                s.x.iter()
                    .zip(ys)
                    .map(|(&x, &y)| (f.x(x), f.y(y)))
                    .collect()
            };
            match self.opts.band {
                ZphBand::Shaded => {
                    let mut outline = path(&s.upper);
                    outline.extend(path(&s.lower).into_iter().rev());
                    let mut fill = smooth_look.color;
                    fill.3 = 0.2;
                    self.pen.root.draw(&Polygon::new(outline, fill.filled()))?;
                }
                ZphBand::Lines => {
                    self.pen.styled_line(
                        path(&s.upper),
                        band_look,
                        self.opts.page.line_width * 0.8,
                    )?;
                    self.pen.styled_line(
                        path(&s.lower),
                        band_look,
                        self.opts.page.line_width * 0.8,
                    )?;
                }
                ZphBand::None => {}
            }
        }
        if self.opts.residuals {
            let r = (0.22 * em).round().max(2.0) as i32;
            let style = ShapeStyle {
                color: point_colour,
                filled: false,
                stroke_width: self.pen.pt(0.5),
            };
            // Points on the same pixel are drawn once: a million events stay a few thousand circles.
            let mut pixels: Vec<(i32, i32)> = panel
                .points
                .iter()
                .map(|&(x, y)| (f.x(x), f.y(y)))
                .collect();
            pixels.sort_unstable();
            pixels.dedup();
            for p in pixels {
                self.pen.root.draw(&Circle::new(p, r, style))?;
            }
        }
        if self.opts.coefficient_line {
            let y = f.y(panel.coefficient);
            let look = LineLook {
                color: MUTED,
                dash: Some(DOTTED),
            };
            self.pen.styled_line(
                vec![(f.left, y), (f.right, y)],
                look,
                self.opts.page.line_width,
            )?;
        }
        if let Some(s) = &panel.smooth {
            let line: Vec<(i32, i32)> =
                s.x.iter()
                    .zip(&s.fit)
                    .map(|(&x, &y)| (f.x(x), f.y(y)))
                    .collect();
            self.pen
                .styled_line(line, smooth_look, self.opts.page.line_width * 1.4)?;
        }
        self.draw_axes(panel, f, label)
    }

    fn draw_axes(&self, panel: &Panel, f: &Frame, label: &str) -> DrawResult<DB> {
        let em = self.figure.em;
        let axis_pt = 0.6;
        let tick = (0.4 * em).round() as i32;
        self.pen.line(
            vec![(f.left, f.top), (f.left, f.bottom), (f.right, f.bottom)],
            INK,
            axis_pt,
        )?;
        let below = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top));
        let label_y = f.bottom + tick + (0.3 * em).round() as i32;
        // As R's axis: a label that would touch the last one drawn is left out (its tick stays).
        let mut last_right = f64::NEG_INFINITY;
        for (at, text) in &panel.x_ticks {
            let x = f.x(*at);
            self.pen
                .line(vec![(x, f.bottom), (x, f.bottom + tick)], INK, axis_pt)?;
            let half = 0.5 * text_width(text, em);
            if f64::from(x) - half >= last_right + 0.4 * em {
                self.pen.text(text, (x, label_y), &below)?;
                last_right = f64::from(x) + half;
            }
        }
        let beside = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Right, VPos::Center));
        let gap = (0.3 * em).round() as i32;
        let mut widest = 0.0_f64;
        for (v, text) in &panel.y_ticks {
            let y = f.y(*v);
            self.pen
                .line(vec![(f.left - tick, y), (f.left, y)], INK, axis_pt)?;
            self.pen.text(text, (f.left - tick - gap, y), &beside)?;
            widest = widest.max(text_width(text, em));
        }
        let middle = Pos::new(HPos::Center, VPos::Center);
        let centre = |a: i32, b: i32| a + (b - a) / 2;
        self.pen.text(
            &self.x_title,
            (centre(f.left, f.right), label_y + (1.9 * em).round() as i32),
            &self.pen.style(1.0, false, INK, middle),
        )?;
        let y_title_x = f.left - tick - gap - widest.ceil() as i32 - (1.3 * em).round() as i32;
        let rotated = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top))
            .transform(FontTransform::Rotate270);
        self.pen.text(
            &y_title(label),
            (y_title_x, centre(f.top, f.bottom)),
            &rotated,
        )
    }
}

/// "= 0.012" or "< 0.001".
fn p_phrase(p: f64) -> String {
    let text = crate::format::p_value(p);
    match text.chars().next() {
        Some(c @ ('<' | '>')) => format!("{c} {}", &text[1..]),
        _ => format!("= {text}"),
    }
}

fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    opts: &ZphOptions,
    target: Target,
) -> Result<()> {
    let painter = ZphPainter {
        figure,
        opts,
        pen: Pen {
            root,
            font_family: &opts.page.font_family,
            em: figure.em,
            px_per_pt: figure.px_per_pt,
            font_scale: target.font_scale(),
        },
        x_title: opts.time().x_title(),
    };
    painter
        .draw()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))?;
    root.present()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))
}

/// The transform of time in words, for the caption and the description.
fn transform_words(transform: ZphTransform) -> &'static str {
    match transform {
        ZphTransform::Km => "time on the scale of 1 \u{2212} Kaplan\u{2013}Meier (ticks labelled with the times there)",
        ZphTransform::Rank => "the rank of time (ticks labelled with the times there)",
        ZphTransform::Identity => "time",
        ZphTransform::Log => "time on a log scale",
    }
}

/// What the figure shows, in words (its SVG `<desc>`).
fn describe(figure: &Figure, zph: &Zph, opts: &ZphOptions) -> String {
    let mut text = format!(
        "Proportional-hazards check: scaled Schoenfeld residuals (beta(t)) against {}, with a natural-spline smooth and its band of two standard errors.",
        transform_words(zph.transform)
    );
    for panel in &figure.panels {
        text.push_str(&format!(" {}", opts.label(&panel.term)));
        if let Some(p) = panel.p {
            text.push_str(&format!(": test P {}", p_phrase(p)));
        }
        if panel.smooth.is_none() {
            text.push_str(" (too few events for a smooth)");
        }
        text.push('.');
    }
    super::draw::printable(&text)
}

/// The proportional-hazards plot as SVG of its physical size.
pub fn zph_svg(zph: &Zph, opts: &ZphOptions) -> Result<String> {
    let figure = place(zph, opts, width_px(opts)?, opts.page.height_px())?;
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (figure.width, figure.height)).into_drawing_area();
        paint(&root, &figure, opts, Target::Svg)?;
    }
    let size_mm = opts.page.size_mm(ZphOptions::PAGE, figure.height);
    svg::finish(
        out,
        (figure.width, figure.height),
        size_mm,
        &describe(&figure, zph, opts),
    )
}

/// The plot's size in pixels, to size a canvas.
pub fn zph_pixels(zph: &Zph, opts: &ZphOptions) -> Result<(u32, u32)> {
    let figure = place(zph, opts, width_px(opts)?, opts.page.height_px())?;
    Ok((figure.width, figure.height))
}

/// Draws the plot on `root`, filling it.
pub fn draw_zph<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    zph: &Zph,
    opts: &ZphOptions,
    target: Target,
) -> Result<()> {
    let (w, h) = root.dim_in_pixel();
    let figure = place(zph, opts, w, Some(h))?;
    paint(root, &figure, opts, target)
}

/// The plot's width in pixels at its dpi (the options checked first, so a bad one is named).
fn width_px(opts: &ZphOptions) -> Result<u32> {
    opts.validate()?;
    opts.page.width_px(ZphOptions::PAGE)
}

/// The figure's caption: what is drawn, how the smooth was made, the transform of time and
/// any conversion of its unit.
pub fn zph_caption(zph: &Zph, opts: &ZphOptions) -> Result<String> {
    opts.validate()?;
    let mut text = format!(
        "Scaled Schoenfeld residuals{} of each term against {}. ",
        if opts.residuals { " (circles)" } else { "" },
        transform_words(zph.transform)
    );
    text.push_str(&format!(
        "The solid line is a natural cubic spline smooth ({SMOOTH_DF} degrees of freedom, least squares){}, as R's plot.cox.zph draws it. ",
        match opts.band {
            ZphBand::Lines => " with its \u{b1}2 standard error band (dashed)",
            ZphBand::Shaded => " with its \u{b1}2 standard error band (shaded)",
            ZphBand::None => "",
        }
    ));
    if opts.coefficient_line {
        text.push_str("The dotted line is the model's coefficient, where beta(t) stays under proportional hazards");
        if zph.terms.iter().any(|t| t.df > 1) {
            // cox.zph combines a categorical covariate's levels weighted by their coefficients.
            text.push_str(" (1 for a categorical covariate, its levels combined)");
        }
        text.push_str(". ");
    }
    if opts.test_p {
        text.push_str(&format!(
            "PH test: cox.zph's score test with the {} transform. ",
            zph.transform
        ));
    }
    if let Some(note) = opts.time().time_note() {
        text.push_str(&note);
    }
    Ok(text.trim_end().to_string())
}
