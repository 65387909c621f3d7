//! Firth's penalised Cox regression (Heinze & Schemper 2001), as R's `coxphf`: finite
//! estimates under monotone likelihood, profile-likelihood intervals, penalised LR tests.
//!
//! Maximises l(b) + 1/2 log det I(b) with Breslow's handling of ties (as `coxphf`). The
//! modified score is U_r + 1/2 tr(I^-1 dI/db_r); dI/db_r sums, over event times, the third
//! central moments of the covariates in the risk set.

use serde::Serialize;

use super::ChisqTest;
use crate::engine::dist::chisq_p;
use crate::engine::linalg::Cholesky;
use crate::engine::profile::profile_interval;
use crate::engine::risk_set::{
    DerivativeSums, Derivatives, EventTerms, EventTime, Moments, RiskSetSums, RiskSets,
};
use crate::engine::tolerance::{FIRTH_STEP, LOGLIK_NOISE, TOLER_CHOL};
use crate::options::Ties;

/// One coefficient of the penalised model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirthTerm {
    pub name: String,
    pub coef: f64,
    /// From the inverse information at the estimate.
    pub se: Option<f64>,
    pub hr: f64,
    /// Profile penalised-likelihood limits; null where the profile never falls far enough.
    pub hr_lower: Option<f64>,
    pub hr_upper: Option<f64>,
    /// Penalised likelihood-ratio test of this coefficient being zero (1 df).
    pub chisq: Option<f64>,
    pub p: Option<f64>,
}

/// The penalised fit reported under the `firth` key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirthFit {
    /// Always Breslow, as `coxphf`.
    pub ties: Ties,
    pub terms: Vec<FirthTerm>,
    /// Penalised log partial likelihood at beta = 0 and at the estimate.
    pub loglik: [f64; 2],
    /// Penalised likelihood-ratio test of all coefficients.
    pub lr_test: ChisqTest,
    pub converged: bool,
}

/// Risk-set sums up to the third order: [`Moments`] and S3 = sum r_i x_i (x) x_i (x) x_i
/// (`p x p x p`, row-major), for the derivative of the information.
struct ThirdMoments {
    moments: Moments,
    s3: Vec<f64>,
}

impl ThirdMoments {
    fn new(p: usize) -> ThirdMoments {
        ThirdMoments {
            moments: Moments::new(p),
            s3: vec![0.0; p * p * p],
        }
    }
}

impl RiskSetSums for ThirdMoments {
    fn clear(&mut self) {
        self.moments.clear();
        self.s3.iter_mut().for_each(|v| *v = 0.0);
    }

    fn add(&mut self, row: usize, risk: f64, x: &[f64]) {
        self.moments.add(row, risk, x);
        let p = x.len();
        for (ab, s3_ab) in self.s3.chunks_exact_mut(p).enumerate() {
            let rab = risk * x[ab / p] * x[ab % p];
            s3_ab.iter_mut().zip(x).for_each(|(s, xc)| *s += rab * xc);
        }
    }

    fn moments(&self) -> &Moments {
        &self.moments
    }
}

/// Adds `deaths` times the third central moments of the risk set to `dinfo`, the derivative
/// of the information along each coefficient (E the risk-weighted means over the risk set):
///
/// ```text
///   E[(x_a - m_a)(x_b - m_b)(x_c - m_c)] = E3_abc - E2_ab m_c - E2_ac m_b - E2_bc m_a + 2 m_a m_b m_c
/// ```
fn add_third_central_moments(dinfo: &mut [f64], sums: &ThirdMoments, m: &[f64], deaths: f64) {
    let p = m.len();
    let Moments { s0, s2, .. } = &sums.moments;
    // S2 holds its lower triangle only.
    let e2 = |a: usize, b: usize| s2[a.max(b) * p + a.min(b)] / s0;
    for a in 0..p {
        for b in 0..p {
            for c in 0..p {
                let e3 = sums.s3[(a * p + b) * p + c] / s0;
                let k3 = e3 - e2(a, b) * m[c] - e2(a, c) * m[b] - e2(b, c) * m[a]
                    + 2.0 * m[a] * m[b] * m[c];
                dinfo[(a * p + b) * p + c] += deaths * k3;
            }
        }
    }
}

