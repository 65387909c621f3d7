//! The permutation (conditional) log-rank test, as R's `coin::logrank_test`: log-rank scores, the exact distribution for two groups, and a seeded Monte Carlo estimate otherwise.
//!
//! Each subject gets the score a_i = d_i - H(t_i), where d_i is 1 for an event and H is the
//! pooled Nelson-Aalen estimate at the subject's own time, events at that time included
//! (tied times share H): coin's `logrank_trafo` with its default ties handling, up to a sign
//! that a two-sided test does not see. With strata, as coin's `logrank_test(... | strata)`,
//! the scores come from the pooled sample and the permutations stay within each stratum
//! (survdiff's stratified test instead scores within each stratum). The linear statistic is
//! the vector of the groups' score sums T; under the permutation null its mean and
//! covariance are (Strasser and Weber 1999, the formulas coin's `independence_test` uses;
//! summed over strata, each with its own n, abar and v)
//!
//!   E T_g = n_g abar,   Cov(T_g, T_h) = n/(n-1) v (n_g [g = h] - n_g n_h / n),
//!   v = sum (a_i - abar)^2 / n,
//!
//! and the statistic is the quadratic form (T - E T)' Cov^- (T - E T) with a generalised
//! inverse (coin's "quadratic" type; for two groups the square of coin's standardised
//! statistic). Its permutation P is computed exactly for two groups when that fits the work
//! budget ([`exact_two_groups`]), else estimated from random permutations ([`monte_carlo`]).

mod exact_two_groups;
mod monte_carlo;

use serde::Serialize;

use crate::engine::linalg::Cholesky;
use crate::engine::order::{ascending_key, order_by};
use crate::engine::tolerance::{PERMUTATION_MERGE, TOLER_WALD};
use crate::error::{Error, Hint, Result};
use crate::options::Setting;

/// How the permutation P is obtained when the exact distribution cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermutationOptions {
    /// Random permutations drawn for a Monte Carlo estimate.
    pub resamples: u64,
    /// Seed of the random number generator (xoshiro256++), so that a result can be repeated.
    pub seed: u64,
}

impl Default for PermutationOptions {
    fn default() -> Self {
        PermutationOptions {
            resamples: 100_000,
            seed: 1,
        }
    }
}

/// How a permutation P was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermutationMethod {
    /// The exact permutation distribution.
    Exact,
    /// The share of random permutations at least as extreme as the data.
    MonteCarlo,
}

/// The permutation log-rank test: the contract's `exact_test` object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermutationTest {
    pub name: String,
    /// The quadratic form; for two groups coin's `statistic(x)^2`.
    pub statistic: f64,
    pub p: f64,
    pub method: PermutationMethod,
    /// Random permutations drawn (Monte Carlo only).
    pub resamples: Option<u64>,
    /// Seed of those permutations (Monte Carlo only).
    pub seed: Option<u64>,
    /// Monte Carlo standard error of `p`, sqrt(p (1 - p) / resamples); null when exact.
    pub mc_se: Option<f64>,
}

/// The name the contract gives the test.
pub const NAME: &str = "log-rank (permutation)";

/// Subjects as the permutation sees them: scores, group codes, and the strata that permute
/// separately.
#[derive(Debug, Clone)]
struct Design {
    score: Vec<f64>,
    group: Vec<usize>,
    n_groups: usize,
    /// Subject indices of each stratum (one stratum without strata).
    strata: Vec<Vec<usize>>,
}

/// The null mean and generalised inverse covariance of the group sums, and the observed
/// statistic.
#[derive(Debug, Clone)]
struct Null {
    mean: Vec<f64>,
    /// Null variance of each group's sum (the covariance's diagonal).
    variance: Vec<f64>,
    /// g-inverse of the covariance, k x k row-major (zero rows for dropped directions).
    inverse: Vec<f64>,
    rank: usize,
    observed: f64,
}

