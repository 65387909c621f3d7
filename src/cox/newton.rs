//! The Cox partial likelihood with its score and information, and Newton-Raphson to its maximum.
//!
//! Follows R's `coxfit6`: risk sets built from the largest time down within each stratum,
//! Breslow or Efron handling of tied event times, step-halving when a step lowers the
//! log-likelihood. Unlike `coxph`'s default stopping rule, the iteration runs until the
//! Newton step itself is negligible, so the estimate is the maximum to about 1e-12.

use crate::options::Ties;

use crate::engine::linalg::Cholesky;
use crate::engine::risk_set::{
    DerivativeSums, Derivatives, EventTerms, EventTime, Moments, RiskSets,
};
use crate::engine::tolerance::{
    COX_DIRECTION, COX_FLAT, COX_HALVING_FLOOR, COX_INFINITE, COX_STEP, LOGLIK_NOISE, TOLER_CHOL,
};

/// Log partial likelihood, score vector and information matrix at `beta`: the sums of
/// every event time's terms (see [`crate::engine::risk_set`] for the formulas).
pub fn evaluate(rs: &RiskSets, beta: &[f64], ties: Ties) -> Derivatives {
    let p = rs.p;
    let mut sums = DerivativeSums::new(p);
    let mut terms = EventTerms::new(p);
    rs.walk(beta, &mut Moments::new(p), |t: &EventTime<Moments>| {
        terms.compute(t, t.at_risk, ties);
        sums.add(t, &terms);
    });
    sums.total()
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
    let at_zero = evaluate(rs, &vec![0.0; rs.p], ties);
    let start = vec![0.0; rs.p];
    maximise_from(rs, ties, at_zero, start, COX_STEP)
}

/// Maximises the partial likelihood from `start`, given the derivatives at zero (which
/// decide the singular terms and the scale of the convergence test, as from zero), until the
/// Newton step is below `step_tolerance` (on [`COX_STEP`]'s scale): the same maximum, in
/// fewer steps from a start near it.
pub fn maximise_from(
    rs: &RiskSets,
    ties: Ties,
    at_zero: Derivatives,
    start: Vec<f64>,
    step_tolerance: f64,
) -> Maximum {
    let p = rs.p;
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
    let mut cur = if start.iter().all(|&b| b == 0.0) {
        at_zero.clone()
    } else {
        evaluate(rs, &start, ties)
    };
    let mut beta = start;
    let mut converged = false;
    let mut flat_runs = 0;
    let mut iterations = 0;
    while iterations < MAX_ITER {
        let step = newton_step(&cur, p, &singular);
        if is_negligible(&step, &beta, &null_se, step_tolerance) {
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

impl Maximum {
    /// The Wald statistic `b' V^- b` over the coefficients `columns`, V their block of the
    /// variance.
    pub fn wald(&self, columns: &[usize]) -> f64 {
        let p = self.beta.len();
        let sub: Vec<f64> = columns
            .iter()
            .flat_map(|&i| columns.iter().map(move |&j| self.var[i * p + j]))
            .collect();
        let b: Vec<f64> = columns.iter().map(|&j| self.beta[j]).collect();
        Cholesky::new(&sub, columns.len(), TOLER_CHOL).quadratic_form(&b)
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
        let d = evaluate(rs, &trial, ties);
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

    /// Twelve subjects with tied deaths at 2, 4 and 6 and case weights.
    fn weighted() -> RiskSets {
        let time = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 6.0, 7.0];
        let status = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0];
        let x1 = [
            0.5, -1.0, 2.0, 0.0, 1.5, -0.5, 1.0, 2.0, 0.0, -1.0, 0.3, 1.0,
        ];
        let x2 = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let w = [1.0, 2.5, 0.5, 1.0, 3.0, 1.0, 2.0, 1.5, 0.7, 1.0, 2.0, 1.0];
        let event: Vec<bool> = status.iter().map(|&s| s == 1).collect();
        let x: Vec<f64> = x1.iter().zip(&x2).flat_map(|(a, b)| [*a, *b]).collect();
        RiskSets::new(&time, &event, &x, 2, None).with_case_weights(&w)
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() <= 1e-10 * want.abs(), "{got} {want}");
    }

    /// Case weights as R's coxph takes them (Efron's tied deaths weighted by their mean
    /// weight). Expected values from R 4.2, survival 3.5.3, on the data above as `d`:
    /// f <- coxph(Surv(time, status) ~ x1 + x2, data = d, weights = w, ties = ties,
    ///   init = c(0.3, -0.2), control = coxph.control(iter.max = 0));
    /// f$loglik[1] and solve(f$naive.var) (the information at init; with weights that are not
    /// whole numbers f$var is the robust variance); then the fit's coef(g) and g$loglik[2]
    /// without init.
    #[test]
    fn case_weights_match_coxph() {
        let rs = weighted();
        let cases = [
            (
                Ties::Efron,
                -30.258_320_109_473_544,
                [
                    10.255_589_200_435_724,
                    -0.232_027_620_097_618_35,
                    2.885_683_243_493_071,
                ],
                [-0.146_853_331_246_966_65, -0.559_036_136_722_650_2],
                -28.644_369_396_173_786,
            ),
            (
                Ties::Breslow,
                -31.801_998_047_483_117,
                [
                    10.362_484_709_059_029,
                    0.013_025_344_210_110_642,
                    2.948_521_886_553_78,
                ],
                [-0.097_807_208_508_929_9, -0.526_298_631_034_790_4],
                -30.517_020_841_535_018,
            ),
        ];
        for (ties, loglik, info, beta, loglik_fit) in cases {
            let d = evaluate(&rs, &[0.3, -0.2], ties);
            close(d.loglik, loglik);
            close(d.info[0], info[0]);
            close(d.info[1], info[1]);
            close(d.info[2], info[1]);
            close(d.info[3], info[2]);
            let max = maximise(&rs, ties);
            close(max.beta[0], beta[0]);
            close(max.beta[1], beta[1]);
            close(max.at_beta.loglik, loglik_fit);
        }
    }

    /// Under Breslow's rule a whole-number case weight is that many copies of the subject.
    #[test]
    fn whole_case_weights_are_copies_under_breslow() {
        let time = [3.0, 1.0, 3.0, 2.0, 5.0, 3.0];
        let event = [true, true, false, true, true, true];
        let x = [0.2, -1.0, 1.5, 0.7, -0.3, 2.0];
        let copies = [2usize, 1, 3, 1, 2, 1];
        let weights: Vec<f64> = copies.iter().map(|&c| c as f64).collect();
        let (mut t2, mut e2, mut x2) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..time.len() {
            for _ in 0..copies[i] {
                t2.push(time[i]);
                e2.push(event[i]);
                x2.push(x[i]);
            }
        }
        // Centring differs (weighted or not); the likelihood does not depend on it.
        let weighted = RiskSets::new(&time, &event, &x, 1, None).with_case_weights(&weights);
        let copied = RiskSets::new(&t2, &e2, &x2, 1, None);
        for beta in [-0.7, 0.0, 0.4] {
            let (a, b) = (
                evaluate(&weighted, &[beta], Ties::Breslow),
                evaluate(&copied, &[beta], Ties::Breslow),
            );
            close(a.loglik, b.loglik);
            close(a.score[0] + 1.0, b.score[0] + 1.0);
            close(a.info[0], b.info[0]);
        }
    }
}
