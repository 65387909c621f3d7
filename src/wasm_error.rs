//! The core's structured error as a JavaScript `Error`, shared by the page's two wasm modules.
//!
//! `message` carries the core's words (where and what); `detail` the structured error (kind,
//! column, sheet, row, spreadsheet row, hint), from which the page words the fix as its own
//! controls (`www/hints.js`).

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::Error;

/// A core error as a JS `Error` with the structured error as its `detail`.
pub fn js_error(err: &Error) -> JsValue {
    let js = js_sys::Error::new(&err.to_string());
    if let Ok(detail) = err.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str("detail"), &detail);
    }
    js.into()
}
