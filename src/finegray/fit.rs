//! Fine and Gray's proportional subdistribution hazards model fitted as `cmprsk::crr` fits it
//! (Robert Gray's Fortran `crrfsv`, `crrf` and `crrvv`, cmprsk 2.2), in O(n p^2) per
//! iteration instead of crr's O(n^2).
//!
//! The subdistribution risk set at an event time u holds everyone still event-free
//! (T >= u, weight 1) and everyone who had a competing event before u, with the
//! inverse-probability-of-censoring weight G(u-) / G(T-), G the Kaplan-Meier estimate of the
//! censoring distribution (Fine and Gray, JASA 1999). So every risk-set sum splits into
//!   S_r(u) = sum_{T >= u} e^eta x^r + G(u-) sum_{competing, T < u} e^eta x^r / G(T-),
//! two running sums over the subjects sorted by time, for r = 0, 1, 2.

use crate::data::event::Cause;
use crate::engine::linalg::Cholesky;
use crate::engine::order::{ascending_key, order_by};
use crate::engine::tolerance::{FINE_GRAY_GTOL, TOLER_CHOL};

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

/// The data sorted by time with what every evaluation needs.
struct Prepared {
    n: usize,
    p: usize,
    cause: Vec<Cause>,
    /// Covariates centred at their means, row-major (the fit is the same, the sums of
    /// squares lose fewer digits).
    x: Vec<f64>,
    /// G(T-) per subject, crr's `uuu`.
    g: Vec<f64>,
    /// Start of each run of equal times, and the end sentinel.
    runs: Vec<usize>,
}

impl Prepared {
    fn new(time: &[f64], cause: &[Cause], x: &[f64], p: usize) -> Prepared {
        let n = time.len();
        let order = order_by(&time.iter().map(|&t| ascending_key(t)).collect::<Vec<_>>());
        let mut mean = vec![0.0; p];
        for i in 0..n {
            for j in 0..p {
                mean[j] += x[i * p + j] / n as f64;
            }
        }
        let mut xs = Vec::with_capacity(n * p);
        for &i in &order {
            xs.extend((0..p).map(|j| x[i * p + j] - mean[j]));
        }
        let time: Vec<f64> = order.iter().map(|&i| time[i]).collect();
        let cause: Vec<Cause> = order.iter().map(|&i| cause[i]).collect();
        let mut runs = vec![0];
        runs.extend((1..n).filter(|&k| time[k] != time[k - 1]));
        runs.push(n);
        let g = censoring_weights(&time, &cause, &runs);
        Prepared {
            n,
            p,
            cause,
            x: xs,
            g,
            runs,
        }
    }

    fn row(&self, k: usize) -> &[f64] {
        &self.x[k * self.p..(k + 1) * self.p]
    }

    fn eta(&self, beta: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|k| self.row(k).iter().zip(beta).map(|(x, b)| x * b).sum())
            .collect()
    }

    /// The runs of equal times, latest first, with their subjects' range.
    fn runs_descending(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.runs.windows(2).rev().map(|w| (w[0], w[1]))
    }
}

/// crr's censoring weights: the Kaplan-Meier estimate G of the censoring distribution
/// (censorings as events, every event as a censoring) just before each subject's time,
/// `approx(..., xout = ftime * (1 - 100 eps), method = "constant")`. At time 0 that
/// reads G(0) itself, censorings at 0 included, as crr does.
fn censoring_weights(time: &[f64], cause: &[Cause], runs: &[usize]) -> Vec<f64> {
    let n = time.len();
    let mut g = vec![1.0; n];
    let mut before = 1.0;
    for w in runs.windows(2) {
        let (start, end) = (w[0], w[1]);
        let censored = cause[start..end]
            .iter()
            .filter(|&&c| c == Cause::Censored)
            .count();
        let after = before * (1.0 - censored as f64 / (n - start) as f64);
        let value = if time[start] > 0.0 { before } else { after };
        g[start..end].iter_mut().for_each(|v| *v = value);
        before = after;
    }
    g
}

