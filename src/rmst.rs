//! Restricted mean survival time between groups: the difference and ratio against a reference group at a common tau (survRM2's unadjusted `rmst2` contrasts), and the mean of SPSS's "Means and Medians for Survival Time" table.

use serde::Serialize;

use crate::engine::dist::{normal_two_sided, z_two_sided};
use crate::km::{rmean_to, KmCurve};

/// One group's restricted mean against the reference group's (the contract's
/// `rmst_comparison` entry). Quantities that do not exist (a ratio to a mean of 0, a P with
/// a standard error of 0 and no difference) are null.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RmstComparison {
    pub group: String,
    pub reference: String,
    /// rmean(group) - rmean(reference).
    pub difference: f64,
    /// sqrt(se_group^2 + se_reference^2), from the groups' `rmean_se`.
    pub difference_se: f64,
    pub difference_lower: f64,
    pub difference_upper: f64,
    pub difference_p: Option<f64>,
    /// rmean(group) / rmean(reference), its limits and P on the log scale.
    pub ratio: Option<f64>,
    pub ratio_lower: Option<f64>,
    pub ratio_upper: Option<f64>,
    pub ratio_p: Option<f64>,
}

/// Each group after the first against the first, from (name, rmean, rmean_se) at a common
/// tau, with normal limits at `conf_level`.
///
/// As survRM2's `rmst2` without covariates (Uno et al. 2014, Journal of Clinical Oncology
/// 32, 2380): difference d = mu1 - mu0 with se sqrt(se1^2 + se0^2), limits d -+ z se and P
/// 2 (1 - Phi(|d| / se)); ratio r = mu1 / mu0 with log r's se sqrt(se1^2/mu1^2 +
/// se0^2/mu0^2), limits exp(log r -+ z se) and P from log r / se.
pub fn compare(groups: &[(String, f64, f64)], conf_level: f64) -> Vec<RmstComparison> {
    let z = z_two_sided(conf_level);
    let Some(((reference, mu0, se0), rest)) = groups.split_first() else {
        return Vec::new();
    };
    rest.iter()
        .map(|(name, mu1, se1)| {
            let difference = mu1 - mu0;
            let difference_se = se1.hypot(*se0);
            let log_ratio = (mu1 / mu0).ln();
            let log_se = ((se1 / mu1).powi(2) + (se0 / mu0).powi(2)).sqrt();
            let finite = |x: f64| x.is_finite().then_some(x);
            let log_ok = log_ratio.is_finite() && log_se.is_finite();
            RmstComparison {
                group: name.clone(),
                reference: reference.clone(),
                difference,
                difference_se,
                difference_lower: difference - z * difference_se,
                difference_upper: difference + z * difference_se,
                difference_p: p_value(difference, difference_se),
                ratio: log_ok.then(|| log_ratio.exp()),
                ratio_lower: finite((log_ratio - z * log_se).exp()).filter(|_| log_ok),
                ratio_upper: finite((log_ratio + z * log_se).exp()).filter(|_| log_ok),
                ratio_p: p_value(log_ratio, log_se).filter(|_| log_ok),
            }
        })
        .collect()
}

/// Two-sided normal P of estimate / se; with se = 0, 0 for a non-zero estimate and none
/// for a zero one.
fn p_value(estimate: f64, se: f64) -> Option<f64> {
    if se > 0.0 {
        normal_two_sided(estimate / se)
    } else {
        (estimate != 0.0 && estimate.is_finite()).then_some(0.0)
    }
}

/// One row of SPSS's "Means and Medians for Survival Time" table, its mean part: the mean
/// restricted to the group's largest observed time, its standard error and normal limits.
///
/// The median's standard error and interval are not given. SPSS documents them in its
/// Statistical Algorithms ("KM" chapter) as a crude density estimate from the survival at
/// the 45th and 55th percentiles (Klein and Moeschberger, Practical Note 3, p. 122; as
/// described in an answer citing that chapter:
/// <https://imathworks.com/cv/kaplan-meier-using-survfit-confidence-interval-of-the-median/>),
/// but no source we could cite gives the formula exactly (which observed times bound the
/// density's interval), and a guessed one could not be checked against SPSS. The median
/// and its Brookmeyer-Crowley interval are the group's `median`, `median_lower` and
/// `median_upper`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpssMean {
    /// The group's name, or "Overall" for all subjects together (SPSS's last row).
    pub group: String,
    pub n: u64,
    pub events: u64,
    /// Area under the Kaplan-Meier curve up to `limit` (R: `print(fit, rmean =
    /// "individual")`).
    pub mean: f64,
    /// Its standard error (R's survmean formula).
    pub se: f64,
    /// mean -+ z se at the analysis' confidence level (SPSS: mean -+ 1.96 SE).
    pub lower: f64,
    pub upper: f64,
    /// The group's largest observed time.
    pub limit: f64,
    /// Whether a subject is censored at that time: the curve does not reach 0 and the mean
    /// underestimates (SPSS's footnote "Estimation is limited to the largest survival time
    /// if it is censored").
    pub limit_censored: bool,
}

/// The SPSS mean row of a curve named `group`.
pub fn spss_mean(group: &str, curve: &KmCurve, conf_level: f64) -> SpssMean {
    let last = curve.steps.last();
    let limit = last.map_or(0.0, |s| s.time);
    let (mean, se) = rmean_to(curve, limit);
    let z = z_two_sided(conf_level);
    SpssMean {
        group: group.to_string(),
        n: curve.n,
        events: curve.events,
        mean,
        se,
        lower: mean - z * se,
        upper: mean + z * se,
        limit,
        limit_censored: last.is_some_and(|s| s.n_censor > 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difference_and_ratio_by_hand() {
        // mu0 = 20 (se 3), mu1 = 30 (se 4): d = 10, se 5, z(0.95) = 1.959964;
        // log r = ln 1.5, se sqrt(0.0225 + (4/30)^2) = sqrt(0.0225 + 0.017778) = 0.200694.
        let c = &compare(&[("a".into(), 20.0, 3.0), ("b".into(), 30.0, 4.0)], 0.95)[0];
        assert_eq!((c.group.as_str(), c.reference.as_str()), ("b", "a"));
        assert!((c.difference_se - 5.0).abs() < 1e-12);
        assert!((c.difference_lower - (10.0 - 1.959963984540054 * 5.0)).abs() < 1e-9);
        assert!((c.difference_p.unwrap() - 0.045500263896358).abs() < 1e-9);
        let log_se = (0.0225f64 + (4.0f64 / 30.0).powi(2)).sqrt();
        assert!((c.ratio.unwrap() - 1.5).abs() < 1e-12);
        let upper = (1.5f64.ln() + 1.959963984540054 * log_se).exp();
        assert!((c.ratio_upper.unwrap() - upper).abs() < 1e-9);
    }

    #[test]
    fn no_spread_gives_no_p_for_no_difference() {
        let c = &compare(&[("a".into(), 5.0, 0.0), ("b".into(), 5.0, 0.0)], 0.95)[0];
        assert_eq!((c.difference_p, c.ratio_p), (None, None));
        let c = &compare(&[("a".into(), 5.0, 0.0), ("b".into(), 6.0, 0.0)], 0.95)[0];
        assert_eq!(c.difference_p, Some(0.0));
    }
}