impl Null {
    fn new(design: &Design) -> Null {
        let k = design.n_groups;
        let mut mean = vec![0.0; k];
        let mut cov = vec![0.0; k * k];
        let mut counts = vec![0.0; k];
        for members in &design.strata {
            let n = members.len() as f64;
            if members.len() < 2 {
                continue;
            }
            counts.fill(0.0);
            let mut total = 0.0;
            for &i in members {
                counts[design.group[i]] += 1.0;
                total += design.score[i];
            }
            let abar = total / n;
            for g in 0..k {
                mean[g] += counts[g] * abar;
            }
            // Scores equal but for rounding (all within the merge tolerance, as the exact
            // distribution merges sums) cannot move a group's sum: no variance, rather than a
            // variance of rounding noise whose inverse would blow the noise up (a 1e31 statistic).
            let (lo, hi) = members
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &i| {
                    (lo.min(design.score[i]), hi.max(design.score[i]))
                });
            if hi - lo <= PERMUTATION_MERGE {
                continue;
            }
            let v = members
                .iter()
                .map(|&i| (design.score[i] - abar).powi(2))
                .sum::<f64>()
                / n;
            for g in 0..k {
                for h in 0..k {
                    let delta = if g == h { counts[g] } else { 0.0 };
                    cov[g * k + h] += n / (n - 1.0) * v * (delta - counts[g] * counts[h] / n);
                }
            }
        }
        let chol = Cholesky::new(&cov, k, TOLER_WALD);
        let rank = (0..k)
            .filter(|&g| cov[g * k + g] > 0.0 && !chol.is_singular(g))
            .count();
        let mut inverse = chol.inverse();
        // A group whose sum cannot vary (zero variance) is no direction of the test.
        for g in (0..k).filter(|&g| cov[g * k + g] <= 0.0) {
            for h in 0..k {
                inverse[g * k + h] = 0.0;
                inverse[h * k + g] = 0.0;
            }
        }
        let mut null = Null {
            mean,
            variance: (0..k).map(|g| cov[g * k + g]).collect(),
            inverse,
            rank,
            observed: 0.0,
        };
        null.observed = null.statistic(&group_sums(design));
        null
    }

    /// (T - E T)' Cov^- (T - E T).
    fn statistic(&self, sums: &[f64]) -> f64 {
        let k = self.mean.len();
        let centred: Vec<f64> = sums.iter().zip(&self.mean).map(|(t, m)| t - m).collect();
        (0..k)
            .map(|g| {
                let row = &self.inverse[g * k..(g + 1) * k];
                centred[g] * row.iter().zip(&centred).map(|(a, b)| a * b).sum::<f64>()
            })
            .sum()
    }
}

/// Each group's sum of scores.
fn group_sums(design: &Design) -> Vec<f64> {
    let mut sums = vec![0.0; design.n_groups];
    for (&g, &a) in design.group.iter().zip(&design.score) {
        sums[g] += a;
    }
    sums
}

/// The permutation log-rank test of `n_groups` groups (`group[i] < n_groups`), within strata
/// when `stratum` gives each subject's stratum and the number of strata.
pub fn logrank_permutation(
    time: &[f64],
    event: &[bool],
    group: &[usize],
    n_groups: usize,
    stratum: Option<(&[usize], usize)>,
    options: &PermutationOptions,
) -> Result<PermutationTest> {
    let design = Design::new(time, event, group, n_groups, stratum)?;
    if options.resamples == 0 {
        return Err(
            Error::usage("the number of Monte Carlo resamples must be at least 1").hint(
                Hint::SetOption {
                    setting: Setting::Resamples,
                    example: Some("100000".into()),
                },
            ),
        );
    }
    let null = Null::new(&design);
    let test =
        |p: f64, method: PermutationMethod, mc: Option<&PermutationOptions>| PermutationTest {
            name: NAME.into(),
            statistic: null.observed,
            p,
            method,
            resamples: mc.map(|o| o.resamples),
            seed: mc.map(|o| o.seed),
            mc_se: mc.map(|o| (p * (1.0 - p) / o.resamples as f64).sqrt()),
        };
    // Every permutation gives the same statistic when nothing can vary.
    if null.rank == 0 {
        return Ok(test(1.0, PermutationMethod::Exact, None));
    }
    if design.groups_present() == 2 {
        if let Some(p) = exact_two_groups::p_value(&design, &null) {
            return Ok(test(p, PermutationMethod::Exact, None));
        }
    }
    let p = monte_carlo::p_value(&design, &null, options);
    Ok(test(p, PermutationMethod::MonteCarlo, Some(options)))
}

