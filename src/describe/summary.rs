//! Descriptive summaries of one variable in one column of Table 1: continuous and categorical.

use serde::Serialize;

use super::continuous::mean_var;

/// n, missing, mean, SD, median, quartiles and range of a continuous variable.
///
/// Quartiles and median use R's default `quantile(type = 7)`: linear interpolation between
/// order statistics at position 1 + (n - 1) p. SD divides by n - 1. Absent values (no data,
/// or an SD from one value) are null.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContinuousSummary {
    pub n: usize,
    pub missing: usize,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl ContinuousSummary {
    /// Summarises `values` (no missing values among them), reordering them in place.
    ///
    /// Only the order statistics the quartiles and range need are selected (linear time),
    /// rather than sorting everything.
    pub fn new(values: &mut [f64], missing: usize) -> ContinuousSummary {
        let n = values.len();
        if n == 0 {
            return ContinuousSummary {
                n,
                missing,
                mean: None,
                sd: None,
                median: None,
                q1: None,
                q3: None,
                min: None,
                max: None,
            };
        }
        let (mean, var) = mean_var(values);
        let positions = [0.25, 0.5, 0.75].map(|p| Position::new(n, p));
        let mut wanted: Vec<usize> = positions
            .iter()
            .flat_map(|q| [q.lo, q.hi])
            .chain([0, n - 1])
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut found = Vec::with_capacity(wanted.len());
        select_many(values, &wanted, 0, &mut found);
        let at = |k: usize| {
            found
                .iter()
                .find(|&&(i, _)| i == k)
                .map_or(f64::NAN, |&(_, x)| x)
        };
        let q = |p: &Position| p.value(at(p.lo), at(p.hi));
        ContinuousSummary {
            n,
            missing,
            mean: mean.is_finite().then_some(mean),
            sd: (n > 1).then(|| var.sqrt()).filter(|s| s.is_finite()),
            median: Some(q(&positions[1])),
            q1: Some(q(&positions[0])),
            q3: Some(q(&positions[2])),
            min: Some(at(0)),
            max: Some(at(n - 1)),
        }
    }
}

/// Where R's type 7 quantile falls: between 0-based order statistics `lo` and `hi`, a
/// fraction `h` of the way (R: index = 1 + (n - 1) p, lo = floor(index), hi = ceiling(index)).
struct Position {
    lo: usize,
    hi: usize,
    h: f64,
}

impl Position {
    fn new(n: usize, p: f64) -> Position {
        let index = 1.0 + (n - 1) as f64 * p;
        let lo = index.floor();
        Position {
            lo: lo as usize - 1,
            hi: index.ceil() as usize - 1,
            h: index - lo,
        }
    }

    /// R's `(1 - h) * x[lo] + h * x[hi]`, used only where the two differ.
    fn value(&self, a: f64, b: f64) -> f64 {
        if self.h > 0.0 && a != b {
            (1.0 - self.h) * a + self.h * b
        } else {
            a
        }
    }
}

/// Finds the order statistics at the sorted positions `ks` (relative to `offset`), each
/// selection splitting the slice for the ones on either side.
fn select_many(v: &mut [f64], ks: &[usize], offset: usize, out: &mut Vec<(usize, f64)>) {
    if ks.is_empty() || v.is_empty() {
        return;
    }
    let mid = ks.len() / 2;
    let k = ks[mid] - offset;
    let (left, x, right) = v.select_nth_unstable_by(k, f64::total_cmp);
    out.push((ks[mid], *x));
    select_many(left, &ks[..mid], offset, out);
    select_many(right, &ks[mid + 1..], offset + k + 1, out);
}

/// Count and percentage of one level of a categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelCount {
    pub level: String,
    pub count: usize,
    /// Percent (0-100) of the non-missing values the basis chooses (column, row or total);
    /// null when there are none.
    pub percent: Option<f64>,
}

/// n (non-missing), missing and level counts of a categorical variable in one column of the
/// table; missing values are counted, never in a percentage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoricalSummary {
    pub n: usize,
    pub missing: usize,
    pub levels: Vec<LevelCount>,
}

/// Percentage of `part` in `whole`, absent when `whole` is zero.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R's `quantile(x, p, type = 7)` of sorted, non-empty `x`.
    fn quantile7(sorted: &[f64], p: f64) -> f64 {
        let q = Position::new(sorted.len(), p);
        q.value(sorted[q.lo], sorted[q.hi])
    }

    #[test]
    fn selection_agrees_with_sorting() {
        let mut x = vec![9.0, -1.0, 4.0, 4.0, 2.5, 7.0, 0.0, 3.0];
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        let s = ContinuousSummary::new(&mut x, 0);
        assert_eq!(s.q1, Some(quantile7(&sorted, 0.25)));
        assert_eq!(s.median, Some(quantile7(&sorted, 0.5)));
        assert_eq!(s.q3, Some(quantile7(&sorted, 0.75)));
        assert_eq!((s.min, s.max), (Some(-1.0), Some(9.0)));
    }

    // R: quantile(c(1, 2, 3, 4, 10), c(.25, .5, .75)) gives 2, 3, 4;
    // quantile(c(1, 2, 3, 4), .25) = 1 + 0.75 * (2 - 1) = 1.75.
    #[test]
    fn type_7_quantiles_by_hand() {
        assert_eq!(quantile7(&[1.0, 2.0, 3.0, 4.0, 10.0], 0.25), 2.0);
        assert_eq!(quantile7(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
        assert_eq!(quantile7(&[5.0], 0.75), 5.0);
    }

    #[test]
    fn empty_and_single_values_give_nulls_not_nan() {
        let s = ContinuousSummary::new(&mut [], 3);
        assert_eq!(
            (s.n, s.missing, s.mean, s.sd, s.median),
            (0, 3, None, None, None)
        );
        let s = ContinuousSummary::new(&mut [4.0], 0);
        assert_eq!((s.mean, s.sd, s.min), (Some(4.0), None, Some(4.0)));
    }
}
