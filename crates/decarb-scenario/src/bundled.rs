//! The engine's world assembled from decarb's bundled facts (`decarb_data::facts`) and default
//! world (`decarb_data::world`): every technology, price set, carbon price path, demand path and
//! clinker-ratio path, sampled year by year over the world's horizon.

use decarb_data::{facts, world};
use decarb_engine::inputs::{
    CarbonPath, DemandPath, GridFactors, LimitSet, PriceSet, RatioPath, Series, World,
};
use decarb_engine::scenario::{LimitedResource, ResolvedLimit};
use decarb_engine::settings::UtilisationBounds;
use decarb_engine::start::default_start_rules;
use decarb_model::{Commodity, ElectricitySupply, Fleet, Region, Sector};
use std::collections::BTreeSet;

/// Years the bundled series are sampled at (interpolated by the facts; flat outside).
const YEARS: std::ops::RangeInclusive<i32> = world::BASE_YEAR..=world::FINAL_YEAR;

/// The bundled world with its default fleet.
pub fn default_world() -> World {
    world_with_fleet(world::default_fleet())
}

/// The bundled world with another fleet.
pub fn world_with_fleet(fleet: Fleet) -> World {
    World {
        technologies: facts::technologies().to_vec(),
        fleet,
        price_sets: facts::price_set_names().into_iter().filter_map(price_set).collect(),
        carbon_paths: facts::carbon_path_names().into_iter().filter_map(carbon_path).collect(),
        demand_paths: world::DEMAND_PATHS.iter().filter_map(|name| demand_path(name)).collect(),
        clinker_ratios: clinker_ratio_names().iter().filter_map(|name| clinker_ratio(name)).collect(),
        grid_factors: power_path(DEFAULT_POWER_PATH).unwrap_or_default(),
        power_paths: facts::power_paths()
            .map(|paths| paths.iter().filter_map(|p| power_path(&p.name)).collect())
            .unwrap_or_default(),
        limit_sets: net_zero_limit_sets(),
        start_rules: default_start_rules(),
        utilisation: Sector::ALL
            .iter()
            .map(|&sector| {
                let bounds = world::utilisation_bounds(sector);
                (
                    sector,
                    UtilisationBounds { min: bounds.min, max: bounds.max, source: bounds.source.clone() },
                )
            })
            .collect(),
    }
}

/// The bundled fleet with the plants of every sector that `imported` covers replaced by the
/// imported plants (`--fleet`): an imported steel workbook replaces the bundled steel fleet and
/// keeps the bundled cement, aluminium and ammonia fleets.
pub fn replace_sectors(bundled: Fleet, imported: Fleet) -> Fleet {
    let covered: BTreeSet<Sector> = imported.plants.iter().map(|p| p.sector).collect();
    let mut plants: Vec<_> = bundled.plants.into_iter().filter(|p| !covered.contains(&p.sector)).collect();
    plants.extend(imported.plants);
    Fleet { plants }
}

/// The bundled world with `imported` plants (`--fleet`, `--db`) in place of the bundled plants
/// of the sectors they cover ([`replace_sectors`]). Seeded choices follow plant order, so the
/// imported plants are put in one canonical order (id, name, start) first: the same plants then
/// give the same pathway whether they come from a workbook, its CSV export or the store.
pub fn world_with_imported(mut imported: Fleet) -> World {
    imported.plants.sort_by(|a, b| (&a.id, &a.name, a.start).cmp(&(&b.id, &b.name, b.start)));
    let mut world = default_world();
    world.fleet = replace_sectors(std::mem::take(&mut world.fleet), imported);
    world
}

/// The power path of scenarios that name none: Ember 2020/2023 grid intensities declining with
/// the MPP steel model's BAU grid path (`facts/power_paths.csv`).
pub const DEFAULT_POWER_PATH: &str = "stated-policies";

