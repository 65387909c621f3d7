//! Fine and Gray's proportional subdistribution hazards model fitted as `cmprsk::crr` fits it
//! (Robert Gray's Fortran `crrfsv`, `crrf` and `crrvv`, cmprsk 2.2), over the engine's
//! risk-set walk: O(n p^2) per iteration instead of crr's O(n^2).
//!
//! The subdistribution risk set at an event time u holds everyone still event-free
//! (T >= u, weight 1) and everyone who had a competing event before u, with the
//! inverse-probability-of-censoring weight G(u-) / G(T-), G the Kaplan-Meier estimate of the
//! censoring distribution (Fine and Gray, JASA 1999). So every risk-set sum splits into
//!   S_r(u) = sum_{T >= u} e^eta x^r + G(u-) [C_r - C_r(u)],
//! C_r = sum over competing events of e^eta x^r / G(T-), C_r(u) the same over T >= u: the
//! walk keeps the first and C_r(u) ([`SubdistributionSums`]), C_r is one pass before it
//! (see `engine::risk_set`). Ties are Breslow's, as crr's.

use crate::data::event::Cause;
use crate::engine::linalg::Cholesky;
use crate::engine::risk_set::{
    DerivativeSums, EventTerms, EventTime, Moments, RiskSetSums, RiskSets,
};
use crate::engine::tolerance::{FINE_GRAY_GTOL, TOLER_CHOL};
use crate::options::Ties;

/// crr's defaults: `maxiter = 10` (and `gtol`, [`FINE_GRAY_GTOL`]); step halving at most 20
/// times with Armijo's constant 1e-4.
const MAX_ITER: usize = 10;
const MAX_HALVINGS: usize = 20;
const ARMIJO: f64 = 1e-4;

/// The fitted model on the numeric scale.
#[derive(Debug, Clone, PartialEq)]
pub struct FineGrayFit {
    pub beta: Vec<f64>,
    /// Robust (sandwich) variance, p x p row-major: I^-1 (sum r r') I^-1.
    pub var: Vec<f64>,
    /// Log pseudo-likelihood at beta = 0 and at the estimate (crr's `loglik.null`, `loglik`).
    pub loglik: [f64; 2],
    pub converged: bool,
    /// Newton steps taken.
    pub iterations: usize,
    /// Directions in which the information is singular (a covariate that does not vary in
    /// the risk sets, or collinear ones): their coefficient stays 0 and has no variance.
    pub singular: Vec<bool>,
}

/// The risk sets (sorted by time from the latest down, covariates centred) with each sorted
/// row's cause and censoring weight.
struct Prepared {
    rs: RiskSets,
    cause: Vec<Cause>,
    /// G(T-) per sorted row, crr's `uuu`.
    g: Vec<f64>,
}

impl Prepared {
    fn new(time: &[f64], cause: &[Cause], x: &[f64], p: usize) -> Prepared {
        let event: Vec<bool> = cause.iter().map(|&c| c == Cause::Event).collect();
        let rs = RiskSets::new(time, &event, x, p, None);
        let cause: Vec<Cause> = rs.order.iter().map(|&i| cause[i]).collect();
        let g = censoring_weights(&rs.time, &cause);
        Prepared { rs, cause, g }
    }

    fn n(&self) -> usize {
        self.rs.time.len()
    }

    /// Runs of equal times in the sorted rows, latest first, as ranges of rows.
    fn runs(&self) -> Vec<std::ops::Range<usize>> {
        let time = &self.rs.time;
        let mut runs = Vec::new();
        let mut start = 0;
        for k in 1..=time.len() {
            if k == time.len() || time[k] != time[start] {
                runs.push(start..k);
                start = k;
            }
        }
        runs
    }
}

