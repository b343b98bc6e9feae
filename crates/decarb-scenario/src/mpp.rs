//! The MPP steel model's inputs as an engine world, and its six scenarios as settings of decarb's
//! engine (not a second engine). `docs/mpp-steel.md` lists every mapping and every difference.
//!
//! - Fleet: the operating plants of `Steel Plant Data Anon.xlsx` that have a 2020 technology
//!   (974 plants, 2,292.5 Mt), capacity = the three "Final estimated" capacities, start year as
//!   given; `unknown` start years are staggered back from 2019 one year per plant in file order,
//!   as the model does with its randomness off. Routes: Avg/BAT BF-BOF -> `bf-bof` (the bundled
//!   start rules give Avg BF-BOF in China, India and South Korea and BAT elsewhere, exactly the
//!   file's split), DRI-EAF -> `dri-eaf`, EAF -> `eaf`.
//! - Regions: the model plans in 11 regions (`RMI Model Region`), the same cut as decarb's;
//!   plants take decarb's country -> region mapping, which differs for a few countries (Turkey
//!   is RoW for MPP, Europe for decarb...). Demand and scrap of each MPP region are shared among
//!   decarb regions by the 2020 capacity of the region's plants in each.
//! - Prices, the model's "low" cases (TECHNOLOGY.md §8.10): grid electricity `GridPrice` Industry /
//!   Decarbonized / Min; hydrogen `Prices` Utility plant, dedicated VREs / Min; gas and thermal
//!   coal `Fossil Fuel Model.csv` Decarbonized; iron ore, scrap and met coal `Feedstock Prices.xlsx`
//!   (EUR x 1.140); coke 0 (`Energy Prices - Static.xlsx`); biomass `Bio Model.xlsx` Medium /
//!   Stable / Weighted Average; CO2 transport and storage: the `Low` onshore pipeline (1 Mt/yr,
//!   node 1) plus `Low` onshore saline-aquifer storage; grid factors `GridEmissions` Industry /
//!   Decarbonized / Min.
//! - Carbon prices: `zero` and `mpp-steel-high` (0 in 2023 to 200 EUR = 228 USD/t in 2050, linear).
//! - Limits (added to each scenario from the inputs): regional scrap (`Regional Steel Demand.csv`,
//!   the scenario's demand case, x 1.1 as the model allows), world CO2 storage (`CCS Model.xlsx`
//!   `Constraint`, Low, column Global, the only one the model reads), world biomass for steel
//!   (`Bio Model.xlsx` `Biomass_constraint`, Prudent, Steel).

use crate::file::{ScenarioError, load};
use decarb_data::mpp_steel::{self, MppSteelInputs, YearValues};
use decarb_engine::inputs::{CarbonPath, DemandPath, GridFactors, PriceSet, Series};
use decarb_engine::scenario::{Limit, LimitedResource, QuantityPath};
use decarb_engine::settings::UtilisationBounds;
use decarb_engine::{Scenario, World};
use decarb_model::units::{HYDROGEN_GJ_PER_KG, TonnesPerYear};
use decarb_model::{
    Commodity, CountryCode, ElectricitySupply, Fleet, PartialDate, Plant, PlantStatus, Region, Reported,
    Route, Sector,
};
use std::collections::BTreeMap;

/// Name of the price set built from the MPP inputs.
pub const PRICE_SET: &str = "mpp-steel-low";
/// USD per EUR, as the model converts (TECHNOLOGY.md §0).
pub const USD_PER_EUR: f64 = decarb_data::facts::USD_PER_EUR;
/// The model allows 10 % more scrap than `Regional Steel Demand.csv` gives
/// (`SCRAP_CONSTRAINT_TOLERANCE_FACTOR`; its reference run's `scrap_availability` is 1.100 x the
/// file in every year).
const SCRAP_TOLERANCE: f64 = 1.1;
/// GJ per MMBtu (the model's `MMBTU_TO_GJ`).
const GJ_PER_MMBTU: f64 = 1.055;
/// Net calorific value of thermal coal, GJ/t: IPCC 2006 Guidelines vol. 2 table 1.2, other
/// bituminous coal (25.8). The fossil-fuel model gives coal in USD/t; decarb prices it per GJ.
const COAL_GJ_PER_T: f64 = 25.8;

