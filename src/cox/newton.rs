//! The Cox partial likelihood with its score and information, and Newton-Raphson to its maximum.
//!
//! Follows R's `coxfit6`: risk sets built from the largest time down within each stratum,
//! Breslow or Efron handling of tied event times, step-halving when a step lowers the
//! log-likelihood. Unlike `coxph`'s default stopping rule, the iteration runs until the
//! Newton step itself is negligible, so the estimate is the maximum to about 1e-12.

use serde::Serialize;

use super::linalg::{Cholesky, TOLER_CHOL};

/// How tied event times enter the partial likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ties {
    #[default]
    Efron,
    Breslow,
}

/// Observations sorted for risk-set sums: by stratum, then by time from largest to smallest.
#[derive(Debug, Clone)]
pub struct RiskSets {
    pub p: usize,
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    /// Centred covariates, row-major `n x p`, in sorted order.
    pub x: Vec<f64>,
    /// Exclusive end of each stratum's block of sorted rows.
    pub strata_end: Vec<usize>,
    /// Stratum (0-based) of each sorted row.
    pub stratum: Vec<usize>,
    /// Original index of each sorted row.
    pub order: Vec<usize>,
}

impl RiskSets {
    /// Sorts the data; `x` is row-major `n x p` in the original order.
    pub fn new(
        time: &[f64],
        event: &[bool],
        x: &[f64],
        p: usize,
        strata: Option<&[usize]>,
    ) -> RiskSets {
        let n = time.len();
        let stratum_of = |i: usize| strata.map_or(0, |s| s[i]);
        // Sorting (stratum, time, index) keys keeps the comparisons in contiguous memory;
        // the index breaks ties, so ties keep data order and the unstable sort is deterministic.
        let mut keys: Vec<(usize, f64, usize)> =
            (0..n).map(|i| (stratum_of(i), time[i], i)).collect();
        keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        let order: Vec<usize> = keys.iter().map(|k| k.2).collect();
        let means: Vec<f64> = (0..p)
            .map(|j| {
                let mut sum = Neumaier::default();
                (0..n).for_each(|i| sum.add(x[i * p + j]));
                if n == 0 {
                    0.0
                } else {
                    sum.total() / n as f64
                }
            })
            .collect();
        let mut xs = Vec::with_capacity(n * p);
        for &i in &order {
            xs.extend((0..p).map(|j| x[i * p + j] - means[j]));
        }
        let stratum: Vec<usize> = order.iter().map(|&i| stratum_of(i)).collect();
        let mut strata_end: Vec<usize> = (1..n).filter(|&k| stratum[k] != stratum[k - 1]).collect();
        if n > 0 {
            strata_end.push(n);
        }
        RiskSets {
            p,
            time: order.iter().map(|&i| time[i]).collect(),
            event: order.iter().map(|&i| event[i]).collect(),
            x: xs,
            strata_end,
            stratum,
            order,
        }
    }

    /// Linear predictor of each sorted row (centred covariates).
    pub fn eta(&self, beta: &[f64]) -> Vec<f64> {
        self.x
            .chunks_exact(self.p.max(1))
            .map(|xi| xi.iter().zip(beta).map(|(x, b)| x * b).sum())
            .take(self.time.len())
            .collect()
    }

