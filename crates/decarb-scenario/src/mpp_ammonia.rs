//! The MPP ammonia model's inputs as an engine world, and its least-cost run as settings of
//! decarb's engine (not a second engine). `docs/mpp-ammonia.md` lists every mapping and every
//! difference.
//!
//! - Unit: t NH3-equivalent (NH3 + 0.565724 urea + 0.425534 ammonium nitrate, `config_ammonia.py`).
//!   Every route takes the `Ammonia` rows of the inputs (per t NH3) for all products.
//! - Routes: the 18 routes of `technology_characteristics.csv` the model ranks (`Waste to ammonia`
//!   and `Waste Water to ammonium nitrate` are not for its solver). Phase, first year and life from
//!   that file; energy and scope 1 from `inputs_outputs_wide.csv` and the emissions file (Europe,
//!   2020; the factors are the same everywhere); greenfield capex by year = mean of the model's ten
//!   regions. Operating cost: MPP's own variable + fixed opex by region and year, carried in the
//!   price set's technology costs (commodity prices are 0: the variable opex already prices the
//!   energy, so the electrolytic routes pay MPP's 554 USD/t in Europe in 2020 and fixed opex falls
//!   from 103.5 to 33 USD/t by 2030 as MPP has it), plus each region's capex difference from the
//!   mean, levelised as the engine levelises (8 %, 20 years, 95 % utilisation).
//! - Fleet: each row of `initial_asset_stack.csv` becomes `ceil(capacity / 0.73 Mt)` plants of the
//!   model's standard size, 0.73 Mt NH3-eq per year (`ammonia_typical_plant_capacity_Mt`), as the
//!   model builds its 2020 stack, with ages spread evenly around the row's average age (capped at
//!   29 years), in one country per MPP region. Life 20 years: the model's rebuild age (it retires
//!   nothing for age). Switch families: the SMR routes and the coal routes (renovations stay on the
//!   reformer or gasifier); every other route is reached by a rebuild.
//! - Demand: world demand of `demand.csv` (NZ) in NH3-eq, shared among decarb regions by their
//!   2020 production as the model dispatches the stack in its first year ([`dispatched_2020`]:
//!   costliest assets down to CUF 0.5; the model plans globally, decarb per region).
//! - Limits: world CO2 storage and electrolytic hydrogen from the two constraint files, as
//!   cumulative sums of the yearly additions the model allows (`annual_addition`).

use crate::file::{ScenarioError, load};
use decarb_data::mpp_ammonia::{self, MppAmmoniaInputs};
use decarb_engine::inputs::{CarbonPath, DemandPath, GridFactors, PriceSet, RatioPath, Series, StartRule};
use decarb_engine::scenario::{Limit, LimitedResource, QuantityPath};
use decarb_engine::settings::UtilisationBounds;
use decarb_engine::{Scenario, World};
use decarb_model::units::{
    HYDROGEN_GJ_PER_KG, TonnesCo2PerTonne, TonnesPerYear, UsdPerTonne, UsdPerTonnePerYear, Years,
};
use decarb_model::{
    Commodity, CountryCode, ElectricitySupply, Fleet, Inputs, PartialDate, Phase, Plant, PlantStatus, Region,
    Reported, Route, Sector, TechId, Technology,
};
use std::collections::BTreeMap;

/// Name of the price set built from the MPP inputs.
pub const PRICE_SET: &str = "mpp-ammonia";
/// Name of the demand path (`demand.csv`, scenario `NZ`).
pub const DEMAND: &str = "mpp-ammonia-nz";
/// The model's carbon cost of 200: 0 until 2025, linear to 200 USD/t CO2 in 2045, then flat
/// (`main.py` @5e0cead: `CarbonCostTrajectory("linear", 0, 200, start_year=2025,
/// end_year=END_YEAR_MAP[200] = 2045)`).
pub const CARBON_PATH: &str = "mpp-ammonia-cc200";

/// The bundled MPP ammonia scenario.
pub const EXAMPLES: [(&str, &str); 1] =
    [("mpp-ammonia-lc-cc200", include_str!("../scenarios/mpp-ammonia-lc-cc200.toml"))];

/// The TOML text of an MPP ammonia example.
pub fn example(name: &str) -> Option<&'static str> {
    EXAMPLES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Standard plant, Mt NH3 per year: 2,000 t/day x 365 (`config_ammonia.py`).
