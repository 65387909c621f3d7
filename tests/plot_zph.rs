//! The proportional-hazards plot read back from its SVG: physical size, one panel (smooth, band, coefficient line, titles) per term, the smooth's vertices at the core's numbers (checked against R in zph_plot_matches_r.rs), R's time axis for the km transform, greyscale, and the PDF export parsed.

mod common;

use common::svg::{parse, save, x_ticks, y_ticks, Element};
use survcalc::cox::{
    cox, zph_smooth, zph_time_axis, CovariateKind, CovariateSpec, CoxSpec, Zph, SMOOTH_DF,
    SMOOTH_POINTS,
};
use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::options::{Ties, ZphTransform};
use survcalc::plot::zph::{zph_caption, zph_svg, ZphBand, ZphOptions};
use survcalc::plot::{FigureSize, Palette};

/// lung, age + sex + ph.ecog (numeric), or colon's rx (three levels) with nodes: the core's
/// cox.zph, checked against R in cox_matches_r.rs.
fn zph(csv: &str, covariates: &[(&str, bool)], transform: ZphTransform) -> Zph {
    let bytes = std::fs::read(common::data_path(csv)).expect("data file");
    let table = read_table(&bytes, Some(csv), &ReadOptions::default()).expect("table");
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: Vec::new(),
        },
        covariates: covariates
            .iter()
            .map(|&(column, categorical)| CovariateSpec {
                column: column.into(),
                kind: if categorical {
                    CovariateKind::Categorical { reference: None }
                } else {
                    CovariateKind::Numeric
                },
            })
            .collect(),
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: false,
        zph: Some(transform),
        firth: false,
        per: Vec::new(),
    };
    cox(&table, &spec).expect("cox").zph.expect("zph")
}

fn lung(transform: ZphTransform) -> Zph {
    zph(
        "cox_lung.csv",
        &[("age", false), ("sex", false), ("ph.ecog", false)],
        transform,
    )
}

const BLUE: &str = "#0072B2";

/// Polylines of `colour` with exactly `n` points: the smooths (40 points each; a dashed
/// band's pieces are short, the axes black).
fn smooths<'a>(elements: &'a [Element], colour: &str, n: usize) -> Vec<&'a Element> {
    elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == colour && e.points().len() == n)
        .collect()
}

fn texts(elements: &[Element]) -> Vec<&str> {
    elements
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect()
}

fn size_mm(svg: &str, key: &str) -> f64 {
    svg.split(&format!("{key}=\""))
        .nth(1)
        .and_then(|s| s.split("mm").next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("svg {key} in mm"))
}

#[test]
fn the_svg_has_its_physical_size() {
    let z = lung(ZphTransform::Km);
    let single = zph_svg(&z, &ZphOptions::default()).expect("drawn");
    assert_eq!(size_mm(&single, "width"), 85.0);
    // One column of three panels, each plot 0.7 times as high as wide, plus titles.
    let h = size_mm(&single, "height");
    assert!(h > 3.0 * 0.7 * 60.0 && h < 3.0 * 85.0, "{h}");
    let double = ZphOptions {
        page: survcalc::plot::Page {
            size: Some(FigureSize::Double),
            ..Default::default()
        },
        ..ZphOptions::default()
    };
    assert_eq!(
        size_mm(&zph_svg(&z, &double).expect("drawn"), "width"),
        180.0
    );
    let fixed = ZphOptions {
        page: survcalc::plot::Page {
            width_mm: Some(120.0),
            height_mm: Some(90.0),
            ..Default::default()
        },
        ..ZphOptions::default()
    };
    let svg = zph_svg(&z, &fixed).expect("drawn");
    assert_eq!(
        (size_mm(&svg, "width"), size_mm(&svg, "height")),
        (120.0, 90.0)
    );
}

