//! What a journal asks of a Kaplan-Meier figure, read back from the SVG: labels and order, cut y axis, time in another unit, KMunicate rows under their ticks, censor marks, notes, legend placement, physical size.
//!
//! Each test writes its SVG under the test target directory (`plot/*.svg`) to look at.

mod common;

use std::collections::BTreeMap;

use common::svg::{censor_marks, curves, parse, save, x_ticks, y_ticks, Element};
use survcalc::plot::{
    km_caption, km_svg, CensorStyle, CurveKind, FigureSize, HazardRatioNote, HrMethod,
    LegendPosition, Palette, PlotGroup, PlotOptions, PlotStep, TestNote,
};

const BLUE: &str = "#0072B2";
const VERMILLION: &str = "#D55E00";

/// survival's lung data by sex: groups "1" (male) and "2" (female), times in days.
fn lung() -> Vec<PlotGroup> {
    common::km_groups("lung.csv", "time", |s| s == "2", "sex")
}

/// survival's veteran data by cell type: four groups, times in days.
fn veteran() -> Vec<PlotGroup> {
    common::km_groups("veteran.csv", "time", |s| s == "1", "celltype")
}

fn texts(elements: &[Element]) -> Vec<&str> {
    elements
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect()
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The table rows under the plot: label text -> the numbers' (text, x) in the row at its y.
fn table_row(elements: &[Element], label: &str) -> Vec<(String, i32)> {
    let label = elements
        .iter()
        .find(|e| e.tag == "text" && e.text == label && e.attr("text-anchor") == "end")
        .unwrap_or_else(|| panic!("row label {label}"));
    let y = label.num("y");
    elements
        .iter()
        .filter(|e| e.tag == "text" && e.num("y") == y && e.attr("text-anchor") == "middle")
        .map(|e| (e.text.clone(), e.num("x")))
        .collect()
}

#[test]
fn labels_and_order_reach_legend_table_and_description() {
    let opts = PlotOptions {
        labels: labels(&[("1", "Men"), ("2", "Women")]),
        order: vec!["2".into(), "1".into()],
        censor_style: CensorStyle::Every,
        ..PlotOptions::default()
    };
    let groups = lung();
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("labels_order", &svg);
    let elements = parse(&svg);
    let all = texts(&elements);
    assert!(all.contains(&"Men") && all.contains(&"Women"));
    // No legend entry or row label shows the raw codes.
    let raw = elements
        .iter()
        .filter(|e| e.tag == "text" && e.attr("text-anchor") != "middle");
    assert!(raw.clone().all(|e| e.text != "1" && e.text != "2"));
    // Women (level 2) come first: the first colour, and the first table row.
    let women = &groups[1];
    let blue = curves(&elements, BLUE);
    let last = women.steps.last().expect("steps");
    let xs = x_ticks(&elements);
    let x_last = xs["0"] + (last.time / 200.0 * f64::from(xs["200"] - xs["0"])).round() as i32;
    assert!((blue[0].points().last().expect("end").0 - x_last).abs() <= 1);
    let row_y = |name: &str| {
        elements
            .iter()
            .find(|e| e.text == name && e.attr("text-anchor") == "end")
            .expect("row")
            .num("y")
    };
    assert!(row_y("Women") < row_y("Men"));
    let desc = elements.iter().find(|e| e.tag == "desc").expect("desc");
    assert!(desc.text.contains("Women: 90 at risk"), "{}", desc.text);
}

#[test]
fn custom_colours_replace_the_palette() {
    let opts = PlotOptions {
        colors: labels(&[("1", "#117733")]),
        ..PlotOptions::default()
    };
    let svg = km_svg(&lung(), &opts).expect("drawn");
    let elements = parse(&svg);
    assert_eq!(curves(&elements, "#117733").len(), 1);
    assert_eq!(
        curves(&elements, VERMILLION).len(),
        1,
        "the other keeps its colour"
    );
    let bad = PlotOptions {
        colors: labels(&[("1", "green")]),
        ..PlotOptions::default()
    };
    let err = km_svg(&lung(), &bad).expect_err("not a colour").to_string();
    assert!(err.contains("'colors'") && err.contains("'1'"), "{err}");
}

#[test]
fn numbers_under_the_plot_sit_on_the_ticks_for_short_and_long_names() {
    for (name, long) in [
        ("short", "A"),
        (
            "long",
            "Adjuvant hormone therapy after breast-conserving surgery",
        ),
    ] {
        let opts = PlotOptions {
            labels: labels(&[("1", long), ("2", "B")]),
            risk_table_events: true,
            risk_table_censored: true,
            ..PlotOptions::default()
        };
        let svg = km_svg(&lung(), &opts).expect("drawn");
        save(&format!("kmunicate_{name}"), &svg);
        let elements = parse(&svg);
        let xs = x_ticks(&elements);
        let rows: Vec<Vec<(String, i32)>> = elements
            .iter()
            .filter(|e| e.tag == "text" && e.attr("text-anchor") == "end")
            .filter(|e| ["At risk", "Censored", "Events"].contains(&e.text.as_str()))
            .map(|e| table_row(&elements, &e.text))
            .collect();
        assert_eq!(rows.len(), 6, "{name}: three rows per group");
        for row in &rows {
            assert_eq!(row.len(), xs.len(), "{name}: a number per tick");
            let mut tick_x: Vec<i32> = xs.values().copied().collect();
            tick_x.sort_unstable();
            let row_x: Vec<i32> = row.iter().map(|(_, x)| *x).collect();
            assert_eq!(row_x, tick_x, "{name}: numbers centred on the ticks");
        }
        // The group's name heads its rows, in the curve's colour (the first: blue).
        let first_word = long.split(' ').next().expect("word");
        let heading = elements
            .iter()
            .filter(|e| e.tag == "text" && e.text.starts_with(first_word))
            .filter(|e| e.attr("text-anchor") == "start")
            .max_by_key(|e| e.num("y"))
            .expect("group heading under the plot");
        assert_eq!(heading.attr("fill"), BLUE);
    }
}

#[test]
fn kmunicate_counts_are_cumulative_as_by_hand() {
    // Deaths at 2 and 4, censored at 3, 6 and 10 (times 0-10, breaks every 2):
    // at 0: 5 at risk, 0 censored, 0 events; at 2: 5, 0, 1; at 4: 3, 1, 2; at 6: 2, 2, 2;
    // at 8: 1, 2, 2; at 10: 1, 3, 2.
    let group = PlotGroup {
        name: "A".into(),
        steps: vec![
            PlotStep::new(2.0, 5, 1, 0, 0.8),
            PlotStep::new(3.0, 4, 0, 1, 0.8),
            PlotStep::new(4.0, 3, 1, 0, 0.8 * 2.0 / 3.0),
            PlotStep::new(6.0, 2, 0, 1, 0.8 * 2.0 / 3.0),
            PlotStep::new(10.0, 1, 0, 1, 0.8 * 2.0 / 3.0),
        ],
        median: None,
    };
    let opts = PlotOptions {
        time_step: Some(2.0),
        risk_table_events: true,
        risk_table_censored: true,
        ..PlotOptions::default()
    };
    let elements = parse(&km_svg(std::slice::from_ref(&group), &opts).expect("drawn"));
    let numbers = |label: &str| -> Vec<String> {
        table_row(&elements, label)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    };
    assert_eq!(numbers("At risk"), ["5", "5", "3", "2", "1", "1"]);
    assert_eq!(numbers("Censored"), ["0", "0", "1", "2", "2", "3"]);
    assert_eq!(numbers("Events"), ["0", "1", "2", "2", "2", "2"]);
    // Cumulative events alone (the number at risk switched off): its row, no other.
    let events_only = PlotOptions {
        risk_table: false,
        risk_table_censored: false,
        ..opts
    };
    let elements = parse(&km_svg(&[group], &events_only).expect("drawn"));
    let events: Vec<String> = table_row(&elements, "Events")
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(events, ["0", "1", "2", "2", "2", "2"]);
    let all = texts(&elements);
    assert!(
        !all.contains(&"At risk") && !all.contains(&"Censored") && !all.contains(&"Number at risk")
    );
}

#[test]
fn long_names_head_their_numbers_without_moving_the_plot() {
    let short = PlotOptions {
        labels: labels(&[("1", "Men"), ("2", "Women")]),
        ..PlotOptions::default()
    };
    let long = PlotOptions {
        labels: labels(&[
            (
                "1",
                "Men treated with adjuvant chemotherapy and radiotherapy after surgery",
            ),
            (
                "2",
                "Women treated with adjuvant chemotherapy and radiotherapy after surgery",
            ),
        ]),
        ..PlotOptions::default()
    };
    let frame = |opts: &PlotOptions, name: &str| {
        let svg = km_svg(&lung(), opts).expect("drawn");
        save(name, &svg);
        let elements = parse(&svg);
        let xs = x_ticks(&elements);
        let ys = y_ticks(&elements);
        (
            xs["0"],
            xs["200"] - xs["0"],
            ys["0.0"] - ys["1.0"],
            elements,
        )
    };
    let (left_short, step_short, height_short, _) = frame(&short, "names_short");
    let (left_long, step_long, height_long, elements) = frame(&long, "names_long");
    // Names too long to sit beside the numbers head them instead: the plot does not move right
    // (short names beside the numbers may push it a little), and keeps its height.
    assert!(left_long <= left_short, "{left_long} > {left_short}");
    assert!(step_long > 0 && step_short > 0);
    assert_eq!(height_long, height_short);
    // Every line of a wrapped name is narrower than the whole name; none is a label set right
    // of the numbers (text-anchor end).
    let lines: Vec<&Element> = elements
        .iter()
        .filter(|e| {
            e.tag == "text" && (e.text.contains("adjuvant") || e.text.contains("radiotherapy"))
        })
        .collect();
    assert!(lines.len() >= 2, "wrapped into lines");
    assert!(lines.iter().all(|e| e.text.len() < 60));
    assert!(lines.iter().all(|e| e.attr("text-anchor") != "end"));
}

#[test]
fn legend_inside_above_or_absent_leaves_the_plot_alone() {
    let groups = veteran();
    let mut seen = Vec::new();
    for legend in [
        LegendPosition::TopRight,
        LegendPosition::Top,
        LegendPosition::None,
    ] {
        let opts = PlotOptions {
            legend,
            ..PlotOptions::default()
        };
        let svg = km_svg(&groups, &opts).expect("drawn");
        save(&format!("legend_{legend:?}"), &svg);
        let elements = parse(&svg);
        let ys = y_ticks(&elements);
        let xs = x_ticks(&elements);
        let entries = elements
            .iter()
            .filter(|e| e.text == "squamous" && e.attr("text-anchor") == "start")
            .count();
        assert_eq!(
            entries,
            usize::from(legend != LegendPosition::None),
            "{legend:?}"
        );
        seen.push((xs["0"], ys["0.0"] - ys["1.0"]));
    }
    // Same left edge and same plot height whether the legend is inside, above, or absent: the
    // figure grows by the legend's rows instead.
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

#[test]
fn cut_y_axis_has_a_break_mark_and_clips_the_curves() {
    let opts = PlotOptions {
        y_min: 0.5,
        percent: true,
        endpoint: Some("Overall survival".into()),
        ..PlotOptions::default()
    };
    let svg = km_svg(&lung(), &opts).expect("drawn");
    save("y_cut", &svg);
    let elements = parse(&svg);
    let ys = y_ticks(&elements);
    let mut labels: Vec<&str> = ys.keys().map(String::as_str).collect();
    labels.sort_unstable();
    assert_eq!(labels, ["100", "50", "60", "70", "80", "90"]);
    assert!(texts(&elements).contains(&"Overall survival (%)"));
    let bottom = ys["50"];
    for colour in [BLUE, VERMILLION] {
        for curve in curves(&elements, colour) {
            assert!(curve
                .points()
                .iter()
                .all(|p| p.1 <= bottom && p.1 >= ys["100"]));
        }
    }
    // Two slanted strokes across the y axis: black two-point lines neither flat nor upright.
    let slants = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#000000")
        .map(|e| e.points())
        .filter(|p| p.len() == 2 && p[0].0 != p[1].0 && p[0].1 != p[1].1)
        .count();
    assert_eq!(slants, 2);
    let full = parse(&km_svg(&lung(), &PlotOptions::default()).expect("drawn"));
    assert!(texts(&full).contains(&"Survival probability"));
}

#[test]
fn days_shown_in_months_break_at_twelve_and_say_so() {
    let opts = PlotOptions {
        time_unit: Some("days".into()),
        display_unit: Some(survcalc::options::TimeUnit::Months),
        ..PlotOptions::default()
    };
    let groups = lung();
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("lung_months", &svg);
    let elements = parse(&svg);
    let xs = x_ticks(&elements);
    // lung's last time, 1022 days, is 33.6 months: breaks at 0, 6, ..., 30 or 0, 12, 24.
    assert!(xs.contains_key("12") && xs.contains_key("24"), "{xs:?}");
    assert!(texts(&elements).contains(&"Time (months)"));
    // A curve's last step at 1022 days lands at 1022 / 30.4375 months.
    let last = groups
        .iter()
        .map(|g| g.steps.last().expect("steps").time)
        .fold(0.0, f64::max);
    let months = last / 30.4375;
    let x_of = |m: f64| xs["0"] + (m / 12.0 * f64::from(xs["12"] - xs["0"])).round() as i32;
    let end = curves(&elements, BLUE)
        .iter()
        .chain(curves(&elements, VERMILLION).iter())
        .map(|c| c.points().last().expect("end").0)
        .max()
        .expect("curves");
    assert!((end - x_of(months)).abs() <= 1);
    let caption = km_caption(&groups, &opts).expect("caption");
    assert!(caption.contains("1 month = 30.4375 days"), "{caption}");
    let unknown = PlotOptions {
        display_unit: Some(survcalc::options::TimeUnit::Years),
        ..PlotOptions::default()
    };
    let err = km_svg(&groups, &unknown)
        .expect_err("no data unit")
        .to_string();
    assert!(err.contains("'time_unit'"), "{err}");
}

#[test]
fn dense_censoring_is_thinned_or_drawn_as_a_rug_and_said() {
    let groups = lung();
    let censored: usize = groups
        .iter()
        .map(|g| g.steps.iter().filter(|s| s.n_censor > 0).count())
        .sum();
    let opts = PlotOptions::default();
    let elements = parse(&km_svg(&groups, &opts).expect("drawn"));
    let thinned = censor_marks(&elements);
    assert!(
        thinned > 10 && thinned < censored,
        "{thinned} of {censored}"
    );
    assert!(km_caption(&groups, &opts)
        .expect("caption")
        .contains("one mark stands for several"));
    let rug = PlotOptions {
        censor_style: CensorStyle::Rug,
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &rug).expect("drawn");
    save("lung_rug", &svg);
    let elements = parse(&svg);
    assert_eq!(censor_marks(&elements), 0);
    let ys = y_ticks(&elements);
    let ticks = elements
        .iter()
        .filter(|e| e.tag == "polyline" && [BLUE, VERMILLION].contains(&e.attr("stroke")))
        .map(|e| e.points())
        .filter(|p| p.len() == 2 && p[0].0 == p[1].0 && p[1].1 < ys["0.0"] && p[1].1 > ys["0.2"])
        .count();
    assert!(ticks > 20, "{ticks} rug ticks");
    assert!(km_caption(&groups, &rug)
        .expect("caption")
        .contains("ticks along the time axis"));
}

#[test]
fn test_and_hazard_ratio_notes_name_their_method() {
    let opts = PlotOptions {
        labels: labels(&[("1", "Male"), ("2", "Female")]),
        test: Some(TestNote {
            name: "Log-rank".into(),
            p: 0.0013,
        }),
        hazard_ratio: Some(HazardRatioNote {
            hr: 0.588,
            lower: 0.424,
            upper: 0.816,
            method: HrMethod::Cox,
            conf_level: 0.95,
            group: Some("2".into()),
            reference: Some("1".into()),
        }),
        ..PlotOptions::default()
    };
    let svg = km_svg(&lung(), &opts).expect("drawn");
    save("lung_notes", &svg);
    let all = texts(&parse(&svg)).join(" ");
    assert!(all.contains("Log-rank P = 0.001"), "{all}");
    assert!(
        all.contains("Cox HR Female vs Male: 0.59 (95% CI 0.42\u{2013}0.82)"),
        "{all}"
    );
}

#[test]
fn greyscale_bands_differ_in_kind() {
    let opts = PlotOptions {
        palette: Palette::Greyscale,
        conf_bands: true,
        ..PlotOptions::default()
    };
    let svg = km_svg(&lung(), &opts).expect("drawn");
    save("lung_greyscale_bands", &svg);
    let elements = parse(&svg);
    // The first band is a translucent fill; the second is hatched: many short black lines at
    // 45 degrees.
    let fills = elements
        .iter()
        .filter(|e| e.tag == "polygon" && e.attr("opacity") != "1" && !e.attr("opacity").is_empty())
        .count();
    assert!(fills >= 1);
    let hatch = elements
        .iter()
        .filter(|e| e.tag == "polyline")
        .map(|e| e.points())
        .filter(|p| {
            p.len() == 2 && (p[1].0 - p[0].0).abs() == (p[1].1 - p[0].1).abs() && p[0] != p[1]
        })
        .count();
    assert!(hatch > 20, "{hatch} hatch lines");
}

#[test]
fn competing_risks_curves_rise_from_zero_as_given() {
    // Aalen-Johansen estimates as the `cif` command writes them: `cif` for the value.
    let json = r#"[{"name": "A", "steps": [
        {"time": 1, "n_risk": 4, "n_event": 1, "n_competing": 0, "n_censor": 0, "cif": 0.25, "lower": 0.1, "upper": 0.5},
        {"time": 3, "n_risk": 3, "n_event": 0, "n_competing": 1, "n_censor": 0, "cif": 0.25, "lower": 0.1, "upper": 0.5},
        {"time": 5, "n_risk": 2, "n_event": 1, "n_competing": 0, "n_censor": 1, "cif": 0.5, "lower": 0.2, "upper": 0.8}]}]"#;
    let groups: Vec<PlotGroup> = serde_json::from_str(json).expect("cif steps read");
    let opts = PlotOptions {
        curve: CurveKind::Cif,
        conf_bands: true,
        median_lines: true,
        time_step: Some(1.0),
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("cif", &svg);
    let elements = parse(&svg);
    let (xs, ys) = (x_ticks(&elements), y_ticks(&elements));
    let points = curves(&elements, BLUE)[0].points();
    let y = |v: f64| ys["0.0"] - (v * f64::from(ys["0.0"] - ys["1.0"])).round() as i32;
    assert_eq!(points[0], (xs["0"], ys["0.0"]));
    assert_eq!(points[2], (xs["1"], y(0.25)));
    assert_eq!(*points.last().expect("end"), (xs["5"], y(0.5)));
    assert!(texts(&elements).contains(&"Cumulative incidence"));
}

