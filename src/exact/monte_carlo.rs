//! The Monte Carlo permutation P: the share of random relabellings (within strata) whose statistic is at least the observed one, as coin's `approximate()`.
//!
//! Each resample shuffles the scores of every stratum with a partial Fisher-Yates shuffle
//! (rand's `partial_shuffle`) driven by xoshiro256++ seeded with the user's seed, deals the
//! shuffled scores to the groups in their stratum sizes (the largest group takes what is
//! left, its sum by subtraction), and evaluates the quadratic form. As coin, P is the plain
//! share (no +1 in numerator and denominator) and a permuted statistic counts when it is at
//! least the observed one less sqrt(eps) (on the |z| scale for two groups).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{Design, Null, PermutationOptions};
use crate::engine::tolerance::PERMUTATION_TIE;

/// One stratum ready for shuffling: its scores, and its groups' sizes with the largest last.
struct Shuffled {
    scores: Vec<f64>,
    total: f64,
    /// (group, size) with the largest group last.
    sizes: Vec<(usize, usize)>,
}

impl Shuffled {
    fn new(design: &Design, members: &[usize]) -> Shuffled {
        let mut counts = vec![0; design.n_groups];
        for &i in members {
            counts[design.group[i]] += 1;
        }
        let mut sizes: Vec<(usize, usize)> = counts
            .into_iter()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .collect();
        sizes.sort_by_key(|&(g, c)| (c, std::cmp::Reverse(g)));
        let scores: Vec<f64> = members.iter().map(|&i| design.score[i]).collect();
        Shuffled {
            total: scores.iter().sum(),
            scores,
            sizes,
        }
    }

    /// Adds one random relabelling's group sums to `sums`.
    fn add_resample(&mut self, rng: &mut Xoshiro256PlusPlus, sums: &mut [f64]) {
        let Some((&(largest, _), dealt)) = self.sizes.split_last() else {
            return;
        };
        let amount: usize = dealt.iter().map(|&(_, c)| c).sum();
        let (chosen, _) = self.scores.partial_shuffle(rng, amount);
        let mut rest = self.total;
        let mut start = 0;
        for &(g, c) in dealt {
            let sum: f64 = chosen[start..start + c].iter().sum();
            sums[g] += sum;
            rest -= sum;
            start += c;
        }
        sums[largest] += rest;
    }
}

/// The Monte Carlo P with `options.resamples` relabellings from `options.seed`.
///
/// The resamples are dealt to two streams, the first from the seed and the second from the
/// generator jumped 2^128 steps ahead (xoshiro's `jump`, streams that never overlap), each
/// with a fixed half: the command line runs them on two threads, the page one after the
/// other, and both count the same hits.
pub(super) fn p_value(design: &Design, null: &Null, options: &PermutationOptions) -> f64 {
    let first = Xoshiro256PlusPlus::seed_from_u64(options.seed);
    let mut second = first.clone();
    second.jump();
    let half = options.resamples / 2;
    let (a, b) = crate::parallel::both(
        || hits(design, null, first, options.resamples - half),
        || hits(design, null, second, half),
    );
    (a + b) as f64 / options.resamples as f64
}

/// How many of `resamples` relabellings drawn with `rng` give a statistic at least the
/// observed one.
fn hits(design: &Design, null: &Null, mut rng: Xoshiro256PlusPlus, resamples: u64) -> u64 {
    let mut strata: Vec<Shuffled> = design
        .strata
        .iter()
        .map(|members| Shuffled::new(design, members))
        .collect();
    let scalar = null.rank == 1;
    let threshold = if scalar {
        null.observed.sqrt() - PERMUTATION_TIE
    } else {
        null.observed - PERMUTATION_TIE
    };
    let mut sums = vec![0.0; design.n_groups];
    let mut count = 0;
    for _ in 0..resamples {
        sums.fill(0.0);
        for stratum in &mut strata {
            stratum.add_resample(&mut rng, &mut sums);
        }
        let q = null.statistic(&sums);
        let value = if scalar { q.max(0.0).sqrt() } else { q };
        count += u64::from(value >= threshold);
    }
    count
}
