//! Fisher's exact test for any r x c table: a network algorithm (Mehta and Patel) with exact
//! path bounds, and a Monte-Carlo P with a fixed seed when the exact sum is too large.
//!
//! The two-sided P is R's `fisher.test`: the total probability of the tables with the same
//! margins that are no more probable than the observed one, with R's relative tolerance.

use std::collections::HashMap;

use super::contingency::check_shape;
use super::{TestName, TestResult, Untestable};
use crate::engine::tolerance::{FISHER_2X2, FISHER_LOG_RXC};

/// Monte-Carlo draws when the exact sum is too large: as many as fit in about 2e8 label
/// moves (each draw shuffles the n observations), between R's default 2000 and 20 000.
pub fn monte_carlo_draws(n: usize) -> usize {
    (200_000_000 / n.max(1)).clamp(2_000, 20_000)
}
/// Seed of the Monte-Carlo generator, fixed so that the same table always gives the same P.
pub const MONTE_CARLO_SEED: u64 = 20_240_601;
/// Network edges visited before the exact sum gives way to Monte Carlo (about a second).
const EXACT_BUDGET: u64 = 20_000_000;

/// Two-sided Fisher exact test; `statistic` is null (the test has none).
pub fn fisher_exact(table: &[Vec<u64>]) -> Result<TestResult, Untestable> {
    check_shape(table)?;
    let (rows, cols) = (table.len(), table[0].len());
    let row_totals: Vec<u32> = table.iter().map(|r| total(r)).collect::<Result<_, _>>()?;
    let col_totals: Vec<u32> = (0..cols)
        .map(|j| total(&table.iter().map(|r| r[j]).collect::<Vec<_>>()))
        .collect::<Result<_, _>>()?;
    let n = row_totals.iter().map(|&r| r as usize).sum::<usize>();
    let lf = ln_factorials(n);
    let observed: f64 = -table.iter().flatten().map(|&x| lf[x as usize]).sum::<f64>();
    let tolerance = if rows == 2 && cols == 2 {
        (1.0 + FISHER_2X2).ln()
    } else {
        FISHER_LOG_RXC
    };
    // Stages run along the longer side so that each node's key (the shorter side) stays short.
    let (mut lines, keys) = if rows >= cols {
        (row_totals, col_totals)
    } else {
        (col_totals, row_totals)
    };
    lines.sort_unstable_by(|a, b| b.cmp(a));
    let mut network = Network {
        lines,
        lf: &lf,
        bounds: HashMap::new(),
        work: 0,
    };
    match network.p_value(keys.clone(), observed + tolerance) {
        Some(p) => Ok(TestResult {
            test: TestName::FisherExact,
            statistic: None,
            df: Vec::new(),
            p: Some(p.min(1.0)),
            method: "Fisher's exact test".into(),
        }),
        None => {
            let lines_again: Vec<u32> = network.lines.clone();
            let draws = monte_carlo_draws(n);
            let p = monte_carlo(&lines_again, &keys, observed, &lf, draws);
            Ok(TestResult {
                test: TestName::FisherExact,
                statistic: None,
                df: Vec::new(),
                p: Some(p),
                method: format!(
                    "Fisher's exact test, Monte-Carlo P ({draws} draws, seed {MONTE_CARLO_SEED}): the table is too large for the exact sum"
                ),
            })
        }
    }
}

fn total(cells: &[u64]) -> Result<u32, Untestable> {
    u32::try_from(cells.iter().sum::<u64>())
        .map_err(|_| "Fisher's exact test: the table has too many observations".to_string())
}

/// ln(k!) for k = 0..=n, summed so that every entry carries only rounding of additions.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut lf = Vec::with_capacity(n + 1);
    let mut acc = 0.0;
    lf.push(0.0);
    for k in 1..=n {
        acc += (k as f64).ln();
        lf.push(acc);
    }
    lf
}

