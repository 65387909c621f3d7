//! The page's JavaScript boundary: a `Session` over one file's bytes, options in and results out as JS values.
//!
//! Everything here only converts: options arrive as plain JS objects (deserialised with
//! serde-wasm-bindgen into the core's option enums, so the page and the command line accept the
//! same words), results leave as plain objects with the command line's JSON keys, and every
//! core error becomes a JS `Error` whose `message` is the core's (where and what) and whose
//! `detail` is the structured error (kind, column, row, spreadsheet row, hint) for the page to
//! word the fix as its own controls (`www/hints.js`). The page builds
//! this without the `spreadsheet` feature; workbooks are read by the second, lazily loaded
//! module (`src/wasm_sheets.rs`) and arrive here as a table (`Session::from_table`).

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::analysis::{analyse, KmAnalysis};
use crate::cif::CifOptions;
use crate::cox::{CovariateKind, CovariateSpec, CoxSpec, SubgroupAnalysis, SubgroupSpec, Zph};
use crate::data::competing::{CompetingData, CompetingSpec};
use crate::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use crate::data::profile::profile_table;
use crate::data::{read_table, spreadsheet_kind as kind_of, Exclusion, ReadOptions, Table};
use crate::describe::{table1_defaults, Roles, Table1Options};
use crate::error::Hint;
use crate::exact::PermutationOptions;
use crate::finegray::FineGraySpec;
use crate::km::KmOptions;
use crate::options::{
    Adjust, ConfType, DateFormat, Delimiter, PercentBasis, Setting, Ties, TimeUnit, ZphTransform,
};
use crate::plot::forest::{CoxForest, ForestOptions};
use crate::plot::zph::ZphOptions;
use crate::plot::{self, Palette, PlotGroup, PlotOptions, Target};
use crate::rscript::{self, DataFile};
use crate::wasm_error::js_error;
use crate::Error;

/// A file read once, analysed many times with different options.
#[wasm_bindgen]
pub struct Session {
    table: Table,
    /// The file's name, for the R script that reads it again.
    name: Option<String>,
}

/// How to read the file (the command line's input flags); every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReadSettings {
    delimiter: Option<Delimiter>,
    decimal_comma: Option<bool>,
    missing: Vec<String>,
    sheet: Option<String>,
}

/// The survival outcome: a time column, or a pair of date columns, and the event column.
#[derive(Debug, Deserialize)]
struct OutcomeSettings {
    time: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    #[serde(default)]
    unit: TimeUnit,
    #[serde(default)]
    date_format: DateFormat,
    #[serde(default)]
    cutoff_date: Option<String>,
    event: String,
    #[serde(default)]
    event_values: Vec<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    strata: Option<String>,
}

/// The Kaplan-Meier analysis: the outcome plus the `km` command's options.
#[derive(Debug, Deserialize)]
struct KmSettings {
    #[serde(flatten)]
    outcome: OutcomeSettings,
    #[serde(default)]
    conf_type: ConfType,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
    #[serde(default)]
    tau: Option<f64>,
    #[serde(default)]
    at: Vec<f64>,
    #[serde(default)]
    fleming_harrington: Option<(f64, f64)>,
    #[serde(default)]
    trend_scores: Option<Vec<f64>>,
    /// Pairwise log-rank tests with this adjustment; none when absent.
    #[serde(default)]
    pairwise: Option<Adjust>,
    /// The permutation log-rank test.
    #[serde(default)]
    exact: bool,
    /// Its Monte Carlo resamples and seed (100000 and 1 when absent).
    #[serde(default)]
    resamples: Option<u64>,
    #[serde(default)]
    seed: Option<u64>,
    /// SPSS's means per group and overall.
    #[serde(default)]
    spss_means: bool,
    /// The group the others are compared with (the first when absent or empty).
    #[serde(default)]
    reference: Option<String>,
}

fn default_conf_level() -> f64 {
    0.95
}

