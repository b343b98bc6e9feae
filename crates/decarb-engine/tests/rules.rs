//! Decision rules, moratorium, resource limits and end of life on the fixture world.

mod common;

use common::{PlantSpec, scenario, world};
use decarb_engine::outcome::Reason;
use decarb_engine::scenario::{DecisionRule, Limit, LimitedResource, QuantityPath};
use decarb_model::{Route, TechId};

fn fleet() -> Vec<PlantSpec> {
    ["DEU", "FRA", "CHN", "IND", "USA", "BRA"]
        .iter()
        .enumerate()
        .map(|(i, country)| PlantSpec {
            country,
            route: Route::BfBof,
            capacity_mt: 2.0 + f64::from(u8::try_from(i).unwrap()),
            start: 1995 + 3 * i32::try_from(i).unwrap(),
        })
        .collect()
}

fn direct(id: &TechId) -> f64 {
    let tech = common::technologies().into_iter().find(|t| &t.id == id).unwrap();
    tech.net_direct_co2().0
}

#[test]
fn fastest_abatement_takes_the_lowest_emission_option() {
    let world = world(&fleet(), 0.0, 4.0, 20.0);
    let mut s = scenario("zero", 1.0);
    s.decision_rule = DecisionRule::FastestAbatement;
    let outcome = decarb_engine::run(&world, &s, 3).unwrap();
    let decided: Vec<_> = outcome.decisions.iter().filter(|d| d.reason == Reason::Switch).collect();
    assert!(!decided.is_empty());
    for d in decided {
        let to = direct(d.to.as_ref().unwrap());
        for (option, _) in &d.options {
            assert!(to <= direct(option) + 1e-12, "{d:?}");
        }
        assert_eq!(d.to.as_ref().unwrap().as_str(), "steel.dri-h2", "{d:?}");
    }
}

#[test]
fn a_weighted_rule_with_all_weight_on_cost_decides_like_lowest_cost() {
    let world = world(&fleet(), 0.01, 4.0, 20.0);
    let lowest = decarb_engine::run(&world, &scenario("ramp", 1.0), 5).unwrap();
    let mut s = scenario("ramp", 1.0);
    s.decision_rule = DecisionRule::Weighted;
    s.cost_weight = Some(1.0);
    let weighted = decarb_engine::run(&world, &s, 5).unwrap();
    assert_eq!(lowest.decisions, weighted.decisions);
    assert_eq!(lowest.summary, weighted.summary);
}

#[test]
fn from_the_moratorium_year_no_initial_technology_is_chosen() {
    let world = world(&fleet(), 0.02, 4.0, 20.0);
    let mut s = scenario("zero", 1.0);
    s.moratorium_year = Some(2030);
    let outcome = decarb_engine::run(&world, &s, 1).unwrap();
    let late: Vec<_> = outcome.decisions.iter().filter(|d| d.year >= 2030 && d.to.is_some()).collect();
    assert!(!late.is_empty());
    for d in late {
        assert_ne!(d.to.as_ref().unwrap().as_str(), "steel.bf", "{d:?}");
    }
    // Without the moratorium and with no carbon price, the same plants reline their BF.
    let free = decarb_engine::run(&world, &scenario("zero", 1.0), 1).unwrap();
    assert!(
        free.decisions
            .iter()
            .any(|d| d.year >= 2030 && d.to.as_ref().is_some_and(|t| t.as_str() == "steel.bf"))
    );
}

#[test]
fn a_binding_hydrogen_limit_sends_plants_to_their_next_best_option_and_is_reported() {
    let world = world(&fleet(), 0.0, 4.0, 8.0);
    let unlimited = decarb_engine::run(&world, &scenario("ramp", 2.0), 9).unwrap();
    let h2_users = unlimited
        .decisions
        .iter()
        .filter(|d| d.to.as_ref().is_some_and(|t| t.as_str() == "steel.dri-h2"))
        .count();
    assert!(h2_users > 0, "the fixture should make hydrogen DRI attractive");
    let mut s = scenario("ramp", 2.0);
    s.limits.push(Limit {
        resource: LimitedResource::Hydrogen,
        region: "world".into(),
        quantity: QuantityPath::Constant("0 t".into()),
    });
    let limited = decarb_engine::run(&world, &s, 9).unwrap();
    assert!(limited.decisions.iter().all(|d| d.to.as_ref().is_none_or(|t| t.as_str() != "steel.dri-h2")));
    let refused: u32 = limited.limits.iter().map(|r| r.refused_options).sum();
    assert!(refused > 0);
    let limited_decision = limited.decisions.iter().find(|d| !d.limited_by.is_empty()).unwrap();
    assert_eq!(limited_decision.limited_by, ["hydrogen@world"]);
    // The option taken is the best one that fits: the first-ranked option is hydrogen DRI.
    assert_eq!(limited_decision.options[0].0.as_str(), "steel.dri-h2");
    assert!(
        limited
            .resources
            .iter()
            .filter(|r| r.resource == decarb_engine::outcome::Resource::HydrogenMass)
            .all(|r| r.quantity == 0.0)
    );
}