/// Risk-set sums at one event time: S0, S1 (p), S2 (p x p, lower triangle used).
struct RiskSums {
    s0: f64,
    s1: Vec<f64>,
    s2: Vec<f64>,
}

impl RiskSums {
    fn zero(p: usize) -> RiskSums {
        RiskSums {
            s0: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
        }
    }

    /// Adds w x^0, w x, w x x' (lower triangle) when `second`.
    fn add(&mut self, w: f64, x: &[f64], second: bool) {
        self.s0 += w;
        axpy(&mut self.s1, w, x);
        if second {
            add_outer(&mut self.s2, w, x);
        }
    }

    /// `a + f (b - c)`: the subdistribution risk set from the event-free sums `a`, the
    /// competing sums over all (`b`) and from this time on (`c`).
    fn combine(a: &RiskSums, f: f64, b: &RiskSums, c: &RiskSums) -> RiskSums {
        let mix = |a: f64, b: f64, c: f64| a + f * (b - c);
        RiskSums {
            s0: mix(a.s0, b.s0, c.s0),
            s1: (0..a.s1.len())
                .map(|j| mix(a.s1[j], b.s1[j], c.s1[j]))
                .collect(),
            s2: (0..a.s2.len())
                .map(|j| mix(a.s2[j], b.s2[j], c.s2[j]))
                .collect(),
        }
    }
}

/// The negative log pseudo-likelihood (crr minimises it), its gradient and Hessian at beta,
/// and per event time (ascending) its number of events, S0 and mean covariate S1 / S0.
struct Evaluation {
    lik: f64,
    score: Vec<f64>,
    info: Vec<f64>,
    event_times: Vec<EventTime>,
}

#[derive(Clone)]
struct EventTime {
    run: usize,
    d: f64,
    s0: f64,
    mean: Vec<f64>,
}

/// crr's `crrfsv` (and `crrf` when `!second`, the likelihood alone): Breslow's handling of
/// ties, lik = sum over event times u of [d log S0(u) - sum_{events at u} eta].
fn evaluate(data: &Prepared, beta: &[f64], second: bool) -> Evaluation {
    let p = data.p;
    let eta = data.eta(beta);
    let risk: Vec<f64> = eta.iter().map(|e| e.exp()).collect();
    let mut at_risk = RiskSums::zero(p);
    let mut competing_all = RiskSums::zero(p);
    for k in (0..data.n).filter(|&k| data.cause[k] == Cause::Competing) {
        competing_all.add(risk[k] / data.g[k], data.row(k), second);
    }
    let mut competing_later = RiskSums::zero(p);
    let mut out = Evaluation {
        lik: 0.0,
        score: vec![0.0; p],
        info: vec![0.0; p * p],
        event_times: Vec::new(),
    };
    for (start, end) in data.runs_descending() {
        let mut d = 0.0;
        for (k, &eta_k) in eta.iter().enumerate().take(end).skip(start) {
            let w = risk[k];
            at_risk.add(w, data.row(k), second);
            match data.cause[k] {
                Cause::Competing => competing_later.add(w / data.g[k], data.row(k), second),
                Cause::Event => {
                    d += 1.0;
                    out.lik -= eta_k;
                    axpy(&mut out.score, -1.0, data.row(k));
                }
                Cause::Censored => {}
            }
        }
        if d == 0.0 {
            continue;
        }
        let s = RiskSums::combine(&at_risk, data.g[start], &competing_all, &competing_later);
        out.lik += d * s.s0.ln();
        let mean: Vec<f64> = s.s1.iter().map(|s1| s1 / s.s0).collect();
        for j in 0..p {
            out.score[j] += d * mean[j];
            if second {
                for l in 0..=j {
                    let h = d * (s.s2[j * p + l] / s.s0 - mean[j] * mean[l]);
                    out.info[j * p + l] += h;
                    out.info[l * p + j] = out.info[j * p + l];
                }
            }
        }
        out.event_times.push(EventTime {
            run: start,
            d,
            s0: s.s0,
            mean,
        });
    }
    out.event_times.reverse();
    out
}

