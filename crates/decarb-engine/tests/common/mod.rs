//! A small fixture world for property tests: three steel technologies (a cheap emitting route,
//! a cleaner transition route, an expensive near-zero route), a scrap EAF, prices and demand.

#![allow(dead_code)]

pub mod bundled;

use decarb_engine::Scenario;
use decarb_engine::inputs::*;
use decarb_engine::settings::UtilisationBounds;
use decarb_model::units::*;
use decarb_model::*;

#[allow(clippy::too_many_arguments)] // one row of the fixture table per call
pub fn tech(
    id: &str,
    phase: Phase,
    co2: f64,
    capture: f64,
    capex: f64,
    renewal: f64,
    opex: f64,
    switches: &[&str],
) -> Technology {
    let mut inputs = Inputs::default();
    inputs[Commodity::Coal] = 10.0 * co2;
    inputs[Commodity::Electricity] = 0.5;
    if id.ends_with("h2") {
        inputs[Commodity::Hydrogen] = 8.8;
    }
    if id.ends_with("eaf") {
        inputs[Commodity::Scrap] = 1.1;
    }
    Technology {
        id: TechId(id.to_owned()),
        sector: Sector::Steel,
        name: id.to_owned(),
        phase,
        inputs,
        direct_co2: TonnesCo2PerTonne(co2),
        capture_rate: capture,
        capex_greenfield: UsdPerTonnePerYear(capex),
        capex_renewal: UsdPerTonnePerYear(renewal),
        fixed_opex: UsdPerTonne(opex),
        lifetime: Years(40.0),
        reinvestment_cycle: Years(20.0),
        available_from: 2020,
        switches_to: switches.iter().map(|s| TechId((*s).to_owned())).collect(),
        source: "test fixture".to_owned(),
        functional_unit: "t crude steel".to_owned(),
        capex_greenfield_by_year: Vec::new(),
        available_until: None,
        electricity_supply: ElectricitySupply::Grid,
        missing: Vec::new(),
        note: String::new(),
        discount_rate: None,
        fixed_opex_by_year: Vec::new(),
        switch_family: None,
        switch_regions: Vec::new(),
    }
}

pub fn technologies() -> Vec<Technology> {
    vec![
        tech(
            "steel.bf",
            Phase::Initial,
            2.2,
            0.0,
            900.0,
            190.0,
            120.0,
            &["steel.bf-ccs", "steel.dri-h2", "steel.eaf"],
        ),
        tech("steel.bf-ccs", Phase::EndState, 2.0, 0.9, 1200.0, 320.0, 180.0, &["steel.dri-h2", "steel.eaf"]),
        tech("steel.dri-h2", Phase::EndState, 0.05, 0.0, 700.0, 190.0, 115.0, &[]),
        tech("steel.eaf", Phase::EndState, 0.15, 0.0, 240.0, 125.0, 63.0, &["steel.dri-h2"]),
    ]
}

#[derive(Debug, Clone)]
pub struct PlantSpec {
    pub country: &'static str,
    pub route: Route,
    pub capacity_mt: f64,
    pub start: i32,
}

pub fn plant(i: usize, spec: &PlantSpec) -> Plant {
    Plant {
        id: format!("P{i:03}"),
        source: "test".to_owned(),
        name: format!("plant {i}"),
        sector: Sector::Steel,
        country: CountryCode::resolve(spec.country),
        country_text: spec.country.to_owned(),
        subnational: None,
        coordinates: None,
        status: PlantStatus::Operating,
        route: spec.route,
        capacity: Reported::Value(TonnesPerYear::from_mt(spec.capacity_mt)),
        start: Some(PartialDate::year(spec.start)),
        last_investment: None,
        owners: Vec::new(),
        parents: Vec::new(),
        status_slice: false,
        process: None,
        wiki_url: None,
    }
}