/// Every term gets its panel: its heading, "Beta(t) for" title, smooth (40 points), both band
/// lines and the coefficient line; the circles are the events with a residual.
#[test]
fn one_panel_with_its_smooth_per_term() {
    let z = lung(ZphTransform::Km);
    let opts = ZphOptions {
        labels: [("ph.ecog".to_string(), "ECOG score".to_string())].into(),
        ..ZphOptions::default()
    };
    let svg = zph_svg(&z, &opts).expect("drawn");
    save("zph_lung_km", &svg);
    let elements = parse(&svg);
    assert_eq!(smooths(&elements, BLUE, SMOOTH_POINTS).len(), 3);
    let all = texts(&elements);
    for title in [
        "Beta(t) for age",
        "Beta(t) for sex",
        "Beta(t) for ECOG score",
    ] {
        assert!(all.contains(&title), "{title}: {all:?}");
    }
    assert_eq!(all.iter().filter(|t| t.starts_with("PH test P")).count(), 3);
    // Circles: at most one per event and term (those on one pixel drawn once), most of them.
    let circles = elements.iter().filter(|e| e.tag == "circle").count();
    let events = z.x.len();
    assert!(circles <= 3 * events && circles > 2 * events, "{circles}");
    // Only the chosen terms, in the order asked.
    let one = ZphOptions {
        terms: vec!["sex".into()],
        ..ZphOptions::default()
    };
    let svg = zph_svg(&z, &one).expect("drawn");
    let elements = parse(&svg);
    assert_eq!(smooths(&elements, BLUE, SMOOTH_POINTS).len(), 1);
    assert!(texts(&elements).contains(&"Beta(t) for sex"));
    let unknown = ZphOptions {
        terms: vec!["weight".into()],
        ..ZphOptions::default()
    };
    let err = zph_svg(&z, &unknown).unwrap_err();
    assert!(err.message.contains("'weight'") && err.message.contains("age, sex, ph.ecog"));
}

/// The pixel <-> value maps of a one-panel figure, read from its tick labels: `(a, b)` with
/// pixel = a + b value, by least squares over the ticks.
fn axis_map(ticks: &std::collections::HashMap<String, i32>) -> (f64, f64) {
    let pts: Vec<(f64, f64)> = ticks
        .iter()
        .map(|(label, px)| (label.parse::<f64>().expect("number"), f64::from(*px)))
        .collect();
    assert!(pts.len() >= 3, "{ticks:?}");
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let b = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
        / pts.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>();
    (my - b * mx, b)
}

/// On the identity transform the x axis is time itself: mapping the core's smooth (times and
/// fitted beta(t)) through the axes read from the tick labels lands on the drawn smooth's
/// vertices, to within the rounding of the labels and pixels.
#[test]
fn the_drawn_smooth_is_the_core_smooth() {
    let z = lung(ZphTransform::Identity);
    let opts = ZphOptions {
        terms: vec!["age".into()],
        ..ZphOptions::default()
    };
    let svg = zph_svg(&z, &opts).expect("drawn");
    save("zph_lung_identity_age", &svg);
    let elements = parse(&svg);
    let (ax, bx) = axis_map(&x_ticks(&elements));
    let (ay, by) = axis_map(&y_ticks(&elements));
    let drawn = smooths(&elements, BLUE, SMOOTH_POINTS)[0].points();
    let core = zph_smooth(&z, 0, SMOOTH_DF, SMOOTH_POINTS).expect("smooth");
    for ((x, fit), (px, py)) in core.x.iter().zip(&core.fit).zip(&drawn) {
        assert!((ax + bx * x - f64::from(*px)).abs() <= 1.5, "x {x}: {px}");
        assert!(
            (ay + by * fit - f64::from(*py)).abs() <= 1.5,
            "fit {fit}: {py}"
        );
    }
}

/// The km transform's axis is R's: ticks labelled with plot.cox.zph's rounded times.
#[test]
fn the_km_axis_says_r_times() {
    let z = lung(ZphTransform::Km);
    let opts = ZphOptions {
        terms: vec!["age".into()],
        ..ZphOptions::default()
    };
    let elements = parse(&zph_svg(&z, &opts).expect("drawn"));
    let mut drawn: Vec<(i32, String)> = x_ticks(&elements)
        .into_iter()
        .map(|(label, x)| (x, label))
        .collect();
    drawn.sort();
    let labels: Vec<String> = drawn.into_iter().map(|(_, l)| l).collect();
    let want: Vec<String> = zph_time_axis(&z, 1.0)
        .expect("km axis")
        .into_iter()
        .map(|t| t.label)
        .collect();
    // tests/data/zph_plot_fixtures.json, lung_age_sex_ecog km (plot.cox.zph's axis).
    assert_eq!(
        want,
        ["55", "130", "180", "270", "340", "430", "560", "730"]
    );
    assert_eq!(labels, want);
}

