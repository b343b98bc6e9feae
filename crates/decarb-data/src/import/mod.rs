//! Importers: the files analysts already hold, read exactly as published.
//!
//! [`import_fleet`] reads a file, works out its format from its content (worksheet and column
//! names, never the file name) unless one is given, and returns the normalised plants (and, for
//! GEM's unit file, furnace units) with an [`ImportReport`]. Imports are all-or-nothing: a cell
//! that is wrong in a way the source never is (a status word nobody uses, a capacity `abc`) is an
//! [`Error`] naming file, sheet, row, column, the value and what was expected, and no fleet.
//!
//! Formats: GEM Global Steel Plant Tracker 2023 workbook and its CSV export (`gem-gspt`), GEM
//! Global Iron and Steel Tracker 2025 plant and unit map files (`gem-gist-plants`,
//! `gem-gist-units`), the SFI cement database workbook or CSV (`sfi-cement`), and decarb's own
//! format (`decarb-csv`, `decarb-json`; `docs/fleet-format.md`).

pub mod cells;
pub mod columns;
pub(crate) mod decarb_format;
pub mod detect;
mod gem_gist;
mod gem_gspt;
pub mod report;
mod sfi_cement;
mod table;
pub mod text;

pub use report::{CellCounts, ImportReport, Warning};

use crate::error::{Error, Location, Result};
use calamine::{Data, Reader as _};
use decarb_model::{Fleet, FurnaceUnit};
use std::fmt;
use std::io::Cursor;
use std::path::Path;
use std::str::FromStr;
use table::{Header, Rows, Table};

/// The input formats decarb reads. The names are those of `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FleetFormat {
    /// GEM Global Steel Plant Tracker (2023 workbook layout, or its CSV export).
    GemGspt,
    /// GEM Global Iron and Steel Tracker, plant-level map file (2025).
    GemGistPlants,
    /// GEM Global Iron and Steel Tracker, unit-level map file (2025).
    GemGistUnits,
    /// Spatial Finance Initiative global cement database (2021), workbook or CSV.
    SfiCement,
    /// decarb's own fleet CSV.
    DecarbCsv,
    /// decarb's own fleet JSON.
    DecarbJson,
}

impl FleetFormat {
    pub const ALL: [FleetFormat; 6] = [
        FleetFormat::GemGspt,
        FleetFormat::GemGistPlants,
        FleetFormat::GemGistUnits,
        FleetFormat::SfiCement,
        FleetFormat::DecarbCsv,
        FleetFormat::DecarbJson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FleetFormat::GemGspt => "gem-gspt",
            FleetFormat::GemGistPlants => "gem-gist-plants",
            FleetFormat::GemGistUnits => "gem-gist-units",
            FleetFormat::SfiCement => "sfi-cement",
            FleetFormat::DecarbCsv => "decarb-csv",
            FleetFormat::DecarbJson => "decarb-json",
        }
    }
}

impl fmt::Display for FleetFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FleetFormat {
    type Err = decarb_model::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace('_', "-");
        FleetFormat::ALL.into_iter().find(|f| f.as_str() == key).ok_or_else(|| {
            decarb_model::ParseError::new(
                "input format",
                s,
                "one of gem-gspt, gem-gist-plants, gem-gist-units, sfi-cement, decarb-csv, decarb-json",
            )
        })
    }
}

/// What one file gave: plants, or furnace units (GEM unit files), and the account of the import.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub fleet: Fleet,
    pub units: Vec<FurnaceUnit>,
    pub report: ImportReport,
}

/// Reads a fleet file. `format` overrides detection.
pub fn import_fleet(path: &Path, format: Option<FleetFormat>) -> Result<Imported> {
    let bytes = crate::limits::read_file(path)?;
    import_bytes(path, &bytes, format)
}

/// Reads a fleet from bytes already in memory; `path` names them in messages.
pub fn import_bytes(path: &Path, bytes: &[u8], format: Option<FleetFormat>) -> Result<Imported> {
    let at = Location::file(path);
    if detect::is_workbook(bytes) {
        return import_workbook(&at, bytes, format);
    }
    let text = text::decode(bytes, &at)?;
    if format == Some(FleetFormat::DecarbJson) || (format.is_none() && detect::is_json(&text)) {
        return decarb_format::read_json(&at, &text);
    }
    let table = csv_table(&at, &text)?;
    let format = match format {
        Some(format) => format,
        None => detect::from_header(&table.header).ok_or_else(|| unrecognised(&at))?,
    };
    import_table(&table, format)
}

