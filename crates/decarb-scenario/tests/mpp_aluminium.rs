//! The MPP aluminium inputs as a decarb world and the least-cost scenario, on the shared copy of
//! the published input folder (`mpp-shared-code/aluminium-inputs-lc-def`).

use decarb_data::mpp_aluminium::{MppAluminiumInputs, read_inputs};
use decarb_data::shared;
use decarb_engine::outcome::Outcome;
use decarb_model::Sector;
use decarb_scenario::mpp_aluminium;
use std::sync::OnceLock;

fn inputs() -> Option<&'static MppAluminiumInputs> {
    static INPUTS: OnceLock<Option<MppAluminiumInputs>> = OnceLock::new();
    INPUTS
        .get_or_init(|| {
            shared::dataset("mpp-shared-code")
                .map(|d| read_inputs(&d.join("aluminium-inputs-lc-def")).unwrap())
        })
        .as_ref()
}

fn run(seed: u64) -> Option<Outcome> {
    let inputs = inputs()?;
    let world = mpp_aluminium::world(inputs).unwrap();
    let name = "mpp-aluminium-lc";
    let scenario = mpp_aluminium::scenario(mpp_aluminium::example(name).unwrap(), name, &world).unwrap();
    Some(decarb_engine::run(&world, &scenario, seed).unwrap())
}

fn world_row(outcome: &Outcome, year: i32) -> &decarb_engine::outcome::SummaryRow {
    outcome
        .summary
        .iter()
        .find(|r| r.year == year && r.region.is_none() && r.sector == Sector::Aluminium)
        .unwrap()
}

#[test]
fn the_world_starts_from_the_stack_plant_by_plant() {
    let Some(inputs) = inputs() else { return };
    let world = mpp_aluminium::world(inputs).unwrap();
    // 181 smelters, 1 with no capacity; 77.46 Mt.
    assert_eq!(world.fleet.plants.len(), inputs.assets.iter().filter(|a| a.capacity_mt > 0.0).count());
    let capacity: f64 = world
        .fleet
        .plants
        .iter()
        .filter_map(|p| p.capacity.value())
        .map(decarb_model::units::TonnesPerYear::to_mt)
        .sum();
    assert!((capacity - 77.4572).abs() < 1e-6, "{capacity}");
    assert_eq!(world.technologies.len(), 24);
    let coal = world.technology("aluminium.mpp-smelter-carbon-anode-coal").unwrap();
    assert_eq!(coal.name, "Carbon Anode + Coal");
    assert!(coal.direct_co2.0 > 16.5 && coal.direct_co2.0 < 16.8, "{}", coal.direct_co2.0);
    let demand = world.demand_path(mpp_aluminium::DEMAND).unwrap();
    let total = |year: i32| demand.demand.values().map(|s| s.at(year)).sum::<f64>() / 1e6;
    // demand.csv Global: 65.29 Mt in 2020, 102.31 Mt in 2050; the regional rows add up to it.
    assert!((total(2020) - 65.287_62).abs() < 1e-3, "{}", total(2020));
    assert!((total(2050) - 102.313_32).abs() < 1e-3, "{}", total(2050));
}

