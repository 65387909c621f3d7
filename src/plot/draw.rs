//! The drawing itself, over any plotters backend: bands, medians, axes, curves, censor marks, legend, annotation, numbers at risk.

use plotters::coord::Shift;
use plotters::element::{DashedPathElement, PathElement, Polygon, Rectangle, Text};
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, TextStyle};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform, RGBAColor, ShapeStyle};

use super::geometry::{self, DataPoint};
use super::layout::{self, Corner, Layout, Rect, Segment};
use super::{LegendPosition, Palette, PlotGroup, PlotOptions};

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
            let grey = if (index / DASHES.len()).is_multiple_of(2) {
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

pub type AreaError<DB> = plotters::drawing::DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;
type DrawResult<DB> = std::result::Result<(), AreaError<DB>>;

/// One figure being drawn.
pub struct Figure<'a, DB: DrawingBackend> {
    root: &'a DrawingArea<DB, Shift>,
    groups: &'a [PlotGroup],
    opts: &'a PlotOptions,
    layout: Layout,
    font_scale: f64,
    /// One per group, in pixels, computed once: drawing and box placement both use them.
    shapes: Vec<Shapes>,
}

/// A group's curve, censor marks and band outlines in pixels.
struct Shapes {
    curve: Vec<(i32, i32)>,
    marks: Vec<(i32, i32)>,
    bands: Vec<Vec<(i32, i32)>>,
}

impl Shapes {
    fn new(group: &PlotGroup, opts: &PlotOptions, layout: &Layout) -> Shapes {
        let px = |(t, v): DataPoint| (layout.x(t), layout.y(opts.value(v)));
        let curve = layout::simplify(
            geometry::step_path(&group.steps, layout.x_max)
                .into_iter()
                .map(px),
        );
        let mut marks = Vec::new();
        if opts.censor_marks {
            // Marks on the same pixel are drawn once: a monotone curve passes through at
            // most width + height pixels, however many censorings it has.
            marks = geometry::censor_marks(&group.steps, layout.x_max)
                .into_iter()
                .map(px)
                .collect();
            marks.dedup();
        }
        let bands = if opts.conf_bands {
            geometry::band_outlines(&group.steps, layout.x_max)
                .into_iter()
                .map(|outline| layout::simplify(outline.into_iter().map(px)))
                .collect()
        } else {
            Vec::new()
        };
        Shapes {
            curve,
            marks,
            bands,
        }
    }
}

impl<'a, DB: DrawingBackend> Figure<'a, DB> {
    pub fn new(
        root: &'a DrawingArea<DB, Shift>,
        groups: &'a [PlotGroup],
        opts: &'a PlotOptions,
        layout: Layout,
        font_scale: f64,
    ) -> Self {
        let shapes = groups
            .iter()
            .map(|g| Shapes::new(g, opts, &layout))
            .collect();
        Figure {
            root,
            groups,
            opts,
            layout,
            font_scale,
            shapes,
        }
    }

    pub fn draw(&self) -> DrawResult<DB> {
        self.root.fill(&RGBAColor(255, 255, 255, 1.0))?;
        if self.opts.conf_bands {
            self.draw_bands()?;
        }
        if self.opts.median_lines {
            self.draw_medians()?;
        }
        // Axes first, so a curve lying on 0 stays visible over the axis line.
        self.draw_axes()?;
        self.draw_curves()?;
        self.draw_titles()?;
        let legend = self.draw_legend()?;
        self.draw_annotation(legend)?;
        if self.opts.risk_table {
            self.draw_risk_table()?;
        }
        Ok(())
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
        for (i, shapes) in self.shapes.iter().enumerate() {
            let mut fill = line_look(self.opts.palette, i).color;
            fill.3 = match self.opts.palette {
                Palette::OkabeIto => 0.2,
                Palette::Greyscale => 0.12,
            };
            for outline in &shapes.bands {
                self.root
                    .draw(&Polygon::new(outline.clone(), fill.filled()))?;
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

    fn draw_curves(&self) -> DrawResult<DB> {
        for (i, shapes) in self.shapes.iter().enumerate() {
            let look = line_look(self.opts.palette, i);
            self.styled_line(shapes.curve.clone(), look)?;
            for &mark in &shapes.marks {
                self.draw_plus(mark, look.color)?;
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
        let arm = (0.3 * self.layout.em).round() as i32;
        let mut segments = Vec::new();
        for shapes in &self.shapes {
            let outlines = std::iter::once(&shapes.curve).chain(&shapes.bands);
            segments.extend(outlines.flat_map(|p| p.windows(2).map(|w| (w[0], w[1]))));
            segments.extend(
                shapes
                    .marks
                    .iter()
                    .map(|&(x, y)| ((x, y - arm), (x, y + arm))),
            );
        }
        if self.opts.median_lines {
            segments.extend(self.median_segments());
        }
        segments
    }

    /// Draws the legend and returns the corner and box it took.
    fn draw_legend(&self) -> std::result::Result<Option<(Corner, Rect)>, AreaError<DB>> {
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
        let candidates: Vec<(Corner, Rect)> = layout::legend_corners(self.opts)
            .into_iter()
            .map(|c| (c, self.layout.in_corner(c, size)))
            .collect();
        let rects: Vec<Rect> = candidates.iter().map(|&(_, r)| r).collect();
        let Some(rect) = layout::least_covered(&self.layout, &rects, &self.obstacles()) else {
            return Ok(None);
        };
        let corner = candidates
            .iter()
            .find(|&&(_, r)| r == rect)
            .map_or(Corner::TopRight, |&(c, _)| c);
        self.backdrop(rect)?;
        let style = self.text_style(1.0, false, INK, Pos::new(HPos::Left, VPos::Center));
        for (i, group) in self.groups.iter().enumerate() {
            let y = (f64::from(rect.top) + pad + row * (i as f64 + 0.5)).round() as i32;
            let x0 = (f64::from(rect.left) + pad).round() as i32;
            let x1 = x0 + sample.round() as i32;
            self.styled_line(vec![(x0, y), (x1, y)], line_look(self.opts.palette, i))?;
            self.text(&group.name, (x1 + (0.5 * em).round() as i32, y), &style)?;
        }
        Ok(Some((corner, rect)))
    }

    /// A translucent white box, so text stays readable over a band or grid.
    fn backdrop(&self, r: Rect) -> DrawResult<DB> {
        self.root.draw(&Rectangle::new(
            [(r.left, r.top), (r.right, r.bottom)],
            RGBAColor(255, 255, 255, 0.85).filled(),
        ))
    }

    fn draw_annotation(&self, legend: Option<(Corner, Rect)>) -> DrawResult<DB> {
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
        // A corner holding the legend can still take the annotation beside it.
        let candidates: Vec<Rect> = layout::annotation_corners(self.opts)
            .into_iter()
            .map(|c| match legend {
                Some((taken, legend_box)) if taken == c => self.layout.next_to(c, size, legend_box),
                _ => self.layout.in_corner(c, size),
            })
            .collect();
        let Some(rect) = layout::least_covered(&self.layout, &candidates, &self.obstacles()) else {
            return Ok(());
        };
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
        self.text("Number at risk", (l.margin_x, heading_y), &heading)?;
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