#[test]
fn svg_has_its_physical_size_and_point_sized_text() {
    for (size, mm) in [
        (FigureSize::Single, 85.0),
        (FigureSize::OneAndHalf, 140.0),
        (FigureSize::Double, 180.0),
    ] {
        let opts = PlotOptions {
            page: survcalc::plot::Page {
                size: Some(size),
                dpi: 600.0,
                ..Default::default()
            },
            ..PlotOptions::default()
        };
        let svg = km_svg(&lung(), &opts).expect("drawn");
        let elements = parse(&svg);
        let root = &elements[0];
        let width: f64 = root
            .attr("width")
            .strip_suffix("mm")
            .expect("mm")
            .parse()
            .expect("number");
        let height: f64 = root
            .attr("height")
            .strip_suffix("mm")
            .expect("mm")
            .parse()
            .expect("number");
        assert!((width - mm).abs() < 0.01, "{width}");
        let view: Vec<f64> = root
            .attr("viewBox")
            .split(' ')
            .map(|v| v.parse().expect("number"))
            .collect();
        assert!((view[3] / 600.0 * 25.4 - height).abs() < 0.01);
        // Text size in points: font-size in view-box units times points per unit.
        let pt_per_unit = width / 25.4 * 72.0 / view[2];
        let tick = elements
            .iter()
            .find(|e| e.tag == "text" && e.text == "200")
            .expect("a tick label");
        let pt: f64 = tick.attr("font-size").parse::<f64>().expect("size") * pt_per_unit;
        assert!((pt - 8.0).abs() < 0.01, "{pt} pt");
    }
}

