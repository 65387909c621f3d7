//! The numbers R's `plot.cox.zph` draws besides the residuals: each term's smooth of beta(t) with its pointwise band, and the time axis (R's eight ticks for the km and rank transforms, R's log axis for log).
//!
//! From survival 3.5.3's source (`print(survival:::plot.cox.zph)`), with its defaults
//! `df = 4`, `nsmo = 40`, `se = TRUE`:
//!
//! ```text
//!   pred.x <- seq(min(x), max(x), length = nsmo)            # x: the transformed event times
//!   lmat   <- ns(c(pred.x, x), df = df, intercept = TRUE)   # knots from both together
//!   yhat   <- pmat %*% qr.coef(qr(xmat[keep, ]), y)         # least squares on the residuals
//!   seval  <- diag(pmat (X'X)^-1 pmat')                     # X = xmat[keep, ]
//!   band   <- yhat +- 2 sqrt(var[i, i] * seval)              # var: cox.zph's $var
//! ```
//!
//! `keep` leaves out the events where the term has no residual (constant in a stratum); a fit
//! of rank below df is skipped, as R skips the term with a warning. The basis is
//! [`NaturalSpline`] and the least squares the engine's QR (R's `dqrdc2`).

use serde::{Deserialize, Serialize};

use super::Zph;
use crate::engine::linalg::Qr;
use crate::engine::spline::NaturalSpline;
use crate::engine::tolerance::LM_TOL;
use crate::options::ZphTransform;

/// `plot.cox.zph`'s default degrees of freedom of the smooth.
pub const SMOOTH_DF: usize = 4;
/// `plot.cox.zph`'s default number of points the smooth is drawn through (`nsmo`).
pub const SMOOTH_POINTS: usize = 40;

/// One term's smooth of beta(t) and its band, at evenly spaced transformed times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZphSmooth {
    pub term: String,
    /// The transformed times (R's `pred.x`, before `exp` for the log transform).
    pub x: Vec<f64>,
    pub fit: Vec<f64>,
    /// The fit minus and plus two standard errors.
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
}

/// R's `seq(from, to, length = n)`: `from + i (to - from) / (n - 1)`, the last one `to`.
fn evenly_spaced(from: f64, to: f64, n: usize) -> Vec<f64> {
    let by = (to - from) / (n - 1) as f64;
    (0..n)
        .map(|i| if i + 1 == n { to } else { from + i as f64 * by })
        .collect()
}

/// The smooth of residual series `term` of `zph` with `df` degrees of freedom through
/// `points` points; `None` when the term does not exist, the times do not vary, or the fit is
/// rank deficient (fewer events with a residual than `df`, as R skips it).
pub fn zph_smooth(zph: &Zph, term: usize, df: usize, points: usize) -> Option<ZphSmooth> {
    let series = zph.residuals.get(term)?;
    let xs = &zph.x;
    if points < 2 || xs.len() != series.values.len() {
        return None;
    }
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pred = evenly_spaced(lo, hi, points);
    let all: Vec<f64> = pred.iter().chain(xs).copied().collect();
    let spline = NaturalSpline::new(&all, df)?;
    let (kept_x, y): (Vec<f64>, Vec<f64>) = xs
        .iter()
        .zip(&series.values)
        .filter_map(|(x, v)| v.filter(|v| v.is_finite()).map(|v| (*x, v)))
        .unzip();
    let n = y.len();
    if n < df {
        return None;
    }
    // The design column-major, as the QR takes it.
    let rows: Vec<Vec<f64>> = kept_x.iter().map(|&x| spline.basis(x)).collect();
    let design: Vec<f64> = (0..df)
        .flat_map(|j| rows.iter().map(move |r| r[j]))
        .collect();
    let qr = Qr::new(design, n, df, LM_TOL);
    if qr.rank < df {
        return None;
    }
    // Full rank: no column was moved, so the coefficients are in the basis' order.
    let coef = qr.coefficients(&qr.qty(&y));
    let xtx = qr.unscaled_covariance();
    let mut smooth = ZphSmooth {
        term: series.term.clone(),
        x: pred.clone(),
        fit: Vec::with_capacity(points),
        lower: Vec::with_capacity(points),
        upper: Vec::with_capacity(points),
    };
    for &p in &pred {
        let b = spline.basis(p);
        let fit: f64 = b.iter().zip(&coef).map(|(b, c)| b * c).sum();
        let seval: f64 = (0..df)
            .flat_map(|i| (0..df).map(move |j| (i, j)))
            .map(|(i, j)| b[i] * xtx[i * df + j] * b[j])
            .sum();
        let half = 2.0 * (series.variance * seval).sqrt();
        smooth.fit.push(fit);
        smooth.lower.push(fit - half);
        smooth.upper.push(fit + half);
    }
    Some(smooth)
}

