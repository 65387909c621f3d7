//! Tests between survival curves: the weighted log-rank family with Mantel-Haenszel variance, stratified, for trend, pairwise, and the two-group hazard ratio.

use crate::engine::counting::{tabulate, Counts, Observations};
use crate::engine::dist::chisq_p;
use crate::engine::linalg::Cholesky;
use crate::engine::tolerance::TOLER_WALD;
use serde::Serialize;

use crate::error::{Error, Hint, Result};
use crate::options::{Adjust, Setting};

/// How each event time is weighted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weight {
    /// 1: R's `survdiff(rho = 0)`.
    LogRank,
    /// n at risk (generalised Wilcoxon).
    GehanBreslow,
    /// sqrt(n at risk).
    TaroneWare,
    /// Pooled left-continuous Kaplan-Meier S(t-): R's `survdiff(rho = 1)`.
    PetoPeto,
    /// S(t-)^p (1 - S(t-))^q with the pooled left-continuous Kaplan-Meier.
    FlemingHarrington { p: f64, q: f64 },
}

impl Weight {
    /// The contract's name of the test.
    pub fn name(self) -> String {
        match self {
            Weight::LogRank => "log-rank".into(),
            Weight::GehanBreslow => "gehan-breslow".into(),
            Weight::TaroneWare => "tarone-ware".into(),
            Weight::PetoPeto => "peto-peto".into(),
            Weight::FlemingHarrington { p, q } => format!("fleming-harrington({p},{q})"),
        }
    }

    /// The four tests the contract lists, in its order.
    pub const CONTRACT: [Weight; 4] = [
        Weight::LogRank,
        Weight::GehanBreslow,
        Weight::TaroneWare,
        Weight::PetoPeto,
    ];

    fn at(self, n_risk: f64, km_before: f64) -> f64 {
        match self {
            Weight::LogRank => 1.0,
            Weight::GehanBreslow => n_risk,
            Weight::TaroneWare => n_risk.sqrt(),
            Weight::PetoPeto => km_before,
            Weight::FlemingHarrington { p, q } => power(km_before, p) * power(1.0 - km_before, q),
        }
    }
}

/// x^e with 0^0 = 1, as R's `^`.
fn power(x: f64, e: f64) -> f64 {
    if e == 0.0 {
        1.0
    } else {
        x.powf(e)
    }
}

/// A chi-square test between groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTest {
    pub name: String,
    pub chisq: f64,
    /// Groups with a non-zero expected count, minus 1 (as survdiff).
    pub df: usize,
    /// Null when df is 0 (nothing to compare).
    pub p: Option<f64>,
    /// Weighted observed and expected events per group, summed over strata (survdiff's obs/exp).
    pub observed: Vec<f64>,
    pub expected: Vec<f64>,
}

/// The test for trend over ordered groups: one degree of freedom along the given scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendTest {
    pub name: String,
    pub scores: Vec<f64>,
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
}

/// The two-group hazard ratio from the log-rank quantities, second group over first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HazardRatio {
    /// "mantel-haenszel": exp((O - E) / V); "o/e": (O2/E2) / (O1/E1).
    pub method: String,
    pub hr: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// One pair of groups compared, with the unadjusted and adjusted p-values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairTest {
    /// Indices into the comparison's groups, first < second.
    #[serde(skip)]
    pub groups: (usize, usize),
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    pub p_adjusted: Option<f64>,
}

/// Weighted score vector and Mantel-Haenszel covariance, summed over strata.
struct Scores {
    observed: Vec<f64>,
    expected: Vec<f64>,
    variance: Vec<f64>,
}

/// Groups observed in one or more strata, ready for any test.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    n_groups: usize,
    /// One table of every group's counts per stratum.
    strata: Vec<Counts>,
}

impl Comparison {
    /// Builds the per-stratum tables from raw observations with one sort; `group[i] < n_groups`
    /// and, when given, `stratum[i] < n_strata`.
    pub fn from_observations(
        time: &[f64],
        event: &[bool],
        group: &[usize],
        n_groups: usize,
        stratum: Option<(&[usize], usize)>,
    ) -> Result<Comparison> {
        let tables = tabulate(&Observations {
            time,
            event,
            group: Some((group, n_groups)),
            stratum,
        })?;
        Ok(Comparison::from_tables(n_groups, tables.into_strata()))
    }