/// The note's lines: from the one starting "{method} HR" to the one closing its interval.
fn hazard_ratio_note<'a>(elements: &'a [Element], method: &str) -> Vec<&'a Element> {
    let all: Vec<&Element> = elements.iter().filter(|e| e.tag == "text").collect();
    let first = all
        .iter()
        .position(|e| e.text.starts_with(&format!("{method} HR")))
        .unwrap_or_else(|| panic!("a {method} note in {:?}", texts(elements)));
    let last = first
        + all[first..]
            .iter()
            .position(|e| e.text.contains("CI") && e.text.ends_with(')'))
            .expect("the note's interval");
    all[first..=last].to_vec()
}

#[test]
fn hazard_ratio_note_takes_two_lines_at_single_column_with_long_names() {
    // Realistic long names (those of the README's gbsg figure), at 85 mm and 8 pt.
    let long = labels(&[
        ("1", "Postmenopausal, no hormone therapy"),
        ("2", "Postmenopausal, tamoxifen"),
    ]);
    for method in [HrMethod::Cox, HrMethod::MantelHaenszel] {
        let words = match method {
            HrMethod::Cox => "Cox",
            HrMethod::MantelHaenszel => "Mantel-Haenszel",
        };
        for risk_table in [true, false] {
            let opts = PlotOptions {
                labels: long.clone(),
                risk_table,
                test: Some(TestNote {
                    name: "Log-rank".into(),
                    p: 0.0013,
                }),
                hazard_ratio: Some(HazardRatioNote {
                    hr: 0.588,
                    lower: 0.424,
                    upper: 0.816,
                    method,
                    conf_level: 0.95,
                    group: Some("2".into()),
                    reference: Some("1".into()),
                }),
                ..PlotOptions::default()
            };
            let svg = km_svg(&lung(), &opts).expect("drawn");
            save(&format!("lung_hr_note_{words}_{risk_table}"), &svg);
            let elements = parse(&svg);
            let note = hazard_ratio_note(&elements, words);
            let lines: Vec<&str> = note.iter().map(|e| e.text.as_str()).collect();
            assert!(lines.len() <= 2, "{words}: {lines:?}");
            // Method, both groups and the interval, whole, the lines one under the other.
            assert_eq!(
                lines.join(" "),
                format!(
                    "{words} HR Postmenopausal, tamoxifen vs Postmenopausal, no hormone therapy: 0.59 (95% CI 0.42\u{2013}0.82)"
                )
            );
            assert!(note.iter().all(|e| e.num("x") == note[0].num("x")));
            // The estimate stays with its interval, each group's name on one line.
            for whole in [
                "0.59 (95% CI",
                "Postmenopausal, tamoxifen",
                "Postmenopausal, no hormone therapy",
            ] {
                assert!(
                    lines.iter().any(|l| l.contains(whole)),
                    "{whole}: {lines:?}"
                );
            }
            // Within the figure.
            let width = elements[0].attr("viewBox").split(' ').nth(2).unwrap();
            assert!(note.iter().all(|e| e.num("x") > 0));
            assert!(width.parse::<i32>().unwrap() > note[0].num("x"));
        }
    }
}

