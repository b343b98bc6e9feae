//! The bundled default world: a plant-level fleet for steel, cement, aluminium and ammonia,
//! base-year (2020) production and utilisation, utilisation bounds, and demand paths to 2050, so
//! that the engine runs on a fresh clone with no files.
//!
//! Everything comes from small fact tables in `crates/decarb-data/world/` (compiled in), every row
//! with its source and licence (`sources.csv`); `world/README.md` says how each was derived and
//! `tools/derive_world.py` regenerates them from the shared datasets.
//!
//! - **Fleet**: one [`Plant`] per row of the plant tables: a GEM steel plant x steelmaking route,
//!   an SFI cement plant, an MPP smelter or alumina refinery, a named or synthetic ammonia plant;
//!   id `world.<sector>.<ISO3>.<table id>` (`world.steel.KOR.P100000120699.bf-bof`), source
//!   [`SOURCE`], start and last investment as reported (none where unknown), owners and parents
//!   with their shares. Aluminium is read from the user's copy of MPP's stacks when there is one
//!   (AGPL-3.0, not bundled; [`aluminium_origin`]), else from the bundled fallback units. Rows
//!   without a capacity, a route or a country are not plants: [`unplaced`] counts them. Plants come
//!   in the order of [`fleet_rows`], so `fleet_rows()[i]` describes `default_fleet().plants[i]`.
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
//!     if !plant.status.is_operating() { continue }
//!     let (Some(capacity), Some(country)) = (plant.capacity.value(), plant.country) else { continue };
//!     let utilisation = world::base_utilisation(Sector::Steel, country.region());
//!     steel_mt += capacity.output(utilisation).to_mt();
//! }
//! assert!((steel_mt - 1880.0).abs() / 1880.0 < 0.05);
//! // Plants being built join the run later: they make nothing in the base year.
//! let bounds = world::utilisation_bounds(Sector::Steel);
//! assert_eq!((bounds.min, bounds.max), (0.6, 0.95));
//!
//! let path = world::demand_path("net-zero").unwrap();
//! let india_2030 = path.demand(Sector::Steel, Region::India, 2030).unwrap();
//! assert!(india_2030.to_mt() > 100.0);
//! assert!(world::demand_path("no-such-path").is_err());
//! ```

mod demand;
mod mpp;
mod tables;

pub use demand::DemandPath;
pub use mpp::ENV as MPP_SHARED_CODE_ENV;
pub use tables::{BaseProduction, DemandPoint, FleetRow, SourceEntry, UnplacedRow, UtilisationBounds};

use crate::error::Result;
use crate::import::cells::ownerships;
use decarb_model::units::{Tonnes, TonnesPerYear};
use decarb_model::{Fleet, PartialDate, Plant, Region, Reported, Route, Sector};
use std::collections::BTreeMap;
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
    unplaced: Vec<UnplacedRow>,
    sources: Vec<SourceEntry>,
    aluminium_origin: String,
    production: Vec<BaseProduction>,
    bounds: Vec<UtilisationBounds>,
    demand: Vec<DemandPoint>,
    /// Tonnes per year, `[sector][region]`.
    capacity_by_region: [[f64; Region::ALL.len()]; Sector::ALL.len()],
    /// Tonnes, `[sector][region]`.
    production_by_region: [[f64; Region::ALL.len()]; Sector::ALL.len()],
}

/// Whether a row's capacity is its sector's base-year capacity: operating (not under construction)
/// and making the sector's product (alumina refineries make alumina).
pub fn counts_as_base_capacity(row: &FleetRow) -> bool {
    row.status.is_operating() && row.route != Route::AluminaRefinery
}

