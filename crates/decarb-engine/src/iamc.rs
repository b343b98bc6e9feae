//! A run's results as an IAMC timeseries table (model, scenario, region, variable, unit, one value
//! per year), the format energy modellers exchange and pyam reads. Variable names come from the
//! IAMC common-definitions lists (github.com/IAMconsortium/common-definitions, CC0); quantities the
//! lists have no name for use the documented extension names of [`EXTENSIONS`]. docs/iamc.md
//! states every variable, unit, conversion and the region levels.
//!
//! Regions are three aggregation levels that must not be summed together: `World`, decarb's
//! regions as `decarb|<region>` (they sum to World), and ISO 3166-1 alpha-3 countries from the
//! run's per-plant pathways (they sum to World less the plants without a country, which the engine
//! builds in regions without plants; countries carry the plant-level variables only).
//!
//! This module builds rows; it writes nothing. `decarb_data::iamc` writes them as CSV and xlsx.
//! Rows: World first, then decarb regions in [`Region::ALL`] order, then countries by code;
//! variables by sector in run order, then in a fixed order.

use crate::breakdown::{COUNTRY_UNKNOWN, GroupBy, group_series};
use crate::outcome::{Outcome, Resource};
use decarb_model::{Commodity, Fleet, Region, Sector};

/// The model column: "decarb <version>".
pub fn model_name() -> String {
    format!("decarb {}", env!("CARGO_PKG_VERSION"))
}

pub use decarb_model::iamc::{IamcRow, IamcTable};

/// The IAMC names of a sector: the commodity path under `Production|` and `Final Energy|Industry|`
/// style prefixes (common-definitions "Industry Sector" and commodity tags).
fn sector_path(sector: Sector) -> &'static str {
    match sector {
        Sector::Steel => "Iron and Steel",
        Sector::Cement => "Non-Metallic Minerals|Cement",
        Sector::Aluminium => "Non-Ferrous Metals|Aluminum",
        Sector::Ammonia => "Chemicals|Ammonia",
    }
}

/// `Production|...` of a sector (common-definitions `industry/production.yaml`).
fn production_variable(sector: Sector) -> &'static str {
    match sector {
        Sector::Steel => "Production|Iron and Steel|Steel",
        Sector::Cement => "Production|Non-Metallic Minerals|Cement",
        Sector::Aluminium => "Production|Non-Ferrous Metals|Aluminum",
        Sector::Ammonia => "Production|Chemicals|Ammonia",
    }
}

/// Quantities common-definitions has no name for, with the names decarb uses: (variable pattern
/// with `{sector}` for the sector path, unit, meaning). docs/iamc.md lists the same table.
pub const EXTENSIONS: [(&str, &str, &str); 5] = [
    (
        "Emissions|CO2|Energy and Industrial Processes|Industry|{sector}",
        "Mt CO2/yr",
        "direct (scope 1) CO2 of the sector, fuel and process together, after capture: common-definitions splits \
         `Emissions|CO2|Energy|Demand|Industry|...` from `Emissions|CO2|Industrial Processes|...`, which decarb's \
         technology table does not separate",
    ),
    (
        "Carbon Capture|Industry|{sector}",
        "Mt CO2/yr",
        "CO2 captured at the sector's plants, fuel and process together (common-definitions splits \
         `Carbon Capture|Energy|Demand|Industry|...` from `Carbon Capture|Industrial Processes|...`)",
    ),
    (
        "Emissions|CO2|Indirect|Electricity|Industry|{sector}",
        "Mt CO2/yr",
        "indirect CO2 of purchased grid electricity (scope 2); common-definitions has no indirect emissions",
    ),
    (
        "Capacity|Industry|{sector}",
        "Mt/yr",
        "open production capacity at the end of the year; common-definitions has capacity for power only (GW)",
    ),
    (
        "Investment|Industry|{sector}",
        "billion USD/yr",
        "capital expenditure of the sector's plants (new builds, renewals, switches) in the run's input prices, \
         not deflated to USD_2010; common-definitions has no industry investment",
    ),
];