    /// Log partial likelihood, score vector and information matrix at `beta`.
    pub fn evaluate(&self, beta: &[f64], ties: Ties) -> Derivatives {
        let p = self.p;
        let mut loglik = Neumaier::default();
        let mut score = vec![0.0; p];
        let mut info = vec![0.0; p * p];
        let (mut a, mut a2) = (vec![0.0; p], vec![0.0; p]);
        let (mut cmat, mut cmat2) = (vec![0.0; p * p], vec![0.0; p * p]);
        let mut start = 0;
        for &end in &self.strata_end {
            let mut denom = 0.0;
            a.iter_mut().for_each(|v| *v = 0.0);
            cmat.iter_mut().for_each(|v| *v = 0.0);
            let mut i = start;
            while i < end {
                let t = self.time[i];
                let (mut ndead, mut denom2) = (0usize, 0.0);
                while i < end && self.time[i] == t {
                    let xi = &self.x[i * p..(i + 1) * p];
                    let eta: f64 = xi.iter().zip(beta).map(|(x, b)| x * b).sum();
                    let risk = eta.exp();
                    denom += risk;
                    add_outer(&mut a, &mut cmat, xi, risk);
                    if self.event[i] {
                        if ndead == 0 {
                            a2.iter_mut().for_each(|v| *v = 0.0);
                            cmat2.iter_mut().for_each(|v| *v = 0.0);
                        }
                        ndead += 1;
                        denom2 += risk;
                        add_outer(&mut a2, &mut cmat2, xi, risk);
                        loglik.add(eta);
                        score.iter_mut().zip(xi).for_each(|(u, x)| *u += x);
                    }
                    i += 1;
                }
                if ndead == 0 {
                    continue;
                }
                if ndead == 1 || ties == Ties::Breslow {
                    let d = ndead as f64;
                    loglik.add(-d * denom.ln());
                    for k in 0..p {
                        let mean_k = a[k] / denom;
                        score[k] -= d * mean_k;
                        for j in 0..=k {
                            info[k * p + j] += d * (cmat[k * p + j] - mean_k * a[j]) / denom;
                        }
                    }
                } else {
                    // Efron: the k-th of d tied deaths sees the tied deaths' risk weighted by 1 - k/d.
                    for k in 0..ndead {
                        let frac = k as f64 / ndead as f64;
                        let d2 = denom - frac * denom2;
                        loglik.add(-d2.ln());
                        for r in 0..p {
                            let mean_r = (a[r] - frac * a2[r]) / d2;
                            score[r] -= mean_r;
                            for j in 0..=r {
                                let c = cmat[r * p + j] - frac * cmat2[r * p + j];
                                info[r * p + j] += (c - mean_r * (a[j] - frac * a2[j])) / d2;
                            }
                        }
                    }
                }
            }
            start = end;
        }
        for r in 0..p {
            for j in 0..r {
                info[j * p + r] = info[r * p + j];
            }
        }
        Derivatives {
            loglik: loglik.total(),
            score,
            info,
        }
    }
}

fn add_outer(a: &mut [f64], cmat: &mut [f64], xi: &[f64], risk: f64) {
    let p = xi.len();
    for r in 0..p {
        let rx = risk * xi[r];
        a[r] += rx;
        for j in 0..=r {
            cmat[r * p + j] += rx * xi[j];
        }
    }
}

/// Log partial likelihood and its first two derivatives at one coefficient vector.
#[derive(Debug, Clone)]
pub struct Derivatives {
    pub loglik: f64,
    pub score: Vec<f64>,
    /// Minus the Hessian, row-major `p x p`.
    pub info: Vec<f64>,
}

/// Compensated (Neumaier) summation: a million log-likelihood terms near -9 each keep all
/// the digits the convergence test needs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Neumaier {
    sum: f64,
    comp: f64,
}

impl Neumaier {
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub fn total(&self) -> f64 {
        self.sum + self.comp
    }
}

/// Where Newton-Raphson stopped and what it found there.
#[derive(Debug, Clone)]
pub struct Maximum {
    pub beta: Vec<f64>,
    /// Derivatives at `beta`.
    pub at_beta: Derivatives,
    /// Derivatives at zero (the null model).
    pub at_zero: Derivatives,
    /// Generalised inverse of the information at `beta`.
    pub var: Vec<f64>,
    /// Score test of beta = 0: `U(0)' I(0)^- U(0)`.
    pub score_chisq: f64,
    /// Terms that are linear combinations of others (dropped, as R's NA coefficients).
    pub singular: Vec<bool>,
    /// Terms whose coefficient runs to plus or minus infinity (monotone likelihood).
    pub infinite: Vec<bool>,
    pub iterations: usize,
    pub converged: bool,
}

const MAX_ITER: usize = 200;
/// A Newton step this small, relative to the coefficient or to its null standard error
/// (whichever is larger, so the rule does not depend on the covariate's units), means the
/// maximum is reached.
const STEP_TOL: f64 = 1e-12;
/// A log-likelihood gain this small (relative) twice running means it has levelled off.
const FLAT_TOL: f64 = 1e-14;
/// A final Newton step larger than this (on the same relative scale) flags a coefficient
/// still running away, as coxph's `toler.inf`.
const INF_TOL: f64 = 1e-4;

