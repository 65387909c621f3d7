//! Harrell's concordance of a risk score with survival, counted as R's `concordance()` does.
//!
//! A pair is comparable when the shorter time is an event, within a stratum; a censored time
//! equal to an event time counts as the longer one, two events at the same time are tied on
//! time and left out. Ties in the risk score count one half. A higher risk score with the
//! shorter time is concordant (R's `reverse = TRUE` for a Cox model's linear predictor).

use crate::engine::order::{ascending_key, dense_ranks};
use serde::Serialize;

/// Pair counts behind the concordance, as `concordance()$count`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ConcordanceCounts {
    pub concordant: f64,
    pub discordant: f64,
    pub tied_x: f64,
    pub tied_y: f64,
    pub tied_xy: f64,
}

impl ConcordanceCounts {
    /// (concordant + tied_x / 2) / (concordant + discordant + tied_x); `None` without pairs.
    pub fn concordance(&self) -> Option<f64> {
        let pairs = self.concordant + self.discordant + self.tied_x;
        (pairs > 0.0).then(|| (self.concordant + self.tied_x / 2.0) / pairs)
    }
}

/// Counts pairs in O(n log n) with a Fenwick tree over the ranks of the risk score.
///
/// `time`, `event` and `score` are per observation; `stratum` gives each one's stratum.
pub fn count_pairs(
    time: &[f64],
    event: &[bool],
    score: &[f64],
    stratum: &[usize],
) -> ConcordanceCounts {
    let n = time.len();
    // Adding zero turns -0 into +0, so equal scores have equal keys.
    let keys: Vec<u64> = score.iter().map(|&x| ascending_key(x + 0.0)).collect();
    let (rank, distinct) = dense_ranks(&keys);
    let by_stratum_then_time_down = |a: usize, b: usize| {
        stratum[a]
            .cmp(&stratum[b])
            .then(time[b].total_cmp(&time[a]))
    };
    let mut order: Vec<usize> = (0..n).collect();
    // A Cox fit hands its rows over already in this order.
    if !(1..n).all(|k| by_stratum_then_time_down(k - 1, k).is_le()) {
        order.sort_by(|&a, &b| by_stratum_then_time_down(a, b));
    }
    let mut tree = Fenwick::new(distinct);
    let mut counts = ConcordanceCounts::default();
    let mut i = 0;
    while i < n {
        let s = stratum[order[i]];
        let block_start = i;
        while i < n && stratum[order[i]] == s {
            i += 1;
        }
        count_stratum(
            &order[block_start..i],
            time,
            event,
            &rank,
            &mut tree,
            &mut counts,
        );
        if i < n {
            for &k in &order[block_start..i] {
                tree.remove(rank[k]);
            }
        }
    }
    counts
}

/// One stratum, its rows sorted by time from largest to smallest.
fn count_stratum(
    rows: &[usize],
    time: &[f64],
    event: &[bool],
    rank: &[usize],
    tree: &mut Fenwick,
    counts: &mut ConcordanceCounts,
) {
    let mut i = 0;
    while i < rows.len() {
        let t = time[rows[i]];
        let mut j = i;
        while j < rows.len() && time[rows[j]] == t {
            j += 1;
        }
        let tied = &rows[i..j];
        // Censored at t are at risk beyond the deaths at t.
        for &k in tied.iter().filter(|&&k| !event[k]) {
            tree.insert(rank[k]);
        }
        let deaths: Vec<(usize, f64)> = tied
            .iter()
            .filter(|&&k| event[k])
            .map(|&k| {
                let below = tree.prefix(rank[k]);
                let at = tree.at(rank[k]);
                let total = tree.total();
                counts.concordant += below;
                counts.tied_x += at;
                counts.discordant += total - below - at;
                (k, at)
            })
            .collect();
        // Inserted one by one, each death finds at its rank the subjects counted when it was
        // queried plus the deaths at this time with its score inserted before it.
        let mut tied_xy = 0.0;
        for &(k, at_query) in &deaths {
            tied_xy += tree.at(rank[k]) - at_query;
            tree.insert(rank[k]);
        }
        let pairs = |c: usize| (c * c.saturating_sub(1) / 2) as f64;
        counts.tied_xy += tied_xy;
        counts.tied_y += pairs(deaths.len()) - tied_xy;
        i = j;
    }
}

