//! Where everything goes, in backend pixels: margins from estimated text widths, the one time mapping, legend placement.
//!
//! Text is measured here, never through plotters, so the layout is the same in SVG and on a
//! canvas and needs no fonts (natively) and no DOM (in a worker).

use super::geometry::{breaks, cumulative_at, decimals_for, max_time, n_risk_at, unit_step};
use super::series::Series;
use super::{LegendPosition, Palette, PlotOptions};

/// Approximate advance widths of Helvetica/Arial in ems; digits are exact for both.
fn char_em(c: char) -> f64 {
    match c {
        '0'..='9' | '$' | '_' => 0.556,
        ' ' | '\u{a0}' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'i' | 'j' | 'l' => 0.278,
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

/// What a row of the table under the plot counts at each break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    AtRisk,
    Events,
    Censored,
}

/// One row of the table under the plot: a heading ("Number at risk", or a group's name over
/// its KMunicate rows) or a row of numbers with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// The centre line of the row (of its numbers, and of its label's lines together).
    pub y: i32,
    /// The label, wrapped into lines.
    pub lines: Vec<String>,
    /// A heading: bold, from the left margin, no numbers.
    pub heading: bool,
    /// Whose colour the label takes (a group shown at this position), else ink.
    pub colour_of: Option<usize>,
    /// The numbers: of which group (position), counting what.
    pub values: Option<(usize, Count)>,
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
    /// The y axis range (plotted proportions) and its ticks with their labels.
    pub y_min: f64,
    pub y_max: f64,
    pub y_ticks: Vec<(f64, String)>,
    /// Baseline rows: title centre, x tick labels top, x title centre.
    pub title_y: Option<i32>,
    /// Top of the rows above the plot (legend or annotation moved out of the plot).
    pub header_top: i32,
    pub x_tick_label_y: i32,
    pub x_title_y: i32,
    /// The y axis title's centre line (it is rotated).
    pub y_title_x: i32,
    /// The figure's left text margin (where table headings start).
    pub margin_x: i32,
    pub width: i32,
    pub height: i32,
    /// The table under the plot, row by row.
    pub table: Vec<TableRow>,
    /// Where the table's row labels end (right-aligned).
    pub risk_label_x: i32,
}

impl Layout {
    /// The one time-to-pixel mapping: the axis ticks, the curves and the numbers at risk all
    /// go through it, so they cannot misalign.
    pub fn x(&self, t: f64) -> i32 {
        let span = f64::from(self.plot.right - self.plot.left);
        self.plot.left + (t / self.x_max * span).round() as i32
    }

    /// Plotted value to pixel row (`y_min` at the bottom of the plot, `y_max` at its top).
    pub fn y(&self, v: f64) -> i32 {
        let span = f64::from(self.plot.bottom - self.plot.top);
        let along = (v - self.y_min) / (self.y_max - self.y_min);
        self.plot.bottom - (along * span).round() as i32
    }
}

/// The y axis tick values (as plotted proportions) and their labels: steps of 0.2 over the
/// full axis, 0.1 or 0.05 over a cut one.
pub fn y_ticks(opts: &PlotOptions) -> Vec<(f64, String)> {
    let span = opts.y_max - opts.y_min;
    let step = [0.05, 0.1, 0.2, 0.25]
        .into_iter()
        .find(|&s| span / s <= 6.0 + 1e-9)
        .unwrap_or(0.25);
    let first = (opts.y_min / step - 1e-9).ceil() as i64;
    let last = (opts.y_max / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            let label = if opts.percent {
                format!("{}", (v * 100.0).round())
            } else if step < 0.1 {
                format!("{v:.2}")
            } else {
                format!("{v:.1}")
            };
            (v, label)
        })
        .collect()
}

/// The gap between the table's row labels and its first column of numbers, in ems.
pub const LABEL_GAP: f64 = 1.0;

/// The plot panel's height as a share of the figure's width when the height is not given.
const PANEL_RATIO: f64 = 0.53;

