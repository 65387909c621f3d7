//! Linear regression by least squares, as R's `lm` and `summary.lm` compute it.
//!
//! X = QR by [`Qr`] (LINPACK's dqrdc2 with lm's tolerance 1e-7, so aliased columns are the
//! ones R drops). With p the rank and n the rows: b solves R b = (Q'y)[1..p]; residual
//! variance s^2 = RSS / (n - p); Var(b) = s^2 (R'R)^-1 (chol2inv); t = b / se with
//! n - p df; limits b -+ qt((1 + level) / 2, n - p) se (`confint.lm`). With the intercept:
//! MSS = sum (fitted - mean fitted)^2, R^2 = MSS / (MSS + RSS), adjusted
//! 1 - (1 - R^2)(n - 1)/(n - p), F = (MSS / (p - 1)) / s^2 on (p - 1, n - p) df
//! (R 4.2, src/library/stats/R/lm.R, summary.lm).

use serde::Serialize;

use super::{aliased_warnings, finite, Residual, Term, WithIntercept};
use crate::data::design::Design;
use crate::data::Exclusion;
use crate::engine::dist::{f_upper, t_quantile_two_sided, t_two_sided};
use crate::engine::linalg::Qr;
use crate::engine::tolerance::LM_TOL;

/// The overall F test of the model against the intercept alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FTest {
    pub statistic: f64,
    pub df1: usize,
    pub df2: usize,
    pub p: f64,
}

/// A fitted linear model: the `survcalc regression --family linear` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinearFit {
    pub n: usize,
    pub terms: Vec<Term>,
    pub r_squared: Option<f64>,
    pub adj_r_squared: Option<f64>,
    /// Residual standard error.
    pub sigma: Option<f64>,
    pub df_residual: usize,
    /// Absent when only the intercept is estimable.
    pub f_test: Option<FTest>,
    /// Number of estimable coefficients, the intercept included.
    pub rank: usize,
    pub conf_level: f64,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
    /// Fitted values and residuals per row used, for a residual plot; only when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residuals: Option<Vec<Residual>>,
}

/// Fits `y ~ 1 + design` by least squares.
/// With `residuals`, the result keeps each row's fitted value and residual.
///
/// `rows` holds each observation's 1-based data row (for the residuals).
pub fn fit(
    y: &[f64],
    design: &Design,
    rows: &[usize],
    conf_level: f64,
    residuals: bool,
) -> LinearFit {
    fit_matrix(
        y,
        WithIntercept::new(design, y.len()),
        rows,
        conf_level,
        residuals,
    )
}

/// [`fit`] on the design with its intercept, column-major.
pub(super) fn fit_matrix(
    y: &[f64],
    x: WithIntercept,
    rows: &[usize],
    conf_level: f64,
    residuals: bool,
) -> LinearFit {
    let n = y.len();
    let qr = Qr::new(x.columns, n, x.terms.len(), LM_TOL);
    let effects = qr.qty(y);
    let coef = qr.coefficients(&effects);
    let resid = qr.residuals(&effects);
    let fitted: Vec<f64> = y.iter().zip(&resid).map(|(y, r)| y - r).collect();
    let rank = qr.rank;
    let df = n - rank;
    let rss: f64 = resid.iter().map(|r| r * r).sum();
    let mean_fitted = fitted.iter().sum::<f64>() / n as f64;
    let mss: f64 = fitted.iter().map(|f| (f - mean_fitted).powi(2)).sum();
    let resvar = rss / df as f64;
    let cov = qr.unscaled_covariance();
    let t_crit = t_quantile_two_sided(conf_level, df as f64);
    let mut terms: Vec<Term> = x.terms.iter().map(Term::aliased).collect();
    for (pos, &col) in qr.pivot[..rank].iter().enumerate() {
        let estimate = coef[pos];
        let se = finite((cov[pos * rank + pos] * resvar).sqrt());
        let statistic = se.and_then(|s| finite(estimate / s));
        terms[col] = Term {
            estimate: Some(estimate),
            se,
            statistic,
            p: statistic.and_then(|t| t_two_sided(t, df as f64)),
            lower: se.zip(t_crit).map(|(s, q)| estimate - q * s),
            upper: se.zip(t_crit).map(|(s, q)| estimate + q * s),
            aliased: false,
            ..terms[col].clone()
        };
    }
    let r_squared = finite(mss / (mss + rss));
    let f_test = (rank > 1 && df > 0)
        .then(|| {
            let statistic = (mss / (rank - 1) as f64) / resvar;
            let p = f_upper(statistic, (rank - 1) as f64, df as f64)?;
            statistic.is_finite().then_some(FTest {
                statistic,
                df1: rank - 1,
                df2: df,
                p,
            })
        })
        .flatten();
    let mut warnings = aliased_warnings(&terms);
    // summary.lm's check: a residual variance below 1e-30 of the fitted values' scale.
    let scale = mean_fitted.powi(2) + variance(&fitted);
    if resvar.is_finite() && resvar < scale * 1e-30 {
        warnings.push(
            "The model fits the outcome essentially perfectly (no residual variation), so standard errors and tests are unreliable".into(),
        );
    }
    if df == 0 {
        warnings.push(format!(
            "{n} rows for {rank} coefficients leave no residual degrees of freedom, so no standard error, test or interval can be computed"
        ));
    }
    LinearFit {
        n,
        terms,
        r_squared,
        adj_r_squared: r_squared
            .and_then(|r2| finite(1.0 - (1.0 - r2) * (n.saturating_sub(1) as f64 / df as f64))),
        sigma: finite(resvar.sqrt()),
        df_residual: df,
        f_test,
        rank,
        conf_level,
        excluded: Vec::new(),
        warnings,
        residuals: residuals.then(|| {
            rows.iter()
                .zip(fitted.iter().zip(&resid))
                .map(|(&row, (&fitted, &residual))| Residual {
                    row,
                    fitted,
                    residual,
                })
                .collect()
        }),
    }
}

/// R's `var`: the sample variance with n - 1 in the denominator (0 for one value).
fn variance(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64
}
