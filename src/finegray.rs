//! Fine and Gray's proportional subdistribution hazards regression for competing risks, as
//! R's `cmprsk::crr`: coefficients, robust (sandwich) standard errors, hazard ratios with
//! limits, Wald P, and warnings.
//!
//! [`finegray`] reads the outcome and covariates from a [`Table`] (categorical covariates
//! coded as in Cox, by [`crate::data::design`]); [`fit_matrix`] fits numbers in memory. Both
//! return a [`FineGray`], the `survcalc finegray` result, its serde names the JSON keys.

mod fit;

use serde::Serialize;

use crate::cox::{check_per_units, scale_per_unit, unit_of};
use crate::data::competing::{CompetingOutcome, CompetingSpec};
use crate::data::design::{require_covariates, CovariateSpec, Covariates, Term};
use crate::data::event::Cause;
use crate::data::prepare::Exclusion;
use crate::data::Table;
use crate::engine::dist::{normal_two_sided, z_two_sided};
use crate::error::{Error, Hint, Result};
use crate::options::check_conf_level;
use crate::parallel::both;

pub use fit::{fit, FineGrayFit};

/// Below this many events of interest per estimated coefficient, estimates are flagged as
/// unstable (as for Cox).
const EVENTS_PER_TERM: f64 = 10.0;

/// One coefficient: the subdistribution hazard ratio of a term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FineGrayTerm {
    /// The covariate's column, or `COL=LEVEL` for a level of a categorical covariate.
    pub name: String,
    pub coef: Option<f64>,
    /// crr's robust (sandwich) standard error.
    pub se: Option<f64>,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
    /// The covariate (column) the term belongs to.
    pub variable: String,
    /// The level, for a categorical covariate.
    pub level: Option<String>,
    /// The reference level, for a categorical covariate.
    pub reference: Option<String>,
    /// The unit of a numeric covariate whose hazard ratio is per that many units (absent: per
    /// unit; never written then, so the command line's output keeps the contract's keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<f64>,
}

/// A fitted Fine-Gray model: the `survcalc finegray` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FineGray {
    pub n: usize,
    /// Events of interest.
    pub events: usize,
    pub competing_events: usize,
    pub terms: Vec<FineGrayTerm>,
    /// Log pseudo-likelihood at beta = 0 and at the estimate (crr's `loglik.null`, `loglik`).
    pub loglik: [f64; 2],
    pub converged: bool,
    pub iterations: usize,
    pub conf_level: f64,
    /// Which values meant the event of interest, a competing event and censoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_coding: Option<String>,
    /// How time was computed from dates (unit and divisor), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// Everything `survcalc finegray` is asked to do.
#[derive(Debug, Clone)]
pub struct FineGraySpec {
    pub outcome: CompetingSpec,
    /// Terms in this order; categorical ones expand into one term per non-reference level.
    pub covariates: Vec<CovariateSpec>,
    pub conf_level: f64,
    /// Hazard ratios of numeric covariates per this many units (age per 10 years), as
    /// `CoxSpec::per`: the column divided by the unit, R's crr on `I(age / 10)`.
    pub per: Vec<(String, f64)>,
}

/// Fits the model `spec` describes to `table`, on the rows complete for the outcome and every
/// covariate (the others reported in `excluded`).
pub fn finegray(table: &Table, spec: &FineGraySpec) -> Result<FineGray> {
    require_covariates(&spec.covariates)?;
    check_per_units(&spec.covariates, &spec.per)?;
    check_conf_level(spec.conf_level)?;
    // The outcome and the covariates are independent: on the command line, two threads.
    let (outcome, covariates) = both(
        || CompetingOutcome::read(table, &spec.outcome),
        || Covariates::read(table, &spec.covariates),
    );
    let (mut outcome, covariates) = (outcome?, covariates?);
    let all: Vec<usize> = (0..covariates.len()).collect();
    covariates.exclude_missing(&all, &mut outcome.rows);
    let kept = outcome.rows.kept();
    if kept.is_empty() {
        let mut columns = spec.outcome.columns();
        columns.extend(spec.covariates.iter().map(|c| c.column.as_str()));
        return Err(outcome.rows.none_left(&columns));
    }
    let mut warnings = outcome.warnings(&spec.outcome, &kept);
    if !kept.iter().any(|&r| outcome.cause[r] == Cause::Event) {
        return Err(Error::no_data(format!(
            "none of the {} rows used has '{}' = {} (the event of interest), so there is nothing to model",
            kept.len(),
            spec.outcome.event,
            outcome.coding.event_values().join(" or ")
        ))
        .column(&spec.outcome.event)
        .hint(Hint::CheckEventCoding));
    }
    let mut design = covariates.design(table, &all, &kept, &mut warnings)?;
    scale_per_unit(&mut design, &spec.per);
    let time: Vec<f64> = kept.iter().map(|&r| outcome.time[r]).collect();
    let cause: Vec<Cause> = kept.iter().map(|&r| outcome.cause[r]).collect();
    let mut fit = fit_matrix(&time, &cause, &design.x, &design.terms, spec.conf_level)?;
    warnings.append(&mut fit.warnings);
    for term in fit.terms.iter_mut().filter(|t| t.level.is_none()) {
        term.per = unit_of(&spec.per, &term.variable);
    }
    fit.warnings = warnings;
    fit.event_coding = Some(outcome.coding.describe());
    fit.time_description = spec.outcome.time.describe();
    fit.excluded = outcome.rows.exclusions();
    Ok(fit)
}