impl KmSettings {
    fn analysis(&self) -> Result<KmAnalysis, Error> {
        if let Some((p, q)) = self.fleming_harrington {
            if !(p.is_finite() && q.is_finite() && p >= 0.0 && q >= 0.0) {
                return Err(Error::usage(format!(
                    "Fleming-Harrington p = {p}, q = {q}: both must be numbers of 0 or more (p = 0, q = 1 weighs late differences; p = 1, q = 0 early ones)"
                ))
                .hint(Hint::SetOption {
                    setting: Setting::FlemingHarrington,
                    example: Some("0,1".into()),
                }));
            }
        }
        Ok(KmAnalysis {
            km: KmOptions {
                conf_type: self.conf_type,
                conf_level: self.conf_level,
            },
            tau: self.tau,
            at: self.at.clone(),
            fleming_harrington: self.fleming_harrington,
            trend_scores: self.trend_scores.clone(),
            pairwise: self.pairwise,
            exact: self.exact.then(|| {
                let default = PermutationOptions::default();
                PermutationOptions {
                    resamples: self.resamples.unwrap_or(default.resamples),
                    seed: self.seed.unwrap_or(default.seed),
                }
            }),
            spss_means: self.spss_means,
            reference: self.reference.clone().filter(|r| !r.is_empty()),
        })
    }
}

/// A Cox model: the outcome, covariates (categorical ones with an optional reference level).
#[derive(Debug, Deserialize)]
struct CoxSettings {
    #[serde(flatten)]
    outcome: OutcomeSettings,
    covariates: Vec<CovariateSetting>,
    #[serde(default)]
    ties: Ties,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
    #[serde(default)]
    univariate: bool,
    #[serde(default)]
    zph: bool,
    #[serde(default)]
    firth: bool,
}

#[derive(Debug, Deserialize)]
struct CovariateSetting {
    column: String,
    #[serde(default)]
    categorical: bool,
    #[serde(default)]
    reference: Option<String>,
    /// Cox and Fine-Gray: the hazard ratio of a numeric covariate per this many units (10: per
    /// 10 years of age); absent or null: per unit.
    #[serde(default)]
    per: Option<f64>,
}

impl CovariateSetting {
    fn spec(&self) -> CovariateSpec {
        CovariateSpec {
            column: self.column.clone(),
            kind: if self.categorical {
                CovariateKind::Categorical {
                    reference: self.reference.clone().filter(|r| !r.is_empty()),
                }
            } else {
                CovariateKind::Numeric
            },
        }
    }
}

impl CoxSettings {
    fn spec(&self) -> Result<CoxSpec, Error> {
        Ok(CoxSpec {
            outcome: self.outcome.spec()?,
            covariates: self.covariates.iter().map(CovariateSetting::spec).collect(),
            strata: self.outcome.strata.clone().filter(|s| !s.is_empty()),
            ties: self.ties,
            conf_level: self.conf_level,
            univariate: self.univariate,
            zph: self.zph.then_some(ZphTransform::Km),
            firth: self.firth,
            per: self
                .covariates
                .iter()
                .filter_map(|c| c.per.map(|u| (c.column.clone(), u)))
                .collect(),
        })
    }
}

/// Subgroup hazard ratios: the outcome with its group column (compared within each subgroup
/// level), the subgroup columns and the reference group.
#[derive(Debug, Deserialize)]
struct SubgroupSettings {
    #[serde(flatten)]
    outcome: OutcomeSettings,
    subgroups: Vec<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    ties: Ties,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
}

impl SubgroupSettings {
    fn spec(self) -> Result<SubgroupSpec, Error> {
        let group = self
            .outcome
            .group
            .clone()
            .filter(|g| !g.is_empty())
            .ok_or_else(|| {
                Error::usage("a subgroup analysis compares groups, and no group column is chosen")
                    .hint(Hint::GiveOption {
                        setting: Setting::Group,
                    })
            })?;
        Ok(SubgroupSpec {
            outcome: self.outcome.spec()?,
            group,
            reference: self.reference.filter(|r| !r.is_empty()),
            subgroups: self.subgroups,
            ties: self.ties,
            conf_level: self.conf_level,
        })
    }
}

/// A linear or logistic regression: the command line's flags as fields. Fitted values and
/// residuals are always included (`residuals`, for the page's residual plot of a linear model).
#[derive(Debug, Deserialize)]
struct RegressionSettings {
    outcome: String,
    #[serde(default)]
    family: crate::options::Family,
    #[serde(default)]
    event_values: Vec<String>,
    covariates: Vec<CovariateSetting>,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
    #[serde(default)]
    firth: bool,
}

