//! Linear and logistic regression, as R's `lm` and `glm(family = binomial)`, with Firth's penalised logistic regression.
//!
//! [`fit_linear`] and [`fit_logistic`] fit numbers already in memory: an outcome per row and
//! a [`Design`] of covariate columns (the intercept is added here, as R's first term
//! `(Intercept)`). Results are plain values whose serde names are the `survcalc regression`
//! JSON keys.

mod firth;
mod linear;
mod logistic;
mod qr;

use serde::Serialize;

pub use firth::{FirthLogistic, FirthTerm};
pub use linear::{FTest, LinearFit};
pub use logistic::{LogisticFit, LogisticTerm};

/// The name R gives the intercept.
pub const INTERCEPT: &str = "(Intercept)";

/// One column of the design matrix and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermInfo {
    /// The covariate's column, or `COL=LEVEL` for a level of a categorical covariate.
    pub name: String,
    pub variable: String,
    pub level: Option<String>,
    pub reference: Option<String>,
}

impl TermInfo {
    /// A numeric covariate's term.
    pub fn numeric(name: &str) -> TermInfo {
        TermInfo {
            name: name.to_string(),
            variable: name.to_string(),
            level: None,
            reference: None,
        }
    }
}

/// The covariates over the rows used: one column of values per term (no intercept).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The 1-based data row of each observation.
    pub rows: Vec<usize>,
    pub columns: Vec<Vec<f64>>,
    pub terms: Vec<TermInfo>,
}

/// The design with R's intercept column first, column-major.
struct WithIntercept {
    columns: Vec<f64>,
    terms: Vec<TermInfo>,
}

impl WithIntercept {
    fn new(design: &Design) -> WithIntercept {
        let n = design.rows.len();
        let mut columns = Vec::with_capacity(n * (design.columns.len() + 1));
        columns.resize(n, 1.0);
        for c in &design.columns {
            columns.extend_from_slice(c);
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
            p: chisq.and_then(|c| crate::dist::chi_square_upper(c, df as f64)),
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