impl Design {
    fn new(
        time: &[f64],
        event: &[bool],
        group: &[usize],
        n_groups: usize,
        stratum: Option<(&[usize], usize)>,
    ) -> Result<Design> {
        crate::data::validate::check_observations(time, event)?;
        let n = time.len();
        if group.len() != n
            || group.iter().any(|&g| g >= n_groups)
            || stratum.is_some_and(|(s, k)| s.len() != n || s.iter().any(|&x| x >= k))
        {
            return Err(Error::usage(
                "group and stratum codes must be one per subject and below their counts",
            ));
        }
        let keys: Vec<u64> = time.iter().map(|&t| ascending_key(t)).collect();
        let order = order_by(&keys);
        let mut score = vec![0.0; n];
        logrank_scores(time, event, &order, &mut score);
        let n_strata = stratum.map_or(1, |(_, k)| k);
        let mut strata = vec![Vec::new(); n_strata];
        for i in order {
            strata[stratum.map_or(0, |(s, _)| s[i])].push(i);
        }
        strata.retain(|members| !members.is_empty());
        Ok(Design {
            score,
            group: group.to_vec(),
            n_groups,
            strata,
        })
    }

    /// How many groups have at least one subject.
    fn groups_present(&self) -> usize {
        let mut seen = vec![false; self.n_groups];
        for &g in &self.group {
            seen[g] = true;
        }
        seen.into_iter().filter(|&s| s).count()
    }
}

/// Writes a_i = d_i - H(t_i) for the subjects `members` (in ascending order of time), H the
/// Nelson-Aalen estimate over those subjects, tied times sharing the value that includes
/// their events.
fn logrank_scores(time: &[f64], event: &[bool], members: &[usize], score: &mut [f64]) {
    let mut at_risk = members.len() as f64;
    let mut hazard = 0.0;
    for tied in members.chunk_by(|&a, &b| time[a] == time[b]) {
        let events = tied.iter().filter(|&&i| event[i]).count() as f64;
        hazard += events / at_risk;
        for &i in tied {
            score[i] = f64::from(u8::from(event[i])) - hazard;
        }
        at_risk -= tied.len() as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// aml from R's survival package (Maintained = 0, Nonmaintained = 1).
    fn aml() -> (Vec<f64>, Vec<bool>, Vec<usize>) {
        let time = [
            9., 13., 13., 18., 23., 28., 31., 34., 45., 48., 161., 5., 5., 8., 8., 12., 16., 23.,
            27., 30., 33., 43., 45.,
        ];
        let status = [
            1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1,
        ];
        let group = (0..23).map(|i| usize::from(i >= 11)).collect();
        (
            time.to_vec(),
            status.iter().map(|&s| s == 1).collect(),
            group,
        )
    }

    #[test]
    fn scores_are_coins_logrank_scores_with_the_sign_reversed() {
        let (time, event, group) = aml();
        let design = Design::new(&time, &event, &group, 2, None).unwrap();
        // coin::logrank_trafo(Surv(aml$time, aml$status)), rows 1, 3 and 11, negated.
        for (i, coin) in [(0, -0.76517380), (2, 0.34920528), (10, 2.16102402)] {
            assert!((design.score[i] + coin).abs() < 1e-8, "row {}", i + 1);
        }
        assert!(design.score.iter().sum::<f64>().abs() < 1e-12);
    }

    #[test]
    fn statistic_is_coins_squared_standardised_statistic() {
        let (time, event, group) = aml();
        let design = Design::new(&time, &event, &group, 2, None).unwrap();
        let null = Null::new(&design);
        // statistic(logrank_test(Surv(time, status) ~ x, data = aml))^2
        assert!((null.observed - 3.365573).abs() < 1e-6);
        assert_eq!(null.rank, 1);
    }

    #[test]
    fn aml_exact_p_is_coins() {
        let (time, event, group) = aml();
        let test = logrank_permutation(
            &time,
            &event,
            &group,
            2,
            None,
            &PermutationOptions::default(),
        )
        .unwrap();
        assert_eq!(test.method, PermutationMethod::Exact);
        // pvalue(logrank_test(Surv(time, status) ~ x, data = aml, distribution = "exact"))
        assert!((test.p - 0.0646930132729029).abs() < 1e-12, "{}", test.p);
        let mc = monte_carlo::p_value(
            &Design::new(&time, &event, &group, 2, None).unwrap(),
            &Null::new(&Design::new(&time, &event, &group, 2, None).unwrap()),
            &PermutationOptions::default(),
        );
        assert!(
            (mc - test.p).abs() < 4.0 * (test.p * (1.0 - test.p) / 1e5).sqrt(),
            "{mc}"
        );
    }
}
