//! Spatial Finance Initiative GeoAsset global cement database (July 2021): the data sheet of the
//! workbook or its CSV export.
//!
//! Capacity is in Mt of cement per year (filled for about half the plants; the rest are blank,
//! counted in the report). The database has no plant names: a plant's name is its locality
//! (`city`, else `state`, else the uid). Eight `uid`s occur twice for different plants; both are
//! kept and reported.

use super::cells;
use super::report::ImportReport;
use super::table::{Col, Reader, RowView, Table};
use super::{FleetFormat, Imported};
use crate::error::Result;
use decarb_model::units::TonnesPerYear;
use decarb_model::{CountryCode, Ownership, Plant, Route, Sector};

pub const SOURCE: &str = "sfi-cement";
const CAPACITY: &str = "capacity";

struct ParentColumns {
    name: Col,
    permid: Col,
    stake: Col,
}

pub fn import(table: &Table<'_>) -> Result<Imported> {
    let report = ImportReport::new(table.at.file.clone(), FleetFormat::SfiCement, table.at.sheet.clone());
    let mut reader = Reader::new(table, report);
    let uid = table.require("uid")?;
    let status = table.require("status")?;
    let plant_type = table.require("plant_type")?;
    let capacity = table.require(CAPACITY)?;
    let country = table.require("country")?;
    let iso3 = table.col("iso3");
    let city = table.col("city");
    let state = table.col("state");
    let latitude = table.col("latitude");
    let longitude = table.col("longitude");
    let year = table.col("year");
    let owner = table.col("owner_name");
    let owner_id = table.col("owner_permid");
    let parents = [
        ParentColumns {
            name: table.col("parent_name"),
            permid: table.col("parent_permid"),
            stake: table.col("ownership_stake"),
        },
        ParentColumns {
            name: table.col("parent_name_2"),
            permid: table.col("parent_permid_2"),
            stake: table.col("ownership_stake_2"),
        },
    ];

    let mut plants = Vec::new();
    let mut ids = Vec::new();
    table.for_each_row(|row| {
        let id = reader.required_text(&row, uid, "a plant uid such as GACTCHN0001")?;
        let country_text = reader.text(&row, country);
        let code = reader.text(&row, iso3);
        let resolved = CountryCode::resolve(&code).or_else(|| reader.country(&row, country, &country_text));
        let route = match reader.text(&row, plant_type).to_ascii_lowercase().as_str() {
            "integrated" => Route::CementIntegrated,
            "grinding" => Route::CementGrinding,
            "" | "unknown" => Route::Unknown,
            _ => return Err(table.error(&row, plant_type, "Integrated, Grinding or an empty cell")),
        };
        let name = [reader.text(&row, city), reader.text(&row, state)]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or_else(|| id.clone());
        let owner_name = reader.text(&row, owner);
        let owners = if owner_name.is_empty() {
            Vec::new()
        } else {
            vec![Ownership { name: owner_name, entity_id: reader.optional_text(&row, owner_id), share: None }]
        };
        let mut parent_list = Vec::new();
        for columns in &parents {
            if let Some(parent) = parent(&reader, &row, columns)? {
                parent_list.push(parent);
            }
        }
        if let Some(problem) = cells::share_problem(&parent_list) {
            let at = table.location(&row, parents[1].stake);
            reader.report.warn(at, format!("{problem}; breakdowns by owner scale them to 100 %"));
        }
        plants.push(Plant {
            id: id.clone(),
            source: SOURCE.to_owned(),
            name,
            sector: Sector::Cement,
            country: resolved,
            country_text,
            subnational: reader.optional_text(&row, state),
            coordinates: reader.lat_lon(&row, latitude, longitude)?,
            status: reader.status(&row, status)?,
            route,
            capacity: reader.quantity(&row, capacity, TonnesPerYear::from_mt)?,
            start: reader.date(&row, year)?,
            last_investment: None,
            owners,
            parents: parent_list,
            status_slice: false,
            process: None,
            wiki_url: None,
        });
        ids.push((id, row.number));
        Ok(())
    })?;
    reader.warn_duplicates(uid, &ids);
    Ok(reader.one_plant_per_row(plants, CAPACITY))
}

fn parent(reader: &Reader<'_, '_>, row: &RowView<'_>, columns: &ParentColumns) -> Result<Option<Ownership>> {
    let name = reader.text(row, columns.name);
    if name.is_empty() {
        return Ok(None);
    }
    let stake = row.cell(columns.stake);
    let share = if stake.is_blank() {
        None
    } else {
        let value = match stake {
            cells::Cell::Number(value) => Some(value),
            other => other.text().and_then(cells::number),
        };
        let fraction = value.filter(|v| (0.0..=1.0).contains(v));
        Some(fraction.ok_or_else(|| reader.table.error(row, columns.stake, "a fraction between 0 and 1"))?)
    };
    Ok(Some(Ownership { name, entity_id: reader.optional_text(row, columns.permid), share }))
}
