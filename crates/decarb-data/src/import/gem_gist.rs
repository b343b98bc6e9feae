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
//!
//! Each status record takes its route from that status's own equipment columns ([`phase_route`]);
//! rows sharing a plant id (phase-level map files) fold into one plant ([`Folded`]).

use super::cells::{self, Quantity};
use super::gem_gspt::{ProcessCapacities, owners, route_from_process};
use super::report::ImportReport;
use super::table::{Col, Reader, RowView, Table};
use super::{FleetFormat, Imported};
use crate::error::{Error, Result};
use decarb_model::units::TonnesPerYear;
use decarb_model::{Fleet, FurnaceKind, FurnaceUnit, Plant, PlantStatus, Reported, Route, Sector};
use std::collections::{BTreeSet, HashMap};

pub const SOURCE: &str = "gem-gist";
const CRUDE_SUFFIX: &str = "-nominal-crude-steel-capacity-(ttpa)";

/// A status's crude steel capacity column, with the equipment columns of the same status that
/// settle the route of that status's capacity.
struct StatusColumn {
    status: PlantStatus,
    col: Col,
    equipment: Equipment,
}

/// The equipment capacity columns of one status (absent columns read as zero).
#[derive(Clone, Copy)]
struct Equipment {
    bf: Col,
    dri: Col,
    bof: Col,
    eaf: Col,
    ohf: Col,
}

/// The products whose `<status>-nominal-<product>-capacity-(ttpa)` columns decarb reads.
const PRODUCTS: [&str; 5] = ["bf", "dri", "bof-steel", "eaf-steel", "ohf-steel"];

/// Columns of one product over all statuses (`operating-nominal-bf-capacity-(ttpa)`, ...).
fn product_columns(table: &Table<'_>, product: &str) -> Vec<Col> {
    let suffix = format!("-nominal-{product}-capacity-(ttpa)");
    (0..table.header.len())
        .filter(|i| table.header.names[*i].trim().to_ascii_lowercase().ends_with(&suffix))
        .map(|i| {
            table.header.mark_used(i);
            Col { index: Some(i), name: product_label(product) }
        })
        .collect()
}

/// The column of one product for one status (`construction-nominal-eaf-steel-capacity-(ttpa)`).
fn status_product_column(table: &Table<'_>, status_prefix: &str, product: &str) -> Col {
    let wanted = format!("{status_prefix}-nominal-{product}-capacity-(ttpa)");
    let index =
        (0..table.header.len()).find(|i| table.header.names[*i].trim().to_ascii_lowercase() == wanted);
    Col { index, name: product_label(product) }
}

fn product_label(product: &str) -> &'static str {
    match product {
        "bf" => "<status>-nominal-bf-capacity-(ttpa)",
        "dri" => "<status>-nominal-dri-capacity-(ttpa)",
        "bof-steel" => "<status>-nominal-bof-steel-capacity-(ttpa)",
        "ohf-steel" => "<status>-nominal-ohf-steel-capacity-(ttpa)",
        _ => "<status>-nominal-eaf-steel-capacity-(ttpa)",
    }
}

/// The route of one status's capacity from that status's own equipment (kt/yr), never from the
/// plant's main production process: the largest steelmaking capacity decides the furnace (EAF,
/// then BOF, then OHF on a tie), and the ironmaking of the same status its feed (an EAF with DRI
/// capacity is DRI-EAF, without it scrap EAF; a BOF with BF capacity is BF-BOF, without it
/// steelmaking from purchased iron). A status with only ironmaking capacity is iron-only (BF or
/// DRI, the larger); with neither, or only "other/unspecified" steelmaking and no ironmaking,
/// [`Route::Unknown`]. "Other/unspecified" steelmaking beside ironmaking takes the ironmaking's
/// usual furnace (DRI-EAF, BF-BOF).
fn phase_route(eaf: f64, bof: f64, ohf: f64, bf: f64, dri: f64, has_steel: bool) -> Route {
    if eaf > 0.0 && eaf >= bof && eaf >= ohf {
        return if dri > 0.0 { Route::DriEaf } else { Route::Eaf };
    }
    if bof > 0.0 && bof >= ohf {
        return if bf > 0.0 { Route::BfBof } else { Route::Bof };
    }
    if ohf > 0.0 {
        return Route::Ohf;
    }
    match (bf > 0.0 || dri > 0.0, has_steel) {
        (false, _) => Route::Unknown,
        (true, true) if dri > bf => Route::DriEaf,
        (true, true) => Route::BfBof,
        (true, false) if dri > bf => Route::IronDri,
        (true, false) => Route::IronBf,
    }
}

