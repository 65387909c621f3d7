//! The test of proportional hazards of R's `cox.zph` (survival >= 3.0) and scaled Schoenfeld residuals.
//!
//! A score test, at the fitted coefficients, of adding `x * g(t)` for each covariate, where
//! `g` is the transformed time (Kaplan-Meier by default), centred at its mean over events.
//! Per covariate (all levels of a categorical one together) and globally.
//!
//! The expanded model's score and information come from the engine's risk-set walk: at an
//! event time t, g(t) is the same for everyone at risk, so the added terms' score is g(t)
//! times the score's increment U_t and their information g(t) and g(t)^2 times the
//! information's increment V_t (Breslow or Efron, as the fit):
//!
//! ```text
//!   U = sum_t (U_t, g(t) U_t),    I = sum_t [[V_t, g(t) V_t], [g(t) V_t, g(t)^2 V_t]].
//! ```

use serde::{Deserialize, Serialize};

use super::ChisqTest;
use crate::engine::dist::chisq_p;
use crate::engine::linalg::Cholesky;
use crate::engine::risk_set::{EventTerms, EventTime, Moments, RiskSets};
use crate::engine::tolerance::TOLER_CHOL;
use crate::options::{Ties, ZphTransform};

/// One covariate's test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZphTest {
    pub term: String,
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

/// Scaled Schoenfeld residuals of one covariate (the coefficient added back, as R's `$y`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZphResiduals {
    pub term: String,
    /// One value per event, in the order of `x`; null where the covariate is constant
    /// within the event's stratum.
    pub values: Vec<Option<f64>>,
    /// What was added back: the coefficient, or 1 for a covariate's columns combined (its
    /// share of the linear predictor). Under proportional hazards beta(t) stays at it.
    pub coefficient: f64,
    /// The series' diagonal element of R's `$var` (the inverse of the average information
    /// per event), which scales the band of `plot.cox.zph`'s smooth.
    pub variance: f64,
}

/// The proportional-hazards check of a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zph {
    pub transform: ZphTransform,
    pub terms: Vec<ZphTest>,
    pub global: ChisqTest,
    /// Transformed time of each event, events ordered by stratum then time.
    pub x: Vec<f64>,
    /// Time of each event.
    pub time: Vec<f64>,
    pub residuals: Vec<ZphResiduals>,
}

/// The model the check runs on: sorted data, its estimable columns, and how they group.
pub(super) struct ZphInput<'a> {
    pub rs: &'a RiskSets,
    pub beta: &'a [f64],
    pub ties: Ties,
    /// Design columns kept (estimable), in order.
    pub columns: Vec<usize>,
    /// The covariate name and its columns (indices into `columns`), in model order.
    pub groups: Vec<(String, Vec<usize>)>,
}

/// Runs `cox.zph(fit, transform)`.
pub(super) fn zph(input: &ZphInput, transform: ZphTransform) -> Zph {
    let rs = input.rs.select(&input.columns);
    let beta: Vec<f64> = input.columns.iter().map(|&c| input.beta[c]).collect();
    let q = rs.p;
    let ttimes = transformed_times(&rs.time, &rs.event, transform);
    let g = centred_at_events(&ttimes, &rs.event);
    let expanded = ExpandedScore::new(&rs, &beta, &g, input.ties);

    let terms = input
        .groups
        .iter()
        .map(|(name, cols)| {
            // The fitted terms and this covariate's added terms.
            let keep: Vec<usize> = (0..q).chain(cols.iter().map(|c| c + q)).collect();
            let chisq = expanded.test(&keep);
            ZphTest {
                term: name.clone(),
                chisq,
                df: cols.len(),
                p: chisq.and_then(|c| chisq_p(c, cols.len())),
            }
        })
        .collect();
    let all: Vec<usize> = (0..2 * q).collect();
    let global = ChisqTest::new(expanded.test(&all), q);

    let events = events_in_r_order(&rs);
    let scaling = Scaling {
        groups: &input.groups,
        beta: &beta,
        information: expanded.fitted_block(),
        used: events_where_any_varies(events_where_varying(&rs), &input.groups),
    };
    let residuals = scaling.residuals(&events, &expanded.schoenfeld);
    Zph {
        transform,
        terms,
        global,
        x: events.iter().map(|&i| ttimes[i]).collect(),
        time: events.iter().map(|&i| rs.time[i]).collect(),
        residuals,
    }
}

