//! An endpoint's analyses together: Kaplan-Meier curves per group, the tests between them,
//! survival at chosen times, hazard ratios, pairwise and trend tests (what `survcalc km` and
//! the page's survival view ask for), from one sort of the rows.

use serde::Serialize;

use crate::compare::{Comparison, GroupTest, HazardRatio, TrendTest, Weight};
use crate::data::prepare::{Exclusion, Factor, SurvivalData};
use crate::engine::counting::{tabulate, Observations};
use crate::error::{Error, Hint, Result};
use crate::exact::{logrank_permutation, PermutationOptions, PermutationTest};
use crate::km::{
    fit_counts, follow_up, survival_at, Counts, FollowUp, KmCurve, KmOptions, RmeanLimit,
    SurvivalAt,
};
use crate::options::{Adjust, ConfType, Setting};
use crate::rmst::{self, RmstComparison, SpssMean};

/// What the `km` analysis computes beyond the curves and the four contract tests.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KmAnalysis {
    pub km: KmOptions,
    /// Common restriction time for the restricted mean; each group's own last time when absent.
    pub tau: Option<f64>,
    /// Times at which to read survival off every curve.
    pub at: Vec<f64>,
    /// Fleming-Harrington (p, q) test.
    pub fleming_harrington: Option<(f64, f64)>,
    /// Scores (one per group, in the groups' order) for the log-rank test for trend.
    pub trend_scores: Option<Vec<f64>>,
    /// Pairwise log-rank tests with this adjustment.
    pub pairwise: Option<Adjust>,
    /// The permutation log-rank test, with the Monte Carlo settings used when the exact
    /// distribution cannot be.
    pub exact: Option<PermutationOptions>,
    /// SPSS's "Means and Medians for Survival Time" means, per group and overall.
    pub spss_means: bool,
    /// The group the others are compared with (hazard ratio, RMST comparisons, the pairwise
    /// listing); the first group in the contract's order when absent.
    pub reference: Option<String>,
}

/// One group's curve with its summaries.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    pub name: String,
    #[serde(flatten)]
    pub curve: KmCurve,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub at: Vec<SurvivalAt>,
    pub follow_up: FollowUp,
}

/// The two-group hazard ratio, naming which group is compared with which.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupHazardRatio {
    pub group: String,
    pub reference: String,
    pub conf_level: f64,
    pub estimates: Vec<HazardRatio>,
}

/// One pair of groups in the pairwise comparisons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedPair {
    pub group1: String,
    pub group2: String,
    pub chisq: f64,
    pub df: usize,
    pub p: Option<f64>,
    pub p_adjusted: Option<f64>,
}

/// Pairwise comparisons: which test, which adjustment, and each pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pairwise {
    pub test: String,
    pub adjust: Adjust,
    pub comparisons: Vec<NamedPair>,
}

/// Everything `survcalc km` reports (the contract's JSON object plus extra keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmReport {
    pub groups: Vec<GroupSummary>,
    pub tests: Vec<GroupTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fleming_harrington: Option<GroupTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendTest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairwise: Option<Pairwise>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard_ratio: Option<GroupHazardRatio>,
    /// The permutation log-rank test (two or more groups, when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact_test: Option<PermutationTest>,
    /// Each other group's restricted mean at tau against the reference group's (two or more
    /// groups and a common tau).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmst_comparison: Option<Vec<RmstComparison>>,
    /// SPSS's means, restricted to each group's largest time, then all subjects ("Overall")
    /// when there are groups.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spss_means: Option<Vec<SpssMean>>,
    pub conf_type: ConfType,
    pub conf_level: f64,
    /// "individual" (each group to its own last time) or "tau" (the common `tau`).
    pub rmean_restriction: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tau: Option<f64>,
    /// Whether the tests are stratified, and by which levels.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub strata: Vec<String>,
    /// Which values of the event column meant the event, as read.
    pub event_coding: String,
    /// How time was computed from dates (unit and divisor), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_description: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
}

