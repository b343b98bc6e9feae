//! The MPP aluminium model's smelter inputs as an engine world, and its least-cost pathway as a
//! scenario of decarb's engine. `docs/mpp-aluminium.md` lists every mapping and every difference.
//!
//! - Technologies: one per route of `emissions.csv` (24 = {carbon anode, carbon anode + pot-line
//!   CCS, inert anode} x {coal, coal+CCS, grid, hydro, natural gas, natural gas+CCS, PPA+grid,
//!   small modular reactor}), id `aluminium.mpp-smelter-<route>`, named as MPP names it. The ids
//!   lie outside the bundled `aluminium.smelter-` switch family on purpose: each route is its own
//!   family, so the engine prices a switch at the target's greenfield capex, as the MPP run prices
//!   a brownfield switch at about the cost of a new smelter (its `Brownfield Capex` is 0.81 x
//!   `Greenfield Capex` for grid and PPA routes, 0.98 for coal, 1.85 for hydro, 2030, all regions),
//!   where the bundled family would make a switch free (renewal capex 0, target greenfield not
//!   above the current one). Scope 1
//!   (anode and process CO2 plus a captive power plant's CO2) is `emissions.csv`'s 2020 factor,
//!   averaged over the model's regions weighted by the route's 2020 production in the asset stack
//!   (by the whole stack's production for routes nobody runs in 2020). Phase, first year (the
//!   earliest `expected_maturity`) and discount rate (2020 `wacc`, weighted as scope 1) from
//!   `technology_characteristics.csv`. No end of life (lifetime 0): the MPP run retires a smelter
//!   only when it runs below 60 % (`mppshared/models/asset.py` @ 78accd0), never for its age.
//!   Reinvestment every 10 years (`INVESTMENT_CYCLES` aluminium, `mppshared/config.py` @ 78accd0).
//! - Costs and energy: the published inputs have none. Per tonne they are transcribed from the
//!   ratios implied by the June 2022 run (`simulation_outputs_aluminium_lc_def_0640df6.csv` ->
//!   `tech/derived/aluminium_smelter_sim_ratios_mpp_jun2022.csv`, TECHNOLOGY.md §3.1), by anode and
//!   power supply ([`anode`], [`power`]). Parts the run gives no figure for (pot-line CCS anodes,
//!   the capture plant of coal+CCS and gas+CCS power, nuclear power) are marked missing, so the
//!   engine never chooses those routes. Switches: [`may_switch`].
//! - Fleet: every smelter of `initial_asset_stack.csv` with capacity, as one plant, country from
//!   the file (`China - North` etc. are China). Its route is its start technology: plant ids sort
//!   by route within each decarb region and each region's start rule gives the routes their exact
//!   capacity shares, so the engine's start assignment reproduces the file plant by plant.
//! - Demand: `demand.csv` (`1.5deg`), the model's demand regions shared among decarb regions by the
//!   2020 smelter capacity of that demand region in each (the six Chinese regions are `China`).
//! - Prices, carbon prices and grid factors: decarb's bundled `mpp-shared-2022` set (the MPP
//!   cross-sector prices of 2022), `zero`, and the bundled grid factors. Alumina is priced at 0: all
//!   routes use 1.935 t/t, so it changes no choice.
//! - Utilisation: close below 60 %, build above 95 % (`CUF_LOWER_THRESHOLD`, `CUF_UPPER_THRESHOLD`);
//!   new smelters 1 Mt/yr (`ASSUMED_ANNUAL_PRODUCTION_CAPACITY`), set in the scenario.

use crate::file::{ScenarioError, load};
use decarb_data::mpp_aluminium::{Classification, MppAluminiumInputs};
use decarb_engine::inputs::{DemandPath, Series, StartRule};
use decarb_engine::settings::UtilisationBounds;
use decarb_engine::{Scenario, World};
use decarb_model::units::{TonnesCo2PerTonne, TonnesPerYear, UsdPerTonne, UsdPerTonnePerYear, Years};
use decarb_model::{
    Commodity, CountryCode, ElectricitySupply, Fleet, Inputs, PartialDate, Phase, Plant, PlantStatus, Region,
    Reported, Route, Sector, TechId, Technology,
};
use std::collections::BTreeMap;