/// The network of partial tables: stage s has filled lines 0..s; a node is the multiset of
/// remaining key totals (sorted, since the remaining problem is symmetric in them).
struct Network<'a> {
    lines: Vec<u32>,
    lf: &'a [f64],
    /// Largest and smallest remaining path weight from each node, where a table's weight is
    /// -sum ln(x!) over its cells (its probability up to a constant).
    bounds: HashMap<(usize, Vec<u32>), (f64, f64)>,
    work: u64,
}

/// A child node and the weight of the edge that leads to it.
type Edge = (Vec<u32>, f64);

impl Network<'_> {
    /// Sum of the probabilities of the tables whose weight is at most `threshold`; `None` when
    /// the work exceeds the budget.
    ///
    /// Each node holds the weights of the partial tables ("pasts") that reach it, sorted. For
    /// each edge to a child, the pasts whose every completion is at most the threshold are
    /// summed at once from prefix sums (their completions total a closed form), those with
    /// none are dropped, and only the rest travel on to the child.
    fn p_value(&mut self, mut keys: Vec<u32>, threshold: f64) -> Option<f64> {
        keys.sort_unstable();
        let n: u32 = keys.iter().sum();
        let ln_const = self.lines.iter().map(|&l| self.lf[l as usize]).sum::<f64>()
            + keys.iter().map(|&k| self.lf[k as usize]).sum::<f64>()
            - self.lf[n as usize];
        let mut level: HashMap<Vec<u32>, Vec<(f64, f64)>> = HashMap::new();
        level.insert(keys, vec![(0.0, 1.0)]);
        let mut p = 0.0;
        for stage in 0..self.lines.len() {
            let mut next: HashMap<Vec<u32>, Vec<(f64, f64)>> = HashMap::new();
            for (key, mut pasts) in level {
                let pasts = merge_pasts(&mut pasts);
                let top = pasts.last().map_or(0.0, |&(v, _)| v);
                let mut prefix = Vec::with_capacity(pasts.len() + 1);
                prefix.push(0.0);
                for &(v, m) in &pasts {
                    prefix.push(prefix[prefix.len() - 1] + m * (v - top).exp());
                }
                for (child, w) in self.edges(&key, self.lines[stage])? {
                    let (longest, shortest) = self.bounds(stage + 1, &child)?;
                    let all_in = pasts.partition_point(|&(v, _)| v + w + longest <= threshold);
                    if all_in > 0 {
                        let ln_total = self.ln_completions(stage + 1, &child);
                        p += prefix[all_in] * (ln_const + top + w + ln_total).exp();
                    }
                    let some_in = pasts.partition_point(|&(v, _)| v + w + shortest <= threshold);
                    if some_in > all_in {
                        let slot = next.entry(child).or_default();
                        slot.extend(pasts[all_in..some_in].iter().map(|&(v, m)| (v + w, m)));
                        self.work += (some_in - all_in) as u64;
                    }
                }
                if self.work > EXACT_BUDGET {
                    return None;
                }
            }
            level = next;
        }
        Some(p)
    }

    /// ln of the sum over all completions of prod 1/x!: N'! / (prod lines! prod keys!).
    fn ln_completions(&self, stage: usize, key: &[u32]) -> f64 {
        let n: u32 = key.iter().sum();
        self.lf[n as usize]
            - self.lines[stage..]
                .iter()
                .map(|&l| self.lf[l as usize])
                .sum::<f64>()
            - key.iter().map(|&k| self.lf[k as usize]).sum::<f64>()
    }

    fn bounds(&mut self, stage: usize, key: &[u32]) -> Option<(f64, f64)> {
        if stage == self.lines.len() {
            return Some((0.0, 0.0));
        }
        if let Some(&b) = self.bounds.get(&(stage, key.to_vec())) {
            return Some(b);
        }
        if key.len() > 2 {
            // Relaxed bounds cost about four units (a logarithm and an exponential) per cell.
            self.work += 4 * ((self.lines.len() - stage) * key.len()) as u64;
            let b = self.relaxed_bounds(stage, key);
            self.bounds.insert((stage, key.to_vec()), b);
            return Some(b);
        }
        let mut result = (f64::NEG_INFINITY, f64::INFINITY);
        for (child, w) in self.edges(key, self.lines[stage])? {
            let (hi, lo) = self.bounds(stage + 1, &child)?;
            result = (result.0.max(w + hi), result.1.min(w + lo));
        }
        self.bounds.insert((stage, key.to_vec()), result);
        Some(result)
    }

    /// Bounds on the remaining weight from relaxations, for keys of 3 or more, where the exact
    /// bounds would need the whole network. The largest weight is at most the smallest of
    /// three upper bounds: lines filled independently (ignoring key totals), keys filled
    /// independently, and a Lagrangian dual with multipliers ln(r_i) + ln(c_j / n). The smallest
    /// weight is at least the larger of the two independent fillings' minima.
    fn relaxed_bounds(&self, stage: usize, key: &[u32]) -> (f64, f64) {
        let lines = &self.lines[stage..];
        let by_lines = |sums: &[u32], caps: &[u32], spread: bool| -> f64 {
            sums.iter()
                .map(|&s| self.fill_weight(s, caps, spread))
                .sum()
        };
        let upper = by_lines(lines, key, true)
            .min(by_lines(key, lines, true))
            .min(self.lagrangian(lines, key));
        let lower = by_lines(lines, key, false).max(by_lines(key, lines, false));
        (upper, lower)
    }

    /// Weight -sum ln(y!) of the most even (`spread`) or most concentrated way to split `total`
    /// into cells capped by `caps`; these are the largest and smallest weights of one line.
    fn fill_weight(&self, total: u32, caps: &[u32], spread: bool) -> f64 {
        let mut caps: Vec<u32> = caps.to_vec();
        let mut left = total;
        let mut weight = 0.0;
        if spread {
            caps.sort_unstable();
            for (i, &cap) in caps.iter().enumerate() {
                let m = (caps.len() - i) as u32;
                if cap <= left / m {
                    weight -= self.lf[cap as usize];
                    left -= cap;
                } else {
                    let (q, extra) = (left / m, left % m);
                    weight -= f64::from(extra) * self.lf[q as usize + 1]
                        + f64::from(m - extra) * self.lf[q as usize];
                    break;
                }
            }
        } else {
            caps.sort_unstable_by(|a, b| b.cmp(a));
            for &cap in &caps {
                let y = cap.min(left);
                weight -= self.lf[y as usize];
                left -= y;
            }
        }
        weight
    }

    /// Lagrangian upper bound on the largest weight: for any multipliers a_ij = u_i + v_j,
    /// sum_ij max_x (a_ij x - ln x!) - sum u_i r_i - sum v_j c_j is at least the maximum.
    fn lagrangian(&self, lines: &[u32], key: &[u32]) -> f64 {
        let n: u32 = key.iter().sum();
        if n == 0 {
            return 0.0;
        }
        let ln_n = f64::from(n).ln();
        let mut bound = 0.0;
        for &r in lines.iter().filter(|&&r| r > 0) {
            let u = f64::from(r).ln();
            bound -= u * f64::from(r);
            for &c in key.iter().filter(|&&c| c > 0) {
                let a = u + f64::from(c).ln() - ln_n;
                let cap = r.min(c);
                // a x - ln x! rises while ln x < a, so its integer maximum is at floor(e^a).
                let x = a.exp().floor().clamp(0.0, f64::from(cap)) as usize;
                bound += a * x as f64 - self.lf[x];
            }
        }
        for &c in key.iter().filter(|&&c| c > 0) {
            bound -= (f64::from(c).ln() - ln_n) * f64::from(c);
        }
        bound
    }

    /// Every way to fill the next line (total `line`) within the remaining key totals.
    fn edges(&mut self, key: &[u32], line: u32) -> Option<Vec<Edge>> {
        let mut out = Vec::new();
        let mut y = vec![0u32; key.len()];
        let capacity_after: Vec<u32> = (0..key.len()).map(|j| key[j + 1..].iter().sum()).collect();
        self.fill(key, &capacity_after, 0, line, &mut y, &mut out);
        self.work += out.len() as u64;
        (self.work < EXACT_BUDGET).then_some(out)
    }

    fn fill(
        &self,
        key: &[u32],
        capacity_after: &[u32],
        j: usize,
        left: u32,
        y: &mut [u32],
        out: &mut Vec<Edge>,
    ) {
        // Past the budget the answer will be Monte Carlo: stop listing (a line split into many
        // keys can have millions of ways).
        if self.work + out.len() as u64 > EXACT_BUDGET {
            return;
        }
        if j == key.len() {
            let mut child: Vec<u32> = key.iter().zip(y.iter()).map(|(k, v)| k - v).collect();
            child.sort_unstable();
            let w = -y.iter().map(|&v| self.lf[v as usize]).sum::<f64>();
            out.push((child, w));
            return;
        }
        let low = left.saturating_sub(capacity_after[j]);
        for v in low..=left.min(key[j]) {
            y[j] = v;
            self.fill(key, capacity_after, j + 1, left - v, y, out);
        }
    }
}

