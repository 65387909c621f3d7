//! The one factorisation of the crate: LDL' of a small symmetric positive semi-definite
//! matrix (an information matrix, a covariance of scores), with singular directions dropped
//! by one pivot rule, for solves, generalised inverses, quadratic forms and log-determinants.
//!
//! # The pivot rule
//! R's `cholesky2` (survival's src/cholesky2.c), which `coxph`, `coxph.wtest` and `cox.zph`
//! use, factorises M = L D L' column by column and sets a pivot D_i to zero, dropping that
//! direction, when it is not finite or is below `toler` times the largest diagonal element;
//! `coxph` scales every covariate first so that the diagonal elements are comparable. Here
//! the pivot is compared with its own diagonal element M_ii instead, which is what that
//! scaling achieves without rescaling anything: D_i / M_ii is 1 - R^2 of variable i on the
//! variables before it (in M's inner product), so the rule reads "a variable that is, to
//! within `toler`, a linear combination of the earlier ones is dropped", whatever its units.
//! A dropped direction gets zero in every solve, a zero row and column in the inverse (R's
//! NA coefficient) and no share of the rank. Which `toler` each use takes, and why, is in
//! [`crate::engine::tolerance`].

/// An LDL' factorisation of a symmetric `p x p` matrix (row-major), with singular pivots zeroed.
#[derive(Debug, Clone)]
pub struct Cholesky {
    p: usize,
    /// Unit lower triangle below the diagonal, D on the diagonal (0 for a dropped direction).
    ldl: Vec<f64>,
}

impl Cholesky {
    /// Factorises `matrix` (only its lower triangle is read) with the pivot rule above.
    pub fn new(matrix: &[f64], p: usize, toler: f64) -> Cholesky {
        let mut m = matrix.to_vec();
        for i in 0..p {
            let pivot = m[i * p + i];
            if !(pivot.is_finite() && pivot > toler * matrix[i * p + i]) {
                m[i * p + i] = 0.0;
                continue;
            }
            // Eliminate column i from the later rows: L_ji = M_ji / D_i, and each later
            // row's remaining entries lose L_ji times row i's.
            for j in i + 1..p {
                let l_ji = m[j * p + i] / pivot;
                m[j * p + i] = l_ji;
                m[j * p + j] -= l_ji * l_ji * pivot;
                for k in j + 1..p {
                    m[k * p + j] -= l_ji * m[k * p + i];
                }
            }
        }
        Cholesky { p, ldl: m }
    }

    /// Whether direction `i` had a zero (singular) pivot.
    pub fn is_singular(&self, i: usize) -> bool {
        self.ldl[i * self.p + i] == 0.0
    }

    /// The number of directions kept.
    pub fn rank(&self) -> usize {
        (0..self.p).filter(|&i| !self.is_singular(i)).count()
    }

    /// Solves `M y = b` in place; singular directions get zero.
    pub fn solve(&self, b: &mut [f64]) {
        let p = self.p;
        // L z = b, forward.
        for i in 0..p {
            let row = &self.ldl[i * p..i * p + i];
            b[i] -= row.iter().zip(&b[..i]).map(|(l, y)| l * y).sum::<f64>();
        }
        // D L' y = z, backward.
        for i in (0..p).rev() {
            let d = self.ldl[i * p + i];
            if d == 0.0 {
                b[i] = 0.0;
            } else {
                let later: f64 = (i + 1..p).map(|j| b[j] * self.ldl[j * p + i]).sum();
                b[i] = b[i] / d - later;
            }
        }
    }

    /// The (generalised) inverse, with zero rows and columns for singular directions.
    pub fn inverse(&self) -> Vec<f64> {
        let p = self.p;
        let mut inv = vec![0.0; p * p];
        let mut col = vec![0.0; p];
        for k in 0..p {
            col.iter_mut().for_each(|c| *c = 0.0);
            col[k] = 1.0;
            self.solve(&mut col);
            for i in 0..p {
                inv[i * p + k] = col[i];
            }
        }
        for k in (0..p).filter(|&k| self.is_singular(k)) {
            for i in 0..p {
                inv[i * p + k] = 0.0;
                inv[k * p + i] = 0.0;
            }
        }
        inv
    }