/// The time axis' right end (the L-shaped frame's corner to its end).
fn axis_end(elements: &[Element]) -> i32 {
    elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#000000")
        .map(|e| e.points())
        .filter(|p| p.len() == 3 && p[0].0 == p[1].0 && p[0].1 < p[1].1 && p[1].1 == p[2].1)
        .max_by_key(|p| p[2].0 - p[1].0)
        .expect("axis line")[2]
        .0
}

/// The last tick's label and x.
fn last_tick(elements: &[Element]) -> (f64, i32) {
    x_ticks(elements)
        .into_iter()
        .map(|(label, x)| (label.parse::<f64>().expect("numeric tick"), x))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("ticks")
}

#[test]
fn time_axis_ends_at_a_labelled_tick_at_or_after_the_last_time() {
    let groups = lung();
    // lung's last time, 1022 days (33.6 months).
    let last_time = groups
        .iter()
        .map(|g| g.steps.last().expect("steps").time)
        .fold(0.0, f64::max);
    let cases = [
        ("days", None, CurveKind::Survival, 1.0),
        (
            "months",
            Some(survcalc::options::TimeUnit::Months),
            CurveKind::Survival,
            30.4375,
        ),
        ("incidence", None, CurveKind::CumulativeIncidence, 1.0),
        ("cif", None, CurveKind::Cif, 1.0),
    ];
    for (name, display_unit, curve, days_per_unit) in cases {
        for size in [FigureSize::Single, FigureSize::Double] {
            let opts = PlotOptions {
                time_unit: Some("days".into()),
                display_unit,
                curve,
                risk_table_events: true,
                page: survcalc::plot::Page {
                    size: Some(size),
                    ..Default::default()
                },
                ..PlotOptions::default()
            };
            let svg = km_svg(&groups, &opts).expect("drawn");
            save(&format!("lung_axis_end_{name}_{size:?}"), &svg);
            let elements = parse(&svg);
            let (last, x_last) = last_tick(&elements);
            assert_eq!(
                x_last,
                axis_end(&elements),
                "{name} {size:?}: the axis ends at a tick"
            );
            let shown_last = last_time / days_per_unit;
            assert!(
                last >= shown_last,
                "{name}: tick {last} covers {shown_last}"
            );
            // The smallest such break: one step less falls short of the last time.
            let ticks = x_ticks(&elements);
            let mut values: Vec<f64> = ticks.keys().map(|l| l.parse().unwrap()).collect();
            values.sort_by(f64::total_cmp);
            let step = values[1] - values[0];
            assert!(last - step < shown_last, "{name}: {values:?}");
            // The numbers under the plot stay on the ticks, the last one too.
            for row in ["At risk", "Events"] {
                let cells: Vec<i32> = elements
                    .iter()
                    .filter(|e| e.tag == "text" && e.text == row && e.attr("text-anchor") == "end")
                    .flat_map(|label| {
                        elements
                            .iter()
                            .filter(|e| {
                                e.tag == "text"
                                    && e.num("y") == label.num("y")
                                    && e.attr("text-anchor") == "middle"
                            })
                            .map(|e| e.num("x"))
                    })
                    .collect();
                assert!(!cells.is_empty(), "{name}: {row} row");
                assert!(
                    cells.iter().all(|x| ticks.values().any(|t| t == x)),
                    "{name}: {row}"
                );
                assert!(
                    cells.contains(&x_last),
                    "{name}: {row} has a number at the last tick"
                );
            }
        }
    }
    // An axis end the user sets is kept: 500 days, breaks every 200.
    let opts = PlotOptions {
        x_max: Some(500.0),
        time_step: Some(200.0),
        ..PlotOptions::default()
    };
    let elements = parse(&km_svg(&groups, &opts).expect("drawn"));
    let ticks = x_ticks(&elements);
    let (x0, x200) = (ticks["0"], ticks["200"]);
    assert_eq!(ticks.len(), 3, "{ticks:?}");
    assert!((axis_end(&elements) - (x0 + (2.5 * f64::from(x200 - x0)).round() as i32)).abs() <= 1);
}

