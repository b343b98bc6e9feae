//! GEM Global Iron and Steel Tracker map files (March 2025): the plant-level file, whose
//! capacities are split by status into `<status>-nominal-<product>-capacity-(ttpa)` columns, and
//! the unit-level file with one row per furnace.
//!
//! Plant file: a plant with capacity in several statuses (operating 5 Mt, announced expansion
//! 2 Mt, retired line 1 Mt) becomes one record per status with non-zero crude steel capacity,
//! each flagged [`Plant::status_slice`]; summaries count such records as one plant. This is how
//! the 2023 tracker recorded expansions (their own rows), and it keeps every status total equal
//! to its column total. A plant with no crude steel capacity at all (ironmaking only) is one
//! record with its `plant-status` and capacity 0: GIST writes zeros, not blanks, for "none".

use super::gem_gspt::{ProcessCapacities, owners, route_from_process};
use super::report::ImportReport;
use super::table::{Col, Reader, RowView, Table};
use super::{FleetFormat, Imported};
use crate::error::{Error, Result};
use decarb_model::units::TonnesPerYear;
use decarb_model::{Fleet, FurnaceKind, FurnaceUnit, Plant, PlantStatus, Reported, Sector};
use std::collections::BTreeSet;

pub const SOURCE: &str = "gem-gist";
const CRUDE_SUFFIX: &str = "-nominal-crude-steel-capacity-(ttpa)";

/// A status's crude steel capacity column.
struct StatusColumn {
    status: PlantStatus,
    col: Col,
}

/// Columns of one product over all statuses (`operating-nominal-bf-capacity-(ttpa)`, ...).
fn product_columns(table: &Table<'_>, product: &str) -> Vec<Col> {
    let suffix = format!("-nominal-{product}-capacity-(ttpa)");
    (0..table.header.len())
        .filter(|i| table.header.names[*i].trim().to_ascii_lowercase().ends_with(&suffix))
        .map(|i| Col { index: Some(i), name: product_label(product) })
        .collect()
}

fn product_label(product: &str) -> &'static str {
    match product {
        "bf" => "<status>-nominal-bf-capacity-(ttpa)",
        "dri" => "<status>-nominal-dri-capacity-(ttpa)",
        "bof-steel" => "<status>-nominal-bof-steel-capacity-(ttpa)",
        _ => "<status>-nominal-eaf-steel-capacity-(ttpa)",
    }
}

fn status_columns(table: &Table<'_>) -> Result<Vec<StatusColumn>> {
    let mut columns = Vec::new();
    for (index, name) in table.header.names.iter().enumerate() {
        let lower = name.trim().to_ascii_lowercase();
        let Some(prefix) = lower.strip_suffix(CRUDE_SUFFIX) else { continue };
        let status = prefix.parse::<PlantStatus>().map_err(|err| {
            Error::format(
                table.at.clone().column(name),
                format!("capacity column for an unknown status {prefix:?}: expected {}", err.expected),
            )
        })?;
        columns.push(StatusColumn {
            status,
            col: Col { index: Some(index), name: "<status>-nominal-crude-steel-capacity-(ttpa)" },
        });
    }
    if columns.is_empty() {
        return Err(Error::format(
            table.at.clone().column("operating-nominal-crude-steel-capacity-(ttpa)"),
            "missing required columns <status>-nominal-crude-steel-capacity-(ttpa)",
        ));
    }
    Ok(columns)
}

/// Plant metadata shared by the plant and the unit file.
struct Site {
    country: Col,
    subnational: Col,
    coordinates: Col,
    lat: Col,
    lng: Col,
    start: Col,
}

impl Site {
    fn new(table: &Table<'_>) -> Result<Self> {
        Ok(Self {
            country: table.require("country/area")?,
            subnational: table.col("subnational-unit-(province/state)"),
            coordinates: table.col("coordinates"),
            lat: table.col("lat"),
            lng: table.col("lng"),
            start: table.col("start-date"),
        })
    }

    fn coordinates(&self, reader: &mut Reader<'_, '_>, row: &RowView<'_>) -> Result<Option<(f64, f64)>> {
        if self.coordinates.index.is_some() {
            reader.coordinates(row, self.coordinates)
        } else {
            reader.lat_lon(row, self.lat, self.lng)
        }
    }
}

fn sum_known(
    reader: &mut Reader<'_, '_>,
    row: &RowView<'_>,
    cols: &[Col],
) -> Result<Reported<TonnesPerYear>> {
    let mut total = 0.0;
    for col in cols {
        total += reader.quantity_or_zero(row, *col, TonnesPerYear::from_kt)?;
    }
    Ok(Reported::Value(TonnesPerYear(total)))
}

