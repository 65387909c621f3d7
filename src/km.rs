//! Kaplan-Meier curves: steps, Greenwood errors, pointwise bands, quantiles and restricted means as R's survival 3.5 computes them.

pub use crate::engine::counting::Counts;
use crate::engine::counting::{tabulate, Observations};
use crate::engine::tolerance::KM_QUANTILE;
use serde::Serialize;

use crate::error::{Error, Hint, Result};
use crate::options::{ConfType, Setting};

/// How a curve's bands are built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmOptions {
    pub conf_type: ConfType,
    /// Two-sided coverage, strictly between 0 and 1.
    pub conf_level: f64,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::LogLog,
            conf_level: 0.95,
        }
    }
}

impl KmOptions {
    /// The normal quantile of the band, or an error when the level is outside (0, 1).
    pub fn z(&self) -> Result<f64> {
        crate::options::check_conf_level(self.conf_level)?;
        Ok(crate::engine::dist::z_two_sided(self.conf_level))
    }
}

/// One distinct observed time of a curve (R's `summary(fit, censored = TRUE)` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub time: f64,
    pub n_risk: u64,
    pub n_event: u64,
    pub n_censor: u64,
    pub surv: f64,
    /// Greenwood standard error of S(t); null where S(t) = 0.
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A quantile of the survival time with its confidence limits (R's `quantile.survfit`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantile {
    /// Probability of the event by this time: 0.25, 0.5, 0.75.
    pub prob: f64,
    pub time: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// Which limit a restricted mean is taken to.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum RmeanLimit {
    /// Each curve to its own largest observed time (R's `rmean = "individual"`, SPSS's "Mean").
    #[default]
    Individual,
    /// One common limit tau (R's `rmean = tau`).
    Tau(f64),
}

/// A Kaplan-Meier curve and its summaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmCurve {
    pub n: u64,
    pub events: u64,
    /// Median as R's `print(fit)` / `summary(fit)$table` gives it.
    pub median: Option<f64>,
    pub median_lower: Option<f64>,
    pub median_upper: Option<f64>,
    /// Restricted mean survival time up to `rmean_limit`.
    pub rmean: f64,
    pub rmean_se: f64,
    pub rmean_limit: f64,
    /// The 25th, 50th and 75th percentiles of survival time as R's `quantile(fit)` gives them.
    pub quantiles: Vec<Quantile>,
    pub steps: Vec<Step>,
}

/// Fits a curve to raw observations.
pub fn fit(time: &[f64], event: &[bool], options: &KmOptions) -> Result<KmCurve> {
    let counts = tabulate(&Observations::new(time, event))?.pooled;
    fit_counts(&counts, options, RmeanLimit::Individual)
}

/// Fits a curve to tabulated counts of one group.
pub fn fit_counts(counts: &Counts, options: &KmOptions, limit: RmeanLimit) -> Result<KmCurve> {
    let z = options.z()?;
    counts.check()?;
    if counts.n_groups() != 1 {
        return Err(Error::usage(format!(
            "a Kaplan-Meier curve is fitted to one group's counts, not {} groups'",
            counts.n_groups()
        )));
    }
    if let RmeanLimit::Tau(tau) = limit {
        if !(tau.is_finite() && tau > 0.0) {
            return Err(Error::usage(format!(
                "the restricted-mean limit {tau} is not a positive time"
            ))
            .hint(Hint::SetOption {
                setting: Setting::Tau,
                example: None,
            }));
        }
    }
    let n = counts.n();
    let (steps, greenwood) = steps(counts, n, options.conf_type, z);
    let surv: Vec<f64> = steps.iter().map(|s| s.surv).collect();
    let lower: Vec<Option<f64>> = steps.iter().map(|s| s.lower).collect();
    let upper: Vec<Option<f64>> = steps.iter().map(|s| s.upper).collect();
    let time = &counts.time;
    let last_time = time.last().copied().unwrap_or(0.0);
    let rmean_limit = match limit {
        RmeanLimit::Individual => last_time,
        RmeanLimit::Tau(tau) => tau,
    };
    let (rmean, rmean_se) = restricted_mean(&steps, &greenwood, rmean_limit);
    let quantiles = QUANTILE_PROBS
        .iter()
        .map(|&p| Quantile {
            prob: p,
            time: find_quantile(time, surv.iter().map(|&s| Some(s)), p),
            lower: find_quantile(time, lower.iter().copied(), p),
            upper: find_quantile(time, upper.iter().copied(), p),
        })
        .collect();
    Ok(KmCurve {
        n,
        events: counts.n_event.iter().sum(),
        median: first_below_half(time, surv.iter().map(|&s| Some(s))),
        median_lower: first_below_half(time, lower.iter().copied()),
        median_upper: first_below_half(time, upper.iter().copied()),
        rmean,
        rmean_se,
        rmean_limit,
        quantiles,
        steps,
    })
}

