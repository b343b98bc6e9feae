//! The input folder of the Mission Possible Partnership steel model (`mppsteel/data/
//! import_data/` of `missionpossiblepartnership/mpp-steel-model`), read exactly as published:
//! workbooks with one header row and CSVs with a byte-order mark and CRLF line ends.
//!
//! [`read_inputs`] reads every file the model's decisions depend on and returns them as typed
//! tables in the source's own units and names ([`MppSteelInputs`]); turning them into engine
//! inputs is `decarb_scenario::mpp`'s job. Required data that is missing or malformed is an
//! [`Error`] naming the file, sheet, row, column, the value found and what was expected; parts
//! decarb does not use are listed in [`ReadReport::skipped`] with the reason.
//!
//! Currency: the cost sheets of `CAPEX OPEX Per Technology.xlsx` and `Feedstock Prices.xlsx` are
//! EUR (the model's code converts them at 1/0.877 = 1.140 USD/EUR, [`crate::facts::USD_PER_EUR`]);
//! every other price is USD.
//!
//! ```no_run
//! let inputs = decarb_data::mpp_steel::read_inputs("mpp/import_data".as_ref()).unwrap();
//! println!("{} plants; {}", inputs.plants.len(), inputs.report.summary());
//! ```

// An `Error` carries the whole location; it is made once per failed import.
#![allow(clippy::result_large_err)]

mod bio;
mod ccs;
mod countries;
mod demand;
pub(crate) mod grid;
mod hydrogen;
mod plants;
mod power;
mod prices;
mod technology;

pub use bio::{BioConstraint, BioModel, BioPrice};
pub use ccs::{CaptureCost, CcsModel, StorageConstraint, StorageCost, TransportCost};
pub use countries::{CountryReference, country, country_by_iso3};
pub use demand::{DemandSeries, WsaProduction, demand_series};
pub use grid::YearValues;
pub use hydrogen::HydrogenPrice;
pub use plants::{InitialTechnology, MppPlant};
pub use power::{PowerModel, PowerSeries};
pub use prices::{FossilFuelPrice, StaticValue, static_value};
pub use technology::{
    Availability, BusinessCaseRow, BusinessCases, CapexOpex, MATERIALS, ROUTE_IDS, route_id, route_name,
};

use crate::error::{Error, Location, Result};
use crate::read_report::ReadReport;
use std::path::{Path, PathBuf};

/// The years the model plans: every yearly input must cover them.
pub const MODEL_YEARS: std::ops::RangeInclusive<i32> = 2020..=2050;

pub const FILE_PLANTS: &str = "Steel Plant Data Anon.xlsx";
pub const FILE_BUSINESS_CASES: &str = "Technology Business Cases.csv";
pub const FILE_AVAILABILITY: &str = "Technology Availability.csv";
pub const FILE_CAPEX: &str = "CAPEX OPEX Per Technology.xlsx";
pub const FILE_FOSSIL: &str = "Fossil Fuel Model.csv";
pub const FILE_POWER: &str = "Power Model.xlsx";
pub const FILE_H2: &str = "H2 Model.xlsx";
pub const FILE_CCS: &str = "CCS Model.xlsx";
pub const FILE_BIO: &str = "Bio Model.xlsx";
pub const FILE_FEEDSTOCK: &str = "Feedstock Prices.xlsx";
pub const FILE_STATIC_ENERGY: &str = "Energy Prices - Static.xlsx";
pub const FILE_DEMAND: &str = "Regional Steel Demand.csv";
pub const FILE_WSA: &str = "WSA Production 2020.csv";
pub const FILE_SCOPE1: &str = "Scope 1 Emissions Factors.xlsx";
pub const FILE_COUNTRIES: &str = "Country Reference.xlsx";
pub const FILE_CCU: &str = "CO2 CCU Capacity.csv";
/// Files of the folder decarb does not read, with the reason (listed in the report when present).
pub const FILES_NOT_USED: [(&str, &str); 2] = [
    (
        "Plastic Prices.csv",
        "UN Comtrade extract used by the model to price plastic waste, which no route uses (0 GJ/t in every business case)",
    ),
    (
        "Scope 3 Emissions Factors.xlsx",
        "scope 3 factors: decarb's validation compares scope 1 only and its carbon price never charges scope 3",
    ),
];