const PLANT_MT: f64 = 2000.0 * 365.0 / 1e6;
/// t H2 per t NH3 (`H2_PER_AMMONIA`, `config_ammonia.py`).
const H2_PER_NH3: f64 = 0.176_471;
/// Years between main investments (`INVESTMENT_CYCLE`, `config_ammonia.py`).
const INVESTMENT_CYCLE: i32 = 20;
/// The model's WACC and utilisation for levelising regional capex differences like the engine.
const WACC: f64 = 0.08;
const CUF: f64 = 0.95;
/// `CUF_LOWER_THRESHOLD` (`mppshared/config.py` @5e0cead l. 267).
const MIN_CUF: f64 = 0.5;
/// Electrolyser capacity factor used to turn GW into t H2: mean over the model's ten regions of
/// the dedicated-VRE + geological-storage route, the route that makes most of its electrolytic
/// ammonia (mpp-shared-code @b09472f `ammonia/data/lc/def/intermediate/electrolyser_cfs.csv`:
/// 0.38-0.49, mean 0.44; grid-connected electrolysers run at 0.95).
const ELECTROLYSER_CF: f64 = 0.44;
/// Electrolyser efficiency, kWh per t H2 (same folder, `electrolyser_efficiencies.csv`: 53,000 in
/// 2020, 49,000 in 2030, 45,000 in 2050).
const ELECTROLYSER_KWH_PER_T: [(i32, f64); 3] = [(2020, 53_000.0), (2030, 49_000.0), (2050, 45_000.0)];
/// Share of hydrogen made by electrolysis on the hybrid routes (same folder,
/// `electrolyser_proportions.csv`: 0.1).
const HYBRID_ELECTROLYSIS_SHARE: f64 = 0.1;
/// The model lets assets make brownfield transitions from 2025 (renovation,
/// `BROWNFIELD_RENOVATION_START_YEAR`) and 2027 (rebuild), 5 % of assets a year
/// (`ANNUAL_RENOVATION_SHARE`, `mppshared/config.py` @5e0cead). Renovations are the scenario's
/// transitional switches; rebuilds happen at main investment points, and the stack's first points
/// are spread evenly over these years (the engine anchors a schedule at a year no later than the
/// base year, so with a 20-year cycle the last possible first point is 2040).
const FIRST_POINTS: std::ops::RangeInclusive<i32> = 2025..=2040;

/// The model's route names and decarb's ids (the bundled table's ids where it has the route).
pub const ROUTE_IDS: [(&str, &str); 18] = [
    ("Natural Gas SMR + ammonia synthesis", "ammonia.smr"),
    ("Coal Gasification + ammonia synthesis", "ammonia.coal-gasification"),
    ("Coal Gasification+ CCS + ammonia synthesis", "ammonia.coal-gasification-ccs"),
    ("Natural Gas ATR + CCS + ammonia synthesis", "ammonia.atr-ccs"),
    ("Oversized ATR + CCS", "ammonia.atr-ccs-oversized"),
    ("Natural Gas SMR + CCS (process emissions only) + ammonia synthesis", "ammonia.smr-ccs-process"),
    ("Natural Gas SMR + CCS + ammonia synthesis", "ammonia.smr-ccs"),
    ("Electrolyser + SMR + ammonia synthesis", "ammonia.electrolyser-smr"),
    ("Electrolyser + Coal Gasification + ammonia synthesis", "ammonia.electrolyser-coal-gasification"),
    ("GHR + CCS + ammonia synthesis", "ammonia.ghr-ccs"),
    ("ESMR Gas + CCS + ammonia synthesis", "ammonia.esmr-ccs"),
    ("Electrolyser - grid PPA + ammonia synthesis", "ammonia.electrolytic-grid-ppa"),
    ("Electrolyser - dedicated VRES + grid PPA + ammonia synthesis", "ammonia.electrolytic-vre-grid-ppa"),
    (
        "Electrolyser - dedicated VRES + H2 storage - geological + ammonia synthesis",
        "ammonia.electrolytic-vre-cavern",
    ),
    (
        "Electrolyser - dedicated VRES + H2 storage - pipeline + ammonia synthesis",
        "ammonia.electrolytic-vre-pipeline",
    ),
    ("Methane Pyrolysis + ammonia synthesis", "ammonia.methane-pyrolysis"),
    ("Biomass Gasification + ammonia synthesis", "ammonia.biomass-gasification"),
    ("Biomass Digestion + ammonia synthesis", "ammonia.biomass-digestion"),
];
/// Routes of the characteristics file the model does not rank (`TECHNOLOGIES_NOT_FOR_SOLVER`).
const NOT_FOR_SOLVER: [&str; 2] = ["Waste to ammonia", "Waste Water to ammonium nitrate"];

