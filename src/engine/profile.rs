//! Profile-likelihood confidence limits: where a profile likelihood-ratio statistic, the
//! model refitted with one coefficient held at b, reaches its critical value on each side of
//! the estimate (Venzon and Moolgavkar 1988, as `coxphf` and `logistf` report for Firth's
//! models). The root is bracketed by doubling strides outward, then found by the Illinois
//! variant of regula falsi, which keeps the bracket and converges superlinearly.

use crate::engine::tolerance::{FIRTH_BRACKET, FIRTH_PROFILE};

/// The profile statistic at b: `profile(b, warm)` refits the model with the coefficient held
/// at b, starting from `warm` (the estimate), and returns 2 (l(max) - l(b)), or `None` when
/// the fit fails there.
pub type Profile<'a> = dyn Fn(f64, &[f64]) -> Option<f64> + 'a;

/// The lower and upper limits around the estimate `b_hat` where the statistic reaches
/// `crit` (the squared normal quantile of the level); the first stride is the standard
/// error (1 when there is none, at least 1e-3). A limit is `None` where the statistic never
/// gets there within 100 of the estimate (the profile flattens: monotone likelihood).
pub fn profile_interval(
    profile: &Profile,
    warm: &[f64],
    b_hat: f64,
    se: Option<f64>,
    crit: f64,
) -> (Option<f64>, Option<f64>) {
    let step = se.unwrap_or(1.0).max(1e-3);
    (
        profile_limit(profile, warm, b_hat, -step, crit),
        profile_limit(profile, warm, b_hat, step, crit),
    )
}

/// Where the profile statistic `profile(b)` reaches `crit`, searching from `b_hat` by `step`.
fn profile_limit(profile: &Profile, warm: &[f64], b_hat: f64, step: f64, crit: f64) -> Option<f64> {
    // Bracket: walk out, doubling the stride, until the statistic passes the critical value.
    let (mut inside, mut f_inside) = (b_hat, -crit);
    let mut stride = step;
    let mut outside = None;
    for _ in 0..60 {
        let b = b_hat + stride;
        let f = profile(b, warm)? - crit;
        if f >= 0.0 {
            outside = Some((b, f));
            break;
        }
        inside = b;
        f_inside = f;
        stride *= 2.0;
        if stride.abs() > 100.0 {
            return None;
        }
    }
    let (mut out, mut f_out) = outside?;
    // Illinois regula falsi between the bracket ends.
    let mut last_side = 0;
    for _ in 0..200 {
        let b = (inside * f_out - out * f_inside) / (f_out - f_inside);
        let f = profile(b, warm)? - crit;
        if f.abs() < FIRTH_PROFILE || (out - inside).abs() < FIRTH_BRACKET * b.abs().max(1.0) {
            return Some(b);
        }
        if f < 0.0 {
            inside = b;
            f_inside = f;
            if last_side == -1 {
                f_out /= 2.0;
            }
            last_side = -1;
        } else {
            out = b;
            f_out = f;
            if last_side == 1 {
                f_inside /= 2.0;
            }
            last_side = 1;
        }
    }
    Some((inside + out) / 2.0)
}
