//! decarb's own fleet format, CSV and JSON, read and written here so the two directions cannot
//! drift apart. The specification (every column, unit, required or not) is
//! `docs/fleet-format.md`; an export read back gives an equal fleet.

use super::cells;
use super::report::ImportReport;
use super::table::{Col, Reader, RowView, Table};
use super::{FleetFormat, Imported};
use crate::error::{Error, Location, Result};
use decarb_model::units::TonnesPerYear;
use decarb_model::{Fleet, FurnaceKind, FurnaceUnit, Ownership, PartialDate, Plant, Reported, Route, Sector};
use serde::{Deserialize, Serialize};
use std::io::Write;

/// The `format` tag of a decarb JSON fleet document.
pub const JSON_FORMAT_TAG: &str = "decarb-fleet";
pub const JSON_VERSION: u32 = 1;
pub const DEFAULT_SOURCE: &str = "decarb";

/// Plant CSV columns, in the order written (`wiki_url` added last; a file without it reads as
/// before).
pub const PLANT_COLUMNS: [&str; 18] = [
    "id",
    "source",
    "name",
    "sector",
    "country",
    "country_text",
    "subnational",
    "latitude",
    "longitude",
    "status",
    "route",
    "capacity_tpa",
    "start",
    "last_investment",
    "owners",
    "parents",
    "status_slice",
    "wiki_url",
];

/// Unit CSV columns, in the order written.
pub const UNIT_COLUMNS: [&str; 15] = [
    "unit_id",
    "plant_id",
    "source",
    "name",
    "plant_name",
    "kind",
    "status",
    "capacity_tpa",
    "last_relining",
    "country",
    "country_text",
    "subnational",
    "latitude",
    "longitude",
    "plant_start",
];

/// The JSON document.
#[derive(Debug, Serialize, Deserialize)]
struct Document {
    format: String,
    version: u32,
    #[serde(default)]
    plants: Vec<Plant>,
    #[serde(default)]
    units: Vec<FurnaceUnit>,
}

pub fn import_csv(table: &Table<'_>) -> Result<Imported> {
    if table.header.has("unit_id") && table.header.has("kind") {
        read_unit_csv(table)
    } else {
        read_plant_csv(table)
    }
}

fn tonnes(value: f64) -> TonnesPerYear {
    TonnesPerYear(value)
}

/// The columns plant and unit files share (`decarb fleet export` writes both): the record's
/// source and name, its place (country, the source's wording of it, subnational, latitude,
/// longitude), its status and its capacity in t/yr (the last two required).
struct Shared {
    source: Col,
    name: Col,
    country: Col,
    country_text: Col,
    subnational: Col,
    latitude: Col,
    longitude: Col,
    status: Col,
    capacity: Col,
}

impl Shared {
    /// The shared columns of `table`, and a reader whose report names the file.
    fn find<'t, 'a>(table: &'t Table<'a>) -> Result<(Shared, Reader<'t, 'a>)> {
        let report = ImportReport::new(table.at.file.clone(), FleetFormat::DecarbCsv, table.at.sheet.clone());
        let (status, capacity) = (table.require("status")?, table.require("capacity_tpa")?);
        let [source, name, country, country_text, subnational, latitude, longitude] =
            ["source", "name", "country", "country_text", "subnational", "latitude", "longitude"]
                .map(|c| table.col(c));
        let shared = Shared {
            source,
            name,
            country,
            country_text,
            subnational,
            latitude,
            longitude,
            status,
            capacity,
        };
        Ok((shared, Reader::new(table, report)))
    }

    /// The row's source, decarb's own when the cell is empty.
    fn source(&self, reader: &Reader<'_, '_>, row: &RowView<'_>) -> String {
        reader.optional_text(row, self.source).unwrap_or_else(|| DEFAULT_SOURCE.to_owned())
    }
}

