//! Linear and logistic regression, as R's `lm` and `glm(family = binomial)`, with Firth's penalised logistic regression.
//!
//! [`fit_linear`] and [`fit_logistic`] fit numbers already in memory: an outcome per row and
//! a [`Design`] of covariate columns (the intercept is added here, as R's first term
//! `(Intercept)`). Results are plain values whose serde names are the `survcalc regression`
//! JSON keys.

mod firth;
mod linear;
mod logistic;

use serde::Serialize;

use crate::data::design::{
    require_covariates, CovariateSpec, Covariates, Design, Term as TermInfo,
};
use crate::data::event::EventCoding;
use crate::data::prepare::read_numbers;
use crate::data::{RowFilter, Table};
use crate::engine::dist::chisq_p;
use crate::error::{Error, Hint, Result};
use crate::options::{check_conf_level, Family};

pub use firth::{FirthLogistic, FirthTerm};
pub use linear::{FTest, LinearFit};
pub use logistic::{LogisticFit, LogisticTerm};

/// The name R gives the intercept.
pub const INTERCEPT: &str = "(Intercept)";

/// The design with R's intercept column first, column-major.
struct WithIntercept {
    columns: Vec<f64>,
    terms: Vec<TermInfo>,
}

impl WithIntercept {
    /// From `columns`: the intercept's n ones followed by the design's columns, as
    /// [`Covariates::columns_into`] appends them.
    fn from_columns(columns: Vec<f64>, design_terms: Vec<TermInfo>) -> WithIntercept {
        let mut terms = vec![TermInfo::numeric(INTERCEPT)];
        terms.extend(design_terms);
        WithIntercept { columns, terms }
    }

    /// From the row-major design over `n` rows.
    fn new(design: &Design, n: usize) -> WithIntercept {
        let p = design.p();
        let mut columns = vec![0.0; n * (p + 1)];
        columns[..n].fill(1.0);
        for (i, row) in design.x.chunks_exact(p.max(1)).take(n).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                columns[(j + 1) * n + i] = v;
            }
        }
        let mut terms = vec![TermInfo::numeric(INTERCEPT)];
        terms.extend(design.terms.iter().cloned());
        WithIntercept { columns, terms }
    }
}

/// One coefficient: estimate, standard error, test statistic (t for linear, z for
/// logistic), P and confidence limits on the coefficient's scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub name: String,
    /// Null for an aliased term (a linear combination of the terms before it).
    pub estimate: Option<f64>,
    pub se: Option<f64>,
    pub statistic: Option<f64>,
    pub p: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The term is a linear combination of the terms before it, so R reports NA.
    pub aliased: bool,
    /// The covariate (column) the term belongs to.
    pub variable: String,
    /// The level, for a categorical covariate.
    pub level: Option<String>,
    /// The reference level, for a categorical covariate.
    pub reference: Option<String>,
}

impl Term {
    /// A term with nothing estimated (aliased until an estimate replaces it).
    fn aliased(info: &TermInfo) -> Term {
        Term {
            name: info.name.clone(),
            estimate: None,
            se: None,
            statistic: None,
            p: None,
            lower: None,
            upper: None,
            aliased: true,
            variable: info.variable.clone(),
            level: info.level.clone(),
            reference: info.reference.clone(),
        }
    }
}

/// One row's fitted value and residual (response scale), for a residual plot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residual {
    /// 1-based data row.
    pub row: usize,
    pub fitted: f64,
    pub residual: f64,
}

/// A likelihood-ratio (chi-square) test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChisqTest {
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

impl ChisqTest {
    fn new(chisq: f64, df: usize) -> ChisqTest {
        let chisq = finite(chisq).filter(|_| df > 0).map(|c| c.max(0.0));
        ChisqTest {
            chisq,
            df,
            p: chisq.and_then(|c| chisq_p(c, df)),
        }
    }
}

/// Either fit, tagged with its family as the contract's `"family"` key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum RegressionFit {
    Linear(LinearFit),
    Logistic(LogisticFit),
}

/// The number, or `None` where it is NaN or infinite (R's NA, NaN and Inf become null).
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// One warning naming the aliased terms, as `lm` prints "(k not defined because of singularities)".
fn aliased_warnings(terms: &[Term]) -> Vec<String> {
    let names: Vec<String> = terms
        .iter()
        .filter(|t| t.aliased)
        .map(|t| format!("'{}'", t.name))
        .collect();
    match names.len() {
        0 => Vec::new(),
        1 => vec![format!(
            "{} is a linear combination of the terms before it (collinear), so its coefficient cannot be estimated and is left empty",
            names[0]
        )],
        _ => vec![format!(
            "{} are linear combinations of the terms before them (collinear), so their coefficients cannot be estimated and are left empty",
            names.join(", ")
        )],
    }
}

