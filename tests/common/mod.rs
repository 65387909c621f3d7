//! Shared by the integration tests: tolerances (defined once, with reasons) and fixture loading.
#![allow(dead_code)]

use std::path::PathBuf;

pub mod svg;

/// Relative tolerance against R's printed-to-17-digits fixtures.
///
/// R and survcalc sum the same terms in different orders, which moves the last few bits;
/// 1e-6 relative is the project's promise (README.md) and far above that noise, yet far
/// below any real disagreement (a wrong tie rule or variance moves the 2nd-4th digit).
pub const R_REL: f64 = 1e-6;

/// Absolute floor for quantities that R computes as exactly zero or that are near zero
/// (a p-value of 1e-12, a survival of 0): relative error is meaningless there.
pub const R_ABS: f64 = 1e-9;

/// Whether `actual` matches `expected` to [`R_REL`] relative or [`R_ABS`] absolute.
pub fn close(actual: f64, expected: f64) -> bool {
    if expected.is_infinite() || actual.is_infinite() {
        return actual == expected;
    }
    (actual - expected).abs() <= R_ABS.max(R_REL * expected.abs())
}

/// Asserts [`close`], naming what was compared.
#[track_caller]
pub fn assert_close(what: &str, actual: f64, expected: f64) {
    assert!(
        close(actual, expected),
        "{what}: survcalc {actual:e}, reference {expected:e}"
    );
}

/// Compares two optional numbers: both absent (R's NA / JSON null), or both present and close.
#[track_caller]
pub fn assert_close_opt(what: &str, actual: Option<f64>, expected: Option<f64>) {
    match (actual, expected) {
        (None, None) => {}
        (Some(a), Some(e)) => assert_close(what, a, e),
        _ => panic!("{what}: survcalc {actual:?}, reference {expected:?}"),
    }
}

/// Path of a file under `tests/data`.
pub fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Reads a JSON fixture written by one of the `tests/data/*.R` scripts.
pub fn fixture(name: &str) -> serde_json::Value {
    let path = data_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A JSON number, or `None` for null (R's NA).
pub fn num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
}

/// Runs the built `survcalc` with `args` and `stdin` on its standard input (empty if none).
pub fn survcalc(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_survcalc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run survcalc");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    // A usage error may exit before reading standard input; the broken pipe is then expected.
    let _ = pipe.write_all(stdin.unwrap_or_default());
    drop(pipe);
    child.wait_with_output().expect("survcalc ran")
}

/// The JSON object a successful run printed; fails the test with the run's errors otherwise.
#[track_caller]
pub fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

/// Fits `t, d ~ x` (time, 0/1 event, one numeric covariate) with R's other defaults.
pub fn cox_one_covariate(
    table: &survcalc::data::Table,
    ties: survcalc::options::Ties,
) -> survcalc::cox::CoxFit {
    use survcalc::cox::{cox, CovariateKind, CovariateSpec, CoxSpec};
    use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("t".into()),
            event: "d".into(),
            event_values: vec![],
        },
        covariates: vec![CovariateSpec {
            column: "x".into(),
            kind: CovariateKind::Numeric,
        }],
        strata: None,
        ties,
        conf_level: 0.95,
        univariate: false,
        zph: None,
        firth: false,
        per: Vec::new(),
    };
    cox(table, &spec).expect("the fit runs")
}

/// Kaplan-Meier curves per group of a CSV in tests/data, fitted by the core (checked against
/// R in km_matches_r.rs), in the JSON shape the page passes: (group value, curve).
pub fn km_groups(
    file: &str,
    time: &str,
    died: impl Fn(&str) -> bool,
    group: &str,
) -> Vec<survcalc::plot::PlotGroup> {
    let path = data_path(file);
    let mut reader = csv::Reader::from_path(&path).expect("data file");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (t, e, g) = (col(time), col("status"), col(group));
    let mut by_group: std::collections::BTreeMap<String, (Vec<f64>, Vec<bool>)> =
        std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("row");
        let (Ok(time), level) = (row[t].parse::<f64>(), row[g].to_string()) else {
            continue;
        };
        let entry = by_group.entry(level).or_default();
        entry.0.push(time);
        entry.1.push(died(&row[e]));
    }
    by_group
        .into_iter()
        .map(|(name, (time, died))| {
            let curve = survcalc::km::fit(&time, &died, &survcalc::km::KmOptions::default())
                .expect("km fit");
            let mut json = serde_json::to_value(curve).expect("curve JSON");
            json["name"] = name.into();
            serde_json::from_value(json).expect("km JSON is plot input")
        })
        .collect()
}
