//! Cox proportional hazards regression: fit, tests, concordance and warnings, as R's `coxph`.
//!
//! [`cox`] reads the outcome, covariates and strata from a [`Table`] and returns a
//! [`CoxFit`] whose serde names are the `survcalc cox` JSON keys; on request it adds the
//! univariable table, the proportional-hazards test of `cox.zph` and Firth's penalised
//! model. [`fit_matrix`] fits numbers already in memory.

mod concordance;
mod covariate_tests;
mod firth;
mod newton;
mod subgroup;
mod zph;
mod zph_smooth;

use crate::engine::dist::{chisq_p, normal_two_sided, z_two_sided};
use crate::engine::risk_set::RiskSets;
use serde::{Deserialize, Serialize};

use crate::data::design::{require_covariates, Covariates, Design, Term};
use crate::data::event::EventCoding;
use crate::data::prepare::SurvivalSpec;
use crate::data::prepare::{read_events, read_times, require_present, Exclusion, Factor};
use crate::data::{RowFilter, Table};
use crate::error::{Error, Hint, Result};
use crate::options::{check_conf_level, Ties, ZphTransform};
use crate::parallel::both;

pub use crate::data::design::{covariate_specs, CovariateFlag, CovariateKind, CovariateSpec};
pub use concordance::{count_pairs, ConcordanceCounts};
pub use covariate_tests::CovariateTest;
pub use firth::{FirthFit, FirthTerm};
pub use subgroup::{
    subgroups, SubgroupAnalysis, SubgroupEstimate, SubgroupLevel, SubgroupSpec, SubgroupVariable,
};
pub use zph::{Zph, ZphResiduals, ZphTest};
pub use zph_smooth::{
    format_signif2, zph_smooth, zph_time_axis, ZphSmooth, ZphTick, SMOOTH_DF, SMOOTH_POINTS,
};

/// Below this many events per estimated coefficient, estimates are flagged as unstable.
const EVENTS_PER_TERM: f64 = 10.0;

/// Everything `survcalc cox` is asked to do.
#[derive(Debug, Clone)]
pub struct CoxSpec {
    pub outcome: SurvivalSpec,
    pub covariates: Vec<CovariateSpec>,
    pub strata: Option<String>,
    pub ties: Ties,
    pub conf_level: f64,
    /// Also fit one model per covariate.
    pub univariate: bool,
    /// Also test proportional hazards (`cox.zph`) with this transform of time.
    pub zph: Option<ZphTransform>,
    /// Also fit Firth's penalised model.
    pub firth: bool,
    /// Numeric covariates whose hazard ratio is given per this many units (age per 10 years):
    /// the column is divided by the unit before the fit, as R's `I(age / 10)`, so the
    /// coefficient and its SE are the per-unit ones times the unit and the hazard ratio is
    /// exp(unit x coefficient per unit); tests, P values and concordance do not change.
    pub per: Vec<(String, f64)>,
}

/// A chi-square test: statistic, degrees of freedom and upper-tail P.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChisqTest {
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

impl ChisqTest {
    /// A test on 0 degrees of freedom (no estimable term) tests nothing: it reports neither
    /// statistic nor P.
    pub(crate) fn new(chisq: Option<f64>, df: usize) -> ChisqTest {
        let chisq = chisq
            .filter(|c| c.is_finite() && df > 0)
            .map(|c| c.max(0.0));
        ChisqTest {
            chisq,
            df,
            p: chisq.and_then(|c| chisq_p(c, df)),
        }
    }
}

/// One coefficient of the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxTerm {
    /// The covariate's column, or `COL=LEVEL` for a level of a categorical covariate.
    pub name: String,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub z: Option<f64>,
    pub p: Option<f64>,
    /// The coefficient runs to plus or minus infinity (monotone likelihood).
    pub infinite: bool,
    /// The covariate (column) the term belongs to.
    pub variable: String,
    /// The level, for a categorical covariate.
    pub level: Option<String>,
    /// The reference level, for a categorical covariate.
    pub reference: Option<String>,
    /// The unit the coefficient is per, when one was chosen (a numeric covariate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<f64>,
}

