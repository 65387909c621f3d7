//! Finishing plotters' SVG for a journal: the physical size in millimetres on the root element, and a `<desc>` for screen readers.

use crate::error::{Error, Result};

/// Escapes text for XML content.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A length in millimetres as SVG writes it, to a thousandth.
fn mm_text(mm: f64) -> String {
    super::options::plain((mm * 1000.0).round() / 1000.0)
}

/// plotters' SVG of `(width, height)` pixels with its root's `width` and `height` given as
/// `size_mm` (the pixel `viewBox` stays, so the drawing scales to that size: 8-pt text prints
/// at 8 pt) and `desc` as its first child.
pub fn finish(
    mut svg: String,
    (width, height): (u32, u32),
    size_mm: (f64, f64),
    desc: &str,
) -> Result<String> {
    let failed = || Error::usage("drawing failed: no <svg> element written");
    let root_at = svg.find("<svg").ok_or_else(failed)?;
    let root_end = root_at + svg[root_at..].find('>').ok_or_else(failed)?;
    let pixels = format!("width=\"{width}\" height=\"{height}\"");
    let physical = format!(
        "width=\"{}mm\" height=\"{}mm\"",
        mm_text(size_mm.0),
        mm_text(size_mm.1)
    );
    let size_at = svg[root_at..root_end]
        .find(&pixels)
        .map(|i| root_at + i)
        .ok_or_else(failed)?;
    svg.replace_range(size_at..size_at + pixels.len(), &physical);
    let body = root_at + svg[root_at..].find('>').ok_or_else(failed)? + 1;
    svg.insert_str(body, &format!("\n<desc>{}</desc>\n", xml_escape(desc)));
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_gets_millimetres_and_keeps_its_view_box() {
        let svg = r#"<svg width="1004" height="600" viewBox="0 0 1004 600" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let done = finish(
            svg.into(),
            (1004, 600),
            (85.0, 600.0 / 300.0 * 25.4),
            "A & B",
        )
        .unwrap();
        assert!(
            done.starts_with(r#"<svg width="85mm" height="50.8mm" viewBox="0 0 1004 600" xmlns="#)
        );
        assert!(done.contains("<desc>A &amp; B</desc>"));
    }
}