/// Fits the model: crr's Newton-Raphson from beta = 0 with its step halving and its
/// convergence test max |score_j| max(|beta_j|, 1) < max(|lik|, 1) gtol, then the robust
/// variance. `x` is n x p row-major; the caller checks that there is an event of interest.
pub fn fit(time: &[f64], cause: &[Cause], x: &[f64], p: usize) -> FineGrayFit {
    let data = Prepared::new(time, cause, x, p);
    let mut beta = vec![0.0; p];
    let null = evaluate(&data, &beta, true);
    let lik_null = null.lik;
    let mut current = null;
    let mut converged = false;
    let mut iterations = 0;
    for iteration in 0..=MAX_ITER {
        let size = current
            .score
            .iter()
            .zip(&beta)
            .map(|(s, b)| s.abs() * b.abs().max(1.0))
            .fold(0.0, f64::max);
        if size < current.lik.abs().max(1.0) * FINE_GRAY_GTOL {
            converged = true;
            break;
        }
        if iteration == MAX_ITER {
            break;
        }
        let mut step = current.score.clone();
        Cholesky::new(&current.info, p, TOLER_CHOL).solve(&mut step);
        step.iter_mut().for_each(|s| *s = -*s);
        let slope: f64 = step.iter().zip(&current.score).map(|(a, b)| a * b).sum();
        let mut halvings = 0;
        let next = loop {
            let candidate: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b + s).collect();
            let lik = evaluate(&data, &candidate, false).lik;
            // NaN (an overflowing exp) counts as no decrease, as crr's is.na(fbn).
            if lik <= current.lik + ARMIJO * slope {
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
        current = evaluate(&data, &beta, true);
    }
    let chol = Cholesky::new(&current.info, p, TOLER_CHOL);
    let singular: Vec<bool> = (0..p).map(|j| chol.is_singular(j)).collect();
    let var = sandwich(&data, &beta, &current, &chol);
    FineGrayFit {
        beta,
        var,
        loglik: [-lik_null, -current.lik],
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
/// Every sum over u is a running sum over the event times, so one pass in time order.
fn sandwich(data: &Prepared, beta: &[f64], at: &Evaluation, chol: &Cholesky) -> Vec<f64> {
    let p = data.p;
    let eta = data.eta(beta);
    // Totals over all event times of G dLambda and G dLambda xbar.
    let (mut gamma_total, mut xgamma_total) = (0.0, vec![0.0; p]);
    for e in &at.event_times {
        let w = data.g[e.run] * e.d / e.s0;
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
    let mut next_event = at.event_times.iter().peekable();
    for w in data.runs.windows(2) {
        let (start, end) = (w[0], w[1]);
        let event = next_event.next_if(|e| e.run == start);
        let (gamma_before, xgamma_before) = (gamma, xgamma.clone());
        if let Some(e) = event {
            let dl = e.d / e.s0;
            let gdl = data.g[start] * dl;
            lambda += dl;
            gamma += gdl;
            for j in 0..p {
                xlambda[j] += dl * e.mean[j];
                xgamma[j] += gdl * e.mean[j];
            }
        }
        let at_risk = (data.n - start) as f64;
        let censored = data.cause[start..end]
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
        for (k, &eta_k) in eta.iter().enumerate().take(end).skip(start) {
            let x = data.row(k);
            let risk = eta_k.exp();
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
        for k in (start..end).filter(|&k| data.cause[k] == Cause::Competing) {
            let w = eta[k].exp() / data.g[k];
            f += w;
            axpy(&mut e_sum, w, data.row(k));
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
