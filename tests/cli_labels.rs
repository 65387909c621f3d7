//! `--label` and `--labels` as a process: labels in every readable table, the JSON's values
//! untouched, and errors naming the column, the level and the levels there are.
//!
//! Every expected label is the one the test passes; the data sets are survival's `aml`, `lung`
//! and `mgus2` (tests/data).

mod common;

use std::process::Output;

use serde_json::Value;

fn path(name: &str) -> String {
    common::data_path(name).display().to_string()
}

fn run(args: &[&str]) -> Output {
    common::survcalc(args, None)
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "survcalc failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `km` on aml by maintenance (`x`: Maintained, Nonmaintained) with `extra` flags.
fn km_aml(extra: &[&str]) -> Output {
    let aml = path("aml.csv");
    let base = [
        "km", &aml, "--time", "time", "--event", "status", "--group", "x",
    ];
    run(&[&base[..], extra].concat())
}

/// A scratch file under the target directory, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str, bytes: &[u8]) -> Scratch {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join(format!("cli_labels_{}_{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        Scratch(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn km_text_shows_group_labels_everywhere_a_group_is_named() {
    let text = stdout(&km_aml(&[
        "--label",
        "x=Maintained=Maintenance chemotherapy",
        "--label",
        "x=Nonmaintained=No maintenance",
        "--pairwise",
        "--tau",
        "30",
    ]));
    // Summary rows, follow-up rows, event-time headings, the RMST comparison and pairwise rows.
    assert!(
        text.matches("Maintenance chemotherapy").count() >= 5,
        "{text}"
    );
    assert!(text.contains("No maintenance (event times)"), "{text}");
    assert!(!text.contains("Nonmaintained"), "{text}");
}

#[test]
fn json_keeps_the_data_values_and_adds_the_labels() {
    let plain = common::json(&km_aml(&["--json"]));
    let mut labelled = common::json(&km_aml(&[
        "--json",
        "--label",
        "x=Maintained=Kept on = drug",
        "--label",
        "x=Maintenance",
    ]));
    assert_eq!(
        labelled["labels"],
        serde_json::json!({"x": {"label": "Maintenance", "levels": {"Maintained": "Kept on = drug"}}})
    );
    labelled.as_object_mut().unwrap().remove("labels");
    assert_eq!(labelled, plain, "labels changed a value of the result");
}

#[test]
fn cox_finegray_cif_and_table1_show_covariate_and_level_labels() {
    let lung = path("cox_lung.csv");
    let labels = [
        "--label",
        "age=Age (years)",
        "--label",
        "ph.ecog==ECOG = performance status",
        "--label",
        "ph.ecog=0=Fully active",
    ];
    let cox = stdout(&run(&[
        &[
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
            "--univariate",
        ][..],
        &labels,
    ]
    .concat()));
    assert!(cox.contains("\nAge (years) "), "{cox}");
    assert!(cox.contains("ECOG = performance status (3 df)"), "{cox}");
    assert!(cox.contains("ECOG = performance status: 1 "), "{cox}");
    // The univariable table: the reference level's row by its label.
    assert!(cox.contains("Fully active"), "{cox}");

    let mgus2 = path("cif_mgus2.csv");
    let competing = [
        &mgus2,
        "--time",
        "etime",
        "--event",
        "event_label",
        "--event-value",
        "pcm",
        "--competing-value",
        "death",
    ];
    let cif = stdout(&run(&[
        &["cif"][..],
        &competing,
        &[
            "--group",
            "sex",
            "--label",
            "sex=F=Women",
            "--label",
            "sex=M=Men",
        ],
    ]
    .concat()));
    assert!(cif.contains("\nWomen ") && cif.contains("\nMen "), "{cif}");
    assert!(
        cif.contains("Women (times of the event of interest)"),
        "{cif}"
    );

    let fg = stdout(&run(&[
        &["finegray"][..],
        &competing,
        &[
            "--covariate",
            "age",
            "--categorical",
            "sex",
            "--label",
            "sex==Sex",
            "--label",
            "sex=M=Men",
            "--label",
            "age=Age at diagnosis",
        ],
    ]
    .concat()));
    assert!(fg.contains("\nSex: Men "), "{fg}");
    assert!(fg.contains("\nAge at diagnosis "), "{fg}");

    let t1 = stdout(&run(&[
        "table1",
        &mgus2,
        "--group",
        "sex",
        "--variable",
        "age",
        "--variable",
        "decade",
        "--label",
        "sex=F=Women",
        "--label",
        "age=Age (years)",
        "--label",
        "decade=80s=Eighties",
    ]));
    assert!(t1.contains("Women, n = 631"), "{t1}");
    assert!(t1.contains("Age (years)"), "{t1}");
    assert!(t1.contains("Eighties"), "{t1}");
}

#[test]
fn an_unknown_level_names_the_column_the_level_and_the_levels() {
    let out = km_aml(&["--label", "x=Maintaned=Kept"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("error: column 'x': "), "{err}");
    assert!(err.contains("level 'Maintaned'"), "{err}");
    assert!(err.contains("'Maintained', 'Nonmaintained'"), "{err}");
    assert!(err.contains("--label x=LEVEL=TEXT"), "{err}");
}

#[test]
fn an_unknown_column_lists_the_columns() {
    let out = km_aml(&["--label", "arm=Arm"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("column 'arm'"), "{err}");
    assert!(err.contains("'time', 'status', 'x'"), "{err}");
}

#[test]
fn a_label_without_text_or_column_is_a_usage_error_naming_the_flag() {
    for bad in ["x", "x=Maintained=", "=Arm"] {
        let out = km_aml(&["--label", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("--label"), "{bad}: {}", stderr(&out));
    }
}

#[test]
fn a_labels_file_with_bom_semicolons_and_column_labels_is_read() {
    let file = Scratch::new(
        "bom.csv",
        "\u{feff}Column;Level;Label\nx;Maintained;Kept on drug\nx;;Maintenance\n".as_bytes(),
    );
    let out = common::json(&km_aml(&["--json", "--labels", file.path()]));
    assert_eq!(
        out["labels"],
        serde_json::json!({"x": {"label": "Maintenance", "levels": {"Maintained": "Kept on drug"}}})
    );
    // A flag overrides the file.
    let text = stdout(&km_aml(&[
        "--labels",
        file.path(),
        "--label",
        "x=Maintained=From the flag",
    ]));
    assert!(
        text.contains("From the flag") && !text.contains("Kept on drug"),
        "{text}"
    );
}

#[test]
fn odd_labels_files_are_errors_not_panics() {
    let cases: [(&str, &[u8], &str); 4] = [
        ("missing.csv", b"column,label\nx,Arm\n", "'level'"),
        ("empty.csv", b"", "labels file"),
        ("bom_only.csv", "\u{feff}".as_bytes(), "labels file"),
        (
            "nolabel.csv",
            b"column,level,label\nx,Maintained,\n",
            "row 1",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = Scratch::new(name, bytes);
        let out = km_aml(&["--labels", file.path()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.starts_with("error: "), "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("unexpectedly"),
            "{err}"
        );
    }
    let out = km_aml(&["--labels", "/nonexistent/labels.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("labels file"), "{}", stderr(&out));
}

#[test]
fn a_labels_file_may_label_columns_the_analysis_does_not_use() {
    let file = Scratch::new(
        "wide.csv",
        b"column,level,label\nstatus,1,Relapsed\ntime,,Weeks\n",
    );
    let out: Value = common::json(&km_aml(&["--json", "--labels", file.path()]));
    assert_eq!(out["labels"]["status"]["levels"]["1"], "Relapsed");
}
