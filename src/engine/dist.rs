//! Tail probabilities and quantiles of the t, F, chi-square and normal distributions, accurate in the far tail.
//!
//! Each calls statrs' special functions on the argument that keeps the tail's digits (for F,
//! `d2 / (d2 + d1 x)` rather than `1 - d1 x / (d1 x + d2)`), as R's `pt`, `pf`, `pchisq` and
//! `pnorm` do; invalid arguments give `None` instead of a panic.

use statrs::function::{beta, erf, gamma};

/// Two-sided P for a t statistic: R's `2 * pt(-abs(t), df)`.
pub fn t_two_sided(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() || df.is_nan() || df <= 0.0 {
        return None;
    }
    if df.is_infinite() {
        return Some(erf::erfc(t.abs() / std::f64::consts::SQRT_2));
    }
    beta::checked_beta_reg(df / 2.0, 0.5, df / (df + t * t)).ok()
}

/// Upper tail of the F distribution: R's `pf(f, d1, d2, lower.tail = FALSE)`.
pub fn f_upper(f: f64, d1: f64, d2: f64) -> Option<f64> {
    if f.is_nan() || d1.is_nan() || d2.is_nan() || d1 <= 0.0 || d2 <= 0.0 {
        return None;
    }
    if f <= 0.0 {
        return Some(1.0);
    }
    if f.is_infinite() {
        return Some(0.0);
    }
    if d2.is_infinite() {
        return chi_square_upper(f * d1, d1);
    }
    beta::checked_beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f)).ok()
}

