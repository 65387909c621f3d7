//! The drawing itself, over any plotters backend: bands, medians, axes, curves, censor marks, legend, notes, the table under the plot.

use plotters::coord::Shift;
use plotters::element::{PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TextStyle};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};

use super::layout::{self, Corner, Layout, Rect, LINE};
use super::page::MIN_TEXT_PT;
use super::scene::{
    entry_height, mark_arm, HeaderItem, Scene, LEGEND_PAD, LEGEND_SAMPLE, NOTE_PAD, ROW,
};
use super::style::{comparison_look, dash_scale, LineLook, INK, LIMIT_GREY, MUTED, WHITE};

pub type AreaError<DB> = plotters::drawing::DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;
pub type DrawResult<DB> = std::result::Result<(), AreaError<DB>>;

/// `text` without control characters, which XML forbids and a canvas shows as boxes (a
/// spreadsheet cell can hold a tab or a line break).
pub fn printable(text: &str) -> String {
    // A no-break space (which holds words together when wrapping) prints as a space.
    text.chars()
        .map(|c| {
            if c.is_control() || c == '\u{a0}' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Text and lines on one backend, sized by a layout: shared by every figure.
pub struct Pen<'a, DB: DrawingBackend> {
    pub root: &'a DrawingArea<DB, Shift>,
    pub font_family: &'a str,
    pub em: f64,
    pub px_per_pt: f64,
    /// plotters' SVG backend writes `font-size` as the requested size / 1.24; the canvas
    /// backend uses it as is.
    pub font_scale: f64,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// Text `size_em` times the figure's size, never below [`MIN_TEXT_PT`] printed.
    pub fn style(&self, size_em: f64, bold: bool, color: RGBAColor, pos: Pos) -> TextStyle<'_> {
        let size_px = (size_em * self.em).max(MIN_TEXT_PT * self.px_per_pt);
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(
            FontFamily::Name(self.font_family),
            size_px * self.font_scale,
            style,
        );
        TextStyle {
            font,
            color: color.to_backend_color(),
            pos,
        }
    }

    /// Draws `text` (nothing when it is empty).
    pub fn text(&self, text: &str, at: (i32, i32), style: &TextStyle<'_>) -> DrawResult<DB> {
        if text.is_empty() {
            return Ok(());
        }
        self.root
            .draw(&Text::new(printable(text), at, style.clone()))
    }

    /// A length in points, in whole pixels (never below one).
    pub fn pt(&self, points: f64) -> u32 {
        (points * self.px_per_pt).round().max(1.0) as u32
    }

    pub fn line(&self, points: Vec<(i32, i32)>, color: RGBAColor, width_pt: f64) -> DrawResult<DB> {
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: self.pt(width_pt),
        };
        self.root.draw(&PathElement::new(points, style))
    }

    /// A line in a curve's colour and dash, `width_pt` wide: each dash of its pattern (in
    /// points, scaled by [`dash_scale`]) drawn as its own stroke, the pattern running on
    /// across corners.
    pub fn styled_line(
        &self,
        points: Vec<(i32, i32)>,
        look: LineLook,
        width_pt: f64,
    ) -> DrawResult<DB> {
        let style = ShapeStyle {
            color: look.color,
            filled: false,
            stroke_width: self.pt(width_pt),
        };
        match look.dash {
            None => self.root.draw(&PathElement::new(points, style)),
            Some(pattern) => {
                let px = self.px_per_pt * dash_scale(width_pt);
                let lengths: Vec<f64> = pattern.iter().map(|l| (l * px).max(1.0)).collect();
                for piece in dash_pieces(&points, &lengths) {
                    self.root.draw(&PathElement::new(piece, style))?;
                }
                Ok(())
            }
        }
    }

    /// A straight line of equal dashes and gaps `dash_pt` long.
    pub fn dashed(
        &self,
        a: (i32, i32),
        b: (i32, i32),
        color: RGBAColor,
        width_pt: f64,
        dash_pt: f64,
    ) -> DrawResult<DB> {
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: self.pt(width_pt),
        };
        let dash = f64::from(self.pt(dash_pt));
        for piece in dash_pieces(&[a, b], &[dash, dash]) {
            self.root.draw(&PathElement::new(piece, style))?;
        }
        Ok(())
    }

    /// A translucent white box, so text stays readable over a band or grid.
    pub fn backdrop(&self, r: Rect) -> DrawResult<DB> {
        self.root.draw(&Rectangle::new(
            [(r.left, r.top), (r.right, r.bottom)],
            RGBAColor(255, 255, 255, 0.85).filled(),
        ))
    }
}

