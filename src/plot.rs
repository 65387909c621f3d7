//! Kaplan-Meier figures over plotters' `DrawingBackend`: SVG natively, a canvas in the page, one drawing code.
//!
//! Input is the `km` result as the command line prints it (`groups[].name`, `steps[]` with
//! `time`, `n_risk`, `n_event`, `n_censor`, `surv`, `lower`, `upper`), so the page can pass the
//! KM JSON straight in. Sizes are in typographic points and millimetres and scale with the
//! pixel size, so a figure looks the same on screen and at 300 dpi.

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
    draw::Figure::new(root, groups, opts, layout, target.font_scale())
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