/// g(t) minus its mean over the events, as `cox.zph`'s `gtime`.
fn centred_at_events(ttimes: &[f64], event: &[bool]) -> Vec<f64> {
    let n_events = event.iter().filter(|&&e| e).count();
    let event_mean = ttimes
        .iter()
        .zip(event)
        .filter(|(_, &e)| e)
        .map(|(t, _)| t)
        .sum::<f64>()
        / n_events.max(1) as f64;
    ttimes.iter().map(|t| t - event_mean).collect()
}

/// The sorted rows of the events in R's order: by stratum, then time, ties in data order.
fn events_in_r_order(rs: &RiskSets) -> Vec<usize> {
    let mut events: Vec<usize> = (0..rs.time.len()).filter(|&i| rs.event[i]).collect();
    events.sort_by(|&a, &b| {
        rs.stratum[a]
            .cmp(&rs.stratum[b])
            .then(rs.time[a].total_cmp(&rs.time[b]))
            .then(rs.order[a].cmp(&rs.order[b]))
    });
    events
}

/// Per stratum and column: the stratum's number of events if the column varies within the
/// stratum, else 0 (the C code's `used`).
fn events_where_varying(rs: &RiskSets) -> Vec<Vec<usize>> {
    let q = rs.p;
    let mut start = 0;
    rs.strata_end
        .iter()
        .map(|&end| {
            let events_here = (start..end).filter(|&i| rs.event[i]).count();
            let used = (0..q)
                .map(|j| {
                    let first = rs.x[start * q + j];
                    let varies = (start..end).any(|i| rs.x[i * q + j] != first);
                    if varies {
                        events_here
                    } else {
                        0
                    }
                })
                .collect();
            start = end;
            used
        })
        .collect()
}

/// `used` with each covariate's columns counted together, as `cox.zph` does before scaling:
/// a categorical covariate's columns all count a stratum's events when any of them varies
/// there (a level absent from a stratum leaves its column constant in it).
fn events_where_any_varies(
    mut used: Vec<Vec<usize>>,
    groups: &[(String, Vec<usize>)],
) -> Vec<Vec<usize>> {
    for stratum in &mut used {
        for (_, cols) in groups.iter().filter(|(_, cols)| cols.len() > 1) {
            let most = cols.iter().map(|&j| stratum[j]).max().unwrap_or(0);
            cols.iter().for_each(|&j| stratum[j] = most);
        }
    }
    used
}

/// The score and information of the model with `x * g(t)` added (at the fitted coefficients,
/// the added ones zero), and each death's unscaled Schoenfeld residual.
struct ExpandedScore {
    q: usize,
    /// (U, U_g), `2q`.
    score: Vec<f64>,
    /// `2q x 2q` row-major, in the blocks of the module's header.
    information: Vec<f64>,
    /// Per sorted row, `q` values: x minus the risk-set mean its deaths see (meaningful for
    /// deaths only).
    schoenfeld: Vec<f64>,
}

impl ExpandedScore {
    fn new(rs: &RiskSets, beta: &[f64], g: &[f64], ties: Ties) -> ExpandedScore {
        let q = rs.p;
        let dim = 2 * q;
        let mut out = ExpandedScore {
            q,
            score: vec![0.0; dim],
            information: vec![0.0; dim * dim],
            schoenfeld: vec![0.0; rs.time.len() * q],
        };
        let mut terms = EventTerms::new(q);
        rs.walk(beta, &mut Moments::new(q), |t: &EventTime<Moments>| {
            terms.compute(t, t.at_risk, ties);
            let gt = g[t.rows.start];
            for r in 0..q {
                out.score[r] += terms.score[r];
                out.score[r + q] += gt * terms.score[r];
                for c in 0..q {
                    // The increment holds its lower triangle only.
                    let v = terms.info[r.max(c) * q + r.min(c)];
                    out.information[r * dim + c] += v;
                    out.information[r * dim + c + q] += gt * v;
                    out.information[(r + q) * dim + c] += gt * v;
                    out.information[(r + q) * dim + c + q] += gt * gt * v;
                }
            }
            for i in t.rows.clone().filter(|&i| rs.event[i]) {
                let residual = &mut out.schoenfeld[i * q..(i + 1) * q];
                for ((e, x), m) in residual.iter_mut().zip(rs.row(i)).zip(&terms.mean) {
                    *e = x - m;
                }
            }
        });
        out
    }

