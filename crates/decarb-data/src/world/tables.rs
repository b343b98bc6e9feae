//! Parsing of the bundled world tables (`crates/decarb-data/world/*.csv`). The tables are decarb's
//! own, compiled in with `include_str!`; a parse error here is a bug in a table, reported with the
//! file, row and column like any other input error.

use crate::error::{Error, Location, Result};
use decarb_model::units::{Tonnes, TonnesPerYear};
use decarb_model::{CountryCode, Region, Route, Sector};
use std::path::Path;

/// The bundled tables, by file name (as in `crates/decarb-data/world/`).
pub(super) const FLEET_TABLES: [(Sector, &str, &str); 4] = [
    (Sector::Steel, "fleet_steel.csv", include_str!("../../world/fleet_steel.csv")),
    (Sector::Cement, "fleet_cement.csv", include_str!("../../world/fleet_cement.csv")),
    (Sector::Aluminium, "fleet_aluminium.csv", include_str!("../../world/fleet_aluminium.csv")),
    (Sector::Ammonia, "fleet_ammonia.csv", include_str!("../../world/fleet_ammonia.csv")),
];
pub(super) const BASE_PRODUCTION: (&str, &str) =
    ("base_production.csv", include_str!("../../world/base_production.csv"));
pub(super) const UTILISATION_BOUNDS: (&str, &str) =
    ("utilisation_bounds.csv", include_str!("../../world/utilisation_bounds.csv"));
pub(super) const DEMAND: (&str, &str) = ("demand.csv", include_str!("../../world/demand.csv"));

/// One row of a fleet table: the capacity of one route (and process) in one age cohort of one
/// country. Each row becomes one synthetic plant of [`super::default_fleet`].
#[derive(Debug, Clone, PartialEq)]
pub struct FleetRow {
    pub sector: Sector,
    pub country: CountryCode,
    pub route: Route,
    /// Finer process within the route where the source gives it (aluminium power supply
    /// `coal`, `hydro`...; ammonia feedstock `coal-gasification`, `natural-gas-smr`); empty
    /// otherwise.
    pub process: String,
    /// The source's cohort label (`10-19 years` for steel, `1990s` for decade cohorts).
    pub cohort: String,
    /// Representative start year of the cohort.
    pub start_year: i32,
    pub capacity: TonnesPerYear,
    pub source: String,
}

impl FleetRow {
    /// The process, `None` where the table gives none.
    pub fn process_name(&self) -> Option<&str> {
        (!self.process.is_empty()).then_some(self.process.as_str())
    }
}

/// Base-year production of one sector in one region, as reported by statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseProduction {
    pub sector: Sector,
    pub region: Region,
    pub year: i32,
    pub production: Tonnes,
    pub source: String,
}

/// The utilisation a sector's plants may run at, and where the bounds come from.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilisationBounds {
    pub sector: Sector,
    pub min: f64,
    pub max: f64,
    pub source: String,
}

/// One given point of a demand path: the source's level for a sector in a region (or the world,
/// `region == None`) in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandPoint {
    pub path: String,
    pub sector: Sector,
    pub region: Option<Region>,
    pub year: i32,
    pub value: f64,
    pub unit: String,
    pub source: String,
}

/// Rows of a bundled CSV as (1-based line number, field map by header).
struct Table<'a> {
    file: &'a str,
    headers: csv::StringRecord,
    records: Vec<(usize, csv::StringRecord)>,
}

