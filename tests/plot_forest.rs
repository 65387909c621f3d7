//! Forest plots read back from the SVG: a Cox model's univariable and multivariable hazard ratios side by side (reference rows, overall P of a categorical covariate, HR (95% CI) and P columns, estimates on the log axis), one model alone, and subgroup hazard ratios with the interaction P.

mod common;

use common::svg::{parse, save, Element};
use survcalc::cox::{
    cox, subgroups, CovariateKind, CovariateSpec, CoxSpec, SubgroupAnalysis, SubgroupSpec,
};
use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::options::Ties;
use survcalc::plot::forest::{
    cox_forest_svg, subgroup_forest_svg, CoxForest, ForestModels, ForestOptions,
};

fn table(file: &str) -> Table {
    let bytes = std::fs::read(common::data_path(file)).expect("data file");
    read_table(&bytes, Some(file), &ReadOptions::default()).expect("table")
}

fn outcome() -> SurvivalSpec {
    SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: Vec::new(),
    }
}

/// lung: age, ECOG score (categorical, 4 levels) and sex; univariable models too. The fit is
/// the core's, checked against coxph in cox_matches_r.rs.
fn lung_fit() -> (serde_json::Value, CoxForest) {
    let spec = CoxSpec {
        outcome: outcome(),
        covariates: vec![
            CovariateSpec {
                column: "age".into(),
                kind: CovariateKind::Numeric,
            },
            CovariateSpec {
                column: "ph.ecog".into(),
                kind: CovariateKind::Categorical { reference: None },
            },
            CovariateSpec {
                column: "sex".into(),
                kind: CovariateKind::Numeric,
            },
        ],
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: true,
        zph: None,
        firth: false,
        per: Vec::new(),
    };
    let fit = cox(&table("cox_lung.csv"), &spec).expect("cox");
    let json = serde_json::to_value(&fit).expect("cox JSON");
    let forest =
        serde_json::from_value(json.clone()).expect("the cox JSON is forest input as it is");
    (json, forest)
}

fn texts(elements: &[Element]) -> Vec<&str> {
    elements
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect()
}

/// The row whose label (left-aligned) is `label`: every text on its line, left to right.
fn row<'a>(elements: &'a [Element], label: &str) -> Vec<&'a str> {
    let y = elements
        .iter()
        .find(|e| e.tag == "text" && e.text == label && e.attr("text-anchor") == "start")
        .unwrap_or_else(|| panic!("row {label}"))
        .num("y");
    let mut on_row: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "text" && e.num("y") == y)
        .collect();
    on_row.sort_by_key(|e| e.num("x"));
    on_row.into_iter().map(|e| e.text.as_str()).collect()
}

fn hr_text(term: &serde_json::Value) -> String {
    let r = |key: &str| format!("{:.2}", term[key].as_f64().expect("number"));
    format!("{} ({}\u{2013}{})", r("hr"), r("hr_lower"), r("hr_upper"))
}

#[test]
fn univariable_and_multivariable_side_by_side() {
    let (json, fit) = lung_fit();
    let mut opts = ForestOptions::default();
    opts.labels
        .insert("ph.ecog".into(), "ECOG performance status".into());
    opts.labels.insert("age".into(), "Age (per year)".into());
    let svg = cox_forest_svg(&fit, &opts).expect("drawn");
    save("forest_lung", &svg);
    let elements = parse(&svg);
    let all = texts(&elements);
    for heading in [
        "Univariable",
        "Multivariable",
        "HR (95% CI)",
        "P",
        "Age (per year)",
        "ECOG performance status",
        "sex",
    ] {
        assert!(all.contains(&heading), "{heading}");
    }
    // The reference level in both models, then each level's estimates in both.
    assert_eq!(row(&elements, "0"), ["0", "1 (reference)", "1 (reference)"]);
    let multi = &json["terms"][1];
    assert_eq!(multi["name"], "ph.ecog=1");
    let uni_rows = json["univariate"][1]["rows"].as_array().expect("rows");
    let uni = uni_rows
        .iter()
        .find(|r| r["name"] == "ph.ecog=1")
        .expect("row");
    let p = |v: &serde_json::Value| survcalc::format::p_value(v["p"].as_f64().expect("p"));
    assert_eq!(
        row(&elements, "1"),
        ["1", &hr_text(uni), &p(uni), &hr_text(multi), &p(multi)]
    );
    // The ECOG heading carries the univariable model's likelihood-ratio P.
    let lr = survcalc::format::p_value(json["univariate"][1]["lr_test"]["p"].as_f64().expect("p"));
    assert!(row(&elements, "ECOG performance status").contains(&lr.as_str()));
}

