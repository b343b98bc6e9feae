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

use crate::breakdown::{COUNTRY_UNKNOWN, GroupBy, breakdown};
use crate::outcome::{Outcome, Resource};
use decarb_model::{Commodity, Fleet, Region, Sector};
use std::collections::BTreeMap;

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

/// Rows of one region: (variable, unit, values by year).
type RegionRows = Vec<(String, &'static str, Vec<f64>)>;

/// Plant-level quantities: production, capacity, direct, captured, indirect (t, t CO2).
type Sums = [f64; 5];

/// Builds the IAMC table of a run. Countries need the run's per-plant pathways (a single run);
/// without them the table has World and regions only. `fleet` is the run's fleet (the country of a
/// plant is on its pathway; the fleet is only passed through to the breakdown).
pub fn table(outcome: &Outcome, fleet: &Fleet) -> IamcTable {
    let years: Vec<i32> = (outcome.base_year..=outcome.end_year).collect();
    let n = years.len();
    let index = |year: i32| usize::try_from(year - outcome.base_year).ok().filter(|&i| i < n);
    // (region order key, region name) -> variable -> (unit, values)
    let mut by_region: BTreeMap<(u8, usize, String), RegionRows> = BTreeMap::new();
    let region_key = |region: Option<Region>| match region {
        None => (0, 0, "World".to_owned()),
        Some(r) => (
            1,
            Region::ALL.iter().position(|&x| x == r).unwrap_or(usize::MAX),
            format!("decarb|{}", r.as_str()),
        ),
    };
    let mut put = |key: (u8, usize, String), variable: String, unit: &'static str, yi: usize, value: f64| {
        let rows = by_region.entry(key).or_default();
        let pos = rows.iter().position(|(v, _, _)| *v == variable).unwrap_or_else(|| {
            rows.push((variable, unit, vec![0.0; n]));
            rows.len() - 1
        });
        rows[pos].2[yi] += value;
    };
    for &sector in &outcome.sectors {
        for r in outcome.summary.iter().filter(|r| r.sector == sector) {
            let Some(yi) = index(r.year) else { continue };
            let key = region_key(r.region);
            put(key.clone(), production_variable(sector).to_owned(), "Mt/yr", yi, r.production.0 * 1e-6);
            put(key.clone(), extension(0, sector), "Mt CO2/yr", yi, r.direct_emissions.0 * 1e-6);
            put(key.clone(), extension(1, sector), "Mt CO2/yr", yi, r.captured.0 * 1e-6);
            put(key.clone(), extension(2, sector), "Mt CO2/yr", yi, r.indirect_emissions.0 * 1e-6);
            put(key.clone(), extension(3, sector), "Mt/yr", yi, r.capacity.0 * 1e-6);
            put(key, extension(4, sector), "billion USD/yr", yi, r.capex.to_billions());
        }
        let prefix = format!("Final Energy|Industry|{}", sector_path(sector));
        for r in outcome.resources.iter().filter(|r| r.sector == sector) {
            let Some(yi) = index(r.year) else { continue };
            let Resource::Commodity(c) = r.resource else { continue };
            let Some(&(_, carrier, factor)) = CARRIERS.iter().find(|(x, _, _)| *x == c) else { continue };
            let key = region_key(r.region);
            put(key.clone(), prefix.clone(), "EJ/yr", yi, r.quantity * factor);
            put(key, format!("{prefix}|{carrier}"), "EJ/yr", yi, r.quantity * factor);
        }
    }
    let mut rows: Vec<IamcRow> = Vec::new();
    for ((_, _, region), vars) in by_region {
        rows.extend(vars.into_iter().map(|(variable, unit, values)| IamcRow {
            region: region.clone(),
            variable,
            unit,
            values,
        }));
    }
    rows.extend(country_rows(outcome, fleet, &years));
    IamcTable { model: model_name(), scenario: outcome.scenario.clone(), years, rows }
}

/// Country rows from the per-plant pathways: production, direct, captured, indirect and capacity.
fn country_rows(outcome: &Outcome, fleet: &Fleet, years: &[i32]) -> Vec<IamcRow> {
    let b = breakdown(outcome, fleet, GroupBy::Country);
    let mut sums: BTreeMap<(String, usize), Vec<Sums>> = BTreeMap::new();
    let sector_order = |s: Sector| outcome.sectors.iter().position(|&x| x == s).unwrap_or(usize::MAX);
    for r in b.rows.iter().filter(|r| r.group != COUNTRY_UNKNOWN) {
        let Some(yi) = years.iter().position(|&y| y == r.year) else { continue };
        let e = sums
            .entry((r.group.clone(), sector_order(r.sector)))
            .or_insert_with(|| vec![[0.0; 5]; years.len()]);
        e[yi] = [r.production.0, r.capacity.0, r.direct_emissions.0, r.captured.0, r.indirect_emissions.0];
    }
    let mut rows = Vec::new();
    for ((country, si), series) in sums {
        let Some(&sector) = outcome.sectors.get(si) else { continue };
        let column = |i: usize| series.iter().map(|v| v[i] * 1e-6).collect::<Vec<f64>>();
        for (variable, unit, i) in [
            (production_variable(sector).to_owned(), "Mt/yr", 0),
            (extension(0, sector), "Mt CO2/yr", 2),
            (extension(1, sector), "Mt CO2/yr", 3),
            (extension(2, sector), "Mt CO2/yr", 4),
            (extension(3, sector), "Mt/yr", 1),
        ] {
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
