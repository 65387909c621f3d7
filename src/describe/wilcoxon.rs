//! Mann-Whitney U (Wilcoxon rank-sum) test as R's `wilcox.test`: exact P for small samples
//! without ties, else the normal approximation with continuity correction and tie-corrected variance.

use super::continuous::{rank_sums, tie_sum};
use super::{TestName, TestResult, Untestable};
use crate::engine::dist::normal_two_sided;

/// R computes the exact distribution when both samples have fewer than this many values.
pub const EXACT_BELOW: usize = 50;

/// Two-sided Mann-Whitney test of the first group against the second; `statistic` is R's W.
pub fn mann_whitney(groups: &[Vec<f64>]) -> Result<TestResult, Untestable> {
    let [x, y] = groups else {
        return Err("the Mann-Whitney test compares exactly 2 groups".into());
    };
    if x.is_empty() || y.is_empty() {
        return Err("the Mann-Whitney test needs values in both groups".into());
    }
    let (sums, ties) = rank_sums(groups);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let w = sums[0] - nx * (nx + 1.0) / 2.0;
    let has_ties = ties.iter().any(|&t| t > 1);
    if x.len() < EXACT_BELOW && y.len() < EXACT_BELOW && !has_ties {
        // W is an integer here (no ties), so rounding only removes summation noise.
        let w = w.round() as usize;
        let p = exact_two_sided(w, x.len(), y.len());
        return Ok(TestResult {
            test: TestName::MannWhitney,
            statistic: Some(w as f64),
            df: Vec::new(),
            p: Some(p),
            method: "Mann-Whitney U test, exact".into(),
        });
    }
    let n = nx + ny;
    let sigma = ((nx * ny / 12.0) * ((n + 1.0) - tie_sum(&ties) / (n * (n - 1.0)))).sqrt();
    if sigma == 0.0 {
        return Err("the Mann-Whitney test: all values are equal".into());
    }
    let z = w - nx * ny / 2.0;
    let correction = 0.5 * z.signum() * f64::from(z != 0.0);
    let z = (z - correction) / sigma;
    Ok(TestResult {
        test: TestName::MannWhitney,
        statistic: Some(w),
        df: Vec::new(),
        p: normal_two_sided(z),
        method: "Mann-Whitney U test, normal approximation with continuity correction".into(),
    })
}

/// Counts of each value of U for samples of sizes m and n without ties: the number of
/// partitions of u into at most m parts each at most n (coefficients of the Gaussian binomial).
fn u_counts(m: usize, n: usize) -> Vec<f64> {
    let max_u = m * n;
    // ways[j][u]: partitions of u into exactly j parts, parts drawn from 1..=v so far.
    let mut ways = vec![vec![0.0; max_u + 1]; m + 1];
    ways[0][0] = 1.0;
    for v in 1..=n {
        for j in 1..=m {
            let (before, from) = ways.split_at_mut(j);
            let (prev, cur) = (&before[j - 1], &mut from[0]);
            for u in v..=max_u {
                cur[u] += prev[u - v];
            }
        }
    }
    let mut counts = vec![0.0; max_u + 1];
    for row in &ways {
        for (c, w) in counts.iter_mut().zip(row) {
            *c += w;
        }
    }
    counts
}

/// R's exact two-sided P: `min(2 * P(W <= w), 1)` or the upper tail when w is above the centre.
fn exact_two_sided(w: usize, m: usize, n: usize) -> f64 {
    let counts = u_counts(m, n);
    let total: f64 = counts.iter().sum();
    let tail: f64 = if 2 * w > m * n {
        counts[w..].iter().sum()
    } else {
        counts[..=w].iter().sum()
    };
    (2.0 * tail / total).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_symmetric_and_sum_to_binomial() {
        // Sizes 3 and 4: C(7, 3) = 35 arrangements, U from 0 to 12 symmetric about 6.
        let c = u_counts(3, 4);
        assert_eq!(c.iter().sum::<f64>(), 35.0);
        assert_eq!(c.len(), 13);
        for u in 0..=12 {
            assert_eq!(c[u], c[12 - u]);
        }
        assert_eq!(&c[..4], &[1.0, 1.0, 2.0, 3.0]);
    }
}
