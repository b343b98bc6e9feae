//! The decarb pathway engine: plant-by-plant stock turnover from a base year to 2050 for steel,
//! cement, aluminium and ammonia. A pure library: [`run`] takes a [`World`] (fleet, technologies,
//! price sets, carbon and demand paths, grid factors, start rules), a [`Scenario`] and a seed, and
//! returns an [`Outcome`]; it reads no file and keeps no global state. The same inputs and seed
//! give the same outcome whatever the number of threads.
//!
//! ```
//! use decarb_engine::{inputs::*, run, Scenario};
//! use decarb_engine::settings::UtilisationBounds;
//! use decarb_model::units::*;
//! use decarb_model::*;
//!
//! // One scrap-EAF plant in Germany that may switch to nothing else.
//! let mut eaf = Technology {
//!     id: TechId("steel.eaf".into()), sector: Sector::Steel, name: "EAF".into(), phase: Phase::EndState,
//!     inputs: Inputs::default(), direct_co2: TonnesCo2PerTonne(0.16), capture_rate: 0.0,
//!     capex_greenfield: UsdPerTonnePerYear(240.0), capex_renewal: UsdPerTonnePerYear(125.0),
//!     fixed_opex: UsdPerTonne(63.0), lifetime: Years(40.0), reinvestment_cycle: Years(20.0),
//!     available_from: 2020, switches_to: vec![], source: "example".into(),
//!     functional_unit: "t crude steel".into(), capex_greenfield_by_year: vec![], available_until: None,
//!     electricity_supply: ElectricitySupply::Grid, missing: vec![], note: String::new(),
//!     discount_rate: None, fixed_opex_by_year: vec![], switch_family: None, switch_regions: vec![],
//! };
//! eaf.inputs[Commodity::Electricity] = 0.64;
//! let plant = Plant {
//!     id: "P1".into(), source: "example".into(), name: "Works".into(), sector: Sector::Steel,
//!     country: CountryCode::resolve("DEU"), country_text: "Germany".into(), subnational: None,
//!     coordinates: None, status: PlantStatus::Operating, route: Route::Eaf,
//!     capacity: Reported::Value(TonnesPerYear::from_mt(1.0)), start: Some(PartialDate::year(2010)),
//!     last_investment: None, owners: vec![], parents: vec![], status_slice: false, process: None,
//!     wiki_url: None,
//! };
//! let all = |v: f64| Region::ALL.iter().map(|&r| (r, Series::constant(v))).collect();
//! let world = World {
//!     technologies: vec![eaf],
//!     fleet: Fleet { plants: vec![plant] },
//!     price_sets: vec![PriceSet { name: "p".into(), ..Default::default() }],
//!     carbon_paths: vec![CarbonPath { name: "zero".into(), by_region: all(0.0), ..Default::default() }],
//!     demand_paths: vec![DemandPath {
//!         name: "d".into(),
//!         demand: Region::ALL.iter().map(|&r| ((Sector::Steel, r), Series::constant(if r == Region::Europe { 0.8e6 } else { 0.0 }))).collect(),
//!         ..Default::default()
//!     }],
//!     clinker_ratios: vec![RatioPath { name: "current".into(), ratio: Series::constant(0.72), ..Default::default() }],
//!     start_rules: vec![StartRule { route: Route::Eaf, countries: vec![], regions: vec![],
//!         mix: vec![(TechId("steel.eaf".into()), 1.0)], source: "example".into(), processes: vec![] }],
//!     utilisation: [(Sector::Steel, UtilisationBounds { min: 0.6, max: 0.95, source: "example".into() })].into(),
//!     ..Default::default()
//! };
//! let scenario: Scenario = Scenario {
//!     name: "demo".into(), price_set: "p".into(), demand: "d".into(), sectors: vec![Sector::Steel],
//!     ..Scenario::minimal()
//! };
//! let outcome = run(&world, &scenario, 7).unwrap();
//! let europe_2020 = outcome.summary.iter()
//!     .find(|r| r.year == 2020 && r.region == Some(Region::Europe) && r.sector == Sector::Steel).unwrap();
//! assert!((europe_2020.production.to_mt() - 0.8).abs() < 1e-9);
//! assert!((europe_2020.direct_emissions.to_mt() - 0.128).abs() < 1e-9);
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod alignment;
pub mod breakdown;
mod costs;
pub mod diff;
pub mod ensemble;
pub mod error;
pub mod examples;
pub mod gap;
pub mod iamc;
pub mod inputs;
pub mod memory;
pub mod outcome;
pub mod scenario;
pub mod sensitivity;
pub mod settings;
mod sim;
pub mod sketch;
pub mod start;
pub mod uncertainty;

pub use error::EngineError;
pub use inputs::World;
pub use outcome::Outcome;
pub use scenario::Scenario;

/// Runs a scenario on a world. Parallel work (cost tables, yearly accounting per product line)
/// runs on the current rayon pool; results are assembled in a fixed order, so the outcome is the
/// same for any number of threads.
///
/// Records every plant's pathway in [`Outcome::plants`] (for breakdowns by country and owner,
/// [`breakdown`]); use [`run_with_options`] to leave them out.
pub fn run(world: &World, scenario: &Scenario, seed: u64) -> Result<Outcome, EngineError> {
    sim::run(world, scenario, seed, RunOptions::default())
}

/// What a run keeps besides its region and world rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Keep one [`outcome::PlantPathway`] per plant (five yearly series each, about 1.2 kB per
    /// plant over 30 years). On for single runs; off in ensembles and sensitivity runs, which
    /// keep only headlines and must stay small.
    pub record_plants: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions { record_plants: true }
    }
}

/// [`run`] with explicit [`RunOptions`].
pub fn run_with_options(
    world: &World,
    scenario: &Scenario,
    seed: u64,
    options: RunOptions,
) -> Result<Outcome, EngineError> {
    sim::run(world, scenario, seed, options)
}
