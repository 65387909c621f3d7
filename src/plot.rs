//! Kaplan-Meier figures over plotters' `DrawingBackend`: SVG natively, a canvas in the page, one drawing code.
//!
//! Input is the `km` result as the command line prints it (`groups[].name`, `steps[]` with
//! `time`, `n_risk`, `n_event`, `n_censor`, `surv`, `lower`, `upper`), so the page can pass the
//! KM JSON straight in. Sizes are in typographic points and millimetres and scale with the
//! pixel size, so a figure looks the same on screen and at 300 dpi.
//!
//! Text is never measured through plotters (widths are estimated in `layout`), so the layout is
//! identical in SVG and on a canvas, and [`km_svg`] touches no DOM (it can run in a worker).
//! On a canvas (main thread): size it with [`figure_pixels`], then
//! `draw_km(&CanvasBackend::with_canvas_object(canvas)?.into_drawing_area(), &groups, &opts,
//! Target::Canvas)`.

#[cfg(all(test, target_arch = "wasm32"))]
mod canvas_tests;
mod draw;
#[cfg(feature = "export")]
pub mod export;
pub mod forest;
mod geometry;
mod layout;
mod options;
mod page;
mod scene;
mod series;
mod style;
mod svg;
pub mod zph;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use options::{
    CensorStyle, CurveKind, FigureSize, HazardRatioNote, HrMethod, LegendPosition, Palette,
    PlotOptions, TestNote,
};
pub use page::{Page, PageRules};
use scene::Scene;
use series::Series;
pub use style::palette_hex;

/// One row of a Kaplan-Meier table, as in the `km` output (`se` and other keys are ignored);
/// a competing-risks step (`cif` for `surv`, with `n_competing`) reads as well.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotStep {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_censor: u64,
    /// The curve's value: S(t), or a cumulative incidence for `CurveKind::Cif`.
    #[serde(alias = "cif")]
    pub surv: f64,
    #[serde(default)]
    pub lower: Option<f64>,
    #[serde(default)]
    pub upper: Option<f64>,
}

impl PlotStep {
    /// A step without a confidence band.
    pub fn new(time: f64, n_risk: u64, n_event: u64, n_censor: u64, surv: f64) -> PlotStep {
        PlotStep {
            time,
            n_risk,
            n_event,
            n_censor,
            surv,
            lower: None,
            upper: None,
        }
    }
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

/// Checks the options and the curves, and gives the factor converting the data's times to the
/// displayed unit.
fn checked(groups: &[PlotGroup], opts: &PlotOptions) -> Result<f64> {
    opts.validate()?;
    check_groups(groups)?;
    let factor = opts.conversion()?;
    opts.check_breaks(factor * geometry::max_time(groups.iter().map(|g| g.steps.as_slice())))?;
    Ok(factor)
}

/// Places the figure `width` pixels wide (and `height` high, else as high as it needs): the
/// legend and notes go above the plot when the corners are taken, decided on the figure at its
/// natural height, so a canvas sized by [`figure_pixels`] gets the same figure as the export.
fn plan<'a>(
    series: &'a [Series<'a>],
    opts: &'a PlotOptions,
    width: u32,
    height: Option<u32>,
) -> Scene<'a> {
    let natural = Scene::new(series, opts, layout::layout(series, opts, width, None, 0.0));
    let (legend_above, notes_above) = natural.above_plot();
    let header = Scene {
        legend_above,
        notes_above,
        ..natural
    }
    .header_em();
    let mut scene = if header == 0.0 && height.is_none() {
        Scene::new(series, opts, layout::layout(series, opts, width, None, 0.0))
    } else {
        Scene::new(
            series,
            opts,
            layout::layout(series, opts, width, height, header),
        )
    };
    scene.legend_above = legend_above;
    scene.notes_above = notes_above;
    scene
}

