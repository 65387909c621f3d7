//! Standardised mean differences between two groups, as R's tableone::ExtractSmd reports them.
//!
//! Continuous: |m1 - m2| / sqrt((s1^2 + s2^2) / 2). Categorical: Yang and Dalton's
//! multinomial form sqrt(T' S^-1 T), T the differences in level proportions (first level
//! dropped), S the mean of the two groups' multinomial covariance matrices, inverted with a
//! Moore-Penrose pseudo-inverse as tableone does (`MASS::ginv`).

use nalgebra::{DMatrix, DVector};

use super::continuous::mean_var;

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
    let t = DVector::from_iterator(m, p1.iter().zip(&p2).map(|(a, b)| a - b));
    let s = DMatrix::from_fn(m, m, |i, j| {
        let cov = |p: &[f64]| {
            if i == j {
                p[i] * (1.0 - p[i])
            } else {
                -p[i] * p[j]
            }
        };
        (cov(&p1) + cov(&p2)) / 2.0
    });
    let inverse = s.pseudo_inverse(1e-12).ok()?;
    let d = (t.transpose() * inverse * &t)[(0, 0)];
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

    // Means 2 and 4, variances 1 and 1: |2 - 4| / 1 = 2.
    #[test]
    fn continuous_smd_by_hand() {
        let d = continuous(&[1.0, 2.0, 3.0], &[3.0, 4.0, 5.0]).unwrap();
        assert!((d - 2.0).abs() < 1e-12);
    }
}