/// The six MPP scenarios as bundled scenario files.
pub const EXAMPLES: [(&str, &str); 6] = [
    ("mpp-baseline", include_str!("../scenarios/mpp-baseline.toml")),
    ("mpp-baseline-high-circularity", include_str!("../scenarios/mpp-baseline-high-circularity.toml")),
    ("mpp-abatement", include_str!("../scenarios/mpp-abatement.toml")),
    ("mpp-fastest-abatement", include_str!("../scenarios/mpp-fastest-abatement.toml")),
    ("mpp-carbon-cost", include_str!("../scenarios/mpp-carbon-cost.toml")),
    ("mpp-tech-moratorium", include_str!("../scenarios/mpp-tech-moratorium.toml")),
];

/// The TOML text of an MPP example.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The model's planning regions (`RMI Model Region`, also the regions of `Regional Steel
/// Demand.csv`) and decarb's.
pub const MODEL_REGIONS: [(&str, Region); 11] = [
    ("China", Region::China),
    ("India", Region::India),
    ("Japan, South Korea, and Taiwan", Region::JapanKoreaTaiwan),
    ("NAFTA", Region::NorthAmerica),
    ("CIS", Region::Cis),
    ("Middle East", Region::MiddleEast),
    ("Southeast Asia", Region::SoutheastAsia),
    ("Europe", Region::Europe),
    ("South and Central America", Region::LatinAmerica),
    ("Africa", Region::Africa),
    ("RoW", Region::RestOfWorld),
];

/// Region names of the power and hydrogen models for each decarb region.
fn power_region(region: Region) -> &'static str {
    match region {
        Region::China => "China",
        Region::India => "India",
        Region::JapanKoreaTaiwan => "Japan_SthKorea_Taiwan",
        Region::NorthAmerica => "US",
        Region::Cis => "Russia",
        Region::MiddleEast => "Middle_East",
        Region::SoutheastAsia => "Southeast_Asia",
        Region::Europe => "EU",
        Region::LatinAmerica => "South_BAU_Americas",
        Region::Africa => "Africa",
        Region::RestOfWorld => "RoW",
    }
}

/// Fossil-fuel model region (gas, coal) for each decarb region; the model gives gas for "Rest of
/// Asia and Pacific" and coal for "Australasia/Oceania", both mapped to Southeast Asia and RoW.
fn fossil_region(region: Region, commodity: &str) -> &'static str {
    let coal = commodity == "Coal";
    match region {
        Region::China => "China",
        Region::India => "India",
        Region::JapanKoreaTaiwan => "Japan",
        Region::NorthAmerica => "North America",
        Region::Cis => "Russia",
        Region::MiddleEast => "Middle East",
        Region::Europe => "Europe",
        Region::LatinAmerica => "Latin America",
        Region::Africa => "Africa",
        Region::SoutheastAsia | Region::RestOfWorld if coal => "Australasia/Oceania",
        Region::SoutheastAsia | Region::RestOfWorld => "Rest of Asia and Pacific",
    }
}

/// Bio model region (the model's `BIO_PRICE_REGION_MAPPER`).
fn bio_region(region: Region) -> &'static str {
    match region {
        Region::Europe | Region::Cis => "EU",
        Region::NorthAmerica => "US",
        Region::China | Region::SoutheastAsia | Region::JapanKoreaTaiwan => "China",
        Region::India | Region::RestOfWorld | Region::MiddleEast => "India",
        Region::LatinAmerica => "South and central Americas",
        Region::Africa => "Africa",
    }
}

/// Something the MPP inputs lack that the mapping needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MPP steel inputs: {0}")]
pub struct MappingError(pub String);

fn missing(what: impl Into<String>) -> MappingError {
    MappingError(what.into())
}

fn series(values: &YearValues, factor: f64) -> Series {
    Series::new(values.iter().map(|(&y, &v)| (y, v * factor)))
}