impl RegressionSettings {
    fn spec(self) -> crate::regression::RegressionSpec {
        use crate::data::design::{CovariateKind as Kind, CovariateSpec as Spec};
        crate::regression::RegressionSpec {
            outcome: self.outcome,
            family: self.family,
            event_values: self.event_values,
            covariates: self
                .covariates
                .into_iter()
                .map(|c| Spec {
                    column: c.column,
                    kind: if c.categorical {
                        Kind::Categorical {
                            reference: c.reference.filter(|r| !r.is_empty()),
                        }
                    } else {
                        Kind::Numeric
                    },
                })
                .collect(),
            conf_level: self.conf_level,
            firth: self.firth,
            residuals: true,
        }
    }
}

/// Competing risks: the outcome (its `event_values` the event of interest, `group` the groups
/// to compare), the competing values, and the `cif` command's options.
#[derive(Debug, Deserialize)]
struct CifSettings {
    #[serde(flatten)]
    outcome: OutcomeSettings,
    #[serde(default)]
    competing_values: Vec<String>,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
    #[serde(default)]
    at: Vec<f64>,
    #[serde(default)]
    rho: f64,
}

/// A Fine-Gray model: the competing-risks outcome and covariates as for Cox.
#[derive(Debug, Deserialize)]
struct FineGraySettings {
    #[serde(flatten)]
    outcome: OutcomeSettings,
    #[serde(default)]
    competing_values: Vec<String>,
    covariates: Vec<CovariateSetting>,
    #[serde(default = "default_conf_level")]
    conf_level: f64,
}

/// Table 1: the grouping column and the characteristics to describe, and the `table1`
/// command's options (`percent`: "column", "row" or "total"; `yates`: the automatic
/// chi-square with Yates' correction for 2 x 2 tables).
#[derive(Debug, Deserialize)]
struct Table1Settings {
    group: String,
    variables: Vec<String>,
    #[serde(default)]
    categorical: Vec<String>,
    #[serde(default)]
    continuous: Vec<String>,
    #[serde(default)]
    nonnormal: Vec<String>,
    #[serde(default)]
    smd: bool,
    #[serde(default)]
    percent: PercentBasis,
    #[serde(default)]
    yates: bool,
}

/// The first rows of the table as text, for the preview.
#[derive(Serialize)]
struct Preview {
    headers: Vec<String>,
    n_rows: usize,
    /// The header's row as the spreadsheet shows it: data row r is spreadsheet row
    /// `header_row + r`.
    header_row: usize,
    rows: Vec<Vec<String>>,
}

/// What the outcome settings make of the table before any estimate: who is used, who is not.
#[derive(Serialize)]
struct OutcomeSummary {
    n: usize,
    events: usize,
    coding: String,
    groups: Vec<String>,
    time_max: Option<f64>,
    excluded: Vec<Exclusion>,
    /// What the page should say beside the outcome (an event column that looks like a grouping).
    warnings: Vec<String>,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&e.to_string()).into())
}

fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        to_js_error(Error::usage(format!(
            "{what} settings are not understood: {e}"
        )))
    })
}

/// A core error for JavaScript (see [`js_error`]), by value for `map_err`.
fn to_js_error(err: Error) -> JsValue {
    js_error(&err)
}

impl ReadSettings {
    fn options(self) -> ReadOptions {
        ReadOptions {
            delimiter: self.delimiter.and_then(Delimiter::byte),
            decimal_comma: self.decimal_comma,
            missing: self.missing,
            sheet: self.sheet,
        }
    }
}

impl OutcomeSettings {
    fn spec(&self) -> Result<SurvivalSpec, Error> {
        let time =
            match (&self.time, &self.start_date, &self.end_date) {
                (Some(time), _, _) if !time.is_empty() => TimeSpec::Column(time.clone()),
                (_, Some(start), Some(end)) => TimeSpec::Dates {
                    start: start.clone(),
                    end: end.clone(),
                    unit: self.unit,
                    format: self.date_format,
                    cutoff: self.cutoff_date.clone().filter(|c| !c.is_empty()),
                },
                _ => return Err(Error::usage(
                    "no time: choose a time column, or both a start date and an end date column",
                )
                .hint(Hint::GiveOption {
                    setting: Setting::Time,
                })),
            };
        Ok(SurvivalSpec {
            time,
            event: self.event.clone(),
            event_values: self.event_values.clone(),
        })
    }

