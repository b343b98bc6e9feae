//! The cost per tonne of one good from one origin, year by year through the phase-out
//! (2026-2034): the same quote repeated with each year's CBAM factor and mark-up.

use crate::error::Result;
use crate::facts::Facts;
use crate::obligation::{Note, QuoteRequest, quote};
use rust_decimal::Decimal;

/// The years the schedule covers: the definitive period to the end of the phase-out.
pub const YEARS: std::ops::RangeInclusive<i32> = 2026..=2034;

/// One year of the schedule, per tonne of good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub year: i32,
    /// None under the UK regime, which has no CBAM factor.
    pub cbam_factor: Option<Decimal>,
    pub see_declared: Decimal,
    pub sefa: Decimal,
    pub certificates_per_tonne: Decimal,
    pub price_eur: Decimal,
    pub cost_eur_per_tonne: Decimal,
    pub notes: Vec<Note>,
}

/// Quotes one tonne for each year of `years`, from `base` (its year and tonnes are replaced).
pub fn schedule(
    facts: &Facts,
    base: &QuoteRequest,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<ScheduleRow>> {
    let mut rows = Vec::new();
    for year in years {
        let mut request = base.clone();
        request.year = year;
        request.tonnes = Decimal::ONE;
        request.production_year = base.production_year.map(|p| p.min(year));
        let quote = quote(facts, &request)?;
        let cbam_factor = quote.steps.iter().find(|s| s.name == "cbam_factor").map(|s| s.value);
        rows.push(ScheduleRow {
            year,
            cbam_factor,
            see_declared: quote.see_declared,
            sefa: quote.sefa,
            certificates_per_tonne: quote.certificates_exact,
            price_eur: quote.price,
            cost_eur_per_tonne: quote.cost_per_tonne,
            notes: quote.notes,
        });
    }
    Ok(rows)
}
