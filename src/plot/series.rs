//! The groups as the reader sees them: in the chosen order, under their labels, in the displayed time unit, with their looks.

use std::borrow::Cow;

use super::geometry;
use super::style::{band_look, line_look, BandLook, LineLook};
use super::{CurveKind, PlotGroup, PlotOptions, PlotStep};

/// One curve ready to draw.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// The name shown.
    pub name: String,
    /// Steps with times in the displayed unit.
    pub steps: Cow<'a, [PlotStep]>,
    /// The median survival time in the displayed unit (survival curves only).
    pub median: Option<f64>,
    /// The level's comparison curve (`PlotOptions::comparison`), times in the displayed unit.
    pub comparison: Option<Vec<PlotStep>>,
    pub line: LineLook,
    pub band: BandLook,
}

/// The groups in display order: those named in `order` first, in its order, then the rest as
/// given; each under its label, with times multiplied by the unit conversion `factor`.
pub fn prepare<'a>(groups: &'a [PlotGroup], opts: &PlotOptions, factor: f64) -> Vec<Series<'a>> {
    let mut indices: Vec<usize> = Vec::with_capacity(groups.len());
    for level in &opts.order {
        if let Some(i) = groups.iter().position(|g| &g.name == level) {
            if !indices.contains(&i) {
                indices.push(i);
            }
        }
    }
    let count = groups.len();
    let rest: Vec<usize> = (0..groups.len()).filter(|i| !indices.contains(i)).collect();
    indices.extend(rest);
    indices
        .into_iter()
        .enumerate()
        .map(|(shown, i)| {
            let group = &groups[i];
            let steps: Cow<'a, [PlotStep]> = if factor == 1.0 {
                Cow::Borrowed(&group.steps)
            } else {
                Cow::Owned(
                    group
                        .steps
                        .iter()
                        .map(|s| PlotStep {
                            time: s.time * factor,
                            ..s.clone()
                        })
                        .collect(),
                )
            };
            let median = match opts.curve {
                CurveKind::Cif => None,
                _ => group
                    .median
                    .map(|m| m * factor)
                    .or_else(|| geometry::median(&steps)),
            };
            let comparison = opts.comparison.get(&group.name).map(|steps| {
                steps
                    .iter()
                    .map(|s| PlotStep {
                        time: s.time * factor,
                        ..s.clone()
                    })
                    .collect()
            });
            let custom = opts.colors.get(&group.name).map(String::as_str);
            let line = line_look(opts.palette, shown, custom);
            Series {
                name: super::draw::printable(opts.label(&group.name)),
                steps,
                median,
                comparison,
                line,
                band: band_look(opts.palette, shown, count, line),
            }
        })
        .collect()
}
