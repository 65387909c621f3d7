//! Numbers for people: p-values and estimates as journals print them, never "0.000".

/// A p-value in the default style: three decimals, "<0.001" below that, never 0.
pub fn p_value(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else if p > 0.999 {
        ">0.999".into()
    } else {
        format!("{p:.3}")
    }
}

/// An optional estimate with fixed decimals; "NR" (not reached) when absent.
pub fn estimate(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "NR".into(), |x| format!("{x:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_are_never_zero() {
        assert_eq!(p_value(0.0), "<0.001");
        assert_eq!(p_value(0.0004), "<0.001");
        assert_eq!(p_value(0.0123), "0.012");
        assert_eq!(p_value(1.0), ">0.999");
    }

    #[test]
    fn absent_estimates_read_not_reached() {
        assert_eq!(estimate(None, 1), "NR");
        assert_eq!(estimate(Some(12.345), 1), "12.3");
    }
}
