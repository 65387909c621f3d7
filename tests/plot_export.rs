//! Exports a journal takes, read back: PDF (parsed, page size in points, fonts embedded), TIFF (LZW, resolution and size tags), PNG (pHYs); and the reviewer's figures rendered to PNG to look at.
#![cfg(feature = "export")]

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;

use survcalc::plot::export::{export, Format};
use survcalc::plot::{km_svg, LegendPosition, Palette, PlotGroup, PlotOptions, TestNote};

fn lung_groups() -> Vec<PlotGroup> {
    let text = std::fs::read_to_string(common::data_path("plot_lung_km.json"))
        .expect("fixture written by tests/data/plot.R");
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
    serde_json::from_value(json["groups"].clone()).expect("km groups")
}

fn out(name: &str, bytes: &[u8]) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("plot");
    std::fs::create_dir_all(&dir).expect("preview folder");
    std::fs::write(dir.join(name), bytes).expect("preview file");
}

#[test]
fn pdf_parses_with_the_page_size_in_points_and_fonts_embedded() {
    let opts = PlotOptions {
        page: survcalc::plot::Page {
            size: Some(survcalc::plot::FigureSize::Double),
            ..Default::default()
        },
        ..PlotOptions::default()
    };
    let svg = km_svg(&lung_groups(), &opts).expect("drawn");
    let pdf = export(&svg, Format::Pdf, 300.0).expect("pdf");
    out("lung.pdf", &pdf);
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
    // 180 mm is 180 / 25.4 * 72 = 510.24 points.
    assert!((media[2] - 510.236).abs() < 0.05, "{media:?}");
    let height_mm: f64 = svg
        .split("height=\"")
        .nth(1)
        .and_then(|s| s.split("mm").next())
        .and_then(|s| s.parse().ok())
        .expect("svg height");
    assert!((f64::from(media[3]) - height_mm / 25.4 * 72.0).abs() < 0.05);
    let embedded = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.has(b"FontFile2") || d.has(b"FontFile3"))
        .count();
    assert!(embedded >= 2, "regular and bold embedded: {embedded}");
    // The text is text (show-text operators in the page's content), not outlines.
    let content = doc.get_page_content(pages[&1]);
    let ops = lopdf::content::Content::decode(&content).expect("content stream parses");
    let shown = ops
        .operations
        .iter()
        .filter(|op| op.operator == "Tj" || op.operator == "TJ")
        .count();
    assert!(shown > 20, "{shown} text runs");
}

#[test]
fn tiff_is_lzw_with_resolution_and_size_read_back() {
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;
    let svg = km_svg(&lung_groups(), &PlotOptions::default()).expect("drawn");
    let height_mm: f64 = svg
        .split("height=\"")
        .nth(1)
        .and_then(|s| s.split("mm").next())
        .and_then(|s| s.parse().ok())
        .expect("svg height");
    for dpi in [300.0, 600.0] {
        let bytes = export(&svg, Format::Tiff, dpi).expect("tiff");
        out(&format!("lung_{dpi}.tiff"), &bytes);
        let mut decoder = Decoder::new(Cursor::new(&bytes)).expect("a TIFF");
        let (w, h) = decoder.dimensions().expect("size");
        assert_eq!(w, (85.0 / 25.4 * dpi).round() as u32);
        assert_eq!(h, (height_mm / 25.4 * dpi).round() as u32);
        // Compression 5 is LZW; resolution unit 2 is inch.
        assert_eq!(
            decoder.get_tag_u32(Tag::Compression).expect("compression"),
            5
        );
        assert_eq!(decoder.get_tag_u32(Tag::ResolutionUnit).expect("unit"), 2);
        let x_res = decoder
            .get_tag_u32_vec(Tag::XResolution)
            .expect("x resolution");
        assert_eq!(f64::from(x_res[0]) / f64::from(x_res[1]), dpi);
        let y_res = decoder
            .get_tag_u32_vec(Tag::YResolution)
            .expect("y resolution");
        assert_eq!(f64::from(y_res[0]) / f64::from(y_res[1]), dpi);
        // Physical size from the file alone: pixels / resolution.
        assert!((f64::from(w) / dpi * 25.4 - 85.0).abs() < 0.1);
    }
}

