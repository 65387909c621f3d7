//! The risk sets of a proportional-hazards model, walked once per evaluation: the subjects
//! sorted once (by stratum, then by time from the latest down), and at every event time the
//! sums over everyone still at risk and over those who die then, with Breslow's and Efron's
//! handling of tied deaths in closed form.
//!
//! # Notation
//! Subject i has covariates x_i (centred at their means: the fit is the same and the sums of
//! squares lose fewer digits), case weight w_i (1 unless given) and risk score
//! r_i = w_i exp(eta_i), eta_i = x_i' beta. At an event time t of a stratum the risk set R(t)
//! is everyone of that stratum with time >= t, and D(t) the d subjects dying at t. The walker
//! keeps, over R(t),
//!
//! ```text
//!   S0 = sum r_i,   S1 = sum r_i x_i,   S2 = sum r_i x_i x_i'
//! ```
//!
//! ([`Moments`]; Andersen and Gill's S^(0), S^(1), S^(2)) and the same sums over D(t). One
//! walk from the latest time down adds each subject once, so an evaluation is O(n p^2).
//!
//! # Tied deaths ([`EventTerms`])
//! Breslow lets every death at t see the whole risk set. Efron (1977) lets the k-th of the
//! d tied deaths (k = 0..d-1) see the tied deaths' risk reduced by k/d:
//!
//! ```text
//!   D_k = S0 - (k/d) S0_D,   M_k = (S1 - (k/d) S1_D) / D_k,
//!   V_k = (S2 - (k/d) S2_D) / D_k - M_k M_k'
//! ```
//!
//! and the time adds, with w_D the deaths' summed case weight and w_D / d their mean,
//!
//! ```text
//!   log-likelihood   sum_{D} w_i eta_i - (w_D / d) sum_k ln D_k
//!   score            sum_{D} w_i x_i   - (w_D / d) sum_k M_k
//!   information                          (w_D / d) sum_k V_k
//! ```
//!
//! as R's `coxfit6` does (Breslow is the same with every k/d = 0). The terms of each D_k are
//! linear in k/d over D_k or D_k^2, so five scalar sums over k carry them and the vectors and
//! matrices are touched once per event time, not once per death.
//!
//! # Weights that change with time (Fine-Gray)
//! A subject's weight here is constant while it is at risk and zero afterwards. Fine and
//! Gray's subdistribution risk set also keeps, after their own time T_i, those who had a
//! competing event, weighted G(t-) / G(T_i-) (G the censoring distribution's Kaplan-Meier
//! estimate). Such a weight factors into a term of the subject, 1 / G(T_i-), and a term of
//! the event time, G(t-), so the risk set's sums are
//!
//! ```text
//!   S(t) = S over R(t)  +  G(t-) [ C - C(t) ],
//!   C = sum over competing events of r_i x_i^{0,1,2} / G(T_i-),  C(t) the same over T_i >= t,
//! ```
//!
//! A Fine-Gray fit therefore plugs into this walk with sums of its own ([`RiskSetSums`]):
//! beside the [`Moments`] of R(t), which it adds as every sum does, it adds each competing
//! event's r_i / G(T_i-) to a second [`Moments`], C(t), as the walk passes the subject (the
//! walk hands [`RiskSetSums::add`] the sorted row, so the sums can look up its cause and
//! weight). C, the same over every competing event, comes from a first pass over the
//! subjects. At each event time it combines S(t) = R(t)'s sums + G(t-) (C - C(t)) with
//! [`Moments::add_scaled`] and hands that to [`EventTerms::compute`] with Breslow's rule,
//! as `cmprsk::crr` handles ties; the subjects' `event` flags mark the event of interest
//! only. `finegray::fit` walks so.

