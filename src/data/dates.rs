//! Calendar dates in ISO, day-first or month-first form, and Excel serials, as days since 1970-01-01.

use crate::error::{Error, Hint, Result};
use crate::options::DateFormat;

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

/// The calendar date of a count of days since 1970-01-01 (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A day count as ISO text, `2021-03-04`.
pub fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whether a cell is written as a date (not a bare number such as an Excel serial) in any
/// supported form: ISO, day-first, month-first, `20210304` or with a month name.
pub fn is_written_date(cell: &str) -> bool {
    let cell = cell.trim();
    if cell.parse::<f64>().is_ok() {
        return compact_date(cell).is_some();
    }
    [DateFormat::Dmy, DateFormat::Mdy]
        .iter()
        .any(|&f| parse_date(cell, f).is_some())
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

/// `20210304`, as hospital systems and SAS write dates: eight digits, year first.
fn compact_date(cell: &str) -> Option<i64> {
    if cell.len() != 8 || !cell.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = cell[..4].parse().ok()?;
    valid(year, cell[4..6].parse().ok()?, cell[6..].parse().ok()?)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `4-Mar-2021`, `04 March 2021`, `04MAR2021` (SAS), `Mar 4, 2021`: unambiguous by the name.
fn named_month_date(cell: &str) -> Option<i64> {
    let lower = cell.to_ascii_lowercase();
    let start = lower.find(|c: char| c.is_ascii_alphabetic())?;
    let end = lower[start..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .map_or(lower.len(), |e| start + e);
    let word = &lower[start..end];
    let month = MONTHS
        .iter()
        .position(|m| word.len() >= 3 && m.starts_with(word))?;
    let numbers: Vec<&str> = lower[..start]
        .split(|c: char| !c.is_ascii_digit())
        .chain(lower[end..].split(|c: char| !c.is_ascii_digit()))
        .filter(|p| !p.is_empty())
        .collect();
    let (day, year) = match numbers.as_slice() {
        [a, b] if a.len() <= 2 && b.len() == 4 => (a.parse().ok()?, b.parse().ok()?),
        _ => return None,
    };
    let rest_ok = lower
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.' | ','));
    rest_ok.then_some(())?;
    valid(year, month as u32 + 1, day)
}

/// Parses one date cell; `None` when it is not a date in `format`.
pub fn parse_date(cell: &str, format: DateFormat) -> Option<i64> {
    let cell = cell.trim();
    if let Some(days) = compact_date(cell) {
        return Some(days);
    }
    if let Some(days) = named_month_date(cell) {
        return Some(days);
    }
    if let Ok(serial) = cell.parse::<f64>() {
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
        Some(example) => Err(Error::data(format!(
            "every date such as '{example}' reads both day-first and month-first"
        ))
        .column(column)
        .hint(Hint::ChooseDateOrder)),
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
        assert_eq!(parse_date("20210304", DateFormat::Auto), Some(18_690));
        for named in ["4-Mar-2021", "04 March 2021", "04MAR2021", "Mar 4, 2021"] {
            assert_eq!(parse_date(named, DateFormat::Auto), Some(18_690), "{named}");
        }
        assert_eq!(parse_date("4-Mar-21", DateFormat::Auto), None);
        assert_eq!(parse_date("marker 4 2021", DateFormat::Auto), None);
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil() {
        for days in [-719_468, -25_569, -1, 0, 11_016, 11_017, 18_690, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(iso_date(18_690), "2021-03-04");
        assert!(is_written_date("04/03/2021") && is_written_date("20210304"));
        assert!(!is_written_date("44259") && !is_written_date("12.5"));
    }

    #[test]
    fn day_first_is_detected_and_ambiguity_reported() {
        let cells = ["01/02/2020", "25/02/2020"];
        assert_eq!(
            resolve_format("d", DateFormat::Auto, cells.into_iter()).unwrap(),
            DateFormat::Dmy
        );
        let cells = ["01/02/2020", "03/04/2020"];
        let err = resolve_format("surgery", DateFormat::Auto, cells.into_iter()).unwrap_err();
        assert_eq!(err.hint, Some(Hint::ChooseDateOrder));
        assert!(err.to_string().contains("'01/02/2020'"), "{err}");
    }
}