/// Fits the model to numbers in memory: `x` is n x terms.len() row-major, without missing
/// values (`excluded` is left empty).
pub fn fit_matrix(
    time: &[f64],
    cause: &[Cause],
    x: &[f64],
    terms: &[Term],
    conf_level: f64,
) -> Result<FineGray> {
    check_conf_level(conf_level)?;
    let n = time.len();
    let p = terms.len();
    if cause.len() != n || x.len() != n * p || p == 0 {
        return Err(Error::usage(format!(
            "{n} times need {n} causes and {n} x {p} covariate values, with at least one covariate"
        )));
    }
    if let Some(i) = (0..n).find(|&i| !(time[i] >= 0.0 && time[i].is_finite())) {
        return Err(
            Error::data(format!("time {} is not a non-negative number", time[i])).row(i + 1),
        );
    }
    if let Some(k) = x.iter().position(|v| !v.is_finite()) {
        return Err(Error::data(format!(
            "covariate '{}' is not a finite number",
            terms[k % p].name
        ))
        .row(k / p + 1));
    }
    let events = cause.iter().filter(|&&c| c == Cause::Event).count();
    if events == 0 {
        return Err(Error::no_data(format!(
            "none of the {n} rows used has the event of interest, so there is nothing to model"
        ))
        .hint(Hint::CheckEventCoding));
    }
    let competing_events = cause.iter().filter(|&&c| c == Cause::Competing).count();
    let model = fit(time, cause, x, p);
    let z_crit = z_two_sided(conf_level);
    let mut warnings = Vec::new();
    let out_terms: Vec<FineGrayTerm> = terms
        .iter()
        .enumerate()
        .map(|(j, t)| {
            let coef = (!model.singular[j]).then_some(model.beta[j]);
            let se = coef.and_then(|_| {
                let v = model.var[j * p + j];
                (v > 0.0).then(|| v.sqrt())
            });
            let z = coef.zip(se).map(|(b, s)| b / s);
            if model.singular[j] {
                warnings.push(format!(
                    "'{}' does not vary among the subjects at risk at the event times, or is a linear combination of the other covariates, so its coefficient cannot be estimated and was left out",
                    t.name
                ));
            }
            FineGrayTerm {
                name: t.name.clone(),
                coef,
                se,
                hr: coef.map(f64::exp),
                hr_lower: coef.zip(se).map(|(b, s)| (b - z_crit * s).exp()),
                hr_upper: coef.zip(se).map(|(b, s)| (b + z_crit * s).exp()),
                z,
                p: z.and_then(normal_two_sided),
                variable: t.variable.clone(),
                level: t.level.clone(),
                reference: t.reference.clone(),
                per: None,
            }
        })
        .collect();
    let df = model.singular.iter().filter(|&&s| !s).count();
    if df > 0 && (events as f64) < EVENTS_PER_TERM * df as f64 {
        warnings.push(format!(
            "Only {events} events of interest for {df} estimated coefficients (fewer than {EVENTS_PER_TERM} events per coefficient): estimates may be unstable and hazard ratios exaggerated"
        ));
    }
    if !model.converged {
        warnings.push(format!(
            "The fit did not converge in {} iterations; the estimates may not be at the maximum. A coefficient that keeps growing (for example of a group with no event of interest) runs to infinity, and its hazard ratio, limits and P are not meaningful",
            model.iterations
        ));
    }
    Ok(FineGray {
        n,
        events,
        competing_events,
        terms: out_terms,
        loglik: model.loglik,
        converged: model.converged,
        iterations: model.iterations,
        conf_level,
        event_coding: None,
        time_description: None,
        excluded: Vec::new(),
        warnings,
    })
}
