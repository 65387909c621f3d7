//! Every numerical tolerance the models use, each with the reason for its value (as statrs'
//! `prec.rs` keeps its own): a tolerance copied from R says where R keeps it; one of
//! survcalc's own says what it guards against.

/// `.Machine$double.eps^0.75`: the pivot tolerance of the Cox information matrix, R's
/// `coxph.control()$toler.chol`. A covariate whose information is, to within this fraction,
/// explained by the earlier ones is collinear and dropped (R's NA coefficient). Used by the
/// Cox fit and its Wald test, Firth's model, `cox.zph` and Fine-Gray's information.
pub const TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

/// `coxph.wtest`'s default `toler.chol`: the pivot tolerance of the log-rank family's
/// covariance of observed minus expected. `survdiff` itself calls `solve()`, which stops on a
/// singular matrix; a zeroed pivot gives the same statistic wherever `solve()` gives one and
/// a generalised inverse where it would stop.
pub const TOLER_WALD: f64 = 1e-9;

/// Gray's test reports no statistic where the score variance is rank deficient: cmprsk's
/// `crstm` decides that with `qr()`, whose tolerance is 1e-7; the LDL' pivots are zero
/// exactly where the QR's columns are dependent (a group with no one at risk at any event
/// time of the cause).
pub const TOLER_GRAY: f64 = 1e-7;

/// `sqrt(.Machine$double.eps)`, the tolerance of `MASS::ginv`, which tableone uses to invert
/// the covariance of level proportions for a categorical standardised mean difference.
pub const TOLER_PSEUDO_INVERSE: f64 = 1.490_116_119_384_765_6e-8;

/// `sqrt(.Machine$double.eps)`: survival's tolerance for "the curve is exactly at the
/// quantile" (`survmean`'s and `quantile.survfit`'s `tol`), so a median on a flat stretch at
/// exactly 0.5 is the midpoint of that stretch, as R reports it.
pub const KM_QUANTILE: f64 = 1.490_116_119_384_765_6e-8;

/// Rounding noise of a log-likelihood, in units of its size: a step that lowers it by less
/// than `LOGLIK_NOISE * |loglik|` is not worse, only indistinguishable.
pub const LOGLIK_NOISE: f64 = 4.0 * f64::EPSILON;

/// A Cox Newton step this small, relative to the coefficient or to its null standard error
/// (whichever is larger, so the rule does not depend on the covariate's units), means the
/// maximum is reached: the estimate is the maximum to about 1e-12 rather than stopping, as
/// `coxph` does, when the log-likelihood changes by less than 1e-9.
pub const COX_STEP: f64 = 1e-12;

/// The smaller models of the likelihood-ratio test per covariate stop at a Newton step this
/// small (on [`COX_STEP`]'s scale): their log-likelihood, all the test uses, then misses the
/// maximum by s' I s / 2, under 1e-12 (z^2 + 1) per coefficient of z standard errors, far
/// below the 1e-6 the statistic is checked to; one evaluation fewer than [`COX_STEP`] takes.
pub const COX_LR_STEP: f64 = 1e-6;

/// A log-likelihood gain this small (relative) twice running means the Cox fit has levelled
/// off: the remaining steps are within rounding noise (see [`LOGLIK_NOISE`]).
pub const COX_FLAT: f64 = 1e-14;

/// Step halving gives up when the halved step is this small (on [`COX_STEP`]'s scale):
/// no step along the Newton direction improves on rounding noise, so the fit is at the top.
pub const COX_HALVING_FLOOR: f64 = 1e-15;

/// A final Newton step larger than this (on [`COX_STEP`]'s scale) flags a coefficient still
/// running away (monotone likelihood), as `coxph`'s `toler.inf` does.
pub const COX_INFINITE: f64 = 1e-4;

/// How far a term must move, in its null standard errors per null standard error of a
/// vanished direction, to be counted as running off to infinity with it.
pub const COX_DIRECTION: f64 = 1e-3;

/// Firth's Newton step this small, relative to the coefficient (or 1), ends the penalised fit.
pub const FIRTH_STEP: f64 = 1e-12;

