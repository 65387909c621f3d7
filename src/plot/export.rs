//! Figures in the formats journals ask for, from the figure's SVG: PDF (vector, fonts embedded), TIFF (LZW) and PNG, each with its physical size.
//!
//! Text is set in Liberation Sans (SIL Open Font License, `fonts/LICENSE-OFL.txt`), bundled so
//! nothing is fetched at run time; its widths are Arial's and Helvetica's, which the layout
//! assumes, so the exported figure is the drawn one.

use std::io::Cursor;
use std::sync::Arc;

use resvg::usvg;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const REGULAR: &[u8] = include_bytes!("fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("fonts/LiberationSans-Bold.ttf");

/// usvg reads lengths in millimetres at this many pixels per inch (CSS pixels).
const CSS_DPI: f32 = 96.0;

/// Rasters larger than this a side are refused (180 mm at 1200 dpi is about 8500).
const MAX_SIDE_PX: f64 = 12000.0;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Svg,
    Pdf,
    #[serde(alias = "tif")]
    Tiff,
    Png,
}

impl Format {
    /// The format a file name's extension names.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        serde_json::from_value(serde_json::Value::String(ext)).ok()
    }
}

/// The figure's SVG (from [`super::km_svg`] or another figure) as `format` bytes; rasters at
/// `dpi` pixels per inch of the SVG's physical size.
pub fn export(svg: &str, format: Format, dpi: f64) -> Result<Vec<u8>> {
    match format {
        Format::Svg => Ok(svg.as_bytes().to_vec()),
        Format::Pdf => svg_to_pdf(svg),
        Format::Tiff => svg_to_tiff(svg, dpi),
        Format::Png => svg_to_png(svg, dpi),
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    Error::usage(format!("the figure could not be made into {what}: {e}"))
}

/// The SVG parsed with the bundled fonts; every family falls back to Liberation Sans.
fn tree(svg: &str) -> Result<usvg::Tree> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    fonts.set_sans_serif_family("Liberation Sans");
    let options = usvg::Options {
        dpi: CSS_DPI,
        font_family: "Liberation Sans".into(),
        fontdb: Arc::new(fonts),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| failed("a drawing", e))
}

/// The SVG as a one-page PDF of its physical size: vector paths, text as text in the embedded
/// (subset) Liberation Sans.
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>> {
    let tree = tree(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: CSS_DPI },
    )
    .map_err(|e| failed("PDF", e))
}

/// The SVG drawn at `dpi` on white: width, height and RGB bytes.
fn raster(svg: &str, dpi: f64) -> Result<(u32, u32, Vec<u8>)> {
    if !(dpi.is_finite() && (10.0..=2400.0).contains(&dpi)) {
        return Err(Error::usage(format!(
            "export resolution {dpi} dpi: give a number from 10 to 2400 (journals ask for 300, 600 or 1200)"
        )));
    }
    let tree = tree(svg)?;
    let size = tree.size();
    let scale = dpi / f64::from(CSS_DPI);
    let (w, h) = (
        (f64::from(size.width()) * scale).round(),
        (f64::from(size.height()) * scale).round(),
    );
    if w > MAX_SIDE_PX || h > MAX_SIDE_PX {
        return Err(Error::usage(format!(
            "the image would be {w} x {h} pixels; lower the resolution or the size (at most {MAX_SIDE_PX} pixels a side)"
        )));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1.0) as u32, h.max(1.0) as u32)
        .ok_or_else(|| failed("an image", "no memory for the pixels"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    let sx = pixmap.width() as f32 / size.width();
    let sy = pixmap.height() as f32 / size.height();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(sx, sy),
        &mut pixmap.as_mut(),
    );
    // Opaque on white, so premultiplied RGBA is plain RGB with the alpha dropped.
    let rgb = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    Ok((pixmap.width(), pixmap.height(), rgb))
}

/// The SVG as an LZW-compressed RGB TIFF at `dpi`, its resolution in the file (pixels per
/// inch), so it opens at the figure's physical size.
pub fn svg_to_tiff(svg: &str, dpi: f64) -> Result<Vec<u8>> {
    use tiff::encoder::{colortype::RGB8, Compression, Rational, TiffEncoder};
    use tiff::tags::ResolutionUnit;
    let (w, h, rgb) = raster(svg, dpi)?;
    let mut out = Cursor::new(Vec::new());
    let tiff = |e| failed("TIFF", e);
    let mut encoder = TiffEncoder::new(&mut out)
        .map_err(tiff)?
        .with_compression(Compression::Lzw);
    let mut image = encoder.new_image::<RGB8>(w, h).map_err(tiff)?;
    // Resolution as a fraction of whole pixels per inch, to a hundredth.
    let per_inch = Rational {
        n: (dpi * 100.0).round() as u32,
        d: 100,
    };
    image.resolution(ResolutionUnit::Inch, per_inch);
    image.write_data(&rgb).map_err(tiff)?;
    Ok(out.into_inner())
}

/// The SVG as an RGB PNG at `dpi`, with its resolution in the `pHYs` chunk (pixels per metre).
pub fn svg_to_png(svg: &str, dpi: f64) -> Result<Vec<u8>> {
    let (w, h, rgb) = raster(svg, dpi)?;
    let mut out = Vec::new();
    {
        let png_error = |e| failed("PNG", e);
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let per_metre = (dpi / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: per_metre,
            yppu: per_metre,
            unit: png::Unit::Meter,
        }));
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(&rgb).map_err(png_error)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_path("km.PDF"), Some(Format::Pdf));
        assert_eq!(Format::from_path("a/b.tif"), Some(Format::Tiff));
        assert_eq!(Format::from_path("km.svg"), Some(Format::Svg));
        assert_eq!(Format::from_path("km.jpeg"), None);
        assert_eq!(Format::from_path("km"), None);
    }
}
