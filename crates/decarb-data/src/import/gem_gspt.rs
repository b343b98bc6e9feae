//! GEM Global Steel Plant Tracker, March 2023 layout: the "Steel Plants" sheet of the official
//! workbook, or its CSV export (`steel_plants.csv`). Both give identical fleets.
//!
//! One row is one plant, or one expansion of a plant with its own suffixed id (`SDZ00002-1`).
//! Capacity is `Nominal crude steel capacity (ttpa)`; the route comes from `Main production
//! process` (see [`route_from_process`]).

use super::cells::{self, Cell};
use super::report::ImportReport;
use super::table::{Col, Reader, RowView, Table};
use super::{FleetFormat, Imported};
use crate::error::Result;
use decarb_model::units::TonnesPerYear;
use decarb_model::{Ownership, Plant, Reported, Route, Sector};

pub const SOURCE: &str = "gem-gspt";
const CAPACITY: &str = "Nominal crude steel capacity (ttpa)";

pub fn import(table: &Table<'_>) -> Result<Imported> {
    let report = ImportReport::new(table.at.file.clone(), FleetFormat::GemGspt, table.at.sheet.clone());
    let mut reader = Reader::new(table, report);
    let id = table.require("Plant ID")?;
    let name = table.require("Plant name (English)")?;
    let country = table.require("Country")?;
    let status = table.require("Status")?;
    let capacity = table.require(CAPACITY)?;
    let subnational = table.col("Subnational unit (province/state)");
    let coordinates = table.col("Coordinates");
    let start = table.col("Start date");
    let process = table.col("Main production process");
    let bf = table.col("Nominal BF capacity (ttpa)");
    let dri = table.col("Nominal DRI capacity (ttpa)");
    let bof = table.col("Nominal BOF steel capacity (ttpa)");
    let eaf = table.col("Nominal EAF steel capacity (ttpa)");
    let owner = table.col("Owner");
    let owner_id = table.col("Owner PermID");
    let parent = table.col("Parent [formula]");
    let parent_id = table.col("Parent PermID [formula]");
    let wiki = table.col("GEM wiki page");

    let mut plants = Vec::new();
    let mut ids = Vec::new();
    table.for_each_row(|row| {
        let plant_id = reader.required_text(&row, id, "a plant id such as SCN00001")?;
        let country_text = reader.text(&row, country);
        let capacities = ProcessCapacities {
            bf: reader.quantity(&row, bf, TonnesPerYear::from_kt)?,
            dri: reader.quantity(&row, dri, TonnesPerYear::from_kt)?,
            bof: reader.quantity(&row, bof, TonnesPerYear::from_kt)?,
            eaf: reader.quantity(&row, eaf, TonnesPerYear::from_kt)?,
        };
        let route = route_from_process(row.cell(process), &capacities)
            .map_err(|expected| table.error(&row, process, expected))?;
        let plant = Plant {
            source: SOURCE.to_owned(),
            name: reader.text(&row, name),
            sector: Sector::Steel,
            country: reader.country(&row, country, &country_text),
            country_text,
            subnational: reader.optional_text(&row, subnational),
            coordinates: reader.coordinates(&row, coordinates)?,
            status: reader.status(&row, status)?,
            route,
            capacity: reader.quantity(&row, capacity, TonnesPerYear::from_kt)?,
            start: reader.date(&row, start)?,
            last_investment: None,
            owners: owners(&mut reader, &row, owner, owner_id)?,
            parents: owners(&mut reader, &row, parent, parent_id)?,
            status_slice: false,
            process: None,
            wiki_url: reader.link(&row, wiki),
            id: plant_id.clone(),
        };
        ids.push((plant_id, row.number));
        plants.push(plant);
        Ok(())
    })?;
    reader.warn_duplicates(id, &ids);
    Ok(reader.one_plant_per_row(plants, CAPACITY))
}

