//! Where everything of a Kaplan-Meier figure goes before anything is drawn: curves, bands and censor marks in pixels, the legend's and the notes' boxes, the rows above the plot.
//!
//! Placement needs no backend, so the figure's size (which grows with a legend above the plot)
//! is known before a canvas is made.

use super::geometry::{self, DataPoint};
use super::layout::{self, Corner, Layout, Rect, Segment, LINE};
use super::series::Series;
use super::{CensorStyle, CurveKind, LegendPosition, PlotOptions, PlotStep};

/// Legend and note metrics, in ems: row height, padding, line sample length.
pub const ROW: f64 = 1.35;
pub const LEGEND_PAD: f64 = 0.4;
pub const LEGEND_SAMPLE: f64 = 2.4;
pub const NOTE_PAD: f64 = 0.3;

/// Something in the rows above the plot: a group's legend entry or a note line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HeaderItem {
    Entry(usize),
    Note(usize),
}

/// A row above the plot: its items with their x offsets, and its height in ems.
pub type HeaderRow = (Vec<(HeaderItem, i32)>, f64);

/// A group's curve, censor marks and band outlines in pixels.
pub struct Shapes {
    /// The curve, in pieces where the y range cuts it.
    pub curve: Vec<Vec<(i32, i32)>>,
    /// The comparison curve, cut the same way (empty without one).
    pub comparison: Vec<Vec<(i32, i32)>>,
    /// Censor marks on the curve, or rug ticks' x (with the strip's y) when `rug`.
    pub marks: Vec<(i32, i32)>,
    pub bands: Vec<Vec<(i32, i32)>>,
}

/// A figure placed: layout, shapes, and whether the legend and notes go above the plot.
pub struct Scene<'a> {
    pub series: &'a [Series<'a>],
    pub opts: &'a PlotOptions,
    pub layout: Layout,
    pub shapes: Vec<Shapes>,
    /// Marks as ticks along the bottom rather than on the curves.
    pub rug: bool,
    /// Whether some censor marks were left out because they would overlap.
    pub thinned: bool,
    pub legend_above: bool,
    pub notes_above: bool,
}

/// The steps the pixels can show: of those in one pixel column only the last, since the curve
/// is a vertical run there (the same picture, and a million steps cost a few thousand); past
/// `x_max` only the first, where the curve is cut.
fn visible_steps(steps: &[PlotStep], layout: &Layout) -> Vec<PlotStep> {
    let shown = steps.partition_point(|s| s.time <= layout.x_max);
    let mut visible: Vec<PlotStep> = Vec::new();
    for (i, step) in steps[..shown].iter().enumerate() {
        let next_column = steps[..shown].get(i + 1).map(|next| layout.x(next.time));
        if next_column != Some(layout.x(step.time)) {
            visible.push(step.clone());
        }
    }
    visible.extend(steps.get(shown).cloned());
    visible
}

/// A path of horizontal and vertical segments cut to the rows `top..=bottom`: the pieces
/// inside, a vertical segment shortened where it crosses the edge.
pub fn clip_rows(path: &[(i32, i32)], top: i32, bottom: i32) -> Vec<Vec<(i32, i32)>> {
    let inside = |y: i32| (top..=bottom).contains(&y);
    let mut pieces: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut current: Vec<(i32, i32)> = Vec::new();
    let mut flush = |current: &mut Vec<(i32, i32)>| {
        if current.len() >= 2 {
            pieces.push(std::mem::take(current));
        }
        current.clear();
    };
    let push = |current: &mut Vec<(i32, i32)>, p: (i32, i32)| {
        if current.last() != Some(&p) {
            current.push(p);
        }
    };
    if path.len() == 1 && inside(path[0].1) {
        return vec![path.to_vec()];
    }
    for w in path.windows(2) {
        let (a, b) = (w[0], w[1]);
        let both_above = a.1 < top && b.1 < top;
        let both_below = a.1 > bottom && b.1 > bottom;
        if both_above || both_below {
            flush(&mut current);
            continue;
        }
        let ca = (a.0, a.1.clamp(top, bottom));
        let cb = (b.0, b.1.clamp(top, bottom));
        if !inside(a.1) {
            flush(&mut current);
        }
        push(&mut current, ca);
        push(&mut current, cb);
        if !inside(b.1) {
            flush(&mut current);
        }
    }
    flush(&mut current);
    pieces
}

