//! The page a figure is set on (width, height, resolution, type and line sizes), shared by every figure's options and flattened into their JSON, with the one size and pixel arithmetic.

use serde::{Deserialize, Serialize};

use super::FigureSize;
use crate::error::{Error, Result};

/// Canvases and SVG viewers struggle beyond this; 180 mm at 1200 dpi is about 8500.
const MAX_SIDE_PX: f64 = 12000.0;

/// The smallest text journals print (most ask for 6 to 8 pt at the printed size); notes set
/// smaller than the figure's text are held at it too.
pub const MIN_TEXT_PT: f64 = 6.0;

const MM_PER_INCH: f64 = 25.4;
const PT_PER_INCH: f64 = 72.0;

/// What differs between kinds of figure on the same page settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRules {
    /// How errors name the options ("plot option", "forest option").
    pub noun: &'static str,
    /// The width when neither `size` nor `width_mm` is given.
    pub size: FigureSize,
    /// The narrowest width the figure's text still fits in.
    pub min_width_mm: f64,
}

/// The page settings of a figure. In JSON these keys sit beside the figure's own
/// (`#[serde(flatten)]`), every one optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Page {
    /// Text size in points.
    pub font_size: f64,
    pub font_family: String,
    /// Curve (and interval) width in points.
    pub line_width: f64,
    /// A journal's column width; without it (and without `width_mm`), the figure's own
    /// default: one column for curves, two for a forest plot.
    pub size: Option<FigureSize>,
    /// Overrides the width of `size`.
    pub width_mm: Option<f64>,
    /// By default as high as the figure needs.
    pub height_mm: Option<f64>,
    /// Pixels per inch of the output.
    pub dpi: f64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            font_size: 8.0,
            font_family: "Helvetica, Arial, sans-serif".into(),
            line_width: 1.0,
            size: None,
            width_mm: None,
            height_mm: None,
            dpi: 300.0,
        }
    }
}

impl Page {
    /// Checks every number against a sensible range, naming the option to fix.
    pub fn validate(&self, rules: PageRules) -> Result<()> {
        let noun = rules.noun;
        let check = |key: &str, value: Option<f64>, lo: f64, hi: f64| match value {
            Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(Error::usage(format!(
                "{noun} '{key}' is {v}; give a number from {lo} to {hi}"
            ))),
            _ => Ok(()),
        };
        check("dpi", Some(self.dpi), 10.0, 2400.0)?;
        check("font_size", Some(self.font_size), MIN_TEXT_PT, 48.0)?;
        check("line_width", Some(self.line_width), 0.1, 10.0)?;
        check("width_mm", self.width_mm, rules.min_width_mm, 1000.0)?;
        check("height_mm", self.height_mm, 20.0, 1000.0)
    }

    /// The width in millimetres: `width_mm`, else `size`'s, else the figure's default.
    pub fn width_mm(&self, rules: PageRules) -> f64 {
        self.width_mm
            .unwrap_or_else(|| self.size.unwrap_or(rules.size).width_mm())
    }

    /// Whole pixels for `mm` millimetres at the page's dpi.
    fn pixels(&self, mm: f64) -> f64 {
        (mm * self.dpi / MM_PER_INCH).round()
    }

    /// Millimetres for `px` pixels at the page's dpi.
    fn mm(&self, px: u32) -> f64 {
        f64::from(px) / self.dpi * MM_PER_INCH
    }

    /// Pixels across the width, refusing sizes no viewer can show.
    pub fn width_px(&self, rules: PageRules) -> Result<u32> {
        self.validate(rules)?;
        let width = self.pixels(self.width_mm(rules));
        let height = self.height_mm.map_or(0.0, |mm| self.pixels(mm));
        if width > MAX_SIDE_PX || height > MAX_SIDE_PX {
            return Err(Error::usage(format!(
                "the figure would be {width} x {height} pixels; lower dpi or the size (at most {MAX_SIDE_PX} pixels a side)"
            )));
        }
        Ok(width as u32)
    }

    /// The height in pixels the page fixes, if it does.
    pub fn height_px(&self) -> Option<u32> {
        self.height_mm.map(|mm| self.pixels(mm) as u32)
    }

    /// The physical size in millimetres of a figure `height_px` pixels high: as the page gives
    /// it, the height otherwise from the pixels.
    pub fn size_mm(&self, rules: PageRules, height_px: u32) -> (f64, f64) {
        (
            self.width_mm(rules),
            self.height_mm.unwrap_or_else(|| self.mm(height_px)),
        )
    }

    /// Pixels per typographic point when the page's width spans `width_px` pixels (on a canvas
    /// of any size, so text and lines scale with it).
    pub fn px_per_pt(&self, rules: PageRules, width_px: f64) -> f64 {
        width_px / (self.width_mm(rules) / MM_PER_INCH * PT_PER_INCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PageRules = PageRules {
        noun: "plot option",
        size: FigureSize::Single,
        min_width_mm: 20.0,
    };

    #[test]
    fn one_column_at_300_dpi() {
        let page = Page::default();
        // 85 mm / 25.4 mm per inch * 300 dpi = 1003.9 pixels; 8 pt = 8/72 inch = 33.3 pixels.
        assert_eq!(page.width_px(RULES).unwrap(), 1004);
        assert!(
            (8.0 * page.px_per_pt(RULES, 1004.0) - 8.0 / 72.0 * 1004.0 / (85.0 / 25.4)).abs()
                < 1e-9
        );
        let double = Page {
            size: Some(FigureSize::Double),
            ..Page::default()
        };
        assert_eq!(double.width_mm(RULES), 180.0);
    }

    #[test]
    fn page_keys_sit_beside_each_figures_own_in_json() {
        use super::super::forest::ForestOptions;
        use super::super::PlotOptions;
        // The keys www/figure.js sends (curveOptions, and the forest's options).
        let json = r#"{"size": "double", "font_size": 9, "dpi": 600, "width_mm": 120,
                       "height_mm": 90, "line_width": 1.5, "font_family": "Arial"}"#;
        let want = Page {
            font_size: 9.0,
            font_family: "Arial".into(),
            line_width: 1.5,
            size: Some(FigureSize::Double),
            width_mm: Some(120.0),
            height_mm: Some(90.0),
            dpi: 600.0,
        };
        let curves: PlotOptions = serde_json::from_str(json).unwrap();
        let forest: ForestOptions = serde_json::from_str(json).unwrap();
        assert_eq!(curves.page, want);
        assert_eq!(forest.page, want);
        // Written back with the same flat keys.
        let written = serde_json::to_value(&curves).unwrap();
        assert_eq!(written["dpi"], 600.0);
        assert_eq!(written["size"], "double");
        // Without a size each figure keeps its own default width.
        let curves: PlotOptions = serde_json::from_str("{}").unwrap();
        let forest: ForestOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(curves.page.width_mm(PlotOptions::PAGE), 85.0);
        assert_eq!(forest.page.width_mm(ForestOptions::PAGE), 180.0);
    }

    #[test]
    fn too_many_pixels_are_refused() {
        let page = Page {
            width_mm: Some(1000.0),
            dpi: 1200.0,
            ..Page::default()
        };
        let err = page.width_px(RULES).unwrap_err().to_string();
        assert!(err.contains("pixels a side"), "{err}");
    }
}