/// Final-energy carriers: the engine's commodity, its IAMC carrier path, and the factor from the
/// engine's base unit (GJ, or MWh for electricity) to EJ.
const CARRIERS: [(Commodity, &str, f64); 7] = [
    (Commodity::Electricity, "Electricity", 3.6e-9),
    (Commodity::Coal, "Solids|Coal", 1e-9),
    (Commodity::Coke, "Solids|Coal", 1e-9),
    (Commodity::Biomass, "Solids|Biomass", 1e-9),
    (Commodity::NaturalGas, "Gases|Gas", 1e-9),
    (Commodity::Hydrogen, "Hydrogen", 1e-9),
    (Commodity::Waste, "Other", 1e-9),
];

/// Names other projects use for decarb's quantities, mapped to the names of this table (from the
/// `navigate`, `engage` and `ngfs5` aliases of common-definitions and common short forms).
pub const ALIASES: [(&str, &str); 10] = [
    ("Production|Steel", "Production|Iron and Steel|Steel"),
    ("Production|Iron and Steel|Steel|Volume", "Production|Iron and Steel|Steel"),
    ("Production|Cement", "Production|Non-Metallic Minerals|Cement"),
    ("Production|Non-Metallic Minerals|Cement|Volume", "Production|Non-Metallic Minerals|Cement"),
    ("Production|Aluminium", "Production|Non-Ferrous Metals|Aluminum"),
    ("Production|Non-Ferrous Metals|Aluminium", "Production|Non-Ferrous Metals|Aluminum"),
    ("Production|Non-Ferrous Metals|Aluminum|Volume", "Production|Non-Ferrous Metals|Aluminum"),
    ("Production|Ammonia", "Production|Chemicals|Ammonia"),
    ("Production|Chemicals|Ammonia|Volume", "Production|Chemicals|Ammonia"),
    ("Final Energy|Industry|Steel", "Final Energy|Industry|Iron and Steel"),
];

/// The extension variable `index` of [`EXTENSIONS`] for a sector.
fn extension(index: usize, sector: Sector) -> String {
    EXTENSIONS[index].0.replace("{sector}", sector_path(sector))
}

/// Carrier paths in the order of the rows (`CARRIERS` maps commodities onto them).
const CARRIER_PATHS: [&str; 6] =
    ["Electricity", "Solids|Coal", "Solids|Biomass", "Gases|Gas", "Hydrogen", "Other"];

/// Slots of a sector's variables in a region: production, the five extensions, final energy and
/// its carriers.
const SLOTS: usize = 7 + CARRIER_PATHS.len();

/// The variable name and unit of a slot.
fn slot_variable(sector: Sector, slot: usize) -> (String, &'static str) {
    match slot {
        0 => (production_variable(sector).to_owned(), "Mt/yr"),
        1..=5 => (extension(slot - 1, sector), EXTENSIONS[slot - 1].1),
        6 => (format!("Final Energy|Industry|{}", sector_path(sector)), "EJ/yr"),
        _ => (format!("Final Energy|Industry|{}|{}", sector_path(sector), CARRIER_PATHS[slot - 7]), "EJ/yr"),
    }
}

