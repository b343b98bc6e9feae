//! Parsing of the bundled world tables (`crates/decarb-data/world/*.csv`). The tables are decarb's
//! own, compiled in with `include_str!`; a parse error here is a bug in a table, reported with the
//! file, row and column like any other input error.

use crate::error::{Error, Location, Result};
use crate::import::cells::{EXPECTED_SHARES, ownerships, share_problem};
use decarb_model::units::{Tonnes, TonnesPerYear};
use decarb_model::{CountryCode, PlantStatus, Region, Route, Sector};
use std::path::Path;

/// The bundled tables, by file name (as in `crates/decarb-data/world/`). `fleet_aluminium.csv` is
/// the fallback used only when no copy of the MPP aluminium stacks is found (see [`super::mpp`]).
pub(super) const FLEET_TABLES: [(Sector, &str, &str); 4] = [
    (Sector::Steel, "fleet_steel.csv", include_str!("../../world/fleet_steel.csv")),
    (Sector::Cement, "fleet_cement.csv", include_str!("../../world/fleet_cement.csv")),
    (Sector::Aluminium, "fleet_aluminium.csv", include_str!("../../world/fleet_aluminium.csv")),
    (Sector::Ammonia, "fleet_ammonia.csv", include_str!("../../world/fleet_ammonia.csv")),
];
pub(super) const SOURCES: (&str, &str) = ("sources.csv", include_str!("../../world/sources.csv"));
pub(super) const BASE_PRODUCTION: (&str, &str) =
    ("base_production.csv", include_str!("../../world/base_production.csv"));
pub(super) const UTILISATION_BOUNDS: (&str, &str) =
    ("utilisation_bounds.csv", include_str!("../../world/utilisation_bounds.csv"));
pub(super) const DEMAND: (&str, &str) = ("demand.csv", include_str!("../../world/demand.csv"));

/// One plant (or, for steel, one steelmaking route of a plant) of the default world. Each row
/// becomes one [`decarb_model::Plant`] of [`super::default_fleet`].
#[derive(Debug, Clone, PartialEq)]
pub struct FleetRow {
    pub sector: Sector,
    /// The table's id: the source's plant id (GEM `P100000120001.bf-bof`, SFI `GACTCHN0001`) or a
    /// decarb id for synthetic plants (`mpp-europe-urea-natural-gas-smr-03`).
    pub id: String,
    pub name: String,
    pub country: CountryCode,
    pub route: Route,
    /// Finer process within the route where the source gives it (aluminium power supply
    /// `coal`, `hydro`...; refinery `coal-boiler-gas-calciner`; ammonia feedstock
    /// `coal-gasification`, `natural-gas-smr`; cement kiln `dry`, `wet`); empty otherwise.
    pub process: String,
    /// `operating`, `operating-pre-retirement` or `construction` (steel plants being built with a
    /// start year after the base year).
    pub status: PlantStatus,
    /// Start year as the source reports it.
    pub start: Option<i32>,
    /// Year of the last main reinvestment (blast-furnace relining), where the source gives one.
    pub last_investment: Option<i32>,
    /// Representative start year: `start`, else the capacity-weighted mean start year of the
    /// sector's dated plants of the country (at least 3), else of its region, else of the world.
    pub start_year: i32,
    /// Decade of `start_year` (`1990s`), with ` (start imputed)` when `start` is unknown.
    pub cohort: String,
    pub capacity: TonnesPerYear,
    /// Owner and parent companies as the source writes them (`Name A [49%]; Name B [51%]`).
    pub owner: String,
    pub parent: String,
    /// How the capacity was obtained: `reported`, `imputed` (median of similar plants),
    /// `imputed-scaled`, `unlisted`, `split` (a regional total split into typical plants),
    /// `site-split`, `aggregate-split`.
    pub basis: String,
    /// The row's source, in full (the tables name it by id in `sources.csv`).
    pub source: String,
    pub licence: String,
}

/// A row the loader cannot turn into a plant (no capacity, route unknown, country unknown): it is
/// counted and reported by [`super::unplaced`], never counted as zero capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedRow {
    pub sector: Sector,
    pub id: String,
    pub name: String,
    pub reason: &'static str,
    /// Capacity the row reports, when it does (a plant of unknown route).
    pub capacity: Option<TonnesPerYear>,
}

/// One entry of `sources.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    pub id: String,
    pub source: String,
    pub licence: String,
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

    /// An owner or parent list (`Name A [49%]; Name B [51%]`), checked: no share above 100 %,
    /// shares summing to at most 100.5 %.
    fn holders(&self, line: usize, record: &csv::StringRecord, column: &str) -> Result<String> {
        let text = self.field(record, column)?;
        let problem = match ownerships(text, "") {
            Ok((holders, _)) => share_problem(&holders),
            Err(problem) => Some(problem),
        };
        if let Some(problem) = problem {
            return Err(Error::value(
                self.at(line, column),
                text,
                format!("{EXPECTED_SHARES}; here {problem}"),
            ));
        }
        Ok(text.to_owned())
    }

    fn source(&self, line: usize, record: &csv::StringRecord) -> Result<String> {
        let source = self.field(record, "source")?;
        if source.is_empty() {
            return Err(Error::value(self.at(line, "source"), source, "the source of the row"));
        }
        Ok(source.to_owned())
    }
}

