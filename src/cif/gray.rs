//! Gray's k-sample test of equal cumulative incidence of one cause, as
//! `cmprsk::cuminc(..., group = g)$Tests` computes it (Robert Gray's Fortran `crstm`/`crst`,
//! cmprsk 2.2; Gray, Annals of Statistics 1988).

use super::Observation;
use crate::data::event::Cause;
use crate::engine::linalg::Cholesky;
use crate::engine::tolerance::TOLER_GRAY;

/// The statistic s' V^-1 s over the first k - 1 groups' scores; `None` where V is singular.
#[derive(Debug, Clone, PartialEq)]
pub struct GrayScores {
    pub scores: Vec<f64>,
    /// (k - 1) x (k - 1), row-major.
    pub variance: Vec<f64>,
}

impl GrayScores {
    pub fn chisq(&self) -> Option<f64> {
        let q = self.scores.len();
        let chol = Cholesky::new(&self.variance, q, TOLER_GRAY);
        if (0..q).any(|i| chol.is_singular(i)) {
            return None;
        }
        Some(chol.quadratic_form(&self.scores)).filter(|x| x.is_finite())
    }
}

/// Gray's scores and their variance over the observations in ascending order of time
/// (`group` in `0..k`); `rho` is the power of the weight (1 - F(t-))^rho.
///
/// At each distinct time u, with per-group numbers at risk n_g, left-continuous
/// Kaplan-Meier S_g(u-) (free of any event) and cumulative incidences F_g(u-), the
/// "risk set" of the subdistribution is R_g = n_g (1 - F_g(u-)) / S_g(u-); each group's score
/// adds (1 - F(u-))^rho (d1_g - d1 R_g / sum R), F the pooled estimate. The variance is
/// Gray's, kept in the same running sums (v, v2, v3, c) as `crst` keeps them.
pub fn gray_scores(sorted: &[Observation], k: usize, rho: f64) -> GrayScores {
    let mut st = State::new(k, sorted, rho);
    let mut d = vec![[0u64; 3]; k];
    let mut touched: Vec<usize> = Vec::new();
    for run in sorted.chunk_by(|a, b| a.time == b.time) {
        for o in run {
            let g = o.group as usize;
            if d[g] == [0, 0, 0] {
                touched.push(g);
            }
            d[g][match o.cause {
                Cause::Censored => 0,
                Cause::Event => 1,
                Cause::Competing => 2,
            }] += 1;
        }
        st.time(&d);
        for &g in &touched {
            st.at_risk[g] -= d[g].iter().sum::<u64>() as f64;
            d[g] = [0, 0, 0];
        }
        touched.clear();
    }
    st.finish()
}

/// `crst`'s running quantities; matrices row-major.
struct State {
    k: usize,
    rho: f64,
    at_risk: Vec<f64>,
    /// F_g(u-), F_g(u), S_g(u-), S_g(u) per group; the pooled F(u-).
    f_before: Vec<f64>,
    f_after: Vec<f64>,
    s_before: Vec<f64>,
    s_after: Vec<f64>,
    pooled_f: f64,
    /// k x k running sum c, and this time's a.
    c: Vec<f64>,
    a: Vec<f64>,
    /// Scores of the first k - 1 groups; variance pieces v ((k-1) x (k-1)), v2 ((k-1) x k), v3 (k).
    s: Vec<f64>,
    v: Vec<f64>,
    v2: Vec<f64>,
    v3: Vec<f64>,
    /// Scratch for one group's term u (k - 1).
    term: Vec<f64>,
}

impl State {
    fn new(k: usize, sorted: &[Observation], rho: f64) -> State {
        let mut at_risk = vec![0.0; k];
        for o in sorted {
            at_risk[o.group as usize] += 1.0;
        }
        let q = k.saturating_sub(1);
        State {
            k,
            rho,
            at_risk,
            f_before: vec![0.0; k],
            f_after: vec![0.0; k],
            s_before: vec![1.0; k],
            s_after: vec![1.0; k],
            pooled_f: 0.0,
            c: vec![0.0; k * k],
            a: vec![0.0; k * k],
            s: vec![0.0; q],
            v: vec![0.0; q * q],
            v2: vec![0.0; q * k],
            v3: vec![0.0; k],
            term: vec![0.0; q],
        }
    }