#[test]
fn png_carries_its_resolution() {
    let svg = km_svg(&lung_groups(), &PlotOptions::default()).expect("drawn");
    let bytes = export(&svg, Format::Png, 300.0).expect("png");
    let decoder = png::Decoder::new(Cursor::new(&bytes));
    let reader = decoder.read_info().expect("a PNG");
    let info = reader.info();
    assert_eq!(info.width, (85.0 / 25.4 * 300.0_f64).round() as u32);
    let dims = info.pixel_dims.expect("pHYs");
    // 300 dpi = 11811 pixels per metre.
    assert_eq!(dims.xppu, 11811);
    assert_eq!(dims.unit, png::Unit::Meter);
}

#[test]
fn exports_refuse_impossible_resolutions() {
    let svg = km_svg(&lung_groups(), &PlotOptions::default()).expect("drawn");
    for dpi in [0.0, f64::NAN, 5000.0] {
        let err = export(&svg, Format::Tiff, dpi)
            .expect_err("refused")
            .to_string();
        assert!(err.contains("dpi"), "{err}");
    }
    let err = export("<svg", Format::Pdf, 300.0)
        .expect_err("not SVG")
        .to_string();
    assert!(err.contains("PDF") || err.contains("drawing"), "{err}");
}

/// The figures a reviewer looks at, as PNG at 300 dpi (`plot/review_*.png`): two groups; four
/// groups with long names; greyscale with bands.
#[test]
fn reviewer_figures_render() {
    let lung = lung_groups();
    let mut long = BTreeMap::new();
    for (level, name) in [
        ("Male", "Men, standard chemotherapy"),
        ("Female", "Women, standard chemotherapy"),
    ] {
        long.insert(level.to_string(), name.to_string());
    }
    let figures = [
        (
            "review_two_groups",
            lung.clone(),
            PlotOptions {
                endpoint: Some("Overall survival".into()),
                time_unit: Some("days".into()),
                display_unit: Some(survcalc::options::TimeUnit::Months),
                test: Some(TestNote {
                    name: "Log-rank".into(),
                    p: 0.0013,
                }),
                ..PlotOptions::default()
            },
        ),
        (
            "review_greyscale_bands",
            lung.clone(),
            PlotOptions {
                palette: Palette::Greyscale,
                conf_bands: true,
                labels: long,
                legend: LegendPosition::Top,
                risk_table_events: true,
                risk_table_censored: true,
                time_unit: Some("days".into()),
                display_unit: Some(survcalc::options::TimeUnit::Months),
                ..PlotOptions::default()
            },
        ),
    ];
    let mut svgs: Vec<(String, String)> = figures
        .iter()
        .map(|(name, groups, opts)| (name.to_string(), km_svg(groups, opts).expect("drawn")))
        .collect();
    svgs.push(("review_forest".into(), lung_forest(None)));
    svgs.push((
        "review_forest_85".into(),
        lung_forest(Some(survcalc::plot::FigureSize::Single)),
    ));
    svgs.extend(review_matrix());
    for (name, svg) in svgs {
        out(&format!("{name}.svg"), svg.as_bytes());
        let png = export(&svg, Format::Png, 300.0).expect("png");
        assert!(png.len() > 10_000);
        out(&format!("{name}.png"), &png);
    }
}