/// Counts per rank, and a Fenwick tree over buckets of [`BUCKET`] consecutive ranks for sums
/// over ranks below.
///
/// A tree over every rank of a million scores spans megabytes, and each query walks twenty
/// of its nodes, most of them cache misses. The tree over buckets is sixteen times smaller
/// and stays in cache; the ranks below within a query's own bucket are one short scan of
/// contiguous counts. Counts are u32, the total u64.
struct Fenwick {
    tree: Vec<u32>,
    at: Vec<u32>,
    total: u64,
}

/// Ranks per bucket: sixteen u32 counts are one 64-byte cache line.
const BUCKET: usize = 16;

impl Fenwick {
    fn new(n: usize) -> Fenwick {
        Fenwick {
            tree: vec![0; n.div_ceil(BUCKET) + 1],
            at: vec![0; n],
            total: 0,
        }
    }

    fn insert(&mut self, index: usize) {
        self.at[index] += 1;
        self.total += 1;
        let mut i = index / BUCKET + 1;
        while i < self.tree.len() {
            self.tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    fn remove(&mut self, index: usize) {
        self.at[index] -= 1;
        self.total -= 1;
        let mut i = index / BUCKET + 1;
        while i < self.tree.len() {
            self.tree[i] -= 1;
            i += i & i.wrapping_neg();
        }
    }

    /// Count over ranks `0..r`: whole buckets from the tree, then the rest of `r`'s bucket.
    fn prefix(&self, r: usize) -> f64 {
        let bucket = r / BUCKET;
        let mut i = bucket;
        let mut sum = 0u64;
        while i > 0 {
            sum += u64::from(self.tree[i]);
            i -= i & i.wrapping_neg();
        }
        sum += self.at[bucket * BUCKET..r]
            .iter()
            .map(|&c| u64::from(c))
            .sum::<u64>();
        sum as f64
    }

    fn at(&self, r: usize) -> f64 {
        f64::from(self.at[r])
    }

    fn total(&self) -> f64 {
        self.total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every pair classified one at a time, by the rules in this module's header.
    fn by_pairs(
        time: &[f64],
        event: &[bool],
        score: &[f64],
        stratum: &[usize],
    ) -> ConcordanceCounts {
        let mut c = ConcordanceCounts::default();
        for i in 0..time.len() {
            for j in i + 1..time.len() {
                if stratum[i] != stratum[j] {
                    continue;
                }
                let (a, b) = if time[i] <= time[j] { (i, j) } else { (j, i) };
                let shorter = if time[a] < time[b] {
                    event[a].then_some((a, b))
                } else if event[a] && event[b] {
                    if score[a] == score[b] {
                        c.tied_xy += 1.0;
                    } else {
                        c.tied_y += 1.0;
                    }
                    None
                } else if event[a] != event[b] {
                    Some(if event[a] { (a, b) } else { (b, a) })
                } else {
                    None
                };
                if let Some((s, l)) = shorter {
                    match score[s].total_cmp(&score[l]) {
                        std::cmp::Ordering::Greater => c.concordant += 1.0,
                        std::cmp::Ordering::Equal => c.tied_x += 1.0,
                        std::cmp::Ordering::Less => c.discordant += 1.0,
                    }
                }
            }
        }
        c
    }

    proptest! {
        /// Few distinct times, scores and strata, so every kind of tie occurs, and up to 120
        /// subjects, so ranks span several buckets of the counting tree.
        #[test]
        fn counts_equal_the_pair_by_pair_definition(rows in proptest::collection::vec(
            (1u8..8, any::<bool>(), 0u8..40, 0usize..3), 0..120)) {
            let time: Vec<f64> = rows.iter().map(|r| f64::from(r.0)).collect();
            let event: Vec<bool> = rows.iter().map(|r| r.1).collect();
            let score: Vec<f64> = rows.iter().map(|r| f64::from(r.2) / 4.0 - 5.0).collect();
            let stratum: Vec<usize> = rows.iter().map(|r| r.3).collect();
            prop_assert_eq!(
                count_pairs(&time, &event, &score, &stratum),
                by_pairs(&time, &event, &score, &stratum)
            );
        }
    }
}