/// The operating 2020 stack as decarb plants, with the model's region of each.
pub fn fleet(inputs: &MppSteelInputs) -> Result<(Fleet, Vec<(Region, String)>), MappingError> {
    let mut plants = Vec::new();
    let mut regions = Vec::new();
    // Unknown start years: 2019, 2018, ... in file order (the model's stagger without randomness;
    // its reference run gives its 80 unknown plants 2019 down to 1940).
    let mut next_unknown = 2019;
    for p in &inputs.plants {
        let Some(route_name) = p.technology_2020.route() else { continue };
        if p.status != PlantStatus::Operating {
            continue;
        }
        let route = match route_name {
            "Avg BF-BOF" | "BAT BF-BOF" => Route::BfBof,
            "DRI-EAF" => Route::DriEaf,
            "EAF" => Route::Eaf,
            other => return Err(missing(format!("plant {} starts on {other:?}, not a 2020 route", p.id))),
        };
        let country = CountryCode::resolve(&p.country)
            .ok_or_else(|| missing(format!("plant {}: country {:?} not resolved", p.id, p.country)))?;
        let model_region = mpp_steel::country_by_iso3(&inputs.countries, country.as_str())
            .map_or_else(|| region_name(country.region()).to_owned(), |c| c.model_region.clone());
        let start = p.start_year.unwrap_or_else(|| {
            let year = next_unknown;
            next_unknown -= 1;
            year
        });
        regions.push((country.region(), model_region));
        plants.push(Plant {
            id: p.id.clone(),
            source: "mpp-steel-model".into(),
            name: p.name.clone(),
            sector: Sector::Steel,
            country: Some(country),
            country_text: p.country.clone(),
            subnational: None,
            coordinates: None,
            status: PlantStatus::Operating,
            route,
            capacity: Reported::Value(TonnesPerYear(p.capacity_kt() * 1e3)),
            start: Some(PartialDate::year(start)),
            last_investment: None,
            owners: Vec::new(),
            parents: Vec::new(),
            status_slice: false,
            process: None,
            wiki_url: None,
        });
    }
    Ok((Fleet { plants }, regions))
}

fn region_name(region: Region) -> &'static str {
    MODEL_REGIONS.iter().find(|(_, r)| *r == region).map_or("RoW", |(n, _)| *n)
}

/// Share of each MPP region's 2020 capacity that lies in each decarb region.
fn region_shares(fleet: &Fleet, regions: &[(Region, String)]) -> BTreeMap<String, BTreeMap<Region, f64>> {
    let mut capacity: BTreeMap<String, BTreeMap<Region, f64>> = BTreeMap::new();
    for (plant, (region, model_region)) in fleet.plants.iter().zip(regions) {
        let c = plant.capacity.value().map_or(0.0, |c| c.0);
        *capacity.entry(model_region.clone()).or_default().entry(*region).or_default() += c;
    }
    for shares in capacity.values_mut() {
        let total: f64 = shares.values().sum();
        for v in shares.values_mut() {
            *v /= total.max(f64::MIN_POSITIVE);
        }
    }
    // Regions without plants keep their demand in the same-named decarb region.
    for (name, region) in MODEL_REGIONS {
        capacity.entry(name.to_owned()).or_insert_with(|| [(region, 1.0)].into());
    }
    capacity
}

const DEMAND: &str = "Crude steel demand";

