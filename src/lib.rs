//! survcalc: survival analysis for clinical research, one pure core for the command line and the browser.
//!
//! The core never touches files, the network or the DOM: callers hand it bytes and options and
//! get back plain values whose serde names are the JSON keys of the command-line contract.

pub mod analysis;
pub mod cif;
pub mod compare;
pub mod cox;
pub mod data;
pub mod describe;
pub mod engine;
pub mod error;
pub mod exact;
pub mod finegray;
pub mod format;
pub mod km;
pub mod labels;
pub mod options;
pub mod parallel;
pub mod plot;
pub mod regression;
pub mod rmst;
pub mod rscript;
#[cfg(all(
    target_arch = "wasm32",
    not(feature = "sheets-module"),
    not(feature = "export-module")
))]
pub mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_error;
#[cfg(all(target_arch = "wasm32", feature = "export-module"))]
pub mod wasm_export;
#[cfg(all(target_arch = "wasm32", feature = "sheets-module"))]
pub mod wasm_sheets;

pub use error::{Error, Result};
