//! What a Kaplan-Meier figure shows, in data units: step paths, bands, censor marks, numbers at risk, breaks.

use super::PlotStep;
use crate::options::TimeUnit;

/// A point in data units: time and the plotted value (survival or cumulative incidence).
pub type DataPoint = (f64, f64);

/// The step function through `steps`, starting at (0, `start`) (1 for survival, 0 for a given
/// incidence) and ending at the last time, cut at `x_max`. Only corners are kept: a
/// censoring-only time adds no point.
pub fn step_path(steps: &[PlotStep], x_max: f64, start: f64) -> Vec<DataPoint> {
    let mut path = vec![(0.0, start)];
    let mut level = start;
    for step in steps {
        if step.time > x_max {
            path.push((x_max, level));
            return dedup(path);
        }
        if step.surv != level {
            path.push((step.time, level));
            path.push((step.time, step.surv));
            level = step.surv;
        }
    }
    if let Some(last) = steps.last() {
        path.push((last.time, level));
    }
    dedup(path)
}

fn dedup(mut path: Vec<DataPoint>) -> Vec<DataPoint> {
    path.dedup();
    path
}

/// Where censor marks go: one per time with censorings (as R's `plot.survfit`), on the curve.
pub fn censor_marks(steps: &[PlotStep], x_max: f64) -> Vec<DataPoint> {
    steps
        .iter()
        .filter(|s| s.n_censor > 0 && s.time <= x_max)
        .map(|s| (s.time, s.surv))
        .collect()
}

/// The confidence band as closed outlines, one per run of times where both limits are known;
/// the curve starts at `start` (1 for survival, 0 for a given incidence).
///
/// A limit is undefined (null) where R gives NA: before the first event under log-log both are
/// 1, so the band there has no width; where S(t) = 0 the band ends.
pub fn band_outlines(steps: &[PlotStep], x_max: f64, start: f64) -> Vec<Vec<DataPoint>> {
    let mut outlines = Vec::new();
    let mut run: Vec<(f64, f64, f64)> = Vec::with_capacity(2 * steps.len() + 1);
    run.push((0.0, start, start));
    for step in steps {
        let t = step.time.min(x_max);
        if let Some(&(last_t, lower, upper)) = run.last() {
            if last_t < t {
                run.push((t, lower, upper));
            }
        }
        if step.time > x_max {
            break;
        }
        match limits(step, start) {
            Some((lower, upper)) => run.push((t, lower, upper)),
            None => {
                outlines.extend(close_band(&run));
                run.clear();
            }
        }
    }
    outlines.extend(close_band(&run));
    outlines
}

fn limits(step: &PlotStep, start: f64) -> Option<(f64, f64)> {
    match (step.lower, step.upper) {
        (Some(lower), Some(upper)) => Some((lower, upper)),
        (None, None) if step.surv == start => Some((start, start)),
        _ => None,
    }
}

/// A run of (time, lower, upper) as a polygon: along the upper limit, back along the lower.
fn close_band(run: &[(f64, f64, f64)]) -> Option<Vec<DataPoint>> {
    if run.len() < 2 || run.iter().all(|&(_, lower, upper)| lower == upper) {
        return None;
    }
    let mut outline: Vec<DataPoint> = Vec::with_capacity(2 * run.len());
    outline.extend(run.iter().map(|&(t, _, upper)| (t, upper)));
    outline.extend(run.iter().rev().map(|&(t, lower, _)| (t, lower)));
    Some(dedup(outline))
}

/// The number at risk at time `t`: that of the first step at or after `t` (everyone still
/// followed then), and 0 past the last time; as R's `summary(fit, times = t)$n.risk`.
pub fn n_risk_at(steps: &[PlotStep], t: f64) -> u64 {
    let first = steps.partition_point(|s| s.time < t);
    steps.get(first).map_or(0, |s| s.n_risk)
}