/// decarb's id of a model route.
pub fn route_id(name: &str) -> Option<&'static str> {
    ROUTE_IDS.iter().find(|(n, _)| *n == name).map(|(_, id)| *id)
}

/// The model's name of a decarb id.
pub fn route_name(id: &str) -> Option<&'static str> {
    ROUTE_IDS.iter().find(|(_, i)| *i == id).map(|(n, _)| *n)
}

/// The model's ten regions, a country to place its plants in, and decarb's region.
const MODEL_REGIONS: [(&str, &str); 10] = [
    ("North America", "USA"),
    ("Latin America", "BRA"),
    ("Africa", "EGY"),
    ("Middle East", "SAU"),
    ("Russia", "RUS"),
    ("Europe", "DEU"),
    ("China", "CHN"),
    ("India", "IND"),
    ("Rest of Asia", "IDN"),
    ("Oceania", "AUS"),
];

/// The model region whose costs a decarb region pays (Japan-Korea-Taiwan and Southeast Asia are
/// in the model's Rest of Asia; decarb's rest of the world holds Oceania).
fn model_region(region: Region) -> &'static str {
    match region {
        Region::NorthAmerica => "North America",
        Region::LatinAmerica => "Latin America",
        Region::Africa => "Africa",
        Region::MiddleEast => "Middle East",
        Region::Cis => "Russia",
        Region::Europe => "Europe",
        Region::China => "China",
        Region::India => "India",
        Region::JapanKoreaTaiwan | Region::SoutheastAsia => "Rest of Asia",
        Region::RestOfWorld => "Oceania",
    }
}

/// Something the MPP inputs lack that the mapping needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MPP ammonia inputs: {0}")]
pub struct MappingError(pub String);

fn missing(what: impl Into<String>) -> MappingError {
    MappingError(what.into())
}

fn country_of(model_region: &str) -> Result<CountryCode, MappingError> {
    MODEL_REGIONS
        .iter()
        .find(|(name, _)| *name == model_region)
        .and_then(|(_, iso)| CountryCode::resolve(iso))
        .ok_or_else(|| {
            missing(format!("initial_asset_stack.csv: region {model_region:?} is not one of the model's ten"))
        })
}

fn series(values: &decarb_data::mpp_steel::YearValues) -> Series {
    Series::new(values.iter().map(|(&y, &v)| (y, v)))
}

/// Greenfield capex of a route by region, USD per t/yr.
fn capex_by_region(inputs: &MppAmmoniaInputs, route: &str) -> BTreeMap<&'static str, Series> {
    MODEL_REGIONS
        .iter()
        .filter_map(|(name, _)| {
            inputs.series("Ammonia", name, route, "Greenfield CAPEX").map(|v| (*name, series(v)))
        })
        .collect()
}

/// The engine's levelising factor: 1 / (utilisation x annuity of the investment cycle).
fn levelising_factor() -> f64 {
    let delta = 1.0 / (1.0 + WACC);
    let annuity: f64 = (0..20).map(|k| delta.powi(k)).sum();
    1.0 / (CUF * annuity)
}