/// Sorts pasts by weight and adds up the multiplicities of equal weights (equal to 1e-12
/// relative, far below the test's tolerance), which keeps symmetric paths from multiplying.
fn merge_pasts(pasts: &mut [(f64, f64)]) -> Vec<(f64, f64)> {
    pasts.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(pasts.len());
    for &(v, m) in pasts.iter() {
        match merged.last_mut() {
            Some(last) if (v - last.0).abs() <= 1e-12 * v.abs().max(1.0) => last.1 += m,
            _ => merged.push((v, m)),
        }
    }
    merged
}

/// R's simulated P: `(1 + #{draws with weight <= observed}) / (B + 1)`, tables drawn with the
/// observed margins by shuffling the column labels of the n observations.
fn monte_carlo(lines: &[u32], keys: &[u32], observed: f64, lf: &[f64], draws: usize) -> f64 {
    let mut labels: Vec<usize> = keys
        .iter()
        .enumerate()
        .flat_map(|(j, &k)| std::iter::repeat_n(j, k as usize))
        .collect();
    let mut rng = SplitMix64(MONTE_CARLO_SEED);
    // R compares with STATISTIC / (1 + 64 eps) to count ties despite rounding.
    let limit = observed / (1.0 + 64.0 * f64::EPSILON);
    let mut counts = vec![0u32; keys.len()];
    let mut hits = 0usize;
    for _ in 0..draws {
        rng.shuffle(&mut labels);
        let mut start = 0;
        let mut weight = 0.0;
        for &line in lines {
            counts.iter_mut().for_each(|c| *c = 0);
            for &l in &labels[start..start + line as usize] {
                counts[l] += 1;
            }
            weight -= counts.iter().map(|&c| lf[c as usize]).sum::<f64>();
            start += line as usize;
        }
        if weight <= limit {
            hits += 1;
        }
    }
    (1 + hits) as f64 / (draws + 1) as f64
}

/// Steele, Lea and Flood's SplitMix64: small, fast, and the same on every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in 0..n by Lemire's multiply-shift (bias below 2^-40 for n < 2^24).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Fisher-Yates shuffle.
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tea tasting (Fisher 1935): [[3, 1], [1, 3]]; tables with first cell 0..4 have
    // probabilities 1, 16, 36, 16, 1 over 70; P = (1 + 16 + 16 + 1) / 70 = 34/70.
    #[test]
    fn tea_tasting_by_hand() {
        let r = fisher_exact(&[vec![3, 1], vec![1, 3]]).unwrap();
        assert!((r.p.unwrap() - 34.0 / 70.0).abs() < 1e-12);
    }

    #[test]
    fn transposed_table_gives_the_same_p() {
        let t = vec![vec![2, 0, 5], vec![1, 4, 0], vec![0, 3, 1]];
        let tt: Vec<Vec<u64>> = (0..3).map(|j| t.iter().map(|r| r[j]).collect()).collect();
        let (a, b) = (fisher_exact(&t).unwrap(), fisher_exact(&tt).unwrap());
        assert!((a.p.unwrap() - b.p.unwrap()).abs() < 1e-12);
    }
}