use crate::engine::order::{descending_key, order_by, reorder_by};
use crate::engine::sum::Neumaier;
use crate::options::Ties;

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
    /// Case weight of each sorted row; every weight is 1 when absent.
    pub weight: Option<Vec<f64>>,
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
            weight: None,
        }
    }

    /// The same risk sets with a case weight per subject (`weight` in the original order).
    pub fn with_case_weights(mut self, weight: &[f64]) -> RiskSets {
        self.weight = Some(self.order.iter().map(|&i| weight[i]).collect());
        self
    }

    /// The same risk sets over the covariate columns `columns` only (in that order).
    pub fn select(&self, columns: &[usize]) -> RiskSets {
        let x = (0..self.time.len())
            .flat_map(|i| columns.iter().map(move |&j| self.x[i * self.p + j]))
            .collect();
        RiskSets {
            p: columns.len(),
            time: self.time.clone(),
            event: self.event.clone(),
            x,
            strata_end: self.strata_end.clone(),
            stratum: self.stratum.clone(),
            order: self.order.clone(),
            weight: self.weight.clone(),
        }
    }

    /// Covariates of sorted row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }

    /// Linear predictor of each sorted row (centred covariates).
    pub fn eta(&self, beta: &[f64]) -> Vec<f64> {
        self.x
            .chunks_exact(self.p.max(1))
            .map(|xi| xi.iter().zip(beta).map(|(x, b)| x * b).sum())
            .take(self.time.len())
            .collect()
    }

    /// Walks every stratum from its latest time down and calls `visit` once per event time,
    /// with the sums over the risk set (kept in `at_risk`, cleared at each stratum:
    /// [`Moments`], or more for Firth's penalty) and over the deaths.
    pub fn walk<S: RiskSetSums>(
        &self,
        beta: &[f64],
        at_risk: &mut S,
        mut visit: impl FnMut(&EventTime<S>),
    ) {
        let p = self.p;
        let mut dying = Moments::new(p);
        let mut death_x = vec![0.0; p];
        let mut start = 0;
        for (stratum, &end) in self.strata_end.iter().enumerate() {
            at_risk.clear();
            let mut i = start;
            while i < end {
                let t = self.time[i];
                let first = i;
                let (mut deaths, mut death_weight, mut death_eta) = (0, 0.0, 0.0);
                while i < end && self.time[i] == t {
                    let xi = self.row(i);
                    let eta: f64 = xi.iter().zip(beta).map(|(x, b)| x * b).sum();
                    let w = self.weight.as_ref().map_or(1.0, |w| w[i]);
                    let risk = w * eta.exp();
                    at_risk.add(i, risk, xi);
                    if self.event[i] {
                        if deaths == 0 {
                            dying.clear();
                            death_x.iter_mut().for_each(|v| *v = 0.0);
                        }
                        deaths += 1;
                        death_weight += w;
                        death_eta += w * eta;
                        dying.add(i, risk, xi);
                        death_x.iter_mut().zip(xi).for_each(|(s, x)| *s += w * x);
                    }
                    i += 1;
                }
                if deaths > 0 {
                    visit(&EventTime {
                        stratum,
                        rows: first..i,
                        deaths,
                        death_weight,
                        death_eta,
                        death_x: &death_x,
                        at_risk,
                        dying: &dying,
                    });
                }
            }
            start = end;
        }
    }
}

/// What the walk knows at one event time of one stratum.
pub struct EventTime<'a, S> {
    /// The stratum's index (its block in [`RiskSets::strata_end`]).
    pub stratum: usize,
    /// The sorted rows with this time, deaths and censorings.
    pub rows: std::ops::Range<usize>,
    /// Number of deaths, d.
    pub deaths: usize,
    /// Their summed case weight, w_D (d without weights).
    pub death_weight: f64,
    /// sum over the deaths of w_i eta_i.
    pub death_eta: f64,
    /// sum over the deaths of w_i x_i.
    pub death_x: &'a [f64],
    /// Sums over the risk set R(t), the tied rows included.
    pub at_risk: &'a S,
    /// Sums over the deaths D(t).
    pub dying: &'a Moments,
}