/// Every input of the MPP steel model that its decisions depend on, in the source's units.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MppSteelInputs {
    pub dir: PathBuf,
    pub plants: Vec<MppPlant>,
    pub business_cases: BusinessCases,
    pub availability: Vec<Availability>,
    pub capex_opex: CapexOpex,
    pub fossil_fuels: Vec<FossilFuelPrice>,
    pub power: PowerModel,
    pub hydrogen: Vec<HydrogenPrice>,
    pub ccs: CcsModel,
    pub bio: BioModel,
    /// `Feedstock Prices.xlsx`: EUR per t (slag EUR per kg), 2020.
    pub feedstock_prices: Vec<StaticValue>,
    /// `Energy Prices - Static.xlsx`: USD per GJ.
    pub static_energy_prices: Vec<StaticValue>,
    pub demand: Vec<DemandSeries>,
    pub wsa_production: Vec<WsaProduction>,
    /// `Scope 1 Emissions Factors.xlsx`: kg CO2 per GJ.
    pub scope1_factors: Vec<StaticValue>,
    pub countries: Vec<CountryReference>,
    /// `CO2 CCU Capacity.csv`: Mt CO2 per year.
    pub ccu_capacity: YearValues,
    pub report: ReadReport,
}

impl MppSteelInputs {
    /// The availability row of a route.
    pub fn availability(&self, route: &str) -> Option<&Availability> {
        self.availability.iter().find(|a| a.route == route)
    }

    /// Crude steel demand or scrap availability for the `World` row, Mt.
    pub fn world(&self, metric: &str, scenario: &str, year: i32) -> Option<f64> {
        demand_series(&self.demand, metric, "World", scenario)?.values.get(&year).copied()
    }
}

/// Reads the MPP steel input folder.
pub fn read_inputs(dir: &Path) -> Result<MppSteelInputs> {
    if !dir.is_dir() {
        return Err(Error::format(
            Location::file(dir),
            "not a folder: expected the MPP steel model's import_data folder",
        ));
    }
    let mut report = ReadReport::new("MPP steel", "parts");
    let business_cases = technology::read_business_cases(dir, &mut report)?;
    let plants = plants::read(dir, &mut report)?;
    plants::check_technologies(&plants, &business_cases.routes, dir)?;
    let availability = technology::read_availability(dir, &mut report)?;
    for route in business_cases.routes.iter().filter(|r| *r != "Close plant") {
        if !availability.iter().any(|a| &a.route == route) {
            return Err(Error::value(
                Location::file(&dir.join(FILE_AVAILABILITY)).column("Technology"),
                "",
                format!("a row for {route:?}, a route of {FILE_BUSINESS_CASES}"),
            ));
        }
    }
    let capex_opex = technology::read_capex(dir, &mut report)?;
    let fossil_fuels = prices::read_fossil(dir, &mut report)?;
    let power = power::read(dir, &mut report)?;
    let hydrogen = hydrogen::read(dir, &mut report)?;
    let ccs = ccs::read(dir, &mut report)?;
    let bio = bio::read(dir, &mut report)?;
    let feedstock_prices = prices::read_feedstock(dir, &mut report)?;
    let static_energy_prices = prices::read_static_energy(dir, &mut report)?;
    let demand = demand::read_demand(dir, &mut report)?;
    let wsa_production = demand::read_wsa(dir, &mut report)?;
    let scope1_factors = prices::read_scope1(dir, &mut report)?;
    let countries = countries::read(dir, &mut report)?;
    let ccu_capacity = prices::read_ccu(dir, &mut report)?;
    for (file, reason) in FILES_NOT_USED {
        let path = dir.join(file);
        if path.is_file() {
            report.skip(Location::file(&path), reason);
        }
    }
    Ok(MppSteelInputs {
        dir: dir.to_path_buf(),
        plants,
        business_cases,
        availability,
        capex_opex,
        fossil_fuels,
        power,
        hydrogen,
        ccs,
        bio,
        feedstock_prices,
        static_energy_prices,
        demand,
        wsa_production,
        scope1_factors,
        countries,
        ccu_capacity,
        report,
    })
}