    /// The score test `u' I^-1 u` over the rows and columns `keep` of the expanded model,
    /// the fitted terms' score set to zero (they are at their maximum).
    fn test(&self, keep: &[usize]) -> Option<f64> {
        let dim = 2 * self.q;
        let sub: Vec<f64> = keep
            .iter()
            .flat_map(|&i| keep.iter().map(move |&j| self.information[i * dim + j]))
            .collect();
        let u: Vec<f64> = keep
            .iter()
            .map(|&i| if i < self.q { 0.0 } else { self.score[i] })
            .collect();
        let stat = Cholesky::new(&sub, keep.len(), TOLER_CHOL).quadratic_form(&u);
        stat.is_finite().then_some(stat)
    }

    /// The fitted model's information, the top-left `q x q` block.
    fn fitted_block(&self) -> Vec<f64> {
        let dim = 2 * self.q;
        (0..self.q * self.q)
            .map(|k| self.information[(k / self.q) * dim + k % self.q])
            .collect()
    }
}

/// What R's scaling of the Schoenfeld residuals needs: residuals times the inverse of the
/// average information per event, within each stratum, plus the coefficient.
struct Scaling<'a> {
    /// Each covariate and its columns.
    groups: &'a [(String, Vec<usize>)],
    beta: &'a [f64],
    /// The fitted model's information, `q x q`.
    information: Vec<f64>,
    /// Per stratum and column: events counted for it ([`events_where_any_varies`]).
    used: Vec<Vec<usize>>,
}

/// Residual series to scale: one per column, or one per covariate.
struct Series {
    names: Vec<String>,
    /// Added back after scaling: the coefficient, or 1 for a covariate's combined columns.
    offsets: Vec<f64>,
    /// Per event, one value per series.
    raw: Vec<Vec<f64>>,
    /// The average information between series.
    average: Vec<f64>,
    /// Per stratum and series, as [`Scaling::used`].
    used: Vec<Vec<usize>>,
}

impl Scaling<'_> {
    /// One residual series per covariate (R's `terms = TRUE`): per column when every
    /// covariate has one column, else per covariate, its columns combined.
    fn residuals(&self, events: &[usize], schoenfeld: &[f64]) -> Vec<ZphResiduals> {
        let q = self.beta.len();
        let raw: Vec<Vec<f64>> = events
            .iter()
            .map(|&i| schoenfeld[i * q..(i + 1) * q].to_vec())
            .collect();
        let series = if self.groups.iter().any(|(_, cols)| cols.len() > 1) {
            self.per_covariate(&raw)
        } else {
            self.per_column(raw)
        };
        let values = scale_within_strata(&series.raw, &series.average, &series.used);
        // R's `var <- solve(vmean)`.
        let width = series.names.len();
        let var = Cholesky::new(&series.average, width, TOLER_CHOL).inverse();
        series
            .names
            .into_iter()
            .zip(series.offsets)
            .enumerate()
            .map(|(j, (term, offset))| ZphResiduals {
                term,
                values: values.iter().map(|r| r[j].map(|v| v + offset)).collect(),
                coefficient: offset,
                variance: var[j * width + j],
            })
            .collect()
    }

    fn per_column(&self, raw: Vec<Vec<f64>>) -> Series {
        let mut names = vec![String::new(); self.beta.len()];
        for (name, cols) in self.groups {
            names[cols[0]] = name.clone();
        }
        Series {
            names,
            offsets: self.beta.to_vec(),
            raw,
            average: self.average_information(),
            used: self.used.clone(),
        }
    }

    /// A covariate's columns weighted by their coefficients (its share of the linear
    /// predictor; a one-column covariate's weight is 1): with W that `q x covariates` matrix,
    /// residuals r W, average information W' V W, and `used` of each covariate's first column.
    fn per_covariate(&self, raw: &[Vec<f64>]) -> Series {
        let q = self.beta.len();
        let n_terms = self.groups.len();
        let mut weights = vec![0.0; q * n_terms];
        for (t, (_, cols)) in self.groups.iter().enumerate() {
            for &j in cols {
                weights[j * n_terms + t] = if cols.len() == 1 { 1.0 } else { self.beta[j] };
            }
        }
        let w = |j: usize, t: usize| weights[j * n_terms + t];
        let average = self.average_information();
        Series {
            names: self.groups.iter().map(|(n, _)| n.clone()).collect(),
            offsets: self
                .groups
                .iter()
                .map(|(_, cols)| {
                    if cols.len() == 1 {
                        self.beta[cols[0]]
                    } else {
                        1.0
                    }
                })
                .collect(),
            raw: raw
                .iter()
                .map(|r| {
                    (0..n_terms)
                        .map(|t| (0..q).map(|j| r[j] * w(j, t)).sum())
                        .collect()
                })
                .collect(),
            average: (0..n_terms * n_terms)
                .map(|k| {
                    let (s, t) = (k / n_terms, k % n_terms);
                    (0..q)
                        .flat_map(|j| (0..q).map(move |l| (j, l)))
                        .map(|(j, l)| w(j, s) * average[j * q + l] * w(l, t))
                        .sum()
                })
                .collect(),
            used: self
                .used
                .iter()
                .map(|u| self.groups.iter().map(|(_, cols)| u[cols[0]]).collect())
                .collect(),
        }
    }

    /// The information per event: each entry divided by the events of the strata where both
    /// of its columns vary (R's `vmean = imat / wtmat`).
    fn average_information(&self) -> Vec<f64> {
        let q = self.beta.len();
        let mut events = vec![0.0; q * q];
        for used in &self.used {
            for r in 0..q {
                for c in 0..q {
                    events[r * q + c] += used[r].min(used[c]) as f64;
                }
            }
        }
        self.information
            .iter()
            .zip(&events)
            .map(|(v, &e)| v / if e == 0.0 { 1.0 } else { e })
            .collect()
    }
}

