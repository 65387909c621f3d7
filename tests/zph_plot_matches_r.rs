//! Golden tests: the proportional-hazards plot's smooth, band and time axis against R survival 3.5.3's plot.cox.zph, and the natural-spline basis against splines::ns.
//!
//! Every expected number comes from tests/data/zph_plot_fixtures.json, written by
//! tests/data/zph_plot.R. plot.cox.zph returns nothing, so the script computes its smooth
//! with R code reproducing the function's source line by line, and checks that code against
//! what plot.cox.zph itself draws (its `lines`, `points` and `axis` calls recorded) before
//! writing anything. Each case records its R calls in `r_call`.

mod common;

use common::{assert_close, data_path, fixture, num};
use serde_json::Value;
use survcalc::cox::{
    cox, zph_smooth, zph_time_axis, CovariateKind, CovariateSpec, CoxSpec, Zph, SMOOTH_DF,
    SMOOTH_POINTS,
};
use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::engine::spline::NaturalSpline;
use survcalc::options::{Ties, ZphTransform};

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| num(x).unwrap())
        .collect()
}

fn assert_all_close(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_close(&format!("{what}[{i}]"), *g, *w);
    }
}

/// The core's cox.zph for a fixture case's model and a transform.
fn zph_of(case: &Value, transform: ZphTransform) -> Zph {
    let bytes = std::fs::read(data_path(case["csv"].as_str().unwrap())).unwrap();
    let table = read_table(&bytes, None, &ReadOptions::default()).unwrap();
    let covariates = case["covariates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| CovariateSpec {
            column: c["column"].as_str().unwrap().into(),
            kind: if c["categorical"].as_bool().unwrap() {
                CovariateKind::Categorical {
                    reference: c["reference"].as_str().map(String::from),
                }
            } else {
                CovariateKind::Numeric
            },
        })
        .collect();
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: vec![],
        },
        covariates,
        strata: case["strata"].as_str().map(String::from),
        ties: case["ties"].as_str().unwrap().parse::<Ties>().unwrap(),
        conf_level: 0.95,
        univariate: false,
        zph: Some(transform),
        firth: false,
        per: vec![],
    };
    cox(&table, &spec).unwrap().zph.unwrap()
}

/// Per case and transform, per term: the 40 points of the smooth (transformed time), the
/// fit and both band limits equal R's to 1e-6 (tests/data/zph_plot.R's `zph_smooth`, checked
/// there against plot.cox.zph's drawn lines).
#[test]
fn smooth_and_band_match_plot_cox_zph() {
    let fixtures = fixture("zph_plot_fixtures.json");
    let mut checked = 0;
    for case in fixtures["cases"].as_array().unwrap() {
        for plot in case["plots"].as_array().unwrap() {
            let transform: ZphTransform = plot["transform"].as_str().unwrap().parse().unwrap();
            let zph = zph_of(case, transform);
            let what = format!("{} {transform}", case["id"].as_str().unwrap());
            let terms = plot["terms"].as_array().unwrap();
            assert_eq!(
                zph.residuals.len(),
                terms.len(),
                "{what}: one smooth per term"
            );
            for (i, want) in terms.iter().enumerate() {
                let got = zph_smooth(&zph, i, SMOOTH_DF, SMOOTH_POINTS)
                    .unwrap_or_else(|| panic!("{what}: no smooth for term {i}"));
                let what = format!("{what} {}", want["term"].as_str().unwrap());
                assert_eq!(got.term, want["term"].as_str().unwrap(), "{what}: term");
                assert_close(
                    &format!("{what} var[i, i]"),
                    zph.residuals[i].variance,
                    num(&want["variance"]).unwrap(),
                );
                assert_all_close(&format!("{what} x"), &got.x, &numbers(&want["x"]));
                assert_all_close(&format!("{what} fit"), &got.fit, &numbers(&want["fit"]));
                assert_all_close(
                    &format!("{what} lower"),
                    &got.lower,
                    &numbers(&want["lower"]),
                );
                assert_all_close(
                    &format!("{what} upper"),
                    &got.upper,
                    &numbers(&want["upper"]),
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} smooths compared");
}

/// The km and rank transforms' axis: 8 ticks at R's places, labelled with R's rounded times
/// as R formats them; the log transform's: the ticks R's log axis of time draws (axTicks
/// within the axis), at their log; no axis of ours for identity (R's is time itself).
#[test]
fn time_axis_matches_plot_cox_zph() {
    let fixtures = fixture("zph_plot_fixtures.json");
    let mut checked = 0;
    for case in fixtures["cases"].as_array().unwrap() {
        for plot in case["plots"].as_array().unwrap() {
            let transform: ZphTransform = plot["transform"].as_str().unwrap().parse().unwrap();
            let what = format!("{} {transform}", case["id"].as_str().unwrap());
            let got = zph_time_axis(&zph_of(case, transform), 1.0);
            let want = &plot["axis"];
            if want.is_null() {
                assert!(got.is_none(), "{what}: the axis is time itself");
                continue;
            }
            let got = got.unwrap();
            let labels: Vec<&str> = want["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap())
                .collect();
            let got_labels: Vec<&str> = got.iter().map(|t| t.label.as_str()).collect();
            assert_eq!(got_labels, labels, "{what}: labels");
            let at: Vec<f64> = got.iter().map(|t| t.at).collect();
            assert_all_close(&format!("{what} at"), &at, &numbers(&want["at"]));
            let times: Vec<f64> = got.iter().map(|t| t.time).collect();
            assert_all_close(&format!("{what} times"), &times, &numbers(&want["times"]));
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} axes compared");
}

/// `splines::ns(x, df = 4, intercept = TRUE)` on small vectors: knots and every basis value
/// (R's basis itself, not only its span: the same QR of the boundary constraints).
#[test]
fn natural_spline_basis_matches_splines_ns() {
    let fixtures = fixture("zph_plot_fixtures.json");
    for case in fixtures["ns"].as_array().unwrap() {
        let x = numbers(&case["x"]);
        let what = case["r_call"].as_str().unwrap();
        let spline = NaturalSpline::new(&x, 4).unwrap();
        assert_all_close(
            &format!("{what} knots"),
            spline.interior_knots(),
            &numbers(&case["knots"]),
        );
        let (a, b) = spline.boundary_knots();
        assert_all_close(
            &format!("{what} boundary"),
            &[a, b],
            &numbers(&case["boundary"]),
        );
        for (i, (xi, row)) in x.iter().zip(case["basis"].as_array().unwrap()).enumerate() {
            assert_all_close(
                &format!("{what} row {}", i + 1),
                &spline.basis(*xi),
                &numbers(row),
            );
        }
    }
}