/// The MPP aluminium scenarios as bundled scenario files.
pub const EXAMPLES: [(&str, &str); 1] =
    [("mpp-aluminium-lc", include_str!("../scenarios/mpp-aluminium-lc.toml"))];

/// The TOML text of an MPP aluminium example.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Name of the demand path built from `demand.csv`.
pub const DEMAND: &str = "mpp-aluminium-1.5deg";
/// Prefix of the technology ids built from the route names.
pub const ID_PREFIX: &str = "aluminium.mpp-smelter-";
/// `config_aluminium.py`: `INVESTMENT_CYCLE = 10  # years`.
const INVESTMENT_CYCLE: f64 = 10.0;
const RUN_RATIOS: &str = "MPP-shared aluminium run simulation_outputs_aluminium_lc_def_0640df6.csv (Jun 2022), per-t ratios implied by totals (tech/derived/aluminium_smelter_sim_ratios_mpp_jun2022.csv; TECHNOLOGY.md §3.1), indicative";

/// Something the inputs lack that the mapping needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MPP aluminium inputs: {0}")]
pub struct MappingError(pub String);

fn missing(what: impl Into<String>) -> MappingError {
    MappingError(what.into())
}

/// The decarb id of an MPP route name: `Carbon Anode+CCS + Natural Gas+CCS` ->
/// `aluminium.mpp-smelter-carbon-anode-ccs-natural-gas-ccs`.
pub fn technology_id(route: &str) -> String {
    let mut slug = String::new();
    for c in route.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("{ID_PREFIX}{}", slug.trim_end_matches('-'))
}

/// Capex and non-energy opex of an anode type, USD per t of annual capacity and per t Al:
/// greenfield capex, fixed + variable opex (the run's `Fixed Opex` and `Variable Opex` ratios,
/// 2030 for carbon anodes and 2050 for inert ones). `None`: the run has no figure.
pub fn anode(name: &str) -> Option<(f64, f64)> {
    match name {
        "Carbon Anode" => Some((6000.0, 245.8 + 250.0)),
        "Inert Anode" => Some((5100.0, 227.1 + 100.0)),
        _ => None,
    }
}

/// Energy per t Al of a power supply, from the run's ratios: (coal GJ, gas GJ, electricity MWh,
/// how electricity is bought). Every route also burns 0.73 GJ of gas and uses 1.935 t alumina.
/// Captive gas: 123 GJ, the gas ratio of `Inert Anode + Natural Gas+CCS` (the same captive plant;
/// its CO2, 123 GJ x 0.0561 t/GJ + 2.09 t anode CO2 = 9.0 t/t, matches `emissions.csv`'s 8.96 to
/// 10.8 for carbon anode + natural gas). `None`: the run has no figure, or none for a part of the
/// cost (the capture plant of coal+CCS and natural gas+CCS power).
pub fn power(name: &str) -> Option<(f64, f64, f64, ElectricitySupply)> {
    match name {
        "Coal" => Some((148.1, 0.0, 0.0, ElectricitySupply::Captive)),
        "Natural Gas" => Some((0.0, 123.0, 0.0, ElectricitySupply::Captive)),
        "Grid" => Some((0.0, 0.0, 14.61, ElectricitySupply::Grid)),
        "PPA+Grid" | "Hydro" => Some((0.0, 0.0, 15.55, ElectricitySupply::Ppa)),
        _ => None,
    }
}

fn split_route(route: &str) -> (&str, &str) {
    route.split_once(" + ").map_or((route, ""), |(a, p)| (a.trim(), p.trim()))
}

fn phase(class: Classification) -> Phase {
    match class {
        Classification::Initial => Phase::Initial,
        Classification::Transition => Phase::Transition,
        Classification::EndState => Phase::EndState,
    }
}