/// The dashes of a polyline under a pattern of on/off lengths in pixels (on first), the
/// pattern continuing through the corners (as SVG's `stroke-dasharray` does), each dash a
/// polyline of its own that keeps the corners it passes.
pub fn dash_pieces(points: &[(i32, i32)], pattern: &[f64]) -> Vec<Vec<(i32, i32)>> {
    let period: f64 = pattern.iter().sum();
    if points.len() < 2 || pattern.is_empty() || period <= 0.0 {
        return vec![points.to_vec()];
    }
    let at = |a: (i32, i32), b: (i32, i32), t: f64| {
        let lerp = |p: i32, q: i32| (f64::from(p) + t * f64::from(q - p)).round() as i32;
        (lerp(a.0, b.0), lerp(a.1, b.1))
    };
    let mut pieces: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut current: Vec<(i32, i32)> = vec![points[0]];
    // Which entry of the pattern is running and how much of it is left.
    let (mut k, mut left) = (0, pattern[0]);
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let length = f64::from(b.0 - a.0).hypot(f64::from(b.1 - a.1));
        let mut done = 0.0;
        while length - done > left {
            done += left;
            let p = at(a, b, done / length);
            if k % 2 == 0 {
                current.push(p);
                pieces.push(std::mem::take(&mut current));
            } else {
                current = vec![p];
            }
            k = (k + 1) % pattern.len();
            left = pattern[k];
        }
        left -= length - done;
        if k % 2 == 0 {
            current.push(b);
        }
    }
    if k % 2 == 0 {
        pieces.push(current);
    }
    // A dash rounded to nothing on a coarse canvas is dropped.
    pieces.retain(|p| p.iter().any(|q| *q != p[0]));
    pieces
}

/// The segments of hatching rising at 45 degrees ("/") inside a closed outline, `spacing`
/// pixels apart, by the even-odd rule: each hatch line cut where it crosses the outline's edges, the pieces
/// between the first and second crossing, the third and fourth, and so on kept.
pub fn hatch_segments(outline: &[(i32, i32)], spacing: f64) -> Vec<((i32, i32), (i32, i32))> {
    // Rising lines ("/", y grows downwards) are x + y = c.
    let s = |(x, y): (i32, i32)| f64::from(x) + f64::from(y);
    if outline.len() < 3 {
        return Vec::new();
    }
    let (lo, hi) = outline
        .iter()
        .map(|&p| s(p))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    // Along s, lines `spacing` apart perpendicularly are spacing * sqrt(2) apart; starting
    // from a multiple of it, overlapping bands hatch on the same grid.
    let step = spacing * std::f64::consts::SQRT_2;
    let mut segments = Vec::new();
    let mut c = (lo / step).ceil() * step;
    let edges: Vec<((i32, i32), (i32, i32))> = outline
        .iter()
        .zip(outline.iter().cycle().skip(1))
        .map(|(&a, &b)| (a, b))
        .collect();
    while c <= hi {
        let mut crossings: Vec<(f64, f64)> = edges
            .iter()
            .filter_map(|&(a, b)| {
                let (sa, sb) = (s(a), s(b));
                // Half-open, so a line through a vertex counts it once.
                if (sa < c) == (sb < c) {
                    return None;
                }
                let t = (c - sa) / (sb - sa);
                let x = f64::from(a.0) + t * f64::from(b.0 - a.0);
                let y = f64::from(a.1) + t * f64::from(b.1 - a.1);
                Some((x, y))
            })
            .collect();
        crossings.sort_by(|p, q| p.0.total_cmp(&q.0));
        for pair in crossings.chunks_exact(2) {
            let a = (pair[0].0.round() as i32, pair[0].1.round() as i32);
            let b = (pair[1].0.round() as i32, pair[1].1.round() as i32);
            if a != b {
                segments.push((a, b));
            }
        }
        c += step;
    }
    segments
}

/// The width of a band's limit lines, in points: thinner than any curve a journal prints.
pub const LIMIT_PT: f64 = 0.5;

/// A band's outline (along the upper limit, back along the lower) as its two limits, without
/// the strokes joining them at its ends: split at the outline's rightmost points.
pub fn band_limits(outline: &[(i32, i32)]) -> [Vec<(i32, i32)>; 2] {
    let right = outline.iter().map(|p| p.0).max().unwrap_or(0);
    let first = outline.iter().position(|p| p.0 == right);
    let last = outline.iter().rposition(|p| p.0 == right);
    match (first, last) {
        (Some(first), Some(last)) => [outline[..=first].to_vec(), outline[last..].to_vec()],
        _ => [Vec::new(), Vec::new()],
    }
}