/// Sums over a set of subjects that the walk adds to one subject at a time.
pub trait RiskSetSums {
    fn clear(&mut self);
    /// Adds the subject in sorted row `row`, with risk score `risk` and covariates `x`.
    fn add(&mut self, row: usize, risk: f64, x: &[f64]);
    /// The sums up to second order.
    fn moments(&self) -> &Moments;
}

/// S0 = sum r_i, S1 = sum r_i x_i and S2 = sum r_i x_i x_i' (lower triangle, row-major
/// `p x p`; the upper triangle is left at zero).
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    pub s0: f64,
    pub s1: Vec<f64>,
    pub s2: Vec<f64>,
}

impl Moments {
    pub fn new(p: usize) -> Moments {
        Moments {
            s0: 0.0,
            s1: vec![0.0; p],
            s2: vec![0.0; p * p],
        }
    }

    /// `self += factor * other`.
    pub fn add_scaled(&mut self, factor: f64, other: &Moments) {
        self.s0 += factor * other.s0;
        self.s1
            .iter_mut()
            .zip(&other.s1)
            .for_each(|(a, b)| *a += factor * b);
        self.s2
            .iter_mut()
            .zip(&other.s2)
            .for_each(|(a, b)| *a += factor * b);
    }
}

impl RiskSetSums for Moments {
    fn clear(&mut self) {
        self.s0 = 0.0;
        self.s1.iter_mut().for_each(|v| *v = 0.0);
        self.s2.iter_mut().for_each(|v| *v = 0.0);
    }

    #[inline]
    fn add(&mut self, _row: usize, risk: f64, x: &[f64]) {
        self.s0 += risk;
        add_outer(&mut self.s1, &mut self.s2, x, risk);
    }

    fn moments(&self) -> &Moments {
        self
    }
}

/// Adds `risk * x` to `s1` and the lower triangle of `risk * x x'` to `s2`: the innermost
/// work of every risk-set sum. Clinical models have a handful of terms, so the common sizes
/// are inlined with their size known, for loops the compiler unrolls; other sizes take the
/// general loop.
#[inline]
fn add_outer(s1: &mut [f64], s2: &mut [f64], xi: &[f64], risk: f64) {
    match xi.len() {
        1 => add_outer_of_size(s1, s2, xi, risk, 1),
        2 => add_outer_of_size(s1, s2, xi, risk, 2),
        3 => add_outer_of_size(s1, s2, xi, risk, 3),
        4 => add_outer_of_size(s1, s2, xi, risk, 4),
        5 => add_outer_of_size(s1, s2, xi, risk, 5),
        6 => add_outer_of_size(s1, s2, xi, risk, 6),
        p => add_outer_of_size(s1, s2, xi, risk, p),
    }
}

#[inline(always)]
fn add_outer_of_size(s1: &mut [f64], s2: &mut [f64], xi: &[f64], risk: f64, p: usize) {
    let (s1, s2, xi) = (&mut s1[..p], &mut s2[..p * p], &xi[..p]);
    for r in 0..p {
        let rx = risk * xi[r];
        s1[r] += rx;
        for j in 0..=r {
            s2[r * p + j] += rx * xi[j];
        }
    }
}

/// What one event time adds to the log partial likelihood and its derivatives (the formulas
/// in the module's header); buffers reused from one event time to the next.
#[derive(Debug, Clone)]
pub struct EventTerms {
    /// -(w_D / d) sum_k ln D_k.
    pub log_denominator: f64,
    /// The risk-set mean the deaths see, averaged over them: (1/d) sum_k M_k (S1 / S0 under
    /// Breslow). A death's Schoenfeld residual is its x minus this.
    pub mean: Vec<f64>,
    /// The score's increment, sum_D w_i x_i - w_D * mean.
    pub score: Vec<f64>,
    /// The information's increment, (w_D / d) sum_k V_k: lower triangle, row-major `p x p`.
    pub info: Vec<f64>,
}

