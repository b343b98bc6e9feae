//! Calendar days, through jiff: the one place a day a user gives (a CLI flag, an API parameter or
//! JSON field, a full-date cell in a tracker file) is checked, so `2024-02-30` is refused
//! everywhere with the same reason ("February 2024 has 29 days"). Days are stored and printed as
//! ISO `YYYY-MM-DD` text; [`PartialDate`] keeps dates known only to the year or month.

use crate::PartialDate;
pub use jiff::civil::Date;
use std::fmt;

/// What a full date is written as.
pub const EXPECTED_DAY: &str = "a date as YYYY-MM-DD (2023-12-31)";

/// A day that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The text found.
    pub found: String,
    /// Why it is not a day: "February 2024 has 29 days", or [`EXPECTED_DAY`] when its shape is off.
    pub reason: String,
}

impl DateError {
    /// What was expected, with the reason when the shape was right but the day does not exist.
    pub fn expected(&self) -> String {
        if self.reason == EXPECTED_DAY {
            EXPECTED_DAY.to_owned()
        } else {
            format!("{EXPECTED_DAY}: {}", self.reason)
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "found {:?}, expected {}", self.found, self.expected())
    }
}

impl std::error::Error for DateError {}

/// The day `year-month-day`, or why there is none (month 13, February 30).
pub fn day(year: i32, month: u8, day: u8) -> Result<Date, String> {
    let year16 = i16::try_from(year).map_err(|_| format!("year {year} is out of range"))?;
    let month8 = i8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(|| format!("there is no month {month}"))?;
    let first = Date::new(year16, month8, 1).map_err(|err| err.to_string())?;
    let last = first.days_in_month();
    match i8::try_from(day) {
        Ok(d) if (1..=last).contains(&d) => Date::new(year16, month8, d).map_err(|err| err.to_string()),
        _ => Err(format!("{} has {last} days", first.strftime("%B %Y"))),
    }
}

/// Reads a full date (`2023-12-31`; a time after it, as spreadsheets write, is dropped) and checks
/// the day exists.
pub fn parse_day(text: &str) -> Result<Date, DateError> {
    let error = |reason: String| DateError { found: text.trim().to_owned(), reason };
    let partial = PartialDate::parse_shape(text).map_err(|_| error(EXPECTED_DAY.to_owned()))?;
    match (partial.month, partial.day) {
        (Some(m), Some(d)) => day(partial.year, m, d).map_err(error),
        _ => Err(error(EXPECTED_DAY.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_that_do_not_exist_are_refused_with_the_reason() {
        assert_eq!(parse_day("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(parse_day(" 2023-12-31 00:00:00").unwrap().to_string(), "2023-12-31");
        let err = parse_day("2024-02-30").unwrap_err();
        assert_eq!(err.reason, "February 2024 has 29 days");
        assert_eq!(
            err.to_string(),
            "found \"2024-02-30\", expected a date as YYYY-MM-DD (2023-12-31): February 2024 has 29 days"
        );
        assert_eq!(parse_day("2023-02-29").unwrap_err().reason, "February 2023 has 28 days");
        assert_eq!(parse_day("2100-02-29").unwrap_err().reason, "February 2100 has 28 days");
        assert_eq!(parse_day("2024-04-31").unwrap_err().reason, "April 2024 has 30 days");
        for bad in ["2024", "2024-02", "31/12/2023", "", "2024-13-01"] {
            assert_eq!(parse_day(bad).unwrap_err().reason, EXPECTED_DAY, "{bad}");
        }
    }
}