/// A tick of the time axis: where it goes (a transformed time) and the time it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZphTick {
    pub at: f64,
    pub time: f64,
    pub label: String,
}

/// R's `approx(x, y, v)` (linear, `rule = 1`) over points sorted by x with distinct x:
/// `None` outside their range.
fn approx(points: &[(f64, f64)], v: f64) -> Option<f64> {
    let (first, last) = (points.first()?, points.last()?);
    if v < first.0 || v > last.0 {
        return None;
    }
    // The interval by bisection, as R's approx1.
    let (mut i, mut j) = (0, points.len() - 1);
    while i + 1 < j {
        let mid = (i + j) / 2;
        if v < points[mid].0 {
            j = mid;
        } else {
            i = mid;
        }
    }
    let ((xi, yi), (xj, yj)) = (points[i], points[j]);
    Some(if v == xj {
        yj
    } else if v == xi {
        yi
    } else {
        yi + (yj - yi) * ((v - xi) / (xj - xi))
    })
}

/// R's `signif(x, 2)` (`fprec`: scaled by a power of ten, rounded half to even).
fn signif2(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e10 = 1 - x.abs().log10().floor() as i32;
    if e10 > 0 {
        let p = 10f64.powi(e10);
        (x * p).round_ties_even() / p
    } else {
        let p = 10f64.powi(-e10);
        (x / p).round_ties_even() * p
    }
}

/// R's `format(x)` of a number of at most two significant digits: fixed notation unless
/// scientific is narrower (`scipen = 0`), as "55", "8.2", "0.012", "1e+05".
pub fn format_signif2(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let exponent = x.abs().log10().floor() as i32;
    let mantissa = x.abs() / 10f64.powi(exponent);
    let digits = if (mantissa - mantissa.round()).abs() < 1e-9 {
        1
    } else {
        2
    };
    let decimals = (digits - 1 - exponent).max(0) as usize;
    let fixed = format!("{x:.decimals$}");
    let sci_mantissa = format!("{:.*}", digits as usize - 1, x / 10f64.powi(exponent));
    let sign = if exponent < 0 { '-' } else { '+' };
    let sci = format!("{sci_mantissa}e{sign}{:02}", exponent.abs());
    if fixed.len() <= sci.len() {
        fixed
    } else {
        sci
    }
}