/// A bundled power path (grid emission factors by region and year).
fn power_path(name: &str) -> Option<GridFactors> {
    let path = facts::power_path(name).ok()?;
    let mut sources: Vec<&str> = path.sources.values().map(String::as_str).collect();
    sources.sort_unstable();
    sources.dedup();
    Some(GridFactors {
        name: name.to_owned(),
        source: format!("facts/power_paths.csv, path {name}: {}", sources.join("; ")),
        by_region: path
            .by_region
            .iter()
            .map(|(&r, points)| (r, Series::new(points.iter().copied())))
            .collect(),
    })
}

/// The bundled limit sets: `net-zero` (world limits) and `net-zero-announced-storage` (the same
/// plus CO2 injection by region up to 2035 from announced projects; with a moratorium on unabated
/// capacity from 2030 China builds its new cement kilns unabated, and the run's warnings say so).
fn net_zero_limit_sets() -> Vec<LimitSet> {
    let world = net_zero_limits();
    let mut announced = world.clone();
    "net-zero-announced-storage".clone_into(&mut announced.name);
    let rows = facts::resource_limits().unwrap_or_default();
    let regional: Vec<&facts::ResourceLimit> = rows
        .iter()
        .filter(|r| r.set == "net-zero" && r.resource == "co2_storage" && r.region.is_some())
        .collect();
    // Storage and full-chain projects operating, under construction or planned in the IEA CCUS
    // Projects Database 2025, by year of operation. The database looks no further than 2035, so
    // the regional limits stop there and the world limit alone applies after.
    let mut by_region: std::collections::BTreeMap<Region, Vec<(i32, f64)>> =
        std::collections::BTreeMap::new();
    for r in &regional {
        if let Some(region) = r.region {
            by_region.entry(region).or_default().push((r.year, r.quantity * 1e6));
        }
    }
    for (region, points) in by_region {
        let until = points.iter().map(|(y, _)| *y).max();
        announced.limits.push(ResolvedLimit {
            resource: LimitedResource::Co2Storage,
            region: Some(region),
            quantity: Series::new(points),
            until,
        });
    }
    let regional_sources: Vec<String> = regional
        .iter()
        .map(|r| format!("co2_storage {} {}: {}", r.region.map_or("world", Region::as_str), r.year, r.source))
        .collect();
    announced.source = format!("{}; {}", announced.source, regional_sources.join("; "));
    vec![world, announced]
}

/// The `net-zero` limit set (`facts/resource_limits.csv`, `facts/clean_power.csv`): world CO2
/// injection, sustainable biomass for industry, low-emission hydrogen and contracted clean power.
fn net_zero_limits() -> LimitSet {
    const SET: &str = "net-zero";
    // (facts resource, engine resource, factor from the table's unit to the engine's base unit)
    const FROM_TABLE: [(&str, LimitedResource, f64); 3] = [
        ("co2_storage", LimitedResource::Co2Storage, 1e6),
        ("biomass", LimitedResource::Biomass, 1e9),
        ("hydrogen", LimitedResource::Hydrogen, 1e6),
    ];
    let mut limits = Vec::new();
    let mut sources = Vec::new();
    let rows = facts::resource_limits().unwrap_or_default();
    for (resource, engine_resource, factor) in FROM_TABLE {
        let points: Vec<(i32, f64)> = rows
            .iter()
            .filter(|r| r.set == SET && r.resource == resource && r.region.is_none())
            .map(|r| (r.year, r.quantity * factor))
            .collect();
        sources.extend(
            rows.iter()
                .filter(|r| r.set == SET && r.resource == resource && r.region.is_none())
                .map(|r| format!("{resource} {}: {}", r.year, r.source)),
        );
        if !points.is_empty() {
            limits.push(ResolvedLimit {
                resource: engine_resource,
                region: None,
                quantity: Series::new(points),
                until: None,
            });
        }
    }
    let clean = facts::clean_power().unwrap_or_default();
    let points: Vec<(i32, f64)> =
        clean.iter().filter(|c| c.region.is_none()).map(|c| (c.year, c.quantity_twh * 1e6)).collect();
    sources.extend(clean.iter().map(|c| format!("clean power {}: {}", c.year, c.source)));
    if !points.is_empty() {
        limits.push(ResolvedLimit {
            resource: LimitedResource::CleanElectricity,
            region: None,
            quantity: Series::new(points),
            until: None,
        });
    }
    sources.dedup();
    LimitSet { name: SET.to_owned(), source: sources.join("; "), limits }
}