    /// Wraps tables already built (tables without `n_groups` groups, or without a time,
    /// are left out).
    pub fn from_tables(n_groups: usize, strata: Vec<Counts>) -> Comparison {
        let strata = strata
            .into_iter()
            .filter(|t| t.n_groups() == n_groups && !t.time.is_empty())
            .collect();
        Comparison { n_groups, strata }
    }

    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    fn scores(&self, weight: Weight) -> Scores {
        let k = self.n_groups;
        let mut out = Scores {
            observed: vec![0.0; k],
            expected: vec![0.0; k],
            variance: vec![0.0; k * k],
        };
        let mut at_risk = vec![0.0; k];
        for table in &self.strata {
            at_risk.fill(0.0);
            for (events, censors) in table.rows() {
                for (r, (&e, &c)) in at_risk.iter_mut().zip(events.iter().zip(censors)) {
                    *r += (e + c) as f64;
                }
            }
            let mut km_before = 1.0;
            for (events, censors) in table.rows() {
                let n: f64 = at_risk.iter().sum();
                let d = events.iter().sum::<u64>() as f64;
                if d > 0.0 {
                    let w = weight.at(n, km_before);
                    let factor = if n > 1.0 {
                        w * w * d * (n - d) / (n - 1.0)
                    } else {
                        0.0
                    };
                    for (g, (&e, &r)) in events.iter().zip(&at_risk).enumerate() {
                        out.observed[g] += w * e as f64;
                        out.expected[g] += w * d * r / n;
                        let pg = r / n;
                        let row = &mut out.variance[g * k..(g + 1) * k];
                        for (h, (v, &rh)) in row.iter_mut().zip(&at_risk).enumerate() {
                            let delta = if g == h { 1.0 } else { 0.0 };
                            *v += factor * pg * (delta - rh / n);
                        }
                    }
                    km_before *= (n - d) / n;
                }
                for (r, (&e, &c)) in at_risk.iter_mut().zip(events.iter().zip(censors)) {
                    *r -= (e + c) as f64;
                }
            }
        }
        out
    }

    /// The k-group test with the given weights (survdiff's chi-square for rho = 0 and 1).
    pub fn test(&self, weight: Weight) -> GroupTest {
        let s = self.scores(weight);
        let k = self.n_groups;
        let used: Vec<usize> = (0..k).filter(|&g| s.expected[g] > 0.0).collect();
        let (chisq, df) = if used.len() < 2 {
            (0.0, 0)
        } else {
            let kept = &used[1..];
            let u: Vec<f64> = kept
                .iter()
                .map(|&g| s.observed[g] - s.expected[g])
                .collect();
            let v: Vec<f64> = kept
                .iter()
                .flat_map(|&g| kept.iter().map(move |&h| (g, h)))
                .map(|(g, h)| s.variance[g * k + h])
                .collect();
            (
                Cholesky::new(&v, u.len(), TOLER_WALD).quadratic_form(&u),
                used.len() - 1,
            )
        };
        GroupTest {
            name: weight.name(),
            chisq,
            df,
            // As survdiff: p = 1 when only one group has expected events, NA when none has.
            p: if used.is_empty() {
                None
            } else {
                chisq_p(chisq, df)
            },
            observed: s.observed,
            expected: s.expected,
        }
    }

    /// The log-rank test for trend along `scores` (one per group).
    pub fn trend(&self, scores: &[f64], weight: Weight) -> Result<TrendTest> {
        let k = self.n_groups;
        if scores.len() != k || scores.iter().any(|c| !c.is_finite()) {
            return Err(Error::usage(format!(
                "{} trend scores for {k} groups; give one finite score per group, in the groups' order",
                scores.len()
            ))
            .hint(Hint::SetOption {
                setting: Setting::TrendScores,
                example: Some((1..=k).map(|g| g.to_string()).collect::<Vec<_>>().join(",")),
            }));
        }
        let s = self.scores(weight);
        let u: f64 = (0..k)
            .map(|g| scores[g] * (s.observed[g] - s.expected[g]))
            .sum();
        let var: f64 = (0..k)
            .flat_map(|g| (0..k).map(move |h| (g, h)))
            .map(|(g, h)| scores[g] * scores[h] * s.variance[g * k + h])
            .sum();
        let (chisq, df) = if var > 0.0 {
            (u * u / var, 1)
        } else {
            (0.0, 0)
        };
        Ok(TrendTest {
            name: format!("{} trend", weight.name()),
            scores: scores.to_vec(),
            chisq,
            df,
            p: chisq_p(chisq, df),
        })
    }

