//! The facts bundled into decarb: small CSV tables under `crates/decarb-data/facts/`, compiled
//! in with `include_str!` and parsed once. Every row carries its source (report and table, or
//! dataset and year); `facts/README.md` explains the tables, their units and the currency rules.
//!
//! - [`technologies`], [`technology`]: production routes of the four sectors (MPP-derived).
//! - [`production`]: country production statistics (worldsteel, BGS, USGS cement and ammonia) with
//!   [`ProductionTable::rank`].
//! - [`steel_trade`], [`trade`]: country exports and imports (worldsteel steel trade 2019-2021).
//! - [`price_set`]: commodity prices by region and year; [`carbon_path`]: carbon price paths;
//!   [`clinker_ratio`]: clinker-to-cement ratio paths (how decarb represents clinker substitution);
//!   [`price_supplement`]: hydrogen, biomass and alumina prices that overlay a set
//!   (`mpp-shared-2022-supplemented`).
//! - [`power_paths`], [`power_path`]: grid CO2 intensity paths by region (Ember history, scenario
//!   anchors); [`clean_power`]: contractable clean power; [`firming`]: firming cost adders for 24/7
//!   loads on variable renewables; [`resource_limits`]: CO2 storage, biomass and hydrogen limits of
//!   net-zero scenarios.
//!
//! ```
//! use decarb_data::facts;
//! use decarb_model::{Region, Sector};
//! let h2_dri = facts::technology("steel.h2-dri-eaf").unwrap();
//! assert_eq!(h2_dri.available_from, 2026);
//! let top = facts::production(Sector::Steel).unwrap().rank(2020).unwrap();
//! assert_eq!(top[0].country.as_str(), "CHN");
//! let nze = facts::carbon_path("iea-nze-2021").unwrap();
//! assert_eq!(nze.price(Region::Europe, 2030).0, 130.0);
//! ```

mod carbon;
mod power;
mod prices;
mod production;
mod technologies;
mod trade;

pub use carbon::{
    CarbonPoint, CarbonPricePath, CarbonTier, ClinkerRatioPath, carbon_path, carbon_path_names,
    clinker_ratio, clinker_ratio_names,
};
pub use power::{
    CleanPower, FirmingItem, PowerPath, ResourceLimit, clean_power, clean_power_twh, firming, firming_item,
    power_path, power_paths, resource_limit, resource_limits,
};
pub use prices::{PriceItem, PriceRegion, PriceSet, price_set, price_set_names, price_supplement};
pub use production::{
    AggregateKind, AggregateRow, NH3_PER_N, ProductionRow, ProductionTable, RankedCountry, production,
};
pub use technologies::{technologies, technologies_in, technology};
pub use trade::{TradeFlow, TradeRow, TradeTable, steel_trade, trade};

use crate::error::{Error, Location};
use std::path::PathBuf;
use std::str::FromStr;

/// USD per EUR used for every EUR figure of the bundled tables: the MPP steel model reads its
/// cost sheets as EUR and converts at 1/0.877 = 1.140 (TECHNOLOGY.md §0); decarb keeps 1.140.
pub const USD_PER_EUR: f64 = 1.140;

/// Something asked of the bundled facts that they do not hold. Each variant is the user's to fix
/// (another year, sector or name), so the CLI exits with code 2.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FactsError {
    #[error("no by-country production statistics are bundled for {sector}: {reason}")]
    NoStatistics { sector: &'static str, reason: &'static str },
    #[error("{sector} statistics do not cover {year}; covered years: {}", join_years(covered))]
    YearNotCovered { sector: &'static str, year: i32, covered: Vec<i32> },
    #[error("unknown {what} {name:?}; known: {}", known.join(", "))]
    UnknownName { what: &'static str, name: String, known: Vec<String> },
}

fn join_years(years: &[i32]) -> String {
    years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
}

/// One bundled CSV file: header, then data rows; `#` lines are comments.
struct FactsFile {
    name: &'static str,
    headers: csv::StringRecord,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl FactsFile {
    fn parse(name: &'static str, text: &str, required: &[&str]) -> Result<FactsFile, Error> {
        let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|err| format_error(location(name), err.to_string()))?.clone();
        for column in required {
            if !headers.iter().any(|h| h == *column) {
                return Err(format_error(location(name), format!("missing column {column:?}")));
            }
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|err| format_error(location(name), err.to_string()))?;
            let line = record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
            rows.push((line, record));
        }
        Ok(FactsFile { name, headers, rows })
    }

    fn rows(&self) -> impl Iterator<Item = FactsRow<'_>> {
        self.rows.iter().map(move |(line, record)| FactsRow { file: self, line: *line, record })
    }
}

fn value_error(at: Location, found: &str, expected: impl Into<String>) -> Error {
    Error::value(at, found, expected)
}