    /// The quadratic form `b' M^- b` with the generalised inverse.
    pub fn quadratic_form(&self, b: &[f64]) -> f64 {
        let mut y = b.to_vec();
        self.solve(&mut y);
        y.iter().zip(b).map(|(y, b)| y * b).sum()
    }

    /// `ln det M = sum ln D_i`, for a matrix with no singular direction (`None` otherwise).
    pub fn log_det(&self) -> Option<f64> {
        let p = self.p;
        (0..p)
            .map(|i| self.ldl[i * p + i])
            .try_fold(0.0, |sum, d| (d > 0.0).then(|| sum + d.ln()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tolerance::{TOLER_CHOL, TOLER_WALD};

    #[test]
    fn solves_a_positive_definite_system() {
        // [[4, 2], [2, 3]] y = [2, 1]  =>  y = [0.5, 0]
        let c = Cholesky::new(&[4.0, 2.0, 2.0, 3.0], 2, TOLER_CHOL);
        let mut b = [2.0, 1.0];
        c.solve(&mut b);
        assert!((b[0] - 0.5).abs() < 1e-15 && b[1].abs() < 1e-15);
        let inv = c.inverse();
        // inverse = [[3, -2], [-2, 4]] / 8
        assert!((inv[0] - 0.375).abs() < 1e-15 && (inv[1] + 0.25).abs() < 1e-15);
        // det = 4 * 3 - 2 * 2 = 8
        assert!((c.log_det().unwrap() - 8f64.ln()).abs() < 1e-15);
        assert_eq!(c.rank(), 2);
    }

    #[test]
    fn collinear_direction_is_singular() {
        let c = Cholesky::new(&[1.0, 2.0, 2.0, 4.0], 2, TOLER_CHOL);
        assert!(!c.is_singular(0) && c.is_singular(1));
        assert_eq!(c.inverse()[3], 0.0);
        assert_eq!(c.log_det(), None);
        assert_eq!(c.rank(), 1);
    }

    /// A zero variance drops its direction instead of failing; a diagonal matrix's quadratic
    /// form is the sum of b_i^2 / M_ii: 2^2/2 + 2^2/4 = 3.
    #[test]
    fn singular_variance_gives_zero_not_a_panic() {
        assert_eq!(
            Cholesky::new(&[0.0], 1, TOLER_WALD).quadratic_form(&[1.0]),
            0.0
        );
        let c = Cholesky::new(&[2.0, 0.0, 0.0, 4.0], 2, TOLER_WALD);
        assert!((c.quadratic_form(&[2.0, 2.0]) - 3.0).abs() < 1e-12);
    }

    /// The rule does not depend on units: scaling a variable by 1e8 (grams for tonnes)
    /// changes neither which directions are kept nor the quadratic form of the rescaled
    /// vector. R's rule on the largest diagonal element would drop the small variable here
    /// without coxph's scaling.
    #[test]
    fn the_pivot_rule_is_free_of_units() {
        let m = [2.0, 0.5, 0.5, 1.0];
        let s = 1e8;
        let scaled = [2.0 * s * s, 0.5 * s, 0.5 * s, 1.0];
        let (a, b) = (
            Cholesky::new(&m, 2, TOLER_CHOL),
            Cholesky::new(&scaled, 2, TOLER_CHOL),
        );
        assert_eq!((a.rank(), b.rank()), (2, 2));
        let (qa, qb) = (a.quadratic_form(&[1.0, 1.0]), b.quadratic_form(&[s, 1.0]));
        assert!((qa - qb).abs() < 1e-12 * qa, "{qa} {qb}");
    }
}