#[test]
fn estimates_sit_on_the_log_axis_with_a_line_at_one() {
    let (json, fit) = lung_fit();
    let opts = ForestOptions {
        models: ForestModels::Multivariable,
        page: survcalc::plot::Page {
            size: Some(survcalc::plot::FigureSize::Single),
            ..Default::default()
        },
        ..ForestOptions::default()
    };
    let svg = cox_forest_svg(&fit, &opts).expect("drawn");
    save("forest_lung_multivariable", &svg);
    let elements = parse(&svg);
    assert!(!texts(&elements).contains(&"Univariable"));
    // Tick labels under the axis: their x by value.
    let tick = |v: &str| {
        elements
            .iter()
            .filter(|e| e.tag == "text" && e.text == v)
            .max_by_key(|e| e.num("y"))
            .expect("tick")
            .num("x")
    };
    // lung's intervals run from about 0.4 to 67 (ECOG 3): decades on the axis.
    let (x1, x10) = (tick("1"), tick("10"));
    // The grey line of no effect stands at 1.
    let line_at_one = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#595959")
        .any(|e| e.points().iter().all(|p| p.0 == x1));
    assert!(line_at_one);
    // Each estimate's square is centred at x1 + log10(hr) (x10 - x1).
    let squares: Vec<i32> = elements
        .iter()
        .filter(|e| e.tag == "rect" && e.attr("fill") == "#000000")
        .map(|e| e.num("x") + e.num("width") / 2)
        .collect();
    for term in json["terms"].as_array().expect("terms") {
        let hr = term["hr"].as_f64().expect("hr");
        let x = x1 + (hr.log10() * f64::from(x10 - x1)).round() as i32;
        assert!(
            squares.iter().any(|s| (s - x).abs() <= 1),
            "{} at {x}: {squares:?}",
            term["name"]
        );
    }
}

#[test]
fn subgroups_show_patients_estimates_and_the_interaction_p() {
    let r = common::fixture("cox_subgroup_fixtures.json");
    let spec = SubgroupSpec {
        outcome: outcome(),
        group: "trt".into(),
        reference: None,
        subgroups: vec!["celltype".into(), "prior".into()],
        ties: Ties::Efron,
        conf_level: 0.95,
    };
    let analysis = subgroups(&table("cox_subgroup_veteran.csv"), &spec).expect("subgroups");
    let mut opts = ForestOptions::default();
    for (key, text) in [
        ("1", "Standard"),
        ("2", "Test"),
        ("celltype", "Cell type"),
        ("prior", "Prior therapy"),
        ("prior=0", "No"),
        ("prior=10", "Yes"),
    ] {
        opts.labels.insert(key.into(), text.into());
    }
    let svg = subgroup_forest_svg(&analysis, &opts).expect("drawn");
    save("forest_subgroups", &svg);
    // The page hands the worker's answer (JSON) back to the drawing: read back, it is the same.
    let read: SubgroupAnalysis =
        serde_json::from_value(serde_json::to_value(&analysis).expect("json")).expect("read back");
    assert_eq!(read, analysis);
    let elements = parse(&svg);
    let all = texts(&elements);
    assert!(all.contains(&"Test vs Standard") && all.contains(&"Patients (events)"));
    // R: interaction P of trt x celltype 0.0417 (anova of the nested coxph models).
    let p = survcalc::format::p_value(r["subgroups"][0]["interaction"]["p"].as_f64().expect("p"));
    assert_eq!(row(&elements, "Cell type"), ["Cell type", &p]);
    let adeno = &r["subgroups"][0]["levels"][0];
    assert_eq!(
        row(&elements, "adeno"),
        [
            "adeno",
            "27 (26)",
            &hr_text(adeno),
            &survcalc::format::p_value(adeno["p"].as_f64().expect("p"))
        ]
    );
    assert_eq!(row(&elements, "Yes")[1], "40 (37)");
    assert_eq!(row(&elements, "All patients")[1], "137 (128)");
}

/// The log axis under panel `k` (counted from the left): its ends and its ticks' x.
fn forest_axes(elements: &[Element]) -> Vec<((i32, i32), Vec<i32>)> {
    let lines: Vec<Vec<(i32, i32)>> = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#000000")
        .map(|e| e.points())
        .filter(|p| p.len() == 2)
        .collect();
    let mut axes: Vec<((i32, i32), Vec<i32>)> = lines
        .iter()
        .filter(|p| p[0].1 == p[1].1 && p[0].0 < p[1].0)
        .map(|p| {
            let y = p[0].1;
            let ticks = lines
                .iter()
                .filter(|t| t[0].0 == t[1].0 && t[0].1 == y && t[1].1 > y)
                .map(|t| t[0].0)
                .filter(|&x| x >= p[0].0 && x <= p[1].0)
                .collect::<Vec<i32>>();
            ((p[0].0, p[1].0), ticks)
        })
        .filter(|(_, ticks)| ticks.len() >= 2)
        .collect();
    axes.sort();
    axes
}