/// Runs the analysis on prepared data: one sort of all rows, then linear passes.
pub fn analyse(data: &SurvivalData, options: &KmAnalysis) -> Result<KmReport> {
    let names: Vec<String> = match &data.group {
        Some(f) => f.levels.clone(),
        None => vec!["all".to_string()],
    };
    let k = names.len();
    // The groups as compared: the reference first, the others in the contract's order.
    let compared = comparison_order(data, options.reference.as_deref())?;
    let tabulation = tabulate(&Observations {
        time: &data.time,
        event: &data.event,
        group: data.group.as_ref().map(Factor::as_codes),
        stratum: data.strata.as_ref().map(Factor::as_codes),
    })?;

    options.km.z()?;
    let limit = options.tau.map_or(RmeanLimit::Individual, RmeanLimit::Tau);
    let mut warnings = data.warnings.clone();
    let mut groups = Vec::with_capacity(k);
    for (g, name) in names.iter().enumerate() {
        let counts = &tabulation.pooled.group(g);
        let curve = fit_counts(counts, &options.km, limit)?;
        if curve.events == 0 {
            warnings.push(format!(
                "group '{name}' has no events: its survival stays at 1 and its median is not reached"
            ));
        }
        if let (Some(tau), Some(last)) = (options.tau, counts.time.last()) {
            if tau > *last {
                warnings.push(format!(
                    "the restricted-mean limit {tau} lies past group '{name}''s last follow-up ({last}): its restricted mean carries the last survival value flat to {tau}"
                ));
            }
        }
        let at = options.at.iter().map(|&t| survival_at(&curve, t)).collect();
        groups.push(GroupSummary {
            name: name.clone(),
            at,
            follow_up: follow_up(counts, &options.km)?,
            curve,
        });
    }

    let spss_means = options
        .spss_means
        .then(|| spss_means(&groups, &tabulation.pooled.total(), &options.km))
        .transpose()?;
    let rmst_comparison = match options.tau {
        Some(_) if k > 1 => Some(rmst::compare(
            &compared
                .iter()
                .map(|&g| &groups[g])
                .map(|g| (g.name.clone(), g.curve.rmean, g.curve.rmean_se))
                .collect::<Vec<_>>(),
            options.km.conf_level,
        )),
        _ => None,
    };
    let exact_test = match &options.exact {
        Some(settings) if k > 1 => Some(logrank_permutation(
            &data.time,
            &data.event,
            &data
                .group
                .as_ref()
                .map_or_else(Vec::new, |f| f.codes.clone()),
            k,
            data.strata.as_ref().map(Factor::as_codes),
            settings,
        )?),
        Some(_) => {
            warnings.push(
                "the permutation log-rank test compares groups: choose a group column with two or more groups"
                    .into(),
            );
            None
        }
        None => None,
    };
    let comparison = Comparison::from_tables(k, tabulation.into_strata());
    let mut report = KmReport {
        groups,
        tests: Vec::new(),
        fleming_harrington: None,
        trend: None,
        pairwise: None,
        hazard_ratio: None,
        exact_test,
        rmst_comparison,
        spss_means,
        conf_type: options.km.conf_type,
        conf_level: options.km.conf_level,
        rmean_restriction: if options.tau.is_some() {
            "tau"
        } else {
            "individual"
        },
        tau: options.tau,
        strata: data
            .strata
            .as_ref()
            .map_or_else(Vec::new, |f| f.levels.clone()),
        event_coding: data.coding.describe(),
        time_description: data.time_description.clone(),
        excluded: data.excluded.clone(),
        warnings,
    };
    if let Some(scores) = &options.trend_scores {
        if k < 2 {
            return Err(Error::usage(
                "a test for trend needs a group column with two or more groups",
            )
            .hint(Hint::GiveOption {
                setting: Setting::Group,
            }));
        }
        report.trend = Some(comparison.trend(scores, Weight::LogRank)?);
    }
    if k < 2 {
        return Ok(report);
    }
    report.tests = Weight::CONTRACT
        .iter()
        .map(|&w| comparison.test(w))
        .collect();
    let log_rank_df = report.tests[0].df;
    if log_rank_df + 1 < k {
        warnings_for_unused_groups(&mut report, &names);
    }
    if let Some((p, q)) = options.fleming_harrington {
        report.fleming_harrington = Some(comparison.test(Weight::FlemingHarrington { p, q }));
    }
    if let Some(adjust) = options.pairwise {
        report.pairwise = Some(Pairwise {
            test: Weight::LogRank.name(),
            adjust,
            comparisons: comparison
                .restrict(&compared)
                .pairwise(Weight::LogRank, adjust)
                .into_iter()
                .map(|p| NamedPair {
                    group1: names[compared[p.groups.0]].clone(),
                    group2: names[compared[p.groups.1]].clone(),
                    chisq: p.chisq,
                    df: p.df,
                    p: p.p,
                    p_adjusted: p.p_adjusted,
                })
                .collect(),
        });
    }
    if let Some(estimates) = comparison
        .restrict(&compared)
        .hazard_ratios(options.km.conf_level)
    {
        report.hazard_ratio = Some(GroupHazardRatio {
            group: names[compared[1]].clone(),
            reference: names[compared[0]].clone(),
            conf_level: options.km.conf_level,
            estimates: estimates.to_vec(),
        });
    }
    Ok(report)
}

