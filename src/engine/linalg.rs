//! The crate's two factorisations: LDL' of a small symmetric positive semi-definite matrix
//! (an information matrix, a covariance of scores), with singular directions dropped by one
//! pivot rule, for solves, generalised inverses, quadratic forms and log-determinants; and
//! [`Qr`], R's Householder QR of a tall design matrix (`dqrdc2`), for least squares as `lm`
//! and `glm` solve it.
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

// Householder QR with R's limited column pivoting (LINPACK `dqrdc2`, `dqrsl`), for least
// squares as `lm` and `glm` do them.
//
// R's `lm.fit` and `glm.fit` both call `dqrls`: `dqrdc2` factorises X = QR, moving a column
// to the end when the part of it not explained by the columns before it falls below `tol`
// times its original norm (a column that is a linear combination of earlier ones is
// "aliased", its coefficient NA); `dqrsl` then forms Q'y, the coefficients and the
// residuals. This is a translation of those routines (R 4.2, src/appl/dqrdc2.f and
// dqrsl.f), so the rank and the aliased columns are the ones R reports. Columns are stored
// contiguously (column-major); a moved column is moved in an index, not in memory. The
// tolerances are [`crate::engine::tolerance::LM_TOL`] and [`crate::engine::tolerance::GLM_TOL`].

/// A QR factorisation of an `n x p` matrix in `dqrdc2`'s compact form.
#[derive(Debug, Clone)]
pub struct Qr {
    n: usize,
    /// Column-major storage; position `j` of the factorisation is storage column `cols[j]`.
    /// R in the upper triangle, the Householder vectors below it.
    x: Vec<f64>,
    cols: Vec<usize>,
    /// The leading element of each Householder vector (`dqrdc2`'s `qraux`), by position.
    qraux: Vec<f64>,
    /// Original column index at each position (R's `pivot`, 0-based).
    pub pivot: Vec<usize>,
    /// Number of linearly independent columns; positions `0..rank` hold them.
    pub rank: usize,
}

/// Euclidean norm; LINPACK's `dnrm2` scales to avoid overflow, which a finite design
/// matrix of clinical data never needs, so a plain sum of squares keeps the loop fast.
fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

/// Sum of a_i b_i in four interleaved partial sums. One running sum (LINPACK's `ddot`) waits
/// on each addition, about four cycles a term; four independent ones overlap and vectorise,
/// so a million-row QR runs at the speed of memory (a 10^6 x 7 linear model's `Qr::new`,
/// by perf's samples: about 45 -> 20 ms CPU). Only the rounding differs from one running
/// sum, by a few units in the last place, far below the 1e-6 to which R is matched.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut lanes = [0.0; 4];
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            lanes[k] += x[k] * y[k];
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

impl Qr {
    /// Factorises the column-major `n x p` matrix `x` with pivoting tolerance `tol`.
    pub fn new(mut x: Vec<f64>, n: usize, p: usize, tol: f64) -> Qr {
        debug_assert_eq!(x.len(), n * p);
        let mut qraux: Vec<f64> = (0..p).map(|j| norm(&x[j * n..(j + 1) * n])).collect();
        // dqrdc2's work(, 2): the original norm (1 for a zero column). Its work(, 1) is only
        // written since the 1999 change, so it is left out.
        let mut work2: Vec<f64> = qraux
            .iter()
            .map(|&q| if q == 0.0 { 1.0 } else { q })
            .collect();
        let mut cols: Vec<usize> = (0..p).collect();
        let mut pivot: Vec<usize> = (0..p).collect();
        let lup = n.min(p);
        // `k` as in dqrdc2 (1-based): the columns at positions >= k - 1 have been moved to the end.
        let mut k = p + 1;
        for l in 0..lup {
            // Cycle negligible columns to the end (dqrdc2 label 80); `l + 1 < k` stops the cycle.
            while l + 1 < k && qraux[l] < work2[l] * tol {
                cols[l..].rotate_left(1);
                pivot[l..].rotate_left(1);
                qraux[l..].rotate_left(1);
                work2[l..].rotate_left(1);
                k -= 1;
            }
            if l + 1 == n {
                break;
            }
            // The Householder vector is copied out so the other columns can be updated in place.
            let cl = cols[l];
            let mut v = x[cl * n + l..(cl + 1) * n].to_vec();
            let mut nrmxl = norm(&v);
            if nrmxl == 0.0 {
                continue;
            }
            if v[0] != 0.0 {
                nrmxl = nrmxl.copysign(v[0]);
            }
            let scale = 1.0 / nrmxl;
            v.iter_mut().for_each(|e| *e *= scale);
            v[0] += 1.0;
            for j in l + 1..p {
                let c = &mut x[cols[j] * n + l..(cols[j] + 1) * n];
                let t = -dot(&v, c) / v[0];
                c.iter_mut().zip(&v).for_each(|(c, v)| *c += t * v);
                if qraux[j] != 0.0 {
                    let tt = (1.0 - (c[0].abs() / qraux[j]).powi(2)).max(0.0);
                    // Doug Bates' 1999 change: recompute the norm when it has lost most digits.
                    if tt.abs() < 1e-6 {
                        qraux[j] = norm(&c[1..]);
                    } else {
                        qraux[j] *= tt.sqrt();
                    }
                }
            }
            qraux[l] = v[0];
            v[0] = -nrmxl;
            x[cl * n + l..(cl + 1) * n].copy_from_slice(&v);
        }
        let rank = (k - 1).min(n);
        Qr {
            n,
            x,
            cols,
            qraux,
            pivot,
            rank,
        }
    }