/// The time axis `plot.cox.zph` draws, with the times multiplied by `scale` (a display unit;
/// 1 for the data's). For the km and rank transforms, R's own eight ticks:
///
/// ```text
///   indx <- !duplicated(x)
///   apr1 <- approx(x[indx], time[indx], seq(min(x), max(x), length = 17)[2 * (1:8)])
///   temp <- signif(apr1$y, 2)                      # the labels, format(temp[i])
///   apr2 <- approx(time[indx], x[indx], temp)      # their places
/// ```
///
/// A tick whose rounded time falls outside the times gets no place and is left out (R's
/// `axis` leaves out its NA). For the log transform, the ticks of R's log axis of time
/// ([`log_axis`]), placed at their log. `None` for identity, whose axis is time itself.
pub fn zph_time_axis(zph: &Zph, scale: f64) -> Option<Vec<ZphTick>> {
    match zph.transform {
        ZphTransform::Identity => return None,
        ZphTransform::Log => {
            let (lo, hi) = range(&zph.x)?;
            let ticks = log_axis(lo.exp() * scale, hi.exp() * scale)
                .into_iter()
                .map(|(time, label)| ZphTick {
                    at: (time / scale).ln(),
                    time,
                    label,
                })
                .collect();
            return Some(ticks);
        }
        ZphTransform::Km | ZphTransform::Rank => {}
    }
    let mut seen: Vec<f64> = Vec::new();
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    for (&x, &t) in zph.x.iter().zip(&zph.time) {
        if !seen.contains(&x) {
            seen.push(x);
            pairs.push((x, t * scale));
        }
    }
    let (lo, hi) = range(&seen)?;
    let mut by_x = pairs.clone();
    by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut by_time: Vec<(f64, f64)> = pairs.iter().map(|&(x, t)| (t, x)).collect();
    by_time.sort_by(|a, b| a.0.total_cmp(&b.0));
    let grid = evenly_spaced(lo, hi, 17);
    Some(
        (1..=8)
            .filter_map(|k| {
                let time = signif2(approx(&by_x, grid[2 * k - 1])?);
                let at = approx(&by_time, time)?;
                Some(ZphTick {
                    at,
                    time,
                    label: format_signif2(time),
                })
            })
            .collect(),
    )
}

/// The smallest and largest finite values, if any.
fn range(values: &[f64]) -> Option<(f64, f64)> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// The ticks R draws on a log axis for data from `a` to `b` (both positive), with their
/// labels. The axis spans the data's log10 range widened by 4% on each side (`xaxs = "r"`),
/// from `umin` to `umax`; R's graphics engine (src/main/graphics.c `GLPretty`,
/// src/library/graphics/src/plot.c `CreateAtVector`) then takes p1 = ceil(log10 umin) and
/// p2 = floor(log10 umax) (or, when that leaves no power of ten inside but the axis spans
/// over ten-fold, ceil(log10 umin - 0.5) and floor(log10 umax + 0.5)) and puts ticks at 1, 2
/// and 5 times the powers of ten when p2 - p1 <= 2, at 1 and 5 times them when it is 3, and
/// beyond at every k-th power from 10^p1, k = max(1, (p2 - p1) / 5) (R's five intervals,
/// integer division; read off R 4.2's `axTicks` for 5 to 31 decades); `axis` draws those on
/// the axis. With no power of ten to use, the axis is linear: multiples of `pretty`'s unit
/// between umin and umax ([`pretty_unit`]).
pub fn log_axis(a: f64, b: f64) -> Vec<(f64, String)> {
    if !(a > 0.0 && b > a && b.is_finite()) {
        return Vec::new();
    }
    let (la, lb) = (a.log10(), b.log10());
    let pad = 0.04 * (lb - la);
    let (umin, umax) = (10f64.powf(la - pad), 10f64.powf(lb + pad));
    let mut p1 = umin.log10().ceil();
    let mut p2 = umax.log10().floor();
    if p2 <= p1 && umax / umin > 10.0 {
        p1 = (umin.log10() - 0.5).ceil();
        p2 = (umax.log10() + 0.5).floor();
    }
    // R's axis leaves out ticks beyond the axis, by a hair of rounding.
    let within = |t: f64| t >= umin * (1.0 - 1e-12) && t <= umax * (1.0 + 1e-12);
    if p2 <= p1 {
        let unit = pretty_unit(umax - umin, 5);
        let first = (umin / unit - 1e-10).ceil() as i64;
        let last = (umax / unit + 1e-10).floor() as i64;
        let decimals = (-unit.log10().floor()).max(0.0) as usize;
        return (first..=last)
            .map(|k| k as f64 * unit)
            .map(|t| {
                let text = format!("{t:.decimals$}");
                let text = if text.contains('.') {
                    text.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    text
                };
                (t, text)
            })
            .collect();
    }
    let decades = (p2 - p1) as i32;
    let start = 10f64.powi(p1 as i32);
    let mut ticks: Vec<f64> = Vec::new();
    if decades > 3 {
        let step = 10f64.powi((decades / 5).max(1));
        let mut t = start;
        while t <= umax * (1.0 + 1e-12) {
            ticks.push(t);
            t *= step;
        }
    } else {
        let mantissas: &[f64] = if decades <= 2 {
            &[1.0, 2.0, 5.0]
        } else {
            &[1.0, 5.0]
        };
        // Below the first power: 0.2 and 0.5 of it (0.5 alone for 1 and 5).
        ticks.extend(mantissas[1..].iter().map(|m| m / 10.0 * start));
        let mut power = start;
        while power <= umax * (1.0 + 1e-12) {
            ticks.extend(mantissas.iter().map(|m| m * power));
            power *= 10.0;
        }
    }
    ticks
        .into_iter()
        .filter(|&t| within(t))
        .map(|t| (t, format_signif2(t)))
        .collect()
}