fn sampled(value: impl Fn(i32) -> Option<f64>) -> Option<Series> {
    let points: Vec<(i32, f64)> = YEARS.filter_map(|y| value(y).map(|v| (y, v))).collect();
    (!points.is_empty()).then(|| Series::new(points))
}

fn price_set(name: &str) -> Option<PriceSet> {
    let set = facts::price_set(name).ok()?;
    let firming = if name == "mpp-shared-2022-supplemented" {
        facts::firming_item("firming_adder").map_or(0.0, |item| item.value)
    } else {
        0.0
    };
    let mut out =
        PriceSet { name: name.to_owned(), source: set.description.to_owned(), ..PriceSet::default() };
    if firming > 0.0 {
        out.source = format!("{}; PPA + firming {firming} USD/MWh (facts/firming.csv)", out.source);
    }
    for region in Region::ALL {
        for commodity in Commodity::ALL {
            if commodity == Commodity::Electricity {
                continue;
            }
            if let Some(series) = sampled(|y| set.price(region, commodity, y)) {
                out.prices.insert((region, commodity), series);
            }
        }
        for supply in ElectricitySupply::ALL {
            // Contracted clean power for a 24/7 process is firmed (storage or backup): the
            // supplemented set adds the cited firming cost to the PPA price.
            let adder = if supply == ElectricitySupply::Ppa { firming } else { 0.0 };
            if let Some(series) = sampled(|y| set.electricity(region, supply, y).map(|p| p.0 + adder)) {
                out.electricity.insert((region, supply), series);
            }
        }
        if let Some(series) = sampled(|y| set.co2_transport_storage(region, y).map(|p| p.0)) {
            out.co2_transport_storage.insert(region, series);
        }
    }
    Some(out)
}

fn carbon_path(name: &str) -> Option<CarbonPath> {
    let path = facts::carbon_path(name).ok()?;
    Some(CarbonPath {
        name: name.to_owned(),
        source: path.sources().join("; "),
        by_region: Region::ALL
            .iter()
            .map(|&region| (region, Series::new(YEARS.map(|y| (y, path.price(region, y).0)))))
            .collect(),
    })
}

fn demand_path(name: &str) -> Option<DemandPath> {
    let path = world::demand_path(name).ok()?;
    let mut out = DemandPath { name: name.to_owned(), ..DemandPath::default() };
    let mut sources = Vec::new();
    for sector in Sector::ALL {
        sources.extend(path.sources(sector).iter().cloned());
        for region in Region::ALL {
            if let Some(series) = sampled(|y| path.demand(sector, region, y).map(|t| t.0)) {
                out.demand.insert((sector, region), series);
            }
        }
    }
    sources.dedup();
    out.source = sources.join("; ");
    Some(out)
}

/// The bundled clinker-ratio path names: the facts list them in the error for an unknown name.
fn clinker_ratio_names() -> Vec<String> {
    match facts::clinker_ratio("") {
        Err(facts::FactsError::UnknownName { known, .. }) => known,
        _ => Vec::new(),
    }
}

fn clinker_ratio(name: &str) -> Option<RatioPath> {
    let path = facts::clinker_ratio(name).ok()?;
    Some(RatioPath {
        name: name.to_owned(),
        source: path.sources.join("; "),
        ratio: Series::new(YEARS.map(|y| (y, path.ratio(y)))),
    })
}
