//! The bundled default world: a country-level fleet for steel, cement, aluminium and ammonia,
//! base-year (2020) production and utilisation, utilisation bounds, and demand paths to 2050, so
//! that the engine runs on a fresh clone with no files.
//!
//! Everything comes from small fact tables in `crates/decarb-data/world/` (compiled in), every row
//! with its source; `world/README.md` says how each was derived and `tools/derive_world.py`
//! regenerates them from the shared datasets.
//!
//! - **Fleet**: one synthetic [`Plant`] per country x route (x process) x age cohort, id
//!   `world.<sector>.<ISO3>.<route>[-<process>].<start year>` (`world.steel.CHN.bf-bof.1990`),
//!   source [`SOURCE`], status operating, no coordinates. Plants come in the order of
//!   [`fleet_rows`], so `fleet_rows()[i]` describes `default_fleet().plants[i]` (its process and
//!   cohort label).
//! - **Base year**: [`base_production`] is the reported 2020 production per sector and region;
//!   [`base_utilisation`] = reported production / bundled capacity of the region, capped at the
//!   sector's maximum utilisation ([`utilisation_bounds`]), so capacity x utilisation never exceeds
//!   what the plants may produce.
//! - **Demand**: [`demand_path`] by name ([`DEMAND_PATHS`]: `bau`, `net-zero`,
//!   `high-circularity`, `flat`) gives tonnes per sector x region x year 2020..=2050. Each source
//!   level is used as an index on the region's base-year production, so 2020 demand equals 2020
//!   reported production in every region; years between given points are interpolated linearly.
//!
//! ```
//! use decarb_data::world;
//! use decarb_model::{Region, Sector};
//!
//! // Base-year output of the bundled steel fleet, plant by plant.
//! let mut steel_mt = 0.0;
//! for plant in world::sector_fleet(Sector::Steel).plants {
//!     let (Some(capacity), Some(country)) = (plant.capacity.value(), plant.country) else { continue };
//!     let utilisation = world::base_utilisation(Sector::Steel, country.region());
//!     steel_mt += capacity.output(utilisation).to_mt();
//! }
//! assert!((steel_mt - 1880.0).abs() / 1880.0 < 0.05);
//! let bounds = world::utilisation_bounds(Sector::Steel);
//! assert_eq!((bounds.min, bounds.max), (0.6, 0.95));
//!
//! let path = world::demand_path("net-zero").unwrap();
//! let india_2030 = path.demand(Sector::Steel, Region::India, 2030).unwrap();
//! assert!(india_2030.to_mt() > 100.0);
//! assert!(world::demand_path("no-such-path").is_err());
//! ```

mod demand;
mod tables;

pub use demand::DemandPath;
pub use tables::{BaseProduction, DemandPoint, FleetRow, UtilisationBounds};

use crate::error::Result;
use decarb_model::units::{Tonnes, TonnesPerYear};
use decarb_model::{Fleet, PartialDate, Plant, PlantStatus, Region, Reported, Sector};
use std::sync::OnceLock;

/// The `source` of every plant of the bundled fleet.
pub const SOURCE: &str = "decarb-default-world";
/// The year the bundled fleet and production describe.
pub const BASE_YEAR: i32 = 2020;
/// The last year of the demand paths.
pub const FINAL_YEAR: i32 = 2050;
/// The bundled demand paths, in the order `decarb` lists them.
pub const DEMAND_PATHS: [&str; 4] = ["bau", "net-zero", "high-circularity", "flat"];

/// The parsed tables, built once, with the per-region sums the engine asks for per plant.
struct World {
    fleet: Vec<FleetRow>,
    production: Vec<BaseProduction>,
    bounds: Vec<UtilisationBounds>,
    demand: Vec<DemandPoint>,
    /// Tonnes per year, `[sector][region]`.
    capacity_by_region: [[f64; Region::ALL.len()]; Sector::ALL.len()],
    /// Tonnes, `[sector][region]`.
    production_by_region: [[f64; Region::ALL.len()]; Sector::ALL.len()],
}

fn load() -> Result<World> {
    let mut fleet = Vec::new();
    for (sector, file, text) in tables::FLEET_TABLES {
        fleet.extend(tables::fleet(sector, file, text)?);
    }
    let production = tables::base_production(tables::BASE_PRODUCTION.0, tables::BASE_PRODUCTION.1)?;
    let mut capacity_by_region = [[0.0; Region::ALL.len()]; Sector::ALL.len()];
    for row in &fleet {
        capacity_by_region[row.sector.index()][row.country.region().index()] += row.capacity.0;
    }
    let mut production_by_region = [[0.0; Region::ALL.len()]; Sector::ALL.len()];
    for row in &production {
        production_by_region[row.sector.index()][row.region.index()] += row.production.0;
    }
    Ok(World {
        fleet,
        production,
        bounds: tables::utilisation_bounds(tables::UTILISATION_BOUNDS.0, tables::UTILISATION_BOUNDS.1)?,
        demand: tables::demand(tables::DEMAND.0, tables::DEMAND.1)?,
        capacity_by_region,
        production_by_region,
    })
}

