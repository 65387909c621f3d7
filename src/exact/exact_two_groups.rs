//! The exact permutation distribution of one group's score sum, two groups: a dynamic programme over distinct scores, split in two halves that meet in the middle.
//!
//! Why this algorithm. Choosing which m of n subjects form the group is choosing how many of
//! each distinct score value it takes, so the distribution of the sum is built one distinct
//! value at a time, as lists of (sum, weight) per number drawn so far (the generating
//! function prod_v sum_j C(k_v, j) x^(j a_v) y^j); subjects with tied times and the same
//! status share a score and cost one step, not one per subject. Sums that agree to rounding
//! (within [`PERMUTATION_MERGE`]) are one entry, so tied data stay small. For real-valued scores the
//! number of distinct sums still grows like 2^(values), so the values are split in two
//! halves whose lists are built separately and combined by a sorted two-pointer count of
//! the pairs in each tail (van de Wiel's split-up idea, which coin uses, written here from
//! its description: van de Wiel 2001, Computational Statistics 16, 519-538): 2^(n/2) work
//! instead of 2^n. When a half outgrows [`MAX_STATES`] entries (about a second of work,
//! e.g. 45 subjects with no tied times in two equal groups; far more with ties or unequal
//! groups) the caller falls back to Monte Carlo. No algorithm counts the distinct subset
//! sums of real scores in polynomial time (it is a counting subset-sum problem), so that
//! limit is there to stay; coin's split-up hits the same wall.
//!
//! Weights are binomial probabilities C(k, j) rho^j (1 - rho)^(k - j) with rho = m / n
//! rather than counts: their product over a composition with m drawn is the hypergeometric
//! count times the constant rho^m (1 - rho)^(n - m), so dividing a tail's weight by the
//! total weight gives the permutation probability, and no count overflows (C(200, 100) is
//! 9e58). Strata are independent permutations: each is summed out in turn (its list at
//! exactly its m drawn), and the split falls inside one of them.
//!
//! Two-sided P as coin's: P(S <= E - |s - E|) + P(S >= E + |s - E|), E the null mean of the
//! sum, sums within [`PERMUTATION_TIE`] times the statistic's scale of a bound counting as at it
//! (coin compares at sqrt(eps) in the lower tail and about 10 sd sqrt(eps) in the upper; the
//! difference matters only for distinct sums that close to the observed one).

use statrs::function::factorial::ln_binomial;

use crate::engine::order::ascending_key;
use crate::engine::tolerance::{PERMUTATION_MERGE, PERMUTATION_TIE};

use super::{Design, Null};

/// Entries the whole computation may write (both halves, summed over their steps) before
/// it gives way to Monte Carlo: 6e7 entries take about a second on one core of this
/// project's machine (n = 100 split 5 / 95 with no tied times writes about 4e7).
const MAX_WORK: f64 = 6e7;

/// Entries one half may hold at once (64 MiB), so that the page's memory stays modest.
const MAX_ENTRIES: f64 = (1u64 << 22) as f64;

/// (sum, weight) pairs.
type Dist = Vec<(f64, f64)>;

/// One stratum: its distinct values (with multiplicities), how many subjects the tested
/// group draws from it, and a constant added to every sum.
#[derive(Debug, Clone)]
struct Block {
    values: Vec<(f64, usize)>,
    draw: usize,
    /// draw / n: the weights' binomial probability.
    rho: f64,
    offset: f64,
}

impl Block {
    /// The stratum as the group `target` draws from it; when the group holds more than
    /// half the stratum, its complement is drawn instead: sum = total + sum of the negated
    /// scores of the complement.
    fn new(design: &Design, members: &[usize], target: usize) -> Block {
        let n = members.len();
        let m = members
            .iter()
            .filter(|&&i| design.group[i] == target)
            .count();
        let complement = 2 * m > n;
        let sign = if complement { -1.0 } else { 1.0 };
        let mut scores: Vec<f64> = members.iter().map(|&i| sign * design.score[i]).collect();
        scores.sort_unstable_by(f64::total_cmp);
        let values = scores
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len()))
            .collect();
        let draw = if complement { n - m } else { m };
        Block {
            values,
            draw,
            rho: draw as f64 / n as f64,
            offset: if complement {
                members.iter().map(|&i| design.score[i]).sum()
            } else {
                0.0
            },
        }
    }

    /// log2 of the number of ways to take values from `values[range]`: the work that half
    /// of the programme costs, at most.
    fn log_size(&self, range: std::ops::Range<usize>) -> f64 {
        self.values[range]
            .iter()
            .map(|&(_, k)| ((k.min(self.draw) + 1) as f64).log2())
            .sum()
    }
}