/// The figure's size in pixels (width, height) at the options' dpi: the width of `size` or
/// `width_mm`; the height of `height_mm`, else what the plot, legend and tables need.
pub fn figure_pixels(groups: &[PlotGroup], opts: &PlotOptions) -> Result<(u32, u32)> {
    let factor = checked(groups, opts)?;
    let width = opts.page.width_px(PlotOptions::PAGE)?;
    if let Some(height) = opts.page.height_px() {
        return Ok((width, height));
    }
    let series = series::prepare(groups, opts, factor);
    let scene = plan(&series, opts, width, None);
    Ok((width, scene.layout.height.max(1) as u32))
}

/// The figure as an SVG document of its physical size (`width` and `height` in millimetres,
/// the drawing in a `viewBox` of pixels at the options' dpi, so text set at `font_size` points
/// prints at that size), with [`km_description`] as its `<desc>` for screen readers.
pub fn km_svg(groups: &[PlotGroup], opts: &PlotOptions) -> Result<String> {
    let factor = checked(groups, opts)?;
    let width = opts.page.width_px(PlotOptions::PAGE)?;
    let series = series::prepare(groups, opts, factor);
    let scene = plan(&series, opts, width, opts.page.height_px());
    let size = (width, scene.layout.height.max(1) as u32);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        paint(&root, &scene, Target::Svg)?;
    }
    svg::finish(
        svg,
        size,
        opts.page.size_mm(PlotOptions::PAGE, size.1),
        &km_description(groups, opts),
    )
}

/// Draws a placed figure on `root`.
fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &Scene,
    target: Target,
) -> Result<()> {
    let painter = draw::Painter {
        scene,
        pen: draw::Pen {
            root,
            font_family: &scene.opts.page.font_family,
            em: scene.layout.em,
            px_per_pt: scene.layout.px_per_pt,
            font_scale: target.font_scale(),
        },
    };
    painter
        .draw()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))?;
    root.present()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))
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
    let factor = checked(groups, opts)?;
    let (width, height) = root.dim_in_pixel();
    let series = series::prepare(groups, opts, factor);
    let scene = plan(&series, opts, width, Some(height));
    paint(root, &scene, target)
}

/// Sentences for the figure's caption or the methods, saying what the figure does that a
/// reader cannot see: the time unit's conversion, censor marks thinned or drawn as a rug,
/// how a hazard ratio on the plot was estimated.
pub fn km_caption(groups: &[PlotGroup], opts: &PlotOptions) -> Result<String> {
    let factor = checked(groups, opts)?;
    let width = opts.page.width_px(PlotOptions::PAGE)?;
    let series = series::prepare(groups, opts, factor);
    let scene = plan(&series, opts, width, opts.page.height_px());
    let mut sentences: Vec<String> = opts.time_note().into_iter().collect();
    if opts.censor_marks && scene.shapes.iter().any(|s| !s.marks.is_empty()) {
        sentences.push(if scene.rug {
            "Censored observations are shown as ticks along the time axis, one row per group."
                .into()
        } else if scene.thinned {
            "Crosses mark censored observations; where marks would overlap, one mark stands for several."
                .into()
        } else {
            "Crosses mark censored observations.".into()
        });
    }
    if scene.shapes.iter().any(|s| !s.bands.is_empty()) {
        sentences.push(band_note(&series));
    }
    if let Some(hr) = &opts.hazard_ratio {
        sentences.push(match hr.method {
            HrMethod::Cox => "The hazard ratio is from a Cox model with the group as the only covariate.".into(),
            HrMethod::MantelHaenszel => "The hazard ratio is the Mantel-Haenszel estimate from the log-rank test, exp((O - E) / V).".into(),
        });
    }
    Ok(sentences.join(" "))
}

/// How the confidence bands are drawn, in the caption's words: a reader of a greyscale print
/// must be told which band is which, or that only the limits are drawn.
fn band_note(series: &[Series]) -> String {
    let looks: Vec<_> = series.iter().map(|s| s.band).collect();
    if looks.iter().all(|b| b.limits) {
        return "Pointwise confidence limits are drawn as thin grey lines in each group's line pattern."
            .into();
    }
    if looks.iter().any(|b| b.hatch) {
        let how = series
            .iter()
            .map(|s| {
                let drawn = if s.band.hatch {
                    "hatched"
                } else {
                    "shaded grey"
                };
                format!("{drawn} for {}", s.name)
            })
            .collect::<Vec<_>>()
            .join(" and ");
        return format!("Pointwise confidence bands are {how}.");
    }
    "Shaded areas are pointwise confidence bands.".into()
}

