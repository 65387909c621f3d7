//! B-splines and R's natural cubic spline basis (`splines::ns`), for smooths such as the one `plot.cox.zph` draws.
//!
//! `ns(x, df, intercept = TRUE)` (R 4.2, splines/R/splines.R) is a cubic B-spline basis on the
//! knots `a, a, a, a, k_1 .. k_m, b, b, b, b` (a, b the range of x; the m = df - 2 interior
//! knots at the quantiles 1/(m+1), .., m/(m+1) of x, type 7) turned into one whose second
//! derivative is zero at a and b: with C the 2 x (m + 4) matrix of the B-splines' second
//! derivatives at a and b, and Q from the Householder QR of C' (`qr(t(const))`), each row of
//! the B-spline basis is multiplied by Q' and its first two entries dropped (`qr.qty`). The
//! remaining df columns span the cubic splines on those knots that are linear beyond them.
//! Beyond [a, b] the basis continues linearly from the boundary (value and slope there).
//!
//! The B-splines are evaluated by de Boor's recurrence (Piegl and Tiller, The NURBS Book,
//! 1997, algorithm A2.2) on the knot interval holding x, the last non-empty one at b: the
//! same interval R's `spline_basis` (splines/src/splines.c, `set_cursor`) takes.

use super::linalg::Qr;
use super::tolerance::LM_TOL;

/// The knot interval `[t_i, t_(i+1))` of order-`k` B-splines holding `x` (the last non-empty
/// one holds its right end), or `None` when x is outside `[t_(k-1), t_n]`.
fn span(t: &[f64], k: usize, x: f64) -> Option<usize> {
    let n = t.len().checked_sub(k)?;
    if k == 0 || n == 0 || x < t[k - 1] || x > t[n] {
        return None;
    }
    (k - 1..n).rev().find(|&i| t[i] <= x && t[i] < t[i + 1])
}

/// The values at `x` of the `t.len() - k` B-splines of order `k` (degree k - 1) on knots `t`;
/// all zero outside the knots' range.
pub fn bsplines(t: &[f64], k: usize, x: f64) -> Vec<f64> {
    let n = t.len().saturating_sub(k);
    let mut out = vec![0.0; n];
    let Some(i) = span(t, k, x) else {
        return out;
    };
    // N[r] is B_(i-k+1+r) at x; built up from order 1 (the interval's indicator).
    let mut values = vec![0.0; k];
    let (mut left, mut right) = (vec![0.0; k], vec![0.0; k]);
    values[0] = 1.0;
    for j in 1..k {
        left[j] = x - t[i + 1 - j];
        right[j] = t[i + j] - x;
        let mut saved = 0.0;
        for r in 0..j {
            let temp = values[r] / (right[r + 1] + left[j - r]);
            values[r] = saved + right[r + 1] * temp;
            saved = left[j - r] * temp;
        }
        values[j] = saved;
    }
    out[i + 1 - k..=i].copy_from_slice(&values);
    out
}

/// The `d`-th derivatives at `x` of the B-splines of order `k` on knots `t`. A spline
/// sum_i c_i B_(i,k) has derivative sum_i (k - 1)(c_i - c_(i-1)) / (t_(i+k-1) - t_i)
/// B_(i,k-1) on the knots without their first and last (de Boor, A Practical Guide to
/// Splines, 2001, X(12)); 0/0 (repeated knots) counts as 0.
pub fn bspline_derivatives(t: &[f64], k: usize, x: f64, d: usize) -> Vec<f64> {
    let n = t.len().saturating_sub(k);
    if d >= k {
        return vec![0.0; n];
    }
    let lower = bsplines(&t[d..t.len() - d], k - d, x);
    (0..n)
        .map(|j| {
            let mut c: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i == j))).collect();
            for step in 0..d {
                let order = k - step;
                let knots = &t[step..t.len() - step];
                c = (1..c.len())
                    .map(|i| {
                        let width = knots[i + order - 1] - knots[i];
                        if width > 0.0 {
                            (order - 1) as f64 * (c[i] - c[i - 1]) / width
                        } else {
                            0.0
                        }
                    })
                    .collect();
            }
            c.iter().zip(&lower).map(|(c, b)| c * b).sum()
        })
        .collect()
}