fn load() -> Result<World> {
    let sources = tables::sources(tables::SOURCES.0, tables::SOURCES.1)?;
    let mut fleet = Vec::new();
    let mut unplaced = Vec::new();
    let mut aluminium_origin = String::new();
    for (sector, file, text) in tables::FLEET_TABLES {
        if sector == Sector::Aluminium
            && let Some(dir) = mpp::locate()
        {
            match mpp::aluminium(&dir) {
                Ok(rows) => {
                    aluminium_origin = format!(
                        "MPP smelter and refinery stacks read from {} (AGPL-3.0, not bundled)",
                        dir.display()
                    );
                    fleet.extend(rows);
                    continue;
                }
                Err(err) => {
                    aluminium_origin =
                        format!("bundled fallback {file}: the MPP copy could not be read ({err})");
                }
            }
        }
        if sector == Sector::Aluminium && aluminium_origin.is_empty() {
            let setting = std::env::var_os(mpp::ENV);
            aluminium_origin = if setting.as_ref().is_some_and(|v| v == "none" || v.is_empty()) {
                format!("bundled fallback {file} ({}=none)", mpp::ENV)
            } else if setting.is_some() {
                format!(
                    "bundled fallback {file} ({} names no folder with the MPP aluminium stacks)",
                    mpp::ENV
                )
            } else {
                format!("bundled fallback {file} (no copy of mpp-shared-code found; set {})", mpp::ENV)
            };
        }
        let (rows, missing) = tables::fleet(sector, file, text, &sources)?;
        fleet.extend(rows);
        unplaced.extend(missing);
    }
    impute_start_years(&mut fleet);
    let production = tables::base_production(tables::BASE_PRODUCTION.0, tables::BASE_PRODUCTION.1)?;
    let mut capacity_by_region = [[0.0; Region::ALL.len()]; Sector::ALL.len()];
    for row in fleet.iter().filter(|row| counts_as_base_capacity(row)) {
        capacity_by_region[row.sector.index()][row.country.region().index()] += row.capacity.0;
    }
    let mut production_by_region = [[0.0; Region::ALL.len()]; Sector::ALL.len()];
    for row in &production {
        production_by_region[row.sector.index()][row.region.index()] += row.production.0;
    }
    Ok(World {
        fleet,
        unplaced,
        sources,
        aluminium_origin,
        production,
        bounds: tables::utilisation_bounds(tables::UTILISATION_BOUNDS.0, tables::UTILISATION_BOUNDS.1)?,
        demand: tables::demand(tables::DEMAND.0, tables::DEMAND.1)?,
        capacity_by_region,
        production_by_region,
    })
}

/// Representative start years and cohort labels: the reported start, else the capacity-weighted
/// mean start of the sector's dated rows in the country (at least 3), else its region (at least
/// 3), else the sector's world.
fn impute_start_years(fleet: &mut [FleetRow]) {
    #[derive(Default, Clone, Copy)]
    struct Mean {
        weighted: f64,
        weight: f64,
        count: usize,
    }
    let mut means: BTreeMap<(Sector, String), Mean> = BTreeMap::new();
    for row in fleet.iter() {
        let Some(start) = row.start else { continue };
        for key in [row.country.as_str().to_owned(), row.country.region().to_string(), "world".to_owned()] {
            let mean = means.entry((row.sector, key)).or_default();
            mean.weighted += f64::from(start) * row.capacity.0;
            mean.weight += row.capacity.0;
            mean.count += 1;
        }
    }
    for row in fleet.iter_mut() {
        let imputed = row.start.is_none();
        row.start_year = row.start.unwrap_or_else(|| {
            [row.country.as_str().to_owned(), row.country.region().to_string(), "world".to_owned()]
                .into_iter()
                .filter_map(|key| means.get(&(row.sector, key)))
                .find(|m| m.count >= 3 && m.weight > 0.0)
                .map_or(BASE_YEAR, |m| {
                    #[allow(clippy::cast_possible_truncation)]
                    let year = (m.weighted / m.weight).round() as i32;
                    year.min(BASE_YEAR)
                })
        });
        let decade = match row.start_year {
            ..1970 => "before 1970".to_owned(),
            year => format!("{}s", year - year.rem_euclid(10)),
        };
        row.cohort = if imputed { format!("{decade} (start imputed)") } else { decade };
    }
}

/// The bundled tables. They are compiled in and checked by this crate's tests, so a failure here
/// is a defect of the build, not of any user input.
#[allow(
    clippy::panic,
    reason = "compiled-in tables, parsed by this crate's tests: failing is a build defect"
)]
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

/// Every row of the fleet, steel, cement, aluminium, ammonia in turn.
pub fn fleet_rows() -> &'static [FleetRow] {
    &world().fleet
}

/// Rows of the plant tables that are not plants of the fleet (no capacity, route unknown, country
/// unknown), each with its reason.
pub fn unplaced() -> &'static [UnplacedRow] {
    &world().unplaced
}

