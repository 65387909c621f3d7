//! Reading single cells: missing-value tokens, numbers in either decimal convention, and level order.

use std::cmp::Ordering;

/// Tokens that mean "no value" in exports from Excel, SPSS, R and hospital systems.
///
/// "None" is not among them: it is a real answer in clinical data (comorbidities: none).
pub const MISSING_TOKENS: [&str; 10] = [
    "", "na", "n/a", ".", "-", "nan", "#n/a", "null", "missing", "?",
];

/// Whether a cell holds no value, by the built-in tokens or the user's extra ones.
pub fn is_missing(cell: &str, extra: &[String]) -> bool {
    let cell = cell.trim();
    // No built-in token starts with a digit, and most cells of a large file are numbers.
    let maybe_token = !cell.as_bytes().first().is_some_and(u8::is_ascii_digit);
    (maybe_token && MISSING_TOKENS.iter().any(|t| cell.eq_ignore_ascii_case(t)))
        || extra.iter().any(|t| cell.eq_ignore_ascii_case(t.trim()))
}

/// What a cell holds where a number is expected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberCell {
    Value(f64),
    Missing,
    Text,
}

/// Reads a cell where a number is expected. The user's extra tokens may look like numbers
/// ("-99"), so they are checked first; no built-in token is a number, so those are checked
/// only when the cell does not parse (most cells of a large file are numbers).
pub fn read_number(cell: &str, decimal_comma: bool, extra: &[String]) -> NumberCell {
    if !extra.is_empty() && is_missing(cell, extra) {
        return NumberCell::Missing;
    }
    match parse_number(cell, decimal_comma) {
        Some(v) => NumberCell::Value(v),
        None if is_missing(cell, &[]) => NumberCell::Missing,
        None => NumberCell::Text,
    }
}

/// Parses a number written with a decimal point, or a decimal comma when `decimal_comma`.
pub fn parse_number(cell: &str, decimal_comma: bool) -> Option<f64> {
    let cell = cell.trim();
    let value = if decimal_comma && cell.contains(',') {
        // "1.234,5": points group thousands where the comma marks decimals.
        cell.replace('.', "")
            .replace(',', ".")
            .parse::<f64>()
            .ok()?
    } else if let Some(value) = plain_decimal(cell.as_bytes()) {
        return Some(value);
    } else {
        cell.parse::<f64>().ok()?
    };
    value.is_finite().then_some(value)
}

/// Most significant digits for which the digits as an integer are exact in a double.
const EXACT_DIGITS: usize = 15;
const POWERS_OF_TEN: [f64; EXACT_DIGITS + 1] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// A plain decimal ("57", "-0.123456") with at most 15 digits, which is most cells of a
/// clinical table, read several times faster than the general parser and to the same
/// double: the digits and the power of ten are both exact, so one correctly rounded
/// division gives the correctly rounded value (Clinger's fast path). Anything else
/// (exponents, more digits, thousands marks) is `None`, for the general parser.
fn plain_decimal(bytes: &[u8]) -> Option<f64> {
    let (negative, body) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mut digits, mut decimals, mut point) = (0u64, 0usize, false);
    let mut count = 0;
    for &b in body {
        match b {
            b'0'..=b'9' if count < EXACT_DIGITS => {
                digits = digits * 10 + u64::from(b - b'0');
                count += 1;
                decimals += usize::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let value = digits as f64 / POWERS_OF_TEN[decimals];
    Some(if negative { -value } else { value })
}

/// Orders levels as the contract says: numerically when every level is a number, else by
/// character code.
pub fn sort_levels(levels: &mut [String]) {
    let numeric: Option<Vec<f64>> = levels.iter().map(|l| parse_number(l, false)).collect();
    if numeric.is_some() {
        levels.sort_by(|a, b| {
            let (x, y) = (parse_number(a, false), parse_number(b, false));
            x.partial_cmp(&y)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.cmp(b))
        });
    } else {
        levels.sort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast path gives exactly the general parser's double, or leaves the cell to it.
        #[test]
        fn plain_decimals_read_as_the_general_parser(
            sign in prop_oneof![Just(""), Just("-"), Just("+")],
            int in "[0-9]{0,12}",
            frac in proptest::option::of("[0-9]{0,12}"),
        ) {
            let text = match &frac {
                Some(f) => format!("{sign}{int}.{f}"),
                None => format!("{sign}{int}"),
            };
            let general = text.parse::<f64>().ok();
            match plain_decimal(text.as_bytes()) {
                Some(v) => prop_assert_eq!(Some(v.to_bits()), general.map(f64::to_bits), "{}", text),
                None => prop_assert!(general.is_none() || int.len() + frac.map_or(0, |f| f.len()) > EXACT_DIGITS),
            }
        }
    }

    #[test]
    fn plain_decimals_by_hand() {
        assert_eq!(plain_decimal(b"57"), Some(57.0));
        assert_eq!(plain_decimal(b"-0.125"), Some(-0.125));
        assert_eq!(plain_decimal(b".5"), Some(0.5));
        assert_eq!(plain_decimal(b"5."), Some(5.0));
        assert_eq!(plain_decimal(b"0.1"), Some(0.1));
        assert_eq!(plain_decimal(b"1e5"), None);
        assert_eq!(plain_decimal(b"1.2.3"), None);
        assert_eq!(plain_decimal(b"."), None);
        assert_eq!(plain_decimal(b"-"), None);
        assert_eq!(plain_decimal(b"1234567890123456"), None);
    }

    #[test]
    fn missing_tokens_are_case_insensitive() {
        assert!(is_missing(" NA ", &[]));
        assert!(is_missing("#N/A", &[]));
        assert!(is_missing("unk", &["UNK".to_string()]));
        assert!(!is_missing("0", &[]));
    }

    #[test]
    fn decimal_comma_only_when_asked() {
        assert_eq!(parse_number("1,5", true), Some(1.5));
        assert_eq!(parse_number("1,5", false), None);
        assert_eq!(parse_number("2.25", true), Some(2.25));
        assert_eq!(parse_number("1.234,5", true), Some(1234.5));
        assert_eq!(parse_number("inf", false), None);
    }

    #[test]
    fn levels_sort_numerically_when_all_numbers() {
        let mut l = vec!["10".to_string(), "2".to_string(), "1".to_string()];
        sort_levels(&mut l);
        assert_eq!(l, ["1", "2", "10"]);
        let mut l = vec!["b".to_string(), "B".to_string(), "a".to_string()];
        sort_levels(&mut l);
        assert_eq!(l, ["B", "a", "b"]);
    }
}