/// A profile-likelihood limit (of a Firth coefficient, Cox or logistic) is found when the statistic is this
/// close to its critical value, or the bracket this narrow relative to the coefficient.
pub const FIRTH_PROFILE: f64 = 1e-12;
pub const FIRTH_BRACKET: f64 = 1e-13;

/// `lm.fit`'s `tol = 1e-7`: a design column whose part not explained by the columns before
/// it is below this fraction of its norm is aliased (R's NA coefficient), in `dqrdc2`.
pub const LM_TOL: f64 = 1e-7;

/// `glm.fit`'s QR tolerance, `min(1e-7, control$epsilon / 1000)` with the default epsilon
/// 1e-8: the same rule on the weighted design of each IRLS step.
pub const GLM_TOL: f64 = 1e-11;

/// `glm.control()$epsilon`: IRLS stops when |dev - dev_old| / (|dev| + 0.1) is below this.
/// survcalc stops where glm does, so its estimates and standard errors are glm's.
pub const GLM_EPSILON: f64 = 1e-8;

/// After glm's stop, a logistic coefficient whose Newton step is below this, relative to
/// the coefficient or its standard error at the first step, has settled: with quadratic
/// convergence, a finite maximum is reached in a step or two.
pub const LOGISTIC_SETTLED: f64 = 1e-9;

/// A last glm step below this (same scale) means the next would be below
/// [`LOGISTIC_SETTLED`] (each Newton step is about the square of the one before), so no
/// coefficient diverges and no further step is needed.
pub const LOGISTIC_QUADRATIC: f64 = 1e-5;

/// A logistic coefficient whose last step, on [`LOGISTIC_SETTLED`]'s scale, is still above
/// this runs to infinity (separation): diverging coefficients keep moving by about one unit
/// of the linear predictor per step, as [`COX_INFINITE`] flags them in Cox.
pub const LOGISTIC_INFINITE: f64 = 1e-4;

/// Firth's logistic Newton step this small, relative to the coefficient (or 1), ends the
/// penalised fit. Its Newton matrix only approximates the Hessian (firthmodels' choice), so
/// convergence is linear and stalls in rounding near 1e-13: 1e-11 is reached, reliably.
pub const FIRTH_LOGISTIC_STEP: f64 = 1e-11;

/// `cmprsk::crr`'s `gtol`: Fine-Gray's fit stops when every score entry, times the larger of
/// 1 and its coefficient, is below this fraction of the log pseudo-likelihood (or of 1).
pub const FINE_GRAY_GTOL: f64 = 1e-6;

/// R's `fisher.test` counts 2 x 2 tables with probability up to the observed one times
/// (1 + 1e-7); FEXACT, used for larger tables, allows 3.45254e-7 on the log scale.
pub const FISHER_2X2: f64 = 1e-7;
pub const FISHER_LOG_RXC: f64 = 3.45254e-7;

/// `sqrt(.Machine$double.eps)`, coin's tolerance when it compares permutation statistics: a
/// permuted log-rank statistic (or score sum, in units of its standard deviation when that
/// exceeds 1) this close to the observed one is as extreme as it, so sums equal but for
/// rounding count in the P.
pub const PERMUTATION_TIE: f64 = 1.490_116_119_384_765_6e-8;

/// Two sums of log-rank scores closer than this are one sum in the exact permutation
/// distribution: rounding in sums of a few hundred scores of size up to ln(n) + 1 stays
/// below 1e-12, and distinct sums this close are vanishingly rare (scores are fractions with
/// denominators at most n, so distinct sums of few subjects differ by far more).
pub const PERMUTATION_MERGE: f64 = 1e-10;

#[cfg(test)]
mod tests {
    use super::*;

    /// The constants written as R prints them equal the expressions R computes them from.
    #[test]
    fn copied_constants_equal_their_definitions() {
        assert_eq!(TOLER_CHOL, f64::EPSILON.powf(0.75));
        assert_eq!(TOLER_PSEUDO_INVERSE, f64::EPSILON.sqrt());
        assert_eq!(KM_QUANTILE, f64::EPSILON.sqrt());
        assert_eq!(PERMUTATION_TIE, f64::EPSILON.sqrt());
    }
}