/// A categorical term (colon's rx, three levels) is one panel, its line at 1; log time has
/// its ticks at round times; greyscale draws in greys only; a shaded band is a polygon.
#[test]
fn categorical_log_greyscale_and_shaded() {
    let z = zph(
        "cox_colon.csv",
        &[("rx", true), ("nodes", false)],
        ZphTransform::Log,
    );
    assert_eq!(z.residuals[0].term, "rx");
    assert_eq!(z.residuals[0].coefficient, 1.0);
    let opts = ZphOptions {
        palette: Palette::Greyscale,
        band: ZphBand::Shaded,
        time_unit: Some("days".into()),
        display_unit: Some("years".parse().unwrap()),
        ..ZphOptions::default()
    };
    let svg = zph_svg(&z, &opts).expect("drawn");
    save("zph_colon_log_grey", &svg);
    let elements = parse(&svg);
    assert_eq!(smooths(&elements, "#000000", SMOOTH_POINTS).len(), 2);
    for (r, g, b) in common::svg::colours(&svg) {
        assert!(r == g && g == b, "not grey: {r} {g} {b}");
    }
    assert!(
        elements
            .iter()
            .filter(|e| e.tag == "polygon" && e.points().len() == 2 * SMOOTH_POINTS)
            .count()
            == 2
    );
    let all = texts(&elements);
    assert!(all.contains(&"Time (years)"), "{all:?}");
    let caption = zph_caption(&z, &opts).expect("caption");
    assert!(caption.contains("natural cubic spline") && caption.contains("(shaded)"));
    assert!(caption.contains("shown in years"), "{caption}");
}

/// PDF of the figure: one page of its physical size (85 mm = 240.94 pt wide).
#[cfg(feature = "export")]
#[test]
fn the_pdf_export_parses() {
    use survcalc::plot::export::{export, Format};
    let svg = zph_svg(&lung(ZphTransform::Km), &ZphOptions::default()).expect("drawn");
    let pdf = export(&svg, Format::Pdf, 300.0).expect("pdf");
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF lopdf reads");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page = doc.get_dictionary(pages[&1]).expect("page");
    let media: Vec<f32> = page
        .get(b"MediaBox")
        .and_then(|m| m.as_array())
        .expect("MediaBox")
        .iter()
        .map(|v| v.as_float().expect("number"))
        .collect();
    assert!((media[2] - 240.945).abs() < 0.05, "{media:?}");
    assert!((f64::from(media[3]) - size_mm(&svg, "height") / 25.4 * 72.0).abs() < 0.05);
    let png = export(&svg, Format::Png, 300.0).expect("png");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("plot");
    std::fs::create_dir_all(&dir).expect("preview folder");
    std::fs::write(dir.join("zph_lung_km.png"), png).expect("preview");
}

/// On a narrow plot the km axis' eight ticks stay, but a label that would touch the one before
/// it is left out, as R's axis leaves it out: fewer labels than ticks, the first one drawn.
#[test]
fn crowded_time_labels_are_left_out_as_r_does() {
    let z = lung(ZphTransform::Km);
    let opts = ZphOptions {
        terms: vec!["age".into()],
        page: survcalc::plot::Page {
            width_mm: Some(40.0),
            font_size: 10.0,
            ..survcalc::plot::Page::default()
        },
        ..ZphOptions::default()
    };
    let elements = parse(&zph_svg(&z, &opts).expect("drawn"));
    let (_, bottom) = common::svg::frame(&elements);
    let marks = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.points().len() == 2)
        .map(|e| e.points())
        .filter(|p| p[0].0 == p[1].0 && p[0].1 == bottom && p[1].1 > bottom)
        .count();
    assert_eq!(marks, 8);
    let row = elements
        .iter()
        .filter(|e| e.tag == "text" && e.attr("text-anchor") == "middle" && e.num("y") > bottom)
        .map(|e| e.num("y"))
        .min()
        .expect("labels");
    let labels: Vec<&str> = elements
        .iter()
        .filter(|e| e.tag == "text" && e.num("y") == row)
        .map(|e| e.text.as_str())
        .collect();
    assert!(labels.len() < 8 && labels.len() >= 3, "{labels:?}");
    assert_eq!(labels[0], "55");
}
