//! Where everything goes, in backend pixels: margins from estimated text widths, the one time mapping, legend placement.
//!
//! Text is measured here, never through plotters, so the layout is the same in SVG and on a
//! canvas and needs no fonts (natively) and no DOM (in a worker).

use super::geometry::{breaks, decimals_for, max_time, nice_step};
use super::{CurveKind, LegendPosition, PlotGroup, PlotOptions};
use crate::error::{Error, Result};

/// Approximate advance widths of Helvetica/Arial in ems; digits are exact for both.
fn char_em(c: char) -> f64 {
    match c {
        '0'..='9' | '$' | '_' => 0.556,
        ' ' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'i' | 'j' | 'l' => 0.278,
        'f' | 't' | 'I' | '/' | '(' | ')' | '[' | ']' | '-' => 0.333,
        'r' => 0.333,
        'm' | 'M' | 'W' | '%' => 0.889,
        'w' => 0.722,
        'A'..='Z' => 0.667,
        '=' | '+' | '<' | '>' => 0.584,
        _ if c.is_ascii_lowercase() => 0.53,
        _ => 0.6,
    }
}

/// Estimated width in pixels of `text` set at `font_px`.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font_px
}

/// A straight line between two pixels.
pub type Segment = ((i32, i32), (i32, i32));

/// `points` without those that lie inside a straight horizontal or vertical run: a curve of a
/// million steps keeps at most a few points per pixel column, the same picture.
pub fn simplify(points: impl IntoIterator<Item = (i32, i32)>) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::new();
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        while let [.., a, b] = out[..] {
            let between = |a: i32, b: i32, c: i32| a.min(c) <= b && b <= a.max(c);
            let vertical = a.0 == b.0 && b.0 == p.0 && between(a.1, b.1, p.1);
            let horizontal = a.1 == b.1 && b.1 == p.1 && between(a.0, b.0, p.0);
            if vertical || horizontal {
                out.pop();
            } else {
                break;
            }
        }
        out.push(p);
    }
    out
}

/// A rectangle in pixels, left/top inclusive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    /// How much of an axis-aligned segment lies inside, in pixels (a point counts as one).
    fn overlap(&self, (x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> f64 {
        let (lo_x, hi_x) = (x0.min(x1).max(self.left), x0.max(x1).min(self.right));
        let (lo_y, hi_y) = (y0.min(y1).max(self.top), y0.max(y1).min(self.bottom));
        if lo_x > hi_x || lo_y > hi_y {
            return 0.0;
        }
        f64::from((hi_x - lo_x) + (hi_y - lo_y)).max(1.0)
    }
}

/// The geometry of one figure.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Pixels per typographic point.
    pub px_per_pt: f64,
    /// Font size in pixels (one em).
    pub em: f64,
    pub plot: Rect,
    pub x_max: f64,
    pub x_breaks: Vec<f64>,
    pub x_decimals: usize,
    /// Baseline rows: title centre, x tick labels top, x title centre.
    pub title_y: Option<i32>,
    /// Top of the rows above the plot (legend or annotation moved out of the plot).
    pub header_top: i32,
    pub x_tick_label_y: i32,
    pub x_title_y: i32,
    /// The y axis title's centre line (it is rotated).
    pub y_title_x: i32,
    /// The figure's left text margin (where "Number at risk" starts).
    pub margin_x: i32,
    pub width: i32,
    /// "Number at risk" heading and one row centre per group, when the table is drawn.
    pub risk_heading_y: Option<i32>,
    pub risk_rows_y: Vec<i32>,
    pub risk_label_x: i32,
}

impl Layout {
    /// The one time-to-pixel mapping: the axis ticks, the curves and the numbers at risk all
    /// go through it, so they cannot misalign.
    pub fn x(&self, t: f64) -> i32 {
        let span = f64::from(self.plot.right - self.plot.left);
        self.plot.left + (t / self.x_max * span).round() as i32
    }

    /// Plotted value (0..=1) to pixel row.
    pub fn y(&self, v: f64) -> i32 {
        let span = f64::from(self.plot.bottom - self.plot.top);
        self.plot.bottom - (v * span).round() as i32
    }

    /// A length given in points, in whole pixels (never below one).
    pub fn pt(&self, points: f64) -> u32 {
        (points * self.px_per_pt).round().max(1.0) as u32
    }
}

