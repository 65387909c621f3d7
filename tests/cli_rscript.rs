//! `--r-script` (docs/cli.md, "Reproducing a result in R"): the script survcalc writes, run
//! with `Rscript`, exits 0, prints R's summaries, and leaves in its objects the numbers
//! survcalc's own JSON gives for the same command: `test$chisq`, the medians of `fit`,
//! `coef(fit)`, cuminc's Gray test and estimates, Table 1's P values, to 1e-6.
//!
//! The expected numbers are survcalc's JSON for the same flags; the values compared come from
//! R's packages (survival, cmprsk, stats) running the script. Where `Rscript` is not installed
//! the tests that need it say so on standard error (shown even when the harness captures the
//! output) and pass without running R; where it is, they run it.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_close_opt, data_path, json, survcalc};
use serde_json::Value;

fn path(name: &str) -> String {
    data_path(name).to_str().unwrap().to_string()
}

fn input(name: &str) -> String {
    path(&format!("input/{name}"))
}

/// Whether R can run the scripts here; if not, says which test is skipped and why.
fn r_available(test: &str) -> bool {
    let ok = Command::new("Rscript")
        .args(["-e", "library(survival); library(cmprsk)"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skipped(&format!(
            "{test}: Rscript with the survival and cmprsk packages is not installed, so the emitted script cannot be run"
        ));
    }
    ok
}

/// Says on standard error, past the test harness's capture (which hides `eprintln!` of a
/// passing test), that a check did not run here and why.
fn skipped(what: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped {what}");
}

/// survcalc's script for `args` (which must not hold `--r-script`).
fn script(args: &[&str]) -> String {
    let mut with = args.to_vec();
    with.push("--r-script");
    let out = survcalc(&with, None);
    assert!(
        out.status.success(),
        "survcalc {args:?} --r-script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("a script is text")
}

/// survcalc's JSON for `args`.
fn survcalc_json(args: &[&str]) -> Value {
    let mut with = args.to_vec();
    with.push("--json");
    json(&survcalc(&with, None))
}

/// A file of its own in the temporary directory for this test.
fn temp_file(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("survcalc-rscript-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// What R printed for one script: its own output, and each `name<TAB>values` line of the
/// epilogue.
struct RRun {
    stdout: String,
    values: HashMap<String, Vec<Option<f64>>>,
}

/// The test's epilogue helper: `out(name, x)` prints a line `name<TAB>x1<TAB>x2...`.
const OUT: &str = "out <- function(name, x) { cat(name, format(as.numeric(x), digits = 17), sep = \"\\t\"); cat(\"\\n\") }";

/// Runs `script`, then `epilogue` (R lines calling `out(name, x)`), as one Rscript process,
/// exactly as a user would run the script.
fn run_r(test: &str, script: &str, epilogue: &str) -> RRun {
    let file = temp_file(test, "script.R");
    std::fs::write(
        &file,
        format!("{script}\n# the test's epilogue\n{OUT}\ncat(\"-- values --\\n\")\n{epilogue}\n"),
    )
    .unwrap();
    let stdout = rscript(&file);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
    parse_run(&stdout)
}

/// Runs several scripts in one R process (R's start-up is most of a small script's time),
/// each sourced into an environment of its own with its results printed as Rscript prints
/// them, followed by its epilogue.
fn run_r_batch(test: &str, cases: &[(String, &str)]) -> Vec<RRun> {
    let mut driver = format!("{OUT}\n");
    for (i, (script, epilogue)) in cases.iter().enumerate() {
        let file = temp_file(test, &format!("script{i}.R"));
        std::fs::write(&file, script).unwrap();
        driver.push_str(&format!(
            "cat(\"-- script --\\n\")\nlocal({{\n  source({:?}, local = TRUE, print.eval = TRUE)\n  cat(\"-- values --\\n\")\n{epilogue}\n}})\n",
            file.to_str().unwrap()
        ));
    }
    let file = temp_file(test, "driver.R");
    std::fs::write(&file, driver).unwrap();
    let stdout = rscript(&file);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
    let runs: Vec<RRun> = stdout
        .split("-- script --\n")
        .skip(1)
        .map(parse_run)
        .collect();
    assert_eq!(runs.len(), cases.len(), "{stdout}");
    runs
}

/// Runs an R file with Rscript; its standard output, after checking it exited 0.
fn rscript(file: &Path) -> String {
    let run = Command::new("Rscript")
        .arg(file)
        .output()
        .expect("Rscript runs");
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "Rscript {} exited {:?}:\n{stdout}\n{}",
        file.display(),
        run.status.code(),
        String::from_utf8_lossy(&run.stderr)
    );
    stdout
}

/// A script's output up to "-- values --", and the epilogue's lines after it.
fn parse_run(stdout: &str) -> RRun {
    let (printed, values) = stdout
        .split_once("-- values --\n")
        .expect("the epilogue ran");
    let values = values
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let name = parts.next()?.to_string();
            let xs = parts.map(|x| x.trim().parse::<f64>().ok()).collect();
            Some((name, xs))
        })
        .collect();
    RRun {
        stdout: printed.to_string(),
        values,
    }
}

impl RRun {
    fn get(&self, name: &str) -> &[Option<f64>] {
        self.values
            .get(name)
            .unwrap_or_else(|| panic!("R printed no '{name}'"))
    }

    /// The one number printed as `name`.
    fn one(&self, name: &str) -> Option<f64> {
        let xs = self.get(name);
        assert_eq!(xs.len(), 1, "{name}: {xs:?}");
        xs[0]
    }
}

/// Compares R's vector with survcalc's numbers (JSON, null as NA), element by element.
#[track_caller]
fn assert_all_close(what: &str, r: &[Option<f64>], survcalc: &[Option<f64>]) {
    assert_eq!(
        r.len(),
        survcalc.len(),
        "{what}: R {r:?}, survcalc {survcalc:?}"
    );
    for (i, (r, s)) in r.iter().zip(survcalc).enumerate() {
        assert_close_opt(&format!("{what}[{i}]"), *s, *r);
    }
}

fn numbers<'a>(items: impl IntoIterator<Item = &'a Value>, key: &str) -> Vec<Option<f64>> {
    items.into_iter().map(|v| v[key].as_f64()).collect()
}