fn technology(inputs: &MppAmmoniaInputs, name: &str, id: &str) -> Result<Technology, MappingError> {
    let c = &inputs.characteristics[name];
    let q = |parameter: &str| inputs.quantity("Ammonia", "Europe", name, parameter, 2020);
    let mut use_ = Inputs::default();
    use_[Commodity::NaturalGas] = q("Natural gas");
    use_[Commodity::Coal] = q("Coal");
    use_[Commodity::Biomass] = q("Dry biomass") + q("Wet biomass");
    use_[Commodity::Waste] = q("Municipal solid waste RdF");
    let (grid, ppa, vre) = (q("Electricity - grid"), q("Electricity - PPA"), q("Electricity - on site VREs"));
    use_[Commodity::Electricity] = (grid + ppa + vre) / 3.6;
    let supply = if vre >= ppa && vre >= grid && vre > 0.0 {
        ElectricitySupply::OnsiteVre
    } else if ppa >= grid && ppa > 0.0 {
        ElectricitySupply::Ppa
    } else {
        ElectricitySupply::Grid
    };
    if name.contains("Electrolyser") {
        let share = if name.starts_with("Electrolyser +") { HYBRID_ELECTROLYSIS_SHARE } else { 1.0 };
        use_[Commodity::Hydrogen] = H2_PER_NH3 * share * HYDROGEN_GJ_PER_KG * 1000.0;
    }
    let factors = inputs
        .factors(name)
        .ok_or_else(|| missing(format!("the emissions file has no Ammonia row for {name:?}")))?;
    let direct = factors.after_capture + factors.captured;
    let capex = capex_by_region(inputs, name);
    if capex.is_empty() {
        return Err(missing(format!(
            "inputs_outputs_wide.csv has no Greenfield CAPEX of Ammonia for {name:?}"
        )));
    }
    let by_year: Vec<(i32, UsdPerTonnePerYear)> = (2020..=2050)
        .map(|y| (y, UsdPerTonnePerYear(capex.values().map(|s| s.at(y)).sum::<f64>() / capex.len() as f64)))
        .collect();
    let phase = c.classification.parse::<Phase>().map_err(|e| missing(e.to_string()))?;
    let mut note = String::from(
        "operating cost: MPP variable + fixed opex by region and year (price set technology costs); commodity prices 0",
    );
    if use_[Commodity::Hydrogen] > 0.0 {
        note.push_str(
            "; hydrogen input = electrolytic H2 made on site (for the electrolysis limit), priced 0",
        );
    }
    Ok(Technology {
        id: TechId(id.to_owned()),
        sector: Sector::Ammonia,
        name: name.to_owned(),
        phase,
        inputs: use_,
        direct_co2: TonnesCo2PerTonne(direct),
        capture_rate: if direct > 0.0 { factors.captured / direct } else { 0.0 },
        capex_greenfield: by_year[0].1,
        capex_renewal: UsdPerTonnePerYear(0.0),
        fixed_opex: UsdPerTonne(0.0),
        // The model retires no ammonia asset for age (only assets below the lower CUF while supply
        // exceeds demand: `asset.py` @5e0cead l. 427-442, `decommission.py`; all 317 assets of
        // 2020 are in the run's 2050 stack) and never acts on `technology_lifetime` (30). From age
        // 20 (`INVESTMENT_CYCLES`) an asset may be rebuilt on any route (`asset.py` l. 459-464),
        // judged on the greenfield LCOX of its own route against the destination's
        // (`brownfield.py` l. 215-292). decarb's end of life is that decision: at an investment
        // point past its life a plant compares every route at greenfield capex. So the life is 20.
        lifetime: Years(f64::from(INVESTMENT_CYCLE)),
        reinvestment_cycle: Years(f64::from(INVESTMENT_CYCLE)),
        available_from: c.from,
        switches_to: Vec::new(),
        source: format!(
            "MPP ammonia inputs ({}): technology_characteristics.csv, inputs_outputs_wide.csv, emissions file; Ammonia rows",
            inputs.dir.display()
        ),
        functional_unit: "t NH3-eq".into(),
        capex_greenfield_by_year: by_year,
        available_until: None,
        electricity_supply: supply,
        missing: vec!["capex_renewal".into()],
        note,
        discount_rate: None,
        fixed_opex_by_year: Vec::new(),
        switch_family: Some(switch_family(id).to_owned()),
        switch_regions: Vec::new(),
    })
}