/// `text` broken at spaces into lines no wider than `max` pixels at `em` (a word longer than
/// that keeps a line of its own); a no-break space holds its neighbours together, as an
/// estimate with its interval ("0.71 (95% CI 0.56-0.89)").
pub fn wrap(text: &str, max: f64, em: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let breaks = |c: char| c.is_whitespace() && c != '\u{a0}';
    for word in text.split(breaks).filter(|w| !w.is_empty()) {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), em) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The line sample before a group's name under the plot (as long as the legend's), and its gap
/// to the name, in ems.
pub const TABLE_SAMPLE: f64 = 2.4;
const TABLE_SAMPLE_GAP: f64 = 0.4;

/// The room a line sample takes before a group's name under the plot, in ems: in greyscale
/// every name is black or grey, so only the curve's dash says whose row it is.
pub fn table_sample_em(opts: &PlotOptions) -> f64 {
    if opts.palette == Palette::Greyscale {
        TABLE_SAMPLE + TABLE_SAMPLE_GAP
    } else {
        0.0
    }
}

/// Line pitch inside a wrapped label, and a row's height for one line, in ems.
pub const LINE: f64 = 1.15;
const TABLE_ROW: f64 = 1.5;

/// Table rows before placing: label lines, kind, and height in ems. `stacked`: each group's
/// name heads its row of numbers at risk (for names too long to sit beside the numbers).
fn table_rows(
    series: &[Series],
    opts: &PlotOptions,
    width: f64,
    em: f64,
    stacked: bool,
) -> Vec<(TableRow, f64)> {
    let mut rows = Vec::new();
    let kmunicate = opts.risk_table_events || opts.risk_table_censored;
    if !(opts.risk_table || kmunicate) || series.is_empty() {
        return rows;
    }
    // A group's name heading its rows, after its line sample in greyscale.
    let heading_max = 0.9 * width - table_sample_em(opts) * em;
    let row = |lines: Vec<String>, heading: bool, colour_of, values| {
        let height = TABLE_ROW + LINE * (lines.len() as f64 - 1.0);
        (
            TableRow {
                y: 0,
                lines,
                heading,
                colour_of,
                values,
            },
            height,
        )
    };
    if !kmunicate {
        rows.push(row(vec!["Number at risk".into()], true, None, None));
        if stacked {
            for (i, s) in series.iter().enumerate() {
                rows.push(row(wrap(&s.name, heading_max, em), true, Some(i), None));
                rows.push(row(
                    vec![String::new()],
                    false,
                    None,
                    Some((i, Count::AtRisk)),
                ));
            }
            return rows;
        }
        // Names wrap within a column of at most 28% of the width.
        let cap = 0.28 * width;
        for (i, s) in series.iter().enumerate() {
            rows.push(row(
                wrap(&s.name, cap, em),
                false,
                Some(i),
                Some((i, Count::AtRisk)),
            ));
        }
        return rows;
    }
    // KMunicate (Morris et al. 2019): per group, its name over rows at risk, censored, events;
    // each row as asked (cumulative counts without the number at risk, too).
    for (i, s) in series.iter().enumerate() {
        rows.push(row(wrap(&s.name, heading_max, em), true, Some(i), None));
        let counts = [
            (opts.risk_table, "At risk", Count::AtRisk),
            (opts.risk_table_censored, "Censored", Count::Censored),
            (opts.risk_table_events, "Events", Count::Events),
        ];
        for (_, label, count) in counts.into_iter().filter(|&(on, _, _)| on) {
            rows.push(row(vec![label.into()], false, None, Some((i, count))));
        }
    }
    rows
}

/// The number a table cell shows: at risk at `t`, or events or censorings up to `t`.
pub fn table_value(steps: &[super::PlotStep], t: f64, count: Count) -> u64 {
    match count {
        Count::AtRisk => n_risk_at(steps, t),
        Count::Events => cumulative_at(steps, t, |s| s.n_event),
        Count::Censored => cumulative_at(steps, t, |s| s.n_censor),
    }
}