/// The unit of R's `GPretty` (src/main/graphics.c, over `R_pretty` with its biases h = 0.8
/// and h5 = 1.7) for a span in `intervals` intervals: of 1, 2, 5 and 10 times the power of
/// ten below the cell (span / intervals), the larger only while it is close enough.
pub fn pretty_unit(span: f64, intervals: usize) -> f64 {
    let (h, h5) = (0.8, 1.7);
    let cell = span / intervals.max(1) as f64;
    let base = 10f64.powf(cell.log10().floor());
    let mut unit = base;
    if 2.0 * base - cell < h * (cell - unit) {
        unit = 2.0 * base;
        if 5.0 * base - cell < h5 * (cell - unit) {
            unit = 5.0 * base;
            if 10.0 * base - cell < h * (cell - unit) {
                unit = 10.0 * base;
            }
        }
    }
    unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signif_and_format_as_r() {
        assert_eq!(signif2(54.6), 55.0);
        assert_eq!(signif2(8.249), 8.2);
        assert_eq!(signif2(1349.0), 1300.0);
        // Half to even, as nearbyint: 12.5 -> 12.
        assert_eq!(signif2(125.0), 120.0);
        for (x, text) in [
            (55.0, "55"),
            (8.2, "8.2"),
            (130.0, "130"),
            (0.012, "0.012"),
            (100000.0, "1e+05"),
            (120000.0, "120000"),
            (0.0001, "1e-04"),
            (3.0, "3"),
        ] {
            assert_eq!(format_signif2(x), text);
        }
    }

    /// R 4.2: `plot(r, c(0, 1), log = "x"); axTicks(1)` for each range r, within the axis
    /// (`10^par("usr")`), which is what `axis` draws.
    #[test]
    fn log_axis_ticks_as_r_draws_them() {
        let ticks =
            |a: f64, b: f64| -> Vec<f64> { log_axis(a, b).into_iter().map(|t| t.0).collect() };
        assert_eq!(
            ticks(1.0, 1000.0),
            [1.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0]
        );
        assert_eq!(ticks(2.0, 5e6), [10.0, 1e2, 1e3, 1e4, 1e5, 1e6]);
        assert_eq!(ticks(3.0, 40.0), [5.0, 10.0, 20.0]);
        assert_eq!(ticks(0.5, 30.0), [0.5, 1.0, 2.0, 5.0, 10.0, 20.0]);
        assert_eq!(ticks(12.0, 60.0), [20.0, 30.0, 40.0, 50.0, 60.0]);
        // 12 decades: every other power (R: 1, 100, 10000, ..., 1e+12).
        let wide = ticks(1.0, 1e12);
        assert_eq!(wide.len(), 7);
        assert!((wide[3] - 1e6).abs() < 1e-3);
        let labels: Vec<String> = log_axis(2.0, 5e6).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["10", "100", "1000", "10000", "1e+05", "1e+06"]);
    }

    #[test]
    fn approx_interpolates_and_refuses_outside() {
        let pts = [(0.0, 0.0), (1.0, 10.0), (3.0, 30.0)];
        assert_eq!(approx(&pts, 2.0), Some(20.0));
        assert_eq!(approx(&pts, 3.0), Some(30.0));
        assert_eq!(approx(&pts, 3.5), None);
    }
}