    /// The matrix's storage, for the next factorisation of a matrix as large (an iteration's
    /// next weighted design), which then needs no new allocation.
    pub fn into_storage(self) -> Vec<f64> {
        self.x
    }

    fn column(&self, position: usize) -> &[f64] {
        let c = self.cols[position];
        &self.x[c * self.n..(c + 1) * self.n]
    }

    /// Applies Householder reflection `j` to `v` (dqrsl's loop body).
    fn reflect(&self, j: usize, v: &mut [f64]) {
        if self.qraux[j] == 0.0 {
            return;
        }
        let col = &self.column(j)[j..];
        let lead = self.qraux[j];
        let t = -(lead * v[j] + dot(&col[1..], &v[j + 1..])) / lead;
        v[j] += t * lead;
        v[j + 1..]
            .iter_mut()
            .zip(&col[1..])
            .for_each(|(v, c)| *v += t * c);
    }

    fn reflections(&self) -> usize {
        self.rank.min(self.n.saturating_sub(1))
    }

    /// Q'y (R's `effects`).
    pub fn qty(&self, y: &[f64]) -> Vec<f64> {
        let mut v = y.to_vec();
        for j in 0..self.reflections() {
            self.reflect(j, &mut v);
        }
        v
    }

    /// Qv (the inverse of [`Qr::qty`]).
    pub fn qy(&self, mut v: Vec<f64>) -> Vec<f64> {
        for j in (0..self.reflections()).rev() {
            self.reflect(j, &mut v);
        }
        v
    }

    /// R's diagonal and upper triangle: element (i, j) for i <= j < rank.
    pub fn r(&self, i: usize, j: usize) -> f64 {
        self.column(j)[i]
    }

    /// Solves R b = qty over the first `rank` positions (the coefficients in pivoted order).
    pub fn coefficients(&self, qty: &[f64]) -> Vec<f64> {
        let k = self.rank;
        let mut b = qty[..k].to_vec();
        for j in (0..k).rev() {
            b[j] /= self.r(j, j);
            let bj = b[j];
            let col = self.column(j);
            b[..j].iter_mut().zip(col).for_each(|(b, r)| *b -= bj * r);
        }
        b
    }

    /// Residuals y - X b from Q'y: Q applied to Q'y with its first `rank` entries zeroed.
    pub fn residuals(&self, qty: &[f64]) -> Vec<f64> {
        let mut v = qty.to_vec();
        v[..self.rank].iter_mut().for_each(|e| *e = 0.0);
        self.qy(v)
    }

    /// (R'R)^-1 over the first `rank` positions, row-major `rank x rank` (R's `chol2inv`).
    pub fn unscaled_covariance(&self) -> Vec<f64> {
        let k = self.rank;
        // R^-1, upper triangular, by back substitution column by column.
        let mut inv = vec![0.0; k * k];
        for j in 0..k {
            inv[j * k + j] = 1.0 / self.r(j, j);
            for i in (0..j).rev() {
                let s: f64 = (i + 1..=j).map(|m| self.r(i, m) * inv[m * k + j]).sum();
                inv[i * k + j] = -s / self.r(i, i);
            }
        }
        let mut cov = vec![0.0; k * k];
        for a in 0..k {
            for b in a..k {
                let s: f64 = (b..k).map(|m| inv[a * k + m] * inv[b * k + m]).sum();
                cov[a * k + b] = s;
                cov[b * k + a] = s;
            }
        }
        cov
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

    #[test]
    fn qr_solves_least_squares_and_gives_chol2inv() {
        // y = (1, 3, 2) on [1 x], x = (0, 1, 2): b = (3/2, 1/2), residuals (-1/2, 1, -1/2),
        // (X'X)^-1 = [[5, -3], [-3, 3]] / 6 (tests/regression_by_hand.rs derives them).
        let qr = Qr::new(vec![1.0, 1.0, 1.0, 0.0, 1.0, 2.0], 3, 2, 1e-7);
        assert_eq!((qr.rank, qr.pivot.clone()), (2, vec![0, 1]));
        let qty = qr.qty(&[1.0, 3.0, 2.0]);
        let b = qr.coefficients(&qty);
        assert!(
            (b[0] - 1.5).abs() < 1e-14 && (b[1] - 0.5).abs() < 1e-14,
            "{b:?}"
        );
        let r = qr.residuals(&qty);
        for (got, want) in r.iter().zip([-0.5, 1.0, -0.5]) {
            assert!((got - want).abs() < 1e-14, "{r:?}");
        }
        let cov = qr.unscaled_covariance();
        for (got, want) in cov.iter().zip([5.0 / 6.0, -0.5, -0.5, 0.5]) {
            assert!((got - want).abs() < 1e-14, "{cov:?}");
        }
    }

    #[test]
    fn qr_moves_an_aliased_column_to_the_end_as_dqrdc2() {
        // Columns 1, 2x and x: x is half the second column, so the third is aliased; it is
        // already last.
        let x = [0.0, 1.0, 2.0, 5.0];
        let mut m = vec![1.0; 4];
        m.extend(x.iter().map(|v| 2.0 * v));
        m.extend(x);
        let qr = Qr::new(m, 4, 3, 1e-7);
        assert_eq!(qr.rank, 2);
        assert_eq!(qr.pivot, vec![0, 1, 2]);
        // Now the collinear column first: the later copy is moved past the third column.
        let mut m = vec![1.0; 4];
        m.extend(x);
        m.extend(x.iter().map(|v| 2.0 * v));
        m.extend([3.0, 1.0, 4.0, 1.0]);
        let qr = Qr::new(m, 4, 4, 1e-7);
        assert_eq!(qr.rank, 3);
        assert_eq!(qr.pivot, vec![0, 1, 3, 2]);
    }
}