/// A metric of `Regional Steel Demand.csv` per decarb region, t per year; crude steel demand in
/// 2020 is `WSA Production 2020.csv`, as in the model.
fn regional(
    inputs: &MppSteelInputs,
    shares: &BTreeMap<String, BTreeMap<Region, f64>>,
    metric: &str,
    scenario: &str,
) -> Result<BTreeMap<Region, Series>, MappingError> {
    let mut by_region: BTreeMap<Region, BTreeMap<i32, f64>> = BTreeMap::new();
    for (name, _) in MODEL_REGIONS {
        let row = mpp_steel::demand_series(&inputs.demand, metric, name, scenario).ok_or_else(|| {
            missing(format!("Regional Steel Demand.csv has no {metric} / {name} / {scenario} row"))
        })?;
        let mut values = row.values.clone();
        // The model's 2020 is worldsteel's 2020 production, not the demand file's 2020.
        if metric == DEMAND {
            let wsa = inputs
                .wsa_production
                .iter()
                .find(|w| w.region == name)
                .ok_or_else(|| missing(format!("WSA Production 2020.csv has no row for {name}")))?;
            values.insert(2020, wsa.production);
        }
        for (&region, &share) in &shares[name] {
            let target = by_region.entry(region).or_default();
            for (&year, &mt) in &values {
                *target.entry(year).or_default() += mt * 1e6 * share;
            }
        }
    }
    Ok(Region::ALL
        .iter()
        .map(|&r| (r, Series::new(by_region.get(&r).cloned().unwrap_or_default())))
        .collect())
}

/// The world of the MPP inputs: the bundled steel routes (which carry the MPP parameters), the
/// MPP fleet, prices, carbon and demand paths, grid factors, utilisation 60-95 %.
/// The price set and grid factors of the model's "low" cases, per decarb region.
fn prices(inputs: &MppSteelInputs) -> Result<(PriceSet, GridFactors), MappingError> {
    let mut price_set = PriceSet {
        name: PRICE_SET.into(),
        source: format!("MPP steel model inputs ({}), low cases (TECHNOLOGY.md §8.10)", inputs.dir.display()),
        ..PriceSet::default()
    };
    let feedstock = |metric: &str| {
        mpp_steel::static_value(&inputs.feedstock_prices, metric, 2020)
            .ok_or_else(|| missing(format!("Feedstock Prices.xlsx has no {metric} price")))
    };
    let iron_ore = feedstock("Iron ore")? * USD_PER_EUR;
    let scrap = feedstock("Scrap")? * USD_PER_EUR;
    let met_coal = feedstock("Coal")? * USD_PER_EUR;
    let coke = mpp_steel::static_value(&inputs.static_energy_prices, "Coke", 2020).unwrap_or(0.0);
    let ccs_cost = co2_transport_storage(inputs)?;
    let mut grid = GridFactors {
        name: "mpp-decarbonised-min".into(),
        source: "MPP Power Model.xlsx GridEmissions, Industry, Decarbonized, Min".into(),
        ..GridFactors::default()
    };
    for region in Region::ALL {
        let prices = &mut price_set.prices;
        prices.insert((region, Commodity::IronOre), Series::constant(iron_ore));
        prices.insert((region, Commodity::Scrap), Series::constant(scrap));
        prices.insert((region, Commodity::MetCoal), Series::constant(met_coal));
        prices.insert((region, Commodity::Coke), Series::constant(coke));
        prices.insert((region, Commodity::Waste), Series::constant(0.0));
        prices.insert((region, Commodity::Alumina), Series::constant(0.0));
        let fossil = |variable: &str| {
            let name = fossil_region(region, variable);
            inputs
                .fossil_fuels
                .iter()
                .find(|f| f.region == name && f.variable == variable && f.scenario == "Decarbonized")
                .ok_or_else(|| {
                    missing(format!("Fossil Fuel Model.csv has no {variable} / {name} / Decarbonized row"))
                })
        };
        prices.insert(
            (region, Commodity::NaturalGas),
            series(&fossil("Natural gas")?.values, 1.0 / GJ_PER_MMBTU),
        );
        prices.insert((region, Commodity::Coal), series(&fossil("Coal")?.values, 1.0 / COAL_GJ_PER_T));
        let power = power_region(region);
        let h2 = inputs
            .hydrogen
            .iter()
            .find(|h| {
                h.region == power
                    && h.production == "Utility plant, dedicated VREs"
                    && h.cost_scenario == "Min"
            })
            .ok_or_else(|| {
                missing(format!("H2 Model.xlsx has no Min / Utility plant, dedicated VREs price for {power}"))
            })?;
        prices.insert((region, Commodity::Hydrogen), series(&h2.values, 1.0 / HYDROGEN_GJ_PER_KG));
        let bio_name = bio_region(region);
        let bio = inputs
            .bio
            .prices
            .iter()
            .find(|b| {
                b.region == bio_name
                    && b.price_scenario == "Medium"
                    && b.growth_scenario == "Stable"
                    && b.feedstock == "Weighted Average"
            })
            .ok_or_else(|| {
                missing(format!(
                    "Bio Model.xlsx has no Medium / Stable / Weighted Average price for {bio_name}"
                ))
            })?;
        prices.insert((region, Commodity::Biomass), series(&bio.values, 1.0));
        let find = |rows| {
            mpp_steel::PowerModel::find(rows, power, "Industry", "Decarbonized", "Min").ok_or_else(|| {
                missing(format!("Power Model.xlsx has no Industry / Decarbonized / Min series for {power}"))
            })
        };
        let electricity = series(&find(&inputs.power.grid_price)?.values, 1.0);
        for supply in [
            ElectricitySupply::Grid,
            ElectricitySupply::Ppa,
            ElectricitySupply::OnsiteVre,
            ElectricitySupply::Captive,
        ] {
            price_set.electricity.insert((region, supply), electricity.clone());
        }
        grid.by_region.insert(region, series(&find(&inputs.power.grid_emissions)?.values, 1.0));
        price_set.co2_transport_storage.insert(region, Series::constant(ccs_cost));
    }
    Ok((price_set, grid))
}