/// R's `quantile(x, p)` of type 7 (the default) over sorted `x`:
/// `(1 - h) x[lo] + h x[hi]` at index `1 + (n - 1) p`, as `quantile.default` computes it.
pub fn quantile_type7(sorted: &[f64], p: f64) -> f64 {
    // R's 1-based index, then 0-based positions.
    let index = 1.0 + (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (index.floor(), index.ceil());
    let q = sorted[lo as usize - 1];
    let above = sorted[hi as usize - 1];
    if index > lo && above != q {
        let h = index - lo;
        (1.0 - h) * q + h * above
    } else {
        q
    }
}

/// The basis of `splines::ns(x, df, intercept = TRUE)`, fixed by the `x` it was made from
/// and evaluable anywhere.
#[derive(Debug, Clone)]
pub struct NaturalSpline {
    /// The B-spline knots, boundary knots four times each.
    knots: Vec<f64>,
    interior: Vec<f64>,
    boundary: (f64, f64),
    /// The QR of the boundary second derivatives' transpose, `(m + 4) x 2`.
    constraints: Qr,
    df: usize,
}

const ORDER: usize = 4;

impl NaturalSpline {
    /// The basis of `df` (at least 2) columns for the values `x`; `None` when `x` holds fewer
    /// than two distinct finite values (R would fail) or a value that is not finite.
    pub fn new(x: &[f64], df: usize) -> Option<NaturalSpline> {
        if df < 2 || x.iter().any(|v| !v.is_finite()) {
            return None;
        }
        let mut sorted = x.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (a, b) = (*sorted.first()?, *sorted.last()?);
        if a >= b {
            return None;
        }
        // seq.int(0, 1, length.out = m + 2) without its ends.
        let m = df - 2;
        let step = 1.0 / (m + 1) as f64;
        let interior: Vec<f64> = (1..=m)
            .map(|j| quantile_type7(&sorted, j as f64 * step))
            .collect();
        let mut knots = vec![a; ORDER];
        knots.extend(&interior);
        knots.extend(std::iter::repeat_n(b, ORDER));
        knots.sort_by(f64::total_cmp);
        let n = knots.len() - ORDER;
        // C' column-major: its columns are the second derivatives at a and at b.
        let mut transposed = bspline_derivatives(&knots, ORDER, a, 2);
        transposed.extend(bspline_derivatives(&knots, ORDER, b, 2));
        let constraints = Qr::new(transposed, n, 2, LM_TOL);
        Some(NaturalSpline {
            knots,
            interior,
            boundary: (a, b),
            constraints,
            df,
        })
    }

    /// The interior knots (R's `attr(, "knots")`).
    pub fn interior_knots(&self) -> &[f64] {
        &self.interior
    }

    /// The boundary knots (R's `attr(, "Boundary.knots")`).
    pub fn boundary_knots(&self) -> (f64, f64) {
        self.boundary
    }

    /// The basis' `df` values at `x`.
    pub fn basis(&self, x: f64) -> Vec<f64> {
        let (a, b) = self.boundary;
        let raw = if x < a || x > b {
            // Linear beyond the boundary: value plus slope times the distance.
            let pivot = if x < a { a } else { b };
            let value = bsplines(&self.knots, ORDER, pivot);
            let slope = bspline_derivatives(&self.knots, ORDER, pivot, 1);
            value
                .iter()
                .zip(&slope)
                .map(|(v, s)| v + (x - pivot) * s)
                .collect()
        } else {
            bsplines(&self.knots, ORDER, x)
        };
        let rotated = self.constraints.qty(&raw);
        rotated[rotated.len() - self.df..].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cubic_bsplines_sum_to_one_inside_their_knots() {
        let t = [0.0, 0.0, 0.0, 0.0, 1.0, 3.0, 4.0, 4.0, 4.0, 4.0];
        for x in [0.0, 0.5, 1.0, 2.2, 3.0, 3.9, 4.0] {
            let sum: f64 = bsplines(&t, 4, x).iter().sum();
            assert!((sum - 1.0).abs() < 1e-14, "at {x}: {sum}");
        }
        assert!(bsplines(&t, 4, 4.5).iter().all(|v| *v == 0.0));
    }

    #[test]
    fn derivatives_of_the_linear_bsplines_are_their_slopes() {
        // Order 2 on 0, 0, 1, 2, 2: hats. At 0.5: B_0 = 1 - x falls, B_1 = x rises.
        let t = [0.0, 0.0, 1.0, 2.0, 2.0];
        assert_eq!(bspline_derivatives(&t, 2, 0.5, 1), vec![-1.0, 1.0, 0.0]);
    }

    #[test]
    fn type7_quantile_interpolates() {
        // index 1 + 4 * 1/3 = 2.333: 2 + 0.333 * (3 - 2).
        let q = quantile_type7(&[1.0, 2.0, 3.0, 5.0, 8.0], 1.0 / 3.0);
        assert!((q - (2.0 + 1.0 / 3.0)).abs() < 1e-15);
    }
}