/// Events (or censorings, as `count` picks) up to and including time `t`: the cumulative
/// counts of the KMunicate table (Morris et al., BMJ Open 2019), as R's
/// `cumsum(summary(fit, censored = TRUE)$n.event)` read at `t`.
pub fn cumulative_at(steps: &[PlotStep], t: f64, count: fn(&PlotStep) -> u64) -> u64 {
    let upto = steps.partition_point(|s| s.time <= t);
    steps[..upto].iter().map(count).sum()
}

/// The median survival time as R's survfit reports it: the first time S(t) drops below 0.5;
/// where S(t) sits exactly at 0.5, the midpoint between that time and the next drop (or that
/// time itself when the curve never drops again). None when not reached.
pub fn median(steps: &[PlotStep]) -> Option<f64> {
    // survfit compares with a tolerance of this order, so 0.5 reached through rounding counts.
    const TOL: f64 = 1e-9;
    let at = steps.iter().position(|s| s.surv <= 0.5 + TOL)?;
    let t = steps[at].time;
    if steps[at].surv < 0.5 - TOL {
        return Some(t);
    }
    let next_drop = steps[at + 1..].iter().find(|s| s.surv < 0.5 - TOL);
    Some(next_drop.map_or(t, |s| (t + s.time) / 2.0))
}

/// The largest time any group reaches.
pub fn max_time<'a>(groups: impl IntoIterator<Item = &'a [PlotStep]>) -> f64 {
    groups
        .into_iter()
        .filter_map(|steps| steps.last())
        .map(|s| s.time)
        .fold(0.0, f64::max)
}

/// A "nice" break step (1, 2, 2.5 or 5 times a power of ten) giving at most `max_breaks`
/// intervals over `[0, span]`.
pub fn nice_step(span: f64, max_breaks: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 {
        span
    } else {
        1.0
    };
    let raw = span / max_breaks.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&step| step >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

/// The natural break step of a time unit for at most `max_breaks` intervals over `[0, span]`:
/// months by 1, 2, 3, 6, 12, 24...; years by 0.25, 0.5, 1, 2, 5...; weeks by 1, 2, 4, 8, 13,
/// 26, 52...; beyond the list, and in days or an unknown unit, a round step ([`nice_step`]).
pub fn unit_step(unit: Option<TimeUnit>, span: f64, max_breaks: usize) -> f64 {
    let natural: &[f64] = match unit {
        Some(TimeUnit::Months) => &[1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0],
        Some(TimeUnit::Years) => &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0],
        Some(TimeUnit::Weeks) => &[1.0, 2.0, 4.0, 8.0, 13.0, 26.0, 52.0, 104.0],
        Some(TimeUnit::Days) | None => &[],
    };
    let raw = span / max_breaks.max(1) as f64;
    natural
        .iter()
        .copied()
        .find(|&step| step >= raw * (1.0 - 1e-12))
        .unwrap_or_else(|| nice_step(span, max_breaks))
}