/// A fitted Cox model: the `survcalc cox` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoxFit {
    pub n: usize,
    pub events: usize,
    pub terms: Vec<CoxTerm>,
    /// Log partial likelihood at beta = 0 and at the estimate.
    pub loglik: [f64; 2],
    pub lr_test: ChisqTest,
    pub wald_test: ChisqTest,
    pub score_test: ChisqTest,
    /// A test per covariate as given (a categorical covariate's terms together).
    pub covariate_tests: Vec<CovariateTest>,
    pub concordance: Option<f64>,
    pub concordance_counts: ConcordanceCounts,
    pub ties: Ties,
    pub conf_level: f64,
    pub strata: Option<Vec<String>>,
    pub iterations: usize,
    pub converged: bool,
    /// Which values of the event column meant the event, as read from a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_coding: Option<String>,
    /// How time was computed from dates (unit and divisor), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub univariate: Option<Vec<UnivariateModel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zph: Option<Zph>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firth: Option<FirthFit>,
}

/// One covariate's own model in the univariable table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnivariateModel {
    pub variable: String,
    pub n: usize,
    pub events: usize,
    /// One row per level (the reference first, marked) or one row for a numeric covariate.
    pub rows: Vec<UnivariateRow>,
    /// Likelihood-ratio test of the covariate as a whole (all its levels together).
    pub lr_test: ChisqTest,
    /// Wald test of the covariate as a whole (all its levels together; SPSS's row for a
    /// categorical covariate).
    pub wald_test: ChisqTest,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// A row of the univariable table: a term, or a categorical covariate's reference level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnivariateRow {
    pub name: String,
    pub level: Option<String>,
    /// The reference level's row (HR 1 by definition, no test).
    pub reference: bool,
    pub coef: Option<f64>,
    pub se: Option<f64>,
    pub hr: Option<f64>,
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    pub p: Option<f64>,
    pub infinite: bool,
    /// The unit the coefficient is per, when one was chosen (a numeric covariate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<f64>,
}

/// Fits the Cox model `spec` describes to `table`.
pub fn cox(table: &Table, spec: &CoxSpec) -> Result<CoxFit> {
    check_options(spec)?;
    let inputs = Inputs::read(table, spec)?;
    let all: Vec<usize> = (0..spec.covariates.len()).collect();
    let mut fit = inputs.fit(table, spec, &all)?;
    fit.event_coding = Some(inputs.coding.describe());
    fit.time_description = spec.outcome.time.describe();
    if spec.univariate {
        let mut models = Vec::new();
        for &k in &all {
            match inputs.fit(table, spec, &[k]) {
                Ok(one) => models.push(univariate_model(one)),
                Err(e) => fit.warnings.push(format!(
                    "No univariable model for '{}': {e}",
                    spec.covariates[k].column
                )),
            }
        }
        fit.univariate = Some(models);
    }
    Ok(fit)
}

/// One model's numeric inputs: one entry per subject, covariates row-major (`n x names.len()`).
#[derive(Debug, Clone, Copy)]
pub struct CoxMatrix<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    pub x: &'a [f64],
    /// One name per covariate column.
    pub names: &'a [String],
    /// Stratum of each subject (0-based), if stratified.
    pub strata: Option<&'a [usize]>,
}