pub fn world(inputs: &MppSteelInputs) -> Result<World, MappingError> {
    let (fleet, regions) = fleet(inputs)?;
    let shares = region_shares(&fleet, &regions);
    let (price_set, grid) = prices(inputs)?;
    let mut demand_paths = Vec::new();
    for (name, case) in [("mpp-bau", "BAU"), ("mpp-high-circ", "High Circ")] {
        let by_region = regional(inputs, &shares, DEMAND, case)?;
        demand_paths.push(DemandPath {
            name: name.into(),
            source: format!("MPP Regional Steel Demand.csv, Crude steel demand, {case}, shared among decarb regions by 2020 capacity"),
            demand: by_region.into_iter().map(|(r, s)| ((Sector::Steel, r), s)).collect(),
        });
    }
    let all = |s: Series| Region::ALL.iter().map(|&r| (r, s.clone())).collect();
    let carbon_paths = vec![
        CarbonPath { name: "zero".into(), source: "no carbon price".into(), by_region: all(Series::constant(0.0)) },
        CarbonPath {
            name: "mpp-steel-high".into(),
            source: "MPP steel model_scenarios.py CARBON_TAX_SCENARIOS high: 0 (2023) to 200 EUR/t (2050), linear, x 1.140 USD/EUR".into(),
            by_region: all(Series::new([(2023, 0.0), (2050, 200.0 * USD_PER_EUR)])),
        },
    ];
    // MPP buys all steelmaking power from the grid (its H2 and electrolysis routes too): the
    // bundled table's contracted clean power is decarb's choice, not MPP's.
    let technologies: Vec<_> = decarb_data::facts::technologies_in(Sector::Steel)
        .cloned()
        .map(|mut t| {
            t.electricity_supply = decarb_model::ElectricitySupply::Grid;
            t
        })
        .collect();
    Ok(World {
        technologies,
        fleet,
        price_sets: vec![price_set],
        carbon_paths,
        demand_paths,
        clinker_ratios: vec![decarb_engine::inputs::RatioPath {
            name: "current".into(),
            source: "unused: steel only".into(),
            ratio: Series::constant(1.0),
        }],
        grid_factors: grid,
        power_paths: Vec::new(),
        limit_sets: Vec::new(),
        start_rules: decarb_engine::start::default_start_rules()
            .into_iter()
            .filter(|r| matches!(r.route, Route::BfBof | Route::DriEaf | Route::Eaf))
            .collect(),
        utilisation: [(
            Sector::Steel,
            UtilisationBounds {
                min: 0.6,
                max: 0.95,
                source: "MPP steel model_config.py: open above 95 %, close below 60 % regional utilisation"
                    .into(),
            },
        )]
        .into(),
    })
}

