//! The scripts of the survival analyses: Kaplan-Meier and the tests between groups
//! (`survfit`, `survdiff`), Cox regression (`coxph`), cumulative incidence (`cmprsk::cuminc`).

use crate::analysis::{KmAnalysis, KmReport};
use crate::cif::{CifOptions, CumulativeIncidence};
use crate::cox::{CoxFit, CoxSpec};
use crate::data::competing::CompetingSpec;
use crate::data::prepare::SurvivalSpec;
use crate::data::Table;
use crate::error::Result;

use super::read::{self, header, Outcome};
use super::{r_name, r_number, r_numbers, r_string, DataFile, Script};

/// What the Kaplan-Meier analysis was asked: the outcome, the group and strata columns, and
/// its options.
#[derive(Debug, Clone, Copy)]
pub struct KmScript<'a> {
    pub outcome: &'a SurvivalSpec,
    pub group: Option<&'a str>,
    pub strata: Option<&'a str>,
    pub options: &'a KmAnalysis,
}

/// The opening lines: what the script reproduces, from which file, and how to run it.
fn opening(s: &mut Script, what: &str, file: &DataFile, packages: &[&str]) {
    s.comment(format!(
        "{what} by survcalc {}, reproduced with R's own packages.",
        env!("CARGO_PKG_VERSION")
    ));
    s.comment(format!(
        "Data: {} (read again below; this script holds no data).",
        file.path
    ));
    s.comment(format!(
        "Run it with Rscript (R 4.0 or later, package{} {}); each section names the survcalc table it reproduces, and the results stay in the objects named there.",
        if packages.len() > 1 { "s" } else { "" },
        packages.join(" and ")
    ));
    s.blank();
    for p in packages {
        s.line(format!("library({p})"));
    }
    s.blank();
}

/// The frame's columns besides time and status: `(r name, header)` for each role column,
/// the names kept apart from `time` and `status`.
struct Columns {
    taken: Vec<String>,
    list: Vec<(String, String)>,
}

impl Columns {
    fn new() -> Columns {
        Columns {
            taken: vec!["time".into(), "status".into()],
            list: Vec::new(),
        }
    }

    /// The R name of a column, added once.
    fn add(&mut self, column: &str) -> String {
        if let Some((name, _)) = self.list.iter().find(|(_, c)| c == column) {
            return name.clone();
        }
        let name = r_name(column, &mut self.taken);
        self.list.push((name.clone(), column.to_string()));
        name
    }
}

/// "a missing group or stratum" and the like, for the list of rows not used.
fn roles_words(roles: &[&str]) -> String {
    match roles {
        [] => String::new(),
        [one] => format!(", a missing {one}"),
        [init @ .., last] => format!(", a missing {} or {last}", init.join(", ")),
    }
}

