//! The Kaplan-Meier figure as SVG: well-formed, curves where the data put them, censor marks, numbers at risk under their ticks, greyscale, edge cases.
//!
//! Each test also writes its SVG under the test target directory (`plot/*.svg`) to look at.

mod common;

use common::svg::{censor_marks, colours, curves, parse, save, x_ticks, y_ticks, Element};
use proptest::prelude::*;
use survcalc::plot::{km_svg, CensorStyle, CurveKind, Palette, PlotGroup, PlotOptions, PlotStep};

/// Okabe & Ito (2008) blue and vermillion: the first two curve colours.
const BLUE: &str = "#0072B2";
const VERMILLION: &str = "#D55E00";

fn lung() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/plot_lung_km.json"
    ))
    .expect("fixture written by tests/data/plot.R");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// The groups exactly as `km --json` shapes them (extra keys such as `n`, `se` ignored).
fn lung_groups() -> Vec<PlotGroup> {
    serde_json::from_value(lung()["groups"].clone()).expect("km groups deserialize")
}

/// Five patients: deaths at 2 and 4, censored at 6, 8 and 10. By hand, S = 4/5 = 0.8 after
/// time 2 and 0.8 x 3/4 = 0.6 after time 4, flat to 10.
fn five_patients() -> PlotGroup {
    PlotGroup {
        name: "A".into(),
        steps: vec![
            PlotStep::new(2.0, 5, 1, 0, 0.8),
            PlotStep::new(4.0, 4, 1, 0, 0.6),
            PlotStep::new(6.0, 3, 0, 1, 0.6),
            PlotStep::new(8.0, 2, 0, 1, 0.6),
            PlotStep::new(10.0, 1, 0, 1, 0.6),
        ],
        median: None,
    }
}

#[test]
fn hand_example_steps_land_on_the_axis_ticks() {
    let opts = PlotOptions {
        time_step: Some(2.0),
        ..PlotOptions::default()
    };
    let svg = km_svg(&[five_patients()], &opts).expect("drawn");
    save("five_patients", &svg);
    let elements = parse(&svg);
    let xs = x_ticks(&elements);
    let ys = y_ticks(&elements);
    let at = |t: &str, s: &str| (xs[t], ys[s]);
    let curve = curves(&elements, BLUE);
    assert_eq!(curve.len(), 1, "one path for the one group");
    assert_eq!(
        curve[0].points(),
        vec![
            at("0", "1.0"),
            at("2", "1.0"),
            at("2", "0.8"),
            at("4", "0.8"),
            at("4", "0.6"),
            at("10", "0.6"),
        ]
    );
    assert_eq!(censor_marks(&elements), 3, "censored at 6, 8 and 10");
}

