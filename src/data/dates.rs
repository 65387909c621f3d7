//! Calendar dates in ISO, day-first or month-first form, and Excel serials, as days since 1970-01-01.

use crate::error::{Error, Result};

/// How slashed or dotted dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// ISO dates always; day-first or month-first decided from the column when unambiguous.
    #[default]
    Auto,
    Dmy,
    Mdy,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn valid(year: i64, month: u32, day: u32) -> Option<i64> {
    ((1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && (1000..=9999).contains(&year))
    .then(|| days_from_civil(year, month, day))
}

/// The three numbers of a date and whether it was written year-first.
fn split(cell: &str) -> Option<(bool, [i64; 3])> {
    let date = cell.trim().split([' ', 'T']).next()?;
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = [
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    ];
    Some((parts[0].len() == 4, n))
}

/// Excel's day 0 is 1899-12-30 (its serials count the fictitious 1900-02-29).
const EXCEL_EPOCH: i64 = -25_569;

/// Parses one date cell; `None` when it is not a date in `format`.
pub fn parse_date(cell: &str, format: DateFormat) -> Option<i64> {
    if let Ok(serial) = cell.trim().parse::<f64>() {
        return (serial.fract() == 0.0 && (1.0..2_958_466.0).contains(&serial))
            .then(|| EXCEL_EPOCH + serial as i64);
    }
    let (year_first, [a, b, c]) = split(cell)?;
    let to_u32 = |x: i64| u32::try_from(x).ok();
    if year_first {
        return valid(a, to_u32(b)?, to_u32(c)?);
    }
    match format {
        DateFormat::Dmy => valid(c, to_u32(b)?, to_u32(a)?),
        DateFormat::Mdy => valid(c, to_u32(a)?, to_u32(b)?),
        DateFormat::Auto => None,
    }
}

/// Decides day-first or month-first for a column from its cells: a first number above 12
/// means day-first, a second above 12 month-first; dotted dates are day-first.
pub fn resolve_format<'a>(
    column: &str,
    format: DateFormat,
    cells: impl Iterator<Item = &'a str>,
) -> Result<DateFormat> {
    if format != DateFormat::Auto {
        return Ok(format);
    }
    let mut example = None;
    for cell in cells {
        let Some((false, [a, b, _])) = split(cell) else {
            continue;
        };
        if a > 12 || cell.contains('.') {
            return Ok(DateFormat::Dmy);
        }
        if b > 12 {
            return Ok(DateFormat::Mdy);
        }
        example.get_or_insert_with(|| cell.trim().to_string());
    }
    match example {
        Some(example) => Err(Error::AmbiguousDates {
            column: column.to_string(),
            example,
        }),
        None => Ok(DateFormat::Auto),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(parse_date("2021-03-04", DateFormat::Auto), Some(18_690));
        assert_eq!(parse_date("04/03/2021", DateFormat::Dmy), Some(18_690));
        assert_eq!(parse_date("03/04/2021", DateFormat::Mdy), Some(18_690));
        assert_eq!(parse_date("04.03.2021", DateFormat::Dmy), Some(18_690));
        // Excel serial 44259 is 2021-03-04.
        assert_eq!(parse_date("44259", DateFormat::Auto), Some(18_690));
        assert_eq!(parse_date("2021-02-29", DateFormat::Auto), None);
    }

    #[test]
    fn day_first_is_detected_and_ambiguity_reported() {
        let cells = ["01/02/2020", "25/02/2020"];
        assert_eq!(
            resolve_format("d", DateFormat::Auto, cells.into_iter()).unwrap(),
            DateFormat::Dmy
        );
        let cells = ["01/02/2020", "03/04/2020"];
        let err = resolve_format("surgery", DateFormat::Auto, cells.into_iter())
            .unwrap_err()
            .to_string();
        assert!(err.contains("--date-format"), "{err}");
    }
}
