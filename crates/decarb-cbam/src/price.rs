//! The certificate price that applies to an import (Reg. 2023/956 Art. 21; IR 2025/2548): the
//! quarterly average of the quarter of importation for 2026 imports (Art. 21(1a)), the weekly
//! average from 2027 (Art. 21(1)). Only published prices are bundled; any other price is an input,
//! and without one the last published price is used and flagged.

use crate::error::{Error, Result};
use crate::facts::{Facts, PricePeriod};
use rust_decimal::Decimal;
use std::fmt;

/// A calendar date (proleptic Gregorian), enough for quarters and ISO weeks; the calendar
/// arithmetic is jiff's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Reads YYYY-MM-DD; a day that does not exist is refused with the reason
    /// ([`decarb_model::date::day`]: "February 2026 has 28 days").
    pub fn parse(text: &str) -> Result<Date> {
        const EXPECTED: &str = "a date written YYYY-MM-DD, such as 2026-03-15";
        let bad = || Error::invalid("import date", text, EXPECTED);
        let mut parts = text.trim().split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        decarb_model::date::day(year, month, day)
            .map_err(|reason| Error::invalid("import date", text, format!("{EXPECTED}: {reason}")))?;
        Ok(Date { year, month, day })
    }

    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }

    /// The date as jiff's; [`Date::parse`] checked it exists (a hand-built impossible date reads
    /// as the first day of jiff's range).
    fn civil(self) -> jiff::civil::Date {
        let (Ok(year), Ok(month), Ok(day)) =
            (i16::try_from(self.year), i8::try_from(self.month), i8::try_from(self.day))
        else {
            return jiff::civil::Date::MIN;
        };
        jiff::civil::Date::new(year, month, day).unwrap_or(jiff::civil::Date::MIN)
    }

    /// ISO 8601 week-numbering year and week.
    pub fn iso_week(self) -> (i32, u8) {
        iso_week(self.civil())
    }

    /// The week whose average price applies on this date (Art. 21(1)): a week's price is
    /// published on the first working day of the next week and applies from the working day after
    /// until the first working day of the week after that. Working days are taken as Monday to
    /// Friday; public holidays are not modelled.
    pub fn priced_week(self) -> (i32, u8) {
        let date = self.civil();
        let back = if date.weekday() == jiff::civil::Weekday::Monday { 14 } else { 7 };
        iso_week(date.checked_sub(jiff::Span::new().days(back)).unwrap_or(jiff::civil::Date::MIN))
    }
}

fn iso_week(date: jiff::civil::Date) -> (i32, u8) {
    let week = date.iso_week_date();
    (i32::from(week.year()), u8::try_from(week.week()).unwrap_or(1))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The price used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChoice {
    pub price_eur: Decimal,
    /// "2026-Q1", "2027-W05", "given".
    pub period: String,
    pub basis: String,
    /// True when the applicable period's price is not bundled and another was substituted.
    pub assumed: bool,
}

/// The last published certificate price bundled (the one held for periods not yet published), for
/// messages that name it.
pub fn last_published(facts: &Facts) -> Option<&crate::facts::PriceRow> {
    facts.prices.iter().max_by_key(|r| r.period)
}

/// "the last published price (2026-Q1, EUR 75.36)", from the bundled prices.
pub fn last_published_text(facts: &Facts) -> String {
    last_published(facts).map_or_else(
        || "no published price (none is bundled)".into(),
        |row| format!("the last published price ({}, EUR {})", row.period, row.price_eur),
    )
}

/// The certificate price for an import in `year` (on `date`, if known), unless one is `given`.
pub fn certificate_price(
    facts: &Facts,
    year: i32,
    date: Option<Date>,
    given: Option<Decimal>,
) -> Result<PriceChoice> {
    if let Some(date) = date
        && date.year != year
    {
        return Err(Error::Conflict(format!("import date {date} is not in the declaration year {year}")));
    }
    if let Some(price) = given {
        crate::num::non_negative(price, "certificate price")?;
        return Ok(PriceChoice {
            price_eur: price,
            period: "given".into(),
            basis: "given by the user".into(),
            assumed: false,
        });
    }
    let wanted = date.map(|date| {
        if year <= 2026 {
            PricePeriod::Quarter { year, quarter: date.quarter() }
        } else {
            let (year, week) = date.priced_week();
            PricePeriod::Week { year, week }
        }
    });
    if let Some(period) = wanted
        && let Some(row) = facts.prices.iter().find(|r| r.period == period)
    {
        return Ok(PriceChoice {
            price_eur: row.price_eur,
            period: period.to_string(),
            basis: format!("{} ({})", row.provenance.source, row.provenance.status),
            assumed: false,
        });
    }
    let latest = last_published(facts).ok_or_else(|| Error::Missing {
        what: "certificate price".into(),
        reason: "no price is bundled; pass --certificate-price".into(),
    })?;
    let rule = if year <= 2026 {
        "the quarterly average of the quarter of importation"
    } else {
        "the weekly average"
    };
    let wanted_text = wanted.map_or_else(|| format!("{year} (no import date given)"), |p| p.to_string());
    Ok(PriceChoice {
        price_eur: latest.price_eur,
        period: latest.period.to_string(),
        basis: format!(
            "the price for {wanted_text} ({rule}, Art. 21) is not bundled; the last published price \
             ({}, EUR {}) is held; pass --certificate-price",
            latest.period, latest.price_eur
        ),
        assumed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_weeks_and_quarters() {
        let date = Date::parse("2026-03-15").unwrap();
        assert_eq!(date.quarter(), 1);
        assert_eq!(Date::parse("2027-01-04").unwrap().iso_week(), (2027, 1));
        assert_eq!(Date::parse("2026-12-31").unwrap().iso_week(), (2026, 53));
        assert_eq!(Date::parse("2027-01-01").unwrap().iso_week(), (2026, 53));
        // Tuesday 12 Jan 2027 (week 2) uses week 1's price; Monday 11 Jan still week 52 of 2026's.
        assert_eq!(Date::parse("2027-01-12").unwrap().priced_week(), (2027, 1));
        assert_eq!(Date::parse("2027-01-11").unwrap().priced_week(), (2026, 53));
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("2026-2-3").is_err());
        assert_eq!(Date::parse("2028-02-29").unwrap().to_string(), "2028-02-29");
        let err = Date::parse("2026-02-29").unwrap_err().to_string();
        assert!(err.contains("February 2026 has 28 days"), "{err}");
    }

    #[test]
    fn q1_2026_is_published_and_others_are_flagged() {
        let facts = Facts::bundled().unwrap();
        let q1 = certificate_price(facts, 2026, Some(Date::parse("2026-02-01").unwrap()), None).unwrap();
        assert_eq!(q1.price_eur, Decimal::new(7536, 2));
        assert!(!q1.assumed);
        let q2 = certificate_price(facts, 2026, Some(Date::parse("2026-05-01").unwrap()), None).unwrap();
        assert!(q2.assumed);
        assert!(certificate_price(facts, 2026, Some(Date::parse("2027-05-01").unwrap()), None).is_err());
        assert!(certificate_price(facts, 2026, None, Some(Decimal::NEGATIVE_ONE)).is_err());
    }
}
