//! A test per covariate, all the terms of a categorical one together: the Wald test
//! b' V^-1 b over its terms (SPSS's row for a categorical variable) and the likelihood-ratio
//! test against the model without it, as R's `drop1(fit, test = "Chisq")`.
//!
//! The smaller model is fitted to the same rows, strata and tied-death rule, on the full
//! model's sorted risk sets with the covariate's columns left out; it starts from the full
//! model's coefficients (the same maximum, in fewer steps) and takes its derivatives at zero
//! from the full model's, which at beta = 0 do not depend on the columns left out. Only its
//! log-likelihood is wanted, which a Newton step s short of the maximum misses by about
//! s' I s / 2: it stops at [`COX_LR_STEP`] rather than the coefficients' [`COX_STEP`].
//!
//! [`COX_STEP`]: crate::engine::tolerance::COX_STEP

use serde::Serialize;

use super::newton::{maximise_from, Maximum};
use crate::engine::dist::chisq_p;
use crate::engine::risk_set::RiskSets;
use crate::engine::tolerance::COX_LR_STEP;
use crate::options::Ties;
use crate::parallel::both;

/// One covariate's overall tests (the `covariate_tests` of `survcalc cox`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CovariateTest {
    pub covariate: String,
    /// The covariate's estimable terms: the Wald test's degrees of freedom.
    pub df: usize,
    /// Null when one of its terms runs to infinity (its variance then means nothing) or
    /// none is estimable.
    pub wald_chisq: Option<f64>,
    pub wald_p: Option<f64>,
    /// Twice the log-likelihood gained by adding the covariate to the model without it;
    /// null only when that smaller model cannot be fitted.
    pub lr_chisq: Option<f64>,
    /// The model's estimable terms minus the smaller model's (drop1's `Df`): `df`, unless
    /// the covariate is collinear with others.
    pub lr_df: usize,
    /// Null on 0 degrees of freedom, as drop1's.
    pub lr_p: Option<f64>,
}

/// The tests of each covariate (its name and its columns of the design, none when it was
/// left out) of the model fitted to `rs` with maximum `max`. Each needs a fit of its own, so
/// on the command line the covariates are split between two threads.
pub(super) fn covariate_tests(
    rs: &RiskSets,
    max: &Maximum,
    ties: Ties,
    covariates: &[(String, Vec<usize>)],
) -> Vec<CovariateTest> {
    let (first, second) = covariates.split_at(covariates.len() / 2);
    let run = |half: &[(String, Vec<usize>)]| -> Vec<CovariateTest> {
        half.iter()
            .map(|(name, columns)| covariate_test(rs, max, ties, name, columns))
            .collect()
    };
    let (mut tests, rest) = both(|| run(first), || run(second));
    tests.extend(rest);
    tests
}

/// The tests of one covariate, with the design columns `columns`.
fn covariate_test(
    rs: &RiskSets,
    max: &Maximum,
    ties: Ties,
    name: &str,
    columns: &[usize],
) -> CovariateTest {
    let rank = max.singular.iter().filter(|&&s| !s).count();
    let estimable: Vec<usize> = columns
        .iter()
        .copied()
        .filter(|&j| !max.singular[j])
        .collect();
    let df = estimable.len();
    let any_infinite = estimable.iter().any(|&j| max.infinite[j]);
    let wald_chisq = (df > 0 && !any_infinite)
        .then(|| max.wald(&estimable).max(0.0))
        .filter(|c| c.is_finite());
    let without = drop_columns(rs, max, ties, columns);
    let lr_chisq = without
        .as_ref()
        .map(|(loglik, _)| (2.0 * (max.at_beta.loglik - loglik)).max(0.0))
        .filter(|c| c.is_finite());
    let lr_df = without.map_or(df, |(_, smaller_rank)| rank.saturating_sub(smaller_rank));
    CovariateTest {
        covariate: name.to_string(),
        df,
        wald_chisq,
        wald_p: wald_chisq.and_then(|c| chisq_p(c, df)),
        lr_chisq,
        lr_df,
        lr_p: lr_chisq
            .filter(|_| lr_df > 0)
            .and_then(|c| chisq_p(c, lr_df)),
    }
}

/// The log-likelihood and the number of estimable terms of the model without `columns`;
/// `None` when it cannot be fitted (its log-likelihood is not a number).
fn drop_columns(
    rs: &RiskSets,
    max: &Maximum,
    ties: Ties,
    columns: &[usize],
) -> Option<(f64, usize)> {
    if columns.is_empty() {
        let rank = max.singular.iter().filter(|&&s| !s).count();
        return Some((max.at_beta.loglik, rank));
    }
    let kept: Vec<usize> = (0..rs.p).filter(|j| !columns.contains(j)).collect();
    if kept.is_empty() {
        // The null model: its log-likelihood is the full model's at beta = 0.
        return Some((max.at_zero.loglik, 0));
    }
    let smaller = rs.select(&kept);
    let start = kept.iter().map(|&j| max.beta[j]).collect();
    let at_zero = max.at_zero.restrict(&kept);
    let fit = maximise_from(&smaller, ties, at_zero, start, COX_LR_STEP);
    let rank = fit.singular.iter().filter(|&&s| !s).count();
    fit.at_beta
        .loglik
        .is_finite()
        .then_some((fit.at_beta.loglik, rank))
}