/// crr's censoring weights for rows sorted by time from the latest down: the Kaplan-Meier
/// estimate G of the censoring distribution (censorings as events, every event as a
/// censoring) just before each subject's time, `approx(..., xout = ftime * (1 - 100 eps),
/// method = "constant")`. At time 0 that reads G(0) itself, censorings at 0 included, as crr
/// does.
fn censoring_weights(time: &[f64], cause: &[Cause]) -> Vec<f64> {
    let mut g = vec![1.0; time.len()];
    let mut before = 1.0;
    let mut end = time.len();
    // From the earliest time up; rows 0..end have times >= the run's.
    while end > 0 {
        let t = time[end - 1];
        let start = time[..end].partition_point(|&s| s > t);
        let censored = cause[start..end]
            .iter()
            .filter(|&&c| c == Cause::Censored)
            .count();
        let after = before * (1.0 - censored as f64 / end as f64);
        let value = if t > 0.0 { before } else { after };
        g[start..end].iter_mut().for_each(|v| *v = value);
        before = after;
        end = start;
    }
    g
}

/// The walk's sums for Fine-Gray: over the event-free (T >= t, the walk's own risk set) and
/// C(t), over the competing events with T >= t weighted e^eta / G(T-).
struct SubdistributionSums<'a> {
    data: &'a Prepared,
    event_free: Moments,
    competing_later: Moments,
}

impl RiskSetSums for SubdistributionSums<'_> {
    fn clear(&mut self) {
        self.event_free.clear();
        self.competing_later.clear();
    }

    fn add(&mut self, row: usize, risk: f64, x: &[f64]) {
        self.event_free.add(row, risk, x);
        if self.data.cause[row] == Cause::Competing {
            self.competing_later.add(row, risk / self.data.g[row], x);
        }
    }

    fn moments(&self) -> &Moments {
        &self.event_free
    }
}

/// The log pseudo-likelihood, its score and information at beta, and per event time (latest
/// first) what the robust variance needs.
struct Evaluation {
    loglik: f64,
    score: Vec<f64>,
    info: Vec<f64>,
    event_times: Vec<EventSummary>,
}

/// One event time: its first sorted row, number of events, S0 and mean covariate S1 / S0.
struct EventSummary {
    row: usize,
    d: f64,
    s0: f64,
    mean: Vec<f64>,
}

/// crr's `crrfsv` (and `crrf`, whose likelihood is the same): Breslow's handling of ties,
/// log L = sum over event times u of [sum_{events at u} eta - d log S0(u)].
fn evaluate(data: &Prepared, beta: &[f64]) -> Evaluation {
    let rs = &data.rs;
    let p = rs.p;
    let eta = rs.eta(beta);
    let mut competing_all = Moments::new(p);
    for row in (0..data.n()).filter(|&r| data.cause[r] == Cause::Competing) {
        competing_all.add(row, eta[row].exp() / data.g[row], rs.row(row));
    }
    let mut sums = SubdistributionSums {
        data,
        event_free: Moments::new(p),
        competing_later: Moments::new(p),
    };
    let mut combined = Moments::new(p);
    let mut terms = EventTerms::new(p);
    let mut total = DerivativeSums::new(p);
    let mut event_times = Vec::new();
    rs.walk(beta, &mut sums, |t: &EventTime<SubdistributionSums>| {
        let g = data.g[t.rows.start];
        combine(
            &mut combined,
            &t.at_risk.event_free,
            g,
            &competing_all,
            &t.at_risk.competing_later,
        );
        terms.compute(t, &combined, Ties::Breslow);
        total.add(t, &terms);
        event_times.push(EventSummary {
            row: t.rows.start,
            d: t.deaths as f64,
            s0: combined.s0,
            mean: terms.mean.clone(),
        });
    });
    let total = total.total();
    Evaluation {
        loglik: total.loglik,
        score: total.score,
        info: total.info,
        event_times,
    }
}

