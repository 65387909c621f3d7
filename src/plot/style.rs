//! Colours, dashes and band fills of the curves: the palettes, custom colours, and bands that stay distinguishable in greyscale.

use plotters::style::RGBAColor;

use super::options::parse_colour;
use super::Palette;

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

pub const INK: RGBAColor = RGBAColor(0, 0, 0, 1.0);
pub const MUTED: RGBAColor = RGBAColor(0x59, 0x59, 0x59, 1.0);
pub const WHITE: RGBAColor = RGBAColor(255, 255, 255, 1.0);

/// Greyscale line patterns: solid, long dash, short dash, dot, dash-dot, long-dash-dot, as
/// on/off lengths in points for a 1-pt line (wider lines scale them, see [`dash_scale`]).
/// Each differs from every other by at least 1.5 pt in its longest or shortest dash, or in
/// its rhythm (one or two dashes a period), so six groups are told apart at print size in an
/// 85-mm column, where 1.5 pt is half a millimetre.
pub const DASHES: [Option<&[f64]>; 6] = [
    None,
    Some(&[8.0, 3.0]),
    Some(&[3.5, 2.5]),
    Some(&[1.0, 2.0]),
    Some(&[4.5, 2.5, 1.0, 2.5]),
    Some(&[10.0, 2.5, 1.0, 2.5]),
];

/// The dashed lines of the proportional-hazards plot: R's `lty = 2` and a dotted line.
pub const DASHED: &[f64] = &[4.0, 2.0];
pub const DOTTED: &[f64] = &[1.0, 1.5];

/// How much a pattern's lengths grow for a line `width_pt` wide: with the width, so a thick
/// line's gaps stay open, but never below the 1-pt pattern, so a thin line (a band's limit)
/// keeps the rhythm of its curve.
pub fn dash_scale(width_pt: f64) -> f64 {
    width_pt.max(1.0)
}

/// A curve's colour and dash pattern (on/off lengths in points at a 1-pt line).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineLook {
    pub color: RGBAColor,
    pub dash: Option<&'static [f64]>,
}

/// How a confidence band is drawn: a translucent fill, hatching (lines rising at 45 degrees),
/// its edges drawn in the curve's dash, or only its two limits as thin lines in the curve's
/// pattern (`limits`, the band's polygon left unfilled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandLook {
    pub fill: Option<RGBAColor>,
    pub hatch: bool,
    pub edges: bool,
    pub limits: bool,
}

/// The look of the curve shown `index`-th, with an optional custom "#RRGGBB" colour.
pub fn line_look(palette: Palette, index: usize, custom: Option<&str>) -> LineLook {
    let custom = custom.and_then(parse_colour);
    match palette {
        Palette::OkabeIto => {
            let (r, g, b) = custom.unwrap_or(OKABE_ITO[index % OKABE_ITO.len()]);
            LineLook {
                color: RGBAColor(r, g, b, 1.0),
                dash: None,
            }
        }
        Palette::Greyscale => {
            // Six patterns in black, then the same six in mid grey.
            let grey = if (index / DASHES.len()).is_multiple_of(2) {
                0
            } else {
                0x80
            };
            let (r, g, b) = custom.unwrap_or((grey, grey, grey));
            LineLook {
                color: RGBAColor(r, g, b, 1.0),
                dash: DASHES[index % DASHES.len()],
            }
        }
    }
}

/// A comparison curve's pattern: dash-dot-dot, three marks a period, a rhythm none of the
/// greyscale [`DASHES`] has, so a level's two curves differ by the pattern in any palette.
pub const COMPARISON_DASH: &[f64] = &[6.0, 2.0, 1.0, 2.0, 1.0, 2.0];

/// A comparison curve's look: its group's colour in [`COMPARISON_DASH`].
pub fn comparison_look(line: LineLook) -> LineLook {
    LineLook {
        color: line.color,
        dash: Some(COMPARISON_DASH),
    }
}

/// The colours `palette` gives the first `n` curves, as "#rrggbb" (for a page's colour pickers).
pub fn palette_hex(palette: Palette, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let RGBAColor(r, g, b, _) = line_look(palette, i, None).color;
            format!("#{r:02x}{g:02x}{b:02x}")
        })
        .collect()
}

/// Greyscale draws bands as their limits when there are more groups than this.
pub const LIMITS_ABOVE: usize = 2;

const NO_BAND: BandLook = BandLook {
    fill: None,
    hatch: false,
    edges: false,
    limits: false,
};

/// The grey of a band's limit lines, lighter than any curve's black.
pub const LIMIT_GREY: RGBAColor = RGBAColor(0x70, 0x70, 0x70, 1.0);

/// The band of the curve shown `index`-th of `groups`. In colour a translucent fill of the
/// curve's colour. In greyscale, with one or two groups, a grey fill and rising hatching with
/// drawn edges; with more, where overlapping hatches and fills become unreadable, each band
/// is only its two limits, thin grey lines in the curve's own pattern (as R's `plot.survfit`
/// draws confidence limits), so nothing is filled and no band hides another.
pub fn band_look(palette: Palette, index: usize, groups: usize, line: LineLook) -> BandLook {
    let tint = |alpha: f64| {
        let mut c = line.color;
        c.3 = alpha;
        Some(c)
    };
    match palette {
        Palette::OkabeIto => BandLook {
            fill: tint(0.2),
            ..NO_BAND
        },
        Palette::Greyscale if groups > LIMITS_ABOVE => BandLook {
            limits: true,
            ..NO_BAND
        },
        Palette::Greyscale if index == 0 => BandLook {
            fill: tint(0.22),
            ..NO_BAND
        },
        Palette::Greyscale => BandLook {
            hatch: true,
            edges: true,
            ..NO_BAND
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_hex_gives_the_drawn_colours() {
        // Okabe-Ito's blue and vermilion first (OKABE_ITO above); greyscale's
        // seventh curve is the first pattern again in mid grey.
        assert_eq!(palette_hex(Palette::OkabeIto, 2), ["#0072b2", "#d55e00"]);
        let grey = palette_hex(Palette::Greyscale, 7);
        assert_eq!((grey[5].as_str(), grey[6].as_str()), ("#000000", "#808080"));
    }
}