/// CO2 transport (Low, onshore pipeline, 1 Mt/yr, first node) plus storage (Low, onshore saline
/// aquifer, no legacy wells), global rows, USD/t CO2.
fn co2_transport_storage(inputs: &MppSteelInputs) -> Result<f64, MappingError> {
    let transport = inputs
        .ccs
        .transport
        .iter()
        .find(|t| {
            t.region == "Global"
                && t.transport_type == "Onshore Pipeline"
                && t.cost_estimate == "Low"
                && (t.capacity - 1.0).abs() < 1e-9
        })
        .ok_or_else(|| {
            missing("CCS Model.xlsx Transport has no Global / Onshore Pipeline / Low / 1 Mt row")
        })?;
    let storage = inputs
        .ccs
        .storage
        .iter()
        .find(|s| {
            s.region == "Global"
                && s.cost_case == "Low"
                && s.location == "Onshore"
                && s.storage_type == "Saline aquifers"
        })
        .ok_or_else(|| {
            missing("CCS Model.xlsx Storage has no Global / Low / Onshore / Saline aquifers row")
        })?;
    Ok(transport.nodes[0] + storage.cost)
}

fn by_year(values: impl IntoIterator<Item = (i32, f64)>, unit: &str) -> QuantityPath {
    QuantityPath::ByYear(values.into_iter().map(|(y, v)| (y.to_string(), format!("{v} {unit}"))).collect())
}

/// The resource limits of the MPP inputs for a demand case (`BAU` or `High Circ`).
pub fn limits(inputs: &MppSteelInputs, case: &str) -> Result<Vec<Limit>, MappingError> {
    let (fleet, regions) = fleet(inputs)?;
    let shares = region_shares(&fleet, &regions);
    let mut out = Vec::new();
    for (region, scrap) in regional(inputs, &shares, "Scrap availability", case)? {
        out.push(Limit {
            resource: LimitedResource::Scrap,
            region: region.as_str().into(),
            quantity: by_year(scrap.points().iter().map(|&(y, t)| (y, t / 1e6 * SCRAP_TOLERANCE)), "Mt"),
        });
    }
    // The model reads only the `Global` column of the storage constraint (`create_ccs_constraint`
    // in `model_solver/solver_constraints.py`): one world limit.
    let points: Vec<(i32, f64)> = inputs
        .ccs
        .constraint
        .iter()
        .filter(|c| c.scenario == "Low")
        .filter_map(|c| c.by_region.get("Global").map(|v| (c.year, *v)))
        .collect();
    if points.is_empty() {
        return Err(missing("CCS Model.xlsx Constraint has no Low rows with a Global column"));
    }
    out.push(Limit {
        resource: LimitedResource::Co2Storage,
        region: "world".into(),
        quantity: by_year(points, "Mt CO2"),
    });
    let bio = inputs
        .bio
        .constraint
        .iter()
        .find(|c| c.scenario == "Prudent" && c.sector == "Steel")
        .ok_or_else(|| missing("Bio Model.xlsx Biomass_constraint has no Prudent / Steel row"))?;
    out.push(Limit {
        resource: LimitedResource::Biomass,
        region: "world".into(),
        quantity: by_year(bio.values.clone(), "EJ"),
    });
    Ok(out)
}

/// Loads an MPP example (or any scenario text on the MPP world) and adds the input folder's
/// resource limits for its demand case.
pub fn scenario(
    text: &str,
    origin: &str,
    inputs: &MppSteelInputs,
    world: &World,
) -> Result<Scenario, ScenarioError> {
    let mut scenario = load(text, origin, world)?;
    let case = if scenario.demand == "mpp-high-circ" { "High Circ" } else { "BAU" };
    let limits = limits(inputs, case).map_err(|e| ScenarioError {
        origin: origin.to_owned(),
        line: None,
        column: None,
        key: Some("limits".into()),
        message: e.to_string(),
    })?;
    scenario.limits.extend(limits);
    Ok(scenario)
}