/// The y axis tick values (as plotted fractions) and their labels.
pub fn y_ticks(opts: &PlotOptions) -> Vec<(f64, String)> {
    (0..=5)
        .map(|i| {
            let v = f64::from(i) * 0.2;
            let label = if opts.percent {
                format!("{}", i * 20)
            } else {
                format!("{v:.1}")
            };
            (v, label)
        })
        .collect()
}

/// The figure's size in pixels at the options' dpi, for a figure of `n_groups` curves.
pub fn figure_pixels(n_groups: usize, opts: &PlotOptions) -> Result<(u32, u32)> {
    opts.validate()?;
    let px_per_mm = opts.dpi / 25.4;
    let width = opts.width_mm.unwrap_or_else(|| opts.size.width_mm()) * px_per_mm;
    let height = match opts.height_mm {
        Some(mm) => mm * px_per_mm,
        None => {
            let em = opts.font_size * opts.dpi / 72.0;
            let title = if opts.title.is_some() { 1.8 * em } else { 0.0 };
            0.68 * width + title + risk_table_height(n_groups, em, opts)
        }
    };
    let (width, height) = (width.round(), height.round());
    if width > MAX_SIDE_PX || height > MAX_SIDE_PX {
        return Err(Error::usage(format!(
            "the figure would be {width} x {height} pixels; lower dpi or the size (at most {MAX_SIDE_PX} pixels a side)"
        )));
    }
    Ok((width as u32, height as u32))
}

/// Canvases and SVG viewers struggle beyond this; 180 mm at 1200 dpi is about 8500.
const MAX_SIDE_PX: f64 = 12000.0;

fn risk_table_height(n_groups: usize, em: f64, opts: &PlotOptions) -> f64 {
    if opts.risk_table {
        (0.8 + 1.6 + 1.5 * n_groups as f64) * em
    } else {
        0.0
    }
}

/// Lays out a `width` x `height` figure of `groups`.
/// `header_rows` rows (legend entries, annotation lines) are kept free above the plot.
pub fn layout(
    groups: &[PlotGroup],
    opts: &PlotOptions,
    (width, height): (u32, u32),
    header_rows: usize,
) -> Layout {
    let px_per_pt =
        f64::from(width) / (opts.width_mm.unwrap_or_else(|| opts.size.width_mm()) / 25.4 * 72.0);
    let em = opts.font_size * px_per_pt;
    let (x_max, step) = time_axis(groups, opts, f64::from(width), em);
    let x_breaks = breaks(step, x_max);
    let x_decimals = decimals_for(step);

    let y_label_width = y_ticks(opts)
        .iter()
        .map(|(_, label)| text_width(label, em))
        .fold(0.0, f64::max);
    let axis_need = 0.5 * em + 1.2 * em + 0.5 * em + y_label_width + 0.3 * em + 0.4 * em;
    // The first column of numbers at risk is centred on the y axis; names end left of it.
    let first_column_half = groups
        .iter()
        .filter_map(|g| g.steps.first())
        .map(|s| 0.5 * text_width(&s.n_risk.to_string(), em))
        .fold(0.0, f64::max);
    let name_gap = first_column_half + 0.6 * em;
    let name_need = if opts.risk_table {
        groups
            .iter()
            .map(|g| text_width(&g.name, em))
            .fold(0.0, f64::max)
            + name_gap
            + 0.5 * em
    } else {
        0.0
    };
    let left = axis_need.max(name_need);
    let last_label = x_breaks
        .last()
        .map_or(0.0, |&t| text_width(&format!("{t:.x_decimals$}"), em));
    let right = 0.5 * last_label + 0.8 * em;

    let mut top = 0.8 * em;
    let title_y = opts.title.as_ref().map(|_| {
        let y = top + 0.7 * em;
        top += 1.8 * em;
        y.round() as i32
    });
    let header_top = top.round() as i32;
    if header_rows > 0 {
        top += (1.35 * header_rows as f64 + 0.4) * em;
    }
    let h = f64::from(height);
    let below_axis = 0.4 * em + 0.3 * em + 1.0 * em + 0.5 * em + 1.2 * em;
    let table = risk_table_height(groups.len(), em, opts);
    let bottom = (h - table - below_axis - 0.4 * em).max(top + 2.0 * em);

    let plot = Rect {
        left: left.round() as i32,
        top: top.round() as i32,
        right: (f64::from(width) - right).round().max(left + em) as i32,
        bottom: bottom.round() as i32,
    };
    let x_tick_label_y = (bottom + 0.7 * em).round() as i32;
    let x_title_y = (bottom + 0.7 * em + 1.0 * em + 0.5 * em + 0.6 * em).round() as i32;
    let (risk_heading_y, risk_rows_y) = if opts.risk_table {
        let heading = bottom + below_axis + 0.8 * em + 0.6 * em;
        let rows = (0..groups.len())
            .map(|i| (heading + 1.6 * em + 1.5 * em * i as f64).round() as i32)
            .collect();
        (Some(heading.round() as i32), rows)
    } else {
        (None, Vec::new())
    };
    Layout {
        px_per_pt,
        em,
        plot,
        x_max,
        x_breaks,
        x_decimals,
        title_y,
        header_top,
        x_tick_label_y,
        x_title_y,
        // Close to the tick labels, however far long group names push the axis right.
        y_title_x: (left - axis_need + 0.5 * em).round() as i32,
        margin_x: (0.5 * em).round() as i32,
        width: width as i32,
        risk_heading_y,
        risk_rows_y,
        risk_label_x: plot.left - name_gap.round() as i32,
    }
}