fn read_plant_csv(table: &Table<'_>) -> Result<Imported> {
    let id = table.require("id")?;
    let sector = table.require("sector")?;
    let (cols, mut reader) = Shared::find(table)?;
    let [route, start, last_investment, owners, parents, status_slice, wiki] =
        ["route", "start", "last_investment", "owners", "parents", "status_slice", "wiki_url"]
            .map(|c| table.col(c));
    let mut plants = Vec::new();
    table.for_each_row(|row| {
        let sector_text = reader.text(&row, sector);
        let route_text = reader.text(&row, route);
        let (country, country_text) = country_pair(&mut reader, &row, cols.country, cols.country_text);
        plants.push(Plant {
            id: reader.required_text(&row, id, "a plant id")?,
            source: cols.source(&reader, &row),
            name: reader.text(&row, cols.name),
            sector: sector_text.parse::<Sector>().map_err(|e| table.error(&row, sector, e.expected))?,
            country,
            country_text,
            subnational: reader.optional_text(&row, cols.subnational),
            coordinates: reader.lat_lon(&row, cols.latitude, cols.longitude)?,
            status: reader.status(&row, cols.status)?,
            route: route_text.parse::<Route>().map_err(|e| table.error(&row, route, e.expected))?,
            capacity: reader.quantity(&row, cols.capacity, tonnes)?,
            start: reader.date(&row, start)?,
            last_investment: reader.date(&row, last_investment)?,
            owners: ownership_cell(&mut reader, &row, owners)?,
            parents: ownership_cell(&mut reader, &row, parents)?,
            status_slice: flag(&reader, &row, status_slice)?,
            process: None,
            wiki_url: reader.link(&row, wiki),
        });
        Ok(())
    })?;
    let mut report = reader.report;
    report.rows = plants.len();
    report.plant_records = plants.len();
    report.plants = crate::summary::distinct_plants(&plants);
    report.capacity_column = Some("capacity_tpa".to_owned());
    Ok(Imported { fleet: Fleet { plants }, units: Vec::new(), report })
}