/// Upper tail of the chi-square distribution: R's `pchisq(x, df, lower.tail = FALSE)`,
/// including its 0 df case (a point mass at 0: 1 for x <= 0, else 0).
pub fn chi_square_upper(x: f64, df: f64) -> Option<f64> {
    if x.is_nan() || df.is_nan() || df < 0.0 {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    if x.is_infinite() || df == 0.0 {
        return Some(0.0);
    }
    gamma::checked_gamma_ur(df / 2.0, x / 2.0).ok()
}

/// The P of a chi-square test with `df` whole degrees of freedom: R's
/// `pchisq(chisq, df, lower.tail = FALSE)`, null when the statistic is not a finite number.
///
/// On 0 degrees of freedom R's chi-square is a point mass at 0, so a statistic of 0 has
/// P = 1 (`survdiff` prints p = 1 when only one group has expected events). A model's test
/// of nothing (no estimable term) reports neither statistic nor P: that is decided by the
/// caller ([`crate::cox::ChisqTest`]), not here.
pub fn chisq_p(chisq: f64, df: usize) -> Option<f64> {
    chi_square_upper(chisq, df as f64).filter(|_| chisq.is_finite())
}

/// Two-sided P for a standard normal statistic: R's `2 * min(pnorm(z), pnorm(z, lower.tail = FALSE))`.
pub fn normal_two_sided(z: f64) -> Option<f64> {
    (!z.is_nan()).then(|| erf::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// The standard normal quantile for a two-sided interval: R's `qnorm(1 - (1 - level) / 2)`.
pub fn z_two_sided(conf_level: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::standard().inverse_cdf(0.5 + conf_level / 2.0)
}

/// The t quantile for a two-sided interval: R's `qt((1 + level) / 2, df)`; `None` for no df.
///
/// statrs inverts the regularised incomplete beta function (t^2 = df (1 - x) / x with
/// x = I^-1(df / 2, 1 / 2; 1 - level)); a few Newton steps on [`t_two_sided`], whose tail is
/// accurate, then polish it to the last digits (the inversion alone is good to about 1e-9).
pub fn t_quantile_two_sided(conf_level: f64, df: f64) -> Option<f64> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    if !(conf_level > 0.0 && conf_level < 1.0 && df > 0.0) {
        return None;
    }
    if df.is_infinite() {
        return Some(z_two_sided(conf_level));
    }
    let alpha = 1.0 - conf_level;
    let mut q = StudentsT::new(0.0, 1.0, df)
        .ok()?
        .inverse_cdf(1.0 - alpha / 2.0);
    // log of the t density's constant: lgamma((df + 1) / 2) - lgamma(df / 2) - log(df pi) / 2.
    let log_c = gamma::ln_gamma((df + 1.0) / 2.0)
        - gamma::ln_gamma(df / 2.0)
        - 0.5 * (df * std::f64::consts::PI).ln();
    for _ in 0..4 {
        let tail = t_two_sided(q, df)?;
        let density = (log_c - (df + 1.0) / 2.0 * (q * q / df).ln_1p()).exp();
        let step = (tail - alpha) / (2.0 * density);
        if !step.is_finite() {
            break;
        }
        q += step;
        if step.abs() <= 1e-15 * q.abs() {
            break;
        }
    }
    q.is_finite().then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs()
    }

    // Expected values from R 4.2: 2*pt(-4.5, 7), pf(30, 2, 20, lower.tail=FALSE),
    // pchisq(80, 3, lower.tail=FALSE), 2*pnorm(-6).
    #[test]
    fn tails_match_r() {
        assert!(close(
            t_two_sided(4.5, 7.0).unwrap(),
            2.798_330_077_842_627e-3
        ));
        assert!(close(
            f_upper(30.0, 2.0, 20.0).unwrap(),
            9.536_743_164_062_494e-7
        ));
        assert!(close(
            chi_square_upper(80.0, 3.0).unwrap(),
            3.069_277_486_172_418e-17
        ));
        assert!(close(
            normal_two_sided(-6.0).unwrap(),
            1.973_175_290_075_396e-9
        ));
    }

    #[test]
    fn invalid_arguments_give_none() {
        assert_eq!(t_two_sided(f64::NAN, 3.0), None);
        assert_eq!(f_upper(2.0, 0.0, 3.0), None);
        assert_eq!(chi_square_upper(1.0, -1.0), None);
    }

    #[test]
    fn zero_df_is_a_point_mass_at_zero_as_in_r() {
        // pchisq(0, 0, lower.tail = FALSE) = 1 and pchisq(2, 0, lower.tail = FALSE) = 0 in R 4.2.
        assert_eq!(chi_square_upper(0.0, 0.0), Some(1.0));
        assert_eq!(chi_square_upper(2.0, 0.0), Some(0.0));
        assert_eq!(chisq_p(0.0, 0), Some(1.0));
    }

    /// pchisq(3.84, 1, lower.tail = FALSE) = 0.050043521248705224 in R 4.2; an infinite or NaN
    /// statistic has no P.
    #[test]
    fn chisq_p_as_r_and_null_without_a_statistic() {
        assert!(close(chisq_p(3.84, 1).unwrap(), 0.050_043_521_248_705_22));
        assert_eq!(chisq_p(f64::INFINITY, 2), None);
        assert_eq!(chisq_p(f64::NAN, 2), None);
    }

    #[test]
    fn two_sided_t_quantile() {
        // qt(0.975, c(1, 5, 28, 1000)) and qt(0.995, 3) in R 4.2.
        for (level, df, q) in [
            (0.95, 1.0, 12.706_204_736_174_694),
            (0.95, 5.0, 2.570_581_835_636_313_7),
            (0.95, 28.0, 2.048_407_141_795_244_5),
            (0.95, 1000.0, 1.962_339_080_826_407_6),
            (0.99, 3.0, 5.840_909_309_733_354),
        ] {
            let got = t_quantile_two_sided(level, df).unwrap();
            assert!((got - q).abs() <= 1e-13 * q, "df {df}: {got} vs {q}");
        }
        assert_eq!(t_quantile_two_sided(0.95, 0.0), None);
    }

    #[test]
    fn two_sided_normal_quantile() {
        // qnorm(0.975) = 1.959963984540054 and qnorm(0.95) = 1.644853626951472 in R 4.2.
        assert!((z_two_sided(0.95) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((z_two_sided(0.90) - 1.644_853_626_951_472).abs() < 1e-12);
    }
}