#[test]
fn no_text_prints_below_six_points_at_either_width() {
    for size in [FigureSize::Single, FigureSize::Double] {
        let opts = PlotOptions {
            labels: labels(&[
                ("1", "Men, any performance status"),
                ("2", "Women, any performance status"),
            ]),
            risk_table_events: true,
            risk_table_censored: true,
            test: Some(TestNote {
                name: "Log-rank".into(),
                p: 0.0013,
            }),
            title: Some("Overall survival".into()),
            page: survcalc::plot::Page {
                size: Some(size),
                font_size: 6.0,
                ..Default::default()
            },
            ..PlotOptions::default()
        };
        let svg = km_svg(&lung(), &opts).expect("drawn");
        for (text, pt) in common::svg::text_points(&parse(&svg)) {
            assert!(pt >= 6.0 - 1e-6, "{size:?} {text}: {pt} pt");
        }
    }
    let small = PlotOptions {
        page: survcalc::plot::Page {
            font_size: 5.0,
            ..Default::default()
        },
        ..PlotOptions::default()
    };
    let err = km_svg(&lung(), &small).unwrap_err().to_string();
    assert!(
        err.contains("'font_size'") && err.contains("from 6"),
        "{err}"
    );
}

/// The horizontal strokes at height `y` left of `x` (a line sample beside a name there).
fn strokes_left_of(elements: &[Element], (x, y): (i32, i32)) -> Vec<Vec<(i32, i32)>> {
    elements
        .iter()
        .filter(|e| e.tag == "polyline")
        .map(|e| e.points())
        .filter(|p| p.len() == 2 && p[0].1 == y && p[1].1 == y && p[0].0.max(p[1].0) < x)
        .collect()
}