pub(super) fn sources(file: &str, text: &str) -> Result<Vec<SourceEntry>> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    for (line, record) in &table.records {
        let licence = table.field(record, "licence")?;
        if licence.is_empty() {
            return Err(Error::value(table.at(*line, "licence"), licence, "the source's licence"));
        }
        rows.push(SourceEntry {
            id: table.field(record, "id")?.to_owned(),
            source: table.source(*line, record)?,
            licence: licence.to_owned(),
        });
    }
    Ok(rows)
}

/// A fleet table, before start years are imputed: plants and the rows that cannot be plants.
pub(super) fn fleet(
    sector: Sector,
    file: &str,
    text: &str,
    sources: &[SourceEntry],
) -> Result<(Vec<FleetRow>, Vec<UnplacedRow>)> {
    let table = Table::read(file, text)?;
    let mut rows = Vec::with_capacity(table.records.len());
    let mut unplaced = Vec::new();
    for (line, record) in &table.records {
        let line = *line;
        let id = table.field(record, "id")?.to_owned();
        let name = table.field(record, "name")?.to_owned();
        let source_id = table.field(record, "source")?;
        let Some(source) = sources.iter().find(|s| s.id == source_id) else {
            return Err(Error::value(table.at(line, "source"), source_id, "a source id of sources.csv"));
        };
        let year = |column: &str| -> Result<Option<i32>> {
            let text = table.field(record, column)?;
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<i32>() {
                Ok(y) if (1700..=2035).contains(&y) => Ok(Some(y)),
                _ => Err(Error::value(table.at(line, column), text, "a year in 1700..=2035 or empty")),
            }
        };
        let start = year("start")?;
        let last_investment = year("last_investment")?;
        let capacity_text = table.field(record, "capacity_kt")?;
        let capacity = if capacity_text.is_empty() {
            None
        } else {
            Some(TonnesPerYear::from_kt(table.number(line, record, "capacity_kt")?))
        };
        let route: Route = table.parse(line, record, "route", "a route (bf-bof, eaf... or unknown)")?;
        let country = CountryCode::resolve(table.field(record, "country")?);
        let reason = match (country, route, capacity) {
            (None, _, _) => Some("country unknown"),
            (_, Route::Unknown, _) => Some("route unknown (GEM other/unspecified steelmaking)"),
            (_, _, None) => Some("no capacity"),
            (_, _, Some(c)) if c.0 <= 0.0 => Some("no capacity"),
            _ => None,
        };
        if let Some(reason) = reason {
            unplaced.push(UnplacedRow { sector, id, name, reason, capacity });
            continue;
        }
        let (Some(country), Some(capacity)) = (country, capacity) else { continue };
        rows.push(FleetRow {
            sector,
            id,
            name,
            country,
            route,
            process: table.field(record, "process")?.to_owned(),
            status: table.parse(
                line,
                record,
                "status",
                "operating, operating-pre-retirement or construction",
            )?,
            start,
            last_investment,
            start_year: start.unwrap_or(0),
            cohort: String::new(),
            capacity,
            owner: table.holders(line, record, "owner")?,
            parent: table.holders(line, record, "parent")?,
            basis: table.field(record, "basis")?.to_owned(),
            source: source.source.clone(),
            licence: source.licence.clone(),
        });
    }
    Ok((rows, unplaced))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_share_above_100_percent_is_an_error_naming_file_row_and_value() {
        let sources = sources(SOURCES.0, SOURCES.1).unwrap();
        let header = "id,name,country,route,process,status,start,last_investment,capacity_kt,owner,parent,basis,source";
        let row = |owner: &str, parent: &str| {
            format!(
                "{header}\nP1.eaf,Works,DEU,eaf,,operating,2001,,500,A,,reported,gist-2025\n\
P2.eaf,Works,DEU,eaf,,operating,2001,,500,\"{owner}\",\"{parent}\",reported,gist-2025\n"
            )
        };
        let err = fleet(Sector::Steel, "fleet_steel.csv", &row("Acme AG [100.5%]", ""), &sources)
            .unwrap_err()
            .to_string();
        for part in ["fleet_steel.csv", "row 3", "owner", "Acme AG [100.5%]", "\"Acme AG\" holds 100.5 %"] {
            assert!(err.contains(part), "{part} missing from: {err}");
        }
        let err = fleet(Sector::Steel, "fleet_steel.csv", &row("B", "X [79.4%]; unknown [21.6%]"), &sources)
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 3") && err.contains("parent") && err.contains("sum to 101 %"), "{err}");
        assert!(
            fleet(Sector::Steel, "fleet_steel.csv", &row("B", "X [79.4%]; unknown [20.6%]"), &sources)
                .is_ok()
        );
    }
}