impl<'a> Table<'a> {
    fn read(file: &'a str, text: &str) -> Result<Self> {
        let at = || Location::file(Path::new(file));
        let mut reader =
            csv::ReaderBuilder::new().comment(Some(b'#')).flexible(false).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| Error::format(at(), e.to_string()))?.clone();
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| Error::format(at(), e.to_string()))?;
            let line = record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
            records.push((line, record));
        }
        Ok(Self { file, headers, records })
    }

    fn field<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Result<&'r str> {
        let index = self.headers.iter().position(|h| h == column).ok_or_else(|| {
            Error::format(Location::file(Path::new(self.file)), format!("missing column {column:?}"))
        })?;
        Ok(record.get(index).unwrap_or("").trim())
    }

    fn at(&self, line: usize, column: &str) -> Location {
        Location::file(Path::new(self.file)).row(line).column(column)
    }

    fn parse<T: std::str::FromStr>(
        &self,
        line: usize,
        record: &csv::StringRecord,
        column: &str,
        expected: &str,
    ) -> Result<T> {
        let text = self.field(record, column)?;
        text.parse().map_err(|_| Error::value(self.at(line, column), text, expected))
    }

    fn number(&self, line: usize, record: &csv::StringRecord, column: &str) -> Result<f64> {
        let value: f64 = self.parse(line, record, column, "a finite number >= 0")?;
        if !value.is_finite() || value < 0.0 {
            let text = self.field(record, column)?;
            return Err(Error::value(self.at(line, column), text, "a finite number >= 0"));
        }
        Ok(value)
    }

    fn source(&self, line: usize, record: &csv::StringRecord) -> Result<String> {
        let source = self.field(record, "source")?;
        if source.is_empty() {
            return Err(Error::value(self.at(line, "source"), source, "the source of the row"));
        }
        Ok(source.to_owned())
    }
}

pub(super) fn fleet(sector: Sector, file: &str, text: &str) -> Result<Vec<FleetRow>> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let line = *line;
        let country: CountryCode = table.parse(line, record, "country", "an ISO3 country code")?;
        let route: Route = table.parse(line, record, "route", "a route (bf-bof, eaf...)")?;
        let start_year: i32 = table.parse(line, record, "start_year", "a year")?;
        if !(1850..=2030).contains(&start_year) {
            let text = table.field(record, "start_year")?;
            return Err(Error::value(table.at(line, "start_year"), text, "a start year in 1850..=2030"));
        }
        let capacity_kt = table.number(line, record, "capacity_kt")?;
        rows.push(FleetRow {
            sector,
            country,
            route,
            process: table.field(record, "process")?.to_owned(),
            cohort: table.field(record, "cohort")?.to_owned(),
            start_year,
            capacity: TonnesPerYear::from_kt(capacity_kt),
            source: table.source(line, record)?,
        });
    }
    Ok(rows)
}

pub(super) fn base_production(file: &str, text: &str) -> Result<Vec<BaseProduction>> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let line = *line;
        rows.push(BaseProduction {
            sector: table.parse(line, record, "sector", "steel, cement, aluminium or ammonia")?,
            region: table.parse(line, record, "region", "a decarb region (china, europe...)")?,
            year: table.parse(line, record, "year", "a year")?,
            production: Tonnes::from_mt(table.number(line, record, "production_mt")?),
            source: table.source(line, record)?,
        });
    }
    Ok(rows)
}

pub(super) fn utilisation_bounds(file: &str, text: &str) -> Result<Vec<UtilisationBounds>> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let line = *line;
        let min = table.number(line, record, "min")?;
        let max = table.number(line, record, "max")?;
        if min > max || max > 1.0 {
            let text = table.field(record, "max")?;
            return Err(Error::value(table.at(line, "max"), text, "min <= max <= 1"));
        }
        rows.push(UtilisationBounds {
            sector: table.parse(line, record, "sector", "steel, cement, aluminium or ammonia")?,
            min,
            max,
            source: table.source(line, record)?,
        });
    }
    Ok(rows)
}

pub(super) fn demand(file: &str, text: &str) -> Result<Vec<DemandPoint>> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let line = *line;
        let region_text = table.field(record, "region")?;
        let region = if region_text.eq_ignore_ascii_case("world") {
            None
        } else {
            Some(table.parse(line, record, "region", "a decarb region or world")?)
        };
        rows.push(DemandPoint {
            path: table.field(record, "path")?.to_owned(),
            sector: table.parse(line, record, "sector", "steel, cement, aluminium or ammonia")?,
            region,
            year: table.parse(line, record, "year", "a year")?,
            value: table.number(line, record, "value")?,
            unit: table.field(record, "unit")?.to_owned(),
            source: table.source(line, record)?,
        });
    }
    Ok(rows)
}