#[test]
fn greyscale_table_names_carry_their_curves_line_sample() {
    // In greyscale every name is black, so each group's rows are headed by its line's sample:
    // the first group solid (one stroke), the second dashed (several), left of the name; in
    // colour the names' colours say it and no sample is drawn.
    let names = labels(&[("1", "Men"), ("2", "Women")]);
    for (kmunicate, palette) in [
        (false, Palette::Greyscale),
        (true, Palette::Greyscale),
        (false, Palette::OkabeIto),
    ] {
        let opts = PlotOptions {
            labels: names.clone(),
            palette,
            risk_table_events: kmunicate,
            legend: LegendPosition::None,
            ..PlotOptions::default()
        };
        let svg = km_svg(&lung(), &opts).expect("drawn");
        save(&format!("greyscale_table_{kmunicate}_{palette:?}"), &svg);
        let elements = parse(&svg);
        let (_, bottom) = common::svg::frame(&elements);
        for (name, solid) in [("Men", true), ("Women", false)] {
            let label = elements
                .iter()
                .find(|e| e.tag == "text" && e.text == name && e.num("y") > bottom)
                .unwrap_or_else(|| panic!("{name} under the plot"));
            let strokes = strokes_left_of(&elements, (label.num("x"), label.num("y")));
            if palette == Palette::OkabeIto {
                assert!(strokes.is_empty(), "{name}: {strokes:?}");
            } else if solid {
                assert_eq!(
                    strokes.len(),
                    1,
                    "{name} kmunicate {kmunicate}: {strokes:?}"
                );
            } else {
                assert!(
                    strokes.len() >= 2,
                    "{name} kmunicate {kmunicate}: {strokes:?}"
                );
            }
            // The sample ends before the name begins (a heading starts after it).
            if label.attr("text-anchor") != "end" {
                assert!(strokes.iter().flatten().all(|p| p.0 < label.num("x")));
            }
        }
    }
}