/// The Kaplan-Meier script: `fit` (survfit with the chosen conf.type and conf.int) and, with
/// two or more groups, `test` (survdiff, log-rank).
pub fn km(table: &Table, file: &DataFile, km: &KmScript, report: &KmReport) -> Result<String> {
    let outcome = Outcome::survival(table, km.outcome)?;
    let mut columns = Columns::new();
    let group = km
        .group
        .map(|g| header(table, g).map(|h| columns.add(&h)))
        .transpose()?;
    let strata = km
        .strata
        .map(|g| header(table, g).map(|h| columns.add(&h)))
        .transpose()?;
    let mut roles = Vec::new();
    if group.is_some() {
        roles.push("group");
    }
    if strata.is_some() {
        roles.push("stratum");
    }
    let n_used = report.groups.iter().map(|g| g.curve.n as usize).sum();

    let mut s = Script::default();
    opening(&mut s, "Kaplan-Meier analysis", file, &["survival"]);
    read::helpers(&mut s, &outcome);
    read::read_file(&mut s, table, file);
    read::outcome_section(&mut s, &outcome);
    read::frame_and_rows(&mut s, &columns.list, &roles_words(&roles), n_used);

    let rhs = group.clone().unwrap_or_else(|| "1".into());
    let options = &km.options.km;
    let level = options.conf_level * 100.0;
    s.section(&format!(
        "4. survcalc's \"Kaplan-Meier estimates\": n, events, median with its {}% CI, restricted mean",
        r_number(level)
    ));
    s.line(format!(
        "fit <- survfit(Surv(time, status) ~ {rhs}, data = d, conf.type = \"{}\", conf.int = {})",
        options.conf_type.name(),
        r_number(options.conf_level)
    ));
    match km.options.tau {
        Some(tau) => {
            s.comment(format!("Restricted mean up to tau = {}.", r_number(tau)));
            s.line(format!("print(fit, rmean = {})", r_number(tau)));
        }
        None => {
            s.comment("Restricted mean up to each group's own largest time (SPSS's \"Mean\"), as survcalc.");
            s.line("print(fit, rmean = \"individual\")");
        }
    }
    s.comment("Every event time with its survival and limits (survcalc's event-time tables):");
    s.line("# summary(fit)");
    if !km.options.at.is_empty() {
        s.comment("survcalc's \"Survival at\" table:");
        s.line(format!(
            "summary(fit, times = {})",
            r_numbers(&km.options.at)
        ));
    }
    s.comment("Median follow-up by reverse Kaplan-Meier (censorings as events), survcalc's \"Median follow-up\":");
    s.line(format!(
        "follow_up <- survfit(Surv(time, 1 - status) ~ {rhs}, data = d, conf.type = \"{}\", conf.int = {})",
        options.conf_type.name(),
        r_number(options.conf_level)
    ));
    s.line("print(follow_up)");

    if let Some(group) = &group {
        if report.tests.is_empty() {
            s.section("5. No test between groups: one group only");
        } else {
            tests_section(&mut s, group, strata.as_deref(), km.options);
        }
    }
    Ok(s.finish())
}

/// `test` (log-rank) and the other `survdiff` weights survcalc reports.
fn tests_section(s: &mut Script, group: &str, strata: Option<&str>, options: &KmAnalysis) {
    let rhs = match strata {
        Some(st) => format!("{group} + strata({st})"),
        None => group.to_string(),
    };
    s.section(&format!(
        "5. survcalc's \"Tests between groups\"{}",
        if strata.is_some() { ", stratified" } else { "" }
    ));
    s.comment("log-rank:");
    s.line(format!(
        "test <- survdiff(Surv(time, status) ~ {rhs}, data = d)"
    ));
    s.line("print(test)");
    s.comment(
        "peto-peto (weights from the pooled left-continuous Kaplan-Meier, survdiff's rho = 1):",
    );
    s.line(format!(
        "test_peto <- survdiff(Surv(time, status) ~ {rhs}, data = d, rho = 1)"
    ));
    s.line("print(test_peto)");
    s.comment("gehan-breslow and tarone-ware: the survival package has no function for them (survcalc computes them from their definition, checked against survMisc and lifelines).");
    if let Some((p, q)) = options.fleming_harrington {
        if q == 0.0 {
            s.comment(format!(
                "Fleming-Harrington ({}, 0) is survdiff's rho = {}:",
                r_number(p),
                r_number(p)
            ));
            s.line(format!(
                "test_fh <- survdiff(Surv(time, status) ~ {rhs}, data = d, rho = {})",
                r_number(p)
            ));
            s.line("print(test_fh)");
        } else {
            s.comment("Fleming-Harrington with q > 0: survdiff has no such weight (survcalc computes it from its definition).");
        }
    }
}

