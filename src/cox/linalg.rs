//! Symmetric positive semi-definite solves for small information matrices, as R's cholesky2.
//!
//! A pivot below `toler` times the largest diagonal element marks that direction as
//! singular: its step and its variance are zero, as `coxph` does for collinear terms.

/// R's `coxph.control()$toler.chol`, `.Machine$double.eps^0.75`.
pub const TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

/// An LDL' factorisation of a symmetric `p x p` matrix (row-major), with singular pivots zeroed.
#[derive(Debug, Clone)]
pub struct Cholesky {
    p: usize,
    /// Unit lower triangle below the diagonal, D on the diagonal.
    ldl: Vec<f64>,
}

impl Cholesky {
    /// Factorises `matrix` (only its lower triangle is read).
    pub fn new(matrix: &[f64], p: usize, toler: f64) -> Cholesky {
        let mut m = matrix.to_vec();
        let largest = (0..p)
            .map(|i| m[i * p + i])
            .filter(|d| d.is_finite())
            .fold(0.0_f64, f64::max);
        let eps = largest * toler;
        for i in 0..p {
            let pivot = m[i * p + i];
            if !(pivot.is_finite() && pivot > eps) {
                m[i * p + i] = 0.0;
                continue;
            }
            for j in i + 1..p {
                let temp = m[j * p + i] / pivot;
                m[j * p + i] = temp;
                m[j * p + j] -= temp * temp * pivot;
                for k in j + 1..p {
                    m[k * p + j] -= temp * m[k * p + i];
                }
            }
        }
        Cholesky { p, ldl: m }
    }

    /// Whether direction `i` had a zero (singular) pivot.
    pub fn is_singular(&self, i: usize) -> bool {
        self.ldl[i * self.p + i] == 0.0
    }

    /// Solves `M y = b` in place; singular directions get zero.
    pub fn solve(&self, b: &mut [f64]) {
        let p = self.p;
        for i in 0..p {
            let row = &self.ldl[i * p..i * p + i];
            b[i] -= row.iter().zip(&b[..i]).map(|(l, y)| l * y).sum::<f64>();
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn collinear_direction_is_singular() {
        let c = Cholesky::new(&[1.0, 2.0, 2.0, 4.0], 2, TOLER_CHOL);
        assert!(!c.is_singular(0) && c.is_singular(1));
        assert_eq!(c.inverse()[3], 0.0);
    }
}
