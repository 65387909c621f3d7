//! The test of proportional hazards of R's `cox.zph` (survival >= 3.0) and scaled Schoenfeld residuals.
//!
//! A score test, at the fitted coefficients, of adding `x * g(t)` for each covariate, where
//! `g` is the transformed time (Kaplan-Meier by default), centred at its mean over events.
//! Per covariate (all levels of a categorical one together) and globally.

use serde::Serialize;

use super::newton::{RiskSets, Ties};
use super::ChisqTest;
use crate::engine::dist::chisq_p;
use crate::engine::linalg::Cholesky;
use crate::engine::tolerance::TOLER_CHOL;

/// The function of time the test correlates residuals with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZphTransform {
    /// 1 - Kaplan-Meier just before t (R's default).
    #[default]
    Km,
    Identity,
    Rank,
    Log,
}

/// One covariate's test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZphTest {
    pub term: String,
    pub chisq: Option<f64>,
    pub df: usize,
    pub p: Option<f64>,
}

/// Scaled Schoenfeld residuals of one covariate (the coefficient added back, as R's `$y`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZphResiduals {
    pub term: String,
    /// One value per event, in the order of `x`; null where the covariate is constant
    /// within the event's stratum.
    pub values: Vec<Option<f64>>,
}

/// The proportional-hazards check of a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    let rs = input.rs;
    let n = rs.time.len();
    let q = input.columns.len();
    let ttimes = transformed_times(&rs.time, &rs.event, transform);
    let n_events = rs.event.iter().filter(|&&e| e).count();
    let event_mean = ttimes
        .iter()
        .zip(&rs.event)
        .filter(|(_, &e)| e)
        .map(|(t, _)| t)
        .sum::<f64>()
        / n_events.max(1) as f64;
    let g: Vec<f64> = ttimes.iter().map(|t| t - event_mean).collect();
    let x: Vec<f64> = (0..n)
        .flat_map(|i| input.columns.iter().map(move |&c| rs.x[i * rs.p + c]))
        .collect();
    let eta = rs.eta(input.beta);
    let sums = accumulate(rs, &x, q, &eta, &g, input.ties);

    let beta: Vec<f64> = input.columns.iter().map(|&c| input.beta[c]).collect();
    let mut terms = Vec::new();
    for (name, cols) in &input.groups {
        let mut keep: Vec<usize> = (0..q).collect();
        keep.extend(cols.iter().map(|c| c + q));
        let chisq = score_test(&sums.imat, 2 * q, &sums.u, &keep, q);
        terms.push(ZphTest {
            term: name.clone(),
            chisq,
            df: cols.len(),
            p: chisq.and_then(|c| chisq_p(c, cols.len())),
        });
    }
    let all: Vec<usize> = (0..2 * q).collect();
    let global = ChisqTest::new(score_test(&sums.imat, 2 * q, &sums.u, &all, q), q);

    // Events in R's order: by stratum, then time, ties in data order.
    let mut events: Vec<usize> = (0..n).filter(|&i| rs.event[i]).collect();
    events.sort_by(|&a, &b| {
        rs.stratum[a]
            .cmp(&rs.stratum[b])
            .then(rs.time[a].total_cmp(&rs.time[b]))
            .then(rs.order[a].cmp(&rs.order[b]))
    });
    let residuals = scaled_residuals(input, &sums, &events, &beta);
    Zph {
        transform,
        terms,
        global,
        x: events.iter().map(|&i| ttimes[i]).collect(),
        time: events.iter().map(|&i| rs.time[i]).collect(),
        residuals,
    }
}