/// The model's brownfield renovations stay on the plant's reformer or gasifier: in the reference
/// run (`plant_stack_transition_chemicals_lc_ng_partial.csv` @5e0cead) 157 of 163 renovations go
/// from gas SMR to SMR + CCS, SMR + CCS on process emissions or Electrolyser + SMR, or from coal
/// gasification to coal + CCS or Electrolyser + coal; every other route (GHR, ESMR, ATR,
/// electrolytic, pyrolysis, biomass) is reached by a rebuild at greenfield capex, and the model
/// removes GHR + CCS from the renovations outright (`implicit_forcing.py` l. 78-84). decarb: the
/// SMR and coal routes are one switch family each (a switch within one is a conversion); every
/// other route is its own (a switch to it buys a new plant).
fn switch_family(id: &str) -> &str {
    match id {
        "ammonia.smr" | "ammonia.smr-ccs" | "ammonia.smr-ccs-process" | "ammonia.electrolyser-smr" => {
            "ammonia.mpp-smr-plant"
        }
        "ammonia.coal-gasification"
        | "ammonia.coal-gasification-ccs"
        | "ammonia.electrolyser-coal-gasification" => "ammonia.mpp-coal-plant",
        other => other,
    }
}

/// The routes, with switches: initial -> transition and end-state, transition -> end-state.
pub fn technologies(inputs: &MppAmmoniaInputs) -> Result<Vec<Technology>, MappingError> {
    let mut out = Vec::new();
    for name in inputs.characteristics.keys() {
        if NOT_FOR_SOLVER.contains(&name.as_str()) {
            continue;
        }
        let id = route_id(name).map_or_else(|| format!("ammonia.mpp-{}", slug(name)), str::to_owned);
        out.push(technology(inputs, name, &id)?);
    }
    let phases: Vec<(TechId, Phase)> = out.iter().map(|t| (t.id.clone(), t.phase)).collect();
    for t in &mut out {
        t.switches_to = phases
            .iter()
            .filter(|(id, phase)| {
                *id != t.id
                    && match t.phase {
                        Phase::Initial => *phase != Phase::Initial,
                        Phase::Transition => *phase == Phase::EndState,
                        Phase::EndState => false,
                    }
            })
            .map(|(id, _)| id.clone())
            .collect();
    }
    Ok(out)
}

fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The 2020 stack as plants of the standard size, and the start rules that give each its route.
fn fleet(inputs: &MppAmmoniaInputs) -> Result<(Fleet, Vec<StartRule>), MappingError> {
    // Capacity per (model region, route id), t NH3-eq per year, in stack order.
    let mut by_region: BTreeMap<&str, Vec<(String, f64)>> = BTreeMap::new();
    let mut plants = Vec::new();
    let slots = FIRST_POINTS.end() - FIRST_POINTS.start() + 1;
    for row in &inputs.stack {
        let id = route_id(&row.technology).ok_or_else(|| {
            missing(format!("initial_asset_stack.csv row {}: route {:?} unknown", row.row, row.technology))
        })?;
        let factor = mpp_ammonia::nh3_per_tonne(&row.product).unwrap_or(0.0);
        let capacity = row.capacity * factor;
        if capacity <= 0.0 {
            continue;
        }
        let country = country_of(&row.region)?;
        let region_name = MODEL_REGIONS.iter().find(|(n, _)| *n == row.region).map_or("?", |(n, _)| *n);
        let routes = by_region.entry(region_name).or_default();
        let rank = if let Some(i) = routes.iter().position(|(r, _)| r == id) {
            routes[i].1 += capacity;
            i
        } else {
            routes.push((id.to_owned(), capacity));
            routes.len() - 1
        };
        // Plants of the standard size, as many as the model makes of the row
        // (`ceil(capacity / size)`, `simulation_pathway.py` @5e0cead l. 433-441: 317 assets, 231.4
        // Mt NH3-eq against the rows' 219.8), ages spread evenly around the average.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let count = (capacity / PLANT_MT).ceil().max(1.0) as usize;
        for i in 0..count {
            let age = (row.average_age * 2.0 * (i as f64 + 0.5) / count as f64).min(29.0);
            #[allow(clippy::cast_possible_truncation)]
            let start = 2020 - age.round() as i32;
            plants.push(Plant {
                id: format!("mpp-nh3.{}.{rank}.{}.{}.{i:03}", slug(region_name), slug(&row.product), id),
                source: "mpp-shared-code ammonia initial_asset_stack.csv".into(),
                name: format!("{} {} {} #{}", row.region, row.product, row.technology, i + 1),
                sector: Sector::Ammonia,
                country: Some(country),
                country_text: row.region.clone(),
                subnational: None,
                coordinates: None,
                status: PlantStatus::Operating,
                route: Route::Ammonia,
                capacity: Reported::Value(TonnesPerYear(PLANT_MT * 1e6)),
                start: Some(PartialDate::year(start)),
                // Plant k of the stack gets its first point in slot k mod 16 (stack order).
                last_investment: Some(PartialDate::year(
                    FIRST_POINTS.start() + i32::try_from(plants.len()).unwrap_or(0) % slots
                        - INVESTMENT_CYCLE,
                )),
                owners: Vec::new(),
                parents: Vec::new(),
                status_slice: false,
                process: None,
                wiki_url: None,
            });
        }
    }
    let mut rules = Vec::new();
    for (name, routes) in &by_region {
        let region = country_of(name)?.region();
        rules.push(StartRule {
            route: Route::Ammonia,
            countries: Vec::new(),
            regions: vec![region],
            mix: routes.iter().map(|(id, c)| (TechId(id.clone()), *c)).collect(),
            source: "MPP ammonia initial_asset_stack.csv: capacity by route in the region".into(),
            processes: Vec::new(),
        });
    }
    Ok((Fleet { plants }, rules))
}