/// Each stratum's residuals solved against the average information over the columns that
/// vary in it; columns that do not vary there give no value. The events come stratum by
/// stratum, as many per stratum as its largest `used` (as R's `sgrp`).
fn scale_within_strata(
    raw: &[Vec<f64>],
    average: &[f64],
    used: &[Vec<usize>],
) -> Vec<Vec<Option<f64>>> {
    let width = raw.first().map_or(0, Vec::len);
    let mut values: Vec<Vec<Option<f64>>> = raw
        .iter()
        .map(|r| r.iter().map(|v| Some(*v)).collect())
        .collect();
    let mut row = 0;
    for stratum_used in used {
        let count = stratum_used.iter().copied().max().unwrap_or(0);
        let rows = row..(row + count).min(values.len());
        row += count;
        let varying: Vec<usize> = (0..width).filter(|&j| stratum_used[j] > 0).collect();
        if varying.is_empty() {
            continue;
        }
        let sub: Vec<f64> = varying
            .iter()
            .flat_map(|&i| varying.iter().map(move |&j| average[i * width + j]))
            .collect();
        let chol = Cholesky::new(&sub, varying.len(), TOLER_CHOL);
        for r in rows {
            let mut v: Vec<f64> = varying.iter().map(|&j| raw[r][j]).collect();
            chol.solve(&mut v);
            for (j, value) in values[r].iter_mut().enumerate() {
                *value = varying.iter().position(|&k| k == j).map(|pos| v[pos]);
            }
        }
    }
    values
}

/// g(t) for each sorted row, before centring.
fn transformed_times(time: &[f64], event: &[bool], transform: ZphTransform) -> Vec<f64> {
    match transform {
        ZphTransform::Identity => time.to_vec(),
        ZphTransform::Log => time.iter().map(|t| t.ln()).collect(),
        ZphTransform::Rank => average_ranks(time),
        ZphTransform::Km => {
            let km_before = km_left_limits(time, event);
            time.iter().map(|t| 1.0 - km_before(*t)).collect()
        }
    }
}

/// R's `rank(times)`: 1-based ranks, ties given their average rank.
fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j < order.len() && values[order[j]] == values[order[i]] {
            j += 1;
        }
        let avg = (i + 1 + j) as f64 / 2.0;
        order[i..j].iter().for_each(|&k| ranks[k] = avg);
        i = j;
    }
    ranks
}

/// The pooled Kaplan-Meier estimate just before each time: S(t-).
fn km_left_limits(time: &[f64], event: &[bool]) -> impl Fn(f64) -> f64 {
    let mut order: Vec<usize> = (0..time.len()).collect();
    order.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    let mut steps: Vec<(f64, f64)> = Vec::new();
    let mut surv = 1.0;
    let mut at_risk = time.len() as f64;
    let mut i = 0;
    while i < order.len() {
        let t = time[order[i]];
        let (mut deaths, mut leaving) = (0.0, 0.0);
        while i < order.len() && time[order[i]] == t {
            deaths += f64::from(u8::from(event[order[i]]));
            leaving += 1.0;
            i += 1;
        }
        surv *= 1.0 - deaths / at_risk;
        steps.push((t, surv));
        at_risk -= leaving;
    }
    move |t: f64| {
        let k = steps.partition_point(|&(s, _)| s < t);
        if k == 0 {
            1.0
        } else {
            steps[k - 1].1
        }
    }
}