#[test]
fn plants_past_their_life_retire_when_not_needed_and_are_rebuilt_when_needed() {
    // Two old plants in Germany; demand falls to what one of them can make.
    let specs = [
        PlantSpec { country: "DEU", route: Route::BfBof, capacity_mt: 4.0, start: 1960 },
        PlantSpec { country: "DEU", route: Route::BfBof, capacity_mt: 4.0, start: 1961 },
    ];
    let world = world(&specs, -0.03, 4.0, 20.0);
    let outcome = decarb_engine::run(&world, &scenario("zero", 1.0), 2).unwrap();
    let reasons: Vec<Reason> = outcome.decisions.iter().map(|d| d.reason).collect();
    assert!(
        reasons.contains(&Reason::RetireEndOfLife) || reasons.contains(&Reason::CloseDemand),
        "{reasons:?}"
    );
    // With growing demand the old plants are rebuilt (greenfield capex, any technology).
    let world = world_growing(&specs);
    let outcome = decarb_engine::run(&world, &scenario("zero", 1.0), 2).unwrap();
    assert!(outcome.decisions.iter().any(|d| d.reason == Reason::Rebuild), "{:?}", outcome.decisions);
    let rebuild_capex: f64 = outcome.summary.iter().filter(|r| r.region.is_none()).map(|r| r.capex.0).sum();
    assert!(rebuild_capex > 4.0e6 * 200.0);
}

fn world_growing(specs: &[PlantSpec]) -> decarb_engine::World {
    world(specs, 0.02, 4.0, 20.0)
}

#[test]
fn plants_under_construction_start_producing_in_their_start_year() {
    let mut specs = fleet();
    specs.push(PlantSpec { country: "DEU", route: Route::Eaf, capacity_mt: 3.0, start: 2025 });
    let mut world = world(&specs, 0.03, 4.0, 20.0);
    let last = world.fleet.plants.len() - 1;
    world.fleet.plants[last].status = decarb_model::PlantStatus::Construction;
    let outcome = decarb_engine::run(&world, &scenario("zero", 1.0), 4).unwrap();
    let commissioned: Vec<_> =
        outcome.decisions.iter().filter(|d| d.reason == Reason::Commissioned).collect();
    assert_eq!(commissioned.len(), 1);
    assert_eq!((commissioned[0].year, commissioned[0].plant.as_str()), (2025, "P006"));
    assert_eq!(commissioned[0].to.as_ref().unwrap().as_str(), "steel.eaf");
    let eaf = |year: i32| {
        outcome
            .technology_mix
            .iter()
            .filter(|m| {
                m.year == year
                    && m.region == Some(decarb_model::Region::Europe)
                    && m.technology.as_str() == "steel.eaf"
            })
            .map(|m| m.capacity.to_mt())
            .sum::<f64>()
    };
    assert!(eaf(2024) < 1e-9, "not producing before its start year");
    assert!((eaf(2025) - 3.0).abs() < 1e-9);
}

#[test]
fn a_price_set_technology_cost_is_added_to_the_route_operating_cost_in_its_region() {
    use decarb_engine::inputs::Series;
    use decarb_model::Region;
    let world = world(&fleet(), 0.0, 4.0, 20.0);
    let base = decarb_engine::run(&world, &scenario("zero", 1.0), 3).unwrap();
    let mut costly = world.clone();
    costly.price_sets[0]
        .technology_costs
        .insert((Region::Europe, TechId("steel.bf".into())), Series::new([(2020, 1000.0), (2050, 1000.0)]));
    let outcome = decarb_engine::run(&costly, &scenario("zero", 1.0), 3).unwrap();
    let cost_of = |o: &decarb_engine::Outcome, region: Region| {
        o.decisions
            .iter()
            .filter(|d| d.region == region)
            .flat_map(|d| d.options.iter().filter(|(id, _)| id.as_str() == "steel.bf").map(|(_, c)| *c))
            .next()
    };
    let (before, after) =
        (cost_of(&base, Region::Europe).unwrap(), cost_of(&outcome, Region::Europe).unwrap());
    assert!(after - before > 900.0, "{before} -> {after}");
    // Other regions are untouched.
    assert_eq!(cost_of(&base, Region::China), cost_of(&outcome, Region::China));
}
