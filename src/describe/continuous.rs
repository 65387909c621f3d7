//! Tests comparing a continuous variable between groups: t tests, one-way ANOVA, Welch's ANOVA, Kruskal-Wallis.
//!
//! Each follows the R function it is named after line by line (`t.test`, `oneway.test`,
//! `kruskal.test` in R 4.2's stats package), so P agrees with R to rounding.

use super::{TestName, TestResult, Untestable};
use crate::engine::dist::{chi_square_upper, f_upper, t_two_sided};

/// Mean and sample variance with R's two-pass accuracy.
pub fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let first = x.iter().sum::<f64>() / n;
    // R's mean() adds the mean residual back, which removes most rounding of the first pass.
    let mean = first + x.iter().map(|v| v - first).sum::<f64>() / n;
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, ss / (n - 1.0))
}

fn need_two_each(groups: &[Vec<f64>], test: &str) -> Result<(), Untestable> {
    if groups.iter().any(|g| g.len() < 2) {
        return Err(format!(
            "{test} needs at least 2 values in every group; a group has fewer"
        ));
    }
    Ok(())
}

/// Two-sample t test (R's `t.test(x ~ g, var.equal = pooled)`), first group minus second.
pub fn t_test(groups: &[Vec<f64>], pooled: bool) -> Result<TestResult, Untestable> {
    let (name, test) = if pooled {
        ("Student's t test", TestName::StudentT)
    } else {
        ("Welch's t test", TestName::WelchT)
    };
    let [x, y] = groups else {
        return Err(format!("{name} compares exactly 2 groups"));
    };
    // R's t.test: Welch needs 2 values per group; the pooled test, 1 per group and 3 in all.
    if pooled {
        if x.is_empty() || y.is_empty() || x.len() + y.len() < 3 {
            return Err(format!(
                "{name} needs a value in each group and at least 3 in all"
            ));
        }
    } else {
        need_two_each(groups, name)?;
    }
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let ((mx, vx), (my, vy)) = (mean_var(x), mean_var(y));
    let (se, df) = if pooled {
        let df = nx + ny - 2.0;
        // A group of one contributes no spread (R: its variance term is 0, not NA).
        let ss = |n: f64, v: f64| if n > 1.0 { (n - 1.0) * v } else { 0.0 };
        let v = (ss(nx, vx) + ss(ny, vy)) / df;
        ((v * (1.0 / nx + 1.0 / ny)).sqrt(), df)
    } else {
        let (sx, sy) = (vx / nx, vy / ny);
        let se2 = sx + sy;
        (
            se2.sqrt(),
            se2 * se2 / (sx * sx / (nx - 1.0) + sy * sy / (ny - 1.0)),
        )
    };
    if se < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) || se == 0.0 {
        return Err(format!("{name}: the data are essentially constant"));
    }
    let t = (mx - my) / se;
    Ok(TestResult {
        test,
        statistic: Some(t),
        df: vec![df],
        p: t_two_sided(t, df),
        method: name.into(),
    })
}

/// One-way ANOVA, F test with equal variances: R's `oneway.test(var.equal = TRUE)` and `aov`.
pub fn anova(groups: &[Vec<f64>]) -> Result<TestResult, Untestable> {
    let k = groups.len();
    if k < 2 {
        return Err("one-way ANOVA needs at least 2 groups with values".into());
    }
    need_two_each(groups, "one-way ANOVA")?;
    let all: Vec<f64> = groups.iter().flatten().copied().collect();
    let n = all.len() as f64;
    let (grand, _) = mean_var(&all);
    let (mut between, mut within) = (0.0, 0.0);
    for g in groups {
        let (m, v) = mean_var(g);
        let ni = g.len() as f64;
        between += ni * (m - grand) * (m - grand);
        within += (ni - 1.0) * v;
    }
    let (d1, d2) = ((k - 1) as f64, n - k as f64);
    if within == 0.0 {
        return Err("one-way ANOVA: every group is constant, so F is undefined".into());
    }
    let f = (between / d1) / (within / d2);
    Ok(TestResult {
        test: TestName::Anova,
        statistic: Some(f),
        df: vec![d1, d2],
        p: f_upper(f, d1, d2),
        method: "one-way ANOVA".into(),
    })
}

