//! Reading and writing the world for decarb: importers for the files analysts already hold (GEM
//! steel trackers, the SFI cement database, MPP model folders, decarb's own fleet CSV/JSON),
//! exporters, and the facts bundled into the binary (technologies, production statistics, prices,
//! carbon price paths), each row with its source.
//!
//! The bundled facts ([`facts`]) for the engine: `facts::technologies()` / `facts::technology(id)`
//! (routes as `decarb_model::Technology`, USD), `facts::production(sector)?.rank(year)`,
//! `facts::price_set("mpp-shared-2022")?.price(region, commodity, year)`,
//! `facts::carbon_path("iea-nze-2021")?.price(region, year)` and `facts::clinker_ratio(name)`.
//!
//! ```
//! use decarb_data::facts;
//! use decarb_model::{Commodity, Region};
//! let bf = facts::technology("steel.bf-bof-avg").unwrap();
//! let prices = facts::price_set("mpp-shared-2022").unwrap();
//! let gas = prices.price(Region::Europe, Commodity::NaturalGas, 2030).unwrap();
//! assert!(bf.inputs[Commodity::NaturalGas] * gas > 0.0);
//! let carbon = facts::carbon_path("mpp-steel-high").unwrap().price(Region::Europe, 2050);
//! assert!((carbon.0 - 228.0).abs() < 1e-9); // 200 EUR x 1.140
//! ```
//!
//! Fleets ([`import`], [`summary`], [`export`]): [`import_fleet`] detects the format from the
//! content and returns the plants (or furnace units) with a report of every placeholder cell.
//!
//! ```
//! use decarb_data::summary::{Filter, summarise_plants};
//! use decarb_data::{FleetFormat, import_bytes};
//! let csv = "id,sector,status,capacity_tpa,country\nA1,steel,operating,2500000,Türkiye\nA2,steel,operating,>0,DEU\n";
//! let imported = import_bytes("my.csv".as_ref(), csv.as_bytes(), None).unwrap();
//! assert_eq!(imported.report.format, FleetFormat::DecarbCsv);
//! let total = &summarise_plants(&imported.fleet.plants, &[], &Filter::default())[0];
//! assert_eq!((total.plants, total.capacity.to_mt(), total.capacity_unknown), (2, 2.5, 1));
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod error;
pub mod export;
pub mod facts;
pub mod iamc;
pub mod import;
pub mod limits;
pub mod mpp_aluminium;
pub mod mpp_ammonia;
pub mod mpp_steel;
pub mod read_report;
pub mod shared;
pub mod sheet;
pub mod summary;
pub mod world;

pub use error::{Error, Location, Result};
pub use import::{FleetFormat, ImportReport, Imported, import_bytes, import_fleet};
