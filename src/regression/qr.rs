//! Householder QR with R's limited column pivoting (LINPACK `dqrdc2`, `dqrsl`), for least squares as `lm` and `glm` do them.
//!
//! R's `lm.fit` and `glm.fit` both call `dqrls`: `dqrdc2` factorises X = QR, moving a column
//! to the end when the part of it not explained by the columns before it falls below `tol`
//! times its original norm (a column that is a linear combination of earlier ones is
//! "aliased", its coefficient NA); `dqrsl` then forms Q'y, the coefficients and the
//! residuals. This is a translation of those routines (R 4.2, src/appl/dqrdc2.f and
//! dqrsl.f), so the rank and the aliased columns are the ones R reports. Columns are stored
//! contiguously (column-major); a moved column is moved in an index, not in memory.

/// `lm`'s tolerance for a column to count as linearly independent (`lm.fit(tol = 1e-7)`).
pub const LM_TOL: f64 = 1e-7;

/// `glm.fit`'s tolerance: `min(1e-7, control$epsilon / 1000)` with the default epsilon 1e-8.
pub const GLM_TOL: f64 = 1e-11;

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
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
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