/// [`unplaced`] counted: (sector, reason) -> (rows, reported capacity in t/yr).
pub fn unplaced_summary() -> BTreeMap<(Sector, &'static str), (usize, f64)> {
    let mut out: BTreeMap<(Sector, &'static str), (usize, f64)> = BTreeMap::new();
    for row in unplaced() {
        let entry = out.entry((row.sector, row.reason)).or_default();
        entry.0 += 1;
        entry.1 += row.capacity.map_or(0.0, |c| c.0);
    }
    out
}

/// The tracker record a row of the plant tables was derived from (`tools/derive_world.py`): how a
/// plant of a tracker store finds its rows in the bundled world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TrackerRecord<'a> {
    /// A plant of GEM's Global Iron and Steel Tracker by its plant id (`P100000120845`). Its rows
    /// are one per steelmaking route (`P100000120845.bf-bof`, `.dri-eaf`, `.eaf`, `.ohf`,
    /// `.unknown`), with `.construction` added for capacity being built with a later start year.
    GistPlant(&'a str),
    /// A plant of the SFI cement database by uid and occurrence: SFI repeats a few uids for
    /// different plants, and the table names the n-th plant of a uid (in file order) `UID-n`.
    SfiPlant { uid: &'a str, occurrence: u32 },
}

/// The tracker record behind a row of `sector`'s plant table with table id `id` (a
/// [`FleetRow::id`] or [`UnplacedRow::id`]); `None` for rows decarb made (cement capacity no plant
/// lists, `UNLISTED-...`; MPP smelters and refineries; split ammonia stacks) and for named ammonia
/// plants (PyPSA-Earth, which no tracker store holds).
pub fn tracker_record(sector: Sector, id: &str) -> Option<TrackerRecord<'_>> {
    match sector {
        Sector::Steel => {
            let (plant, _route) = id.split_once('.')?;
            let digits = plant.strip_prefix('P')?;
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then_some(TrackerRecord::GistPlant(plant))
        }
        Sector::Cement if id.starts_with("UNLISTED-") => None,
        Sector::Cement => Some(match id.rsplit_once('-') {
            Some((uid, n)) if !uid.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                TrackerRecord::SfiPlant { uid, occurrence: n.parse().ok()? }
            }
            _ => TrackerRecord::SfiPlant { uid: id, occurrence: 1 },
        }),
        Sector::Aluminium | Sector::Ammonia => None,
    }
}

/// The id of a row's plant in [`default_fleet`] and in a run's results
/// (`world.steel.SWE.P100000120845.bf-bof`).
pub fn plant_id(row: &FleetRow) -> String {
    format!("world.{}.{}.{}", row.sector.as_str(), row.country.as_str(), row.id)
}

/// Where the aluminium plants come from in this process: the user's MPP copy or the bundled
/// fallback, in words.
pub fn aluminium_origin() -> &'static str {
    &world().aluminium_origin
}

/// The bundled `sources.csv`: every source id with its citation and licence.
pub fn sources() -> &'static [SourceEntry] {
    &world().sources
}

/// The default fleet of all four sectors, one plant per row of [`fleet_rows`].
pub fn default_fleet() -> Fleet {
    Fleet { plants: world().fleet.iter().map(plant).collect() }
}

/// The default fleet of one sector.
pub fn sector_fleet(sector: Sector) -> Fleet {
    Fleet { plants: world().fleet.iter().filter(|row| row.sector == sector).map(plant).collect() }
}

fn plant(row: &FleetRow) -> Plant {
    Plant {
        id: plant_id(row),
        source: SOURCE.to_owned(),
        name: row.name.clone(),
        sector: row.sector,
        country: Some(row.country),
        country_text: row.country.name().to_owned(),
        subnational: None,
        coordinates: None,
        status: row.status,
        route: row.route,
        capacity: Reported::Value(row.capacity),
        start: row.start.map(PartialDate::year),
        last_investment: row.last_investment.map(PartialDate::year),
        // Checked when the table was read (`tables::fleet`).
        owners: ownerships(&row.owner, "").map(|(holders, _)| holders).unwrap_or_default(),
        parents: ownerships(&row.parent, "").map(|(holders, _)| holders).unwrap_or_default(),
        status_slice: false,
        process: (!row.process.is_empty()).then(|| row.process.clone()),
        wiki_url: None,
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
        "{BASE_YEAR} production ({production}) / operating capacity of the default fleet ({}), per region, \
         capped at the maximum utilisation",
        if sector == Sector::Aluminium {
            aluminium_origin().to_owned()
        } else {
            format!("world/fleet_{sector}.csv")
        }
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
#[allow(clippy::panic, reason = "the bundled table's tests check a row per sector")]
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