/// The steps, and each step's Greenwood increment d / (n (n - d)) (0 when n = d, as survmean).
fn steps(counts: &Counts, n: u64, conf_type: ConfType, z: f64) -> (Vec<Step>, Vec<f64>) {
    let mut steps = Vec::with_capacity(counts.time.len());
    let mut greenwood = Vec::with_capacity(counts.time.len());
    let mut at_risk = n;
    let mut surv = 1.0;
    let mut var_cumhaz = 0.0;
    for j in 0..counts.time.len() {
        let (d, c) = (counts.n_event[j], counts.n_censor[j]);
        let nr = at_risk as f64;
        let df = d as f64;
        let increment = if d < at_risk {
            df / (nr * (nr - df))
        } else {
            0.0
        };
        if d > 0 {
            surv *= (nr - df) / nr;
            // When everyone left dies the cumulative hazard's variance is infinite (R's Inf).
            var_cumhaz += if d < at_risk {
                increment
            } else {
                f64::INFINITY
            };
        }
        greenwood.push(increment);
        let sd = var_cumhaz.sqrt();
        let (lower, upper) = band(surv, sd, conf_type, z);
        steps.push(Step {
            time: counts.time[j],
            n_risk: at_risk,
            n_event: d,
            n_censor: c,
            surv,
            se: (surv > 0.0).then_some(surv * sd),
            lower,
            upper,
        });
        at_risk -= d + c;
    }
    (steps, greenwood)
}

/// Pointwise limits from S and the standard error of the cumulative hazard (R's survfit_confint).
pub fn band(surv: f64, sd: f64, conf_type: ConfType, z: f64) -> (Option<f64>, Option<f64>) {
    if surv <= 0.0 || !sd.is_finite() {
        return (None, None);
    }
    let finite = |x: f64| x.is_finite().then_some(x);
    match conf_type {
        ConfType::Plain => {
            let half = z * sd * surv;
            (
                finite((surv - half).max(0.0)),
                finite((surv + half).min(1.0)),
            )
        }
        ConfType::Log => {
            let half = z * sd;
            (
                finite((surv.ln() - half).exp()),
                finite((surv.ln() + half).exp().min(1.0)),
            )
        }
        ConfType::LogLog => {
            if surv >= 1.0 {
                return (None, None);
            }
            let half = z * sd / surv.ln();
            let centre = (-surv.ln()).ln();
            (
                finite((-(centre - half).exp()).exp()),
                finite((-(centre + half).exp()).exp()),
            )
        }
    }
}

/// survmean's `minmin`: the first time the curve is at or below 0.5, or the midpoint of a
/// flat segment lying exactly at 0.5 and the next lower step.
fn first_below_half(time: &[f64], y: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let kept: Vec<(f64, f64)> = time
        .iter()
        .zip(y)
        .filter_map(|(&t, y)| y.filter(|&y| y < 0.5 + KM_QUANTILE).map(|y| (t, y)))
        .collect();
    let &(t1, y1) = kept.first()?;
    if (y1 - 0.5).abs() < KM_QUANTILE {
        if let Some(&(t2, _)) = kept.iter().find(|&&(_, y)| y < y1) {
            return Some((t1 + t2) / 2.0);
        }
    }
    Some(t1)
}

/// The probabilities of [`KmCurve::quantiles`].
const QUANTILE_PROBS: [f64; 3] = [0.25, 0.5, 0.75];

/// survival's `findq` for one probability (called with all of [`QUANTILE_PROBS`]): the time
/// where 1 - y first reaches `p`, or the midpoint where it sits exactly at `p` over a flat
/// segment, counting the curve as starting at (0, 1).
fn find_quantile(time: &[f64], y: impl Iterator<Item = Option<f64>>, p: f64) -> Option<f64> {
    let tol = KM_QUANTILE;
    let xmax = time.last().copied().unwrap_or(0.0);
    // R's `duplicated(y)`: the first of each value is kept, NA counting as one value.
    let mut seen = std::collections::HashSet::new();
    let mut seen_na = false;
    let mut dedup: Vec<(f64, Option<f64>)> = Vec::new();
    for (x, y) in std::iter::once((0.0, Some(1.0))).chain(time.iter().copied().zip(y)) {
        let y = y.map(|s| 1.0 - s);
        let fresh = match y {
            None => !std::mem::replace(&mut seen_na, true),
            Some(v) => seen.insert(v.to_bits()),
        };
        if fresh {
            dedup.push((x, y));
        }
    }
    let max_y = dedup
        .iter()
        .filter_map(|&(_, y)| y)
        .fold(f64::NEG_INFINITY, f64::max);
    if max_y < QUANTILE_PROBS[0] {
        return None;
    }
    // approx(y +- tol, 1:n, p, "constant", f = 1) drops NAs and orders the knots by value;
    // it then gives the position of the first knot at or above p.
    let mut knots: Vec<(f64, usize)> = dedup
        .iter()
        .enumerate()
        .filter_map(|(i, &(_, y))| y.map(|y| (y, i)))
        .collect();
    knots.sort_by(|a, b| a.0.total_cmp(&b.0));
    let index = |shift: f64| knots.iter().find(|&&(y, _)| y + shift >= p).map(|k| k.1);
    let indx1 = index(tol);
    let mut quantile = match (indx1, index(-tol)) {
        (Some(i), Some(j)) => Some((dedup[i].0 + dedup[j].0) / 2.0),
        _ => None,
    };
    if let (Some((_, Some(y_n))), Some(i)) = (dedup.last(), indx1) {
        if (p - y_n).abs() < tol {
            quantile = Some((dedup[i].0 + xmax) / 2.0);
        }
    }
    quantile
}