/// The price set: commodity prices 0 (MPP's variable opex prices the energy), and per route and
/// region MPP's variable + fixed opex plus the region's levelised capex difference from the mean.
fn prices(inputs: &MppAmmoniaInputs, techs: &[Technology]) -> Result<PriceSet, MappingError> {
    let mut set = PriceSet {
        name: PRICE_SET.into(),
        source: format!(
            "MPP ammonia inputs_outputs_wide.csv ({}): Variable OPEX + Fixed OPEX of the Ammonia rows by region and year; commodity prices 0 because the variable opex includes energy",
            inputs.dir.display()
        ),
        ..PriceSet::default()
    };
    let zero = Series::constant(0.0);
    for region in Region::ALL {
        for c in Commodity::ALL {
            if c != Commodity::Electricity {
                set.prices.insert((region, c), zero.clone());
            }
        }
        for supply in ElectricitySupply::ALL {
            set.electricity.insert((region, supply), zero.clone());
        }
        set.co2_transport_storage.insert(region, zero.clone());
    }
    let factor = levelising_factor();
    for t in techs {
        let capex = capex_by_region(inputs, &t.name);
        for region in Region::ALL {
            let mut name = model_region(region);
            let mut variable = inputs.series("Ammonia", name, &t.name, "Variable OPEX");
            if variable.is_none() {
                // A route without rows in the region takes Europe's.
                name = "Europe";
                variable = inputs.series("Ammonia", name, &t.name, "Variable OPEX");
            }
            let variable = variable.ok_or_else(|| {
                missing(format!("inputs_outputs_wide.csv has no Variable OPEX of Ammonia for {:?}", t.name))
            })?;
            let fixed = inputs.series("Ammonia", name, &t.name, "Fixed OPEX").ok_or_else(|| {
                missing(format!(
                    "inputs_outputs_wide.csv has no Fixed OPEX of Ammonia for {:?} in {name}",
                    t.name
                ))
            })?;
            let points = (2020..=2050).map(|y| {
                let regional = capex.get(name).map_or(0.0, |s| s.at(y) - t.capex_greenfield_in(y).0);
                (
                    y,
                    variable.get(&y).copied().unwrap_or(0.0)
                        + fixed.get(&y).copied().unwrap_or(0.0)
                        + regional * factor,
                )
            });
            set.technology_costs.insert((region, t.id.clone()), Series::new(points));
        }
    }
    Ok(set)
}