impl EventTerms {
    pub fn new(p: usize) -> EventTerms {
        EventTerms {
            log_denominator: 0.0,
            mean: vec![0.0; p],
            score: vec![0.0; p],
            info: vec![0.0; p * p],
        }
    }

    /// The terms of the event time `t` with the risk-set sums `at_risk` (those of `t`, or
    /// others built from them, as Fine-Gray's).
    pub fn compute<S>(&mut self, t: &EventTime<S>, at_risk: &Moments, ties: Ties) {
        if t.deaths == 1 || ties == Ties::Breslow {
            self.breslow(t, at_risk);
        } else {
            self.efron(t, at_risk);
        }
        for (u, (x, m)) in self.score.iter_mut().zip(t.death_x.iter().zip(&self.mean)) {
            *u = x - t.death_weight * m;
        }
    }

    /// Every death sees the whole risk set: M = S1 / S0, V = S2 / S0 - M M'.
    fn breslow<S>(&mut self, t: &EventTime<S>, at_risk: &Moments) {
        let p = self.mean.len();
        let (s0, w) = (at_risk.s0, t.death_weight);
        self.log_denominator = -w * s0.ln();
        for r in 0..p {
            self.mean[r] = at_risk.s1[r] / s0;
            for j in 0..=r {
                self.info[r * p + j] =
                    w * (at_risk.s2[r * p + j] / s0 - self.mean[r] * self.mean[j]);
            }
        }
    }