/// What the figure shows, in words, for readers who cannot see it (a canvas's `aria-label`,
/// an SVG `<desc>`): the curve, the time span, each group's size and median, the annotation.
pub fn km_description(groups: &[PlotGroup], opts: &PlotOptions) -> String {
    let (estimator, what) = match opts.curve {
        CurveKind::Survival => ("Kaplan-Meier", "survival"),
        CurveKind::CumulativeIncidence => ("Kaplan-Meier", "cumulative incidence"),
        CurveKind::Cif => ("Competing-risks", "cumulative incidence"),
    };
    let unit = opts.shown_unit().map_or(String::new(), |u| format!(" {u}"));
    let factor = opts.conversion().unwrap_or(1.0);
    let series = series::prepare(groups, opts, factor);
    let span = opts
        .x_max
        .unwrap_or_else(|| geometry::max_time(series.iter().map(|s| &*s.steps)));
    let curves = if groups.len() == 1 { "curve" } else { "curves" };
    let mut text = format!(
        "{estimator} {what} {curves} of {} group{} from 0 to {}{unit}.",
        groups.len(),
        if groups.len() == 1 { "" } else { "s" },
        plain_number(span)
    );
    for s in &series {
        let n = s.steps.first().map_or(0, |s| s.n_risk);
        text.push_str(&format!(" {}: {n} at risk at time 0", s.name));
        if opts.curve == CurveKind::Cif {
            text.push('.');
        } else {
            let median = s.median.map_or("not reached".to_string(), |m| {
                format!("{}{unit}", plain_number(m))
            });
            text.push_str(&format!(", median survival {median}."));
        }
    }
    let notes = opts.notes();
    if !notes.is_empty() {
        text.push(' ');
        text.push_str(&notes.join("; "));
        if !text.ends_with('.') {
            text.push('.');
        }
    }
    draw::printable(&text)
}

/// A time as people write it: whole numbers without decimals, others to two.
fn plain_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}").trim_end_matches('0').to_string()
    }
}

/// Rejects steps a figure cannot show, naming the group and step.
fn check_groups(groups: &[PlotGroup]) -> Result<()> {
    for group in groups {
        let mut previous = f64::NEG_INFINITY;
        for (i, step) in group.steps.iter().enumerate() {
            let bad = |what: &str| {
                Err(Error::usage(format!(
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
        assert_eq!(opts.page.width_mm(PlotOptions::PAGE), 180.0);
    }

    #[test]
    fn description_names_groups_medians_and_the_test() {
        let step = |time, n_risk, n_event, surv| PlotStep {
            time,
            n_risk,
            n_event,
            n_censor: 0,
            surv,
            lower: None,
            upper: None,
        };
        // Two of two die at 3 and 5: S = 0.5 from 3, so the median is (3 + 5) / 2 = 4 (survfit).
        let a = PlotGroup {
            name: "A".into(),
            steps: vec![step(3.0, 2, 1, 0.5), step(5.0, 1, 1, 0.0)],
            median: None,
        };
        let b = PlotGroup {
            name: "B".into(),
            steps: vec![step(2.5, 4, 1, 0.75)],
            median: None,
        };
        let opts = PlotOptions {
            time_unit: Some("months".into()),
            annotation: Some("Log-rank P = 0.012".into()),
            ..PlotOptions::default()
        };
        assert_eq!(
            km_description(&[a, b], &opts),
            "Kaplan-Meier survival curves of 2 groups from 0 to 5 months. \
             A: 2 at risk at time 0, median survival 4 months. \
             B: 4 at risk at time 0, median survival not reached. Log-rank P = 0.012."
        );
    }

    #[test]
    fn bad_options_name_the_key() {
        let opts = PlotOptions {
            page: Page {
                dpi: 0.0,
                ..Page::default()
            },
            ..PlotOptions::default()
        };
        let err = km_svg(&[], &opts).unwrap_err().to_string();
        assert!(err.contains("'dpi'"), "{err}");
    }
}