/// Lays out a figure `width` pixels wide of `series`: `height` pixels high when given, else as
/// high as a plot panel of [`PANEL_RATIO`] of the width with everything around it needs.
/// `header_em` ems are kept free above the plot (legend entries, notes).
pub fn layout(
    series: &[Series],
    opts: &PlotOptions,
    width: u32,
    height: Option<u32>,
    header_em: f64,
) -> Layout {
    let w = f64::from(width);
    let px_per_pt = opts.page.px_per_pt(PlotOptions::PAGE, w);
    let em = opts.page.font_size * px_per_pt;
    let (x_max, step) = time_axis(series, opts, w, em);
    let x_breaks = breaks(step, x_max);
    let x_decimals = decimals_for(step);
    let ticks = y_ticks(opts);

    let y_label_width = ticks
        .iter()
        .map(|(_, label)| text_width(label, em))
        .fold(0.0, f64::max);
    let axis_need = 0.5 * em + 1.2 * em + 0.5 * em + y_label_width + 0.3 * em + 0.4 * em;
    // The first column of numbers is centred on the y axis; labels end left of it.
    let value_width = |rows: &[(TableRow, f64)], t: f64| {
        rows.iter()
            .filter_map(|(r, _)| r.values)
            .map(|(i, count)| text_width(&table_value(&series[i].steps, t, count).to_string(), em))
            .fold(0.0, f64::max)
    };
    // An em space between a row's label and its first number (centred on the axis), however
    // wide either: a column gap a reader sees at once (0.6 em read as "At risk 440").
    let name_gap = |rows: &[(TableRow, f64)]| 0.5 * value_width(rows, 0.0) + LABEL_GAP * em;
    let sample = table_sample_em(opts) * em;
    let name_need = |rows: &[(TableRow, f64)]| {
        let label_need = rows
            .iter()
            .filter(|(r, _)| !r.heading)
            .map(|(r, _)| {
                let widest = r
                    .lines
                    .iter()
                    .map(|l| text_width(l, em))
                    .fold(0.0, f64::max);
                widest + if r.colour_of.is_some() { sample } else { 0.0 }
            })
            .fold(0.0, f64::max);
        if rows.is_empty() {
            0.0
        } else {
            label_need + name_gap(rows) + 0.5 * em
        }
    };
    let mut rows = table_rows(series, opts, w, em, false);
    // Names that would push the plot over 2 em right of where its axis needs it would leave
    // an empty margin above them, the height of the plot: each name heads its numbers instead.
    // (2.4 em: 2 em of name beyond the 0.6 em gap the table once had, so the same names head
    // their rows as before the gap grew to an em.)
    if name_need(&rows) > axis_need + 2.4 * em {
        rows = table_rows(series, opts, w, em, true);
    }
    let name_gap = name_gap(&rows);
    let left = axis_need.max(name_need(&rows));
    let last = x_breaks.last().copied().unwrap_or(0.0);
    let last_label = text_width(&format!("{last:.x_decimals$}"), em);
    let right = 0.5 * last_label.max(value_width(&rows, last)) + 0.8 * em;

    let mut top = 1.0 * em;
    let title_y = opts.title.as_ref().map(|_| {
        let y = top + 0.7 * em;
        top += 1.8 * em;
        y.round() as i32
    });
    let header_top = top.round() as i32;
    top += header_em * em;
    let below_axis = 3.4 * em;
    let table_height: f64 = if rows.is_empty() {
        0.0
    } else {
        0.8 * em + rows.iter().map(|(_, h)| h * em).sum::<f64>()
    };
    let bottom_pad = 0.6 * em;
    let panel = match height {
        Some(h) => (f64::from(h) - top - below_axis - table_height - bottom_pad).max(2.0 * em),
        None => PANEL_RATIO * w,
    };
    let bottom = top + panel;
    let total = height.map_or(bottom + below_axis + table_height + bottom_pad, f64::from);

    let plot = Rect {
        left: left.round() as i32,
        top: top.round() as i32,
        right: (w - right).round().max(left + em) as i32,
        bottom: bottom.round() as i32,
    };
    let mut cursor = bottom + below_axis + 0.8 * em;
    for (row, h) in &mut rows {
        row.y = (cursor + 0.5 * *h * em).round() as i32;
        cursor += *h * em;
    }
    Layout {
        px_per_pt,
        em,
        plot,
        x_max,
        x_breaks,
        x_decimals,
        y_min: opts.y_min,
        y_max: opts.y_max,
        y_ticks: ticks,
        title_y,
        header_top,
        x_tick_label_y: (bottom + 0.7 * em).round() as i32,
        x_title_y: (bottom + 2.8 * em).round() as i32,
        // Close to the tick labels, however far long group names push the axis right.
        y_title_x: (left - axis_need + 0.5 * em).round() as i32,
        margin_x: (0.5 * em).round() as i32,
        width: width as i32,
        height: total.round() as i32,
        table: rows.into_iter().map(|(r, _)| r).collect(),
        risk_label_x: plot.left - name_gap.round() as i32,
    }
}