fn phase_rank(phase: Phase) -> u8 {
    match phase {
        Phase::Initial => 0,
        Phase::Transition => 1,
        Phase::EndState => 2,
    }
}

/// Power supplies that are not a captive fossil plant.
const NON_FOSSIL_POWER: [&str; 4] = ["Grid", "PPA+Grid", "Hydro", "Small Modular Reactor"];

/// Whether a smelter may switch from one route to another at an investment point. The published
/// inputs have no switching table, so decarb's convention applies (initial -> any transition or
/// end-state route, transition -> any end-state route), with the bundled smelter routes' rule
/// that a switch never moves a smelter onto a captive fossil plant it does not have: the target's
/// power is grid, PPA, hydro or nuclear, or the current fossil plant (with or without CCS).
/// MPP's hydro rule applies on top: a switch never crosses the hydro boundary, a hydro smelter
/// stays on hydro and no other smelter moves onto hydro (`HYDRO_TECHNOLOGY_BAN` aluminium = True,
/// `apply_hydro_constraint`, `mppshared/solver/implicit_forcing.py` lines 189-232 of
/// mpp-shared-code @ 78accd0, the commit whose output is the June 2022 reference run).
pub fn may_switch(from_phase: Phase, from_power: &str, to_phase: Phase, to_power: &str) -> bool {
    phase_rank(to_phase) > phase_rank(from_phase)
        && (NON_FOSSIL_POWER.contains(&to_power) || to_power.starts_with(from_power))
        && ((from_power == "Hydro") == (to_power == "Hydro"))
}

/// 2020 production of the stack by route and model region, Mt.
fn production_2020(inputs: &MppAluminiumInputs) -> BTreeMap<(&str, &str), f64> {
    let mut out: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for a in &inputs.assets {
        *out.entry((a.technology.as_str(), a.region.as_str())).or_default() += a.production_2020();
    }
    out
}

/// The weight of each model region in a route's one factor: the route's 2020 production by
/// region (the whole stack's where nobody runs the route in 2020).
fn region_weights<'a>(route: &str, production: &BTreeMap<(&'a str, &'a str), f64>) -> BTreeMap<&'a str, f64> {
    let mut by_region: BTreeMap<&str, f64> = BTreeMap::new();
    for ((r, region), p) in production {
        if *r == route {
            *by_region.entry(region).or_default() += p;
        }
    }
    if by_region.values().sum::<f64>() <= 0.0 {
        by_region.clear();
        for ((_, region), p) in production {
            *by_region.entry(region).or_default() += p;
        }
    }
    by_region
}