fn read_unit_csv(table: &Table<'_>) -> Result<Imported> {
    let unit_id = table.require("unit_id")?;
    let plant_id = table.require("plant_id")?;
    let kind = table.require("kind")?;
    let (cols, mut reader) = Shared::find(table)?;
    let [plant_name, last_relining, plant_start] =
        ["plant_name", "last_relining", "plant_start"].map(|c| table.col(c));
    let mut units = Vec::new();
    table.for_each_row(|row| {
        let kind_text = reader.text(&row, kind);
        let (country, country_text) = country_pair(&mut reader, &row, cols.country, cols.country_text);
        units.push(FurnaceUnit {
            unit_id: reader.required_text(&row, unit_id, "a unit id")?,
            plant_id: reader.required_text(&row, plant_id, "a plant id")?,
            source: cols.source(&reader, &row),
            name: reader.text(&row, cols.name),
            plant_name: reader.text(&row, plant_name),
            kind: kind_text.parse::<FurnaceKind>().map_err(|e| table.error(&row, kind, e.expected))?,
            status: reader.status(&row, cols.status)?,
            capacity: reader.quantity(&row, cols.capacity, tonnes)?,
            last_relining: reader.date(&row, last_relining)?,
            country,
            country_text,
            subnational: reader.optional_text(&row, cols.subnational),
            coordinates: reader.lat_lon(&row, cols.latitude, cols.longitude)?,
            plant_start: reader.date(&row, plant_start)?,
        });
        Ok(())
    })?;
    let mut report = reader.report;
    report.rows = units.len();
    report.units = units.len();
    report.plants =
        units.iter().map(|u| u.plant_id.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    report.capacity_column = Some("capacity_tpa".to_owned());
    Ok(Imported { fleet: Fleet::default(), units, report })
}

/// `country` (ISO code or name) and `country_text` (the source's wording, defaulting to
/// `country`).
fn country_pair(
    reader: &mut Reader<'_, '_>,
    row: &RowView<'_>,
    country: Col,
    country_text: Col,
) -> (Option<decarb_model::CountryCode>, String) {
    let code = reader.text(row, country);
    // An empty `country_text` cell stays empty; only a missing column defaults to `country`.
    let text = if country_text.index.is_some() { reader.text(row, country_text) } else { code.clone() };
    let resolved = if code.is_empty() { None } else { reader.country(row, country, &code) };
    (resolved, text)
}

/// An ownership list: a JSON array or the GEM style. A share above 100 % is an error; shares summing
/// above 100.5 % are a warning, as in the GEM importers (so a GEM fleet exported as decarb CSV
/// reads back).
fn ownership_cell(reader: &mut Reader<'_, '_>, row: &RowView<'_>, col: Col) -> Result<Vec<Ownership>> {
    let text = reader.text(row, col);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let owners = if text.starts_with('[') {
        let owners: Vec<Ownership> = serde_json::from_str(&text).map_err(|_| {
            reader.table.error(row, col, "a JSON array of {\"name\", \"entity_id\", \"share\"} objects")
        })?;
        if owners.iter().any(|o| o.share.is_some_and(|s| !(0.0..=1.0).contains(&s))) {
            let problem = cells::share_problem(&owners).unwrap_or_default();
            return Err(reader.table.error(row, col, &format!("shares between 0 and 1; here {problem}")));
        }
        owners
    } else {
        cells::ownerships(&text, "")
            .map_err(|problem| {
                reader.table.error(row, col, &format!("{}; here {problem}", cells::EXPECTED_SHARES))
            })?
            .0
    };
    if let Some(problem) = cells::share_problem(&owners) {
        let at = reader.table.location(row, col);
        reader.report.warn(at, format!("{problem}; breakdowns by owner scale them to 100 %"));
    }
    Ok(owners)
}

fn flag(reader: &Reader<'_, '_>, row: &RowView<'_>, col: Col) -> Result<bool> {
    match reader.text(row, col).to_ascii_lowercase().as_str() {
        "" | "false" | "no" | "0" => Ok(false),
        "true" | "yes" | "1" => Ok(true),
        _ => Err(reader.table.error(row, col, "true, false or an empty cell")),
    }
}

pub fn read_json(at: &Location, text: &str) -> Result<Imported> {
    let document: Document = serde_json::from_str(text).map_err(|err| {
        let mut place = at.clone();
        place.row = Some(err.line());
        Error::format(place, format!("not a decarb fleet JSON document: {err}"))
    })?;
    if document.format != JSON_FORMAT_TAG || document.version != JSON_VERSION {
        return Err(Error::format(
            at.clone(),
            format!(
                "format {:?} version {}: expected format {JSON_FORMAT_TAG:?} version {JSON_VERSION}",
                document.format, document.version
            ),
        ));
    }
    let mut report = ImportReport::new(at.file.clone(), FleetFormat::DecarbJson, None);
    let mut plants = document.plants;
    for (index, plant) in plants.iter_mut().enumerate() {
        check_values(at, "plants", index, plant.capacity, plant.coordinates)?;
        tally(&mut report, plant.capacity);
        // As from a CSV cell: only an http(s) address is kept as a link, anything else is left
        // out with a warning naming it.
        if let Some(text) = plant.wiki_url.take() {
            plant.wiki_url = cells::web_address(&text).map(str::to_owned);
            if plant.wiki_url.is_none() {
                let place = at.clone().column(&format!("plants[{index}].wiki_url"));
                report.warn(place, format!("{text:?} is not an http(s) address; no link kept"));
            }
        }
    }
    for (index, unit) in document.units.iter().enumerate() {
        check_values(at, "units", index, unit.capacity, unit.coordinates)?;
        tally(&mut report, unit.capacity);
    }
    report.rows = plants.len() + document.units.len();
    report.plant_records = plants.len();
    report.plants = if document.units.is_empty() {
        crate::summary::distinct_plants(&plants)
    } else {
        document.units.iter().map(|u| u.plant_id.as_str()).collect::<std::collections::BTreeSet<_>>().len()
    };
    report.units = document.units.len();
    report.capacity_column = Some("capacity".to_owned());
    Ok(Imported { fleet: Fleet { plants }, units: document.units, report })
}

fn tally(report: &mut ImportReport, capacity: Reported<TonnesPerYear>) {
    match capacity {
        Reported::Value(_) => {}
        Reported::Positive => report.tally("capacity", |c| c.positive += 1),
        Reported::Unknown => report.tally("capacity", |c| c.unknown += 1),
        Reported::Blank => report.tally("capacity", |c| c.blank += 1),
    }
}

fn check_values(
    at: &Location,
    list: &str,
    index: usize,
    capacity: Reported<TonnesPerYear>,
    coordinates: Option<(f64, f64)>,
) -> Result<()> {
    if let Some(value) = capacity.value()
        && !(value.0.is_finite() && (0.0..=crate::limits::MAX_CAPACITY_TPA).contains(&value.0))
    {
        let place = at.clone().column(&format!("{list}[{index}].capacity"));
        return Err(Error::value(
            place,
            &value.0.to_string(),
            format!(
                "a non-negative number of tonnes per year, at most {} Mt/yr",
                crate::limits::MAX_CAPACITY_TPA / 1e6
            ),
        ));
    }
    if let Some((lat, lon)) = coordinates
        && cells::lat_lon(lat, lon).is_none()
    {
        let place = at.clone().column(&format!("{list}[{index}].coordinates"));
        return Err(Error::value(place, &format!("[{lat}, {lon}]"), "[latitude, longitude] in degrees"));
    }
    Ok(())
}

// ---- writing ----

fn capacity_text(capacity: Reported<TonnesPerYear>) -> String {
    match capacity {
        Reported::Value(value) => value.0.to_string(),
        Reported::Positive => ">0".to_owned(),
        Reported::Unknown => "unknown".to_owned(),
        Reported::Blank => String::new(),
    }
}

fn date_text(date: Option<PartialDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn coordinate_texts(coordinates: Option<(f64, f64)>) -> [String; 2] {
    coordinates
        .map_or_else(|| [String::new(), String::new()], |(lat, lon)| [lat.to_string(), lon.to_string()])
}

fn ownership_text(owners: &[Ownership]) -> Result<String, serde_json::Error> {
    if owners.is_empty() { Ok(String::new()) } else { serde_json::to_string(owners) }
}

fn io_error(err: impl std::fmt::Display, at: &Location) -> Error {
    Error::format(at.clone(), format!("cannot write: {err}"))
}

/// Writes plants as decarb CSV.
pub fn write_plant_csv(plants: &[Plant], out: &mut dyn Write, at: &Location) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(PLANT_COLUMNS).map_err(|e| io_error(e, at))?;
    for plant in plants {
        let [lat, lon] = coordinate_texts(plant.coordinates);
        let record = [
            plant.id.clone(),
            plant.source.clone(),
            plant.name.clone(),
            plant.sector.as_str().to_owned(),
            plant.country.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            plant.country_text.clone(),
            plant.subnational.clone().unwrap_or_default(),
            lat,
            lon,
            plant.status.as_str().to_owned(),
            plant.route.as_str().to_owned(),
            capacity_text(plant.capacity),
            date_text(plant.start),
            date_text(plant.last_investment),
            ownership_text(&plant.owners).map_err(|e| io_error(e, at))?,
            ownership_text(&plant.parents).map_err(|e| io_error(e, at))?,
            if plant.status_slice { "true".to_owned() } else { String::new() },
            plant.wiki_url.clone().unwrap_or_default(),
        ];
        writer.write_record(&record).map_err(|e| io_error(e, at))?;
    }
    writer.flush().map_err(|e| io_error(e, at))
}

/// Writes furnace units as decarb unit CSV.
pub fn write_unit_csv(units: &[FurnaceUnit], out: &mut dyn Write, at: &Location) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(UNIT_COLUMNS).map_err(|e| io_error(e, at))?;
    for unit in units {
        let [lat, lon] = coordinate_texts(unit.coordinates);
        let record = [
            unit.unit_id.clone(),
            unit.plant_id.clone(),
            unit.source.clone(),
            unit.name.clone(),
            unit.plant_name.clone(),
            unit.kind.as_str().to_owned(),
            unit.status.as_str().to_owned(),
            capacity_text(unit.capacity),
            date_text(unit.last_relining),
            unit.country.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            unit.country_text.clone(),
            unit.subnational.clone().unwrap_or_default(),
            lat,
            lon,
            date_text(unit.plant_start),
        ];
        writer.write_record(&record).map_err(|e| io_error(e, at))?;
    }
    writer.flush().map_err(|e| io_error(e, at))
}

/// Writes plants and units as one decarb JSON document.
pub fn write_json(plants: &[Plant], units: &[FurnaceUnit], out: &mut dyn Write, at: &Location) -> Result<()> {
    #[derive(Serialize)]
    struct DocumentRef<'a> {
        format: &'static str,
        version: u32,
        plants: &'a [Plant],
        units: &'a [FurnaceUnit],
    }
    let document = DocumentRef { format: JSON_FORMAT_TAG, version: JSON_VERSION, plants, units };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(|e| io_error(e, at))?;
    writeln!(out).map_err(|e| io_error(e, at))
}