/// 2020 of a run: production is `demand.csv`'s, and scope 1 is what `emissions.csv` gives for
/// the stack's routes and regions at the engine's regional utilisation.
#[test]
fn the_2020_run_matches_the_files() {
    let Some(inputs) = inputs() else { return };
    let Some(outcome) = run(42) else { return };
    let world = mpp_aluminium::world(inputs).unwrap();
    for year in [2020, 2025, 2030, 2035, 2040, 2045, 2050] {
        let r = world_row(&outcome, year);
        eprintln!(
            "{year}: production {:.2} Mt, capacity {:.2} Mt, scope 1 {:.1} Mt",
            r.production.to_mt(),
            r.capacity.to_mt(),
            r.direct_emissions.to_mt()
        );
    }
    // 2020 production is demand.csv's 65.29 Mt less what Africa and Oceania (Australia and New
    // Zealand) cannot make: their demand rows exceed 95 % of their smelter capacity and the engine
    // builds from 2021. Every region makes its demand up to 95 % of its capacity.
    let demand = world.demand_path(mpp_aluminium::DEMAND).unwrap();
    for row in outcome.summary.iter().filter(|r| r.year == 2020 && r.sector == Sector::Aluminium) {
        let Some(region) = row.region else { continue };
        let wanted = demand.demand[&(Sector::Aluminium, region)].at(2020) / 1e6;
        let possible = wanted.min(0.95 * row.capacity.to_mt());
        assert!(
            (row.production.to_mt() - possible).abs() < 1e-6,
            "{region}: {} vs {possible}",
            row.production.to_mt()
        );
    }
    let r = world_row(&outcome, 2020);
    assert!((r.production.to_mt() / 65.287_62 - 1.0).abs() < 0.01, "{}", r.production.to_mt());
    // Expected scope 1 from the files: per decarb region, the stack's capacity-weighted 2020
    // factors (emissions.csv, each smelter's route and model region) times the region's 2020
    // production of the run.
    let mut expected = 0.0;
    for row in outcome.summary.iter().filter(|r| r.year == 2020 && r.sector == Sector::Aluminium) {
        let Some(region) = row.region else { continue };
        let (mut cap, mut co2) = (0.0, 0.0);
        for plant in world.fleet.plants.iter().filter(|p| p.country.is_some_and(|c| c.region() == region)) {
            let asset = &inputs.assets[plant.id.rsplit('.').next().unwrap().parse::<usize>().unwrap() - 2];
            let factor = inputs.emission(&asset.technology, &asset.region, 2020).unwrap().scope1;
            cap += asset.capacity_mt;
            co2 += asset.capacity_mt * factor;
        }
        if cap > 0.0 {
            expected += row.production.to_mt() * co2 / cap;
        }
    }
    let scope1 = r.direct_emissions.to_mt();
    eprintln!("2020 scope 1: run {scope1:.1} Mt, from the files {expected:.1} Mt");
    assert!((scope1 / expected - 1.0).abs() < 0.03, "{scope1} vs {expected}");
}

/// The start rules give every smelter its own route: the 2020 capacity by region and route is the
/// file's (capacity is counted at the end of 2020, and nothing opens or closes in the base year).
#[test]
fn every_smelter_starts_on_its_route() {
    let Some(inputs) = inputs() else { return };
    let Some(outcome) = run(42) else { return };
    let world = mpp_aluminium::world(inputs).unwrap();
    let mut expected: std::collections::BTreeMap<(String, String), f64> = std::collections::BTreeMap::new();
    for plant in &world.fleet.plants {
        let asset = &inputs.assets[plant.id.rsplit('.').next().unwrap().parse::<usize>().unwrap() - 2];
        let region = plant.country.unwrap().region().to_string();
        *expected.entry((region, mpp_aluminium::technology_id(&asset.technology))).or_default() +=
            asset.capacity_mt;
    }
    let mut got: std::collections::BTreeMap<(String, String), f64> = std::collections::BTreeMap::new();
    for m in outcome.technology_mix.iter().filter(|m| m.year == 2020 && m.capacity.0 > 0.0) {
        if let Some(region) = m.region {
            got.insert((region.to_string(), m.technology.to_string()), m.capacity.to_mt());
        }
    }
    assert_eq!(got.len(), expected.len(), "{got:?}\n{expected:?}");
    for (key, value) in &expected {
        assert!((got[key] - value).abs() < 1e-9, "{key:?}: {} vs {value}", got[key]);
    }
}

#[test]
fn the_refineries_folder_reads_but_is_not_a_smelter_world() {
    let Some(dataset) = shared::dataset("mpp-shared-code") else { return };
    let refineries = read_inputs(&dataset.join("aluminium/refineries")).unwrap();
    let err = mpp_aluminium::world(&refineries).unwrap_err().to_string();
    assert!(err.contains("initial_asset_stack.csv row 2") && err.contains("Alumina"), "{err}");
}