/// The discount rate of a route: `technology_characteristics.csv` `wacc` of 2020, weighted over
/// the model's regions as scope 1 is ([`region_weights`]). MPP's table gives a WACC per route and
/// region, and its shared code discounts per row at that WACC (`calculate_npv_costs`,
/// `mppshared/calculate/calculate_cost.py` lines 28-53 @ 78accd0); the run's TCO itself is
/// precomputed in `technology_transitions.csv`, not published. The engine holds one rate per
/// technology. `None` when no weighted region has a row.
fn wacc(inputs: &MppAluminiumInputs, route: &str, production: &BTreeMap<(&str, &str), f64>) -> Option<f64> {
    let (mut sum, mut weight) = (0.0, 0.0);
    for (region, w) in region_weights(route, production) {
        if let Some(c) = inputs.characteristic(route, region, 2020) {
            sum += w * c.wacc;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// Scope 1 of a route in 2020, t CO2/t: `emissions.csv` averaged over the model's regions,
/// weighted by the route's 2020 production (by the whole stack's where nobody runs it).
fn scope1(inputs: &MppAluminiumInputs, route: &str, production: &BTreeMap<(&str, &str), f64>) -> f64 {
    let by_region = region_weights(route, production);
    let (mut sum, mut weight) = (0.0, 0.0);
    for (region, w) in by_region {
        if let Some(e) = inputs.emission(route, region, 2020) {
            sum += w * e.scope1;
            weight += w;
        }
    }
    if weight > 0.0 {
        return sum / weight;
    }
    // No weighted region has a factor: the plain mean of the 2020 factors.
    let all: Vec<f64> = inputs
        .emissions
        .iter()
        .filter(|e| e.technology == route && e.year == 2020)
        .map(|e| e.scope1)
        .collect();
    if all.is_empty() { 0.0 } else { all.iter().sum::<f64>() / all.len() as f64 }
}

/// The technologies of the inputs' routes (`Decommission` is not a route).
pub fn technologies(inputs: &MppAluminiumInputs) -> Result<Vec<Technology>, MappingError> {
    let production = production_2020(inputs);
    let routes: Vec<&str> = inputs.technologies().into_iter().filter(|r| *r != "Decommission").collect();
    let mut out = Vec::with_capacity(routes.len());
    for route in &routes {
        let rows: Vec<_> =
            inputs.characteristics.iter().filter(|c| c.technology == *route && c.year == 2020).collect();
        let first = rows.first().ok_or_else(|| {
            missing(format!("technology_characteristics.csv has no 2020 row for {route:?}"))
        })?;
        let available_from =
            rows.iter().map(|c| c.expected_maturity).min().unwrap_or(first.expected_maturity);
        let (anode_name, power_name) = split_route(route);
        let mut inputs_per_t = Inputs::default();
        inputs_per_t[Commodity::NaturalGas] = 0.73;
        inputs_per_t[Commodity::Alumina] = 1.935;
        let mut missing_fields = Vec::new();
        let mut supply = ElectricitySupply::Grid;
        match power(power_name) {
            Some((coal, gas, electricity, how)) => {
                inputs_per_t[Commodity::Coal] = coal;
                inputs_per_t[Commodity::NaturalGas] += gas;
                inputs_per_t[Commodity::Electricity] = electricity;
                supply = how;
            }
            None => missing_fields.push("inputs".to_owned()),
        }
        let (capex, opex) = anode(anode_name).unwrap_or_else(|| {
            missing_fields.push("capex_greenfield".to_owned());
            missing_fields.push("fixed_opex".to_owned());
            (0.0, 0.0)
        });
        missing_fields.push("capex_renewal".to_owned());
        let note = if missing_fields.iter().any(|m| m == "inputs" || m == "capex_greenfield") {
            "the June 2022 run gives no energy or cost figure for this anode or power supply: decarb never chooses it"
                .to_owned()
        } else {
            String::new()
        };
        out.push(Technology {
            id: TechId(technology_id(route)),
            sector: Sector::Aluminium,
            name: (*route).to_owned(),
            phase: phase(first.classification),
            inputs: inputs_per_t,
            direct_co2: TonnesCo2PerTonne(scope1(inputs, route, &production)),
            capture_rate: 0.0,
            capex_greenfield: UsdPerTonnePerYear(capex),
            capex_renewal: UsdPerTonnePerYear(0.0),
            fixed_opex: UsdPerTonne(opex),
            // No end of life: the MPP run never retires a smelter for its age. It closes one only
            // when its utilisation is below CUF_LOWER_THRESHOLD and it is at least one investment
            // cycle old (`get_assets_eligible_for_decommission`, `mppshared/models/asset.py`
            // lines 383-393 @ 78accd0), and otherwise keeps it on its route unless a brownfield
            // switch passes the constraints. `technology_lifetime` (30 y captive coal and gas, 60 y
            // hydro, 0 grid and PPA) retires nothing there. The engine reads 0 as "no end of life"
            // and then annualises capex over the 10-year reinvestment cycle.
            lifetime: Years(0.0),
            reinvestment_cycle: Years(INVESTMENT_CYCLE),
            available_from,
            switches_to: Vec::new(),
            source: format!(
                "MPP aluminium inputs ({}): emissions.csv (2020 scope 1, production-weighted over regions), \
                 technology_characteristics.csv (phase, expected maturity, 2020 WACC weighted as scope 1); {RUN_RATIOS}; \
                 config (investment cycle 10 y); no end of life (MPP retires smelters only below 60 % utilisation); \
                 renovation capex 0 as in the run",
                inputs.dir.display()
            ),
            functional_unit: "t primary aluminium".into(),
            capex_greenfield_by_year: Vec::new(),
            available_until: None,
            electricity_supply: supply,
            missing: missing_fields,
            note,
            discount_rate: wacc(inputs, route, &production),
            fixed_opex_by_year: Vec::new(),
            switch_family: None,
            switch_regions: Vec::new(),
        });
    }
    let targets: Vec<(TechId, Phase, String)> =
        out.iter().map(|t| (t.id.clone(), t.phase, split_route(&t.name).1.to_owned())).collect();
    for tech in &mut out {
        let power = split_route(&tech.name).1.to_owned();
        tech.switches_to = targets
            .iter()
            .filter(|(id, phase, to)| *id != tech.id && may_switch(tech.phase, &power, *phase, to))
            .map(|(id, _, _)| id.clone())
            .collect();
    }
    Ok(out)
}

/// The country of a smelter: the file's name, or China for the model's Chinese regions, whose
/// rows carry the region as country (`China - North`).
fn country_of(country: &str, region: &str) -> Option<CountryCode> {
    CountryCode::resolve(country).or_else(|| {
        (country.starts_with("China") || region.starts_with("China"))
            .then(|| CountryCode::resolve("CHN"))
            .flatten()
    })
}

/// The model's demand region of an asset region (`China - North` -> `China`).
fn demand_region(region: &str) -> &str {
    if region.starts_with("China") { "China" } else { region }
}

/// The smelters as plants, their start rules and each demand region's capacity by decarb region.
#[allow(clippy::type_complexity)]
fn fleet(
    inputs: &MppAluminiumInputs,
    routes: &[String],
) -> Result<(Fleet, Vec<StartRule>, BTreeMap<String, BTreeMap<Region, f64>>), MappingError> {
    let mut plants = Vec::new();
    let mut by_region: BTreeMap<Region, BTreeMap<usize, f64>> = BTreeMap::new();
    let mut demand_capacity: BTreeMap<String, BTreeMap<Region, f64>> = BTreeMap::new();
    for a in &inputs.assets {
        if a.capacity_mt <= 0.0 {
            continue;
        }
        let country = country_of(&a.country, &a.region).ok_or_else(|| {
            missing(format!("initial_asset_stack.csv row {}: country {:?} not resolved", a.row, a.country))
        })?;
        let index = routes.iter().position(|r| *r == a.technology).ok_or_else(|| {
            missing(format!(
                "initial_asset_stack.csv row {}: route {:?} not in emissions.csv",
                a.row, a.technology
            ))
        })?;
        let region = country.region();
        *by_region.entry(region).or_default().entry(index).or_default() += a.capacity_mt;
        *demand_capacity
            .entry(demand_region(&a.region).to_owned())
            .or_default()
            .entry(region)
            .or_default() += a.capacity_mt;
        plants.push(Plant {
            // Route index first: within a region, plants in id order are the routes in order.
            id: format!("mpp-al.{index:02}.{:04}", a.row),
            source: "mpp-aluminium-model".into(),
            name: format!("{} smelter, row {}", a.country, a.row),
            sector: Sector::Aluminium,
            country: Some(country),
            country_text: a.country.clone(),
            subnational: Some(a.region.clone()),
            coordinates: None,
            status: PlantStatus::Operating,
            route: Route::AluminiumSmelter,
            capacity: Reported::Value(TonnesPerYear::from_mt(a.capacity_mt)),
            start: Some(PartialDate::year(a.year)),
            last_investment: None,
            owners: Vec::new(),
            parents: Vec::new(),
            status_slice: false,
            process: None,
            wiki_url: None,
        });
    }
    plants.sort_by(|a, b| a.id.cmp(&b.id));
    let rules = by_region
        .into_iter()
        .map(|(region, shares)| {
            let total: f64 = shares.values().sum();
            StartRule {
                route: Route::AluminiumSmelter,
                countries: Vec::new(),
                regions: vec![region],
                mix: shares.into_iter().map(|(i, c)| (TechId(technology_id(&routes[i])), c / total)).collect(),
                source: format!(
                    "MPP aluminium initial_asset_stack.csv ({}): the 2020 route of each smelter, as capacity shares",
                    inputs.dir.display()
                ),
                processes: Vec::new(),
            }
        })
        .collect();
    Ok((Fleet { plants }, rules, demand_capacity))
}

/// `demand.csv` per decarb region, t per year.
fn demand(
    inputs: &MppAluminiumInputs,
    capacity: &BTreeMap<String, BTreeMap<Region, f64>>,
) -> Result<DemandPath, MappingError> {
    let mut by_region: BTreeMap<Region, BTreeMap<i32, f64>> = BTreeMap::new();
    let mut scenario = String::new();
    for series in inputs.demand.iter().filter(|d| d.region != "Global") {
        scenario.clone_from(&series.scenario);
        let shares = capacity.get(&series.region).ok_or_else(|| {
            missing(format!(
                "demand.csv region {:?} has no smelter in initial_asset_stack.csv to place its demand",
                series.region
            ))
        })?;
        let total: f64 = shares.values().sum();
        for (&region, &c) in shares {
            let target = by_region.entry(region).or_default();
            for (&year, &mt) in &series.values {
                *target.entry(year).or_default() += mt * 1e6 * c / total;
            }
        }
    }
    if by_region.is_empty() {
        return Err(missing("demand.csv has no regional rows"));
    }
    Ok(DemandPath {
        name: DEMAND.into(),
        source: format!(
            "MPP aluminium demand.csv ({}), scenario {scenario}, the model's demand regions shared among decarb regions by 2020 smelter capacity",
            inputs.dir.display()
        ),
        demand: Region::ALL
            .iter()
            .map(|&r| ((Sector::Aluminium, r), Series::new(by_region.get(&r).cloned().unwrap_or_default())))
            .collect(),
    })
}

/// The world of an MPP aluminium input folder (smelters).
pub fn world(inputs: &MppAluminiumInputs) -> Result<World, MappingError> {
    let product = decarb_data::mpp_aluminium::ALUMINIUM;
    if let Some(a) = inputs.assets.iter().find(|a| a.product != product) {
        return Err(missing(format!(
            "initial_asset_stack.csv row {}: product {:?}; decarb builds the MPP aluminium world from the smelters \
             (product {product:?}: aluminium-inputs-lc-def/ or aluminium/smelters/), not from refineries",
            a.row, a.product
        )));
    }
    let technologies = technologies(inputs)?;
    let routes: Vec<String> = technologies.iter().map(|t| t.name.clone()).collect();
    let (fleet, start_rules, capacity) = fleet(inputs, &routes)?;
    let demand = demand(inputs, &capacity)?;
    let mut world = crate::bundled::world_with_fleet(fleet);
    for set in &mut world.price_sets {
        for region in Region::ALL {
            set.prices.insert((region, Commodity::Alumina), Series::constant(0.0));
        }
    }
    world.technologies = technologies;
    world.demand_paths = vec![demand];
    world.start_rules = start_rules;
    world.utilisation = [(
        Sector::Aluminium,
        UtilisationBounds {
            min: 0.6,
            max: 0.95,
            source: "MPP config_aluminium.py: CUF_LOWER_THRESHOLD 0.6, CUF_UPPER_THRESHOLD 0.95".into(),
        },
    )]
    .into();
    Ok(world)
}

/// Loads an MPP aluminium example (or any scenario text on the MPP aluminium world).
pub fn scenario(text: &str, origin: &str, world: &World) -> Result<Scenario, ScenarioError> {
    load(text, origin, world)
}
