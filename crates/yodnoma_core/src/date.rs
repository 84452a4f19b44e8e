//! Partial dates: the sources give a year, a year and month, or a full date, and all three are
//! normal. A partial date is never stored as a free string, so that it can be compared and sorted.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The earliest and latest years a date in a source record may carry. Wider than the war on
/// purpose: births go back to the 1850s and memory books record deaths into this century.
pub const MIN_YEAR: i32 = 1800;
pub const MAX_YEAR: i32 = 2100;

/// A date known to the year, the month, or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Year(i32),
    YearMonth(i32, u8),
    Full(i32, u8, u8),
}

/// Why a text is not a partial date. Each variant names the part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("'{0}' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")]
    Format(String),
    #[error("year {0} is outside {MIN_YEAR}–{MAX_YEAR}")]
    Year(i32),
    #[error("month {0} is not between 1 and 12")]
    Month(u8),
    #[error("day {day} does not exist in {year}-{month:02} (it has {days} days)")]
    Day {
        year: i32,
        month: u8,
        day: u8,
        days: u8,
    },
}

impl PartialDate {
    pub fn year(&self) -> i32 {
        match *self {
            Self::Year(y) | Self::YearMonth(y, _) | Self::Full(y, _, _) => y,
        }
    }

    pub fn month(&self) -> Option<u8> {
        match *self {
            Self::Year(_) => None,
            Self::YearMonth(_, m) | Self::Full(_, m, _) => Some(m),
        }
    }

    pub fn day(&self) -> Option<u8> {
        match *self {
            Self::Full(_, _, d) => Some(d),
            _ => None,
        }
    }

    /// Builds a date, checking every part.
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::Year(year));
        }
        let Some(month) = month else {
            return Ok(Self::Year(year));
        };
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let Some(day) = day else {
            return Ok(Self::YearMonth(year, month));
        };
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(DateError::Day {
                year,
                month,
                day,
                days,
            });
        }
        Ok(Self::Full(year, month, day))
    }

    /// Whether two dates can be the same day: `1941` agrees with `1941-06-22`, `1941-05` does not.
    pub fn is_compatible_with(&self, other: &PartialDate) -> bool {
        self.year() == other.year()
            && opt_agree(self.month(), other.month())
            && opt_agree(self.day(), other.day())
    }
}

fn opt_agree(a: Option<u8>, b: Option<u8>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // A long or multi-line value is quoted only in part: enough to find it in the file.
        let bad = || {
            let mut short: String = text.chars().take(40).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            DateError::Format(short)
        };
        let mut parts = text.split('-');
        let year = parse_part(parts.next(), 4).ok_or_else(bad)?;
        let month = match parts.next() {
            None => None,
            Some(p) => Some(parse_part(Some(p), 2).ok_or_else(bad)?),
        };
        let day = match parts.next() {
            None => None,
            Some(p) => Some(parse_part(Some(p), 2).ok_or_else(bad)?),
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        // The widths are checked above, so a month or day always fits in a u8.
        let narrow = |v: u32| u8::try_from(v).map_err(|_| bad());
        Self::new(
            i32::try_from(year).map_err(|_| bad())?,
            month.map(narrow).transpose()?,
            day.map(narrow).transpose()?,
        )
    }
}

/// Exactly `width` ASCII digits.
fn parse_part(part: Option<&str>, width: usize) -> Option<u32> {
    let part = part?;
    if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Year(y) => write!(f, "{y:04}"),
            Self::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            Self::Full(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl Ord for PartialDate {
    /// Chronological, with the less precise date first among those that share a prefix:
    /// `1941` < `1941-06` < `1941-06-22` < `1941-07`.
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |d: &Self| (d.year(), d.month().unwrap_or(0), d.day().unwrap_or(0));
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!("1941".parse(), Ok(PartialDate::Year(1941)));
        assert_eq!("1941-06".parse(), Ok(PartialDate::YearMonth(1941, 6)));
        assert_eq!("1941-06-22".parse(), Ok(PartialDate::Full(1941, 6, 22)));
    }

    #[test]
    fn rejects_impossible_dates_with_the_reason() {
        assert_eq!(
            "1941-13-40".parse::<PartialDate>(),
            Err(DateError::Month(13))
        );
        assert_eq!(
            "1943-02-29"
                .parse::<PartialDate>()
                .map_err(|e| e.to_string()),
            Err("day 29 does not exist in 1943-02 (it has 28 days)".to_owned())
        );
        assert!("1944-02-29".parse::<PartialDate>().is_ok());
        assert_eq!("0941".parse::<PartialDate>(), Err(DateError::Year(941)));
        for bad in [
            "",
            "41",
            "1941-6",
            "1941-06-22-01",
            "22.06.1941",
            "1941/06",
            "١٩٤١",
            "+941",
        ] {
            assert_eq!(
                bad.parse::<PartialDate>(),
                Err(DateError::Format(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_long_bad_value_is_quoted_in_part() {
        let long = "x".repeat(1000);
        let Err(DateError::Format(quoted)) = long.parse::<PartialDate>() else {
            panic!("not a date")
        };
        assert_eq!(quoted.chars().count(), 41);
    }

    #[test]
    fn sorts_chronologically_with_partial_first() {
        let mut dates: Vec<PartialDate> =
            ["1941-07", "1941-06-22", "1941", "1941-06", "1940-12-31"]
                .iter()
                .filter_map(|t| t.parse().ok())
                .collect();
        dates.sort();
        let text: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            ["1940-12-31", "1941", "1941-06", "1941-06-22", "1941-07"]
        );
    }

    #[test]
    fn compatibility_respects_precision() {
        let d = |t: &str| t.parse::<PartialDate>().ok();
        let (Some(y), Some(ym), Some(full), Some(other)) =
            (d("1941"), d("1941-06"), d("1941-06-22"), d("1941-05"))
        else {
            panic!("fixtures parse")
        };
        assert!(y.is_compatible_with(&full));
        assert!(ym.is_compatible_with(&full));
        assert!(!other.is_compatible_with(&full));
    }

    proptest! {
        #[test]
        fn never_panics_and_round_trips(text in "\\PC{0,12}") {
            if let Ok(date) = text.parse::<PartialDate>() {
                prop_assert_eq!(date.to_string(), text);
            }
        }

        #[test]
        fn valid_dates_round_trip(y in 1800i32..=2100, m in 1u8..=12, d in 1u8..=28) {
            let date = PartialDate::new(y, Some(m), Some(d));
            prop_assert!(date.is_ok());
            if let Ok(date) = date {
                prop_assert_eq!(date.to_string().parse::<PartialDate>(), Ok(date));
            }
        }
    }
}