/// The exact two-sided P, or `None` when it would take more than [`MAX_STATES`] entries.
/// `design` has exactly two groups with subjects.
pub(super) fn p_value(design: &Design, null: &Null) -> Option<f64> {
    let target = (0..design.n_groups).find(|&g| design.group.contains(&g))?;
    let blocks: Vec<Block> = design
        .strata
        .iter()
        .map(|members| Block::new(design, members, target))
        .collect();
    let observed: f64 = design
        .group
        .iter()
        .zip(&design.score)
        .filter(|(&g, _)| g == target)
        .map(|(_, &a)| a)
        .sum();
    let mean = null.mean[target];
    let tol = PERMUTATION_TIE * null.variance[target].sqrt().max(1.0);
    let distance = (observed - mean).abs();
    if distance <= tol {
        return Some(1.0);
    }
    let (split_block, split_value) = split(&blocks);
    let (before, rest) = blocks.split_at(split_block);
    let (middle, after) = rest.split_first()?;
    let (head, tail) = middle.values.split_at(split_value);
    let (work_first, entries_first) = predict(before, head, middle);
    let (work_second, entries_second) = predict(after, tail, middle);
    if work_first + work_second > MAX_WORK || entries_first.max(entries_second) > MAX_ENTRIES {
        return None;
    }
    let (first, second) =
        crate::parallel::both(|| half(before, head, middle), || half(after, tail, middle));
    let (mut lower, mut upper, mut total) = (0.0, 0.0, 0.0);
    for (c, a) in first.iter().enumerate() {
        let Some(b) = middle.draw.checked_sub(c).and_then(|c| second.get(c)) else {
            continue;
        };
        let (low, high, all) = tails(
            a,
            b,
            mean - distance + tol - middle.offset,
            mean + distance - tol - middle.offset,
        );
        lower += low;
        upper += high;
        total += all;
    }
    Some(((lower + upper) / total).min(1.0))
}

/// One half: the whole strata `blocks` summed out, then `values` of the split stratum
/// `middle` drawn, as sorted distributions by number drawn from `values`.
fn half(blocks: &[Block], values: &[(f64, usize)], middle: &Block) -> Vec<Dist> {
    let mut base = vec![(0.0, 1.0)];
    for block in blocks {
        base = sum_out(&base, block);
    }
    layers(&base, values, middle)
        .into_iter()
        .map(sorted)
        .collect()
}

/// Upper bounds (one entry per way of drawing) on the entries a half writes in all and holds
/// at the end.
fn predict(blocks: &[Block], values: &[(f64, usize)], middle: &Block) -> (f64, f64) {
    let mut work = 0.0;
    let mut base = 1.0;
    for block in blocks {
        let (w, counts) = compositions(base, &block.values, block.draw);
        work += w;
        base = counts.get(block.draw).copied().unwrap_or(0.0);
    }
    let (w, counts) = compositions(base, values, middle.draw);
    (work + w, counts.iter().sum())
}

/// How many ways there are to draw c subjects from `values` (c up to `draw`), times `base`,
/// and those numbers summed over the steps of the programme (its work).
fn compositions(base: f64, values: &[(f64, usize)], draw: usize) -> (f64, Vec<f64>) {
    let mut counts = vec![base];
    let mut work = 0.0;
    for &(_, k) in values {
        let top = (counts.len() - 1 + k).min(draw);
        counts = (0..=top)
            .map(|c| {
                (c.saturating_sub(k)..=c)
                    .filter_map(|i| counts.get(i))
                    .sum()
            })
            .collect();
        work += counts.iter().sum::<f64>();
    }
    (work, counts)
}

/// Where to cut the values in two halves of about equal work: a block, and a value index in
/// it (the values before it go to the first half).
fn split(blocks: &[Block]) -> (usize, usize) {
    let sizes: Vec<f64> = blocks
        .iter()
        .map(|b| b.log_size(0..b.values.len()))
        .collect();
    let half = sizes.iter().sum::<f64>() / 2.0;
    let mut done = 0.0;
    for (i, block) in blocks.iter().enumerate() {
        if done + sizes[i] >= half || i + 1 == blocks.len() {
            let cut = (0..=block.values.len())
                .find(|&v| done + block.log_size(0..v) >= half)
                .unwrap_or(block.values.len());
            return (i, cut);
        }
        done += sizes[i];
    }
    (0, 0)
}

/// The distribution of `base` plus one whole stratum's sum (its layer at exactly `draw`
/// drawn), sorted, as probabilities.
fn sum_out(base: &[(f64, f64)], block: &Block) -> Dist {
    let mut layer = sorted(
        layers(base, &block.values, block)
            .into_iter()
            .nth(block.draw)
            .unwrap_or_default(),
    );
    let total: f64 = layer.iter().map(|&(_, w)| w).sum();
    for entry in &mut layer {
        *entry = (entry.0 + block.offset, entry.1 / total);
    }
    layer
}

