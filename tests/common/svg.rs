//! SVG figures read back for the plot tests: elements with a real XML parser, the axes' ticks, curves by colour, censor marks.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;
use quick_xml::XmlVersion;

/// One SVG element: its tag, attributes and text content.
#[derive(Debug)]
pub struct Element {
    pub tag: String,
    pub attrs: HashMap<String, String>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }

    pub fn num(&self, name: &str) -> i32 {
        self.attr(name)
            .parse()
            .unwrap_or_else(|_| panic!("{} has no integer {name}: {:?}", self.tag, self.attrs))
    }

    pub fn points(&self) -> Vec<(i32, i32)> {
        self.attr("points")
            .split_whitespace()
            .map(|p| {
                let (x, y) = p.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect()
    }
}

/// Parses the SVG with a real XML parser (it fails on malformed markup).
pub fn parse(svg: &str) -> Vec<Element> {
    let mut reader = Reader::from_str(svg);
    let mut elements: Vec<Element> = Vec::new();
    let mut open_text: Option<usize> = None;
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.local_name().as_ref().to_string();
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let key = a.key.as_ref().to_string();
                        (
                            key,
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .expect("value")
                                .into_owned(),
                        )
                    })
                    .collect();
                if tag == "text" || tag == "desc" {
                    open_text = Some(elements.len());
                }
                elements.push(Element {
                    tag,
                    attrs,
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(i) = open_text {
                    elements[i].text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(i) = open_text {
                    let name: &str = &r;
                    elements[i].text.push_str(match name {
                        "lt" => "<",
                        "gt" => ">",
                        "amp" => "&",
                        "quot" => "\"",
                        "apos" => "'",
                        other => other,
                    });
                }
            }
            Event::End(_) => {
                if let Some(i) = open_text.take() {
                    elements[i].text = elements[i].text.trim().to_string();
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(elements.first().map(|e| e.tag.as_str()), Some("svg"));
    elements
}

pub fn save(name: &str, svg: &str) {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("plot");
    std::fs::create_dir_all(&dir).expect("preview folder");
    std::fs::write(dir.join(format!("{name}.svg")), svg).expect("preview file");
}

/// The plot frame's bottom-left corner: the L-shaped axis line (the widest black three-point
/// polyline turning from down to right; a dashed black band edge can also turn a corner).
pub fn frame(elements: &[Element]) -> (i32, i32) {
    let axis = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == "#000000")
        .map(|e| e.points())
        .filter(|p| p.len() == 3 && p[0].0 == p[1].0 && p[0].1 < p[1].1 && p[1].1 == p[2].1)
        .max_by_key(|p| p[2].0 - p[1].0)
        .expect("axis line");
    (axis[1].0, axis[1].1)
}

/// The x axis: tick label text -> tick mark x, checking label and mark share their x.
pub fn x_ticks(elements: &[Element]) -> HashMap<String, i32> {
    let (_, bottom) = frame(elements);
    let marks: Vec<i32> = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.points().len() == 2)
        .map(|e| e.points())
        .filter(|p| p[0].0 == p[1].0 && p[0].1 == bottom && p[1].1 > bottom)
        .map(|p| p[0].0)
        .collect();
    let label_row = elements
        .iter()
        .filter(|e| e.tag == "text" && e.attr("text-anchor") == "middle" && e.num("y") > bottom)
        .map(|e| e.num("y"))
        .min()
        .expect("x tick labels");
    let labels: HashMap<String, i32> = elements
        .iter()
        .filter(|e| e.tag == "text" && e.num("y") == label_row)
        .map(|e| (e.text.clone(), e.num("x")))
        .collect();
    assert_eq!(labels.len(), marks.len(), "one label per tick mark");
    for x in labels.values() {
        assert!(marks.contains(x), "label at x {x} has a tick mark");
    }
    labels
}

/// The y axis: tick label text -> y of the tick mark at that label.
pub fn y_ticks(elements: &[Element]) -> HashMap<String, i32> {
    let (left, bottom) = frame(elements);
    let marks: Vec<i32> = elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.points().len() == 2)
        .map(|e| e.points())
        .filter(|p| p[0].1 == p[1].1 && p[1].0 == left && p[0].0 < left)
        .map(|p| p[0].1)
        .collect();
    let labels: HashMap<String, i32> = elements
        .iter()
        .filter(|e| e.tag == "text" && e.attr("text-anchor") == "end" && e.num("x") < left)
        .filter(|e| e.num("y") <= bottom)
        .map(|e| (e.text.clone(), e.num("y")))
        .collect();
    for y in labels.values() {
        assert!(marks.contains(y), "y label at {y} has a tick mark");
    }
    labels
}

pub fn curves<'a>(elements: &'a [Element], colour: &str) -> Vec<&'a Element> {
    elements
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == colour && e.points().len() > 2)
        .collect()
}

/// Censor marks are the filled twelve-corner "+" outlines.
pub fn censor_marks(elements: &[Element]) -> usize {
    elements
        .iter()
        .filter(|e| e.tag == "polygon" && e.points().len() == 12)
        .count()
}

/// Every colour in the document, as (r, g, b).
pub fn colours(svg: &str) -> Vec<(u8, u8, u8)> {
    let mut found = Vec::new();
    for e in parse(svg) {
        for key in ["fill", "stroke"] {
            let value = e.attr(key);
            if let Some(hex) = value.strip_prefix('#') {
                let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour");
                found.push((c(0), c(2), c(4)));
            } else {
                assert!(
                    matches!(value, "" | "none"),
                    "unexpected colour form {value}"
                );
            }
        }
    }
    found
}

/// Every text's printed size in points: its `font-size` in view-box units times the points a
/// unit spans (the root's width in millimetres over the view box's width).
pub fn text_points(elements: &[Element]) -> Vec<(String, f64)> {
    let root = &elements[0];
    let width_mm: f64 = root
        .attr("width")
        .strip_suffix("mm")
        .expect("width in mm")
        .parse()
        .expect("number");
    let view_width: f64 = root
        .attr("viewBox")
        .split(' ')
        .nth(2)
        .expect("view box")
        .parse()
        .expect("number");
    let pt_per_unit = width_mm / 25.4 * 72.0 / view_width;
    elements
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| {
            let size: f64 = e.attr("font-size").parse().expect("font size");
            (e.text.clone(), size * pt_per_unit)
        })
        .collect()
}