/// Fits a Cox model to numeric inputs (no missing values; `excluded` is left empty).
pub fn fit_matrix(m: &CoxMatrix, ties: Ties, conf_level: f64) -> Result<CoxFit> {
    check_conf_level(conf_level)?;
    let n = m.time.len();
    let p = m.names.len();
    let consistent =
        m.event.len() == n && m.x.len() == n * p && p > 0 && m.strata.is_none_or(|s| s.len() == n);
    if !consistent {
        return Err(Error::usage(format!(
            "{n} times need {n} events, {n} x {p} covariate values and {n} strata, with at least one covariate"
        )));
    }
    if let Some(i) = (0..n).find(|&i| !(m.time[i] >= 0.0 && m.time[i].is_finite())) {
        return Err(
            Error::data(format!("time {} is not a non-negative number", m.time[i])).row(i + 1),
        );
    }
    if let Some(k) = m.x.iter().position(|v| !v.is_finite()) {
        return Err(Error::data(format!(
            "covariate '{}' is not a finite number",
            m.names[k % p]
        ))
        .row(k / p + 1));
    }
    if !m.event.iter().any(|&e| e) {
        return Err(Error::no_data(
            "no subject has an event, so there is nothing to model",
        ));
    }
    let design = Design {
        x: m.x.to_vec(),
        terms: m.names.iter().map(|name| Term::numeric(name)).collect(),
    };
    let model = Model {
        time: m.time,
        event: m.event,
        design: &design,
        covariates: m.names,
        strata: m.strata,
        ties,
        conf_level,
        zph: None,
        firth: false,
    };
    let mut warnings = Vec::new();
    let mut fit = model.fit(&mut warnings);
    fit.warnings = warnings;
    Ok(fit)
}

fn check_options(spec: &CoxSpec) -> Result<()> {
    require_covariates(&spec.covariates)?;
    check_per_units(&spec.covariates, &spec.per)?;
    check_conf_level(spec.conf_level)
}

/// A unit must be a positive number and belong to a numeric covariate of the model: a
/// categorical covariate's hazard ratios compare levels and have no unit (Cox and Fine-Gray).
pub(crate) fn check_per_units(covariates: &[CovariateSpec], per: &[(String, f64)]) -> Result<()> {
    for (column, unit) in per {
        let covariate = covariates.iter().find(|c| &c.column == column);
        let message = match covariate.map(|c| &c.kind) {
            None => format!(
                "a unit for the hazard ratio is given for '{column}', which is not a covariate of the model"
            ),
            Some(CovariateKind::Categorical { .. }) => format!(
                "'{column}' is categorical: its hazard ratios compare each level with the reference, so a unit does not apply"
            ),
            Some(CovariateKind::Numeric) if !(unit.is_finite() && *unit > 0.0) => format!(
                "the unit of '{column}' for its hazard ratio must be a positive number, not {unit}"
            ),
            Some(CovariateKind::Numeric) => continue,
        };
        return Err(Error::usage(message).column(column.as_str()));
    }
    Ok(())
}

/// The unit chosen for covariate `variable`'s hazard ratio, if any.
pub(crate) fn unit_of(per: &[(String, f64)], variable: &str) -> Option<f64> {
    per.iter().find(|(c, _)| c == variable).map(|&(_, u)| u)
}

/// Divides the column of each numeric covariate given a unit by that unit (R's
/// `I(x / unit)`), so the model's coefficient is per that many units.
pub(crate) fn scale_per_unit(design: &mut Design, per: &[(String, f64)]) {
    let p = design.p();
    for (j, term) in design.terms.iter().enumerate() {
        let Some(unit) = unit_of(per, &term.variable).filter(|_| term.level.is_none()) else {
            continue;
        };
        for row in design.x.chunks_mut(p) {
            row[j] /= unit;
        }
    }
}

/// The columns read once; each model picks its covariates and its complete rows.
struct Inputs {
    base: RowFilter,
    coding: EventCoding,
    time: Vec<f64>,
    event: Vec<bool>,
    strata_col: Option<usize>,
    covariates: Covariates,
}

/// Times, events and strata, with the rows they exclude.
struct Outcome {
    base: RowFilter,
    time: Vec<f64>,
    event: Vec<bool>,
    coding: EventCoding,
    strata_col: Option<usize>,
}