/// `base` plus the sum of what is drawn from `values` (a part of `block`), by number drawn:
/// entry c of the result lists one (sum, weight) per way of drawing c subjects from
/// `values`, unsorted. Appending is cheaper than merging sorted lists at every step; the
/// one sort at the end ([`sorted`]) pools the equal sums.
fn layers(base: &[(f64, f64)], values: &[(f64, usize)], block: &Block) -> Vec<Dist> {
    let mut layers = vec![base.to_vec()];
    for &(value, k) in values {
        let top = (layers.len() - 1 + k).min(block.draw);
        let weights = binomial_weights(k, block.rho);
        layers = (0..=top)
            .map(|c| {
                let mut out = Vec::new();
                for (j, &w) in weights.iter().enumerate().take(c + 1) {
                    if let (Some(from), true) = (layers.get(c - j), w > 0.0) {
                        let shift = j as f64 * value;
                        out.extend(from.iter().map(|&(s, v)| (s + shift, v * w)));
                    }
                }
                out
            })
            .collect();
    }
    layers
}

/// The list in ascending order of sum (a radix sort), sums within [`PERMUTATION_MERGE`] of the last
/// kept one pooled into it.
fn sorted(list: Dist) -> Dist {
    let mut out: Dist = Vec::with_capacity(list.len());
    for (s, w) in crate::engine::order::radix_sort(list, |&(s, _)| ascending_key(s)) {
        match out.last_mut() {
            Some(last) if s - last.0 <= PERMUTATION_MERGE => last.1 += w,
            _ => out.push((s, w)),
        }
    }
    out
}

/// C(k, j) rho^j (1 - rho)^(k - j) for j = 0..=k.
fn binomial_weights(k: usize, rho: f64) -> Vec<f64> {
    if rho <= 0.0 {
        return std::iter::once(1.0)
            .chain(std::iter::repeat_n(0.0, k))
            .collect();
    }
    (0..=k)
        .map(|j| {
            let ln = ln_binomial(k as u64, j as u64)
                + j as f64 * rho.ln()
                + (k - j) as f64 * (-rho).ln_1p();
            ln.exp()
        })
        .collect()
}

/// Weights of the pairs (x in `a`, y in `b`) with x + y <= `low`, with x + y >= `high`, and
/// of all pairs: two pointers over the ascending lists.
fn tails(a: &[(f64, f64)], b: &[(f64, f64)], low: f64, high: f64) -> (f64, f64, f64) {
    let mut prefix = Vec::with_capacity(b.len() + 1);
    prefix.push(0.0);
    for &(_, w) in b {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + w);
    }
    let b_total = prefix[b.len()];
    let (mut lower, mut upper, mut total) = (0.0, 0.0, 0.0);
    // b[..below] holds the y with x + y <= low; b[above..] the y with x + y >= high. Both
    // boundaries only move down as x grows.
    let mut below = b.len();
    let mut above = b.len();
    for &(x, w) in a {
        while below > 0 && x + b[below - 1].0 > low {
            below -= 1;
        }
        while above > 0 && x + b[above - 1].0 >= high {
            above -= 1;
        }
        lower += w * prefix[below];
        upper += w * (b_total - prefix[above]);
        total += w * b_total;
    }
    (lower, upper, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_pools_sums_that_agree_to_rounding() {
        let list = vec![(1.0, 1.0), (0.1 + 0.2, 2.0), (0.3, 1.0), (0.0, 1.0)];
        // 0.3 < 0.1 + 0.2 = 0.30000000000000004: the smaller one stands for both.
        assert_eq!(sorted(list.clone()), [(0.0, 1.0), (0.3, 3.0), (1.0, 1.0)]);
        let long: Dist = list.into_iter().cycle().take(5000).collect();
        assert_eq!(sorted(long), [(0.0, 1250.0), (0.3, 3750.0), (1.0, 1250.0)]);
    }

    #[test]
    fn compositions_count_the_ways_to_draw() {
        // Values with multiplicities 2 and 1, up to 2 drawn: (1, 2, 2) ways for c = 0, 1, 2.
        let (work, counts) = compositions(1.0, &[(0.5, 2), (1.5, 1)], 2);
        assert_eq!(counts, [1.0, 2.0, 2.0]);
        assert_eq!(work, 3.0 + 5.0);
    }

    #[test]
    fn tails_count_pairs_at_the_bounds() {
        let a = [(0.0, 1.0), (1.0, 1.0)];
        let b = [(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)];
        // Pair sums: 0 1 2 / 1 2 3. <= 1: three pairs; >= 3: one pair.
        assert_eq!(tails(&a, &b, 1.0, 3.0), (3.0, 1.0, 6.0));
    }

    #[test]
    fn binomial_weights_sum_to_one() {
        let w = binomial_weights(7, 0.3);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        assert_eq!(binomial_weights(3, 0.0), [1.0, 0.0, 0.0, 0.0]);
    }
}