/// The time axis: its end and its break step. An explicit step is kept; otherwise the step
/// is the roundest one whose labels (and numbers at risk) do not crowd each other.
fn time_axis(groups: &[PlotGroup], opts: &PlotOptions, width: f64, em: f64) -> (f64, f64) {
    let data_max = max_time(groups.iter().map(|g| g.steps.as_slice()));
    let span = opts
        .x_max
        .unwrap_or(if data_max > 0.0 { data_max } else { 1.0 });
    let step = opts.time_step.unwrap_or_else(|| {
        let widest = text_width(&format!("{:.0}", span.max(1.0)), em)
            .max(text_width("0000", em))
            .max(2.2 * em);
        let fits = ((0.8 * width) / (widest * 1.3)).floor().clamp(2.0, 8.0) as usize;
        nice_step(span, fits)
    });
    // As R's plot.survfit, the axis ends at the last time, not at the next break.
    (span.max(step), step)
}

/// A corner of the plot panel, for the legend and the annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
}

impl Layout {
    /// The box of size `(w, h)` tucked into `corner`, inset from the axes.
    pub fn in_corner(&self, corner: Corner, (w, h): (i32, i32)) -> Rect {
        let inset = (0.6 * self.em).round() as i32;
        let (left, top) = match corner {
            Corner::TopLeft => (self.plot.left + inset, self.plot.top + inset / 2),
            Corner::TopRight => (self.plot.right - inset - w, self.plot.top + inset / 2),
            Corner::BottomLeft => (self.plot.left + inset, self.plot.bottom - inset - h),
            Corner::BottomRight => (self.plot.right - inset - w, self.plot.bottom - inset - h),
        };
        Rect {
            left,
            top,
            right: left + w,
            bottom: top + h,
        }
    }

    /// The box of size `(w, h)` in `corner`, but beside `taken` (the legend there): under it
    /// at the top, over it at the bottom.
    pub fn next_to(&self, corner: Corner, (w, h): (i32, i32), taken: Rect) -> Rect {
        let gap = (0.2 * self.em).round() as i32;
        let r = self.in_corner(corner, (w, h));
        let top = match corner {
            Corner::TopLeft | Corner::TopRight => taken.bottom + gap,
            Corner::BottomLeft | Corner::BottomRight => taken.top - gap - h,
        };
        Rect {
            top,
            bottom: top + h,
            ..r
        }
    }
}

/// Of `candidates` (best first), the box covering the least of `obstacles` (axis-aligned
/// segments in pixels), with how much it covers; the first one on ties.
pub fn least_covered(
    layout: &Layout,
    candidates: &[Rect],
    obstacles: &[Segment],
) -> Option<(Rect, f64)> {
    let margin = (0.3 * layout.em).round() as i32;
    let mut best: Option<(Rect, f64)> = None;
    for &r in candidates {
        let grown = Rect {
            left: r.left - margin,
            top: r.top - margin,
            right: r.right + margin,
            bottom: r.bottom + margin,
        };
        let covered: f64 = obstacles.iter().map(|&(a, b)| grown.overlap(a, b)).sum();
        if best.is_none_or(|(_, c)| covered < c) {
            best = Some((r, covered));
        }
    }
    best
}