/// `out = a + f (b - c)`: the subdistribution risk set's sums from the event-free sums `a`,
/// the competing sums over all (`b`) and from this time on (`c`).
fn combine(out: &mut Moments, a: &Moments, f: f64, b: &Moments, c: &Moments) {
    out.s0 = a.s0 + f * (b.s0 - c.s0);
    for (o, ((a, b), c)) in out.s1.iter_mut().zip(a.s1.iter().zip(&b.s1).zip(&c.s1)) {
        *o = a + f * (b - c);
    }
    for (o, ((a, b), c)) in out.s2.iter_mut().zip(a.s2.iter().zip(&b.s2).zip(&c.s2)) {
        *o = a + f * (b - c);
    }
}

/// Fits the model: crr's Newton-Raphson from beta = 0 with its step halving and its
/// convergence test max |score_j| max(|beta_j|, 1) < max(|log L|, 1) gtol, then the robust
/// variance. `x` is n x p row-major; the caller checks that there is an event of interest.
pub fn fit(time: &[f64], cause: &[Cause], x: &[f64], p: usize) -> FineGrayFit {
    let data = Prepared::new(time, cause, x, p);
    let mut beta = vec![0.0; p];
    let mut current = evaluate(&data, &beta);
    let loglik_null = current.loglik;
    let mut converged = false;
    let mut iterations = 0;
    for iteration in 0..=MAX_ITER {
        let size = current
            .score
            .iter()
            .zip(&beta)
            .map(|(s, b)| s.abs() * b.abs().max(1.0))
            .fold(0.0, f64::max);
        if size < current.loglik.abs().max(1.0) * FINE_GRAY_GTOL {
            converged = true;
            break;
        }
        if iteration == MAX_ITER {
            break;
        }
        let mut step = current.score.clone();
        Cholesky::new(&current.info, p, TOLER_CHOL).solve(&mut step);
        let slope: f64 = step.iter().zip(&current.score).map(|(a, b)| a * b).sum();
        let mut halvings = 0;
        let next = loop {
            let candidate: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
            let loglik = evaluate(&data, &candidate).loglik;
            // NaN (an overflowing exp) counts as no increase, as crr's is.na(fbn).
            if loglik >= current.loglik + ARMIJO * slope {
                break Some(candidate);
            }
            halvings += 1;
            if halvings > MAX_HALVINGS {
                break None;
            }
            step.iter_mut().for_each(|s| *s *= 0.5);
        };
        let Some(next) = next else { break };
        beta = next;
        iterations += 1;
        current = evaluate(&data, &beta);
    }
    let chol = Cholesky::new(&current.info, p, TOLER_CHOL);
    let singular: Vec<bool> = (0..p).map(|j| chol.is_singular(j)).collect();
    let var = sandwich(&data, &beta, &current, &chol);
    FineGrayFit {
        beta,
        var,
        loglik: [loglik_null, current.loglik],
        converged,
        iterations,
        singular,
    }
}

