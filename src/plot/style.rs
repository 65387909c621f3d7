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

/// Greyscale dash patterns (dash, gap in line widths): solid, dashed, dotted, long dashes.
const DASHES: [Option<(f64, f64)>; 4] =
    [None, Some((5.0, 2.5)), Some((1.2, 1.8)), Some((10.0, 3.0))];

/// A curve's colour and dash pattern (dash and gap in line widths).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineLook {
    pub color: RGBAColor,
    pub dash: Option<(f64, f64)>,
}

/// How a confidence band is filled: a translucent fill, hatching (lines at 45 degrees, rising
/// or falling), and whether its edges are drawn in the curve's dash.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandLook {
    pub fill: Option<RGBAColor>,
    pub hatch: Option<Hatch>,
    pub edges: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hatch {
    /// Lines rising to the right ("/").
    Rising,
    /// Lines falling to the right ("\").
    Falling,
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
            // Four dashes in black, then the same four in mid grey.
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

/// The colours `palette` gives the first `n` curves, as "#rrggbb" (for a page's colour pickers).
pub fn palette_hex(palette: Palette, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let RGBAColor(r, g, b, _) = line_look(palette, i, None).color;
            format!("#{r:02x}{g:02x}{b:02x}")
        })
        .collect()
}

/// The band of the curve shown `index`-th. In colour a translucent fill of the curve's colour;
/// in greyscale the bands differ by kind, not by colour: a darker fill, rising hatching, a
/// light fill with drawn edges, falling hatching, so two or four overlapping bands stay apart.
pub fn band_look(palette: Palette, index: usize, line: LineLook) -> BandLook {
    let tint = |alpha: f64| {
        let mut c = line.color;
        c.3 = alpha;
        Some(c)
    };
    match palette {
        Palette::OkabeIto => BandLook {
            fill: tint(0.2),
            hatch: None,
            edges: false,
        },
        Palette::Greyscale => match index % 4 {
            0 => BandLook {
                fill: tint(0.22),
                hatch: None,
                edges: false,
            },
            1 => BandLook {
                fill: None,
                hatch: Some(Hatch::Rising),
                edges: true,
            },
            2 => BandLook {
                fill: tint(0.08),
                hatch: None,
                edges: true,
            },
            _ => BandLook {
                fill: None,
                hatch: Some(Hatch::Falling),
                edges: true,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_hex_gives_the_drawn_colours() {
        // Okabe-Ito's blue and vermilion first (OKABE_ITO above); greyscale's fifth curve is the
        // first dash again in mid grey.
        assert_eq!(palette_hex(Palette::OkabeIto, 2), ["#0072b2", "#d55e00"]);
        let grey = palette_hex(Palette::Greyscale, 5);
        assert_eq!((grey[0].as_str(), grey[4].as_str()), ("#000000", "#808080"));
    }
}