/// The folder's 2020 stack dispatched as the model dispatches it in its first year
/// (`adjust_capacity_utilisation`, mpp-shared-code @5e0cead
/// `mppshared/agent_logic/agent_logic_functions.py` l. 65-188): per product, assets of the standard
/// size (`ceil(capacity / size)`, `simulation_pathway.py` l. 433-441) at the row's average CUF; if
/// production exceeds world demand, the assets with the highest marginal cost drop to the lower
/// CUF (0.5) one by one until it no longer does; if it falls short, those with the lowest rise to
/// the upper CUF (0.95). Marginal cost: the row's 2020 `Variable OPEX` (the folder has no
/// `marginal_cost` table). Returns 2020 production by model region, t NH3-eq. In the reference
/// run this leaves Chinese coal at 34.2 Mt (its `stack_2020.csv`): coal has the highest marginal
/// cost, so the model runs it at 0.5 rather than closing it.
pub fn dispatched_2020(inputs: &MppAmmoniaInputs) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for (product, factor) in mpp_ammonia::PRODUCTS {
        let size = PLANT_MT / factor;
        // (marginal cost, model region, capacity, cuf) per asset, in stack order.
        let mut assets: Vec<(f64, &str, f64)> = Vec::new();
        let mut cufs: Vec<f64> = Vec::new();
        for row in inputs.stack.iter().filter(|r| r.product == product && r.capacity > 0.0) {
            let cost = inputs
                .series(product, &row.region, &row.technology, "Variable OPEX")
                .and_then(|v| v.get(&2020).copied())
                .unwrap_or(0.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let n = (row.capacity / size).ceil() as usize;
            for _ in 0..n {
                assets.push((cost, row.region.as_str(), size));
                cufs.push(row.volume / row.capacity);
            }
        }
        let world: f64 = inputs
            .demand
            .iter()
            .filter(|d| d.product == product && d.scenario == "NZ" && d.region == "Global" && d.year == 2020)
            .map(|d| d.value)
            .next()
            .unwrap_or(0.0);
        let production = |cufs: &[f64]| assets.iter().zip(cufs).map(|(a, c)| a.2 * c).sum::<f64>();
        let mut order: Vec<usize> = (0..assets.len()).collect();
        if production(&cufs) > world {
            // Highest marginal cost first (a stable sort, as the model's `sorted`).
            order.retain(|&i| cufs[i] > MIN_CUF);
            order.sort_by(|&a, &b| assets[b].0.total_cmp(&assets[a].0));
            for i in order {
                if production(&cufs) <= world {
                    break;
                }
                cufs[i] = MIN_CUF;
            }
        } else {
            order.retain(|&i| cufs[i] < CUF);
            order.sort_by(|&a, &b| assets[a].0.total_cmp(&assets[b].0));
            for i in order {
                if production(&cufs) >= world {
                    break;
                }
                cufs[i] = CUF;
            }
        }
        for (a, c) in assets.iter().zip(&cufs) {
            *out.entry(a.1.to_owned()).or_default() += a.2 * c * factor * 1e6;
        }
    }
    out
}

/// World demand (NZ, t NH3-eq) shared by the regions' 2020 production as the model dispatches
/// the 2020 stack ([`dispatched_2020`]).
fn demand(inputs: &MppAmmoniaInputs) -> Result<DemandPath, MappingError> {
    let world = inputs.world_demand_nh3("NZ");
    if world.is_empty() {
        return Err(missing("demand.csv has no Global rows of scenario NZ"));
    }
    let mut volume: BTreeMap<Region, f64> = BTreeMap::new();
    for (name, t) in dispatched_2020(inputs) {
        *volume.entry(country_of(&name)?.region()).or_default() += t;
    }
    let total: f64 = volume.values().sum();
    let mut path = DemandPath {
        name: DEMAND.into(),
        source: "MPP ammonia demand.csv, NZ, Global, in NH3-eq (urea x 0.565724, AN x 0.425534), shared among regions by 2020 production as the model dispatches initial_asset_stack.csv (highest variable opex down to CUF 0.5 first)".into(),
        ..DemandPath::default()
    };
    for region in Region::ALL {
        let share = volume.get(&region).copied().unwrap_or(0.0) / total.max(f64::MIN_POSITIVE);
        path.demand
            .insert((Sector::Ammonia, region), Series::new(world.iter().map(|(&y, &t)| (y, t * share))));
    }
    Ok(path)
}

/// The route whose scope 2 and grid electricity give the grid factor of each region.
const GRID_REFERENCE: &str = "Natural Gas SMR + ammonia synthesis";