pub fn import_plants(table: &Table<'_>) -> Result<Imported> {
    let report = ImportReport::new(table.at.file.clone(), FleetFormat::GemGistPlants, table.at.sheet.clone());
    let mut reader = Reader::new(table, report);
    let id = table.require("plant-id")?;
    let name = table.require("plant-name-(english)")?;
    let plant_status = table.require("plant-status")?;
    let tier = match table.col("prod-method-tier") {
        col if col.index.is_some() => col,
        _ => table.col("prod-method-tier-display"),
    };
    let site = Site::new(table)?;
    let owner = table.col("owner");
    let owner_id = table.col("owner-gem-id");
    let parent = table.col("parent");
    let parent_id = table.col("parent-gem-id");
    let statuses = status_columns(table)?;
    let [bf, dri, bof, eaf] = ["bf", "dri", "bof-steel", "eaf-steel"].map(|p| product_columns(table, p));

    let mut plants = Vec::new();
    let mut ids = Vec::new();
    table.for_each_row(|row| {
        let plant_id = reader.required_text(&row, id, "a plant id such as P100000120001")?;
        let status = reader.status(&row, plant_status)?;
        let capacities = ProcessCapacities {
            bf: sum_known(&mut reader, &row, &bf)?,
            dri: sum_known(&mut reader, &row, &dri)?,
            bof: sum_known(&mut reader, &row, &bof)?,
            eaf: sum_known(&mut reader, &row, &eaf)?,
        };
        let route =
            route_from_process(row.cell(tier), &capacities).map_err(|e| table.error(&row, tier, e))?;
        // Capacity per status; two columns for one status (a release that splits it further)
        // add up. The plant's own status comes first.
        let mut slices: Vec<(PlantStatus, Reported<TonnesPerYear>)> = Vec::new();
        let mut own = Reported::Value(TonnesPerYear::ZERO);
        for column in &statuses {
            let capacity = reader.quantity(&row, column.col, TonnesPerYear::from_kt)?;
            if column.status == status {
                own = capacity;
            }
            if matches!(capacity, Reported::Blank) || capacity.value().is_some_and(|v| v.0 == 0.0) {
                continue;
            }
            match slices.iter_mut().find(|(s, _)| *s == column.status) {
                Some((_, Reported::Value(total))) if capacity.is_known() => {
                    *total += capacity.value().unwrap_or_default();
                }
                Some(_) => {}
                None => slices.push((column.status, capacity)),
            }
        }
        slices.sort_by_key(|(s, _)| (*s != status, *s));
        if slices.is_empty() {
            slices.push((status, own));
        }
        let country_text = reader.text(&row, site.country);
        let template = Plant {
            id: plant_id.clone(),
            source: SOURCE.to_owned(),
            name: reader.text(&row, name),
            sector: Sector::Steel,
            country: reader.country(&row, site.country, &country_text),
            country_text,
            subnational: reader.optional_text(&row, site.subnational),
            coordinates: site.coordinates(&mut reader, &row)?,
            status,
            route,
            capacity: own,
            start: reader.date(&row, site.start)?,
            last_investment: None,
            owners: owners(&mut reader, &row, owner, owner_id)?,
            parents: owners(&mut reader, &row, parent, parent_id)?,
            status_slice: true,
            process: None,
        };
        for (slice_status, capacity) in slices {
            plants.push(Plant { status: slice_status, capacity, ..template.clone() });
        }
        ids.push((plant_id, row.number));
        Ok(())
    })?;
    reader.warn_duplicates(id, &ids);
    let mut report = reader.report;
    report.rows = ids.len();
    report.plants = ids.iter().map(|(id, _)| id).collect::<BTreeSet<_>>().len();
    report.plant_records = plants.len();
    report.capacity_column = Some("<status>-nominal-crude-steel-capacity-(ttpa)".to_owned());
    Ok(Imported { fleet: Fleet { plants }, units: Vec::new(), report })
}

pub fn import_units(table: &Table<'_>) -> Result<Imported> {
    let report = ImportReport::new(table.at.file.clone(), FleetFormat::GemGistUnits, table.at.sheet.clone());
    let mut reader = Reader::new(table, report);
    let kind = table.require("tab-type")?;
    let plant_id = table.require("gem-plant-id")?;
    let unit_id = table.require("gem-unit-id")?;
    let status = table.require("status")?;
    let capacity = table.require("current-capacity-(ttpa)")?;
    let unit_name = table.col("unit-name");
    let plant_name = table.col("plant-name-(english)");
    let relining = table.col("most-recent-relining");
    let site = Site::new(table)?;

    let mut units = Vec::new();
    let mut ids = Vec::new();
    table.for_each_row(|row| {
        let kind_cell = row.cell(kind);
        let furnace = kind_cell
            .text()
            .unwrap_or_default()
            .parse::<FurnaceKind>()
            .map_err(|err| table.error(&row, kind, err.expected))?;
        let id = reader.required_text(&row, unit_id, "a unit id such as U100000144311")?;
        let country_text = reader.text(&row, site.country);
        let unit = FurnaceUnit {
            unit_id: id.clone(),
            plant_id: reader.required_text(&row, plant_id, "a plant id such as P100000120001")?,
            source: SOURCE.to_owned(),
            name: reader.text(&row, unit_name),
            plant_name: reader.text(&row, plant_name),
            kind: furnace,
            status: reader.status(&row, status)?,
            capacity: reader.quantity(&row, capacity, TonnesPerYear::from_kt)?,
            last_relining: reader.date(&row, relining)?,
            country: reader.country(&row, site.country, &country_text),
            country_text,
            subnational: reader.optional_text(&row, site.subnational),
            coordinates: site.coordinates(&mut reader, &row)?,
            plant_start: reader.date(&row, site.start)?,
        };
        ids.push((id, row.number));
        units.push(unit);
        Ok(())
    })?;
    reader.warn_duplicates(unit_id, &ids);
    let mut report = reader.report;
    report.rows = units.len();
    report.units = units.len();
    report.plants = units.iter().map(|u| u.plant_id.as_str()).collect::<BTreeSet<_>>().len();
    report.capacity_column = Some("current-capacity-(ttpa)".to_owned());
    Ok(Imported { fleet: Fleet::default(), units, report })
}