    /// The competing-risks outcome: `event_values` the event of interest.
    fn competing(&self, competing_values: &[String]) -> Result<CompetingSpec, Error> {
        let spec = self.spec()?;
        Ok(CompetingSpec {
            time: spec.time,
            event: spec.event,
            event_values: spec.event_values,
            competing_values: competing_values.to_vec(),
        })
    }

    fn group(&self) -> Option<&str> {
        self.group.as_deref().filter(|g| !g.is_empty())
    }

    fn strata(&self) -> Option<&str> {
        self.strata.as_deref().filter(|s| !s.is_empty())
    }

    fn data(&self, table: &Table) -> Result<SurvivalData, Error> {
        SurvivalData::from_table(table, &self.spec()?, self.group(), self.strata())
    }
}

impl CifSettings {
    fn options(&self) -> CifOptions {
        CifOptions {
            conf_level: self.conf_level,
            at: self.at.clone(),
            rho: self.rho,
        }
    }
}

impl Table1Settings {
    fn options(self) -> Table1Options {
        Table1Options {
            group: self.group,
            variables: self.variables,
            categorical: self.categorical,
            continuous: self.continuous,
            nonnormal: self.nonnormal,
            smd: self.smd,
            percent: self.percent,
            yates: self.yates,
            ..Table1Options::default()
        }
    }
}

/// The data file's name an R script reads, when the page gives one.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ScriptFile {
    file: Option<String>,
}

