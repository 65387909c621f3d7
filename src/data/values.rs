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

/// Reads a cell where a number is expected: the number is tried first, the missing tokens
/// only when it is not one (most cells of a large file are numbers), unless the user named
/// extra tokens, which may look like numbers ("-99").
pub fn read_number(cell: &str, decimal_comma: bool, extra: &[String]) -> NumberCell {
    if extra.is_empty() {
        if let Some(v) = parse_number(cell, decimal_comma) {
            return NumberCell::Value(v);
        }
    }
    if is_missing(cell, extra) {
        NumberCell::Missing
    } else {
        parse_number(cell, decimal_comma).map_or(NumberCell::Text, NumberCell::Value)
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
    } else {
        cell.parse::<f64>().ok()?
    };
    value.is_finite().then_some(value)
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