fn status_columns(table: &Table<'_>) -> Result<Vec<StatusColumn>> {
    let mut columns = Vec::new();
    for (index, name) in table.header.names.iter().enumerate() {
        let lower = name.trim().to_ascii_lowercase();
        let Some(prefix) = lower.strip_suffix(CRUDE_SUFFIX) else { continue };
        table.header.mark_used(index);
        let status = prefix.parse::<PlantStatus>().map_err(|err| {
            Error::format(
                table.at.clone().column(name),
                format!("capacity column for an unknown status {prefix:?}: expected {}", err.expected),
            )
        })?;
        let [bf, dri, bof, eaf, ohf] = PRODUCTS.map(|p| status_product_column(table, prefix, p));
        columns.push(StatusColumn {
            status,
            col: Col { index: Some(index), name: "<status>-nominal-crude-steel-capacity-(ttpa)" },
            equipment: Equipment { bf, dri, bof, eaf, ohf },
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

/// One status of a plant: its crude steel capacity and its equipment capacities (kt/yr).
struct Slice {
    status: PlantStatus,
    capacity: Reported<TonnesPerYear>,
    eaf: f64,
    bof: f64,
    ohf: f64,
    bf: f64,
    dri: f64,
}

impl Slice {
    fn new(status: PlantStatus, capacity: Reported<TonnesPerYear>) -> Self {
        Self { status, capacity, eaf: 0.0, bof: 0.0, ohf: 0.0, bf: 0.0, dri: 0.0 }
    }

    /// Reads the equipment cells of this status. The same cells are read (with their
    /// placeholder counts and limits) for the plant's totals, so here a placeholder is just 0.
    fn read_equipment(&mut self, table: &Table<'_>, row: &RowView<'_>, cols: &Equipment) -> Result<()> {
        let kt = |col: Col| match cells::quantity(row.cell(col)).map_err(|e| table.error(row, col, e))? {
            Quantity::Value(value) => Ok(value),
            _ => Ok(0.0),
        };
        self.eaf = kt(cols.eaf)?;
        self.bof = kt(cols.bof)?;
        self.ohf = kt(cols.ohf)?;
        self.bf = kt(cols.bf)?;
        self.dri = kt(cols.dri)?;
        Ok(())
    }

    fn add_equipment(&mut self, other: &Slice) {
        self.eaf += other.eaf;
        self.bof += other.bof;
        self.ohf += other.ohf;
        self.bf += other.bf;
        self.dri += other.dri;
    }

    /// Adds another column's capacity of the same status; an unknown capacity stays unknown.
    fn add(&mut self, other: &Slice) {
        if let (Reported::Value(total), Reported::Value(more)) = (&mut self.capacity, other.capacity) {
            *total += more;
        }
        self.add_equipment(other);
    }

    fn equipment_total(&self) -> f64 {
        self.eaf + self.bof + self.ohf + self.bf + self.dri
    }

    fn route(&self) -> Route {
        let has_steel = self.capacity.value().is_some_and(|v| v.0 > 0.0);
        phase_route(self.eaf, self.bof, self.ohf, self.bf, self.dri, has_steel)
    }
}

/// One plant gathered from its rows: its first row's metadata, its status slices over all rows.
struct Folded {
    template: Plant,
    main_route: Route,
    slices: Vec<Slice>,
    /// The plant's own status (`plant-status`) with its equipment, for a plant without any crude
    /// steel capacity.
    own: Slice,
    rows: Vec<usize>,
}

impl Folded {
    /// Adds another row of the same plant: its capacities per status.
    fn absorb(&mut self, slices: Vec<Slice>, own: &Slice, row: usize) {
        self.rows.push(row);
        for phase in slices {
            match self.slices.iter_mut().find(|s| s.status == phase.status) {
                Some(existing) => existing.add(&phase),
                None => self.slices.push(phase),
            }
        }
        if own.status == self.own.status {
            self.own.add(own);
        }
    }

    /// One record per status with capacity, the plant's own status first; each takes its route
    /// from its own equipment ([`phase_route`]). The main process names the route only of the
    /// plant's own status when that status has no equipment capacity at all.
    fn into_records(self) -> Vec<Plant> {
        let status = self.template.status;
        let mut slices = self.slices;
        slices.sort_by_key(|s| (s.status != status, s.status));
        if slices.is_empty() {
            slices.push(self.own);
        }
        slices
            .into_iter()
            .map(|slice| {
                let route = match slice.route() {
                    Route::Unknown if slice.equipment_total() == 0.0 && slice.status == status => {
                        self.main_route
                    }
                    route => route,
                };
                Plant { status: slice.status, capacity: slice.capacity, route, ..self.template.clone() }
            })
            .collect()
    }
}

/// The records of every plant, in file order, with a warning for each plant folded from rows.
fn fold_records(folded: Vec<Folded>, report: &mut ImportReport, at: &crate::error::Location) -> Vec<Plant> {
    let mut plants = Vec::new();
    for plant in folded {
        if plant.rows.len() > 1 {
            let rows: Vec<String> = plant.rows.iter().map(ToString::to_string).collect();
            report.warn(
                at.clone(),
                format!(
                    "plant {} has {} rows (rows {}): folded into one plant, capacities added by status",
                    plant.template.id,
                    plant.rows.len(),
                    rows.join(", ")
                ),
            );
        }
        plants.extend(plant.into_records());
    }
    plants
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
    let wiki = table.col("gem-wiki-page");
    let statuses = status_columns(table)?;
    let [bf, dri, bof, eaf] = ["bf", "dri", "bof-steel", "eaf-steel"].map(|p| product_columns(table, p));

    let mut folded: Vec<Folded> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    table.for_each_row(|row| {
        let plant_id = reader.required_text(&row, id, "a plant id such as P100000120001")?;
        let status = reader.status(&row, plant_status)?;
        // The plant's main process (all statuses together) is still read and checked, but it
        // only names the route of a plant with no equipment capacity in its own status.
        let capacities = ProcessCapacities {
            bf: sum_known(&mut reader, &row, &bf)?,
            dri: sum_known(&mut reader, &row, &dri)?,
            bof: sum_known(&mut reader, &row, &bof)?,
            eaf: sum_known(&mut reader, &row, &eaf)?,
        };
        let main_route =
            route_from_process(row.cell(tier), &capacities).map_err(|e| table.error(&row, tier, e))?;
        // Capacity per status with that status's equipment; two columns for one status (a
        // release that splits it further, such as mothballed pre-retirement) add up. The plant's
        // own status comes first.
        let mut slices: Vec<Slice> = Vec::new();
        let mut own = Reported::Value(TonnesPerYear::ZERO);
        let mut own_equipment = Slice::new(status, own);
        for column in &statuses {
            let capacity = reader.quantity(&row, column.col, TonnesPerYear::from_kt)?;
            let mut phase = Slice::new(column.status, capacity);
            phase.read_equipment(table, &row, &column.equipment)?;
            if column.status == status {
                own = capacity;
                own_equipment.add_equipment(&phase);
            }
            if matches!(capacity, Reported::Blank) || capacity.value().is_some_and(|v| v.0 == 0.0) {
                continue;
            }
            match slices.iter_mut().find(|s| s.status == column.status) {
                Some(existing) => existing.add(&phase),
                None => slices.push(phase),
            }
        }
        own_equipment.capacity = own;
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
            route: main_route,
            capacity: own,
            start: reader.date(&row, site.start)?,
            last_investment: None,
            owners: owners(&mut reader, &row, owner, owner_id)?,
            parents: owners(&mut reader, &row, parent, parent_id)?,
            status_slice: true,
            process: None,
            wiki_url: reader.link(&row, wiki),
        };
        // Rows of one plant id (map files with one row per plant phase) fold into one plant: the
        // first row gives its name, place and owners, every row adds its capacity per status.
        if let Some(&at) = index.get(&plant_id) {
            folded[at].absorb(slices, &own_equipment, row.number);
        } else {
            index.insert(plant_id.clone(), folded.len());
            folded.push(Folded { template, main_route, slices, own: own_equipment, rows: vec![row.number] });
        }
        ids.push((plant_id, row.number));
        Ok(())
    })?;
    let plants = fold_records(folded, &mut reader.report, &table.at.clone().column(id.name));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_takes_its_route_from_its_own_equipment() {
        // (eaf, bof, ohf, bf, dri, crude steel > 0) -> route
        assert_eq!(phase_route(1500.0, 0.0, 0.0, 0.0, 0.0, true), Route::Eaf);
        assert_eq!(phase_route(13.0, 0.0, 0.0, 0.0, 9.0, true), Route::DriEaf);
        assert_eq!(phase_route(0.0, 2300.0, 0.0, 2555.0, 0.0, true), Route::BfBof);
        assert_eq!(phase_route(0.0, 800.0, 0.0, 0.0, 0.0, true), Route::Bof);
        assert_eq!(phase_route(1000.0, 3000.0, 0.0, 3200.0, 0.0, true), Route::BfBof);
        assert_eq!(phase_route(3000.0, 3000.0, 0.0, 3200.0, 1000.0, true), Route::DriEaf);
        assert_eq!(phase_route(0.0, 0.0, 500.0, 600.0, 0.0, true), Route::Ohf);
        assert_eq!(phase_route(0.0, 0.0, 0.0, 0.0, 2000.0, false), Route::IronDri);
        assert_eq!(phase_route(0.0, 0.0, 0.0, 1200.0, 0.0, false), Route::IronBf);
        assert_eq!(phase_route(0.0, 0.0, 0.0, 0.0, 2000.0, true), Route::DriEaf);
        assert_eq!(phase_route(0.0, 0.0, 0.0, 0.0, 0.0, true), Route::Unknown);
    }
}
