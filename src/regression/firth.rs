//! Firth's penalised logistic regression (Firth 1993; Heinze & Schemper 2002), as the PyPI package `firthmodels` fits it: finite estimates under separation.
//!
//! Maximises l*(b) = l(b) + 1/2 log det I(b), I = X'WX, W = diag(p (1 - p)). The modified
//! score is U*(b) = X'(y - p + h (1/2 - p)), h the diagonal of the hat matrix
//! W^1/2 X I^-1 X' W^1/2; Newton steps use firthmodels' Hessian approximation
//! X' diag((1 + h) p (1 - p)) X, at most 5 per coefficient, halved while l* falls. Both
//! matrices are handled through the QR of the weighted design (never formed), as glm does. Standard
//! errors are the square roots of that matrix's inverse at the estimate (firthmodels'
//! `bse_`); limits are profile penalised-likelihood limits (2 (l*max - l*profile) = the
//! chi-square quantile), P the penalised likelihood-ratio test of each coefficient being
//! zero, and the model's test compares with the penalised intercept-only model (logistf's
//! likelihood ratio test).

use serde::Serialize;

use super::{finite, ChisqTest};
use crate::data::design::Term as TermInfo;
use crate::engine::dist::chisq_p;
use crate::engine::linalg::Qr;
use crate::engine::profile::profile_interval;
use crate::engine::tolerance::{FIRTH_LOGISTIC_STEP, GLM_TOL, LOGLIK_NOISE};

/// One coefficient of the penalised model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirthTerm {
    pub name: String,
    /// Null for an aliased term.
    pub estimate: Option<f64>,
    pub se: Option<f64>,
    /// Profile penalised-likelihood limits; null where the profile never falls far enough.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub odds_ratio: Option<f64>,
    pub or_lower: Option<f64>,
    pub or_upper: Option<f64>,
    /// Penalised likelihood-ratio test of this coefficient being zero (1 df).
    pub chisq: Option<f64>,
    pub p: Option<f64>,
}

/// The penalised fit reported under the `firth` key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirthLogistic {
    pub terms: Vec<FirthTerm>,
    /// Penalised log-likelihood of the intercept-only model and of the model.
    pub loglik: [f64; 2],
    /// Penalised likelihood-ratio test of all coefficients but the intercept.
    pub lr_test: ChisqTest,
    pub converged: bool,
}

/// The columns estimable in the ordinary fit, with the outcome.
struct Problem<'a> {
    /// Column-major, `n x p`.
    x: &'a [f64],
    y: &'a [bool],
    n: usize,
    p: usize,
}

/// Penalised log-likelihood, modified score and the Newton matrix's weights at one
/// coefficient vector.
struct Quantities {
    loglik: f64,
    score: Vec<f64>,
    /// (1 + h) p (1 - p): the Newton matrix is X' diag(w_aug) X.
    w_aug: Vec<f64>,
}

/// log(1 + e^eta) without overflow.
fn log1pexp(eta: f64) -> f64 {
    if eta > 0.0 {
        eta + (-eta).exp().ln_1p()
    } else {
        eta.exp().ln_1p()
    }
}

/// (X' diag(w) X)^-1 over the columns `cols` of the column-major `x` (row-major, in the
/// order of `cols`) and log det(X' diag(w) X), from the QR of diag(sqrt w) X: X'WX = R'R,
/// so its inverse is chol2inv(R) and its log-determinant 2 sum log |R_jj|. `None` when the
/// weighted columns are linearly dependent.
fn weighted_inverse(x: &[f64], n: usize, cols: &[usize], w: &[f64]) -> Option<(Vec<f64>, f64)> {
    let q = cols.len();
    let root: Vec<f64> = w.iter().map(|w| w.sqrt()).collect();
    let mut xw = Vec::with_capacity(n * q);
    for &c in cols {
        xw.extend(x[c * n..(c + 1) * n].iter().zip(&root).map(|(x, r)| x * r));
    }
    let qr = Qr::new(xw, n, q, GLM_TOL);
    if qr.rank < q {
        return None;
    }
    let log_det = 2.0 * (0..q).map(|j| qr.r(j, j).abs().ln()).sum::<f64>();
    let cov = qr.unscaled_covariance();
    let mut inv = vec![0.0; q * q];
    for (a, &pa) in qr.pivot.iter().enumerate() {
        for (b, &pb) in qr.pivot.iter().enumerate() {
            inv[pa * q + pb] = cov[a * q + b];
        }
    }
    Some((inv, log_det))
}