#[wasm_bindgen]
impl Session {
    /// Reads a file from its bytes; `name` (the file name) helps pick the format.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8], name: &str, settings: JsValue) -> Result<Session, JsValue> {
        let settings: ReadSettings = if settings.is_undefined() || settings.is_null() {
            ReadSettings::default()
        } else {
            from_js(settings, "read")?
        };
        let options = settings.options();
        let name = (!name.is_empty()).then_some(name);
        let table = read_table(bytes, name, &options).map_err(to_js_error)?;
        Ok(Session {
            table,
            name: name.map(str::to_string),
        })
    }

    /// Takes a table read by the spreadsheet module (its `read_sheet`): from here on a
    /// workbook is analysed exactly as if this module had read it. `name` is the workbook's
    /// file name (for the R script).
    pub fn from_table(table: JsValue, name: Option<String>) -> Result<Session, JsValue> {
        let table: Table = serde_wasm_bindgen::from_value(table).map_err(|e| {
            to_js_error(
                Error::unreadable(format!(
                    "the spreadsheet module's table is not understood ({e})"
                ))
                .hint(Hint::Reload),
            )
        })?;
        Ok(Session {
            table,
            name: name.filter(|n| !n.is_empty()),
        })
    }

    /// A core error located in this file (sheet, spreadsheet row), for JavaScript.
    fn fail(&self, err: Error) -> JsValue {
        to_js_error(err.locate(&self.table))
    }

    /// The header and the first `rows` rows as text.
    pub fn preview(&self, rows: usize) -> Result<JsValue, JsValue> {
        let t = &self.table;
        let shown = rows.min(t.n_rows());
        to_js(&Preview {
            headers: t.headers().to_vec(),
            n_rows: t.n_rows(),
            header_row: t.header_row(),
            rows: (0..shown)
                .map(|r| {
                    (0..t.headers().len())
                        .map(|c| t.cell(c, r).to_string())
                        .collect()
                })
                .collect(),
        })
    }

    /// Every column's profile (kind, missing, levels, identifier warnings) and suggested roles.
    pub fn inspect(&self) -> Result<JsValue, JsValue> {
        to_js(&profile_table(&self.table))
    }

    /// Applies outcome settings: how many rows are used, the event coding, the excluded rows.
    pub fn outcome(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: OutcomeSettings = from_js(settings, "outcome")?;
        let data = settings.data(&self.table).map_err(|e| self.fail(e))?;
        to_js(&OutcomeSummary {
            n: data.time.len(),
            events: data.event.iter().filter(|&&e| e).count(),
            coding: data.coding.describe(),
            groups: data.group.map(|g| g.levels).unwrap_or_default(),
            time_max: data.time.iter().copied().reduce(f64::max),
            excluded: data.excluded,
            warnings: data.warnings,
        })
    }

    /// Kaplan-Meier curves per group and the tests between them: the `km --json` object.
    pub fn km(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: KmSettings = from_js(settings, "Kaplan-Meier")?;
        let analysis = settings.analysis().map_err(to_js_error)?;
        let data = settings
            .outcome
            .data(&self.table)
            .map_err(|e| self.fail(e))?;
        to_js(&analyse(&data, &analysis).map_err(to_js_error)?)
    }

    /// A Cox model (with the univariable models and the proportional-hazards test if asked): the `cox --json` object.
    pub fn cox(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: CoxSettings = from_js(settings, "Cox model")?;
        let spec = settings.spec().map_err(to_js_error)?;
        to_js(&crate::cox::cox(&self.table, &spec).map_err(|e| self.fail(e))?)
    }

    /// The group's Cox hazard ratio within each level of each subgroup column, with the
    /// interaction test (`cox::subgroups`), for the subgroup forest plot.
    pub fn subgroups(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: SubgroupSettings = from_js(settings, "subgroup analysis")?;
        let spec = settings.spec().map_err(to_js_error)?;
        to_js(&crate::cox::subgroups(&self.table, &spec).map_err(|e| self.fail(e))?)
    }

    /// Linear or logistic regression: the `regression --json` object, with `residuals`
    /// (each row's fitted value and residual) for a linear model.
    pub fn regression(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: RegressionSettings = from_js(settings, "regression")?;
        to_js(
            &crate::regression::regression(&self.table, &settings.spec())
                .map_err(|e| self.fail(e))?,
        )
    }

    /// Cumulative incidence of the event of interest per group, with Gray's test: the
    /// `cif --json` object.
    pub fn cif(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: CifSettings = from_js(settings, "cumulative incidence")?;
        let spec = settings
            .outcome
            .competing(&settings.competing_values)
            .map_err(to_js_error)?;
        let data = CompetingData::from_table(&self.table, &spec, settings.outcome.group())
            .map_err(|e| self.fail(e))?;
        to_js(&crate::cif::analyse(&data, &settings.options()).map_err(to_js_error)?)
    }

    /// A Fine-Gray subdistribution hazards model: the `finegray --json` object.
    pub fn finegray(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let settings: FineGraySettings = from_js(settings, "Fine-Gray model")?;
        let spec = FineGraySpec {
            outcome: settings
                .outcome
                .competing(&settings.competing_values)
                .map_err(to_js_error)?,
            covariates: settings
                .covariates
                .iter()
                .map(CovariateSetting::spec)
                .collect(),
            conf_level: settings.conf_level,
            per: settings
                .covariates
                .iter()
                .filter_map(|c| c.per.map(|u| (c.column.clone(), u)))
                .collect(),
        };
        to_js(&crate::finegray::finegray(&self.table, &spec).map_err(|e| self.fail(e))?)
    }

    /// The characteristics Table 1 describes unless the user chooses: `roles` holds the columns
    /// in use (`time`, `event`, `start_date`, `end_date`, `group`, `strata`; any may be left
    /// out, other keys are ignored, so the outcome settings can be passed as they are). Gives
    /// `{variables, categorical, left_out: [{column, reason}]}`.
    pub fn table1_defaults(&self, roles: JsValue) -> Result<JsValue, JsValue> {
        let roles: Roles = if roles.is_undefined() || roles.is_null() {
            Roles::default()
        } else {
            from_js(roles, "Table 1 roles")?
        };
        to_js(&table1_defaults(&profile_table(&self.table), &roles))
    }

    /// Baseline characteristics by group with a test on every row: the `table1 --json` object.
    pub fn table1(&self, settings: JsValue) -> Result<JsValue, JsValue> {
        let options = from_js::<Table1Settings>(settings, "Table 1")?.options();
        to_js(&crate::describe::table1(&self.table, &options).map_err(|e| self.fail(e))?)
    }

    /// An R script that reproduces a result with R's own packages: `kind` is `km`, `cox`,
    /// `cif` or `table1`, `settings` those of that analysis plus, optionally, `file`: the data
    /// file's name written in the script (by default the name the file was opened with). The
    /// script holds the name and the settings, never the data.
    pub fn r_script(&self, kind: &str, settings: JsValue) -> Result<String, JsValue> {
        let named: ScriptFile = from_js(settings.clone(), "R script")?;
        let file = DataFile::name(
            named
                .file
                .filter(|f| !f.is_empty())
                .or_else(|| self.name.clone())
                .unwrap_or_else(|| "data.csv".into()),
        );
        let table = &self.table;
        let script = match kind {
            "km" => {
                let settings: KmSettings = from_js(settings, "Kaplan-Meier")?;
                let analysis = settings.analysis().map_err(to_js_error)?;
                let outcome = &settings.outcome;
                let data = outcome.data(table).map_err(|e| self.fail(e))?;
                let report = analyse(&data, &analysis).map_err(to_js_error)?;
                let request = rscript::KmScript {
                    outcome: &outcome.spec().map_err(to_js_error)?,
                    group: outcome.group(),
                    strata: outcome.strata(),
                    options: &analysis,
                };
                rscript::km(table, &file, &request, &report)
            }
            "cox" => {
                let settings: CoxSettings = from_js(settings, "Cox model")?;
                let spec = settings.spec().map_err(to_js_error)?;
                let fit = crate::cox::cox(table, &spec).map_err(|e| self.fail(e))?;
                rscript::cox(table, &file, &spec, &fit)
            }
            "cif" => {
                let settings: CifSettings = from_js(settings, "cumulative incidence")?;
                let spec = settings
                    .outcome
                    .competing(&settings.competing_values)
                    .map_err(to_js_error)?;
                let group = settings.outcome.group();
                let data =
                    CompetingData::from_table(table, &spec, group).map_err(|e| self.fail(e))?;
                let options = settings.options();
                let result = crate::cif::analyse(&data, &options).map_err(to_js_error)?;
                rscript::cif(table, &file, &spec, group, &options, &result)
            }
            "table1" => {
                let options = from_js::<Table1Settings>(settings, "Table 1")?.options();
                let result = crate::describe::table1(table, &options).map_err(|e| self.fail(e))?;
                rscript::table1(table, &file, &options, &result)
            }
            other => Err(Error::usage(format!(
                "there is no R script for '{other}'; km, cox, cif and table1 have one"
            ))),
        };
        script.map_err(|e| self.fail(e))
    }
}