/// `u' M^-1 u` over the rows and columns `keep`, with the first `q` score entries zero.
fn score_test(imat: &[f64], dim: usize, u: &[f64], keep: &[usize], q: usize) -> Option<f64> {
    let m = keep.len();
    let sub: Vec<f64> = keep
        .iter()
        .flat_map(|&i| keep.iter().map(move |&j| imat[i * dim + j]))
        .collect();
    let v: Vec<f64> = keep
        .iter()
        .map(|&i| if i < q { 0.0 } else { u[i] })
        .collect();
    let chol = Cholesky::new(&sub, m, TOLER_CHOL);
    let stat = chol.quadratic_form(&v);
    stat.is_finite().then_some(stat)
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

/// Score, information of the expanded model, and unscaled Schoenfeld residuals.
struct Sums {
    u: Vec<f64>,
    /// `2q x 2q`, row-major.
    imat: Vec<f64>,
    /// Per sorted row (events only meaningful): x - mean at its time, `q` values.
    schoen: Vec<f64>,
    /// Per stratum and column: the stratum's events if the column varies in it, else 0.
    used: Vec<Vec<usize>>,
}

fn accumulate(rs: &RiskSets, x: &[f64], q: usize, eta: &[f64], g: &[f64], ties: Ties) -> Sums {
    let n = rs.time.len();
    let d = 2 * q;
    let mut u = vec![0.0; d];
    let mut imat = vec![0.0; d * d];
    let mut schoen = vec![0.0; n * q];
    let mut used = Vec::new();
    let (mut a, mut a2) = (vec![0.0; q], vec![0.0; q]);
    let (mut cmat, mut cmat2) = (vec![0.0; q * q], vec![0.0; q * q]);
    let mut start = 0;
    for &end in &rs.strata_end {
        let events_here = (start..end).filter(|&i| rs.event[i]).count();
        used.push(
            (0..q)
                .map(|j| {
                    let first = x[start * q + j];
                    let varies = (start..end).any(|i| x[i * q + j] != first);
                    if varies {
                        events_here
                    } else {
                        0
                    }
                })
                .collect(),
        );
        let mut denom = 0.0;
        a.iter_mut().for_each(|v| *v = 0.0);
        cmat.iter_mut().for_each(|v| *v = 0.0);
        let mut i = start;
        while i < end {
            let t = rs.time[i];
            let tied_start = i;
            let timewt = g[i];
            let (mut ndead, mut denom2) = (0usize, 0.0);
            a2.iter_mut().for_each(|v| *v = 0.0);
            cmat2.iter_mut().for_each(|v| *v = 0.0);
            while i < end && rs.time[i] == t {
                let xi = &x[i * q..(i + 1) * q];
                let risk = eta[i].exp();
                if rs.event[i] {
                    ndead += 1;
                    denom2 += risk;
                    for r in 0..q {
                        u[r] += xi[r];
                        u[r + q] += timewt * xi[r];
                        a2[r] += risk * xi[r];
                        for c in 0..=r {
                            cmat2[r * q + c] += risk * xi[r] * xi[c];
                        }
                    }
                } else {
                    denom += risk;
                    for r in 0..q {
                        a[r] += risk * xi[r];
                        for c in 0..=r {
                            cmat[r * q + c] += risk * xi[r] * xi[c];
                        }
                    }
                }
                i += 1;
            }
            if ndead == 0 {
                continue;
            }
            let deaths: Vec<usize> = (tied_start..i).filter(|&k| rs.event[k]).collect();
            let nd = ndead as f64;
            let mut add_term = |weight: f64, a: &[f64], cmat: &[f64], denom: f64| {
                for r in 0..q {
                    let mean_r = a[r] / denom;
                    u[r] -= weight * mean_r;
                    u[r + q] -= timewt * weight * mean_r;
                    for c in 0..=r {
                        let v = weight * (cmat[r * q + c] - mean_r * a[c]) / denom;
                        imat[c * d + r] += v;
                        imat[c * d + r + q] += timewt * v;
                        imat[(c + q) * d + r + q] += timewt * timewt * v;
                    }
                }
            };
            if ties == Ties::Breslow || ndead == 1 {
                denom += denom2;
                for r in 0..q {
                    a[r] += a2[r];
                    for c in 0..=r {
                        cmat[r * q + c] += cmat2[r * q + c];
                    }
                }
                add_term(nd, &a, &cmat, denom);
                for &k in &deaths {
                    for r in 0..q {
                        schoen[k * q + r] = x[k * q + r] - a[r] / denom;
                    }
                }
            } else {
                for r in 0..q {
                    let mean_of_means: f64 = (0..ndead)
                        .map(|k| {
                            let frac = (k + 1) as f64 / nd;
                            (a[r] + a2[r] * frac) / (denom + denom2 * frac)
                        })
                        .sum::<f64>()
                        / nd;
                    for &k in &deaths {
                        schoen[k * q + r] = x[k * q + r] - mean_of_means;
                    }
                }
                for _ in 0..ndead {
                    denom += denom2 / nd;
                    for r in 0..q {
                        a[r] += a2[r] / nd;
                        for c in 0..=r {
                            cmat[r * q + c] += cmat2[r * q + c] / nd;
                        }
                    }
                    add_term(1.0, &a, &cmat, denom);
                }
            }
        }
        start = end;
    }
    // Only c <= r of each block was summed; the g-weighted block is itself symmetric.
    for r in 0..q {
        for c in 0..r {
            imat[r * d + c + q] = imat[c * d + r + q];
        }
    }
    for r in 0..d {
        for c in 0..r {
            imat[r * d + c] = imat[c * d + r];
        }
    }
    Sums {
        u,
        imat,
        schoen,
        used,
    }
}

/// R's scaling: residuals times the inverse of the average information, per stratum, plus beta.
fn scaled_residuals(
    input: &ZphInput,
    sums: &Sums,
    events: &[usize],
    beta: &[f64],
) -> Vec<ZphResiduals> {
    let q = input.columns.len();
    let d = 2 * q;
    let nstrat = sums.used.len();
    let mut wtmat = vec![0.0; q * q];
    for used in &sums.used {
        for r in 0..q {
            for c in 0..q {
                wtmat[r * q + c] += used[r].min(used[c]) as f64;
            }
        }
    }
    let mut vmean: Vec<f64> = (0..q * q)
        .map(|k| {
            let w = wtmat[k];
            sums.imat[(k / q) * d + k % q] / if w == 0.0 { 1.0 } else { w }
        })
        .collect();
    let mut resid: Vec<Vec<f64>> = events
        .iter()
        .map(|&i| sums.schoen[i * q..(i + 1) * q].to_vec())
        .collect();
    let nterm = input.groups.len();
    let multi = input.groups.iter().any(|(_, cols)| cols.len() > 1);
    let mut used: Vec<Vec<usize>> = sums.used.clone();
    let width = if multi {
        // Combine each covariate's columns, weighting by the coefficients (R's `temp`).
        let mut temp = vec![0.0; q * nterm];
        for (t, (_, cols)) in input.groups.iter().enumerate() {
            for &j in cols {
                temp[j * nterm + t] = if cols.len() == 1 { 1.0 } else { beta[j] };
            }
        }
        resid = resid
            .iter()
            .map(|r| {
                (0..nterm)
                    .map(|t| (0..q).map(|j| r[j] * temp[j * nterm + t]).sum())
                    .collect()
            })
            .collect();
        let mut vt = vec![0.0; nterm * nterm];
        for s in 0..nterm {
            for t in 0..nterm {
                let mut sum = 0.0;
                for j in 0..q {
                    for k in 0..q {
                        sum += temp[j * nterm + s] * vmean[j * q + k] * temp[k * nterm + t];
                    }
                }
                vt[s * nterm + t] = sum;
            }
        }
        vmean = vt;
        used = used
            .iter()
            .map(|u| input.groups.iter().map(|(_, cols)| u[cols[0]]).collect())
            .collect();
        nterm
    } else {
        q
    };
    let mut values: Vec<Vec<Option<f64>>> = resid
        .iter()
        .map(|r| r.iter().map(|v| Some(*v)).collect())
        .collect();
    let mut row = 0;
    for stratum_used in used.iter().take(nstrat) {
        let count = stratum_used.iter().copied().max().unwrap_or(0);
        let k: Vec<usize> = (0..width).filter(|&j| stratum_used[j] > 0).collect();
        let rows = row..(row + count).min(values.len());
        row += count;
        if k.is_empty() {
            continue;
        }
        let vmean = &vmean;
        let sub: Vec<f64> = k
            .iter()
            .flat_map(|&i| k.iter().map(move |&j| vmean[i * width + j]))
            .collect();
        let chol = Cholesky::new(&sub, k.len(), TOLER_CHOL);
        for r in rows {
            let mut v: Vec<f64> = k.iter().map(|&j| resid[r][j]).collect();
            chol.solve(&mut v);
            for (j, value) in values[r].iter_mut().enumerate() {
                *value = k.iter().position(|&kk| kk == j).map(|pos| v[pos]);
            }
        }
    }
    let offsets: Vec<f64> = input
        .groups
        .iter()
        .map(|(_, cols)| if cols.len() == 1 { beta[cols[0]] } else { 1.0 })
        .collect();
    let names: Vec<String> = if multi {
        input.groups.iter().map(|(n, _)| n.clone()).collect()
    } else {
        let mut names = vec![String::new(); q];
        for (name, cols) in &input.groups {
            names[cols[0]] = name.clone();
        }
        names
    };
    (0..width)
        .map(|j| {
            let offset = if multi { offsets[j] } else { beta[j] };
            ZphResiduals {
                term: names[j].clone(),
                values: values.iter().map(|r| r[j].map(|v| v + offset)).collect(),
            }
        })
        .collect()
}