impl Problem<'_> {
    fn evaluate(&self, beta: &[f64]) -> Option<Quantities> {
        let (n, p) = (self.n, self.p);
        let mut eta = vec![0.0; n];
        for (j, b) in beta.iter().enumerate() {
            eta.iter_mut()
                .zip(&self.x[j * n..(j + 1) * n])
                .for_each(|(e, x)| *e += b * x);
        }
        let prob: Vec<f64> = eta.iter().map(|&e| 1.0 / (1.0 + (-e).exp())).collect();
        let w: Vec<f64> = prob.iter().map(|p| p * (1.0 - p)).collect();
        let all: Vec<usize> = (0..p).collect();
        let (inv, logdet) = weighted_inverse(self.x, n, &all, &w)?;
        // h_i = w_i x_i' I^-1 x_i.
        let mut h = vec![0.0; n];
        let mut xi = vec![0.0; p];
        for i in 0..n {
            for (j, v) in xi.iter_mut().enumerate() {
                *v = self.x[j * n + i];
            }
            let mut q = 0.0;
            for a in 0..p {
                let row: f64 = (0..p).map(|b| inv[a * p + b] * xi[b]).sum();
                q += xi[a] * row;
            }
            h[i] = w[i] * q;
        }
        let loglik: f64 = self
            .y
            .iter()
            .zip(&eta)
            .map(|(&y, &e)| if y { e } else { 0.0 } - log1pexp(e))
            .sum::<f64>()
            + 0.5 * logdet;
        let resid: Vec<f64> = (0..n)
            .map(|i| f64::from(u8::from(self.y[i])) - prob[i] + h[i] * (0.5 - prob[i]))
            .collect();
        let score = (0..p)
            .map(|j| {
                self.x[j * n..(j + 1) * n]
                    .iter()
                    .zip(&resid)
                    .map(|(x, r)| x * r)
                    .sum()
            })
            .collect();
        let w_aug: Vec<f64> = w.iter().zip(&h).map(|(w, h)| (1.0 + h) * w).collect();
        loglik.is_finite().then_some(Quantities {
            loglik,
            score,
            w_aug,
        })
    }

    /// Maximises l* over the coefficients not `fixed`, from `beta`: Newton steps with
    /// firthmodels' step cap and halving, until the step is below 1e-11 of the
    /// coefficient (or of 1), or no step along the Newton direction raises l*. The Newton
    /// matrix only approximates the Hessian, so convergence is linear (a factor of about
    /// 0.6 per step on separated data): [`MAX_ITER`] leaves room for that.
    fn maximise(&self, mut beta: Vec<f64>, fixed: &[bool]) -> Option<(Vec<f64>, Quantities, bool)> {
        let free: Vec<usize> = (0..self.p).filter(|&j| !fixed[j]).collect();
        let mut cur = self.evaluate(&beta)?;
        for _ in 0..MAX_ITER {
            if free.is_empty() {
                return Some((beta, cur, true));
            }
            let q = free.len();
            let (inv, _) = weighted_inverse(self.x, self.n, &free, &cur.w_aug)?;
            let mut step: Vec<f64> = (0..q)
                .map(|a| (0..q).map(|b| inv[a * q + b] * cur.score[free[b]]).sum())
                .collect();
            let small = free
                .iter()
                .zip(&step)
                .all(|(&j, s)| s.abs() <= FIRTH_LOGISTIC_STEP * beta[j].abs().max(1.0));
            if small {
                return Some((beta, cur, true));
            }
            let largest = step.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
            if largest > MAX_STEP {
                step.iter_mut().for_each(|s| *s *= MAX_STEP / largest);
            }
            let noise = LOGLIK_NOISE * cur.loglik.abs().max(1.0);
            // Near the maximum the gain a step promises falls below the rounding noise of l*,
            // where comparing values cannot tell better from worse: the step is taken as is
            // (as firthmodels does), and the linear convergence goes on to the last digits.
            let gain: f64 = free.iter().zip(&step).map(|(&j, s)| cur.score[j] * s).sum();
            let below_noise = 0.5 * gain.abs() <= 64.0 * noise;
            let mut scale = 1.0;
            let mut accepted = None;
            for _ in 0..MAX_HALVING {
                let mut trial = beta.clone();
                for (&j, s) in free.iter().zip(&step) {
                    trial[j] += scale * s;
                }
                if let Some(d) = self.evaluate(&trial) {
                    if below_noise || d.loglik >= cur.loglik - noise {
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
}

const MAX_ITER: usize = 200;
const MAX_HALVING: usize = 40;
/// firthmodels' `max_step`: no coefficient moves more than this in one step.
const MAX_STEP: f64 = 5.0;

/// Fits the penalised model over the columns `estimable` of the column-major `x`
/// (`terms` names every column; the intercept is column 0). `None`, with a warning, when
/// the information is singular.
pub(super) fn fit(
    x: &[f64],
    y: &[bool],
    terms: &[TermInfo],
    estimable: &[usize],
    z_crit: f64,
    warnings: &mut Vec<String>,
) -> Option<FirthLogistic> {
    let n = y.len();
    let kept: Vec<f64> = estimable
        .iter()
        .flat_map(|&c| x[c * n..(c + 1) * n].iter().copied())
        .collect();
    let pb = Problem {
        x: &kept,
        y,
        n,
        p: estimable.len(),
    };
    let result = fit_problem(&pb, z_crit);
    match &result {
        None => warnings.push(
            "Firth's penalised model could not be fitted: the covariates are collinear or carry no information".into(),
        ),
        Some((_, false)) => warnings.push(
            "Firth's penalised model did not converge; its estimates may not be at the maximum".into(),
        ),
        Some(_) => {}
    }
    let (fitted, converged) = result?;
    let mut out: Vec<FirthTerm> = terms
        .iter()
        .map(|t| FirthTerm {
            name: t.name.clone(),
            estimate: None,
            se: None,
            lower: None,
            upper: None,
            odds_ratio: None,
            or_lower: None,
            or_upper: None,
            chisq: None,
            p: None,
        })
        .collect();
    for (k, &c) in estimable.iter().enumerate() {
        out[c] = FirthTerm {
            name: terms[c].name.clone(),
            ..fitted.terms[k].clone()
        };
    }
    Some(FirthLogistic {
        terms: out,
        converged,
        ..fitted
    })
}

fn fit_problem(pb: &Problem, z_crit: f64) -> Option<(FirthLogistic, bool)> {
    let p = pb.p;
    let (beta, best, converged) = pb.maximise(vec![0.0; p], &vec![false; p])?;
    let mut only_intercept = vec![true; p];
    only_intercept[0] = false;
    let (_, null, _) = pb.maximise(vec![0.0; p], &only_intercept)?;
    let all: Vec<usize> = (0..p).collect();
    let (cov, _) = weighted_inverse(pb.x, pb.n, &all, &best.w_aug)?;
    let crit = z_crit * z_crit;
    let terms = (0..p)
        .map(|j| {
            let se = finite(cov[j * p + j].sqrt());
            let mut fixed = vec![false; p];
            fixed[j] = true;
            let profile = |b: f64, warm: &[f64]| -> Option<f64> {
                let mut start = warm.to_vec();
                start[j] = b;
                pb.maximise(start, &fixed)
                    .map(|(_, d, _)| 2.0 * (best.loglik - d.loglik))
            };
            let chisq = profile(0.0, &beta).map(|c| c.max(0.0));
            let (lower, upper) = profile_interval(&profile, &beta, beta[j], se, crit);
            FirthTerm {
                name: String::new(),
                estimate: Some(beta[j]),
                se,
                lower,
                upper,
                odds_ratio: finite(beta[j].exp()),
                or_lower: lower.and_then(|l| finite(l.exp())),
                or_upper: upper.and_then(|u| finite(u.exp())),
                chisq,
                p: chisq.and_then(|c| chisq_p(c, 1)),
            }
        })
        .collect();
    Some((
        FirthLogistic {
            terms,
            loglik: [null.loglik, best.loglik],
            lr_test: ChisqTest::new(2.0 * (best.loglik - null.loglik), p - 1),
            converged,
        },
        converged,
    ))
}
