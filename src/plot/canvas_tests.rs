//! Tests only: the same figure drawn on a real canvas in a browser, where plotters-canvas must take it without a panic and paint it.
//!
//! A unit test rather than an integration test because those build the command line, which
//! does not exist on wasm32. Run with `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --lib --target wasm32-unknown-unknown plot`.

use super::{draw_km, figure_pixels, Page, PlotGroup, PlotOptions, PlotStep, Target};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a page");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("canvas element")
        .dyn_into()
        .expect("an HtmlCanvasElement");
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

/// Deaths at 2 and 4 of five patients, the rest censored (S = 0.8, then 0.6).
fn five_patients() -> PlotGroup {
    let step = PlotStep::new;
    PlotGroup {
        name: "A".into(),
        steps: vec![
            step(2.0, 5, 1, 0, 0.8),
            step(4.0, 4, 1, 0, 0.6),
            step(6.0, 3, 0, 1, 0.6),
            step(10.0, 2, 0, 2, 0.6),
        ],
        median: None,
    }
}

#[wasm_bindgen_test]
fn figure_paints_the_canvas() {
    let opts = PlotOptions {
        conf_bands: true,
        median_lines: true,
        annotation: Some("Log-rank P = 0.012".into()),
        page: Page {
            dpi: 150.0,
            ..Page::default()
        },
        ..PlotOptions::default()
    };
    let groups = [
        five_patients(),
        PlotGroup {
            name: "B".into(),
            ..five_patients()
        },
    ];
    let (width, height) = figure_pixels(&groups, &opts).expect("size");
    let blank = canvas(width, height).to_data_url().expect("blank image");
    let drawn = canvas(width, height);
    let backend = CanvasBackend::with_canvas_object(drawn.clone()).expect("2d context");
    draw_km(&backend.into_drawing_area(), &groups, &opts, Target::Canvas).expect("drawn");
    assert_ne!(drawn.to_data_url().expect("image"), blank);
}

#[wasm_bindgen_test]
fn svg_export_works_in_the_browser_too() {
    let svg = super::km_svg(&[five_patients()], &PlotOptions::default()).expect("drawn");
    assert!(svg.contains("<polyline") && svg.contains("Number at risk"));
}