/// The Cox script: `fit` (coxph with the same ties), and `zph` when asked.
pub fn cox(table: &Table, file: &DataFile, spec: &CoxSpec, fit: &CoxFit) -> Result<String> {
    let outcome = Outcome::survival(table, &spec.outcome)?;
    let mut columns = Columns::new();
    // Every covariate named leaves out the rows missing it; one without a term (a single
    // level among the rows used) is not in the model, as in survcalc.
    let mut terms = Vec::new();
    // A numeric covariate whose hazard ratio is per a chosen unit: its name, column and unit.
    let mut units = Vec::new();
    for c in &spec.covariates {
        let column = header(table, &c.column)?;
        let name = columns.add(&column);
        let term = fit.terms.iter().find(|t| t.variable == c.column);
        if let Some(t) = term {
            if let Some((_, unit)) = spec.per.iter().find(|(p, _)| *p == c.column) {
                if t.reference.is_none() {
                    units.push((name.clone(), column.clone(), *unit));
                }
            }
            terms.push((name, column, t.reference.clone()));
        }
    }
    let strata = spec
        .strata
        .as_deref()
        .map(|st| header(table, st).map(|h| columns.add(&h)))
        .transpose()?;
    let mut roles = vec!["covariate"];
    if strata.is_some() {
        roles.push("stratum");
    }

    let mut s = Script::default();
    opening(&mut s, "Cox regression", file, &["survival"]);
    read::helpers(&mut s, &outcome);
    read::read_file(&mut s, table, file);
    read::outcome_section(&mut s, &outcome);
    read::frame_and_rows(&mut s, &columns.list, &roles_words(&roles), fit.n);

    let categorical: Vec<_> = terms
        .iter()
        .filter_map(|(name, column, reference)| reference.as_ref().map(|r| (name, column, r)))
        .collect();
    if !categorical.is_empty() {
        s.section("4. Categorical covariates: one term per level against the reference level");
        s.comment("Levels in survcalc's order (numbers by value, text by character code).");
        for (name, column, reference) in categorical {
            s.comment(format!("'{column}', reference level '{reference}':"));
            s.line(format!(
                "d${name} <- relevel(factor(d${name}, levels = sort(unique(d${name}), method = \"radix\")),"
            ));
            s.line(format!(
                "{}ref = {})",
                " ".repeat(name.len() + 14),
                r_string(reference)
            ));
        }
    }
    let mut rhs: Vec<String> = terms.iter().map(|(name, _, _)| name.clone()).collect();
    if !units.is_empty() {
        s.comment("survcalc gives these hazard ratios per a chosen unit: each column in that unit (as I(x / unit)), so coef(fit) is survcalc's coefficient.");
        for (name, column, unit) in &units {
            s.comment(format!("'{column}' per {}:", r_number(*unit)));
            s.line(format!("d${name} <- d${name} / {}", r_number(*unit)));
        }
    }
    if let Some(st) = &strata {
        rhs.push(format!("strata({st})"));
    }
    if rhs.is_empty() {
        rhs.push("1".into());
    }
    let level = r_number(spec.conf_level * 100.0);
    s.section(&format!(
        "5. survcalc's Cox table: coef, HR with its {level}% CI, z, P; likelihood-ratio, Wald and score tests; concordance"
    ));
    s.line(format!(
        "fit <- coxph(Surv(time, status) ~ {}, data = d, ties = \"{}\")",
        rhs.join(" + "),
        spec.ties.name()
    ));
    s.line(format!(
        "summary(fit, conf.int = {})",
        r_number(spec.conf_level)
    ));
    if let Some(transform) = spec.zph {
        s.section("6. survcalc's \"Test of proportional hazards\"");
        s.line(format!(
            "zph <- cox.zph(fit, transform = \"{}\")",
            transform.name()
        ));
        s.line("print(zph)");
    }
    if spec.firth {
        s.blank();
        s.comment("survcalc's Firth model (Breslow ties, profile-likelihood limits) is coxphf::coxphf(..., firth = TRUE, pl = TRUE) from CRAN's coxphf, which R does not ship; not run here.");
    }
    Ok(s.finish())
}