impl Outcome {
    fn read(table: &Table, spec: &CoxSpec) -> Result<Outcome> {
        let mut base = RowFilter::for_table(table);
        let time = read_times(table, &spec.outcome.time, &mut base)?;
        let (event, coding) = read_events(
            table,
            &spec.outcome.event,
            &spec.outcome.event_values,
            &mut base,
        )?;
        let strata_col = spec
            .strata
            .as_deref()
            .map(|s| require_present(table, s, "stratum", &mut base))
            .transpose()?;
        Ok(Outcome {
            base,
            time,
            event,
            coding,
            strata_col,
        })
    }
}

impl Inputs {
    /// Reads the outcome and the covariates; the two are independent, so on the command line
    /// they are read on two threads (a million rows: about 60 ms of 130 saved).
    fn read(table: &Table, spec: &CoxSpec) -> Result<Inputs> {
        let (outcome, covariates) = both(
            || Outcome::read(table, spec),
            || Covariates::read(table, &spec.covariates),
        );
        let Outcome {
            base,
            time,
            event,
            coding,
            strata_col,
        } = outcome?;
        Ok(Inputs {
            base,
            coding,
            time,
            event,
            strata_col,
            covariates: covariates?,
        })
    }

    /// Fits the model with the covariates `which` on the rows complete for them.
    fn fit(&self, table: &Table, spec: &CoxSpec, which: &[usize]) -> Result<CoxFit> {
        let mut rows = self.base.clone();
        self.covariates.exclude_missing(which, &mut rows);
        let kept = rows.kept();
        if kept.is_empty() {
            let mut columns = spec.outcome.columns();
            columns.extend(which.iter().map(|&k| self.covariates.column(k)));
            return Err(rows.none_left(&columns));
        }
        if !kept.iter().any(|&r| self.event[r]) {
            return Err(Error::no_data(format!(
                "none of the {} rows used has an event, so there is nothing to model",
                kept.len()
            ))
            .column(&spec.outcome.event)
            .hint(Hint::CheckEventCoding));
        }
        let mut warnings = Vec::new();
        let mut design = self.covariates.design(table, which, &kept, &mut warnings)?;
        scale_per_unit(&mut design, &spec.per);
        let strata = self.strata_col.map(|c| {
            let Factor { levels, codes } = Factor::new(kept.iter().map(|&r| table.cell(c, r)));
            (levels, codes)
        });
        let time: Vec<f64> = kept.iter().map(|&r| self.time[r]).collect();
        let event: Vec<bool> = kept.iter().map(|&r| self.event[r]).collect();
        let covariates: Vec<String> = which
            .iter()
            .map(|&k| self.covariates.column(k).to_string())
            .collect();
        let model = Model {
            time: &time,
            event: &event,
            design: &design,
            covariates: &covariates,
            strata: strata.as_ref().map(|(_, c)| c.as_slice()),
            ties: spec.ties,
            conf_level: spec.conf_level,
            zph: spec.zph,
            firth: spec.firth,
        };
        let mut fit = model.fit(&mut warnings);
        for term in fit.terms.iter_mut().filter(|t| t.level.is_none()) {
            term.per = unit_of(&spec.per, &term.variable);
        }
        fit.strata = strata.map(|(l, _)| l);
        fit.excluded = rows.exclusions();
        fit.warnings = warnings;
        Ok(fit)
    }
}

/// One model's inputs over its complete rows.
struct Model<'a> {
    time: &'a [f64],
    event: &'a [bool],
    design: &'a Design,
    /// The covariates as given, each a column or several of the design.
    covariates: &'a [String],
    strata: Option<&'a [usize]>,
    ties: Ties,
    conf_level: f64,
    zph: Option<ZphTransform>,
    firth: bool,
}