/// veteran's four cell types and lung's two sexes as six groups (renamed apart), with bands.
fn six_groups() -> Vec<PlotGroup> {
    let mut groups = veteran();
    groups.extend(lung().into_iter().map(|mut g| {
        g.name = format!("lung {}", g.name);
        g
    }));
    groups
}

/// Pixels per point at the default 300 dpi.
const PX_PER_PT: f64 = 300.0 / 72.0;

/// The legend entry's line sample left of group `name`'s legend text (above the table):
/// its strokes' (start, end) x in pixels, left to right.
fn legend_sample(elements: &[Element], name: &str) -> Vec<(i32, i32)> {
    let (_, bottom) = common::svg::frame(elements);
    let label = elements
        .iter()
        .find(|e| e.tag == "text" && e.text == name && e.num("y") < bottom)
        .unwrap_or_else(|| panic!("{name} in the legend"));
    // The sample is 2.4 em long and ends 0.5 em before the name (em = 8 pt).
    let reach = (3.2 * 8.0 * PX_PER_PT) as i32;
    let mut strokes: Vec<(i32, i32)> = strokes_left_of(elements, (label.num("x"), label.num("y")))
        .into_iter()
        .map(|p| (p[0].0.min(p[1].0), p[0].0.max(p[1].0)))
        .filter(|&(a, _)| a >= label.num("x") - reach)
        .collect();
    strokes.sort();
    strokes
}

#[test]
fn six_greyscale_patterns_differ_visibly_at_one_column() {
    // Read back from each legend sample at 85 mm (the default single column, 300 dpi): the
    // dashes a reader sees. Every complete dash (all strokes but the last, which the sample's
    // end may cut) in points; two patterns must differ in their longest or shortest dash by
    // at least 1.2 pt (0.4 mm; designed 1.5 pt apart, less a pixel of rounding each end), or
    // one be solid and the other not.
    let groups = six_groups();
    let opts = PlotOptions {
        palette: Palette::Greyscale,
        ..PlotOptions::default()
    };
    let svg = km_svg(&groups, &opts).expect("drawn");
    save("greyscale_six", &svg);
    let elements = parse(&svg);
    let looks: Vec<(String, Option<(f64, f64)>)> = groups
        .iter()
        .map(|g| {
            let strokes = legend_sample(&elements, &g.name);
            assert!(!strokes.is_empty(), "{}: no line sample", g.name);
            if strokes.len() == 1 {
                return (g.name.clone(), None);
            }
            let dashes: Vec<f64> = strokes[..strokes.len() - 1]
                .iter()
                .map(|&(a, b)| f64::from(b - a) / PX_PER_PT)
                .collect();
            let longest = dashes.iter().copied().fold(0.0, f64::max);
            let shortest = dashes.iter().copied().fold(f64::INFINITY, f64::min);
            (g.name.clone(), Some((longest, shortest)))
        })
        .collect();
    assert_eq!(looks[0].1, None, "the first group is solid: {looks:?}");
    for (i, (a, look_a)) in looks.iter().enumerate() {
        for (b, look_b) in &looks[i + 1..] {
            let apart = match (look_a, look_b) {
                (Some((la, sa)), Some((lb, sb))) => (la - lb).abs().max((sa - sb).abs()) >= 1.2,
                (a, b) => a.is_some() != b.is_some(),
            };
            assert!(apart, "{a} and {b} look alike: {look_a:?} {look_b:?}");
        }
    }
}