/// One survcalc command: its JSON and its script.
struct Case {
    label: String,
    expected: Value,
    script: String,
}

/// Runs survcalc's `args` (command first) for its JSON and for its script.
fn case(label: &str, args: &[&str]) -> Case {
    Case {
        label: label.to_string(),
        expected: survcalc_json(args),
        script: script(args),
    }
}

/// Runs the cases' scripts in one R process, each followed by `epilogue`.
fn run_cases(test: &str, cases: &[Case], epilogue: &str) -> Vec<RRun> {
    let scripts: Vec<(String, &str)> = cases.iter().map(|c| (c.script.clone(), epilogue)).collect();
    run_r_batch(test, &scripts)
}

const KM_EPILOGUE: &str = r#"out("rows", nrow(d))
out("median", summary(fit)$table[, "median"])
out("rmean", summary(fit, rmean = "individual")$table[, "rmean"])
if (exists("test", inherits = FALSE)) out("chisq", test$chisq)
if (exists("test_peto", inherits = FALSE)) out("peto", test_peto$chisq)
out("follow_up", summary(follow_up)$table[, "median"])"#;

/// Checks a km script's objects against survcalc's JSON for the same flags: rows used,
/// medians, restricted means, the log-rank and Peto-Peto statistics, median follow-up.
fn check_km(case: &Case, run: &RRun) {
    let what = |x: &str| format!("{}: {x}", case.label);
    let groups = case.expected["groups"].as_array().unwrap();
    let n: u64 = groups.iter().map(|g| g["n"].as_u64().unwrap()).sum();
    assert_eq!(run.one("rows"), Some(n as f64), "{}", what("rows used"));
    assert_all_close(
        &what("median"),
        run.get("median"),
        &numbers(groups, "median"),
    );
    assert_all_close(&what("rmean"), run.get("rmean"), &numbers(groups, "rmean"));
    let follow_up: Vec<Option<f64>> = groups
        .iter()
        .map(|g| g["follow_up"]["median"].as_f64())
        .collect();
    assert_all_close(&what("median follow-up"), run.get("follow_up"), &follow_up);
    let tests = case.expected["tests"].as_array().unwrap();
    assert!(!tests.is_empty(), "{}", what("survcalc's tests"));
    let chisq = |name: &str| {
        tests
            .iter()
            .find(|t| t["name"] == name)
            .and_then(|t| t["chisq"].as_f64())
    };
    assert_close_opt(&what("log-rank chisq"), chisq("log-rank"), run.one("chisq"));
    assert_close_opt(
        &what("peto-peto chisq"),
        chisq("peto-peto"),
        run.one("peto"),
    );
    assert!(
        run.stdout
            .contains("Call: survfit(formula = Surv(time, status)")
            && run.stdout.contains("Chisq="),
        "{}: R's summaries: {}",
        case.label,
        run.stdout
    );
}