/// Paints a placed Kaplan-Meier figure.
pub struct Painter<'a, DB: DrawingBackend> {
    pub scene: &'a Scene<'a>,
    pub pen: Pen<'a, DB>,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    fn l(&self) -> &Layout {
        &self.scene.layout
    }

    pub fn draw(&self) -> DrawResult<DB> {
        self.pen.root.fill(&WHITE)?;
        if self.scene.opts.conf_bands {
            self.draw_bands()?;
        }
        if self.scene.opts.median_lines {
            self.draw_medians()?;
        }
        // Axes first, so a curve lying on 0 stays visible over the axis line.
        self.draw_axes()?;
        self.draw_curves()?;
        self.draw_titles()?;
        let legend = self.draw_legend()?;
        self.draw_notes(legend)?;
        self.draw_header()?;
        self.draw_table()
    }

    fn draw_bands(&self) -> DrawResult<DB> {
        let spacing = 0.5 * self.l().em;
        for (series, shapes) in self.scene.series.iter().zip(&self.scene.shapes) {
            let band = series.band;
            for outline in &shapes.bands {
                if let Some(fill) = band.fill {
                    self.pen
                        .root
                        .draw(&Polygon::new(outline.clone(), fill.filled()))?;
                }
                if band.hatch {
                    for (a, b) in hatch_segments(outline, spacing) {
                        self.pen.line(vec![a, b], series.line.color, 0.35)?;
                    }
                }
                if band.edges {
                    let mut closed = outline.clone();
                    closed.extend(outline.first().copied());
                    self.pen.styled_line(closed, series.line, 0.35)?;
                }
                if band.limits {
                    let look = LineLook {
                        color: LIMIT_GREY,
                        ..series.line
                    };
                    for limit in band_limits(outline) {
                        self.pen.styled_line(limit, look, LIMIT_PT)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn draw_medians(&self) -> DrawResult<DB> {
        for (a, b) in self.scene.median_segments() {
            self.pen.dashed(a, b, MUTED, 0.5, 2.0)?;
        }
        Ok(())
    }

    fn draw_curves(&self) -> DrawResult<DB> {
        let width = self.scene.opts.page.line_width;
        for (series, shapes) in self.scene.series.iter().zip(&self.scene.shapes) {
            for piece in &shapes.curve {
                self.pen.styled_line(piece.clone(), series.line, width)?;
            }
            let comparison = comparison_look(series.line);
            for piece in &shapes.comparison {
                self.pen.styled_line(piece.clone(), comparison, width)?;
            }
            for &mark in &shapes.marks {
                if self.scene.rug {
                    let tick = self.scene.rug_tick();
                    let (x, y) = mark;
                    self.pen
                        .line(vec![(x, y - tick), (x, y)], series.line.color, 0.6 * width)?;
                } else {
                    self.draw_plus(mark, series.line.color)?;
                }
            }
        }
        Ok(())
    }

    /// A "+" as one filled outline, as thick as the curve.
    fn draw_plus(&self, (x, y): (i32, i32), color: RGBAColor) -> DrawResult<DB> {
        let arm = mark_arm(self.l());
        let w = self.pen.pt(self.scene.opts.page.line_width * 0.8) as i32;
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
        self.pen.root.draw(&Polygon::new(outline, color.filled()))
    }

    fn draw_axes(&self) -> DrawResult<DB> {
        let l = self.l();
        let p = l.plot;
        let axis_pt = 0.6;
        let tick = (0.4 * l.em).round() as i32;
        if l.y_min > 0.0 {
            // A cut axis: a gap with two slanted strokes low on the y axis, so no reader takes
            // the bottom of the plot for zero.
            let at = p.bottom - (0.9 * l.em).round() as i32;
            let gap = (0.22 * l.em).round().max(2.0) as i32;
            let (dx, dy) = ((0.35 * l.em).round() as i32, (0.2 * l.em).round() as i32);
            self.pen.line(
                vec![(p.left, at + gap), (p.left, p.bottom), (p.right, p.bottom)],
                INK,
                axis_pt,
            )?;
            self.pen
                .line(vec![(p.left, p.top), (p.left, at - gap)], INK, axis_pt)?;
            for y in [at - gap, at + gap] {
                self.pen.line(
                    vec![(p.left - dx, y + dy), (p.left + dx, y - dy)],
                    INK,
                    axis_pt,
                )?;
            }
        } else {
            self.pen.line(
                vec![(p.left, p.top), (p.left, p.bottom), (p.right, p.bottom)],
                INK,
                axis_pt,
            )?;
        }
        let label_style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top));
        for &t in &l.x_breaks {
            let x = l.x(t);
            self.pen
                .line(vec![(x, p.bottom), (x, p.bottom + tick)], INK, axis_pt)?;
            let label = format!("{t:.*}", l.x_decimals);
            self.pen.text(&label, (x, l.x_tick_label_y), &label_style)?;
        }
        let y_style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Right, VPos::Center));
        let gap = (0.3 * l.em).round() as i32;
        for (v, label) in &l.y_ticks {
            let y = l.y(*v);
            self.pen
                .line(vec![(p.left - tick, y), (p.left, y)], INK, axis_pt)?;
            self.pen.text(label, (p.left - tick - gap, y), &y_style)?;
        }
        Ok(())
    }

    fn draw_titles(&self) -> DrawResult<DB> {
        let l = self.l();
        let p = l.plot;
        let opts = self.scene.opts;
        let centre = |a: i32, b: i32| a + (b - a) / 2;
        let middle = Pos::new(HPos::Center, VPos::Center);
        if let (Some(title), Some(y)) = (&opts.title, l.title_y) {
            let style = self.pen.style(1.2, true, INK, middle);
            self.pen.text(title, (centre(p.left, p.right), y), &style)?;
        }
        let style = self.pen.style(1.0, false, INK, middle);
        self.pen.text(
            &opts.x_title(),
            (centre(p.left, p.right), l.x_title_y),
            &style,
        )?;
        let y_style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Top))
            .transform(FontTransform::Rotate270);
        self.pen.text(
            &opts.y_title(),
            (l.y_title_x, centre(p.top, p.bottom)),
            &y_style,
        )
    }

    fn draw_legend(&self) -> std::result::Result<Option<(Corner, Rect)>, AreaError<DB>> {
        if !self.scene.shows_legend() || self.scene.legend_above {
            return Ok(None);
        }
        let Some((corner, rect, _)) = self.scene.legend_inside() else {
            return Ok(None);
        };
        self.pen.backdrop(rect)?;
        let em = self.l().em;
        let x = (f64::from(rect.left) + LEGEND_PAD * em).round() as i32;
        let mut y = f64::from(rect.top) + LEGEND_PAD * em;
        for (i, lines) in self.scene.legend_entries().0.iter().enumerate() {
            let first = (y + 0.5 * ROW * em).round() as i32;
            self.draw_entry(i, lines, (x, first))?;
            y += entry_height(lines.len()) * em;
        }
        Ok(Some((corner, rect)))
    }

    /// A legend entry: the line sample and the group's name (its lines), starting at `(x, y)`
    /// (the first line's centre).
    fn draw_entry(&self, i: usize, lines: &[String], (x, y): (i32, i32)) -> DrawResult<DB> {
        let em = self.l().em;
        let x1 = x + (LEGEND_SAMPLE * em).round() as i32;
        let series = &self.scene.series[i];
        self.pen.styled_line(
            vec![(x, y), (x1, y)],
            series.line,
            self.scene.opts.page.line_width,
        )?;
        let style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        for (k, line) in lines.iter().enumerate() {
            let at = y + (LINE * em * k as f64).round() as i32;
            self.pen
                .text(line, (x1 + (0.5 * em).round() as i32, at), &style)?;
        }
        Ok(())
    }

    fn draw_notes(&self, legend: Option<(Corner, Rect)>) -> DrawResult<DB> {
        if self.scene.notes_above {
            return Ok(());
        }
        let Some((rect, _)) = self.scene.notes_inside(legend) else {
            return Ok(());
        };
        self.pen.backdrop(rect)?;
        let em = self.l().em;
        let style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        let x = (f64::from(rect.left) + NOTE_PAD * em).round() as i32;
        for (i, line) in self.scene.note_lines().iter().enumerate() {
            let y = (f64::from(rect.top) + (NOTE_PAD + ROW * (i as f64 + 0.5)) * em).round();
            self.pen.text(line, (x, y as i32), &style)?;
        }
        Ok(())
    }

    /// The legend and note rows above the plot, when they could not go inside.
    fn draw_header(&self) -> DrawResult<DB> {
        let em = self.l().em;
        let notes = self.scene.note_lines();
        let style = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        let (rows, start) = self.scene.header_rows();
        let plot_width = f64::from(self.l().plot.right - self.l().plot.left);
        let max = plot_width - (LEGEND_SAMPLE + 0.5) * em;
        let mut top = f64::from(self.l().header_top);
        for (row, height) in &rows {
            let y = (top + 0.5 * ROW * em).round() as i32;
            for &(item, dx) in row {
                let x = start + dx;
                match item {
                    HeaderItem::Entry(i) => {
                        self.draw_entry(i, &self.scene.entry_lines(i, max), (x, y))?
                    }
                    HeaderItem::Note(i) => self.pen.text(&notes[i], (x, y), &style)?,
                }
            }
            top += height * em;
        }
        Ok(())
    }

    /// A group's line sample beside its name under the plot (whose first line's centre is at
    /// `y`): before a heading starting at `x`, which moves right of it (returned), or before a
    /// label ending at `x`.
    fn draw_table_sample(
        &self,
        i: usize,
        row: &layout::TableRow,
        (x, y): (i32, i32),
    ) -> Result<i32, AreaError<DB>> {
        let em = self.l().em;
        let length = (layout::TABLE_SAMPLE * em).round() as i32;
        let room = (layout::table_sample_em(self.scene.opts) * em).round() as i32;
        let start = if row.heading {
            x
        } else {
            let widest = row
                .lines
                .iter()
                .map(|l| layout::text_width(l, em))
                .fold(0.0, f64::max);
            x - widest.round() as i32 - room
        };
        self.pen.styled_line(
            vec![(start, y), (start + length, y)],
            self.scene.series[i].line,
            self.scene.opts.page.line_width,
        )?;
        Ok(if row.heading { x + room } else { x })
    }

    /// The table under the plot: headings, then each row's label and its numbers centred
    /// under the x axis' ticks (the same time-to-pixel mapping).
    fn draw_table(&self) -> DrawResult<DB> {
        let l = self.l();
        let em = l.em;
        let number = self
            .pen
            .style(1.0, false, INK, Pos::new(HPos::Center, VPos::Center));
        for row in &l.table {
            let color = row
                .colour_of
                .map_or(INK, |i| self.scene.series[i].line.color);
            let first = row.y - (0.5 * LINE * em * (row.lines.len() as f64 - 1.0)).round() as i32;
            let (x, pos) = if row.heading {
                (l.margin_x, Pos::new(HPos::Left, VPos::Center))
            } else {
                (l.risk_label_x, Pos::new(HPos::Right, VPos::Center))
            };
            let style = self.pen.style(1.0, row.heading, color, pos);
            let sample = (layout::table_sample_em(self.scene.opts) * em).round() as i32;
            let x = match row.colour_of {
                Some(i) if sample > 0 => self.draw_table_sample(i, row, (x, first))?,
                _ => x,
            };
            for (k, line) in row.lines.iter().enumerate() {
                let y = first + (LINE * em * k as f64).round() as i32;
                self.pen.text(line, (x, y), &style)?;
            }
            if let Some((i, count)) = row.values {
                let steps = &self.scene.series[i].steps;
                for &t in &l.x_breaks {
                    let n = layout::table_value(steps, t, count);
                    self.pen.text(&n.to_string(), (l.x(t), row.y), &number)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_follow_the_pattern_through_corners() {
        // 4 on, 2 off along a 20-pixel line: dashes at 0-4, 6-10, 12-16, 18-20.
        let pieces = dash_pieces(&[(0, 0), (20, 0)], &[4.0, 2.0]);
        assert_eq!(
            pieces,
            [
                vec![(0, 0), (4, 0)],
                vec![(6, 0), (10, 0)],
                vec![(12, 0), (16, 0)],
                vec![(18, 0), (20, 0)]
            ]
        );
        // A step: 3 across, then down; the dash 0-4 turns the corner, the next starts 6
        // along (3 down), the pattern running on.
        let step = dash_pieces(&[(0, 0), (3, 0), (3, 10)], &[4.0, 2.0]);
        assert_eq!(
            step,
            [
                vec![(0, 0), (3, 0), (3, 1)],
                vec![(3, 3), (3, 7)],
                vec![(3, 9), (3, 10)]
            ]
        );
    }

    #[test]
    fn a_band_splits_into_its_two_limits_at_its_right_end() {
        // Upper 0-10 at y 2, then down to the lower limit at y 8 and back.
        let outline = [(0, 5), (0, 2), (10, 2), (10, 8), (0, 8)];
        let [upper, lower] = band_limits(&outline);
        assert_eq!(upper, [(0, 5), (0, 2), (10, 2)]);
        assert_eq!(lower, [(10, 8), (0, 8)]);
        assert_eq!(band_limits(&[]), [Vec::new(), Vec::new()]);
    }
}
