//! The export module's JavaScript boundary (feature `export-module`): a figure's SVG in, PDF, TIFF or PNG bytes out.
//!
//! The PDF writer, the rasteriser and the bundled fonts are most of the size of exporting, and
//! a figure is exported far less often than it is drawn; so the page loads this third module
//! only when PDF or TIFF is asked for. The SVG comes from the main module (`km_svg` and the
//! other figures), drawn by the same code as the canvas.

use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::plot::export::{export, Format};
use crate::wasm_error::js_error;

/// The figure's SVG as `format` ("pdf", "tiff", "png" or "svg") bytes; rasters at `dpi`.
/// Errors reach JavaScript as the main module's do (an Error whose `detail` is structured).
#[wasm_bindgen]
pub fn export_figure(svg: &str, format: &str, dpi: f64) -> Result<Vec<u8>, JsValue> {
    let format: Format = serde_json::from_value(serde_json::Value::String(format.to_lowercase()))
        .map_err(|_| {
        js_error(&Error::usage(format!(
            "cannot export a figure as '{format}': choose pdf, tiff, png or svg"
        )))
    })?;
    export(svg, format, dpi).map_err(|e| js_error(&e))
}