    /// For two groups, the hazard ratio of the second over the first by the Mantel-Haenszel
    /// and O/E methods (as GraphPad Prism reports), with `conf_level` limits.
    pub fn hazard_ratios(&self, conf_level: f64) -> Option<[HazardRatio; 2]> {
        if self.n_groups != 2 || !(conf_level > 0.0 && conf_level < 1.0) {
            return None;
        }
        let z = crate::engine::dist::z_two_sided(conf_level);
        let s = self.scores(Weight::LogRank);
        let (o1, e1) = (s.observed[1], s.expected[1]);
        let (o0, e0) = (s.observed[0], s.expected[0]);
        let v = s.variance[3];
        let finite = |x: f64| x.is_finite().then_some(x);
        let interval = |log_hr: f64, se: f64, method: &str| HazardRatio {
            method: method.into(),
            hr: finite(log_hr.exp()),
            lower: finite((log_hr - z * se).exp()),
            upper: finite((log_hr + z * se).exp()),
        };
        let mantel_haenszel = if v > 0.0 {
            interval((o1 - e1) / v, 1.0 / v.sqrt(), "mantel-haenszel")
        } else {
            interval(f64::NAN, f64::NAN, "mantel-haenszel")
        };
        let observed_expected = if e0 > 0.0 && e1 > 0.0 {
            interval(
                ((o1 / e1) / (o0 / e0)).ln(),
                (1.0 / e0 + 1.0 / e1).sqrt(),
                "o/e",
            )
        } else {
            interval(f64::NAN, f64::NAN, "o/e")
        };
        Some([mantel_haenszel, observed_expected])
    }

    /// The same data seen through a subset of groups.
    pub fn restrict(&self, groups: &[usize]) -> Comparison {
        Comparison::from_tables(
            groups.len(),
            self.strata.iter().map(|t| t.restrict(groups)).collect(),
        )
    }

    /// Every pair of groups compared with `weight`, p-values adjusted over all pairs.
    pub fn pairwise(&self, weight: Weight, adjust: Adjust) -> Vec<PairTest> {
        let k = self.n_groups;
        let mut pairs: Vec<PairTest> = (0..k)
            .flat_map(|a| (a + 1..k).map(move |b| (a, b)))
            .map(|(a, b)| {
                let t = self.restrict(&[a, b]).test(weight);
                PairTest {
                    groups: (a, b),
                    chisq: t.chisq,
                    df: t.df,
                    p: t.p,
                    p_adjusted: None,
                }
            })
            .collect();
        let raw: Vec<Option<f64>> = pairs.iter().map(|p| p.p).collect();
        for (pair, adjusted) in pairs.iter_mut().zip(p_adjust(&raw, adjust)) {
            pair.p_adjusted = adjusted;
        }
        pairs
    }
}

/// R's `p.adjust` over the p-values present (absent ones stay absent and are not counted).
pub fn p_adjust(p: &[Option<f64>], method: Adjust) -> Vec<Option<f64>> {
    let present: Vec<(usize, f64)> = p
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    let m = present.len() as f64;
    let mut out = vec![None; p.len()];
    let mut sorted = present.clone();
    match method {
        Adjust::None => out = p.to_vec(),
        Adjust::Bonferroni => {
            for (i, p) in present {
                out[i] = Some((m * p).min(1.0));
            }
        }
        Adjust::Holm => {
            sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
            let mut running: f64 = 0.0;
            for (rank, &(i, p)) in sorted.iter().enumerate() {
                running = running.max((m - rank as f64) * p);
                out[i] = Some(running.min(1.0));
            }
        }
        Adjust::BenjaminiHochberg => {
            sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
            let mut running = f64::INFINITY;
            for (rank, &(i, p)) in sorted.iter().enumerate() {
                let position = m - rank as f64;
                running = running.min(m / position * p);
                out[i] = Some(running.min(1.0));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_adjust_matches_r_definitions() {
        // R: p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03 0.06 0.06;
        // "BH" = 0.03 0.04 0.04; "bonferroni" = 0.03 0.12 0.09.
        let p = [Some(0.01), Some(0.04), Some(0.03)];
        let close = |a: Vec<Option<f64>>, b: [f64; 3]| {
            a.iter().zip(b).all(|(a, b)| (a.unwrap() - b).abs() < 1e-12)
        };
        assert!(close(p_adjust(&p, Adjust::Holm), [0.03, 0.06, 0.06]));
        assert!(close(
            p_adjust(&p, Adjust::BenjaminiHochberg),
            [0.03, 0.04, 0.04]
        ));
        assert!(close(p_adjust(&p, Adjust::Bonferroni), [0.03, 0.12, 0.09]));
    }
}
