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
mod geometry;
mod layout;
mod options;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, IntoDrawingArea, SVGBackend};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use layout::figure_pixels;
pub use options::{CurveKind, FigureSize, LegendPosition, Palette, PlotOptions};

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

/// The figure as an SVG document, sized by the options (`size`, `width_mm`, `height_mm`, `dpi`),
/// with [`km_description`] as its `<desc>` for screen readers.
pub fn km_svg(groups: &[PlotGroup], opts: &PlotOptions) -> Result<String> {
    let size = figure_pixels(groups.len(), opts)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_km(&root, groups, opts, Target::Svg)?;
    }
    let desc = format!(
        "<desc>{}</desc>\n",
        xml_escape(&km_description(groups, opts))
    );
    let body = svg
        .find("<svg")
        .and_then(|at| svg[at..].find('>').map(|end| at + end + 1));
    match body {
        Some(at) => svg.insert_str(at, &format!("\n{desc}")),
        None => return Err(Error::usage("drawing failed: no <svg> element written")),
    }
    Ok(svg)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
    opts.check_breaks(geometry::max_time(
        groups.iter().map(|g| g.steps.as_slice()),
    ))?;
    let size = root.dim_in_pixel();
    let scale = target.font_scale();
    let mut figure = draw::Figure::new(
        root,
        groups,
        opts,
        layout::layout(groups, opts, size, 0),
        scale,
    );
    let (legend_above, annotation_above) = figure.above_plot();
    if legend_above || annotation_above {
        let rows = figure.header_rows(legend_above, annotation_above).0.len();
        figure = draw::Figure::new(
            root,
            groups,
            opts,
            layout::layout(groups, opts, size, rows),
            scale,
        )
        .with_header(legend_above, annotation_above);
    }
    figure
        .draw()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))?;
    root.present()
        .map_err(|e| Error::usage(format!("drawing failed: {e}")))
}

/// What the figure shows, in words, for readers who cannot see it (a canvas's `aria-label`,
/// an SVG `<desc>`): the curve, the time span, each group's size and median, the annotation.
pub fn km_description(groups: &[PlotGroup], opts: &PlotOptions) -> String {
    let what = match opts.curve {
        CurveKind::Survival => "survival",
        CurveKind::CumulativeIncidence => "cumulative incidence",
    };
    let unit = opts
        .time_unit
        .as_deref()
        .map_or(String::new(), |u| format!(" {u}"));
    let span = opts
        .x_max
        .unwrap_or_else(|| geometry::max_time(groups.iter().map(|g| g.steps.as_slice())));
    let curves = if groups.len() == 1 { "curve" } else { "curves" };
    let mut text = format!(
        "Kaplan-Meier {what} {curves} of {} group{} from 0 to {}{unit}.",
        groups.len(),
        if groups.len() == 1 { "" } else { "s" },
        plain_number(span)
    );
    for group in groups {
        let n = group.steps.first().map_or(0, |s| s.n_risk);
        let median = group
            .median
            .or_else(|| geometry::median(&group.steps))
            .map_or("not reached".to_string(), |m| {
                format!("{}{unit}", plain_number(m))
            });
        text.push_str(&format!(
            " {}: {n} at risk at time 0, median survival {median}.",
            group.name
        ));
    }
    if let Some(annotation) = opts.annotation.as_deref().filter(|a| !a.trim().is_empty()) {
        text.push(' ');
        text.push_str(&annotation.lines().collect::<Vec<_>>().join("; "));
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
        assert_eq!(opts.size.width_mm(), 180.0);
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
            dpi: 0.0,
            ..PlotOptions::default()
        };
        let err = km_svg(&[], &opts).unwrap_err().to_string();
        assert!(err.contains("'dpi'"), "{err}");
    }
}
