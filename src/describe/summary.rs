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
    /// Summarises `values` (no missing values among them); sorts them in place.
    pub fn new(values: &mut [f64], missing: usize) -> ContinuousSummary {
        values.sort_unstable_by(f64::total_cmp);
        let n = values.len();
        let (mean, var) = if n > 0 {
            mean_var(values)
        } else {
            (f64::NAN, f64::NAN)
        };
        let present = |x: f64| (n > 0 && x.is_finite()).then_some(x);
        let q = |p: f64| (n > 0).then(|| quantile7(values, p));
        ContinuousSummary {
            n,
            missing,
            mean: present(mean),
            sd: (n > 1).then(|| var.sqrt()).filter(|s| s.is_finite()),
            median: q(0.5),
            q1: q(0.25),
            q3: q(0.75),
            min: values.first().copied(),
            max: values.last().copied(),
        }
    }
}

/// R's `quantile(x, p, type = 7)` of sorted, non-empty `x`.
pub fn quantile7(sorted: &[f64], p: f64) -> f64 {
    let index = 1.0 + (sorted.len() - 1) as f64 * p;
    let lo = index.floor();
    let hi = index.ceil();
    let (a, b) = (sorted[lo as usize - 1], sorted[hi as usize - 1]);
    let h = index - lo;
    if h > 0.0 && a != b {
        (1.0 - h) * a + h * b
    } else {
        a
    }
}

/// Count and percentage of one level of a categorical variable.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelCount {
    pub level: String,
    pub count: usize,
    /// Percent of the denominator chosen (column, row, with or without missing); null when it is 0.
    pub percent: Option<f64>,
}

/// n, missing and level counts of a categorical variable in one column of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoricalSummary {
    pub n: usize,
    pub missing: usize,
    pub levels: Vec<LevelCount>,
    /// Percent missing, given only when missing values are counted in the denominators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_percent: Option<f64>,
}

/// Percentage of `part` in `whole`, absent when `whole` is zero.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

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