/// The penalised log-likelihood, modified score and information at one beta: Breslow's
/// log-likelihood with its first, second and third derivatives, plus the penalty.
fn evaluate(rs: &RiskSets, beta: &[f64]) -> Option<Derivatives> {
    let p = rs.p;
    let mut sums = DerivativeSums::new(p);
    let mut dinfo = vec![0.0; p * p * p];
    let mut terms = EventTerms::new(p);
    rs.walk(
        beta,
        &mut ThirdMoments::new(p),
        |t: &EventTime<ThirdMoments>| {
            terms.compute(t, &t.at_risk.moments, Ties::Breslow);
            sums.add(t, &terms);
            add_third_central_moments(&mut dinfo, t.at_risk, &terms.mean, t.death_weight);
        },
    );
    let Derivatives {
        loglik,
        mut score,
        info,
    } = sums.total();
    let chol = Cholesky::new(&info, p, TOLER_CHOL);
    // None when a direction is singular: the penalty log det I is then minus infinity.
    let logdet = chol.log_det()?;
    let inv = chol.inverse();
    for (r, u) in score.iter_mut().enumerate() {
        let trace: f64 = (0..p)
            .flat_map(|a| (0..p).map(move |b| (a, b)))
            .map(|(a, b)| inv[a * p + b] * dinfo[(a * p + b) * p + r])
            .sum();
        *u += 0.5 * trace;
    }
    let loglik = loglik + 0.5 * logdet;
    loglik.is_finite().then_some(Derivatives {
        loglik,
        score,
        info,
    })
}

const MAX_ITER: usize = 500;
/// Largest change of one coefficient in one step (as `coxphf`'s maxstep), so a first step
/// on separated data does not overshoot into overflow.
const MAX_STEP: f64 = 5.0;

/// Maximises the penalised likelihood over the coefficients not fixed, from `beta`.
fn maximise(
    rs: &RiskSets,
    mut beta: Vec<f64>,
    fixed: Option<usize>,
) -> Option<(Vec<f64>, Derivatives, bool)> {
    let p = rs.p;
    let free: Vec<usize> = (0..p).filter(|&j| Some(j) != fixed).collect();
    let mut cur = evaluate(rs, &beta)?;
    for _ in 0..MAX_ITER {
        if free.is_empty() {
            return Some((beta, cur, true));
        }
        let q = free.len();
        let sub: Vec<f64> = free
            .iter()
            .flat_map(|&a| free.iter().map(move |&b| (a, b)))
            .map(|(a, b)| cur.info[a * p + b])
            .collect();
        let mut step: Vec<f64> = free.iter().map(|&j| cur.score[j]).collect();
        Cholesky::new(&sub, q, TOLER_CHOL).solve(&mut step);
        let largest = step.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
        if largest > MAX_STEP {
            step.iter_mut().for_each(|s| *s *= MAX_STEP / largest);
        }
        let small = free
            .iter()
            .zip(&step)
            .all(|(&j, s)| s.abs() <= FIRTH_STEP * beta[j].abs().max(1.0));
        if small {
            return Some((beta, cur, true));
        }
        let mut scale = 1.0;
        let mut accepted = None;
        for _ in 0..40 {
            let mut trial = beta.clone();
            for (&j, s) in free.iter().zip(&step) {
                trial[j] += scale * s;
            }
            if let Some(d) = evaluate(rs, &trial) {
                if d.loglik >= cur.loglik - LOGLIK_NOISE * cur.loglik.abs() {
                    accepted = Some((trial, d));
                    break;
                }
            }
            scale *= 0.5;
        }
        match accepted {
            Some((b, d)) => {
                beta = b;
                cur = d;
            }
            None => return Some((beta, cur, true)),
        }
    }
    Some((beta, cur, false))
}

/// Fits the penalised model; `None` when the information is singular at the start.
pub(super) fn firth(rs: &RiskSets, names: &[String], z_crit: f64) -> Option<FirthFit> {
    let p = rs.p;
    let at_zero = evaluate(rs, &vec![0.0; p])?;
    let (beta, best, converged) = maximise(rs, vec![0.0; p], None)?;
    let var = Cholesky::new(&best.info, p, TOLER_CHOL).inverse();
    let crit = z_crit * z_crit;
    let terms = (0..p)
        .map(|j| {
            let se = (var[j * p + j] > 0.0).then(|| var[j * p + j].sqrt());
            let profile = |b: f64, warm: &[f64]| -> Option<f64> {
                let mut start = warm.to_vec();
                start[j] = b;
                maximise(rs, start, Some(j)).map(|(_, d, _)| 2.0 * (best.loglik - d.loglik))
            };
            let chisq = profile(0.0, &beta).map(|c| c.max(0.0));
            let (lower, upper) = profile_interval(&profile, &beta, beta[j], se, crit);
            FirthTerm {
                name: names[j].clone(),
                coef: beta[j],
                se,
                hr: beta[j].exp(),
                hr_lower: lower.map(f64::exp),
                hr_upper: upper.map(f64::exp),
                chisq,
                p: chisq.and_then(|c| chisq_p(c, 1)),
            }
        })
        .collect();
    Some(FirthFit {
        ties: Ties::Breslow,
        terms,
        loglik: [at_zero.loglik, best.loglik],
        lr_test: ChisqTest::new(Some(2.0 * (best.loglik - at_zero.loglik)), p),
        converged,
    })
}
