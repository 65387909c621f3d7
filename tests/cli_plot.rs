//! `--plot` (km, cif) and `--forest` (cox) as a process: the file is the core's figure of the
//! command's own JSON with the page's options (so the command line's figure is the page's),
//! labels in its legend and rows, physical size, PDF and TIFF read back, and errors.
//!
//! Expected figures come from `survcalc::plot::km_svg` / `cox_forest_svg` called here on the
//! JSON the same command prints, with the options www/figure.js `curveOptions` / `forestBlock`
//! would pass; sizes from the journal widths in src/plot/options.rs (85, 140, 180 mm); data are
//! survival's `aml`, `lung` and `mgus2` (tests/data).

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;
use survcalc::plot::forest::{cox_forest_svg, CoxForest, ForestOptions};
use survcalc::plot::{km_svg, CurveKind, PlotGroup, PlotOptions, TestNote};

fn path(name: &str) -> String {
    common::data_path(name).display().to_string()
}

fn run(args: &[&str]) -> Output {
    common::survcalc(args, None)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "survcalc failed: {}", stderr(&out));
    out
}

/// A file name under the target's scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        Scratch(dir.join(format!("cli_plot_{}_{name}", std::process::id())))
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }

    fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.0).unwrap_or_else(|e| panic!("{}: {e}", self.0.display()))
    }

    fn text(&self) -> String {
        String::from_utf8(self.bytes()).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// `km` on aml by maintenance (`x`) with `extra` flags.
fn km_aml(extra: &[&str]) -> Output {
    let aml = path("aml.csv");
    let base = [
        "km", &aml, "--time", "time", "--event", "status", "--group", "x",
    ];
    run(&[&base[..], extra].concat())
}

const LABELS: [&str; 4] = [
    "--label",
    "x=Maintained=Drug",
    "--label",
    "x=Nonmaintained=No drug",
];

/// The curves of a result's JSON as the page hands them to the core.
fn groups(json: &Value) -> Vec<PlotGroup> {
    serde_json::from_value(json["groups"].clone()).unwrap()
}

/// The SVG's texts, each trimmed (plotters writes a text's content on a line of its own).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

/// How many of the SVG's texts read `text`.
fn count(svg: &str, text: &str) -> usize {
    texts(svg).iter().filter(|t| *t == text).count()
}

/// The `width` and `height` of the SVG's root, in millimetres.
fn size_mm(svg: &str) -> (f64, f64) {
    let root = &svg[..svg.find('>').unwrap()];
    let attr = |name: &str| -> f64 {
        let at = root.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        root[at..]
            .split('"')
            .next()
            .unwrap()
            .strip_suffix("mm")
            .unwrap()
            .parse()
            .unwrap()
    };
    (attr("width"), attr("height"))
}

#[test]
fn km_plot_is_the_core_figure_of_the_km_json_with_the_pages_options() {
    let file = Scratch::new("km.svg");
    let with_plot = ok(km_aml(&[&LABELS[..], &["--plot", file.path()]].concat()));
    let json = common::json(&km_aml(&[&LABELS[..], &["--json"]].concat()));
    // www/figure.js curveOptions with the page's defaults (settings.plot = PLOT_DEFAULTS):
    // every name labelled (unlabelled as itself), in the groups' order, the log-rank P shown.
    let names: Vec<String> = groups(&json).iter().map(|g| g.name.clone()).collect();
    let labels: BTreeMap<String, String> = names
        .iter()
        .map(|n| {
            let label = json["labels"]["x"]["levels"][n].as_str().unwrap_or(n);
            (n.clone(), label.to_string())
        })
        .collect();
    let log_rank = json["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "log-rank")
        .unwrap();
    let page = PlotOptions {
        labels,
        order: names,
        test: Some(TestNote {
            name: "Log-rank".into(),
            p: log_rank["p"].as_f64().unwrap(),
        }),
        ..PlotOptions::default()
    };
    let expected = km_svg(&groups(&json), &page).unwrap();
    assert_eq!(file.text(), expected, "the CLI's figure is not the page's");
    let note = stderr(&with_plot);
    assert!(
        note.contains(&format!("wrote the Kaplan-Meier figure to {}", file.path())),
        "{note}"
    );
    assert!(note.contains("(SVG, 85 x "), "{note}");
}

#[test]
fn labels_are_in_the_legend_and_the_risk_table_and_the_codes_are_not() {
    let file = Scratch::new("labels.svg");
    ok(km_aml(&[&LABELS[..], &["--plot", file.path()]].concat()));
    let svg = file.text();
    // One text in the legend, one heading the group's number-at-risk row.
    assert_eq!(count(&svg, "Drug"), 2, "{svg}");
    assert_eq!(count(&svg, "No drug"), 2, "{svg}");
    assert_eq!(count(&svg, "Maintained") + count(&svg, "Nonmaintained"), 0);
    assert_eq!(count(&svg, "Number at risk"), 1);
}

#[test]
fn figure_sizes_are_the_journal_widths_in_millimetres() {
    for (size, width) in [("single", 85.0), ("one-and-half", 140.0), ("double", 180.0)] {
        let file = Scratch::new(&format!("{size}.svg"));
        ok(km_aml(&["--plot", file.path(), "--figure-size", size]));
        let (w, h) = size_mm(&file.text());
        assert_eq!(w, width, "{size}");
        assert!(h > 20.0 && h < 2.0 * width, "{size}: height {h}");
    }
}

#[test]
fn pdf_parses_with_the_figures_page_size() {
    let pdf = Scratch::new("km.pdf");
    let out = ok(km_aml(&["--plot", pdf.path(), "--figure-size", "double"]));
    let doc = lopdf::Document::load_mem(&pdf.bytes()).expect("a PDF lopdf reads");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page = doc.get_dictionary(pages[&1]).unwrap();
    let media: Vec<f32> = page
        .get(b"MediaBox")
        .and_then(|m| m.as_array())
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    // 180 mm is 180 / 25.4 * 72 = 510.24 points.
    assert!((media[2] - 510.236).abs() < 0.05, "{media:?}");
    let note = stderr(&out);
    assert!(
        note.contains("(PDF, 180 x ") && note.contains("mm, vector)"),
        "{note}"
    );
}

#[test]
fn tiff_carries_the_chosen_resolution() {
    use tiff::decoder::Decoder;
    use tiff::tags::Tag;
    for (name, dpi) in [("km.tif", 600.0_f64), ("km.tiff", 300.0)] {
        let file = Scratch::new(name);
        let out = ok(km_aml(&["--plot", file.path(), "--dpi", &dpi.to_string()]));
        let bytes = file.bytes();
        let mut decoder = Decoder::new(Cursor::new(&bytes)).expect("a TIFF");
        let (w, _) = decoder.dimensions().unwrap();
        // 85 mm at `dpi` pixels per inch.
        assert_eq!(w, (85.0 / 25.4 * dpi).round() as u32);
        assert_eq!(decoder.get_tag_u32(Tag::ResolutionUnit).unwrap(), 2);
        let x = decoder.get_tag_u32_vec(Tag::XResolution).unwrap();
        assert_eq!(f64::from(x[0]) / f64::from(x[1]), dpi);
        let y = decoder.get_tag_u32_vec(Tag::YResolution).unwrap();
        assert_eq!(f64::from(y[0]) / f64::from(y[1]), dpi);
        assert!(stderr(&out).contains("(TIFF, 85 x "), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("mm, {dpi} dpi)")),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn png_is_written_too() {
    let file = Scratch::new("km.png");
    ok(km_aml(&["--plot", file.path(), "--dpi", "150"]));
    assert_eq!(&file.bytes()[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn a_bad_extension_names_the_accepted_ones_and_writes_nothing() {
    for name in ["km.jpg", "km"] {
        let file = Scratch::new(name);
        let out = km_aml(&["--plot", file.path()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains(".svg, .pdf, .tif, .tiff or .png"), "{err}");
        assert!(!file.0.exists());
        assert!(out.stdout.is_empty(), "no result printed on a usage error");
    }
}

#[test]
fn flags_and_the_options_file_set_the_page_choices() {
    let plain = Scratch::new("plain.svg");
    ok(km_aml(&["--plot", plain.path()]));
    let opts = Scratch::new("opts.json");
    std::fs::write(
        &opts.0,
        r##"{"percent": true, "palette": "greyscale", "endpoint": "Overall survival", "colors": {"Maintained": "#D55E00"}}"##,
    )
    .unwrap();
    let styled = Scratch::new("styled.svg");
    ok(km_aml(&[
        "--plot",
        styled.path(),
        "--plot-options",
        opts.path(),
        "--palette",
        "okabe-ito",
        "--y-label",
        "Recurrence-free survival (%)",
        "--no-risk-table",
        "--legend",
        "top",
        "--censor-style",
        "none",
        "--time-step",
        "12",
    ]));
    let svg = styled.text();
    assert_eq!(
        count(&svg, "Recurrence-free survival (%)"),
        1,
        "the flag's y title"
    );
    assert_eq!(count(&svg, "Number at risk"), 0);
    // The file's colour for one group (flags do not touch it); percent from the file.
    assert!(svg.contains("#D55E00"));
    assert_eq!(count(&svg, "100"), 1, "percent axis");
    // 12-week steps: 0, 12, 24 ... on aml's 161 weeks.
    assert!(
        count(&svg, "12") == 1 && count(&svg, "24") == 1,
        "{:?}",
        texts(&svg)
    );
    assert_ne!(svg, plain.text());
}

#[test]
fn an_unknown_option_in_the_file_lists_the_options() {
    let opts = Scratch::new("bad.json");
    std::fs::write(&opts.0, r#"{"pallete": "greyscale"}"#).unwrap();
    let file = Scratch::new("bad.svg");
    let out = km_aml(&["--plot", file.path(), "--plot-options", opts.path()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("'pallete' is not an option") && err.contains("palette"),
        "{err}"
    );
    std::fs::write(&opts.0, b"[1, 2]").unwrap();
    let out = km_aml(&["--plot", file.path(), "--plot-options", opts.path()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = km_aml(&["--plot", file.path(), "--figure-size", "triple"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("one-and-half"), "{}", stderr(&out));
}

#[test]
fn display_units_need_the_datas_unit_and_are_stated() {
    let file = Scratch::new("months.svg");
    let out = km_aml(&["--plot", file.path(), "--display-unit", "months"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--unit"), "{}", stderr(&out));
    // aml's times are weeks: shown in months, 1 month = 30.4375 / 7 weeks.
    let out = ok(km_aml(&[
        "--plot",
        file.path(),
        "--unit",
        "weeks",
        "--display-unit",
        "months",
    ]));
    assert_eq!(count(&file.text(), "Time (months)"), 1);
    assert!(
        stderr(&out).contains("Time was recorded in weeks and is shown in months"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn two_groups_can_carry_the_hazard_ratio_note() {
    let file = Scratch::new("hr.svg");
    let json = common::json(&km_aml(&["--json"]));
    ok(km_aml(&[
        "--plot",
        file.path(),
        "--plot-hazard-ratio",
        "mantel-haenszel",
    ]));
    let mh = &json["hazard_ratio"]["estimates"][0];
    assert_eq!(mh["method"], "mantel-haenszel");
    let svg = file.text();
    // The note as src/plot/options.rs `notes` writes it, from the km JSON's estimate.
    let hr = format!("{:.2}", mh["hr"].as_f64().unwrap());
    assert!(svg.contains("Mantel-Haenszel HR"), "{svg}");
    assert!(svg.contains(&hr), "{hr}");
    let cox = Scratch::new("hr_cox.svg");
    let out = ok(km_aml(&[
        "--plot",
        cox.path(),
        "--plot-hazard-ratio",
        "cox",
    ]));
    assert!(cox.text().contains("Cox HR"));
    assert!(stderr(&out).contains("Cox model with the group as the only covariate"));
}

#[test]
fn cif_plot_is_the_core_figure_with_grays_p() {
    let mgus2 = path("cif_mgus2.csv");
    let args = [
        "cif",
        &mgus2,
        "--time",
        "etime",
        "--event",
        "event_label",
        "--event-value",
        "pcm",
        "--competing-value",
        "death",
        "--group",
        "sex",
        "--label",
        "sex=F=Women",
    ];
    let file = Scratch::new("cif.svg");
    let out = ok(run(&[&args[..], &["--plot", file.path()]].concat()));
    let json = common::json(&run(&[&args[..], &["--json"]].concat()));
    // www/cif.js cifFigure: curve 'cif', Gray's test as the plot's test, the y title naming
    // the event of interest.
    let page = PlotOptions {
        curve: CurveKind::Cif,
        labels: [
            ("F".to_string(), "Women".to_string()),
            ("M".into(), "M".into()),
        ]
        .into(),
        order: vec!["F".into(), "M".into()],
        test: Some(TestNote {
            name: "Gray's test".into(),
            p: json["gray_test"]["p"].as_f64().unwrap(),
        }),
        y_label: Some("Cumulative incidence of pcm".into()),
        ..PlotOptions::default()
    };
    assert_eq!(file.text(), km_svg(&groups(&json), &page).unwrap());
    assert!(stderr(&out).contains("wrote the cumulative incidence figure"));
}

#[test]
fn forest_plot_has_one_row_per_term_and_is_the_core_figure() {
    let lung = path("cox_lung.csv");
    let args = [
        "cox",
        &lung,
        "--time",
        "time",
        "--event",
        "status",
        "--covariate",
        "age",
        "--categorical",
        "ph.ecog",
        "--covariate",
        "sex",
        "--label",
        "age=Age (years)",
        "--label",
        "ph.ecog=0=ECOG 0",
        "--label",
        "ph.ecog=1=ECOG 1",
        "--label",
        "ph.ecog=2=ECOG 2",
        "--label",
        "ph.ecog=3=ECOG 3",
    ];
    let file = Scratch::new("forest.svg");
    ok(run(&[&args[..], &["--forest", file.path()]].concat()));
    let svg = file.text();
    let json = common::json(&run(&[&args[..], &["--json"]].concat()));
    // One row per term (labelled as given), the reference level's row once, the covariate's
    // own row for its overall test.
    for row in [
        "Age (years)",
        "ECOG 1",
        "ECOG 2",
        "ECOG 3",
        "sex",
        "ECOG 0",
        "ph.ecog",
    ] {
        assert_eq!(count(&svg, row), 1, "{row}: {:?}", texts(&svg));
    }
    assert_eq!(json["terms"].as_array().unwrap().len(), 5);
    assert_eq!(count(&svg, "1 (reference)"), 1, "{:?}", texts(&svg));
    // www/figure.js forestBlock: the labels, double width, 8 pt, 300 dpi, both models.
    let fit: CoxForest = serde_json::from_value(json.clone()).unwrap();
    let labels: BTreeMap<String, String> = [
        ("age", "Age (years)"),
        ("ph.ecog=0", "ECOG 0"),
        ("ph.ecog=1", "ECOG 1"),
        ("ph.ecog=2", "ECOG 2"),
        ("ph.ecog=3", "ECOG 3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let page = ForestOptions {
        labels,
        ..ForestOptions::default()
    };
    assert_eq!(svg, cox_forest_svg(&fit, &page).unwrap());
    assert_eq!(size_mm(&svg).0, 180.0);
}

#[test]
fn plot_flags_need_the_plot() {
    let out = km_aml(&["--dpi", "600"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--plot"), "{}", stderr(&out));
}

#[test]
fn the_reference_group_turns_the_hazard_ratio_on_the_figure() {
    let file = Scratch::new("reference.svg");
    ok(km_aml(&[
        "--plot",
        file.path(),
        "--reference",
        "Nonmaintained",
        "--plot-hazard-ratio",
        "cox",
    ]));
    // The Cox model of the group alone with the same reference, from `survcalc cox`.
    let aml = path("aml.csv");
    let cox = common::json(&run(&[
        "cox",
        &aml,
        "--time",
        "time",
        "--event",
        "status",
        "--categorical",
        "x=Nonmaintained",
        "--json",
    ]));
    let hr = cox["terms"][0]["hr"].as_f64().unwrap();
    let shown = texts(&file.text()).join(" ");
    assert!(shown.contains("Cox HR Maintained vs"), "{shown}");
    assert!(shown.contains(&format!("{hr:.2}")), "{hr:.2} in {shown}");
}