#[test]
fn lung_by_sex_draws_one_curve_per_group_from_one_to_the_last_time() {
    let groups = lung_groups();
    let p = survcalc::format::p_value(lung()["logrank_p"].as_f64().expect("p"));
    let opts = PlotOptions {
        time_unit: Some("days".into()),
        annotation: Some(format!("Log-rank P = {p}")),
        censor_style: CensorStyle::Every,
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("lung_by_sex", &svg);
    let elements = parse(&svg);
    let xs = x_ticks(&elements);
    let ys = y_ticks(&elements);
    for (group, colour) in groups.iter().zip([BLUE, VERMILLION]) {
        let curve = curves(&elements, colour);
        assert_eq!(curve.len(), 1, "one path for {}", group.name);
        let points = curve[0].points();
        assert_eq!(
            points[0],
            (xs["0"], ys["1.0"]),
            "{} starts at S(0) = 1",
            group.name
        );
        let last = group.steps.last().expect("steps");
        // Scaled from the farthest tick, so the ticks' rounding to whole pixels is not
        // multiplied by extrapolating past them.
        let (far, x_far) = xs
            .iter()
            .map(|(t, &x)| (t.parse::<f64>().expect("a time"), x))
            .fold((0.0, xs["0"]), |a, b| if b.0 > a.0 { b } else { a });
        let x0 = xs["0"];
        let x_last = x0 + (last.time / far * f64::from(x_far - x0)).round() as i32;
        let (y0, y1) = (ys["0.0"], ys["1.0"]);
        let y_last = y0 - (last.surv * f64::from(y0 - y1)).round() as i32;
        let end = *points.last().expect("points");
        assert!(
            (end.0 - x_last).abs() <= 1,
            "{}: ends at {end:?}",
            group.name
        );
        assert!(
            (end.1 - y_last).abs() <= 1,
            "{}: ends at {end:?}",
            group.name
        );
    }
    let censored_times: usize = groups
        .iter()
        .map(|g| g.steps.iter().filter(|s| s.n_censor > 0).count())
        .sum();
    assert_eq!(censor_marks(&elements), censored_times);
    assert!(elements
        .iter()
        .any(|e| e.tag == "text" && e.text == "Log-rank P = 0.001"));
    assert!(elements.iter().any(|e| e.text == "Time (days)"));
    let desc = elements.iter().find(|e| e.tag == "desc").expect("<desc>");
    assert_eq!(desc.text, survcalc::plot::km_description(&groups, &opts));
    assert!(desc
        .text
        .contains("Male: 138 at risk at time 0, median survival 270 days"));
}

#[test]
fn numbers_at_risk_match_r_and_sit_under_their_ticks() {
    let lung = lung();
    let groups = lung_groups();
    let times: Vec<f64> = serde_json::from_value(lung["risk_times"].clone()).expect("times");
    let expected: Vec<Vec<u64>> =
        serde_json::from_value(lung["n_risk_at"].clone()).expect("n_risk_at");
    let opts = PlotOptions {
        time_step: Some(200.0),
        x_max: Some(1000.0),
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("lung_risk_table", &svg);
    let elements = parse(&svg);
    let xs = x_ticks(&elements);
    let heading = elements
        .iter()
        .find(|e| e.text == "Number at risk")
        .expect("table heading")
        .num("y");
    for (group, expected) in groups.iter().zip(&expected) {
        let label = elements
            .iter()
            .find(|e| e.text == group.name && e.attr("text-anchor") == "end")
            .expect("row label");
        let row_y = label.num("y");
        assert!(row_y > heading);
        let row: Vec<&Element> = elements
            .iter()
            .filter(|e| e.tag == "text" && e.num("y") == row_y && e.attr("text-anchor") == "middle")
            .collect();
        assert_eq!(
            row.len(),
            times.len(),
            "{}: one number per break",
            group.name
        );
        // R: summary(fit, times = seq(0, 1000, by = 200), extend = TRUE)$n.risk.
        for ((t, n), cell) in times.iter().zip(expected).zip(row) {
            assert_eq!(cell.text, n.to_string(), "{} at {t}", group.name);
            assert_eq!(
                cell.num("x"),
                xs[&format!("{t}")],
                "{} at {t} aligns",
                group.name
            );
        }
    }
}

#[test]
fn greyscale_uses_no_colour() {
    let groups = lung_groups();
    let mut four = groups.clone();
    four.extend(groups.iter().map(|g| PlotGroup {
        name: format!("{} again", g.name),
        ..g.clone()
    }));
    let opts = PlotOptions {
        palette: Palette::Greyscale,
        conf_bands: true,
        median_lines: true,
        annotation: Some("Log-rank P = 0.001".into()),
        ..PlotOptions::default()
    };
    let svg = km_svg(&four, &opts).expect("drawn");
    save("lung_greyscale", &svg);
    let found = colours(&svg);
    assert!(found.iter().any(|&(r, _, _)| r == 0), "black lines drawn");
    for (r, g, b) in found {
        assert!(r == g && g == b, "#{r:02X}{g:02X}{b:02X} is a colour");
    }
    let colour = km_svg(&four, &PlotOptions::default()).expect("drawn");
    assert!(colours(&colour).iter().any(|&(r, g, b)| r != g || g != b));
}

#[test]
fn edge_cases_draw_without_panic() {
    let all_censored = PlotGroup {
        name: "censored".into(),
        steps: vec![
            PlotStep::new(3.0, 2, 0, 1, 1.0),
            PlotStep::new(5.0, 1, 0, 1, 1.0),
        ],
        median: None,
    };
    let to_zero = PlotGroup {
        name: "to zero".into(),
        steps: vec![
            PlotStep {
                lower: Some(0.1),
                upper: Some(0.9),
                ..PlotStep::new(1.0, 2, 1, 0, 0.5)
            },
            PlotStep::new(2.0, 1, 1, 0, 0.0),
        ],
        median: None,
    };
    let single = PlotGroup {
        name: "single".into(),
        steps: vec![PlotStep::new(0.0, 1, 1, 0, 0.0)],
        median: None,
    };
    let empty = PlotGroup {
        name: "empty".into(),
        steps: Vec::new(),
        median: None,
    };
    let everything = PlotOptions {
        conf_bands: true,
        median_lines: true,
        annotation: Some("Log-rank P < 0.001".into()),
        title: Some("Edge cases".into()),
        ..PlotOptions::default()
    };
    let cases: Vec<(&str, Vec<PlotGroup>)> = vec![
        ("no_groups", Vec::new()),
        ("one_group", vec![five_patients()]),
        ("all_censored", vec![all_censored.clone()]),
        ("to_zero", vec![to_zero.clone()]),
        ("single_observation", vec![single.clone()]),
        ("empty_group", vec![empty.clone()]),
        ("mixed", vec![all_censored, to_zero, single, empty]),
    ];
    for (name, groups) in cases {
        for opts in [
            PlotOptions::default(),
            everything.clone(),
            PlotOptions {
                curve: CurveKind::CumulativeIncidence,
                percent: true,
                palette: Palette::Greyscale,
                ..everything.clone()
            },
        ] {
            let svg = km_svg(&groups, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
            save(name, &svg);
            parse(&svg);
        }
    }
}

#[test]
fn names_and_notes_are_escaped_and_printable() {
    let name = "R0 <1 cm> & \"clear\" 'margin'";
    let group = PlotGroup {
        name: format!("{name}\t\u{0}"),
        ..five_patients()
    };
    let two = [
        group.clone(),
        PlotGroup {
            name: "B".into(),
            ..five_patients()
        },
    ];
    // Two columns wide, so the long name fits the legend and the table unwrapped.
    let opts = PlotOptions {
        annotation: Some("P < 0.001 & more".into()),
        title: Some("A & B".into()),
        page: survcalc::plot::Page {
            size: Some(survcalc::plot::FigureSize::Double),
            ..Default::default()
        },
        ..PlotOptions::default()
    };
    let svg = km_svg(&two, &opts).expect("drawn");
    save("hostile_names", &svg);
    assert!(!svg.contains('\u{0}') && !svg.contains('\t'));
    let elements = parse(&svg);
    assert!(
        elements.iter().any(|e| e.text == name),
        "legend and table name"
    );
    assert!(elements.iter().any(|e| e.text == "P < 0.001 & more"));
    assert!(elements.iter().any(|e| e.text == "A & B"));
}

#[test]
fn survival_falling_to_zero_ends_its_band() {
    let to_zero = PlotGroup {
        name: "to zero".into(),
        steps: vec![
            PlotStep {
                lower: Some(0.1),
                upper: Some(0.9),
                ..PlotStep::new(1.0, 2, 1, 0, 0.5)
            },
            PlotStep::new(2.0, 1, 1, 0, 0.0),
        ],
        median: None,
    };
    let opts = PlotOptions {
        conf_bands: true,
        time_step: Some(1.0),
        ..PlotOptions::default()
    };
    let elements = parse(&km_svg(&[to_zero], &opts).expect("drawn"));
    let (xs, ys) = (x_ticks(&elements), y_ticks(&elements));
    let bands: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "polygon" && e.attr("opacity") != "1")
        .collect();
    assert_eq!(bands.len(), 1);
    // Limits 0.1-0.9 hold on [1, 2); no limits once S = 0, so the band stops at 2.
    let max_x = bands[0].points().iter().map(|p| p.0).max();
    assert_eq!(max_x, Some(xs["2"]));
    let y_lower = ys["0.0"] - (0.1 * f64::from(ys["0.0"] - ys["1.0"])).round() as i32;
    assert!(bands[0].points().contains(&(xs["1"], y_lower)));
}

#[test]
fn cumulative_incidence_in_percent_rises_from_zero() {
    let opts = PlotOptions {
        curve: CurveKind::CumulativeIncidence,
        percent: true,
        time_step: Some(2.0),
        ..PlotOptions::default()
    };
    let svg = km_svg(&[five_patients()], &opts).expect("drawn");
    save("five_patients_incidence", &svg);
    let elements = parse(&svg);
    let (xs, ys) = (x_ticks(&elements), y_ticks(&elements));
    let points = curves(&elements, BLUE)[0].points();
    // 1 - S: 0 until 2, 20% until 4, then 40%.
    assert_eq!(points[0], (xs["0"], ys["0"]));
    assert_eq!(points[2], (xs["2"], ys["20"]));
    assert_eq!(*points.last().expect("end"), (xs["10"], ys["40"]));
    assert!(elements
        .iter()
        .any(|e| e.text == "Cumulative incidence (%)"));
}

#[test]
fn options_outside_their_range_are_refused() {
    let groups = [five_patients()];
    for (json, key) in [
        (r#"{"time_step": -1}"#, "'time_step'"),
        (r#"{"font_size": 0}"#, "'font_size'"),
        (r#"{"dpi": 100000}"#, "'dpi'"),
        (r#"{"time_step": 0.001, "x_max": 10}"#, "'time_step'"),
        (r#"{"time_step": 0.01}"#, "'time_step'"),
    ] {
        let opts: PlotOptions = serde_json::from_str(json).expect("options");
        let err = km_svg(&groups, &opts).expect_err(json).to_string();
        assert!(err.contains(key), "{json}: {err}");
    }
    let bad = PlotGroup {
        name: "bad".into(),
        steps: vec![PlotStep::new(f64::NAN, 1, 1, 0, 0.0)],
        median: None,
    };
    let err = km_svg(&[bad], &PlotOptions::default()).expect_err("NaN time");
    assert!(err.to_string().contains("group 'bad', step 1"), "{err}");
}

/// Kaplan-Meier steps for (time, died) pairs, by the product-limit definition; times are
/// spread (x 10) so that distinct times fall on distinct pixels.
fn km(mut data: Vec<(u32, bool)>) -> Vec<PlotStep> {
    data.sort_unstable();
    let mut steps = Vec::new();
    let mut at_risk = data.len() as u64;
    let mut surv = 1.0;
    let mut i = 0;
    while i < data.len() {
        let t = data[i].0;
        let tied = data[i..].iter().take_while(|d| d.0 == t).count();
        let events = data[i..i + tied].iter().filter(|d| d.1).count() as u64;
        surv *= 1.0 - events as f64 / at_risk as f64;
        steps.push(PlotStep::new(
            f64::from(t * 10),
            at_risk,
            events,
            tied as u64 - events,
            surv,
        ));
        at_risk -= tied as u64;
        i += tied;
    }
    steps
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_cohort_draws_one_curve_per_group(
        cohorts in prop::collection::vec(
            prop::collection::vec((0u32..100, any::<bool>()), 1..40), 1..4),
        bands in any::<bool>(),
    ) {
        let groups: Vec<PlotGroup> = cohorts
            .into_iter()
            .enumerate()
            .map(|(i, data)| PlotGroup { name: format!("g{i}"), steps: km(data), median: None })
            .collect();
        let opts = PlotOptions {
            conf_bands: bands,
            median_lines: true,
            censor_style: CensorStyle::Every,
            ..PlotOptions::default()
        };
        let svg = km_svg(&groups, &opts).expect("drawn");
        let elements = parse(&svg);
        let marks: usize = groups
            .iter()
            .map(|g| g.steps.iter().filter(|s| s.n_censor > 0).count())
            .sum();
        prop_assert_eq!(censor_marks(&elements), marks);
        // Okabe-Ito bluish green is the third curve colour.
        for (group, colour) in groups.iter().zip([BLUE, VERMILLION, "#009E73"]) {
            if group.steps.iter().any(|s| s.surv < 1.0 && s.time > 0.0) {
                prop_assert_eq!(curves(&elements, colour).len(), 1, "{}", group.name);
            }
        }
        let xs = x_ticks(&elements);
        prop_assert!(xs.contains_key("0"));
    }
}

#[test]
fn journal_styles_carry_their_texts() {
    let groups = lung_groups();
    let styles = [
        (
            "lung_greyscale_two",
            PlotOptions {
                palette: Palette::Greyscale,
                conf_bands: true,
                median_lines: true,
                time_unit: Some("days".into()),
                annotation: Some("Log-rank P = 0.001".into()),
                ..PlotOptions::default()
            },
        ),
        (
            "lung_double_column",
            PlotOptions {
                page: survcalc::plot::Page {
                    size: Some(survcalc::plot::FigureSize::Double),
                    ..Default::default()
                },
                title: Some("Overall survival by sex".into()),
                conf_bands: true,
                percent: true,
                time_unit: Some("days".into()),
                annotation: Some("Log-rank P = 0.001\nHR 0.59 (0.42-0.82)".into()),
                ..PlotOptions::default()
            },
        ),
        (
            "lung_incidence",
            PlotOptions {
                curve: CurveKind::CumulativeIncidence,
                percent: true,
                conf_bands: true,
                median_lines: true,
                time_unit: Some("days".into()),
                annotation: Some("Log-rank P = 0.001, Male vs Female, 228 patients".into()),
                ..PlotOptions::default()
            },
        ),
        (
            "lung_large_font",
            PlotOptions {
                page: survcalc::plot::Page {
                    font_size: 11.0,
                    ..Default::default()
                },
                median_lines: true,
                time_unit: Some("days".into()),
                annotation: Some("Log-rank P = 0.001".into()),
                ..PlotOptions::default()
            },
        ),
    ];
    for (name, opts) in styles {
        let svg = km_svg(&groups, &opts).expect("drawn");
        save(name, &svg);
        let elements = parse(&svg);
        let texts: Vec<&str> = elements.iter().map(|e| e.text.as_str()).collect();
        // A long note wraps into lines of the plot's width: its words follow one another.
        let all = texts.join(" ");
        for line in opts.annotation.iter().flat_map(|a| a.lines()) {
            assert!(all.contains(line), "{name}: annotation line {line}");
        }
        if let Some(title) = &opts.title {
            assert!(texts.contains(&title.as_str()), "{name}: title");
        }
        let top_label = if opts.percent { "100" } else { "1.0" };
        assert!(y_ticks(&elements).contains_key(top_label), "{name}: y axis");
    }
}

fn aml_groups() -> Vec<PlotGroup> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/plot_aml_km.json"
    ))
    .expect("fixture written by tests/data/plot.R");
    let json: serde_json::Value = serde_json::from_str(&text).expect("fixture JSON");
    serde_json::from_value(json["groups"].clone()).expect("km groups deserialize")
}

/// x of the dashed grey (#595959) vertical median lines, one per distinct x.
fn median_lines(elements: &[Element]) -> Vec<i32> {
    let mut xs: Vec<i32> = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#595959")
        .map(|e| e.points())
        .filter(|p| p.iter().all(|q| q.0 == p[0].0) && p[0].1 != p[p.len() - 1].1)
        .map(|p| p[0].0)
        .collect();
    xs.sort_unstable();
    xs.dedup();
    xs
}

#[test]
fn median_lines_stand_at_r_medians_given_or_computed() {
    let groups = aml_groups();
    // R: survfit(Surv(time, status) ~ x, data = aml) medians 31 (Maintained), 23 weeks.
    let medians = [31.0, 23.0];
    let opts = PlotOptions {
        median_lines: true,
        conf_bands: true,
        time_unit: Some("weeks".into()),
        time_step: Some(20.0),
        ..PlotOptions::default()
    };
    let computed: Vec<PlotGroup> = groups
        .iter()
        .map(|g| PlotGroup {
            median: None,
            ..g.clone()
        })
        .collect();
    for (name, groups) in [("aml", groups), ("aml_computed_medians", computed)] {
        let svg = km_svg(&groups, &opts).expect("drawn");
        save(name, &svg);
        let elements = parse(&svg);
        let xs = x_ticks(&elements);
        let x_of = |t: f64| xs["0"] + (t / 20.0 * f64::from(xs["20"] - xs["0"])).round() as i32;
        let mut expected: Vec<i32> = medians.iter().map(|&m| x_of(m)).collect();
        expected.sort_unstable();
        let found = median_lines(&elements);
        assert_eq!(found.len(), 2, "{name}: {found:?}");
        for (f, e) in found.iter().zip(&expected) {
            assert!(
                (f - e).abs() <= 1,
                "{name}: median line at {f}, R's median at {e}"
            );
        }
    }
}

/// survival's lung data by sex (1 male, 2 female) from `tests/data/lung.csv`, as (time, died).
fn lung_by_sex() -> [(Vec<f64>, Vec<bool>); 2] {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lung.csv");
    let mut reader = csv::Reader::from_path(path).expect("lung.csv written by tests/data/km.R");
    let mut by_sex: [(Vec<f64>, Vec<bool>); 2] = Default::default();
    for row in reader.records() {
        let row = row.expect("row");
        let time: f64 = row[1].parse().expect("time");
        let died = &row[2] == "2";
        let sex: usize = row[4].parse().expect("sex");
        by_sex[sex - 1].0.push(time);
        by_sex[sex - 1].1.push(died);
    }
    by_sex
}

#[test]
fn many_groups_in_years_keep_fractional_breaks() {
    // Five curves from the two lung groups (times in years, shifted by 10% each), long names.
    let lung = lung_groups();
    let groups: Vec<PlotGroup> = (0..5)
        .map(|i| {
            let source = &lung[i % 2];
            let stretch = (1.0 + 0.1 * i as f64) / 365.25;
            PlotGroup {
                name: format!("Resection R{i}, cohort {}", i + 1),
                steps: source
                    .steps
                    .iter()
                    .map(|s| PlotStep {
                        time: s.time * stretch,
                        ..s.clone()
                    })
                    .collect(),
                median: None,
            }
        })
        .collect();
    let opts = PlotOptions {
        time_unit: Some("years".into()),
        time_step: Some(0.5),
        annotation: Some("Log-rank P < 0.001".into()),
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("five_groups_years", &svg);
    let elements = parse(&svg);
    let xs = x_ticks(&elements);
    for label in ["0.0", "0.5", "1.0", "2.5", "3.5"] {
        assert!(xs.contains_key(label), "break {label} in {xs:?}");
    }
    // Every name has its legend entry (plain text; the names heading their numbers under the
    // plot, too long to sit beside them, are bold), in the corner the curves leave free.
    let plot_top = y_ticks(&elements)["1.0"];
    for group in &groups {
        let entry = elements
            .iter()
            .find(|e| {
                e.text == group.name
                    && e.attr("text-anchor") == "start"
                    && e.attr("font-weight") != "bold"
            })
            .expect("legend entry");
        assert!(entry.num("y") >= plot_top - 1, "{} in the plot", group.name);
    }
    assert!(elements.iter().any(|e| e.text == "Log-rank P < 0.001"));
}

#[test]
fn core_km_json_draws_as_r_steps_do() {
    let r_groups = lung_groups();
    let core_groups: Vec<PlotGroup> = lung_by_sex()
        .iter()
        .zip(["Male", "Female"])
        .map(|((time, died), name)| {
            let curve =
                survcalc::km::fit(time, died, &survcalc::km::KmOptions::default()).expect("km fit");
            let mut json = serde_json::to_value(curve).expect("curve JSON");
            json["name"] = name.into();
            serde_json::from_value(json).expect("the km JSON is plot input as it is")
        })
        .collect();
    let opts = PlotOptions {
        conf_bands: true,
        median_lines: true,
        ..PlotOptions::default()
    };
    let from_core = parse(&km_svg(&core_groups, &opts).expect("drawn"));
    let from_r = parse(&km_svg(&r_groups, &opts).expect("drawn"));
    let texts = |e: &[Element]| e.iter().map(|e| e.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&from_core),
        texts(&from_r),
        "same ticks and numbers at risk"
    );
    for colour in [BLUE, VERMILLION] {
        let (core, r) = (curves(&from_core, colour), curves(&from_r, colour));
        assert_eq!(core.len(), 1);
        let (core, r) = (core[0].points(), r[0].points());
        assert_eq!(core.len(), r.len());
        for (a, b) in core.iter().zip(&r) {
            assert!(
                (a.0 - b.0).abs() <= 1 && (a.1 - b.1).abs() <= 1,
                "{a:?} vs R {b:?}"
            );
        }
    }
}

/// A comparison curve (1 − Kaplan-Meier beside a cumulative incidence) is drawn in its group's
/// colour in short dashes, along its own steps, and leaves the group's solid curve as it was.
/// Steps given by hand: incidence 0.2 after 2 and 0.4 after 4; comparison 0.2 after 2, 0.6 after 4.
#[test]
fn comparison_curves_are_dashed_in_their_group_colour() {
    let incidence = five_patients();
    let base = PlotOptions {
        curve: CurveKind::Cif,
        time_step: Some(2.0),
        ..PlotOptions::default()
    };
    let incidence = PlotGroup {
        steps: incidence
            .steps
            .iter()
            .map(|s| PlotStep {
                surv: 1.0 - s.surv,
                ..s.clone()
            })
            .collect(),
        ..incidence
    };
    let comparison: Vec<PlotStep> = incidence
        .steps
        .iter()
        .map(|s| PlotStep {
            surv: if s.time < 4.0 { 0.2 } else { 0.6 },
            ..s.clone()
        })
        .collect();
    // The dash pieces: the group's colour beside its one solid curve (a piece may turn a corner).
    let dashes = |elements: &[Element]| -> Vec<Vec<(i32, i32)>> {
        let blue: Vec<_> = elements
            .iter()
            .filter(|e| e.tag == "polyline" && e.attr("stroke") == BLUE)
            .map(|e| e.points())
            .collect();
        let longest = blue.iter().map(Vec::len).max().unwrap_or(0);
        blue.into_iter().filter(|p| p.len() < longest).collect()
    };
    let plain = parse(&km_svg(std::slice::from_ref(&incidence), &base).expect("drawn"));
    assert!(dashes(&plain).is_empty(), "no dashes without a comparison");
    let opts = PlotOptions {
        comparison: [("A".to_string(), comparison)].into_iter().collect(),
        ..base
    };
    let svg = km_svg(&[incidence], &opts).expect("drawn");
    save("five_patients_comparison", &svg);
    let elements = parse(&svg);
    let (xs, ys) = (x_ticks(&elements), y_ticks(&elements));
    let solid = |e: &[Element]| {
        let mut c: Vec<_> = curves(e, BLUE).iter().map(|c| c.points()).collect();
        c.sort_by_key(|p| std::cmp::Reverse(p.len()));
        c[0].clone()
    };
    assert_eq!(solid(&elements), solid(&plain));
    let dashed = dashes(&elements);
    assert!(dashed.len() > 10, "dashes drawn: {dashed:?}");
    // Every point of a dash is on the comparison's steps: at 0, 0.2 or 0.6, or on a rise at 2 or 4.
    let levels = [ys["0.0"], ys["0.2"], ys["0.6"]];
    let rises = [xs["2"], xs["4"]];
    for &(x, y) in dashed.iter().flatten() {
        assert!(
            levels.contains(&y) || rises.contains(&x),
            "({x}, {y}) off the comparison's steps"
        );
    }
    assert!(
        dashed
            .iter()
            .flatten()
            .any(|&(x, y)| y == ys["0.6"] && x > xs["8"]),
        "0.6 reached and kept to the end"
    );
}