/// The breaks 0, step, 2 step, ... up to `max` (inclusive, allowing rounding).
pub fn breaks(step: f64, max: f64) -> Vec<f64> {
    let count = (max / step * (1.0 + 1e-9)).floor() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

/// Decimals needed to print every multiple of `step` exactly (at most 4).
pub fn decimals_for(step: f64) -> usize {
    (0..4)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::plot::PlotStep;

    #[test]
    fn median_follows_survfit_at_exactly_one_half() {
        // R 4.2, survival 3.5.3: survfit(Surv(c(1,2,3,4), c(1,1,0,0)) ~ 1) median 2;
        // with c(1,1,1,0) median 2.5; times 1..6, status c(1,1,1,0,1,0) median 4.
        let flat = [
            PlotStep::new(1.0, 4, 1, 0, 0.75),
            PlotStep::new(2.0, 3, 1, 0, 0.5),
            PlotStep::new(3.0, 2, 0, 1, 0.5),
            PlotStep::new(4.0, 1, 0, 1, 0.5),
        ];
        assert_eq!(median(&flat), Some(2.0));
        let drops = [
            PlotStep::new(1.0, 4, 1, 0, 0.75),
            PlotStep::new(2.0, 3, 1, 0, 0.5),
            PlotStep::new(3.0, 2, 1, 0, 0.25),
            PlotStep::new(4.0, 1, 0, 1, 0.25),
        ];
        assert_eq!(median(&drops), Some(2.5));
        let s = |k: f64| k / 6.0;
        let later = [
            PlotStep::new(1.0, 6, 1, 0, s(5.0)),
            PlotStep::new(2.0, 5, 1, 0, s(4.0)),
            PlotStep::new(3.0, 4, 1, 0, s(3.0)),
            PlotStep::new(4.0, 3, 0, 1, s(3.0)),
            PlotStep::new(5.0, 2, 1, 0, s(1.5)),
            PlotStep::new(6.0, 1, 0, 1, s(1.5)),
        ];
        assert_eq!(median(&later), Some(4.0));
        assert_eq!(median(&flat[..1]), None);
    }

    #[test]
    fn path_keeps_corners_and_ends_at_last_time() {
        let steps = [
            PlotStep::new(2.0, 3, 1, 0, 2.0 / 3.0),
            PlotStep::new(3.0, 2, 0, 1, 2.0 / 3.0),
            PlotStep::new(5.0, 1, 0, 1, 2.0 / 3.0),
        ];
        let path = step_path(&steps, 10.0, 1.0);
        assert_eq!(
            path,
            vec![(0.0, 1.0), (2.0, 1.0), (2.0, 2.0 / 3.0), (5.0, 2.0 / 3.0)]
        );
        assert_eq!(step_path(&steps, 4.0, 1.0).last(), Some(&(4.0, 2.0 / 3.0)));
    }

    #[test]
    fn numbers_at_risk_count_everyone_still_followed() {
        let steps = [
            PlotStep::new(2.0, 3, 1, 0, 0.6),
            PlotStep::new(5.0, 1, 0, 1, 0.6),
        ];
        assert_eq!(n_risk_at(&steps, 0.0), 3);
        assert_eq!(n_risk_at(&steps, 2.0), 3);
        assert_eq!(n_risk_at(&steps, 2.5), 1);
        assert_eq!(n_risk_at(&steps, 6.0), 0);
    }

    #[test]
    fn nice_steps_are_round() {
        assert_eq!(nice_step(1022.0, 6), 200.0);
        assert_eq!(nice_step(10.0, 5), 2.0);
        assert_eq!(nice_step(60.0, 6), 10.0);
        assert_eq!(nice_step(12.0, 5), 2.5);
        assert_eq!(breaks(2.5, 10.0), vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(decimals_for(2.5), 1);
        assert_eq!(decimals_for(200.0), 0);
    }

    #[test]
    fn units_break_at_their_natural_steps() {
        // 60 months over at most 8 intervals: 7.5 -> 12 months, not 10.
        assert_eq!(unit_step(Some(TimeUnit::Months), 60.0, 8), 12.0);
        assert_eq!(unit_step(Some(TimeUnit::Months), 24.0, 8), 3.0);
        assert_eq!(unit_step(Some(TimeUnit::Years), 8.0, 8), 1.0);
        assert_eq!(unit_step(Some(TimeUnit::Weeks), 150.0, 6), 26.0);
        assert_eq!(unit_step(Some(TimeUnit::Days), 1022.0, 6), 200.0);
        // Past the list: a round step of the unit.
        assert_eq!(unit_step(Some(TimeUnit::Months), 2000.0, 5), 500.0);
    }

    #[test]
    fn cumulative_counts_include_the_time_itself() {
        let steps = [
            PlotStep::new(2.0, 5, 1, 1, 0.8),
            PlotStep::new(4.0, 3, 2, 0, 0.267),
        ];
        let events = |s: &PlotStep| s.n_event;
        assert_eq!(cumulative_at(&steps, 0.0, events), 0);
        assert_eq!(cumulative_at(&steps, 2.0, events), 1);
        assert_eq!(cumulative_at(&steps, 9.0, events), 3);
        assert_eq!(cumulative_at(&steps, 3.0, |s| s.n_censor), 1);
    }
}