/// Reads an owner or parent list with its matching id list; warns when they do not pair up. A
/// share above 100 % is an error; stated shares summing above 100 % + 0.5 points
/// ([`cells::SHARE_SUM_TOLERANCE`]) are a warning: GEM's own files have such rows (two plants of
/// the iron and steel tracker 2025-03 sum to 101 %), and refusing the whole tracker for them
/// would leave users without it. Breakdowns by owner scale such shares down to 100 %.
pub(super) fn owners(
    reader: &mut Reader<'_, '_>,
    row: &RowView<'_>,
    names: Col,
    ids: Col,
) -> Result<Vec<Ownership>> {
    let names_text = row.cell(names).to_text();
    let ids_text = row.cell(ids).to_text();
    let (owners, paired) = cells::ownerships(&names_text, &ids_text).map_err(|problem| {
        reader.table.error(row, names, &format!("{}; here {problem}", cells::EXPECTED_SHARES))
    })?;
    if let Some(problem) = cells::share_problem(&owners) {
        let at = reader.table.location(row, names);
        reader.report.warn(at, format!("{problem}; breakdowns by owner scale them to 100 %"));
    }
    if !paired {
        let at = reader.table.location(row, ids);
        reader
            .report
            .warn(at, format!("{} ids for {} names; ids dropped", ids_text.split(';').count(), owners.len()));
    }
    Ok(owners)
}

/// The ironmaking and steelmaking capacities that settle the route of mixed plants.
pub(super) struct ProcessCapacities {
    pub bf: Reported<TonnesPerYear>,
    pub dri: Reported<TonnesPerYear>,
    pub bof: Reported<TonnesPerYear>,
    pub eaf: Reported<TonnesPerYear>,
}

const EXPECTED_PROCESS: &str = "a GEM production process: electric, oxygen, \"electric, oxygen\", integrated (BF), \
     integrated (DRI), integrated (BF and DRI), integrated (unknown), ironmaking (BF), ironmaking (DRI), \
     ironmaking (BF and DRI), ironmaking (other), steel other/unspecified, unknown";

/// Maps GEM's production process (GSPT 2023 `Main production process`, GIST 2025
/// `prod-method-tier` codes such as `IntegratedBFandDRI`) to a route.
///
/// Plants with two ironmaking or two steelmaking routes take the one with the larger stated
/// capacity (BF vs DRI, EAF vs BOF), and the first-named one when capacities are not known.
/// Unknown or unspecified processes give [`Route::Unknown`]; a process word GEM does not use is
/// an error.
pub(super) fn route_from_process(
    cell: Cell<'_>,
    capacities: &ProcessCapacities,
) -> Result<Route, &'static str> {
    let text = cell.text().ok_or(EXPECTED_PROCESS)?;
    let key: String =
        text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    let larger = |a: Reported<TonnesPerYear>, b: Reported<TonnesPerYear>| match (a.value(), b.value()) {
        (Some(a), Some(b)) => a.0 >= b.0,
        (None, Some(_)) => false,
        _ => true,
    };
    let route = match key.as_str() {
        "electric" => Route::Eaf,
        "oxygen" => Route::Bof,
        "electricoxygen" => {
            if larger(capacities.eaf, capacities.bof) {
                Route::Eaf
            } else {
                Route::Bof
            }
        }
        "integratedbf" => Route::BfBof,
        "integrateddri" => Route::DriEaf,
        "integratedbfanddri" => {
            if larger(capacities.bf, capacities.dri) {
                Route::BfBof
            } else {
                Route::DriEaf
            }
        }
        "ironmakingbf" => Route::IronBf,
        "ironmakingdri" => Route::IronDri,
        "ironmakingbfanddri" => {
            if larger(capacities.bf, capacities.dri) {
                Route::IronBf
            } else {
                Route::IronDri
            }
        }
        ""
        | "unknown"
        | "integratedunknown"
        | "ironmakingunknown"
        | "ironmakingother"
        | "ironotherunspecified"
        | "steelotherunspecified" => Route::Unknown,
        _ => return Err(EXPECTED_PROCESS),
    };
    Ok(route)
}