/// Maximises the partial likelihood from beta = 0.
pub fn maximise(rs: &RiskSets, ties: Ties) -> Maximum {
    let p = rs.p;
    let at_zero = rs.evaluate(&vec![0.0; p], ties);
    let chol0 = Cholesky::new(&at_zero.info, p, TOLER_CHOL);
    let singular: Vec<bool> = (0..p).map(|j| chol0.is_singular(j)).collect();
    let score_chisq = chol0.quadratic_form(&at_zero.score);
    let null_se: Vec<f64> = (0..p)
        .map(|j| {
            let se = at_zero.info[j * p + j].sqrt().recip();
            if se.is_finite() {
                se
            } else {
                1.0
            }
        })
        .collect();
    let mut beta = vec![0.0; p];
    let mut cur = at_zero.clone();
    let mut converged = false;
    let mut flat_runs = 0;
    let mut iterations = 0;
    while iterations < MAX_ITER {
        let step = newton_step(&cur, p, &singular);
        if is_negligible(&step, &beta, &null_se, STEP_TOL) {
            converged = true;
            break;
        }
        iterations += 1;
        let Some((new_beta, new)) = line_search(rs, ties, &beta, &step, &cur, &null_se) else {
            // No step along the Newton direction improves on rounding noise: at the top.
            converged = true;
            break;
        };
        let gain = new.loglik - cur.loglik;
        beta = new_beta;
        cur = new;
        if gain.abs() <= FLAT_TOL * cur.loglik.abs().max(1.0) {
            flat_runs += 1;
            if flat_runs >= 2 {
                converged = true;
                break;
            }
        } else {
            flat_runs = 0;
        }
    }
    let chol = Cholesky::new(&cur.info, p, TOLER_CHOL);
    let final_step = newton_step(&cur, p, &singular);
    let infinite = (0..p)
        .map(|j| {
            !singular[j]
                && (chol.is_singular(j)
                    || final_step[j].abs() > INF_TOL * beta[j].abs().max(null_se[j]))
        })
        .collect();
    Maximum {
        var: chol.inverse(),
        beta,
        at_beta: cur,
        at_zero,
        score_chisq,
        singular,
        infinite,
        iterations,
        converged,
    }
}

fn newton_step(d: &Derivatives, p: usize, singular: &[bool]) -> Vec<f64> {
    let chol = Cholesky::new(&d.info, p, TOLER_CHOL);
    let mut step = d.score.clone();
    chol.solve(&mut step);
    step.iter_mut()
        .zip(singular)
        .filter(|(_, &s)| s)
        .for_each(|(v, _)| *v = 0.0);
    step
}

fn is_negligible(step: &[f64], beta: &[f64], scale: &[f64], tol: f64) -> bool {
    step.iter()
        .zip(beta)
        .zip(scale)
        .all(|((s, b), c)| s.abs() <= tol * b.abs().max(*c))
}

/// Takes the Newton step, halving it while the log-likelihood falls (R's step-halving).
///
/// Near the maximum of a large data set the gain the quadratic model predicts,
/// U'I^-1 U / 2, falls below the rounding noise of a log-likelihood near -9e6: comparing
/// log-likelihoods can no longer tell better from worse, while the score and information
/// still point the way. There the full Newton step is taken as it is.
fn line_search(
    rs: &RiskSets,
    ties: Ties,
    beta: &[f64],
    step: &[f64],
    current: &Derivatives,
    scale_of: &[f64],
) -> Option<(Vec<f64>, Derivatives)> {
    let loglik = current.loglik;
    let noise = 4.0 * f64::EPSILON * loglik.abs();
    let predicted_gain = 0.5
        * step
            .iter()
            .zip(&current.score)
            .map(|(s, u)| s * u)
            .sum::<f64>();
    let below_noise = predicted_gain.abs() <= 64.0 * noise;
    let mut scale = 1.0;
    for _ in 0..60 {
        let trial: Vec<f64> = beta.iter().zip(step).map(|(b, s)| b + scale * s).collect();
        let d = rs.evaluate(&trial, ties);
        let finite = d.loglik.is_finite()
            && d.score.iter().all(|v| v.is_finite())
            && d.info.iter().all(|v| v.is_finite());
        if finite && below_noise && scale == 1.0 {
            return Some((trial, d));
        }
        if finite && d.loglik >= loglik - noise {
            return Some((trial, d));
        }
        scale *= 0.5;
        if is_negligible(
            &step.iter().map(|s| s * scale).collect::<Vec<_>>(),
            beta,
            scale_of,
            1e-15,
        ) {
            break;
        }
    }
    None
}