/// Items of the given widths laid out as a grid of equal columns no wider in all than
/// `width`, `gap` apart, row by row: each row lists its items with their offsets.
pub fn flow<T: Copy>(items: &[(T, f64)], width: f64, gap: f64) -> Vec<Vec<(T, i32)>> {
    let column = items.iter().map(|&(_, w)| w).fold(0.0, f64::max) + gap;
    let columns = (((width + gap) / column).floor() as usize).max(1);
    items
        .chunks(columns)
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, &(item, _))| (item, (i as f64 * column).round() as i32))
                .collect()
        })
        .collect()
}

/// Corners in the order a reader expects the legend, by where curves usually leave room.
pub fn legend_corners(opts: &PlotOptions) -> Vec<Corner> {
    match (opts.legend, opts.curve) {
        (LegendPosition::TopRight, _) => vec![Corner::TopRight],
        (LegendPosition::TopLeft, _) => vec![Corner::TopLeft],
        (LegendPosition::BottomRight, _) => vec![Corner::BottomRight],
        (LegendPosition::BottomLeft, _) => vec![Corner::BottomLeft],
        (
            LegendPosition::Auto | LegendPosition::Top | LegendPosition::None,
            CurveKind::Survival,
        ) => vec![
            Corner::TopRight,
            Corner::BottomLeft,
            Corner::BottomRight,
            Corner::TopLeft,
        ],
        (
            LegendPosition::Auto | LegendPosition::Top | LegendPosition::None,
            CurveKind::CumulativeIncidence,
        ) => vec![
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::TopRight,
            Corner::BottomLeft,
        ],
    }
}

/// Corners for the test annotation: where a survival curve has fallen away first.
pub fn annotation_corners(opts: &PlotOptions) -> Vec<Corner> {
    match opts.curve {
        CurveKind::Survival => vec![
            Corner::BottomLeft,
            Corner::TopRight,
            Corner::BottomRight,
            Corner::TopLeft,
        ],
        CurveKind::CumulativeIncidence => vec![
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::TopRight,
            Corner::BottomLeft,
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_helvetica_wide() {
        assert!((text_width("100", 10.0) - 16.68).abs() < 1e-9);
    }

    #[test]
    fn runs_collapse_to_their_ends() {
        let stairs = [
            (0, 0),
            (5, 0),
            (5, 1),
            (5, 2),
            (5, 3),
            (6, 3),
            (6, 3),
            (9, 3),
            (9, 1),
        ];
        assert_eq!(
            simplify(stairs),
            vec![(0, 0), (5, 0), (5, 3), (9, 3), (9, 1)]
        );
        let turn_back = [(0, 0), (4, 0), (2, 0)];
        assert_eq!(simplify(turn_back), turn_back.to_vec());
    }

    #[test]
    fn flow_fills_rows_of_equal_columns() {
        let items = [('a', 30.0), ('b', 50.0), ('c', 20.0)];
        assert_eq!(
            flow(&items, 120.0, 10.0),
            vec![vec![('a', 0), ('b', 60)], vec![('c', 0)]]
        );
        assert_eq!(
            flow(&items, 10.0, 10.0).len(),
            3,
            "one per row when none fits"
        );
    }

    #[test]
    fn boxes_avoid_curves() {
        let opts = PlotOptions::default();
        let l = layout(&[], &opts, (1000, 800), 0);
        let top_line = (
            (l.plot.left, l.plot.top + 5),
            (l.plot.right, l.plot.top + 5),
        );
        let candidates: Vec<Rect> = legend_corners(&opts)
            .into_iter()
            .map(|c| l.in_corner(c, (100, 40)))
            .collect();
        let chosen = least_covered(&l, &candidates, &[top_line]);
        assert_eq!(
            chosen.map(|(r, _)| r),
            Some(l.in_corner(Corner::BottomLeft, (100, 40)))
        );
    }
}