pub use linear::fit as fit_linear;
pub use logistic::fit as fit_logistic;

/// Everything `survcalc regression` is asked to do.
#[derive(Debug, Clone)]
pub struct RegressionSpec {
    pub outcome: String,
    pub family: Family,
    /// Logistic: the outcome values meaning y = 1 (else inferred as for an event column).
    pub event_values: Vec<String>,
    pub covariates: Vec<CovariateSpec>,
    pub conf_level: f64,
    /// Logistic: also fit Firth's penalised model.
    pub firth: bool,
    /// Linear: keep each row's fitted value and residual (for a residual plot).
    pub residuals: bool,
}

/// Fits the model `spec` describes to `table`, on the rows complete for the outcome and
/// every covariate; the others are reported in `excluded`.
pub fn regression(table: &Table, spec: &RegressionSpec) -> Result<RegressionFit> {
    check_spec(spec)?;
    let mut rows = RowFilter::for_table(table);
    let outcome = Outcome::read(table, spec, &mut rows)?;
    let covariates = Covariates::read(table, &spec.covariates)?;
    let all: Vec<usize> = (0..covariates.len()).collect();
    covariates.exclude_missing(&all, &mut rows);
    let kept = rows.kept();
    if kept.is_empty() {
        let mut columns = vec![spec.outcome.as_str()];
        columns.extend(spec.covariates.iter().map(|c| c.column.as_str()));
        return Err(rows.none_left(&columns));
    }
    let mut warnings = Vec::new();
    let mut columns = vec![1.0; kept.len()];
    let terms = covariates.columns_into(&mut columns, table, &all, &kept, &mut warnings)?;
    let x = WithIntercept::from_columns(columns, terms);
    let excluded = rows.exclusions();
    let fit = match outcome {
        Outcome::Numbers(y) => {
            let y: Vec<f64> = kept.iter().map(|&r| y[r]).collect();
            let row_numbers: Vec<usize> = kept.iter().map(|&r| r + 1).collect();
            let mut fit = linear::fit_matrix(&y, x, &row_numbers, spec.conf_level, spec.residuals);
            fit.excluded = excluded;
            warnings.append(&mut fit.warnings);
            fit.warnings = warnings;
            RegressionFit::Linear(fit)
        }
        Outcome::Binary(y, coding) => {
            let y: Vec<bool> = kept.iter().map(|&r| y[r]).collect();
            check_both_outcomes(&spec.outcome, &y, &coding)?;
            let mut fit = logistic::fit_matrix(&y, x, spec.conf_level, spec.firth);
            fit.excluded = excluded;
            fit.event_coding = Some(coding.describe());
            warnings.append(&mut fit.warnings);
            fit.warnings = warnings;
            RegressionFit::Logistic(fit)
        }
    };
    Ok(fit)
}

fn check_spec(spec: &RegressionSpec) -> Result<()> {
    require_covariates(&spec.covariates)?;
    check_conf_level(spec.conf_level)
}

/// The outcome column over all rows: numbers (linear) or 0/1 (logistic).
enum Outcome {
    Numbers(Vec<f64>),
    Binary(Vec<bool>, EventCoding),
}

impl Outcome {
    fn read(table: &Table, spec: &RegressionSpec, rows: &mut RowFilter) -> Result<Outcome> {
        let name = &spec.outcome;
        match spec.family {
            Family::Linear => read_numbers(table, name, "outcome", rows).map(Outcome::Numbers),
            Family::Logistic => {
                let c = table.column_index(name)?;
                let present = (0..table.n_rows()).filter(|&r| !table.is_missing(c, r));
                let coding =
                    EventCoding::new(name, &spec.event_values, present.map(|r| table.cell(c, r)))?;
                let mut is_event = coding.memo();
                let y = (0..table.n_rows())
                    .map(|r| {
                        if table.is_missing(c, r) {
                            rows.exclude(r, || format!("missing outcome ('{name}')"));
                            false
                        } else {
                            is_event(table.cell(c, r))
                        }
                    })
                    .collect();
                drop(is_event);
                Ok(Outcome::Binary(y, coding))
            }
        }
    }
}

/// Logistic regression needs rows with the outcome and rows without it.
fn check_both_outcomes(name: &str, y: &[bool], coding: &EventCoding) -> Result<()> {
    let events = y.iter().filter(|&&e| e).count();
    if events == 0 || events == y.len() {
        let which = if events == 0 { "none" } else { "all" };
        return Err(Error::no_data(format!(
            "{which} of the {} rows used have the outcome in '{name}' ({}), so there is nothing to model",
            y.len(),
            coding.describe()
        ))
        .column(name)
        .hint(Hint::CheckEventCoding));
    }
    Ok(())
}