#[test]
fn the_same_seed_gives_the_same_pathway() {
    let (Some(a), Some(b)) = (run(42), run(42)) else { return };
    assert_eq!(format!("{:?}", a.summary), format!("{:?}", b.summary));
    assert_eq!(format!("{:?}", a.decisions), format!("{:?}", b.decisions));
}

/// MPP's hydro rule (`apply_hydro_constraint`, mpp-shared-code @ 78accd0): a hydro smelter stays
/// on hydro and no other smelter switches onto hydro.
#[test]
fn no_switch_crosses_the_hydro_boundary() {
    use decarb_model::Phase;
    assert!(mpp_aluminium::may_switch(Phase::Transition, "Hydro", Phase::EndState, "Hydro"));
    assert!(!mpp_aluminium::may_switch(Phase::Transition, "Hydro", Phase::EndState, "Grid"));
    assert!(!mpp_aluminium::may_switch(Phase::Initial, "Coal", Phase::Transition, "Hydro"));
    assert!(mpp_aluminium::may_switch(Phase::Initial, "Coal", Phase::Transition, "Grid"));
    let Some(inputs) = inputs() else { return };
    let world = mpp_aluminium::world(inputs).unwrap();
    let hydro = |id: &decarb_model::TechId| {
        world.technologies.iter().find(|t| &t.id == id).unwrap().name.ends_with("+ Hydro")
    };
    let mut switches = 0;
    for tech in &world.technologies {
        for to in &tech.switches_to {
            assert_eq!(hydro(&tech.id), hydro(to), "{} -> {}", tech.id, to);
            switches += 1;
        }
    }
    assert!(switches > 0);
}

/// No end of life (MPP retires a smelter only when it runs below 60 %), and each route's discount
/// rate is its 2020 WACC weighted over the model regions by the route's 2020 production.
#[test]
fn routes_have_no_end_of_life_and_their_own_wacc() {
    let Some(inputs) = inputs() else { return };
    let world = mpp_aluminium::world(inputs).unwrap();
    for tech in &world.technologies {
        assert!(tech.lifetime.0.abs() < 1e-12, "{}: lifetime {}", tech.id, tech.lifetime.0);
        let rate = tech.discount_rate.unwrap_or_else(|| panic!("{} has no rate", tech.id));
        let rows: Vec<f64> = inputs
            .characteristics
            .iter()
            .filter(|c| c.technology == tech.name && c.year == 2020)
            .map(|c| c.wacc)
            .collect();
        let (lo, hi) = rows.iter().fold((f64::MAX, f64::MIN), |(a, b), &w| (a.min(w), b.max(w)));
        assert!(rate >= lo - 1e-12 && rate <= hi + 1e-12, "{}: {rate} outside {lo}..{hi}", tech.id);
    }
    // Carbon anode + coal by hand: the stack's 2020 production by model region times its WACC.
    let route = "Carbon Anode + Coal";
    let (mut sum, mut weight) = (0.0, 0.0);
    for a in inputs.assets.iter().filter(|a| a.technology == route) {
        let w = a.production_2020();
        sum += w * inputs.characteristic(route, &a.region, 2020).unwrap().wacc;
        weight += w;
    }
    let coal = world.technologies.iter().find(|t| t.name == route).unwrap();
    assert!((coal.discount_rate.unwrap() - sum / weight).abs() < 1e-12);
}

/// In the run no smelter is rebuilt or retired for its age.
#[test]
fn no_smelter_reaches_an_end_of_life() {
    use decarb_engine::outcome::Reason;
    let Some(outcome) = run(42) else { return };
    let aged: Vec<_> = outcome
        .decisions
        .iter()
        .filter(|d| matches!(d.reason, Reason::Rebuild | Reason::RetireEndOfLife))
        .map(|d| (d.plant.clone(), d.year))
        .collect();
    assert!(aged.is_empty(), "{aged:?}");
}