/// Welch's heteroscedastic one-way ANOVA: R's `oneway.test` default.
pub fn welch_anova(groups: &[Vec<f64>]) -> Result<TestResult, Untestable> {
    let k = groups.len() as f64;
    if groups.len() < 2 {
        return Err("Welch's ANOVA needs at least 2 groups with values".into());
    }
    need_two_each(groups, "Welch's ANOVA")?;
    let stats: Vec<(f64, f64, f64)> = groups
        .iter()
        .map(|g| {
            let (m, v) = mean_var(g);
            (g.len() as f64, m, v)
        })
        .collect();
    if stats.iter().any(|&(_, _, v)| v == 0.0) {
        return Err(
            "Welch's ANOVA: a group has no spread (all values equal), so its weight is infinite"
                .into(),
        );
    }
    let w: Vec<f64> = stats.iter().map(|&(n, _, v)| n / v).collect();
    let sum_w: f64 = w.iter().sum();
    let tmp = stats
        .iter()
        .zip(&w)
        .map(|(&(n, _, _), wi)| (1.0 - wi / sum_w).powi(2) / (n - 1.0))
        .sum::<f64>()
        / (k * k - 1.0);
    let m = stats
        .iter()
        .zip(&w)
        .map(|(&(_, mi, _), wi)| wi * mi)
        .sum::<f64>()
        / sum_w;
    let between: f64 = stats
        .iter()
        .zip(&w)
        .map(|(&(_, mi, _), wi)| wi * (mi - m) * (mi - m))
        .sum();
    let f = between / ((k - 1.0) * (1.0 + 2.0 * (k - 2.0) * tmp));
    let (d1, d2) = (k - 1.0, 1.0 / (3.0 * tmp));
    Ok(TestResult {
        test: TestName::WelchAnova,
        statistic: Some(f),
        df: vec![d1, d2],
        p: f_upper(f, d1, d2),
        method: "Welch's one-way ANOVA".into(),
    })
}

/// Rank sums per group with mid-ranks for ties (as R's `rank`), and the sizes of the tie groups.
///
/// Groups already in ascending order (as Table 1 sorts them for quantiles) are merged in
/// linear time; others are sorted first.
pub fn rank_sums(groups: &[Vec<f64>]) -> (Vec<f64>, Vec<usize>) {
    let sorted: Vec<std::borrow::Cow<[f64]>> = groups
        .iter()
        .map(|g| {
            if g.is_sorted_by(|a, b| a <= b) {
                std::borrow::Cow::Borrowed(g.as_slice())
            } else {
                let mut v = g.clone();
                v.sort_unstable_by(f64::total_cmp);
                std::borrow::Cow::Owned(v)
            }
        })
        .collect();
    let mut heads = vec![0usize; groups.len()];
    let mut sums = vec![0.0; groups.len()];
    let mut ties = Vec::new();
    let mut in_tie = vec![0usize; groups.len()];
    let mut rank = 0usize;
    loop {
        let smallest = sorted
            .iter()
            .zip(&heads)
            .filter_map(|(g, &h)| g.get(h))
            .copied()
            .min_by(f64::total_cmp);
        let Some(value) = smallest else { break };
        let mut size = 0;
        for (j, g) in sorted.iter().enumerate() {
            let start = heads[j];
            while heads[j] < g.len() && g[heads[j]] == value {
                heads[j] += 1;
            }
            in_tie[j] = heads[j] - start;
            size += in_tie[j];
        }
        // The tie spans ranks rank+1 ..= rank+size; each member gets their mean.
        let mid = rank as f64 + (size as f64 + 1.0) / 2.0;
        for (sum, &count) in sums.iter_mut().zip(&in_tie) {
            *sum += mid * count as f64;
        }
        ties.push(size);
        rank += size;
    }
    (sums, ties)
}

/// Sum over tie groups of t^3 - t, the tie correction of rank tests.
pub fn tie_sum(tie_sizes: &[usize]) -> f64 {
    tie_sizes
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * t * t - t
        })
        .sum()
}

/// Kruskal-Wallis rank-sum test with R's tie correction (`kruskal.test`).
pub fn kruskal_wallis(groups: &[Vec<f64>]) -> Result<TestResult, Untestable> {
    if groups.len() < 2 {
        return Err("the Kruskal-Wallis test needs at least 2 groups with values".into());
    }
    let n = groups.iter().map(Vec::len).sum::<usize>() as f64;
    if n < 2.0 {
        return Err("the Kruskal-Wallis test needs at least 2 values".into());
    }
    let (sums, ties) = rank_sums(groups);
    let h: f64 = sums
        .iter()
        .zip(groups)
        .map(|(r, g)| r * r / g.len() as f64)
        .sum();
    let correction = 1.0 - tie_sum(&ties) / (n * n * n - n);
    if correction <= 0.0 {
        return Err("the Kruskal-Wallis test: all values are equal".into());
    }
    let h = (12.0 * h / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / correction;
    let df = (groups.len() - 1) as f64;
    Ok(TestResult {
        test: TestName::KruskalWallis,
        statistic: Some(h),
        df: vec![df],
        p: chi_square_upper(h, df),
        method: "Kruskal-Wallis rank-sum test".into(),
    })
}