fn format_error(at: Location, message: impl Into<String>) -> Error {
    Error::format(at, message)
}

fn location(name: &str) -> Location {
    Location::file(&PathBuf::from("crates/decarb-data/facts").join(name))
}

/// One data row, with typed accessors whose errors name file, row and column.
struct FactsRow<'a> {
    file: &'a FactsFile,
    line: usize,
    record: &'a csv::StringRecord,
}

impl FactsRow<'_> {
    fn at(&self, column: &str) -> Location {
        location(self.file.name).row(self.line).column(column)
    }

    /// The cell, trimmed; empty when the column is absent or blank.
    fn cell(&self, column: &str) -> &str {
        self.file
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .map_or("", str::trim)
    }

    fn text(&self, column: &str) -> Result<&str, Error> {
        let cell = self.cell(column);
        if cell.is_empty() { Err(value_error(self.at(column), cell, "a non-empty value")) } else { Ok(cell) }
    }

    fn number(&self, column: &str) -> Result<f64, Error> {
        let cell = self.cell(column);
        cell.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| value_error(self.at(column), cell, "a number"))
    }

    /// A number, or 0 for an empty cell (the tables leave zero quantities blank).
    fn number_or_zero(&self, column: &str) -> Result<f64, Error> {
        if self.cell(column).is_empty() { Ok(0.0) } else { self.number(column) }
    }

    fn optional_number(&self, column: &str) -> Result<Option<f64>, Error> {
        if self.cell(column).is_empty() { Ok(None) } else { self.number(column).map(Some) }
    }

    fn year(&self, column: &str) -> Result<i32, Error> {
        let cell = self.cell(column);
        cell.parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| value_error(self.at(column), cell, "a year between 1900 and 2100"))
    }

    fn parsed<T: FromStr>(&self, column: &str, expected: &str) -> Result<T, Error> {
        let cell = self.cell(column);
        cell.parse::<T>().map_err(|_| value_error(self.at(column), cell, expected))
    }

    /// The price of a currency amount in USD: EUR rows are converted at [`USD_PER_EUR`].
    fn usd_factor(&self, column: &str) -> Result<f64, Error> {
        match self.cell(column) {
            "USD" => Ok(1.0),
            "EUR" => Ok(USD_PER_EUR),
            other => Err(value_error(self.at(column), other, "USD or EUR")),
        }
    }
}

/// Linear interpolation over (year, value) points sorted by year, held flat outside them.
fn interpolate(points: &[(i32, f64)], year: i32) -> Option<f64> {
    let (first, last) = (points.first()?, points.last()?);
    if year <= first.0 {
        return Some(first.1);
    }
    if year >= last.0 {
        return Some(last.1);
    }
    points.windows(2).find(|pair| year <= pair[1].0).map(|pair| {
        let ((y0, v0), (y1, v1)) = (pair[0], pair[1]);
        // An anchor year gives the anchor value exactly (no rounding from the formula).
        if year == y1 { v1 } else { v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0) }
    })
}

/// Parses a bundled table once; a failure is a bug in decarb (the tests parse every table), so
/// it panics with the error rather than burdening every caller with an impossible `Err`.
#[allow(
    clippy::panic,
    reason = "compiled-in tables, parsed by this crate's tests: failing is a build defect"
)]
fn bundled<T>(cell: &'static std::sync::OnceLock<T>, parse: impl FnOnce() -> Result<T, Error>) -> &'static T {
    cell.get_or_init(|| match parse() {
        Ok(value) => value,
        Err(err) => panic!("bundled facts are invalid (a bug in decarb): {err}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_is_linear_between_points_and_flat_outside() {
        let points = [(2023, 0.0), (2050, 270.0)];
        assert_eq!(interpolate(&points, 2020), Some(0.0));
        assert_eq!(interpolate(&points, 2032), Some(90.0));
        assert_eq!(interpolate(&points, 2060), Some(270.0));
        assert_eq!(interpolate(&[], 2030), None);
        // Anchors are exact even where the formula would round (0.058 - 0.058 = -6.9e-18).
        assert_eq!(interpolate(&[(2035, 0.058), (2040, 0.0)], 2040), Some(0.0));
    }

    #[test]
    fn a_bad_cell_is_an_error_naming_file_row_and_column() {
        let file = FactsFile::parse("demo.csv", "# comment\nyear,value\n2020,abc\n", &["year"]).unwrap();
        let row = file.rows().next().unwrap();
        let err = row.number("value").unwrap_err().to_string();
        assert!(err.contains("demo.csv") && err.contains("row 3") && err.contains("\"value\""), "{err}");
        assert!(err.contains("abc"), "{err}");
        assert!(FactsFile::parse("demo.csv", "a,b\n1,2\n", &["year"]).is_err());
    }
}