/// Marks closer than `gap` pixels (in both directions) to the last one kept are left out.
fn thin(marks: &[(i32, i32)], gap: i32) -> Vec<(i32, i32)> {
    let mut kept: Vec<(i32, i32)> = Vec::new();
    for &m in marks {
        let far = kept
            .last()
            .is_none_or(|k| (m.0 - k.0).abs() >= gap || (m.1 - k.1).abs() >= gap);
        if far {
            kept.push(m);
        }
    }
    kept
}

impl Shapes {
    fn new(
        series: &Series,
        index: usize,
        opts: &PlotOptions,
        layout: &Layout,
        rug: bool,
    ) -> Shapes {
        let px = |(t, v): DataPoint| (layout.x(t), layout.y(opts.value(v)));
        // The curve's value at time 0, as the steps write it: S(0) = 1, or a given incidence 0.
        let start_step = if opts.curve == CurveKind::Cif {
            0.0
        } else {
            1.0
        };
        let (top, bottom) = (layout.plot.top, layout.plot.bottom);
        let pieces = |steps: &[PlotStep]| {
            let path = layout::simplify(
                geometry::step_path(&visible_steps(steps, layout), layout.x_max, start_step)
                    .into_iter()
                    .map(px),
            );
            clip_rows(&path, top, bottom)
        };
        let visible = visible_steps(&series.steps, layout);
        let curve = pieces(&series.steps);
        let comparison = series.comparison.as_deref().map_or_else(Vec::new, pieces);
        let mut marks = Vec::new();
        if opts.censor_marks {
            // Marks on the same pixel are drawn once: a monotone curve passes through at
            // most width + height pixels, however many censorings it has.
            marks = geometry::censor_marks(&series.steps, layout.x_max)
                .into_iter()
                .map(px)
                .collect();
            marks.dedup();
            if rug {
                let y = rug_row(layout, index);
                marks = marks.into_iter().map(|(x, _)| (x, y)).collect();
                marks.dedup();
            } else {
                marks.retain(|&(_, y)| (top..=bottom).contains(&y));
            }
        }
        let bands = if opts.conf_bands {
            geometry::band_outlines(&visible, layout.x_max, start_step)
                .into_iter()
                .map(|outline| {
                    // Bands are made of horizontal and vertical edges, so moving the points
                    // beyond the range onto its edge cuts the band there exactly.
                    layout::simplify(
                        outline
                            .into_iter()
                            .map(px)
                            .map(|(x, y)| (x, y.clamp(top, bottom))),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        Shapes {
            curve,
            comparison,
            marks,
            bands,
        }
    }
}

/// The half-length of a censor mark's arm, in pixels.
pub fn mark_arm(layout: &Layout) -> i32 {
    (0.3 * layout.em).round().max(2.0) as i32
}

/// The bottom end of the rug ticks of the group shown `index`-th: strips stacked up from the
/// x axis, one per group.
pub fn rug_row(layout: &Layout, index: usize) -> i32 {
    let lane = 0.6 * layout.em;
    layout.plot.bottom - (0.15 * layout.em + lane * index as f64).round() as i32
}

impl<'a> Scene<'a> {
    pub fn new(series: &'a [Series<'a>], opts: &'a PlotOptions, layout: Layout) -> Scene<'a> {
        let rug = opts.censor_style == CensorStyle::Rug;
        let mut shapes: Vec<Shapes> = series
            .iter()
            .enumerate()
            .map(|(i, s)| Shapes::new(s, i, opts, &layout, rug))
            .collect();
        let mut thinned = false;
        if !rug {
            let arm = mark_arm(&layout);
            let overlapping = |marks: &[(i32, i32)]| {
                marks
                    .windows(2)
                    .filter(|w| (w[1].0 - w[0].0).abs() < arm && (w[1].1 - w[0].1).abs() < arm)
                    .count()
            };
            let thin_them = match opts.censor_style {
                CensorStyle::Thinned => true,
                CensorStyle::Auto => shapes
                    .iter()
                    .any(|s| 4 * overlapping(&s.marks) > s.marks.len()),
                CensorStyle::Every | CensorStyle::Rug => false,
            };
            if thin_them {
                for s in &mut shapes {
                    let kept = thin(&s.marks, 2 * arm);
                    thinned |= kept.len() < s.marks.len();
                    s.marks = kept;
                }
            }
        }
        Scene {
            series,
            opts,
            layout,
            shapes,
            rug,
            thinned,
            legend_above: false,
            notes_above: false,
        }
    }

    /// The medians that can be shown: survival curves, a 50% level within the y range.
    pub fn medians(&self) -> Vec<f64> {
        if self.opts.curve == CurveKind::Cif
            || !(self.layout.y_min..=self.layout.y_max).contains(&0.5)
        {
            return Vec::new();
        }
        self.series
            .iter()
            .filter_map(|s| s.median)
            .filter(|&m| m <= self.layout.x_max)
            .collect()
    }

    pub fn median_segments(&self) -> Vec<Segment> {
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

    /// Segments a box in the plot should not hide: curves, bands' edges, marks, median lines.
    fn obstacles(&self) -> Vec<Segment> {
        let arm = mark_arm(&self.layout);
        let rug_tick = self.rug_tick();
        let mut segments = Vec::new();
        for shapes in &self.shapes {
            let outlines = shapes.curve.iter().chain(&shapes.bands);
            segments.extend(outlines.flat_map(|p| p.windows(2).map(|w| (w[0], w[1]))));
            segments.extend(shapes.marks.iter().map(|&(x, y)| {
                if self.rug {
                    ((x, y - rug_tick), (x, y))
                } else {
                    ((x, y - arm), (x, y + arm))
                }
            }));
        }
        if self.opts.median_lines {
            segments.extend(self.median_segments());
        }
        segments
    }

    /// The rug ticks' length in pixels.
    pub fn rug_tick(&self) -> i32 {
        (0.45 * self.layout.em).round() as i32
    }

    pub fn shows_legend(&self) -> bool {
        self.opts.legend != LegendPosition::None && self.series.len() >= 2
    }

    /// The notes' lines (test, hazard ratio, free text): inside the plot, or across the rows
    /// above it when they go there.
    pub fn note_lines(&self) -> Vec<String> {
        if self.notes_above {
            self.notes_across().into_iter().map(|(l, _)| l).collect()
        } else {
            self.notes_in_plot().0
        }
    }

    /// The notes wrapped inside the plot: within three quarters of its width, else across it
    /// (less the box's inset and padding), whichever holds each note to two lines; and whether
    /// every note got two lines or fewer.
    fn notes_in_plot(&self) -> (Vec<String>, bool) {
        let em = self.layout.em;
        let plot_width = f64::from(self.layout.plot.right - self.layout.plot.left);
        let widths = [
            0.75 * plot_width,
            plot_width - 2.0 * (layout::CORNER_INSET + NOTE_PAD) * em,
        ];
        let mut lines = Vec::new();
        let mut short = true;
        for (glued, loose) in self.notes() {
            let (wrapped, at) = self.wrap_note(&glued, &loose, &widths);
            short &= at.is_some();
            lines.extend(wrapped);
        }
        (lines, short)
    }

    /// The notes wrapped in the rows above the plot, each line with its x: from the plot's
    /// left edge, or from the figure's margin when that holds a note to two lines.
    fn notes_across(&self) -> Vec<(String, i32)> {
        let plot = self.layout.plot;
        let margin = self.layout.margin_x;
        let right = plot.right.max(self.layout.width - margin);
        let starts = [plot.left, margin];
        let widths = starts.map(|x| f64::from(right - x));
        let mut lines = Vec::new();
        for (glued, loose) in self.notes() {
            let (wrapped, at) = self.wrap_note(&glued, &loose, &widths);
            let x = starts[at.unwrap_or(0)];
            lines.extend(wrapped.into_iter().map(|l| (l, x)));
        }
        lines
    }

    /// The notes as (group names held whole, as written) pairs.
    fn notes(&self) -> Vec<(String, String)> {
        self.opts
            .notes_held(true)
            .into_iter()
            .zip(self.opts.notes())
            .collect()
    }

    /// A note wrapped in two lines at the first of `widths` (pixels) that allows it, its group
    /// names whole where any width allows that (`glued`), else broken between words (`loose`);
    /// with the index of that width. When no width gives two lines, `loose` at the first.
    fn wrap_note(&self, glued: &str, loose: &str, widths: &[f64]) -> (Vec<String>, Option<usize>) {
        let em = self.layout.em;
        for text in [glued, loose] {
            for (k, &max) in widths.iter().enumerate() {
                let lines = layout::wrap(text, max, em);
                if lines.len() <= 2 && lines.iter().all(|l| layout::text_width(l, em) <= max) {
                    return (lines, Some(k));
                }
            }
        }
        (layout::wrap(loose, widths[0], em), None)
    }

    /// A legend entry's name in lines no wider than `max` pixels.
    pub fn entry_lines(&self, i: usize, max: f64) -> Vec<String> {
        layout::wrap(&self.series[i].name, max, self.layout.em)
    }

    /// The widest a legend name may be inside the plot.
    fn inside_name_max(&self) -> f64 {
        0.45 * f64::from(self.layout.plot.right - self.layout.plot.left)
    }

    /// The legend inside the plot: each entry's lines, and the box's size.
    pub fn legend_entries(&self) -> (Vec<Vec<String>>, (i32, i32)) {
        let em = self.layout.em;
        let entries: Vec<Vec<String>> = (0..self.series.len())
            .map(|i| self.entry_lines(i, self.inside_name_max()))
            .collect();
        let names_width = entries
            .iter()
            .flatten()
            .map(|l| layout::text_width(l, em))
            .fold(0.0, f64::max);
        let rows: f64 = entries.iter().map(|e| entry_height(e.len())).sum();
        let size = (
            ((2.0 * LEGEND_PAD + LEGEND_SAMPLE + 0.5) * em + names_width).round() as i32,
            ((2.0 * LEGEND_PAD + rows) * em).round() as i32,
        );
        (entries, size)
    }

    /// The legend's best corner inside the plot, its box and how much it would hide.
    pub fn legend_inside(&self) -> Option<(Corner, Rect, f64)> {
        let size = self.legend_entries().1;
        let candidates: Vec<(Corner, Rect)> = layout::legend_corners(self.opts)
            .into_iter()
            .map(|c| (c, self.layout.in_corner(c, size)))
            .collect();
        let rects: Vec<Rect> = candidates.iter().map(|&(_, r)| r).collect();
        let (rect, covered) = layout::least_covered(&self.layout, &rects, &self.obstacles())?;
        let corner = candidates.iter().find(|&&(_, r)| r == rect)?.0;
        Some((corner, rect, covered))
    }

    /// The notes' best box inside the plot (beside the legend when they share a corner) and
    /// how much it would hide.
    pub fn notes_inside(&self, legend: Option<(Corner, Rect)>) -> Option<(Rect, f64)> {
        let lines = self.note_lines();
        if lines.is_empty() {
            return None;
        }
        let em = self.layout.em;
        let width = lines
            .iter()
            .map(|l| layout::text_width(l, em))
            .fold(0.0, f64::max);
        let size = (
            (width + 2.0 * NOTE_PAD * em).round() as i32,
            ((ROW * lines.len() as f64 + 2.0 * NOTE_PAD) * em).round() as i32,
        );
        let candidates: Vec<Rect> = layout::annotation_corners(self.opts)
            .into_iter()
            .map(|c| match legend {
                Some((taken, legend_box)) if taken == c => self.layout.next_to(c, size, legend_box),
                _ => self.layout.in_corner(c, size),
            })
            .collect();
        layout::least_covered(&self.layout, &candidates, &self.obstacles())
    }

    /// Whether the legend and the notes go above the plot: when asked, or when every corner
    /// inside would hide part of a curve.
    pub fn above_plot(&self) -> (bool, bool) {
        let hides = |covered: f64| covered > self.layout.em;
        let inside = if self.shows_legend() {
            self.legend_inside()
        } else {
            None
        };
        let legend_above = self.shows_legend()
            && match self.opts.legend {
                LegendPosition::Top => true,
                LegendPosition::Auto => inside.is_none_or(|(_, _, covered)| hides(covered)),
                _ => false,
            };
        let legend_box = inside.filter(|_| !legend_above).map(|(c, r, _)| (c, r));
        // A note that takes over two lines inside the plot gets the figure's width above it.
        let notes_above = !self.notes_in_plot().1
            || self
                .notes_inside(legend_box)
                .is_some_and(|(_, covered)| hides(covered));
        (legend_above, notes_above)
    }

    /// What goes above the plot, flowed into rows, and where the rows start: over the plot
    /// when they fit its width in as few rows as the whole figure's width would take.
    pub fn header_rows(&self) -> (Vec<HeaderRow>, i32) {
        let em = self.layout.em;
        let plot = self.layout.plot;
        let plot_width = f64::from(plot.right - plot.left);
        let mut items: Vec<((HeaderItem, usize), f64)> = Vec::new();
        if self.legend_above {
            let max = plot_width - (LEGEND_SAMPLE + 0.5) * em;
            items.extend((0..self.series.len()).map(|i| {
                let lines = self.entry_lines(i, max);
                let width = lines
                    .iter()
                    .map(|l| layout::text_width(l, em))
                    .fold(0.0, f64::max);
                (
                    (HeaderItem::Entry(i), lines.len()),
                    (LEGEND_SAMPLE + 0.5) * em + width,
                )
            }));
        }
        let gap = 1.2 * em;
        let over_plot = layout::flow(&items, plot_width, gap);
        let margin = self.layout.margin_x;
        let full_width = f64::from(plot.right.max(self.layout.width - margin) - margin);
        let across = layout::flow(&items, full_width, gap);
        let (flowed, start) = if across.len() < over_plot.len() {
            (across, margin)
        } else {
            (over_plot, plot.left)
        };
        let mut rows: Vec<HeaderRow> = flowed
            .into_iter()
            .map(|row| {
                let lines = row.iter().map(|&((_, n), _)| n).max().unwrap_or(1);
                let items = row.into_iter().map(|((item, _), dx)| (item, dx)).collect();
                (items, entry_height(lines))
            })
            .collect();
        if self.notes_above {
            let notes = self.notes_across();
            rows.extend(
                notes
                    .iter()
                    .enumerate()
                    .map(|(i, &(_, x))| (vec![(HeaderItem::Note(i), x - start)], ROW)),
            );
        }
        (rows, start)
    }

    /// The height of the rows above the plot, in ems (with a gap under them).
    pub fn header_em(&self) -> f64 {
        let rows = self.header_rows().0;
        if rows.is_empty() {
            0.0
        } else {
            rows.iter().map(|(_, h)| h).sum::<f64>() + 0.4
        }
    }
}

/// The height of a legend entry of `lines` lines, in ems.
pub fn entry_height(lines: usize) -> f64 {
    ROW + LINE * (lines.max(1) as f64 - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_cut_to_the_rows() {
        // A step curve from 10 down to 60 and on; rows 0..=40 shown.
        let path = [(0, 10), (5, 10), (5, 30), (8, 30), (8, 60), (12, 60)];
        assert_eq!(
            clip_rows(&path, 0, 40),
            vec![vec![(0, 10), (5, 10), (5, 30), (8, 30), (8, 40)]]
        );
        // Leaving above and coming back: two pieces.
        let path = [(0, 10), (2, 10), (2, -5), (4, -5), (4, 20), (6, 20)];
        assert_eq!(
            clip_rows(&path, 0, 40),
            vec![
                vec![(0, 10), (2, 10), (2, 0)],
                vec![(4, 0), (4, 20), (6, 20)]
            ]
        );
    }

    #[test]
    fn thinning_keeps_marks_a_mark_apart() {
        let marks = [(0, 0), (1, 0), (3, 1), (4, 1), (8, 2)];
        assert_eq!(thin(&marks, 3), vec![(0, 0), (3, 1), (8, 2)]);
    }
}