/// survmean's restricted mean and its standard error up to `limit`.
fn restricted_mean(steps: &[Step], greenwood: &[f64], limit: f64) -> (f64, f64) {
    // Rectangles under the curve from 0 to the limit, each paired with the Greenwood term of
    // the step that starts it.
    let kept = steps.iter().take_while(|s| s.time <= limit).count();
    let mut rectangles = Vec::with_capacity(kept + 1);
    let mut previous_time = 0.0;
    let mut previous_surv = 1.0;
    for s in &steps[..kept] {
        rectangles.push((s.time - previous_time) * previous_surv);
        previous_time = s.time;
        previous_surv = s.surv;
    }
    rectangles.push((limit - previous_time) * previous_surv);
    let mean: f64 = rectangles.iter().sum();
    let mut area_after = 0.0;
    let mut variance = 0.0;
    for j in (0..kept).rev() {
        area_after += rectangles[j + 1];
        variance += area_after * area_after * greenwood[j];
    }
    (mean, variance.sqrt())
}

/// A curve's restricted mean and its standard error up to `limit`, as survmean computes
/// them (the Greenwood terms d / (n (n - d)) recovered from the steps).
pub fn rmean_to(curve: &KmCurve, limit: f64) -> (f64, f64) {
    let greenwood: Vec<f64> = curve
        .steps
        .iter()
        .map(|s| {
            let (n, d) = (s.n_risk as f64, s.n_event as f64);
            if s.n_event < s.n_risk {
                d / (n * (n - d))
            } else {
                0.0
            }
        })
        .collect();
    restricted_mean(&curve.steps, &greenwood, limit)
}

/// Survival at a chosen time, as R's `summary(fit, times = t)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalAt {
    pub time: f64,
    /// Null past the curve's last follow-up: not estimable.
    pub surv: Option<f64>,
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub n_risk: u64,
    /// "not estimable" when `time` lies past the last follow-up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Survival at time `t` read off a curve's steps.
pub fn survival_at(curve: &KmCurve, t: f64) -> SurvivalAt {
    let last = curve.steps.last().map_or(0.0, |s| s.time);
    if t.is_nan() || t > last {
        return SurvivalAt {
            time: t,
            surv: None,
            se: None,
            lower: None,
            upper: None,
            n_risk: 0,
            note: Some("not estimable".into()),
        };
    }
    let before = curve.steps.partition_point(|s| s.time <= t);
    let n_risk = curve
        .steps
        .iter()
        .find(|s| s.time >= t)
        .map_or(0, |s| s.n_risk);
    match before.checked_sub(1).map(|i| &curve.steps[i]) {
        Some(s) => SurvivalAt {
            time: t,
            surv: Some(s.surv),
            se: s.se,
            lower: s.lower,
            upper: s.upper,
            n_risk,
            note: None,
        },
        // Before the first step: survfit0's added start row, whose limits are 1 for every
        // conf-type (a step at S = 1 keeps log-log's NA).
        None => SurvivalAt {
            time: t,
            surv: Some(1.0),
            se: Some(0.0),
            lower: Some(1.0),
            upper: Some(1.0),
            n_risk,
            note: None,
        },
    }
}

/// Median follow-up by the reverse Kaplan-Meier method (censorings as events, as R's
/// `survfit(Surv(time, 1 - status) ~ 1)`), and the range of observed times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUp {
    pub median: Option<f64>,
    pub median_lower: Option<f64>,
    pub median_upper: Option<f64>,
    pub min: f64,
    pub max: f64,
}

/// Reverse Kaplan-Meier follow-up of tabulated counts (no new sort: events and censorings swap).
pub fn follow_up(counts: &Counts, options: &KmOptions) -> Result<FollowUp> {
    let curve = fit_counts(&counts.reversed(), options, RmeanLimit::Individual)?;
    Ok(FollowUp {
        median: curve.median,
        median_lower: curve.median_lower,
        median_upper: curve.median_upper,
        min: counts.time.first().copied().unwrap_or(f64::NAN),
        max: counts.time.last().copied().unwrap_or(f64::NAN),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_time_is_rejected() {
        assert!(fit(&[1.0, -1.0], &[true, true], &KmOptions::default()).is_err());
        assert!(fit(&[1.0], &[true, true], &KmOptions::default()).is_err());
    }

    #[test]
    fn counts_of_several_groups_are_not_a_curve() {
        assert!(fit_counts(
            &Counts::new(2),
            &KmOptions::default(),
            RmeanLimit::Individual
        )
        .is_err());
    }
}