    /// Efron's closed form: with the sums of [`EfronSums`], sum_k M_k = S1 s0 - S1_D s1 and
    /// sum_k V_k = S2 s0 - S2_D s1 - (S1 S1' t0 - (S1 S1_D' + S1_D S1') t1 + S1_D S1_D' t2).
    fn efron<S>(&mut self, t: &EventTime<S>, at_risk: &Moments) {
        let p = self.mean.len();
        let d = t.deaths;
        let mean_weight = t.death_weight / d as f64;
        let (all, dying) = (at_risk, t.dying);
        let k = EfronSums::new(d, all.s0, dying.s0);
        self.log_denominator = -mean_weight * k.log_denominators;
        for r in 0..p {
            self.mean[r] = (all.s1[r] * k.s0 - dying.s1[r] * k.s1) / d as f64;
            for j in 0..=r {
                let (a_r, a_j, b_r, b_j) = (all.s1[r], all.s1[j], dying.s1[r], dying.s1[j]);
                let mean_products =
                    a_r * a_j * k.t0 - (a_r * b_j + b_r * a_j) * k.t1 + b_r * b_j * k.t2;
                let second = all.s2[r * p + j] * k.s0 - dying.s2[r * p + j] * k.s1;
                self.info[r * p + j] = mean_weight * (second - mean_products);
            }
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

impl Derivatives {
    /// The derivatives of the model with the covariate columns `columns` only, at a beta
    /// that is zero in every other column (at beta = 0, for example): the log-likelihood is
    /// the same, the score and information are restricted.
    pub fn restrict(&self, columns: &[usize]) -> Derivatives {
        let p = self.score.len();
        Derivatives {
            loglik: self.loglik,
            score: columns.iter().map(|&j| self.score[j]).collect(),
            info: columns
                .iter()
                .flat_map(|&r| columns.iter().map(move |&c| self.info[r * p + c]))
                .collect(),
        }
    }
}

/// Every event time's [`EventTerms`] summed into [`Derivatives`].
#[derive(Debug, Clone)]
pub struct DerivativeSums {
    loglik: Neumaier,
    score: Vec<f64>,
    /// Lower triangle only, until [`DerivativeSums::total`].
    info: Vec<f64>,
}

impl DerivativeSums {
    pub fn new(p: usize) -> DerivativeSums {
        DerivativeSums {
            loglik: Neumaier::default(),
            score: vec![0.0; p],
            info: vec![0.0; p * p],
        }
    }

    /// Adds the event time `t` with its terms.
    pub fn add<S>(&mut self, t: &EventTime<S>, terms: &EventTerms) {
        self.loglik.add(t.death_eta);
        self.loglik.add(terms.log_denominator);
        self.score
            .iter_mut()
            .zip(&terms.score)
            .for_each(|(u, v)| *u += v);
        self.info
            .iter_mut()
            .zip(&terms.info)
            .for_each(|(i, v)| *i += v);
    }

    pub fn total(self) -> Derivatives {
        let p = self.score.len();
        let mut info = self.info;
        for r in 0..p {
            for j in 0..r {
                info[j * p + r] = info[r * p + j];
            }
        }
        Derivatives {
            loglik: self.loglik.total(),
            score: self.score,
            info,
        }
    }
}

/// Sums over the `d` tied deaths of Efron's k-th denominator `D_k = S0 - (k/d) S0_D`:
/// `s0 = sum 1/D_k`, `s1 = sum (k/d)/D_k`, `t0 = sum 1/D_k^2`, `t1 = sum (k/d)/D_k^2`,
/// `t2 = sum (k/d)^2/D_k^2`, and `sum ln D_k`.
#[derive(Debug, Clone, PartialEq)]
struct EfronSums {
    s0: f64,
    s1: f64,
    t0: f64,
    t1: f64,
    t2: f64,
    log_denominators: f64,
}

/// Ratios multiplied before one logarithm is taken: with d tied deaths each ratio is at least
/// 1/d, so 16 of them stay above 1e-300 for any d below 10^18.
const LOGS_PER_PRODUCT: usize = 16;

impl EfronSums {
    fn new(d: usize, s0: f64, s0_dying: f64) -> EfronSums {
        let mut w = EfronSums {
            s0: 0.0,
            s1: 0.0,
            t0: 0.0,
            t1: 0.0,
            t2: 0.0,
            log_denominators: d as f64 * s0.ln(),
        };
        // sum ln D_k = d ln(S0) + sum ln(D_k / S0), and each ratio lies in [1/d, 1]: a
        // product of LOGS_PER_PRODUCT of them stays far from underflow and needs one logarithm.
        let per_s0 = s0.recip();
        let mut product = 1.0;
        for k in 0..d {
            let frac = k as f64 / d as f64;
            let dk = s0 - frac * s0_dying;
            product *= dk * per_s0;
            if (k + 1) % LOGS_PER_PRODUCT == 0 || k + 1 == d {
                w.log_denominators += product.ln();
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums and log terms of many tied deaths against the sums written out one death at
    /// a time (the chunked logarithm crosses several products here).
    #[test]
    fn efron_sums_equal_the_sums_over_each_death() {
        let (d, s0, s0_dying) = (37, 1234.5, 456.7);
        let w = EfronSums::new(d, s0, s0_dying);
        let mut want = EfronSums {
            s0: 0.0,
            s1: 0.0,
            t0: 0.0,
            t1: 0.0,
            t2: 0.0,
            log_denominators: 0.0,
        };
        for k in 0..d {
            let f = k as f64 / d as f64;
            let dk = s0 - f * s0_dying;
            want.log_denominators += dk.ln();
            want.s0 += 1.0 / dk;
            want.s1 += f / dk;
            want.t0 += 1.0 / (dk * dk);
            want.t1 += f / (dk * dk);
            want.t2 += f * f / (dk * dk);
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * b.abs();
        for (got, want) in [
            (w.log_denominators, want.log_denominators),
            (w.s0, want.s0),
            (w.s1, want.s1),
            (w.t0, want.t0),
            (w.t1, want.t1),
            (w.t2, want.t2),
        ] {
            assert!(close(got, want), "{got} {want}");
        }
    }
}