/// The analyses this build of the core offers, so the page shows only working controls.
#[wasm_bindgen]
pub fn capabilities() -> Result<JsValue, JsValue> {
    to_js(&[
        "inspect",
        "km",
        "plot",
        "cox",
        "table1",
        "regression",
        "cif",
        "finegray",
        "r_script",
    ])
}

/// `xlsx`, `xls` or `ods` when the bytes are a workbook (then the page reads them with the
/// spreadsheet module), else nothing: the core's own test, so the page never guesses.
#[wasm_bindgen]
pub fn spreadsheet_kind(bytes: &[u8]) -> Option<String> {
    kind_of(bytes).map(str::to_string)
}

/// The curves and options of a figure: `groups` as `km` returns them, options as `PlotOptions`.
fn figure(groups: JsValue, options: JsValue) -> Result<(Vec<PlotGroup>, PlotOptions), JsValue> {
    let groups: Vec<PlotGroup> = from_js(groups, "figure groups")?;
    let options: PlotOptions = if options.is_undefined() || options.is_null() {
        PlotOptions::default()
    } else {
        from_js(options, "figure")?
    };
    Ok((groups, options))
}

/// The figure's size in pixels (width, height) for these options, to size the canvas first.
#[wasm_bindgen]
pub fn figure_size(groups: JsValue, options: JsValue) -> Result<Vec<u32>, JsValue> {
    let (groups, options) = figure(groups, options)?;
    let (w, h) = plot::figure_pixels(&groups, &options).map_err(to_js_error)?;
    Ok(vec![w, h])
}

/// Draws the Kaplan-Meier figure on a canvas (main thread only: text is measured in the DOM).
#[wasm_bindgen]
pub fn draw_km(
    canvas: web_sys::HtmlCanvasElement,
    groups: JsValue,
    options: JsValue,
) -> Result<(), JsValue> {
    use plotters::prelude::IntoDrawingArea;
    let (groups, options) = figure(groups, options)?;
    let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas).ok_or_else(|| {
        js_sys::Error::new("this browser gave no 2D drawing context for the canvas")
    })?;
    plot::draw_km(
        &backend.into_drawing_area(),
        &groups,
        &options,
        Target::Canvas,
    )
    .map_err(to_js_error)
}

/// The same figure as an SVG document, for export.
#[wasm_bindgen]
pub fn km_svg(groups: JsValue, options: JsValue) -> Result<String, JsValue> {
    let (groups, options) = figure(groups, options)?;
    plot::km_svg(&groups, &options).map_err(to_js_error)
}