/// The groups' indices as the comparisons take them: the reference first, then the others in
/// the contract's order (the contract's order itself when no reference is chosen).
fn comparison_order(data: &SurvivalData, reference: Option<&str>) -> Result<Vec<usize>> {
    let levels = data.group.as_ref().map_or(&[][..], |f| &f.levels[..]);
    let Some(reference) = reference else {
        return Ok((0..levels.len().max(1)).collect());
    };
    let Some(r) = levels.iter().position(|l| l == reference) else {
        let what = if levels.is_empty() {
            Error::usage(format!(
                "a reference group '{reference}' needs groups to compare"
            ))
            .hint(Hint::GiveOption {
                setting: Setting::Group,
            })
        } else {
            Error::usage(format!(
                "has no group '{reference}' to be the reference; its groups are {}",
                levels.join(", ")
            ))
            .hint(Hint::ChooseLevel {
                setting: Setting::Reference,
                levels: levels.to_vec(),
            })
        };
        return Err(match &data.group_column {
            Some(column) => what.column(column.clone()),
            None => what,
        });
    };
    Ok(std::iter::once(r)
        .chain((0..levels.len()).filter(|&g| g != r))
        .collect())
}

/// SPSS's mean rows: each group's, then all subjects' ("Overall") when there are groups.
fn spss_means(groups: &[GroupSummary], pooled: &Counts, km: &KmOptions) -> Result<Vec<SpssMean>> {
    let mut rows: Vec<SpssMean> = groups
        .iter()
        .map(|g| rmst::spss_mean(&g.name, &g.curve, km.conf_level))
        .collect();
    if groups.len() > 1 {
        let all = fit_counts(pooled, km, RmeanLimit::Individual)?;
        rows.push(rmst::spss_mean("Overall", &all, km.conf_level));
    }
    Ok(rows)
}

fn warnings_for_unused_groups(report: &mut KmReport, names: &[String]) {
    let unused: Vec<String> = report.tests[0]
        .expected
        .iter()
        .zip(names)
        .filter(|(e, _)| **e <= 0.0)
        .map(|(_, n)| format!("'{n}'"))
        .collect();
    report.warnings.push(format!(
        "group(s) {} have no one at risk at any event time and do not count in the tests' degrees of freedom",
        unused.join(", ")
    ));
}
