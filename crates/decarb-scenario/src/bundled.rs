//! The engine's world assembled from decarb's bundled facts (`decarb_data::facts`) and default
//! world (`decarb_data::world`): every technology, price set, carbon price path, demand path and
//! clinker-ratio path, sampled year by year over the world's horizon.

use crate::grid::grid_factors;
use decarb_data::{facts, world};
use decarb_engine::inputs::{CarbonPath, DemandPath, PriceSet, RatioPath, Series, World};
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
        grid_factors: grid_factors(),
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

fn sampled(value: impl Fn(i32) -> Option<f64>) -> Option<Series> {
    let points: Vec<(i32, f64)> = YEARS.filter_map(|y| value(y).map(|v| (y, v))).collect();
    (!points.is_empty()).then(|| Series::new(points))
}

fn price_set(name: &str) -> Option<PriceSet> {
    let set = facts::price_set(name).ok()?;
    let mut out =
        PriceSet { name: name.to_owned(), source: set.description.to_owned(), ..PriceSet::default() };
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
            if let Some(series) = sampled(|y| set.electricity(region, supply, y).map(|p| p.0)) {
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