fn unrecognised(at: &Location) -> Error {
    let known: Vec<String> = FleetFormat::ALL
        .into_iter()
        .filter(|f| *f != FleetFormat::DecarbJson)
        .map(|f| format!("{f} ({})", detect::signature(f)))
        .collect();
    Error::format(
        at.clone(),
        format!(
            "format not recognised from its columns; expected the columns of one of: {}; or give --input-format",
            known.join("; ")
        ),
    )
}

/// Runs the format's importer, then lists the columns it did not read in the report.
fn import_table(table: &Table<'_>, format: FleetFormat) -> Result<Imported> {
    let mut imported = import_format(table, format)?;
    imported.report.unmapped_columns = table.header.unused_names();
    Ok(imported)
}

fn import_format(table: &Table<'_>, format: FleetFormat) -> Result<Imported> {
    match format {
        FleetFormat::GemGspt => gem_gspt::import(table),
        FleetFormat::GemGistPlants => gem_gist::import_plants(table),
        FleetFormat::GemGistUnits => gem_gist::import_units(table),
        FleetFormat::SfiCement => sfi_cement::import(table),
        FleetFormat::DecarbCsv => decarb_format::import_csv(table),
        FleetFormat::DecarbJson => {
            Err(Error::format(table.at.clone(), "decarb-json input must be a JSON document"))
        }
    }
}

/// Parses CSV text into a header and records, checking that every record has as many fields as
/// the header (a cut-off file or an unbalanced quote shows up here, with its line).
fn csv_table<'a>(at: &Location, text: &str) -> Result<Table<'a>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect::delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |err: csv::Error| {
        let line = err.position().map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        let mut place = at.clone();
        place.row = line;
        Error::format(place, format!("unreadable CSV: {err}"))
    };
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).map_err(csv_error)? {
        return Err(Error::format(at.clone(), "empty file: no header row"));
    }
    let header = Header::new(record.iter().map(str::to_owned).collect());
    let mut records = Vec::new();
    loop {
        let mut record = csv::StringRecord::new();
        if !reader.read_record(&mut record).map_err(csv_error)? {
            break;
        }
        let line =
            record.position().map_or(records.len() + 2, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        if record.len() != header.len()
            && !(record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()))
        {
            return Err(Error::format(
                at.clone().row(line),
                format!(
                    "row has {} fields but the header has {}: the file may be cut short or have an unbalanced quote",
                    record.len(),
                    header.len()
                ),
            ));
        }
        records.push((line, record));
    }
    Ok(Table { at: at.clone(), header, rows: Rows::Csv(records) })
}

/// Reads a workbook: finds the data sheet by its header (preferring the known sheet names), or
/// the first sheet that fits the requested format.
fn import_workbook(at: &Location, bytes: &[u8], format: Option<FleetFormat>) -> Result<Imported> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|err| Error::format(at.clone(), format!("not a readable workbook: {err}")))?;
    let mut names = workbook.sheet_names();
    names.sort_by_key(|name| !detect::PREFERRED_SHEETS.contains(&name.as_str()));
    let mut seen = Vec::new();
    for name in names {
        let sheet_at = at.clone().sheet(&name);
        let range = crate::sheet::read_sheet(&mut workbook, &name, &sheet_at)?;
        let Some((header_offset, header, found)) = find_header(&range, format) else {
            seen.push(name);
            continue;
        };
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let table =
            Table { at: sheet_at, header, rows: Rows::Sheet { range: &range, first_row, header_offset } };
        return import_table(&table, found);
    }
    let wanted = format
        .map_or_else(|| "a known fleet format".to_owned(), |f| format!("{f} ({})", detect::signature(f)));
    Err(Error::format(
        at.clone(),
        format!("no worksheet has the columns of {wanted}; sheets: {}", seen.join(", ")),
    ))
}

/// The header row among the first few rows of a sheet, with the format it identifies (or the
/// requested format, when the row has the requested format's columns).
fn find_header(
    range: &calamine::Range<Data>,
    format: Option<FleetFormat>,
) -> Option<(usize, Header, FleetFormat)> {
    for (offset, row) in range.rows().take(5).enumerate() {
        let header = Header::new(row.iter().map(table::cell_text).collect());
        match (detect::from_header(&header), format) {
            (Some(found), None) => return Some((offset, header, found)),
            (Some(found), Some(wanted)) if found == wanted => return Some((offset, header, found)),
            _ => {}
        }
    }
    None
}
