//! Standardised mean differences between two groups, as R's tableone::ExtractSmd reports them.
//!
//! Continuous: |m1 - m2| / sqrt((s1^2 + s2^2) / 2). Categorical: Yang and Dalton's
//! multinomial form sqrt(T' S^-1 T), T the differences in level proportions (first level
//! dropped), S the mean of the two groups' multinomial covariance matrices, inverted as
//! tableone does with a generalised inverse (`MASS::ginv`, the Moore-Penrose one).
//!
//! The engine's LDL' generalised inverse gives the same T' S^- T: any generalised inverse
//! does when T lies in S's column space, and it does here. S is singular only where a level
//! is absent from both groups (its row, column and entry of T are all 0) or where the
//! dropped first level is absent from both groups (then every row of S sums to 0, S's null
//! vector is all ones, and T's entries, differences of proportions summing to 0 in each
//! group, are orthogonal to it).

use super::continuous::mean_var;
use crate::engine::linalg::Cholesky;
use crate::engine::tolerance::TOLER_PSEUDO_INVERSE;

/// Absolute SMD of a continuous variable; `None` when a group has fewer than 2 values or no spread.
pub fn continuous(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() < 2 || y.len() < 2 {
        return None;
    }
    let ((mx, vx), (my, vy)) = (mean_var(x), mean_var(y));
    let pooled = ((vx + vy) / 2.0).sqrt();
    (pooled > 0.0).then(|| (mx - my).abs() / pooled)
}

/// SMD of a categorical variable from its level-by-group counts (two groups).
pub fn categorical(counts: &[Vec<u64>]) -> Option<f64> {
    if counts.len() < 2 || counts.iter().any(|r| r.len() != 2) {
        return None;
    }
    let totals: Vec<f64> = (0..2)
        .map(|g| counts.iter().map(|r| r[g] as f64).sum())
        .collect();
    if totals.contains(&0.0) {
        return None;
    }
    let props = |g: usize| -> Vec<f64> {
        counts[1..]
            .iter()
            .map(|r| r[g] as f64 / totals[g])
            .collect()
    };
    let (p1, p2) = (props(0), props(1));
    let m = p1.len();
    let t: Vec<f64> = p1.iter().zip(&p2).map(|(a, b)| a - b).collect();
    let cov = |p: &[f64], i: usize, j: usize| {
        if i == j {
            p[i] * (1.0 - p[i])
        } else {
            -p[i] * p[j]
        }
    };
    let s: Vec<f64> = (0..m * m)
        .map(|k| (cov(&p1, k / m, k % m) + cov(&p2, k / m, k % m)) / 2.0)
        .collect();
    let d = Cholesky::new(&s, m, TOLER_PSEUDO_INVERSE).quadratic_form(&t);
    (d.is_finite() && d >= 0.0).then(|| d.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two levels, p1 = 0.5, p2 = 0.25: (0.25) / sqrt((0.25 + 0.1875) / 2) = 0.5345225.
    #[test]
    fn binary_smd_by_hand() {
        let d = categorical(&[vec![5, 6], vec![5, 2]]).unwrap();
        assert!((d - 0.25 / (0.4375f64 / 2.0).sqrt()).abs() < 1e-12);
    }

    /// Singular S: a level absent from both groups, or the dropped first level absent from
    /// both. Expected values from R 4.2, tableone's formula with `MASS::ginv`:
    /// p <- sweep(counts, 2, colSums(counts), "/"); T <- p[-1, 1] - p[-1, 2];
    /// S <- (diag(p1) - p1 p1' + diag(p2) - p2 p2') / 2; sqrt(t(T) %*% MASS::ginv(S) %*% T).
    #[test]
    fn singular_covariance_as_the_moore_penrose_inverse() {
        let cases: [(&[[u64; 2]], f64); 3] = [
            (&[[3, 5], [0, 0], [4, 1], [2, 6]], 0.942_074_615_108_8),
            (&[[0, 0], [3, 5], [4, 1], [2, 6]], 0.942_074_615_108_8),
            (&[[2, 1], [3, 5], [4, 1], [2, 6]], 0.952_527_526_878_055),
        ];
        for (counts, want) in cases {
            let counts: Vec<Vec<u64>> = counts.iter().map(|r| r.to_vec()).collect();
            let got = categorical(&counts).unwrap();
            assert!((got - want).abs() < 1e-12, "{counts:?}: {got} {want}");
        }
    }

    // Means 2 and 4, variances 1 and 1: |2 - 4| / 1 = 2.
    #[test]
    fn continuous_smd_by_hand() {
        let d = continuous(&[1.0, 2.0, 3.0], &[3.0, 4.0, 5.0]).unwrap();
        assert!((d - 2.0).abs() < 1e-12);
    }
}