#[test]
fn four_greyscale_bands_are_their_limits_not_overlapping_fills() {
    // With four groups no band is filled or hatched (four overlapping hatches were
    // unreadable): each band is its two limits, thin grey lines, so no band can hide another
    // or a curve; the caption says so. Two groups keep a grey fill and a hatch.
    let opts = PlotOptions {
        palette: Palette::Greyscale,
        conf_bands: true,
        ..PlotOptions::default()
    };
    let svg = km_svg(&veteran(), &opts).expect("drawn");
    save("veteran_greyscale_bands", &svg);
    let elements = parse(&svg);
    let fills = elements
        .iter()
        .filter(|e| e.tag == "polygon" && !e.attr("opacity").is_empty() && e.attr("opacity") != "1")
        .count();
    assert_eq!(fills, 0, "no translucent fill");
    let diagonal = elements
        .iter()
        .filter(|e| e.tag == "polyline")
        .map(|e| e.points())
        .filter(|p| {
            p.len() == 2 && p[0] != p[1] && (p[1].0 - p[0].0).abs() == (p[1].1 - p[0].1).abs()
        })
        .count();
    assert!(diagonal <= 2, "{diagonal} hatch-like strokes");
    let limits: Vec<&Element> = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#707070")
        .collect();
    // The solid first group's limits are long polylines; the others' are dashed pieces.
    assert!(limits.iter().filter(|e| e.points().len() > 10).count() >= 2);
    assert!(limits.len() > 50, "{} limit strokes", limits.len());
    // Thinner than the curves (0.5 pt against 1 pt: 2 and 4 pixels at 300 dpi).
    assert!(limits.iter().all(|e| e.attr("stroke-width") == "2"));
    let caption = km_caption(&veteran(), &opts).expect("caption");
    assert!(
        caption.contains("confidence limits are drawn as thin grey lines"),
        "{caption}"
    );
    let two = km_caption(&lung(), &opts).expect("caption");
    assert!(two.contains("shaded grey for 1 and hatched for 2"), "{two}");
}

#[test]
fn row_labels_keep_an_em_from_the_first_numbers() {
    // Each row label under the plot ends (text-anchor end at its x) an em space before the
    // first number of its row begins: that number is centred on the y axis and its digits are
    // 0.556 em each in Arial and Liberation Sans, so its left edge is x - digits * 0.278 em.
    // Short names, long names heading their rows, the KMunicate rows in greyscale (samples);
    // at least 0.9 em after a pixel's rounding at each end (before, 0.6 em: "At risk 440").
    let em = 8.0 * PX_PER_PT;
    let long = labels(&[
        ("1", "Men enrolled at the first visit"),
        ("2", "Women enrolled at the first visit"),
    ]);
    for (name, groups, labels, kmunicate, palette) in [
        ("short", lung(), BTreeMap::new(), false, Palette::OkabeIto),
        ("long", lung(), long, true, Palette::OkabeIto),
        (
            "kmunicate",
            veteran(),
            BTreeMap::new(),
            true,
            Palette::Greyscale,
        ),
    ] {
        let opts = PlotOptions {
            labels,
            palette,
            risk_table_events: kmunicate,
            ..PlotOptions::default()
        };
        let svg = km_svg(&groups, &opts).expect("drawn");
        save(&format!("label_gap_{name}"), &svg);
        let elements = parse(&svg);
        let (_, bottom) = common::svg::frame(&elements);
        let rows: Vec<&Element> = elements
            .iter()
            .filter(|e| e.tag == "text" && e.attr("text-anchor") == "end" && e.num("y") > bottom)
            .collect();
        assert!(rows.len() >= 2, "{name}: {} row labels", rows.len());
        for label in rows {
            let first = elements
                .iter()
                .filter(|e| {
                    e.tag == "text"
                        && e.attr("text-anchor") == "middle"
                        && e.num("y") == label.num("y")
                })
                .min_by_key(|e| e.num("x"))
                .unwrap_or_else(|| panic!("{name}: numbers beside {}", label.text));
            let digits = first.text.chars().count() as f64;
            let left = f64::from(first.num("x")) - digits * 0.278 * em;
            let gap = (left - f64::from(label.num("x"))) / em;
            assert!(
                gap >= 0.9,
                "{name}: {} {} only {gap:.2} em apart",
                label.text,
                first.text
            );
        }
    }
}