/// A world of the given plants; demand per region = base capacity x 0.8 x (1 + growth)^(y - 2020);
/// coal, electricity, scrap and hydrogen prices; carbon path "ramp" from 0 (2020) to 200 (2050).
pub fn world(plants: &[PlantSpec], growth: f64, coal: f64, hydrogen: f64) -> World {
    world_with_cycle(plants, growth, coal, hydrogen, 20.0)
}

/// As [`world`], with another reinvestment cycle (lifetime twice the cycle).
pub fn world_with_cycle(plants: &[PlantSpec], growth: f64, coal: f64, hydrogen: f64, cycle: f64) -> World {
    let mut technologies = technologies();
    for t in &mut technologies {
        t.reinvestment_cycle = Years(cycle);
        t.lifetime = Years(2.0 * cycle);
    }
    let fleet = Fleet { plants: plants.iter().enumerate().map(|(i, s)| plant(i, s)).collect() };
    let mut capacity = std::collections::BTreeMap::new();
    for p in &fleet.plants {
        let region = p.country.map_or(Region::RestOfWorld, CountryCode::region);
        *capacity.entry(region).or_insert(0.0) += p.capacity.value().map_or(0.0, |c| c.0);
    }
    let mut demand = DemandPath { name: "d".into(), source: "fixture".into(), ..Default::default() };
    for region in Region::ALL {
        let base = capacity.get(&region).copied().unwrap_or(0.0) * 0.8;
        let points = (2020..=2050).map(|y| (y, base * (1.0 + growth).powi(y - 2020)));
        demand.demand.insert((Sector::Steel, region), Series::new(points));
    }
    let mut prices = PriceSet { name: "p".into(), source: "fixture".into(), ..Default::default() };
    for region in Region::ALL {
        prices.prices.insert((region, Commodity::Coal), Series::constant(coal));
        prices.prices.insert((region, Commodity::Hydrogen), Series::constant(hydrogen));
        prices.prices.insert((region, Commodity::Scrap), Series::constant(300.0));
        prices.electricity.insert((region, ElectricitySupply::Grid), Series::constant(80.0));
        prices.co2_transport_storage.insert(region, Series::constant(20.0));
    }
    let path = |name: &str, series: Series| CarbonPath {
        name: name.into(),
        source: "fixture".into(),
        by_region: Region::ALL.iter().map(|&r| (r, series.clone())).collect(),
    };
    World {
        technologies,
        fleet,
        price_sets: vec![prices],
        carbon_paths: vec![
            path("zero", Series::constant(0.0)),
            path("ramp", Series::new([(2020, 0.0), (2050, 200.0)])),
        ],
        demand_paths: vec![demand],
        clinker_ratios: vec![RatioPath {
            name: "current".into(),
            ratio: Series::constant(0.72),
            ..Default::default()
        }],
        power_paths: Vec::new(),
        limit_sets: Vec::new(),
        grid_factors: GridFactors {
            name: "fixture".into(),
            source: "fixture".into(),
            by_region: Region::ALL.iter().map(|&r| (r, Series::constant(0.5))).collect(),
        },
        start_rules: vec![
            StartRule {
                route: Route::BfBof,
                countries: vec![],
                regions: vec![],
                mix: vec![(TechId("steel.bf".into()), 1.0)],
                source: "fixture".into(),
                processes: vec![],
            },
            StartRule {
                route: Route::Eaf,
                countries: vec![],
                regions: vec![],
                mix: vec![(TechId("steel.eaf".into()), 1.0)],
                source: "fixture".into(),
                processes: vec![],
            },
        ],
        utilisation: [(Sector::Steel, UtilisationBounds { min: 0.6, max: 0.95, source: "fixture".into() })]
            .into(),
    }
}

pub fn scenario(carbon: &str, scale: f64) -> Scenario {
    let mut s = Scenario {
        name: "fixture".into(),
        price_set: "p".into(),
        demand: "d".into(),
        sectors: vec![Sector::Steel],
        ..Scenario::minimal()
    };
    s.carbon_price.path = carbon.into();
    s.carbon_price.scale = scale;
    s
}