/// Sentences for the figure's caption (time unit conversion, how censor marks are drawn, how a
/// hazard ratio on the plot was estimated), for the same groups and options as the figure.
#[wasm_bindgen]
pub fn km_caption(groups: JsValue, options: JsValue) -> Result<String, JsValue> {
    let (groups, options) = figure(groups, options)?;
    plot::km_caption(&groups, &options).map_err(to_js_error)
}

/// Forest plot options (`ForestOptions`), the defaults when none are given.
fn forest_options(options: JsValue) -> Result<ForestOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(ForestOptions::default())
    } else {
        from_js(options, "forest plot")
    }
}

/// A Cox model's forest plot as SVG of its physical size: `fit` the `cox` answer as it is.
#[wasm_bindgen]
pub fn cox_forest_svg(fit: JsValue, options: JsValue) -> Result<String, JsValue> {
    let fit: CoxForest = from_js(fit, "forest plot model")?;
    plot::forest::cox_forest_svg(&fit, &forest_options(options)?).map_err(to_js_error)
}

/// A subgroup analysis' forest plot as SVG: `analysis` the `subgroups` answer as it is.
#[wasm_bindgen]
pub fn subgroup_forest_svg(analysis: JsValue, options: JsValue) -> Result<String, JsValue> {
    let analysis: SubgroupAnalysis = from_js(analysis, "subgroup forest plot")?;
    plot::forest::subgroup_forest_svg(&analysis, &forest_options(options)?).map_err(to_js_error)
}

/// The proportional-hazards check (`zph` of the `cox` answer as it is) and its plot's options
/// (`ZphOptions`, the defaults when none are given).
fn zph_input(zph: JsValue, options: JsValue) -> Result<(Zph, ZphOptions), JsValue> {
    let zph: Zph = from_js(zph, "proportional-hazards check")?;
    let options = if options.is_undefined() || options.is_null() {
        ZphOptions::default()
    } else {
        from_js(options, "proportional-hazards plot")?
    };
    Ok((zph, options))
}

/// The proportional-hazards plot (R's plot.cox.zph: residuals, spline smooth and band per
/// term) as SVG of its physical size.
#[wasm_bindgen]
pub fn cox_zph_svg(zph: JsValue, options: JsValue) -> Result<String, JsValue> {
    let (zph, options) = zph_input(zph, options)?;
    plot::zph::zph_svg(&zph, &options).map_err(to_js_error)
}

/// The proportional-hazards plot's caption: the smooth, its band, the transform of time.
#[wasm_bindgen]
pub fn cox_zph_caption(zph: JsValue, options: JsValue) -> Result<String, JsValue> {
    let (zph, options) = zph_input(zph, options)?;
    plot::zph::zph_caption(&zph, &options).map_err(to_js_error)
}

/// The colours a palette ("okabe-ito", "greyscale") gives the first `n` curves, as "#rrggbb".
#[wasm_bindgen]
pub fn palette_colors(palette: &str, n: usize) -> Result<Vec<String>, JsValue> {
    let palette: Palette = serde_json::from_value(serde_json::Value::String(palette.into()))
        .map_err(|_| {
            to_js_error(Error::usage(format!(
                "'{palette}' is not a palette; choose okabe-ito or greyscale"
            )))
        })?;
    Ok(plot::palette_hex(palette, n))
}

/// Days in one `unit` (days, weeks, months, years: 1, 7, 30.4375, 365.25), the constants the
/// figures convert time with, so the page's tables convert as its figures do.
#[wasm_bindgen]
pub fn days_per_unit(unit: &str) -> Result<f64, JsValue> {
    unit.parse::<TimeUnit>().map(TimeUnit::days).map_err(|e| {
        to_js_error(Error::usage(e.to_string()).hint(Hint::SetOption {
            setting: Setting::Unit,
            example: Some("months".into()),
        }))
    })
}

/// The core's version, for the methods paragraph.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A percentage with `decimals` decimals as the core prints it (a share above 0 never shows
/// as 0: "<0.1"; no "%" sign), so the page and the command line agree.
#[wasm_bindgen]
pub fn format_percent(p: f64, decimals: usize) -> String {
    crate::format::percent(p, decimals)
}

/// A p-value as the core prints it (never "0.000"), so the page and the command line agree.
#[wasm_bindgen]
pub fn format_p(p: f64) -> String {
    crate::format::p_value(p)
}
