//! The core compiled to wasm32, called through the page's boundary (`survcalc::wasm`), under node.
//!
//! Run by `make test-wasm`. There is no filesystem in wasm, so the files are compiled in.
#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use serde_json::{json, Value};
use survcalc::wasm::Session;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

/// The committed simulated example (written by scripts/example_data.py).
const EXAMPLE: &str = include_str!("../www/example/gist_simulated.csv");

fn open(text: &str, name: &str) -> Session {
    Session::new(text.as_bytes(), name, JsValue::UNDEFINED)
        .unwrap_or_else(|_| panic!("{name} should read"))
}

fn value(js: JsValue) -> Value {
    serde_wasm_bindgen::from_value(js).expect("a plain JS object")
}

fn settings(v: Value) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("settings serialise")
}

fn message(err: wasm_bindgen::JsError) -> String {
    let js: JsValue = err.into();
    js.dyn_into::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn preview_shows_header_and_first_rows() {
    let preview = value(open(EXAMPLE, "gist_simulated.csv").preview(2).unwrap());
    // The example's header and first patient, as written by scripts/example_data.py.
    assert_eq!(preview["n_rows"], 15);
    assert_eq!(preview["headers"][0], "patient");
    assert_eq!(preview["rows"].as_array().unwrap().len(), 2);
    assert_eq!(preview["rows"][0][0], "P01");
}

#[wasm_bindgen_test]
fn outcome_from_dates_counts_patients_events_and_groups() {
    let session = open(EXAMPLE, "gist_simulated.csv");
    let pfs = value(
        session
            .outcome(settings(json!({
                "start_date": "date_surgery",
                "end_date": "date_progression_or_last",
                "unit": "months",
                "event": "progressed",
                "group": "resection"
            })))
            .unwrap(),
    );
    // Counted in the CSV: 15 rows, one with progressed = 0 (P13), 9 R0/1 and 6 R2.
    assert_eq!(pfs["n"], 15);
    assert_eq!(pfs["events"], 14);
    assert_eq!(pfs["groups"], json!(["R0/1", "R2"]));
    assert_eq!(pfs["excluded"], json!([]));
}

#[wasm_bindgen_test]
fn excluded_rows_carry_their_reasons() {
    let session = open("t\ts\n5\t1\n\t0\n-2\t1\n", "pasted.tsv");
    let out = value(
        session
            .outcome(settings(json!({"time": "t", "event": "s"})))
            .unwrap(),
    );
    // Row 2 has no time, row 3 a negative one; only row 1 is used.
    assert_eq!(out["n"], 1);
    assert_eq!(out["excluded"][0]["row"], 2);
    assert_eq!(out["excluded"][1]["row"], 3);
}

#[wasm_bindgen_test]
fn core_errors_reach_javascript_with_their_message() {
    let err = Session::new(b"a,a\n1,2\n", "dup.csv", JsValue::UNDEFINED)
        .err()
        .expect("duplicate header is an error");
    assert!(message(err).contains("is also the name of column 1"));
    let session = open("t,s\n1,x\n2,y\n", "odd.csv");
    let err = session
        .outcome(settings(json!({"time": "t", "event": "s"})))
        .err()
        .expect("unknown event coding is an error");
    assert!(message(err).contains("column 's'"));
}
