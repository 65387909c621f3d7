//! Competing risks: the cumulative incidence of an event of interest per group (Aalen-Johansen,
//! with `cmprsk::cuminc`'s variance), log(-log) limits, incidence at chosen times, and Gray's
//! test between groups.
//!
//! [`analyse`] takes a [`CompetingData`] and returns a [`CumulativeIncidence`] whose serde
//! names are the `survcalc cif` JSON keys.

mod gray;
mod incidence;

use serde::Serialize;

use crate::data::competing::CompetingData;
use crate::data::event::Cause;
use crate::data::prepare::Exclusion;
use crate::data::validate::check_times;
use crate::engine::dist::{chisq_p, z_two_sided};
use crate::engine::order::{ascending_key, sort_by_key};
use crate::error::{Error, Result};

pub use gray::{gray_scores, GrayScores};
pub use incidence::{aalen_johansen, CauseCounts, IncidencePoint};

/// One observation as the passes over time read it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Observation {
    pub time: f64,
    /// 0-based group index.
    pub group: u32,
    pub cause: Cause,
}

/// What the `cif` analysis is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct CifOptions {
    /// Two-sided coverage of the limits, strictly between 0 and 1.
    pub conf_level: f64,
    /// Times at which to read the incidence off every curve.
    pub at: Vec<f64>,
    /// Gray's test weights (1 - F(t-))^rho; 0 (cuminc's default) weighs all times alike.
    pub rho: f64,
}

impl Default for CifOptions {
    fn default() -> Self {
        CifOptions {
            conf_level: 0.95,
            at: Vec::new(),
            rho: 0.0,
        }
    }
}

/// One distinct observed time of a group's curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CifStep {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_competing: u64,
    pub n_censor: u64,
    /// Cumulative incidence of the event of interest by this time (cuminc's `est`).
    pub cif: f64,
    /// Square root of cuminc's `var`.
    pub se: Option<f64>,
    /// Log(-log) limits; null where cif is 0 or 1.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The incidence at a chosen time (cmprsk's `timepoints`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CifAt {
    pub time: f64,
    /// Null past the group's last observed time, where cuminc gives NA.
    pub cif: Option<f64>,
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// One group's curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CifGroup {
    pub name: String,
    pub n: u64,
    /// Events of interest.
    pub events: u64,
    pub competing_events: u64,
    pub steps: Vec<CifStep>,
    pub at: Vec<CifAt>,
}

/// Gray's test for the event of interest between the groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrayTest {
    /// Null where the scores' variance is singular (cuminc prints -1 there).
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
    pub rho: f64,
}

/// The `survcalc cif` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CumulativeIncidence {
    pub groups: Vec<CifGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gray_test: Option<GrayTest>,
    pub conf_level: f64,
    /// Which values meant the event of interest, a competing event and censoring.
    pub event_coding: String,
    /// How time was computed from dates (unit and divisor), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// Runs the analysis on prepared data: one sort of all rows, then linear passes per group.
