//! Pearson's chi-square test of an r x c table, with Yates' correction for 2 x 2 tables as R's `chisq.test`.

use super::{TestName, TestResult, Untestable};
use crate::engine::dist::chi_square_upper;

/// Expected counts under independence, `row total * column total / n`.
pub fn expected(table: &[Vec<u64>]) -> Vec<Vec<f64>> {
    let n: u64 = table.iter().flatten().sum();
    let cols = table.first().map_or(0, Vec::len);
    let col_totals: Vec<u64> = (0..cols)
        .map(|j| table.iter().map(|r| r[j]).sum())
        .collect();
    table
        .iter()
        .map(|row| {
            let r: u64 = row.iter().sum();
            col_totals
                .iter()
                .map(|&c| r as f64 * c as f64 / n as f64)
                .collect()
        })
        .collect()
}

/// Whether the table has at least 2 rows and 2 columns and no empty row or column.
pub fn check_shape(table: &[Vec<u64>]) -> Result<(), Untestable> {
    let cols = table.first().map_or(0, Vec::len);
    if table.len() < 2 || cols < 2 {
        return Err(format!(
            "a test needs at least 2 levels and 2 groups with data; the table is {} x {}",
            table.len(),
            cols
        ));
    }
    if table.iter().any(|r| r.len() != cols) {
        return Err("the table is not rectangular".into());
    }
    let empty_col = (0..cols).any(|j| table.iter().all(|r| r[j] == 0));
    if empty_col || table.iter().any(|r| r.iter().all(|&x| x == 0)) {
        return Err("the table has an empty row or column; drop it before testing".into());
    }
    Ok(())
}

/// Pearson's chi-square; `yates` applies R's correction `min(0.5, |O - E|)`, only to 2 x 2 tables.
pub fn chi_square(table: &[Vec<u64>], yates: bool) -> Result<TestResult, Untestable> {
    check_shape(table)?;
    let e = expected(table);
    let two_by_two = table.len() == 2 && table[0].len() == 2;
    let cells = || {
        table
            .iter()
            .flatten()
            .zip(e.iter().flatten())
            .map(|(&o, &e)| (o as f64, e))
    };
    let correction = if yates && two_by_two {
        cells().map(|(o, e)| (o - e).abs()).fold(0.5, f64::min)
    } else {
        0.0
    };
    let statistic: f64 = cells()
        .map(|(o, e)| ((o - e).abs() - correction).powi(2) / e)
        .sum();
    let df = ((table.len() - 1) * (table[0].len() - 1)) as f64;
    let (test, method) = match (yates, two_by_two) {
        (false, _) => (
            TestName::ChiSquare,
            "Pearson's chi-square test without continuity correction (SPSS's Pearson Chi-Square)",
        ),
        (true, true) => (
            TestName::ChiSquareYates,
            "Pearson's chi-square test with Yates' continuity correction (R's default for 2 x 2 tables)",
        ),
        (true, false) => (
            TestName::ChiSquareYates,
            "Pearson's chi-square test (Yates' correction applies only to 2 x 2 tables, as in R)",
        ),
    };
    Ok(TestResult {
        test,
        statistic: Some(statistic),
        df: vec![df],
        p: chi_square_upper(statistic, df),
        method: method.into(),
    })
}

/// Whether every expected count is at least 5, the usual condition for the chi-square approximation.
pub fn expected_at_least_five(table: &[Vec<u64>]) -> bool {
    expected(table).iter().flatten().all(|&e| e >= 5.0)
}