/// I^-1 (sum_i r_i r_i') I^-1, r_i = eta_i + psi_i as crr's `crrvv` defines them:
///   eta_i = dN_i part (x_i - xbar(T_i), events of interest)
///           - e^eta_i sum_u w_i(u) (x_i - xbar(u)) dLambda(u),  dLambda(u) = d(u) / S0(u),
///     w_i(u) = 1 for u <= T_i, G(u-) / G(T_i-) for u > T_i after a competing event;
///   psi_i  = the censoring martingale part, with q(t) = sum_{u >= t} G(u-) dLambda(u)
///            [E(t) - xbar(u) F(t)], F(t), E(t) = sum over competing events before t of
///            e^eta / G(T-) and e^eta x / G(T-), and Y(t) the number with T >= t:
///            q(T_i) / Y(T_i) if i is censored, minus sum over censorings s <= T_i of
///            q(s) / Y(s)^2.
/// Every sum over u is a running sum over the event times, so one pass in time order (the
/// sorted rows from the last up).
fn sandwich(data: &Prepared, beta: &[f64], at: &Evaluation, chol: &Cholesky) -> Vec<f64> {
    let rs = &data.rs;
    let p = rs.p;
    let eta = rs.eta(beta);
    // Totals over all event times of G dLambda and G dLambda xbar.
    let (mut gamma_total, mut xgamma_total) = (0.0, vec![0.0; p]);
    for e in &at.event_times {
        let w = data.g[e.row] * e.d / e.s0;
        gamma_total += w;
        axpy(&mut xgamma_total, w, &e.mean);
    }
    let (mut lambda, mut xlambda) = (0.0, vec![0.0; p]);
    let (mut gamma, mut xgamma) = (0.0, vec![0.0; p]);
    let (mut f, mut e_sum) = (0.0, vec![0.0; p]);
    let mut censoring_part = vec![0.0; p];
    let mut q = vec![0.0; p];
    let mut v2 = vec![0.0; p * p];
    let mut r = vec![0.0; p];
    let mut next_event = at.event_times.iter().rev().peekable();
    for run in data.runs().into_iter().rev() {
        let event = next_event.next_if(|e| e.row == run.start);
        let (gamma_before, xgamma_before) = (gamma, xgamma.clone());
        if let Some(e) = event {
            let dl = e.d / e.s0;
            let gdl = data.g[run.start] * dl;
            lambda += dl;
            gamma += gdl;
            axpy(&mut xlambda, dl, &e.mean);
            axpy(&mut xgamma, gdl, &e.mean);
        }
        let at_risk = run.end as f64;
        let censored = data.cause[run.clone()]
            .iter()
            .filter(|&&c| c == Cause::Censored)
            .count() as f64;
        if censored > 0.0 {
            for j in 0..p {
                q[j] = e_sum[j] * (gamma_total - gamma_before)
                    - f * (xgamma_total[j] - xgamma_before[j]);
                censoring_part[j] -= censored * q[j] / (at_risk * at_risk);
            }
        }
        for k in run.clone() {
            let x = rs.row(k);
            let risk = eta[k].exp();
            for (j, rj) in r.iter_mut().enumerate() {
                *rj = -risk * (x[j] * lambda - xlambda[j]) + censoring_part[j];
                match data.cause[k] {
                    Cause::Event => *rj += x[j] - event.map_or(0.0, |e| e.mean[j]),
                    Cause::Competing => {
                        *rj -= risk / data.g[k]
                            * (x[j] * (gamma_total - gamma) - (xgamma_total[j] - xgamma[j]));
                    }
                    Cause::Censored => *rj += q[j] / at_risk,
                }
            }
            add_outer(&mut v2, 1.0, &r);
        }
        for k in run.filter(|&k| data.cause[k] == Cause::Competing) {
            let w = eta[k].exp() / data.g[k];
            f += w;
            axpy(&mut e_sum, w, rs.row(k));
        }
    }
    for j in 0..p {
        for l in 0..j {
            v2[l * p + j] = v2[j * p + l];
        }
    }
    let inv = chol.inverse();
    let mut tmp = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            tmp[i * p + j] = (0..p).map(|k| inv[i * p + k] * v2[k * p + j]).sum();
        }
    }
    let mut var = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            var[i * p + j] = (0..p).map(|k| tmp[i * p + k] * inv[k * p + j]).sum();
        }
    }
    var
}

/// y += a x.
fn axpy(y: &mut [f64], a: f64, x: &[f64]) {
    y.iter_mut().zip(x).for_each(|(y, x)| *y += a * x);
}

/// The lower triangle of the p x p row-major `m` += w x x'.
fn add_outer(m: &mut [f64], w: f64, x: &[f64]) {
    let p = x.len();
    for (j, &xj) in x.iter().enumerate() {
        let wx = w * xj;
        m[j * p..j * p + j + 1]
            .iter_mut()
            .zip(x)
            .for_each(|(m, xl)| *m += wx * xl);
    }
}