/// The bundled tables. They are compiled in and checked by this crate's tests, so a failure here
/// is a defect of the build, not of any user input.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| match load() {
        Ok(world) => world,
        Err(err) => panic!("bundled world table is malformed (a decarb defect): {err}"),
    })
}

/// Checks that every bundled table parses and is complete; the CLI may call it to turn a defect
/// into an error instead of a panic.
pub fn validate() -> Result<()> {
    let world = load()?;
    for name in DEMAND_PATHS {
        demand::build(name, &world)?;
    }
    Ok(())
}

/// Every row of the bundled fleet tables, steel, cement, aluminium, ammonia in turn.
pub fn fleet_rows() -> &'static [FleetRow] {
    &world().fleet
}

/// The bundled fleet of all four sectors, one synthetic plant per row of [`fleet_rows`].
pub fn default_fleet() -> Fleet {
    Fleet { plants: world().fleet.iter().map(plant).collect() }
}

/// The bundled fleet of one sector.
pub fn sector_fleet(sector: Sector) -> Fleet {
    Fleet { plants: world().fleet.iter().filter(|row| row.sector == sector).map(plant).collect() }
}

fn plant(row: &FleetRow) -> Plant {
    let variant = if row.process.is_empty() {
        row.route.as_str().to_owned()
    } else {
        format!("{}-{}", row.route.as_str(), row.process)
    };
    Plant {
        id: format!("world.{}.{}.{variant}.{}", row.sector.as_str(), row.country.as_str(), row.start_year),
        source: SOURCE.to_owned(),
        name: format!("{} {variant}, cohort {} (bundled world)", row.country.name(), row.cohort),
        sector: row.sector,
        country: Some(row.country),
        country_text: row.country.name().to_owned(),
        subnational: None,
        coordinates: None,
        status: PlantStatus::Operating,
        route: row.route,
        capacity: Reported::Value(row.capacity),
        start: Some(PartialDate::year(row.start_year)),
        last_investment: None,
        owners: Vec::new(),
        parents: Vec::new(),
        status_slice: false,
        process: (!row.process.is_empty()).then(|| row.process.clone()),
    }
}

/// Reported base-year production of a sector in a region (zero where the table has no row).
pub fn base_production(sector: Sector, region: Region) -> Tonnes {
    Tonnes(world().production_by_region[sector.index()][region.index()])
}

/// The rows behind [`base_production`], with their sources.
pub fn base_production_rows() -> &'static [BaseProduction] {
    &world().production
}

/// Capacity of the bundled fleet of a sector in a region.
pub fn base_capacity(sector: Sector, region: Region) -> TonnesPerYear {
    TonnesPerYear(world().capacity_by_region[sector.index()][region.index()])
}

/// Utilisation of the bundled fleet in the base year: reported production / bundled capacity of
/// the region, capped at the sector's maximum utilisation; 0 where the region has no capacity.
/// Values below the sector's minimum are kept: they are what the statistics say, and the engine's
/// closure rule acts on them.
pub fn base_utilisation(sector: Sector, region: Region) -> f64 {
    let capacity = base_capacity(sector, region);
    if capacity.0 <= 0.0 {
        return 0.0;
    }
    let reported = base_production(sector, region).0 / capacity.0;
    reported.min(utilisation_bounds(sector).max)
}

/// Where [`base_utilisation`] comes from, in words, for reports.
pub fn base_utilisation_source(sector: Sector) -> String {
    let first = world().production.iter().find(|row| row.sector == sector);
    let production = first.map_or("no production row", |row| row.source.as_str());
    format!(
        "{BASE_YEAR} production ({production}) / capacity of the bundled fleet (world/fleet_{sector}.csv), \
         per region, capped at the maximum utilisation"
    )
}

/// Bundled production of a sector in the base year: capacity x base utilisation, summed over
/// regions.
pub fn base_output(sector: Sector) -> Tonnes {
    Region::ALL
        .iter()
        .map(|&region| base_capacity(sector, region).output(base_utilisation(sector, region)))
        .sum()
}

/// The sector's utilisation bounds with their source.
///
/// # Panics
/// Never for the bundled table, whose tests check a row per sector.
pub fn utilisation_bounds(sector: Sector) -> &'static UtilisationBounds {
    match world().bounds.iter().find(|row| row.sector == sector) {
        Some(bounds) => bounds,
        None => panic!("bundled utilisation_bounds.csv has no row for {sector} (a decarb defect)"),
    }
}

/// A bundled demand path by name (one of [`DEMAND_PATHS`]).
pub fn demand_path(name: &str) -> Result<DemandPath> {
    demand::build(name, world())
}

/// The given points of every demand path, with their sources.
pub fn demand_points() -> &'static [DemandPoint] {
    &world().demand
}