/// Builds the IAMC table of a run. Countries need the run's per-plant pathways (a single run);
/// without them the table has World and regions only. `fleet` is the run's fleet (passed through
/// to the breakdown by country).
pub fn table(outcome: &Outcome, fleet: &Fleet) -> IamcTable {
    let years: Vec<i32> = (outcome.base_year..=outcome.end_year).collect();
    let n = years.len();
    let index = |year: i32| usize::try_from(year - outcome.base_year).ok().filter(|&i| i < n);
    let sector_index = |s: Sector| outcome.sectors.iter().position(|&x| x == s);
    // World, then the regions in Region::ALL order; per region, sector x slot series.
    let region_index = |r: Option<Region>| match r {
        None => Some(0),
        Some(r) => Region::ALL.iter().position(|&x| x == r).map(|i| i + 1),
    };
    let width = outcome.sectors.len() * SLOTS;
    let mut cells: Vec<Vec<Option<Vec<f64>>>> = vec![vec![None; width]; Region::ALL.len() + 1];
    let mut add = |ri: usize, si: usize, slot: usize, yi: usize, value: f64| {
        cells[ri][si * SLOTS + slot].get_or_insert_with(|| vec![0.0; n])[yi] += value;
    };
    for r in &outcome.summary {
        let (Some(yi), Some(si), Some(ri)) = (index(r.year), sector_index(r.sector), region_index(r.region))
        else {
            continue;
        };
        add(ri, si, 0, yi, r.production.0 * 1e-6);
        add(ri, si, 1, yi, r.direct_emissions.0 * 1e-6);
        add(ri, si, 2, yi, r.captured.0 * 1e-6);
        add(ri, si, 3, yi, r.indirect_emissions.0 * 1e-6);
        add(ri, si, 4, yi, r.capacity.0 * 1e-6);
        add(ri, si, 5, yi, r.capex.to_billions());
    }
    for r in &outcome.resources {
        let Resource::Commodity(c) = r.resource else { continue };
        let Some(&(_, carrier, factor)) = CARRIERS.iter().find(|(x, _, _)| *x == c) else { continue };
        let (Some(yi), Some(si), Some(ri)) = (index(r.year), sector_index(r.sector), region_index(r.region))
        else {
            continue;
        };
        let slot = 7 + CARRIER_PATHS.iter().position(|&p| p == carrier).unwrap_or(0);
        add(ri, si, 6, yi, r.quantity * factor);
        add(ri, si, slot, yi, r.quantity * factor);
    }
    let mut rows: Vec<IamcRow> = Vec::new();
    for (ri, region_cells) in cells.into_iter().enumerate() {
        let region =
            if ri == 0 { "World".to_owned() } else { format!("decarb|{}", Region::ALL[ri - 1].as_str()) };
        for (i, values) in region_cells.into_iter().enumerate() {
            let Some(values) = values else { continue };
            let (variable, unit) = slot_variable(outcome.sectors[i / SLOTS], i % SLOTS);
            rows.push(IamcRow { region: region.clone(), variable, unit, values });
        }
    }
    rows.extend(country_rows(outcome, fleet, &years));
    IamcTable { model: model_name(), scenario: outcome.scenario.clone(), years, rows }
}

/// Country rows from the per-plant pathways: production, direct, captured, indirect and capacity,
/// countries by code, then sectors in run order.
fn country_rows(outcome: &Outcome, fleet: &Fleet, years: &[i32]) -> Vec<IamcRow> {
    let (sums, _) = group_series(outcome, fleet, GroupBy::Country);
    // Pathways cover the run's years from the base year.
    let offset = years.first().map_or(0, |&y| usize::try_from(y - outcome.base_year).unwrap_or(0));
    let sector_order = |s: Sector| outcome.sectors.iter().position(|&x| x == s).unwrap_or(usize::MAX);
    let mut keys: Vec<(&String, usize, &(Sector, String))> = sums
        .keys()
        .filter(|(_, group)| group != COUNTRY_UNKNOWN)
        .map(|k| (&k.1, sector_order(k.0), k))
        .collect();
    keys.sort();
    let mut rows = Vec::with_capacity(keys.len() * 5);
    for (country, _, key) in keys {
        let series = &sums[key];
        let sector = key.0;
        let column = |i: usize| {
            (0..years.len())
                .map(|yi| series.get(yi + offset).map_or(0.0, |v| v[i] * 1e-6))
                .collect::<Vec<f64>>()
        };
        for (slot, i) in [(0, 0), (1, 2), (2, 3), (3, 4), (4, 1)] {
            let (variable, unit) = slot_variable(sector, slot);
            rows.push(IamcRow { region: country.clone(), variable, unit, values: column(i) });
        }
    }
    rows
}

/// Every extension variable name of every sector (see [`EXTENSIONS`]), with its unit.
pub fn extension_variables() -> Vec<(String, &'static str)> {
    Sector::ALL
        .iter()
        .flat_map(|&s| (0..EXTENSIONS.len()).map(move |i| (extension(i, s), EXTENSIONS[i].1)))
        .collect()
}