/// Grid emission factors, t CO2 per MWh, of each region and year: the model's scope 2 of gas SMR
/// (`co2_scope2` of the emissions file) over its grid electricity (`inputs_outputs_wide.csv`),
/// which is the factor the model applies to every route's grid power (coal gasification gives the
/// same: 0.657 t/MWh in China in 2020).
fn grid_factors(inputs: &MppAmmoniaInputs) -> Result<GridFactors, MappingError> {
    let mut by_region = BTreeMap::new();
    for region in Region::ALL {
        let name = model_region(region);
        let scope2 = inputs.scope2.get(&(GRID_REFERENCE.to_owned(), name.to_owned())).ok_or_else(|| {
            missing(format!("the emissions file has no Ammonia {GRID_REFERENCE:?} rows for {name}"))
        })?;
        let points = scope2.iter().filter_map(|(&y, &t)| {
            let mwh = inputs.quantity("Ammonia", name, GRID_REFERENCE, "Electricity - grid", y) / 3.6;
            (mwh > 0.0).then(|| (y, t / mwh))
        });
        by_region.insert(region, Series::new(points));
    }
    Ok(GridFactors {
        name: "mpp-ammonia-scope2".into(),
        source: "MPP ammonia emissions file co2_scope2 / grid electricity of inputs_outputs_wide.csv, gas SMR, by region and year".into(),
        by_region,
    })
}

/// The world of the MPP ammonia inputs.
pub fn world(inputs: &MppAmmoniaInputs) -> Result<World, MappingError> {
    let technologies = technologies(inputs)?;
    let (fleet, start_rules) = fleet(inputs)?;
    let price_set = prices(inputs, &technologies)?;
    let all = |s: Series| Region::ALL.iter().map(|&r| (r, s.clone())).collect();
    Ok(World {
        fleet,
        price_sets: vec![price_set],
        carbon_paths: vec![
            CarbonPath { name: "zero".into(), source: "no carbon price".into(), by_region: all(Series::constant(0.0)) },
            CarbonPath {
                name: CARBON_PATH.into(),
                source: "MPP ammonia carbon cost 200: 0 until 2025, linear to 200 USD/t CO2 in 2045 (main.py @5e0cead)".into(),
                by_region: all(Series::new([(2025, 0.0), (2045, 200.0)])),
            },
        ],
        demand_paths: vec![demand(inputs)?],
        clinker_ratios: vec![RatioPath {
            name: "current".into(),
            source: "unused: ammonia only".into(),
            ratio: Series::constant(1.0),
        }],
        grid_factors: grid_factors(inputs)?,
        power_paths: Vec::new(),
        limit_sets: Vec::new(),
        start_rules,
        utilisation: [(
            Sector::Ammonia,
            UtilisationBounds {
                min: 0.5,
                max: 0.95,
                source: "MPP config_ammonia.py: CUF_LOWER_THRESHOLD 0.5, CUF_UPPER_THRESHOLD 0.95".into(),
            },
        )]
        .into(),
        technologies,
    })
}

fn by_year(values: impl IntoIterator<Item = (i32, f64)>, unit: &str) -> QuantityPath {
    QuantityPath::ByYear(values.into_iter().map(|(y, v)| (y.to_string(), format!("{v} {unit}"))).collect())
}

/// The world limits of the inputs: CO2 storage (Mt CO2 per year) and electrolytic hydrogen (t H2
/// per year), each the cumulative sum of the yearly additions the model allows.
pub fn limits(inputs: &MppAmmoniaInputs) -> Vec<Limit> {
    let mut cumulative = 0.0;
    let storage: Vec<(i32, f64)> = inputs
        .co2_storage_additions
        .iter()
        .map(|(&y, &v)| {
            cumulative += v;
            (y, cumulative)
        })
        .collect();
    let efficiency = Series::new(ELECTROLYSER_KWH_PER_T);
    let mut gw = 0.0;
    let hydrogen: Vec<(i32, f64)> = inputs
        .electrolysis_additions
        .iter()
        .map(|(&y, &v)| {
            gw += v;
            (y, gw * 1e6 * 8760.0 * ELECTROLYSER_CF / efficiency.at(y))
        })
        .collect();
    vec![
        Limit {
            resource: LimitedResource::Co2Storage,
            region: "world".into(),
            quantity: by_year(storage, "Mt CO2"),
        },
        Limit {
            resource: LimitedResource::Hydrogen,
            region: "world".into(),
            quantity: by_year(hydrogen, "t"),
        },
    ]
}

/// Loads an MPP ammonia example (or any scenario text on this world) and adds the input folder's
/// limits.
pub fn scenario(
    text: &str,
    origin: &str,
    inputs: &MppAmmoniaInputs,
    world: &World,
) -> Result<Scenario, ScenarioError> {
    let mut scenario = load(text, origin, world)?;
    scenario.limits.extend(limits(inputs));
    Ok(scenario)
}