impl Model<'_> {
    fn fit(&self, warnings: &mut Vec<String>) -> CoxFit {
        let p = self.design.terms.len();
        let rs = RiskSets::new(self.time, self.event, &self.design.x, p, self.strata);
        let max = newton::maximise(&rs, self.ties);
        let z_crit = z_two_sided(self.conf_level);
        let any_infinite = max.infinite.iter().any(|&i| i);
        let terms = self.terms(&max, z_crit);
        let df = max.singular.iter().filter(|&&s| !s).count();
        let loglik = [max.at_zero.loglik, max.at_beta.loglik];
        let estimable: Vec<usize> = (0..p).filter(|&j| !max.singular[j]).collect();
        let wald = (!any_infinite).then(|| max.wald(&estimable));
        let eta = rs.eta(&max.beta);
        let counts = count_pairs(&rs.time, &rs.event, &eta, &rs.stratum);
        let events = self.event.iter().filter(|&&e| e).count();
        self.warn(&max, &terms, events, df, warnings);
        CoxFit {
            n: self.time.len(),
            events,
            terms,
            loglik,
            lr_test: ChisqTest::new(Some(2.0 * (loglik[1] - loglik[0])), df),
            wald_test: ChisqTest::new(wald, df),
            score_test: ChisqTest::new(Some(max.score_chisq), df),
            covariate_tests: covariate_tests::covariate_tests(
                &rs,
                &max,
                self.ties,
                &self.covariate_columns(),
            ),
            concordance: counts.concordance(),
            concordance_counts: counts,
            ties: self.ties,
            conf_level: self.conf_level,
            strata: None,
            iterations: max.iterations,
            converged: max.converged,
            event_coding: None,
            time_description: None,
            excluded: Vec::new(),
            warnings: Vec::new(),
            univariate: None,
            zph: self.zph.map(|t| self.zph(&rs, &max, t)),
            firth: self
                .firth
                .then(|| self.firth(&rs, z_crit, warnings))
                .flatten(),
        }
    }

    /// The coefficients with their standard errors, hazard ratios, limits and Wald tests; a
    /// singular or infinite term's are null.
    fn terms(&self, max: &newton::Maximum, z_crit: f64) -> Vec<CoxTerm> {
        let p = self.design.terms.len();
        self.design
            .terms
            .iter()
            .enumerate()
            .map(|(j, info)| {
                let estimable = !max.singular[j] && !max.infinite[j];
                let coef = estimable.then_some(max.beta[j]);
                let se = coef.and_then(|_| {
                    let v = max.var[j * p + j];
                    (v > 0.0).then(|| v.sqrt())
                });
                let z = coef.zip(se).map(|(b, s)| b / s);
                CoxTerm {
                    name: info.name.clone(),
                    coef,
                    se,
                    hr: coef.map(f64::exp),
                    hr_lower: coef.zip(se).map(|(b, s)| (b - z_crit * s).exp()),
                    hr_upper: coef.zip(se).map(|(b, s)| (b + z_crit * s).exp()),
                    z,
                    p: z.and_then(normal_two_sided),
                    infinite: max.infinite[j],
                    variable: info.variable.clone(),
                    level: info.level.clone(),
                    reference: info.reference.clone(),
                    per: None,
                }
            })
            .collect()
    }

    /// Each covariate with its columns of the design (none when it was left out).
    fn covariate_columns(&self) -> Vec<(String, Vec<usize>)> {
        self.covariates
            .iter()
            .map(|name| (name.clone(), self.design.terms_of(name)))
            .collect()
    }

    fn firth(&self, rs: &RiskSets, z_crit: f64, warnings: &mut Vec<String>) -> Option<FirthFit> {
        let names: Vec<String> = self.design.terms.iter().map(|t| t.name.clone()).collect();
        let fit = firth::firth(rs, &names, z_crit);
        match &fit {
            None => warnings.push(
                "Firth's penalised model could not be fitted: the covariates are collinear or carry no information".into(),
            ),
            Some(f) if !f.converged => warnings.push(
                "Firth's penalised model did not converge; its estimates may not be at the maximum".into(),
            ),
            Some(_) => {}
        }
        fit
    }

    fn zph(&self, rs: &RiskSets, max: &newton::Maximum, transform: ZphTransform) -> Zph {
        let columns: Vec<usize> = (0..rs.p).filter(|&j| !max.singular[j]).collect();
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (k, &j) in columns.iter().enumerate() {
            let variable = &self.design.terms[j].variable;
            match groups.last_mut() {
                Some((name, cols)) if name == variable => cols.push(k),
                _ => groups.push((variable.clone(), vec![k])),
            }
        }
        let input = zph::ZphInput {
            rs,
            beta: &max.beta,
            ties: self.ties,
            columns,
            groups,
        };
        zph::zph(&input, transform)
    }

    fn warn(
        &self,
        max: &newton::Maximum,
        terms: &[CoxTerm],
        events: usize,
        df: usize,
        warnings: &mut Vec<String>,
    ) {
        for (j, term) in terms.iter().enumerate() {
            if max.singular[j] && max.at_zero.info[j * terms.len() + j] <= 0.0 {
                warnings.push(format!(
                    "'{}' does not vary among the subjects at risk at any event time, so it carries no information and was left out",
                    term.name
                ));
            } else if max.singular[j] {
                warnings.push(format!(
                    "'{}' is a linear combination of the other covariates (collinear), so its coefficient cannot be estimated and was left out",
                    term.name
                ));
            }
            if max.infinite[j] {
                let (direction, hr) = if max.beta[j] > 0.0 {
                    ("+infinity", "infinite")
                } else {
                    ("-infinity", "zero")
                };
                warnings.push(format!(
                    "Monotone likelihood: the coefficient of '{}' runs to {direction} (hazard ratio {hr}), as happens when a group has no events or the events all fall on one side of it. Its hazard ratio, confidence interval and Wald P cannot be estimated and are left empty; judge it by the likelihood-ratio test P, or use Firth's penalised Cox regression",
                    term.name
                ));
            }
        }
        if df > 0 && (events as f64) < EVENTS_PER_TERM * df as f64 {
            warnings.push(format!(
                "Only {events} events for {df} estimated coefficients (fewer than {EVENTS_PER_TERM} events per coefficient): estimates may be unstable and hazard ratios exaggerated"
            ));
        }
        if !max.converged {
            warnings.push(format!(
                "The fit did not converge in {} iterations; the estimates may not be at the maximum",
                max.iterations
            ));
        }
    }
}

fn univariate_model(fit: CoxFit) -> UnivariateModel {
    let mut rows = Vec::new();
    let variable = fit
        .terms
        .first()
        .map_or(String::new(), |t| t.variable.clone());
    if let Some(reference) = fit.terms.first().and_then(|t| t.reference.clone()) {
        rows.push(UnivariateRow {
            name: format!("{variable}={reference}"),
            level: Some(reference),
            reference: true,
            coef: None,
            se: None,
            hr: Some(1.0),
            hr_lower: None,
            hr_upper: None,
            p: None,
            infinite: false,
            per: None,
        });
    }
    rows.extend(fit.terms.iter().map(|t| UnivariateRow {
        name: t.name.clone(),
        level: t.level.clone(),
        reference: false,
        coef: t.coef,
        se: t.se,
        hr: t.hr,
        hr_lower: t.hr_lower,
        hr_upper: t.hr_upper,
        p: t.p,
        infinite: t.infinite,
        per: t.per,
    }));
    UnivariateModel {
        variable,
        n: fit.n,
        events: fit.events,
        rows,
        lr_test: fit.lr_test,
        wald_test: fit.wald_test,
        excluded: fit.excluded,
        warnings: fit.warnings,
    }
}