pub fn analyse(data: &CompetingData, options: &CifOptions) -> Result<CumulativeIncidence> {
    let z = z_for(options.conf_level)?;
    if !options.rho.is_finite() {
        return Err(Error::usage(format!(
            "Gray's test weight power {} is not a number; use 0 (equal weights) or 1",
            options.rho
        )));
    }
    check_times(&data.time, data.cause.len(), "causes")?;
    let n = data.time.len();
    let names: Vec<String> = match &data.group {
        Some(f) => f.levels.clone(),
        None => vec!["all".to_string()],
    };
    let k = names.len();
    if data.group.as_ref().is_some_and(|f| f.codes.len() != n) {
        return Err(Error::usage("group codes must be one per kept row"));
    }
    let group_of = |i: usize| data.group.as_ref().map_or(0, |f| f.codes[i] as u32);
    let observations = (0..n)
        .map(|i| Observation {
            time: data.time[i],
            group: group_of(i),
            cause: data.cause[i],
        })
        .collect();
    let sorted = sort_by_key(observations, |o| ascending_key(o.time));
    let mut counts = vec![CauseCounts::default(); k];
    for o in &sorted {
        counts[o.group as usize].push(o.time, o.cause);
    }
    let mut warnings = data.warnings.clone();
    let groups: Vec<CifGroup> = names
        .iter()
        .zip(&counts)
        .map(|(name, counts)| group_curve(name, counts, z, &options.at))
        .collect();
    if k > 1 {
        for g in groups.iter().filter(|g| g.events == 0) {
            warnings.push(format!(
                "group '{}' has no event of interest: its cumulative incidence stays at 0",
                g.name
            ));
        }
    }
    let gray_test = (k > 1).then(|| {
        let scores = gray_scores(&sorted, k, options.rho);
        let chisq = scores.chisq().map(|c| c.max(0.0));
        if chisq.is_none() {
            warnings.push(
                "Gray's test cannot be computed: the variance of its scores is singular (a group has no one at risk at any time of the event of interest)".into(),
            );
        }
        GrayTest {
            chisq,
            df: k - 1,
            p: chisq.and_then(|c| chisq_p(c, k - 1)),
            rho: options.rho,
        }
    });
    Ok(CumulativeIncidence {
        groups,
        gray_test,
        conf_level: options.conf_level,
        event_coding: data.coding.describe(),
        time_description: data.time_description.clone(),
        excluded: data.excluded.clone(),
        warnings,
    })
}

fn z_for(conf_level: f64) -> Result<f64> {
    crate::options::check_conf_level(conf_level)?;
    Ok(z_two_sided(conf_level))
}

/// One group's steps, limits and incidence at the chosen times.
fn group_curve(name: &str, counts: &CauseCounts, z: f64, at: &[f64]) -> CifGroup {
    let points = aalen_johansen(counts);
    let steps: Vec<CifStep> = points
        .iter()
        .enumerate()
        .map(|(j, p)| {
            let se = p.var.max(0.0).sqrt();
            let (lower, upper) = log_log_limits(p.cif, se, z);
            CifStep {
                time: counts.time[j],
                n_risk: p.n_risk,
                n_event: counts.n_event[j],
                n_competing: counts.n_competing[j],
                n_censor: counts.n_censor[j],
                cif: p.cif,
                se: Some(se),
                lower,
                upper,
            }
        })
        .collect();
    CifGroup {
        name: name.to_string(),
        n: counts.n(),
        events: counts.n_event.iter().sum(),
        competing_events: counts.n_competing.iter().sum(),
        at: at.iter().map(|&t| incidence_at(&steps, t)).collect(),
        steps,
    }
}

/// Pintilie's log(-log) limits, as tidycmprsk: cif^exp(+-z se / (cif log cif)), "+" the upper.
/// Undefined (null) where cif is 0 or 1.
pub fn log_log_limits(cif: f64, se: f64, z: f64) -> (Option<f64>, Option<f64>) {
    if !(cif > 0.0 && cif < 1.0) {
        return (None, None);
    }
    let w = z * se / (cif * cif.ln());
    (Some(cif.powf((-w).exp())), Some(cif.powf(w.exp())))
}

/// The step in force at `t` (cmprsk's `timepoints`): 0 before the first time, null past the
/// last observed time.
fn incidence_at(steps: &[CifStep], t: f64) -> CifAt {
    let last = steps.last().map_or(0.0, |s| s.time);
    let before = steps.partition_point(|s| s.time <= t);
    match before.checked_sub(1).map(|i| &steps[i]) {
        _ if t.is_nan() || t > last || t < 0.0 => CifAt {
            time: t,
            cif: None,
            se: None,
            lower: None,
            upper: None,
        },
        Some(s) => CifAt {
            time: t,
            cif: Some(s.cif),
            se: s.se,
            lower: s.lower,
            upper: s.upper,
        },
        None => CifAt {
            time: t,
            cif: Some(0.0),
            se: Some(0.0),
            lower: None,
            upper: None,
        },
    }
}