/// The cumulative-incidence script: `fit` (cuminc), and the incidence at chosen times.
pub fn cif(
    table: &Table,
    file: &DataFile,
    spec: &CompetingSpec,
    group: Option<&str>,
    options: &CifOptions,
    result: &CumulativeIncidence,
) -> Result<String> {
    let outcome = Outcome::competing(table, spec)?;
    let mut columns = Columns::new();
    let group = group
        .map(|g| header(table, g).map(|h| columns.add(&h)))
        .transpose()?;
    let roles: Vec<&str> = group.iter().map(|_| "group").collect();
    let n_used = result.groups.iter().map(|g| g.n as usize).sum();

    let mut s = Script::default();
    opening(
        &mut s,
        "Cumulative incidence with competing risks",
        file,
        &["cmprsk"],
    );
    read::helpers(&mut s, &outcome);
    read::read_file(&mut s, table, file);
    read::outcome_section(&mut s, &outcome);
    read::frame_and_rows(&mut s, &columns.list, &roles_words(&roles), n_used);

    s.section(
        "4. survcalc's cumulative incidence of the event of interest (cause 1) and Gray's test",
    );
    s.comment("fit's estimates named \"... 1\" are the event of interest, \"... 2\" the competing events; survcalc's se is the square root of var, its limits cif^exp(+-z se / (cif log cif)) (Pintilie's log(-log)).");
    let group_arg = group.map_or(String::new(), |g| format!(", group = d${g}"));
    s.line(format!(
        "fit <- cuminc(d$time, d$status{group_arg}, rho = {}, cencode = 0)",
        r_number(options.rho)
    ));
    s.line("print(fit)");
    if !options.at.is_empty() {
        s.comment("survcalc's incidence at chosen times:");
        s.line(format!(
            "timepoints(fit, times = {})",
            r_numbers(&options.at)
        ));
    }
    Ok(s.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyse;
    use crate::data::prepare::{SurvivalData, TimeSpec};
    use crate::options::{DateFormat, TimeUnit};

    /// Four patients with day-first dates, text events and a group named with a space.
    fn table() -> Table {
        Table::from_rows(
            &["Surgery", "Last seen", "Outcome", "Arm x"],
            &[
                vec!["26/03/2016", "15/12/2017", "Dead", "A"],
                vec!["10/10/2016", "10/11/2019", "alive", "B"],
                vec!["18/06/2015", "", "alive", "A"],
                vec!["02/10/2016", "22/03/2018", "dead", "B"],
                vec!["03/05/2015", "31/12/2015", "Dead", "B"],
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_km_script_builds_the_outcome_as_the_analysis_did() {
        let table = table();
        let outcome = SurvivalSpec {
            time: TimeSpec::Dates {
                start: "surgery".into(),
                end: "Last seen".into(),
                unit: TimeUnit::Months,
                format: DateFormat::Auto,
                cutoff: None,
            },
            event: "Outcome".into(),
            event_values: vec![],
        };
        let options = KmAnalysis::default();
        let data = SurvivalData::from_table(&table, &outcome, Some("Arm x"), None).unwrap();
        let report = analyse(&data, &options).unwrap();
        let request = KmScript {
            outcome: &outcome,
            group: Some("Arm x"),
            strata: None,
            options: &options,
        };
        let script = km(&table, &DataFile::name("op.csv"), &request, &report).unwrap();
        // The event coding survcalc inferred (dead/alive), the header's own spelling of a
        // column named in another case, day-first dates (a day above 12 decided it), the
        // month's divisor, and the group renamed for a formula but read by its name.
        for line in [
            "status <- code_event(raw[[\"Outcome\"]], \"dead\")",
            "start <- read_dates(raw[[\"Surgery\"]], day_first = TRUE)",
            "time <- as.numeric(end - start) / 30.4375",
            "d <- data.frame(time = time, status = status, Arm_x = raw[[\"Arm x\"]])",
            "fit <- survfit(Surv(time, status) ~ Arm_x, data = d, conf.type = \"log-log\", conf.int = 0.95)",
            "test <- survdiff(Surv(time, status) ~ Arm_x, data = d)",
            "cat(\"Rows used:\", nrow(d), \"(survcalc used 4)\\n\")",
        ] {
            assert!(script.contains(line), "{line}\nnot in\n{script}");
        }
        assert!(script.contains("Save this script in the data file's folder"));
        // No cell of the table is in the script.
        for cell in ["26/03/2016", "2017", "Dead\"", "\"A\""] {
            assert!(!script.contains(cell), "{cell} in\n{script}");
        }
    }
}