#[test]
fn log_axes_begin_and_end_at_labelled_ticks() {
    // Hazard ratios all below 1 (0.003 to 0.9) and all above 1 (1.2 to 300), and lung's.
    let fit = |rows: &[(&str, f64, f64, f64)]| -> CoxForest {
        let terms: Vec<serde_json::Value> = rows
            .iter()
            .map(|&(name, hr, lo, hi)| {
                serde_json::json!({"name": name, "variable": name, "hr": hr,
                    "hr_lower": lo, "hr_upper": hi, "p": 0.01})
            })
            .collect();
        serde_json::from_value(serde_json::json!({ "terms": terms })).expect("forest input")
    };
    let below = fit(&[("a", 0.05, 0.003, 0.9), ("b", 0.3, 0.1, 0.8)]);
    let above = fit(&[("a", 20.0, 1.2, 300.0), ("b", 3.0, 1.5, 6.0)]);
    let narrow = fit(&[("a", 1.1, 1.0, 1.3)]);
    let (_, lung) = lung_fit();
    for (name, forest) in [
        ("below", below),
        ("above", above),
        ("narrow", narrow),
        ("lung", lung),
    ] {
        for size in [
            survcalc::plot::FigureSize::Single,
            survcalc::plot::FigureSize::Double,
        ] {
            // One column holds one model (see narrow_widths_are_refused_not_overlapped).
            let models = match size {
                survcalc::plot::FigureSize::Single => ForestModels::Multivariable,
                _ => ForestModels::Both,
            };
            let opts = ForestOptions {
                models,
                page: survcalc::plot::Page {
                    size: Some(size),
                    ..Default::default()
                },
                ..ForestOptions::default()
            };
            let svg = cox_forest_svg(&forest, &opts).expect("drawn");
            save(&format!("forest_axis_{name}_{size:?}"), &svg);
            let axes = forest_axes(&parse(&svg));
            assert!(!axes.is_empty(), "{name}: an axis");
            for ((left, right), ticks) in axes {
                assert_eq!(
                    ticks.iter().min(),
                    Some(&left),
                    "{name} {size:?}: starts at a tick"
                );
                assert_eq!(
                    ticks.iter().max(),
                    Some(&right),
                    "{name} {size:?}: ends at a tick"
                );
            }
        }
    }
}

#[test]
fn no_text_prints_below_six_points() {
    // At the smallest font size allowed, the note under the plot (set at 0.9 of it) is held at
    // 6 pt, a journal's usual minimum; a smaller font size is refused, naming the option.
    let (_, fit) = lung_fit();
    let opts = ForestOptions {
        page: survcalc::plot::Page {
            font_size: 6.0,
            ..Default::default()
        },
        ..ForestOptions::default()
    };
    let svg = cox_forest_svg(&fit, &opts).expect("drawn");
    let sizes = common::svg::text_points(&parse(&svg));
    assert!(
        sizes.iter().any(|(t, _)| t.starts_with("P beside")),
        "the note"
    );
    for (text, pt) in sizes {
        assert!(pt >= 6.0 - 1e-6, "{text}: {pt} pt");
    }
    let small = ForestOptions {
        page: survcalc::plot::Page {
            font_size: 5.0,
            ..Default::default()
        },
        ..ForestOptions::default()
    };
    let err = cox_forest_svg(&fit, &small).unwrap_err().to_string();
    assert!(
        err.contains("'font_size'") && err.contains("from 6"),
        "{err}"
    );
}

