//! The Cox partial likelihood with its score and information, and Newton-Raphson to its maximum.
//!
//! Follows R's `coxfit6`: risk sets built from the largest time down within each stratum,
//! Breslow or Efron handling of tied event times, step-halving when a step lowers the
//! log-likelihood. Unlike `coxph`'s default stopping rule, the iteration runs until the
//! Newton step itself is negligible, so the estimate is the maximum to about 1e-12.

use serde::Serialize;

use crate::engine::linalg::Cholesky;
use crate::engine::order::{descending_key, order_by, reorder_by};
pub use crate::engine::sum::Neumaier;
use crate::engine::tolerance::{
    COX_DIRECTION, COX_FLAT, COX_HALVING_FLOOR, COX_INFINITE, COX_STEP, LOGLIK_NOISE, TOLER_CHOL,
};

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
        // By time from largest down, then by stratum: stable, so tied times keep data order.
        let time_down: Vec<u64> = time.iter().map(|&t| descending_key(t)).collect();
        let mut order = order_by(&time_down);
        if let Some(s) = strata {
            let codes: Vec<u64> = s.iter().map(|&k| k as u64).collect();
            order = reorder_by(&codes, order);
        }
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
                    // Efron: the k-th of d tied deaths sees the tied deaths' risk weighted by
                    // 1 - k/d. Each death's terms are linear in k/d over its denominator, so
                    // five scalar sums over the deaths carry them; the vectors and matrices are
                    // touched once per tied time, not once per death.
                    let w = efron_weights(&mut loglik, ndead, denom, denom2);
                    for r in 0..p {
                        score[r] -= a[r] * w.s0 - a2[r] * w.s1;
                        for j in 0..=r {
                            let means = a[r] * a[j] * w.t0 - (a[r] * a2[j] + a2[r] * a[j]) * w.t1
                                + a2[r] * a2[j] * w.t2;
                            info[r * p + j] +=
                                cmat[r * p + j] * w.s0 - cmat2[r * p + j] * w.s1 - means;
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

/// Sums over the `d` tied deaths of Efron's k-th denominator `D_k = denom - (k/d) denom2`:
/// `s0 = sum 1/D_k`, `s1 = sum (k/d)/D_k`, `t0 = sum 1/D_k^2`, `t1 = sum (k/d)/D_k^2`,
/// `t2 = sum (k/d)^2/D_k^2`; adds `-sum ln D_k` to the log-likelihood.
struct EfronWeights {
    s0: f64,
    s1: f64,
    t0: f64,
    t1: f64,
    t2: f64,
}

/// Ratios multiplied before one logarithm is taken: with d tied deaths each ratio is at least
/// 1/d, so 16 of them stay above 1e-300 for any d below 10^18.
const LOGS_PER_PRODUCT: usize = 16;

fn efron_weights(loglik: &mut Neumaier, d: usize, denom: f64, denom2: f64) -> EfronWeights {
    let mut w = EfronWeights {
        s0: 0.0,
        s1: 0.0,
        t0: 0.0,
        t1: 0.0,
        t2: 0.0,
    };
    // sum ln D_k = d ln(denom) + sum ln(D_k / denom), and each ratio lies in [1/d, 1]: a
    // product of LOGS_PER_PRODUCT of them stays far from underflow and needs one logarithm.
    loglik.add(-(d as f64) * denom.ln());
    let per_denom = denom.recip();
    let mut product = 1.0;
    for k in 0..d {
        let frac = k as f64 / d as f64;
        let dk = denom - frac * denom2;
        product *= dk * per_denom;
        if (k + 1) % LOGS_PER_PRODUCT == 0 || k + 1 == d {
            loglik.add(-product.ln());
            product = 1.0;
        }
        let inv = dk.recip();
        let inv2 = inv * inv;
        w.s0 += inv;
        w.s1 += frac * inv;
        w.t0 += inv2;
        w.t1 += frac * inv2;
        w.t2 += frac * frac * inv2;
    }
    w
}

/// Adds `risk * x` to `a` and the lower triangle of `risk * x x'` to `cmat`: the innermost
/// work of every risk-set sum. Clinical models have a handful of terms, so the common sizes
/// get loops the compiler unrolls; other sizes take the general loop.
#[inline]
fn add_outer(a: &mut [f64], cmat: &mut [f64], xi: &[f64], risk: f64) {
    match xi.len() {
        1 => add_outer_sized::<1>(a, cmat, xi, risk),
        2 => add_outer_sized::<2>(a, cmat, xi, risk),
        3 => add_outer_sized::<3>(a, cmat, xi, risk),
        4 => add_outer_sized::<4>(a, cmat, xi, risk),
        5 => add_outer_sized::<5>(a, cmat, xi, risk),
        6 => add_outer_sized::<6>(a, cmat, xi, risk),
        p => {
            for r in 0..p {
                let rx = risk * xi[r];
                a[r] += rx;
                for j in 0..=r {
                    cmat[r * p + j] += rx * xi[j];
                }
            }
        }
    }
}

fn add_outer_sized<const P: usize>(a: &mut [f64], cmat: &mut [f64], xi: &[f64], risk: f64) {
    let (a, cmat, xi) = (&mut a[..P], &mut cmat[..P * P], &xi[..P]);
    for r in 0..P {
        let rx = risk * xi[r];
        a[r] += rx;
        for j in 0..=r {
            cmat[r * P + j] += rx * xi[j];
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
        if is_negligible(&step, &beta, &null_se, COX_STEP) {
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
        if gain.abs() <= COX_FLAT * cur.loglik.abs().max(1.0) {
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
    let mut infinite: Vec<bool> = (0..p)
        .map(|j| {
            !singular[j]
                && (chol.is_singular(j)
                    || final_step[j].abs() > COX_INFINITE * beta[j].abs().max(null_se[j]))
        })
        .collect();
    for k in runs_off_with(&cur.info, &chol, &singular, &null_se) {
        infinite[k] = true;
    }
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

/// Terms carried off to infinity with a term whose information vanished during the fit.
///
/// The factorisation marks only the last term of a vanished direction singular. Two groups
/// against a reference group without events both run to +infinity together while their
/// difference stays finite: the information along (1, 1) vanishes, the second group is
/// marked, and the first, estimated with the second held fixed, would show a finite
/// coefficient with a tiny standard error. The null vector of the information through the
/// marked term says which other terms move with it.
fn runs_off_with(info: &[f64], chol: &Cholesky, singular: &[bool], null_se: &[f64]) -> Vec<usize> {
    let p = singular.len();
    let mut moved = Vec::new();
    for j in (0..p).filter(|&j| !singular[j] && chol.is_singular(j)) {
        let mut direction: Vec<f64> = (0..p).map(|k| -info[k * p + j]).collect();
        chol.solve(&mut direction);
        moved.extend((0..p).filter(|&k| {
            !singular[k]
                && !chol.is_singular(k)
                && (direction[k] * null_se[j] / null_se[k]).abs() > COX_DIRECTION
        }));
    }
    moved
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
    let noise = LOGLIK_NOISE * loglik.abs();
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
            COX_HALVING_FLOOR,
        ) {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights and log terms of many tied deaths against the sums written out one death
    /// at a time (the chunked logarithm crosses several products here).
    #[test]
    fn efron_weights_equal_the_sums_over_each_death() {
        let (d, denom, denom2) = (37, 1234.5, 456.7);
        let mut loglik = Neumaier::default();
        let w = efron_weights(&mut loglik, d, denom, denom2);
        let (mut log_sum, mut s0, mut s1, mut t0, mut t1, mut t2) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for k in 0..d {
            let f = k as f64 / d as f64;
            let dk = denom - f * denom2;
            log_sum -= dk.ln();
            s0 += 1.0 / dk;
            s1 += f / dk;
            t0 += 1.0 / (dk * dk);
            t1 += f / (dk * dk);
            t2 += f * f / (dk * dk);
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * b.abs();
        assert!(
            close(loglik.total(), log_sum),
            "{} {log_sum}",
            loglik.total()
        );
        for (got, want) in [(w.s0, s0), (w.s1, s1), (w.t0, t0), (w.t1, t1), (w.t2, t2)] {
            assert!(close(got, want), "{got} {want}");
        }
    }
}