/// The time axis: its end and its break step, in the displayed unit. An explicit step is kept;
/// otherwise the step is the unit's most natural one whose labels (and numbers at risk) do
/// not crowd each other. The axis ends at `x_max` when given, else at the first break at or
/// after the last time, so its end carries a label (and the table a column).
fn time_axis(series: &[Series], opts: &PlotOptions, width: f64, em: f64) -> (f64, f64) {
    let data_max = max_time(series.iter().map(|s| &*s.steps));
    let span = opts
        .x_max
        .unwrap_or(if data_max > 0.0 { data_max } else { 1.0 });
    // Everyone at time 0: an axis from 0 to 1 in one step, not in fractions of nothing.
    let nothing = opts.x_max.is_none() && data_max <= 0.0;
    let step = opts.time_step.unwrap_or_else(|| {
        if nothing {
            return 1.0;
        }
        let widest = text_width(&format!("{:.0}", span.max(1.0)), em)
            .max(text_width("0000", em))
            .max(2.2 * em);
        let fits = ((0.8 * width) / (widest * 1.3)).floor().clamp(2.0, 8.0) as usize;
        let unit = opts.display_unit.or_else(|| opts.data_unit());
        unit_step(unit, span, fits)
    });
    // A step of at least span / fits (unit_step) keeps the breaks up to the end within fits.
    let end = match opts.x_max {
        Some(x_max) => x_max,
        None => (span / step * (1.0 - 1e-9)).ceil().max(1.0) * step,
    };
    (end.max(step), step)
}

/// A corner of the plot panel, for the legend and the annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
}

/// How far a box in a corner of the plot stands from the axes, in ems.
pub const CORNER_INSET: f64 = 0.6;

impl Layout {
    /// The box of size `(w, h)` tucked into `corner`, inset from the axes.
    pub fn in_corner(&self, corner: Corner, (w, h): (i32, i32)) -> Rect {
        let inset = (CORNER_INSET * self.em).round() as i32;
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
    match opts.legend {
        LegendPosition::TopRight => vec![Corner::TopRight],
        LegendPosition::TopLeft => vec![Corner::TopLeft],
        LegendPosition::BottomRight => vec![Corner::BottomRight],
        LegendPosition::BottomLeft => vec![Corner::BottomLeft],
        LegendPosition::Auto | LegendPosition::Top | LegendPosition::None => {
            if opts.curve.rises() {
                vec![
                    Corner::TopLeft,
                    Corner::BottomRight,
                    Corner::TopRight,
                    Corner::BottomLeft,
                ]
            } else {
                vec![
                    Corner::TopRight,
                    Corner::BottomLeft,
                    Corner::BottomRight,
                    Corner::TopLeft,
                ]
            }
        }
    }
}

/// Corners for the notes (test, hazard ratio): where a survival curve has fallen away first.
pub fn annotation_corners(opts: &PlotOptions) -> Vec<Corner> {
    if opts.curve.rises() {
        vec![
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::TopRight,
            Corner::BottomLeft,
        ]
    } else {
        vec![
            Corner::BottomLeft,
            Corner::TopRight,
            Corner::BottomRight,
            Corner::TopLeft,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_spaces() {
        let lines = wrap("Adjuvant hormone therapy after surgery", 100.0, 10.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
        assert_eq!(lines.join(" "), "Adjuvant hormone therapy after surgery");
    }

    #[test]
    fn cut_axes_tick_at_tenths() {
        let opts = PlotOptions {
            y_min: 0.5,
            percent: true,
            ..PlotOptions::default()
        };
        let labels: Vec<String> = y_ticks(&opts).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels, ["50", "60", "70", "80", "90", "100"]);
    }

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
        let l = layout(&[], &opts, 1000, Some(800), 0.0);
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