/// Runs km on each `(label, flags)` and checks every script against survcalc's JSON.
fn km_cases(test: &str, cases: &[(String, Vec<&str>)]) -> Vec<RRun> {
    let cases: Vec<Case> = cases
        .iter()
        .map(|(label, flags)| case(label, &[&["km"][..], flags].concat()))
        .collect();
    let runs = run_cases(test, &cases, KM_EPILOGUE);
    for (case, run) in cases.iter().zip(&runs) {
        check_km(case, run);
    }
    runs
}

const COX_EPILOGUE: &str = r#"out("rows", nrow(d))
out("coef", coef(fit))
out("se", sqrt(diag(vcov(fit))))
out("loglik", fit$loglik)
out("concordance", fit$concordance["concordance"])"#;

/// Checks a cox script's objects against survcalc's JSON for the same flags: coef(fit), their
/// SEs, the log-likelihoods and concordance.
fn check_cox(case: &Case, run: &RRun) {
    let what = |x: &str| format!("{}: {x}", case.label);
    let terms = case.expected["terms"].as_array().unwrap();
    assert_eq!(
        run.one("rows"),
        case.expected["n"].as_f64(),
        "{}",
        what("rows used")
    );
    assert_all_close(&what("coef"), run.get("coef"), &numbers(terms, "coef"));
    assert_all_close(&what("se"), run.get("se"), &numbers(terms, "se"));
    let loglik: Vec<Option<f64>> = case.expected["loglik"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect();
    assert_all_close(&what("loglik"), run.get("loglik"), &loglik);
    assert_close_opt(
        &what("concordance"),
        case.expected["concordance"].as_f64(),
        run.one("concordance"),
    );
    assert!(
        run.stdout.contains("Likelihood ratio test="),
        "{}: R's summary: {}",
        case.label,
        run.stdout
    );
}

/// Runs cox on each `(label, flags)` and checks every script against survcalc's JSON.
fn cox_cases(test: &str, cases: &[(String, Vec<&str>)]) -> Vec<RRun> {
    let cases: Vec<Case> = cases
        .iter()
        .map(|(label, flags)| case(label, &[&["cox"][..], flags].concat()))
        .collect();
    let runs = run_cases(test, &cases, COX_EPILOGUE);
    for (case, run) in cases.iter().zip(&runs) {
        check_cox(case, run);
    }
    runs
}

#[test]
fn km_on_aml_run_alone_by_rscript_reproduces_the_medians_and_the_log_rank_test() {
    if !r_available("km_on_aml") {
        return;
    }
    let file = path("aml.csv");
    let aml = case(
        "aml",
        &[
            "km", &file, "--time", "time", "--event", "status", "--group", "x",
        ],
    );
    // Run on its own by Rscript, as a statistician would.
    let run = run_r("aml", &aml.script, KM_EPILOGUE);
    check_km(&aml, &run);
    let flags = |conf_type| {
        vec![
            file.as_str(),
            "--time",
            "time",
            "--event",
            "status",
            "--group",
            "x",
            "--conf-type",
            conf_type,
            "--conf-level",
            "0.9",
        ]
    };
    km_cases(
        "aml-conf",
        &[
            ("aml-log".into(), flags("log")),
            ("aml-plain".into(), flags("plain")),
        ],
    );
}

#[test]
fn km_on_lung_with_a_stratum_reproduces_the_stratified_tests() {
    if !r_available("km_on_lung") {
        return;
    }
    let file = path("lung.csv");
    let flags = vec![
        file.as_str(),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "sex",
        "--strata",
        "ph.ecog",
    ];
    let script = script(&[&["km"][..], &flags].concat());
    assert!(script.contains("~ sex + strata(ph.ecog)"), "{script}");
    km_cases("lung-strata", &[("lung-strata".into(), flags)]);
}

#[test]
fn cox_on_lung_with_a_categorical_covariate_and_a_stratum_reproduces_coef() {
    if !r_available("cox_on_lung") {
        return;
    }
    let file = path("lung.csv");
    let flags = |ties| {
        vec![
            file.as_str(),
            "--time",
            "time",
            "--event",
            "status",
            "--covariate",
            "age",
            "--categorical",
            "ph.ecog=1",
            "--strata",
            "sex",
            "--ties",
            ties,
        ]
    };
    // The reference level by default is the first sorted level, named in the script.
    let zph = vec![
        file.as_str(),
        "--time",
        "time",
        "--event",
        "status",
        "--categorical",
        "ph.ecog",
        "--covariate",
        "wt.loss",
        "--zph",
    ];
    let runs = cox_cases(
        "lung-cox",
        &[
            ("lung-efron".into(), flags("efron")),
            ("lung-breslow".into(), flags("breslow")),
            ("lung-zph".into(), zph),
        ],
    );
    assert!(
        runs[0].stdout.contains("ph.ecog0") && runs[0].stdout.contains("ph.ecog3"),
        "{}",
        runs[0].stdout
    );
    assert!(
        runs[2].stdout.contains("GLOBAL"),
        "cox.zph printed: {}",
        runs[2].stdout
    );
}

#[test]
fn day_first_dates_give_the_same_times_in_r() {
    if !r_available("day_first_dates") {
        return;
    }
    let file = input("dates_dmy.csv");
    let dates = [
        file.as_str(),
        "--start-date",
        "start",
        "--end-date",
        "end",
        "--event",
        "status",
    ];
    let with = |extra: &[&'static str]| [&dates[..], extra].concat();
    // A cut-off date (written day-first, as the file's dates) censors later follow-up.
    let cutoff = with(&[
        "--unit",
        "months",
        "--cutoff-date",
        "31/12/2017",
        "--group",
        "arm",
    ]);
    let script = script(&[&["km"][..], &cutoff].concat());
    assert!(script.contains("as.Date(\"2017-12-31\")"), "{script}");
    km_cases(
        "dmy",
        &[
            (
                "dmy-days".into(),
                with(&["--unit", "days", "--group", "arm"]),
            ),
            (
                "dmy-months".into(),
                with(&["--unit", "months", "--group", "arm"]),
            ),
            (
                "dmy-years".into(),
                with(&["--unit", "years", "--group", "sex"]),
            ),
            ("dmy-cutoff".into(), cutoff),
        ],
    );
    cox_cases(
        "dmy-cox",
        &[(
            "dmy-cox".into(),
            with(&[
                "--unit",
                "months",
                "--covariate",
                "age",
                "--categorical",
                "arm",
            ]),
        )],
    );
}

#[test]
fn a_decimal_comma_file_reads_the_same_numbers_in_r() {
    if !r_available("decimal_comma") {
        return;
    }
    let file = input("semicolon_decimal_comma.csv");
    let km = vec![
        file.as_str(),
        "--time",
        "time",
        "--event",
        "status",
        "--group",
        "arm",
    ];
    let script = script(&[&["km"][..], &km].concat());
    // The call wraps where the file's path makes the line long: look for each argument.
    assert!(
        script.contains("sep = \";\",") && script.contains("dec = \",\","),
        "read as survcalc read it: {script}"
    );
    km_cases("comma-km", &[("comma-km".into(), km)]);
    // age is written 55,4: its coefficient is right only if R read the decimal comma.
    cox_cases(
        "comma-cox",
        &[(
            "comma-cox".into(),
            vec![
                file.as_str(),
                "--time",
                "time",
                "--event",
                "status",
                "--covariate",
                "age",
                "--categorical",
                "sex=M",
            ],
        )],
    );
}

#[test]
fn every_messy_variant_of_one_data_set_reads_the_same_in_r() {
    if !r_available("messy_variants") {
        return;
    }
    // tests/data/input/make_fixtures.py writes the same 30 patients in each form.
    let time = ["--time", "time", "--event", "status", "--group", "arm"];
    let dates = [
        "--start-date",
        "start",
        "--end-date",
        "end",
        "--event",
        "status",
        "--group",
        "arm",
    ];
    let readxl = Command::new("Rscript")
        .args(["-e", "library(readxl)"])
        .output()
        .is_ok_and(|o| o.status.success());
    let variants: [(&str, Vec<&str>); 11] = [
        ("clean.csv", time.to_vec()),
        ("bom_crlf.csv", time.to_vec()),
        ("utf16_tab.txt", time.to_vec()),
        ("pipe_windows1252.csv", time.to_vec()),
        ("quoted_multiline.csv", time.to_vec()),
        ("text_events.csv", time.to_vec()),
        (
            "missing_tokens.csv",
            [&time[..], &["--missing", "unknown"]].concat(),
        ),
        ("dates_excel_serial.csv", dates.to_vec()),
        ("workbook.xlsx", time.to_vec()),
        ("workbook.xlsx", [&dates[..], &["--unit", "weeks"]].concat()),
        ("workbook.xls", dates.to_vec()),
    ];
    let files: Vec<String> = variants.iter().map(|(name, _)| input(name)).collect();
    let mut cases = Vec::new();
    for ((name, flags), file) in variants.iter().zip(&files) {
        if name.starts_with("workbook") && !readxl {
            skipped(&format!("{name}: R's readxl is not installed"));
            continue;
        }
        cases.push((name.to_string(), [&[file.as_str()][..], flags].concat()));
    }
    km_cases("messy", &cases);
}

#[test]
fn an_ods_workbook_gets_a_note_to_save_it_as_csv() {
    let file = input("workbook.ods");
    let script = script(&[
        "km",
        &file,
        "--start-date",
        "start",
        "--end-date",
        "end",
        "--event",
        "status",
        "--group",
        "arm",
    ]);
    assert!(
        script.contains("readxl reads .xlsx and .xls only"),
        "{script}"
    );
    assert!(script.contains("/workbook.csv\""), "{script}");
}

#[test]
fn cif_on_pbc_reproduces_grays_test_and_the_incidence_at_chosen_times() {
    if !r_available("cif_on_pbc") {
        return;
    }
    let file = path("cif_pbc.csv");
    let cif = case(
        "cif",
        &[
            "cif",
            &file,
            "--time",
            "time",
            "--event",
            "status",
            "--event-value",
            "2",
            "--competing-value",
            "1",
            "--group",
            "trt",
            "--at",
            "1000,2000,3000",
        ],
    );
    let epilogue = r#"out("rows", nrow(d))
out("gray", fit$Tests[1, "stat"])
at <- timepoints(fit, times = c(1000, 2000, 3000))
out("est", t(at$est[grepl(" 1$", rownames(at$est)), ]))
out("var", t(at$var[grepl(" 1$", rownames(at$var)), ]))"#;
    let run = run_r("cif", &cif.script, epilogue);
    let groups = cif.expected["groups"].as_array().unwrap();
    let n: u64 = groups.iter().map(|g| g["n"].as_u64().unwrap()).sum();
    assert_eq!(run.one("rows"), Some(n as f64));
    assert_close_opt(
        "Gray's chisq",
        cif.expected["gray_test"]["chisq"].as_f64(),
        run.one("gray"),
    );
    let at: Vec<&Value> = groups
        .iter()
        .flat_map(|g| g["at"].as_array().unwrap())
        .collect();
    assert_all_close(
        "cif at",
        run.get("est"),
        &numbers(at.iter().copied(), "cif"),
    );
    let variance: Vec<Option<f64>> = at
        .iter()
        .map(|a| a["se"].as_f64().map(|se| se * se))
        .collect();
    assert_all_close("cif variance at", run.get("var"), &variance);
    assert!(run.stdout.contains("Tests:"), "{}", run.stdout);
}

#[test]
fn table1_reproduces_every_test_survcalc_chose() {
    if !r_available("table1") {
        return;
    }
    let lung = path("table1_lung.csv");
    let mtcars = path("table1_mtcars.csv");
    let small = path("table1_small.csv");
    let flags: [Vec<&str>; 3] = [
        vec![
            &lung,
            "--group",
            "sex",
            "--variable",
            "age",
            "--variable",
            "ph.ecog",
            "--variable",
            "wt.loss",
            "--variable",
            "meal.cal",
            "--variable",
            "pat.karno",
            "--nonnormal",
            "wt.loss",
            "--test",
            "meal.cal=student-t",
            "--test",
            "ph.ecog=chi-square-yates",
            "--test",
            "pat.karno=chi-square",
        ],
        vec![
            &mtcars,
            "--group",
            "cyl",
            "--variable",
            "mpg",
            "--variable",
            "disp",
            "--variable",
            "hp",
            "--variable",
            "gear",
            "--nonnormal",
            "hp",
            "--test",
            "disp=welch-anova",
        ],
        vec![
            &small,
            "--group",
            "arm",
            "--variable",
            "diagnosis",
            "--variable",
            "smoker",
            "--variable",
            "score",
            "--variable",
            "age",
            "--nonnormal",
            "score",
        ],
    ];
    let cases: Vec<Case> = flags
        .iter()
        .enumerate()
        .map(|(i, f)| case(&format!("table1-{i}"), &[&["table1"][..], f].concat()))
        .collect();
    let epilogue = r#"out("rows", nrow(d))
for (v in names(tests)) out(v, tests[[v]]$p.value)"#;
    let runs = run_cases("table1", &cases, epilogue);
    let mut tests_seen = Vec::new();
    for (case, run) in cases.iter().zip(&runs) {
        let n: u64 = case.expected["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["n"].as_u64().unwrap())
            .sum();
        assert_eq!(run.one("rows"), Some(n as f64), "{}: rows used", case.label);
        for row in case.expected["rows"].as_array().unwrap() {
            let variable = row["variable"].as_str().unwrap();
            let what = format!("{}: P of '{variable}' ({})", case.label, row["method"]);
            match row["p"].as_f64() {
                Some(p) => assert_close_opt(&what, Some(p), run.one(variable)),
                None => assert!(!run.values.contains_key(variable), "{what}: R tested it"),
            }
            tests_seen.push(format!("{} ({})", row["test"], row["method"]));
        }
        assert!(run.stdout.contains("p-value"), "{}", run.stdout);
    }
    // Every test survcalc names, and both forms of the Mann-Whitney P, came up above.
    for name in [
        "welch-t",
        "student-t",
        "anova",
        "welch-anova",
        "kruskal-wallis",
        "chi-square\"",
        "chi-square-yates",
        "fisher-exact",
        "Mann-Whitney U test, exact",
        "Mann-Whitney U test, normal approximation",
    ] {
        assert!(
            tests_seen.iter().any(|t| t.contains(name)),
            "{name} not among {tests_seen:?}"
        );
    }
}

#[test]
fn column_names_r_cannot_take_bare_are_renamed_and_read_by_name() {
    if !r_available("column_names") {
        return;
    }
    // The lung data under names with spaces, brackets, a non-ASCII letter and quotes.
    let lung = std::fs::read_to_string(data_path("lung.csv")).unwrap();
    let renamed = lung.replacen(
        "\"inst\",\"time\",\"status\",\"age\",\"sex\",\"ph.ecog\"",
        "\"inst\",\"Follow-up (days)\",\"Died?\",\"Âge \"\"years\"\"\",\"sex\",\"ECOG score\"",
        1,
    );
    assert_ne!(renamed, lung);
    let file = temp_file("names", "lung renamed.csv");
    std::fs::write(&file, renamed).unwrap();
    let path = file.to_str().unwrap();
    let runs = cox_cases(
        "names",
        &[(
            "names".into(),
            vec![
                path,
                "--time",
                "Follow-up (days)",
                "--event",
                "Died?",
                "--covariate",
                "Âge \"years\"",
                "--categorical",
                "ECOG score",
                "--strata",
                "sex",
            ],
        )],
    );
    assert!(runs[0].stdout.contains("ECOG_score1"), "{}", runs[0].stdout);
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

#[test]
fn a_script_names_the_file_and_holds_no_data() {
    let file = input("clean.csv");
    let script = script(&[
        "km", &file, "--time", "time", "--event", "status", "--group", "arm",
    ]);
    let absolute = std::fs::canonicalize(&file).unwrap();
    assert!(
        script.contains(&format!("\"{}\"", absolute.to_str().unwrap())),
        "the file's absolute path: {script}"
    );
    // Patient identifiers and values of the file appear nowhere in it.
    for id in ["P001", "P030", "55.4", "1126"] {
        assert!(!script.contains(id), "'{id}' in the script: {script}");
    }
    assert!(script.contains("fit <- survfit("), "{script}");
    assert!(script.contains("test <- survdiff("), "{script}");
}

#[test]
fn a_script_from_standard_input_is_refused_with_a_usage_error() {
    let out = survcalc(
        &[
            "km",
            "-",
            "--time",
            "time",
            "--event",
            "status",
            "--r-script",
        ],
        Some(b"time,status\n1,1\n2,0\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("standard input"), "{err}");
}

/// The page's hazard ratio per a chosen unit (age per 10 years; no flag on the command line,
/// so the library is called as the page's boundary calls it): the script divides the column by
/// the unit, and R's `coef(fit)` and SEs are survcalc's per-10-years ones.
#[test]
fn a_hazard_ratio_per_ten_years_is_reproduced_per_ten_years() {
    use survcalc::cox::{cox, CovariateKind, CovariateSpec, CoxSpec};
    use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
    use survcalc::data::{ReadOptions, Table};
    use survcalc::options::Ties;
    use survcalc::rscript::{self, DataFile};

    let file = path("lung.csv");
    let table = Table::from_csv_bytes(&std::fs::read(&file).unwrap(), &ReadOptions::default())
        .expect("lung.csv reads");
    let covariate = |column: &str, kind| CovariateSpec {
        column: column.into(),
        kind,
    };
    let spec = CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: vec![],
        },
        covariates: vec![
            covariate("age", CovariateKind::Numeric),
            covariate(
                "ph.ecog",
                CovariateKind::Categorical {
                    reference: Some("1".into()),
                },
            ),
        ],
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: false,
        zph: None,
        firth: false,
        per: vec![("age".into(), 10.0)],
    };
    let fit = cox(&table, &spec).expect("the model fits");
    let script = rscript::cox(&table, &DataFile::path(file.as_str()), &spec, &fit).unwrap();
    assert!(script.contains("d$age <- d$age / 10\n"), "{script}");
    if !r_available("per_ten_years") {
        return;
    }
    let run = run_r("per", &script, COX_EPILOGUE);
    let coef: Vec<Option<f64>> = fit.terms.iter().map(|t| t.coef).collect();
    let se: Vec<Option<f64>> = fit.terms.iter().map(|t| t.se).collect();
    assert_all_close("coef per 10 years", run.get("coef"), &coef);
    assert_all_close("se per 10 years", run.get("se"), &se);
}