    /// One distinct time with `d[g] = [censored, events of interest, competing]`; the state
    /// moves past it (numbers at risk are decremented by the caller).
    fn time(&mut self, d: &[[u64; 3]]) {
        let k = self.k;
        let q = k - 1;
        let nd1: f64 = d.iter().map(|d| d[1] as f64).sum();
        let nd2: f64 = d.iter().map(|d| d[2] as f64).sum();
        if nd1 == 0.0 && nd2 == 0.0 {
            return;
        }
        let (mut tr, mut tq) = (0.0, 0.0);
        for (g, dg) in d.iter().enumerate() {
            let n = self.at_risk[g];
            if n <= 0.0 {
                continue;
            }
            let td = (dg[1] + dg[2]) as f64;
            self.s_after[g] = self.s_before[g] * (n - td) / n;
            self.f_after[g] = self.f_before[g] + self.s_before[g] * dg[1] as f64 / n;
            tr += n / self.s_before[g];
            tq += n * (1.0 - self.f_before[g]) / self.s_before[g];
        }
        let fm = self.pooled_f;
        let f = fm + nd1 / tr;
        let fb = (1.0 - fm).powf(self.rho);
        self.a.iter_mut().for_each(|a| *a = 0.0);
        for i in 0..k {
            if self.at_risk[i] <= 0.0 {
                continue;
            }
            let t1 = self.at_risk[i] / self.s_before[i];
            self.a[i * k + i] = fb * t1 * (1.0 - t1 / tr);
            for j in i + 1..k {
                if self.at_risk[j] > 0.0 {
                    let a = -fb * t1 * self.at_risk[j] / (self.s_before[j] * tr);
                    self.a[i * k + j] = a;
                    self.a[j * k + i] = a;
                }
            }
        }
        let dc = nd1 / (tr * (1.0 - fm));
        for i in 0..k {
            for j in i..k {
                let add = self.a[i * k + j] * dc;
                self.c[i * k + j] += add;
                if j != i {
                    self.c[j * k + i] = self.c[i * k + j];
                }
            }
        }
        for (i, di) in d.iter().enumerate().take(q) {
            let n = self.at_risk[i];
            if n > 0.0 {
                self.s[i] += fb
                    * (di[1] as f64 - nd1 * n * (1.0 - self.f_before[i]) / (self.s_before[i] * tq));
            }
        }
        if nd1 > 0.0 {
            for g in 0..k {
                let n = self.at_risk[g];
                if n <= 0.0 {
                    continue;
                }
                let t4 = if self.s_after[g] > 0.0 {
                    1.0 - (1.0 - f) / self.s_after[g]
                } else {
                    1.0
                };
                let t5 = if nd1 > 1.0 {
                    1.0 - (nd1 - 1.0) / (tr * self.s_before[g] - 1.0)
                } else {
                    1.0
                };
                let t3 = t5 * self.s_before[g] * nd1 / (tr * n);
                self.add_variance(g, t4, t3, true);
            }
        }
        if nd2 > 0.0 {
            for (g, dg) in d.iter().enumerate() {
                let d2 = dg[2] as f64;
                if self.s_after[g] <= 0.0 || d2 <= 0.0 {
                    continue;
                }
                let n = self.at_risk[g];
                let t4 = (1.0 - f) / self.s_after[g];
                let t5 = if d2 > 1.0 {
                    1.0 - (d2 - 1.0) / (n - 1.0)
                } else {
                    1.0
                };
                let t3 = t5 * self.s_before[g].powi(2) * d2 / (n * n);
                self.add_variance(g, t4, t3, false);
            }
        }
        self.pooled_f = f;
        self.f_before.copy_from_slice(&self.f_after);
        self.s_before.copy_from_slice(&self.s_after);
    }

    /// Group g's term at this time: `crst`'s loops 70/71 (events of interest, with this
    /// time's a) and 80/81 (competing events, without it: there v2 takes -(t4 c) t4 t3, the
    /// same as the term below with a = 0). With u = a_g - t4 c_g (a and c are symmetric, so
    /// their column g is their row g, read in order), v += t3 u u' over the first k - 1
    /// groups: O(k^2) per group and time, in rows the compiler vectorises.
    fn add_variance(&mut self, g: usize, t4: f64, t3: f64, interest: bool) {
        let k = self.k;
        let q = k - 1;
        self.v3[g] += t4 * t4 * t3;
        let (a, c) = (&self.a[g * k..g * k + q], &self.c[g * k..g * k + q]);
        for ((u, &a), &c) in self.term.iter_mut().zip(a).zip(c) {
            *u = if interest { a } else { 0.0 } - t4 * c;
        }
        for (i, &ui) in self.term.iter().enumerate() {
            self.v2[i * k + g] += ui * t4 * t3;
            let scale = ui * t3;
            for (v, &uj) in self.v[i * q..i * q + i + 1].iter_mut().zip(&self.term) {
                *v += scale * uj;
            }
        }
    }

    /// Adds the c v3 c' + c v2' + v2 c' terms and symmetrises.
    fn finish(mut self) -> GrayScores {
        let k = self.k;
        let q = k.saturating_sub(1);
        for i in 0..q {
            for j in 0..=i {
                let mut add = 0.0;
                for g in 0..k {
                    let (ci, cj) = (self.c[i * k + g], self.c[j * k + g]);
                    add += ci * cj * self.v3[g] + ci * self.v2[j * k + g] + cj * self.v2[i * k + g];
                }
                self.v[i * q + j] += add;
                self.v[j * q + i] = self.v[i * q + j];
            }
        }
        GrayScores {
            scores: self.s,
            variance: self.v,
        }
    }
}
