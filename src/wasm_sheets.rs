//! The spreadsheet module's JavaScript boundary (feature `sheets-module`): a workbook's bytes in, the core's text table out.
//!
//! A file of its own rather than a gated half of `src/wasm.rs`: the two modules share no
//! export, so each file is compiled whole or not at all.
//!
//! calamine, zip and their encodings are most of the page's code by size, and most files are
//! CSV; so the page loads this second module only when a workbook is opened, reads the sheet
//! here, and hands the table to the main module's `Session::from_table`, which analyses it
//! exactly as the command line analyses the same file.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::data::{sheet, spreadsheet_kind, ReadOptions};
use crate::wasm_error::js_error;
use crate::Error;

/// How to read a workbook: the part of the main module's read settings that applies to sheets
/// (other fields, such as a delimiter, are ignored here).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SheetSettings {
    sheet: Option<String>,
    decimal_comma: Option<bool>,
    missing: Vec<String>,
}

/// Reads one sheet of an .xlsx, .xls or .ods file (the first, or `settings.sheet`) into the
/// core's table, as a plain JS object for `Session::from_table`.
#[wasm_bindgen]
pub fn read_sheet(bytes: &[u8], settings: JsValue) -> Result<JsValue, JsValue> {
    let settings: SheetSettings = if settings.is_undefined() || settings.is_null() {
        SheetSettings::default()
    } else {
        serde_wasm_bindgen::from_value(settings).map_err(|e| {
            js_error(&Error::usage(format!(
                "read settings are not understood: {e}"
            )))
        })?
    };
    let kind = spreadsheet_kind(bytes).ok_or_else(|| {
        js_error(&Error::unreadable(
            "this file is not an .xlsx, .xls or .ods workbook; open it as CSV or TSV",
        ))
    })?;
    let options = ReadOptions {
        sheet: settings.sheet,
        decimal_comma: settings.decimal_comma,
        missing: settings.missing,
        ..ReadOptions::default()
    };
    let table = sheet::read_spreadsheet(bytes, kind, &options).map_err(|e| js_error(&e))?;
    table
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}