/// Each width a journal takes (85 and 180 mm) with two groups (lung by sex) and four
/// (veteran by cell type), long names, in colour and in greyscale with bands: what a reviewer
/// looks at (`plot/review_{mm}_{groups}_{palette}.png`).
fn review_matrix() -> Vec<(String, String)> {
    let lung = (
        common::km_groups("lung.csv", "time", |s| s == "2", "sex"),
        [
            ("1", "Men, any performance status"),
            ("2", "Women, any performance status"),
        ]
        .as_slice(),
    );
    let veteran = (
        common::km_groups("veteran.csv", "time", |s| s == "1", "celltype"),
        [
            ("squamous", "Squamous cell carcinoma"),
            ("smallcell", "Small cell carcinoma"),
            ("adeno", "Adenocarcinoma"),
            ("large", "Large cell carcinoma"),
        ]
        .as_slice(),
    );
    let mut figures = Vec::new();
    for (size, mm) in [
        (survcalc::plot::FigureSize::Single, "85"),
        (survcalc::plot::FigureSize::Double, "180"),
    ] {
        for ((groups, names), n) in [(&lung, "2"), (&veteran, "4")] {
            for greyscale in [false, true] {
                let two = groups.len() == 2;
                let opts = PlotOptions {
                    endpoint: Some("Overall survival".into()),
                    time_unit: Some("days".into()),
                    display_unit: Some(survcalc::options::TimeUnit::Months),
                    labels: names
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    palette: if greyscale {
                        Palette::Greyscale
                    } else {
                        Palette::OkabeIto
                    },
                    conf_bands: greyscale,
                    risk_table_events: greyscale,
                    test: Some(TestNote {
                        name: "Log-rank".into(),
                        p: 0.0013,
                    }),
                    hazard_ratio: two.then(|| survcalc::plot::HazardRatioNote {
                        hr: 0.588,
                        lower: 0.424,
                        upper: 0.816,
                        method: survcalc::plot::HrMethod::Cox,
                        conf_level: 0.95,
                        group: Some("2".into()),
                        reference: Some("1".into()),
                    }),
                    page: survcalc::plot::Page {
                        size: Some(size),
                        ..Default::default()
                    },
                    ..PlotOptions::default()
                };
                let palette = if greyscale { "grey" } else { "colour" };
                let name = format!("review_{mm}_{n}_{palette}");
                figures.push((name, km_svg(groups, &opts).expect("drawn")));
            }
        }
    }
    // The legend above the plot with four long names, and the incidence view, at one column.
    for (name, legend, curve) in [
        (
            "review_85_4_top",
            LegendPosition::Top,
            survcalc::plot::CurveKind::Survival,
        ),
        (
            "review_85_2_incidence",
            LegendPosition::Auto,
            survcalc::plot::CurveKind::CumulativeIncidence,
        ),
    ] {
        let (groups, names) = if legend == LegendPosition::Top {
            &veteran
        } else {
            &lung
        };
        let opts = PlotOptions {
            time_unit: Some("days".into()),
            display_unit: Some(survcalc::options::TimeUnit::Months),
            labels: names
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            legend,
            curve,
            ..PlotOptions::default()
        };
        figures.push((name.to_string(), km_svg(groups, &opts).expect("drawn")));
    }
    figures
}

/// lung's Cox model (age, ECOG score, sex) with its univariable models, as a forest plot at `size`
/// (the forest's default, two columns, when None).
fn lung_forest(size: Option<survcalc::plot::FigureSize>) -> String {
    use survcalc::cox::{cox, CovariateKind, CovariateSpec, CoxSpec};
    use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
    use survcalc::options::Ties;
    use survcalc::plot::forest::{cox_forest_svg, CoxForest, ForestOptions};
    let bytes = std::fs::read(common::data_path("cox_lung.csv")).expect("data");
    let table =
        survcalc::data::read_table(&bytes, Some("lung.csv"), &Default::default()).expect("table");
    let numeric = |c: &str| CovariateSpec {
        column: c.into(),
        kind: CovariateKind::Numeric,
    };
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: Vec::new(),
        },
        covariates: vec![
            numeric("age"),
            CovariateSpec {
                column: "ph.ecog".into(),
                kind: CovariateKind::Categorical { reference: None },
            },
            numeric("sex"),
        ],
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: true,
        zph: None,
        firth: false,
        per: Vec::new(),
    };
    let fit = cox(&table, &spec).expect("cox");
    let forest: CoxForest =
        serde_json::from_value(serde_json::to_value(&fit).expect("json")).expect("forest input");
    let mut opts = ForestOptions::default();
    opts.page.size = size;
    // One column holds one model at 8 pt with the long names wrapped (on one line each it
    // needed 101 mm); two models need the forest's default two columns.
    if size == Some(survcalc::plot::FigureSize::Single) {
        opts.models = survcalc::plot::forest::ForestModels::Multivariable;
    }
    for (key, text) in [
        ("age", "Age (per year)"),
        ("ph.ecog", "ECOG performance status"),
        ("sex", "Female (vs male)"),
    ] {
        opts.labels.insert(key.into(), text.into());
    }
    cox_forest_svg(&forest, &opts).expect("forest drawn")
}