#[test]
fn narrow_widths_are_refused_not_overlapped() {
    // lung's two models side by side need more than one column (85 mm) at 8 pt: the plot says
    // how wide it must be rather than drawing the second panel over the first; at that width it
    // is drawn, with the panels' axes apart.
    let (_, fit) = lung_fit();
    let at = |width_mm: Option<f64>| ForestOptions {
        page: survcalc::plot::Page {
            size: Some(survcalc::plot::FigureSize::Single),
            width_mm,
            ..Default::default()
        },
        ..ForestOptions::default()
    };
    let err = cox_forest_svg(&fit, &at(None)).unwrap_err().to_string();
    assert!(err.contains("wider than the 85 mm asked"), "{err}");
    let need: f64 = err
        .split("needs ")
        .nth(1)
        .and_then(|rest| rest.split(" mm").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a width in {err}"));
    assert!(need > 85.0 && need <= 180.0, "{need}");
    let svg = cox_forest_svg(&fit, &at(Some(need))).expect("drawn at the width it asked for");
    let axes = forest_axes(&parse(&svg));
    assert_eq!(axes.len(), 2, "{axes:?}");
    assert!(axes[0].0 .1 < axes[1].0 .0, "the panels apart: {axes:?}");
    assert!(cox_forest_svg(&fit, &at(Some(need - 2.0))).is_err());
}

/// An upper bound of a text's printed width in pixels at `em` pixels to the em, from Arial's
/// advance widths (Liberation Sans and Arimo share them): lower case, digits and punctuation
/// at most 0.584 em but for m and w (0.833), capitals at most 0.778 em but for M and W (0.944).
/// In bold: lower case at most 0.611 em but for m (0.889) and w (0.778), capitals as above.
fn most_width(text: &str, bold: bool, em: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'M' | 'W' => 0.944,
            'm' => 0.889,
            'w' if bold => 0.778,
            'w' => 0.833,
            c if c.is_uppercase() => 0.778,
            _ if bold => 0.611,
            _ => 0.584,
        })
        .sum::<f64>()
        * em
}

#[test]
fn long_names_wrap_at_one_column() {
    // lung's multivariable model alone at 85 mm and 8 pt, with names as a manuscript gives
    // them: the longest no longer fits its one line beside the panel (before wrapping, this
    // needed 6.5 pt), so it is split at spaces (onto at most three lines); a row's estimate,
    // interval and P stay on its first line; no name reaches the panel and no row's lines touch the next's.
    let (json, fit) = lung_fit();
    let mut opts = ForestOptions {
        models: ForestModels::Multivariable,
        page: survcalc::plot::Page {
            size: Some(survcalc::plot::FigureSize::Single),
            ..Default::default()
        },
        ..ForestOptions::default()
    };
    let long = "ECOG performance status";
    opts.labels.insert("ph.ecog".into(), long.into());
    opts.labels.insert("age".into(), "Age (per year)".into());
    opts.labels
        .insert("sex".into(), "Female sex (vs male)".into());
    let svg = cox_forest_svg(&fit, &opts).expect("drawn at one column");
    save("forest_lung_wrapped", &svg);
    let elements = parse(&svg);
    let names: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "text" && e.attr("text-anchor") == "start")
        .collect();
    assert!(!texts(&elements).contains(&long), "{long} is split");
    let em = 8.0 * 300.0 / 72.0;
    // Its lines at the same x, each one line's spacing (1.15 em) below the last, joined by
    // spaces.
    let first = names
        .iter()
        .find(|e| long.starts_with(&e.text) && e.text.len() < long.len())
        .expect("the first line of the long name");
    let mut lines = vec![first.text.clone()];
    let mut y = first.num("y");
    while let Some(next) = names.iter().find(|e| {
        e.num("x") == first.num("x") && ((f64::from(e.num("y") - y) / em) - 1.15).abs() < 0.05
    }) {
        lines.push(next.text.clone());
        y = next.num("y");
    }
    assert!(lines.len() >= 2, "{lines:?}");
    assert_eq!(lines.join(" "), long);
    // The ECOG heading's P (the likelihood-ratio test of its levels) on the first line.
    let sex = &json["terms"][4];
    assert_eq!(sex["name"], "sex");
    let sex_label = names
        .iter()
        .find(|e| "Female sex (vs male)".starts_with(&e.text))
        .expect("sex's first line");
    assert!(row(&elements, &sex_label.text).contains(&hr_text(sex).as_str()));
    // No name reaches the panel's axis; every two lines of names at least a line apart.
    let axes = forest_axes(&elements);
    assert_eq!(axes.len(), 1, "{axes:?}");
    let left = axes[0].0 .0;
    for name in &names {
        let bold = name.attr("font-weight") == "bold";
        let end = f64::from(name.num("x")) + most_width(&name.text, bold, em);
        // The note under the axis spans the figure.
        if !name.text.starts_with("P beside") {
            assert!(
                end <= f64::from(left),
                "{} ends at {end}, the panel at {left}",
                name.text
            );
        }
    }
    let mut ys: Vec<i32> = names.iter().map(|e| e.num("y")).collect();
    ys.sort();
    for pair in ys.windows(2) {
        assert!(f64::from(pair[1] - pair[0]) >= 1.1 * em, "{ys:?}");
    }
}
