//! Regression tests for the economics defects an expert review found (issue 12): each would have
//! caught its defect. The fixture world is `common`'s; the routes are named into families with
//! the prefixes of `decarb_engine::start::ROUTE_FAMILIES`.

mod common;

use common::{PlantSpec, scenario, tech, world_with_cycle};
use decarb_engine::outcome::Reason;
use decarb_engine::scenario::DecisionRule;
use decarb_model::units::Years;
use decarb_model::{Phase, Region, Route, Sector, TechId};

fn one_plant(start: i32) -> Vec<PlantSpec> {
    vec![PlantSpec { country: "DEU", route: Route::BfBof, capacity_mt: 3.0, start }]
}

/// A host route (life 40 y) and a capture retrofit of the same family (`steel.bf-bof`) whose own
/// equipment lives 10 y, as the cement capture routes did: the retrofit must keep the host's life.
#[test]
fn a_retrofit_keeps_its_hosts_life() {
    let mut world = world_with_cycle(&one_plant(2015), 0.0, 4.0, 20.0, 10.0);
    let mut host =
        tech("steel.bf-bof-host", Phase::Initial, 2.2, 0.0, 900.0, 50.0, 120.0, &["steel.bf-bof-capture"]);
    host.lifetime = Years(40.0);
    host.reinvestment_cycle = Years(10.0);
    // Cheaper to run under any carbon price and cheap to retrofit: chosen at the first point.
    let mut capture = tech("steel.bf-bof-capture", Phase::EndState, 2.2, 0.9, 950.0, 50.0, 120.0, &[]);
    capture.lifetime = Years(10.0);
    capture.reinvestment_cycle = Years(10.0);
    world.technologies = vec![host, capture];
    world.start_rules.truncate(1);
    world.start_rules[0].mix = vec![(TechId("steel.bf-bof-host".into()), 1.0)];
    let mut s = scenario("ramp", 1.0);
    s.carbon_price.scale = 5.0;
    let outcome = decarb_engine::run(&world, &s, 1).unwrap();
    let of_plant: Vec<_> = outcome.decisions.iter().filter(|d| d.plant == "P000").collect();
    let first = of_plant.iter().find(|d| d.year == 2025).expect("an investment point in 2025");
    assert_eq!(first.reason, Reason::Switch, "{first:?}");
    assert_eq!(first.to.as_ref().unwrap().as_str(), "steel.bf-bof-capture");
    // Ten years on the retrofit is 20 years of the host's 40: a renewal, not a rebuild or a
    // retirement.
    let second = of_plant.iter().find(|d| d.year == 2035).expect("an investment point in 2035");
    assert_eq!(second.reason, Reason::Renewal, "{of_plant:#?}");
    assert!(
        !of_plant
            .iter()
            .any(|d| d.year < 2055 && matches!(d.reason, Reason::Rebuild | Reason::RetireEndOfLife))
    );
}

/// The cost of an option at the same decision, in two runs.
fn option_cost(outcome: &decarb_engine::Outcome, plant: &str, year: i32, tech: &str) -> f64 {
    let decision = outcome.decisions.iter().find(|d| d.plant == plant && d.year == year).expect("a decision");
    decision.options.iter().find(|(id, _)| id.as_str() == tech).map(|(_, c)| *c).expect("the option")
}

/// An electricity-based route's cost moves with the price of its electricity supply (the VRE
/// electricity of electrolytic ammonia had been left out of its cost).
#[test]
fn an_electrolytic_routes_cost_rises_with_its_electricity_price() {
    let plants = one_plant(2010);
    let base = world_with_cycle(&plants, 0.0, 4.0, 20.0, 20.0);
    let mut dearer = base.clone();
    for series in dearer.price_sets[0].electricity.values_mut() {
        *series = series.scaled(2.0);
    }
    let s = scenario("zero", 1.0);
    let cheap = decarb_engine::run(&base, &s, 1).unwrap();
    let dear = decarb_engine::run(&dearer, &s, 1).unwrap();
    // Each fixture route uses 0.5 MWh/t of grid power at 80 USD/MWh: doubling the price adds
    // 40 USD/t to every year's cost, so 40 to the levelised cost.
    for id in ["steel.bf", "steel.dri-h2"] {
        let (a, b) = (option_cost(&cheap, "P000", 2030, id), option_cost(&dear, "P000", 2030, id));
        assert!((b - a - 40.0).abs() < 1e-6, "{id}: {a} -> {b}");
    }
}

/// Each technology is discounted at the rate its table states; the scenario may override all.
#[test]
fn a_technologys_own_discount_rate_is_used_unless_the_scenario_overrides_it() {
    let plants = one_plant(2010);
    let plain = world_with_cycle(&plants, 0.0, 4.0, 20.0, 20.0);
    let mut stated = plain.clone();
    for t in &mut stated.technologies {
        t.discount_rate = Some(0.12);
    }
    let mut s = scenario("zero", 1.0);
    let at_fallback = decarb_engine::run(&plain, &s, 1).unwrap();
    let at_table = decarb_engine::run(&stated, &s, 1).unwrap();
    let (a, b) = (
        option_cost(&at_fallback, "P000", 2030, "steel.dri-h2"),
        option_cost(&at_table, "P000", 2030, "steel.dri-h2"),
    );
    assert!(b > a + 1.0, "a 12 % rate must make a capital-heavy switch dearer: {a} vs {b}");
    s.discount_rate = Some(0.07);
    let overridden = decarb_engine::run(&stated, &s, 1).unwrap();
    let c = option_cost(&overridden, "P000", 2030, "steel.dri-h2");
    assert!((c - a).abs() < 1e-9, "the scenario's 7 % overrides every table: {a} vs {c}");
}

/// A new asset's capex is spread over its life, not over the reinvestment cycle: doubling the
/// life of a route lowers the levelised cost of building it.
#[test]
fn capex_of_a_new_asset_is_annualised_over_its_life() {
    let plants = one_plant(2010);
    let short = world_with_cycle(&plants, 0.0, 4.0, 20.0, 20.0);
    let mut long = short.clone();
    for t in &mut long.technologies {
        t.lifetime = Years(80.0);
    }
    let s = scenario("zero", 1.0);
    let (short_run, long_run) =
        (decarb_engine::run(&short, &s, 1).unwrap(), decarb_engine::run(&long, &s, 1).unwrap());
    let build_short = option_cost(&short_run, "P000", 2030, "steel.dri-h2");
    let build_long = option_cost(&long_run, "P000", 2030, "steel.dri-h2");
    assert!(build_long < build_short - 1.0, "40 y vs 80 y life: {build_short} vs {build_long}");
    // Staying (renewal capex) buys one cycle: its cost does not depend on the life.
    let stay_short = option_cost(&short_run, "P000", 2030, "steel.bf");
    let stay_long = option_cost(&long_run, "P000", 2030, "steel.bf");
    assert!((stay_short - stay_long).abs() < 1e-9, "{stay_short} vs {stay_long}");
}

/// A route that removes more CO2 than it emits (BECCUS: capture above 1) reports negative direct
/// emissions and ranks below a zero-emission route under fastest abatement.
#[test]
fn negative_emissions_are_neither_floored_nor_ranked_as_zero() {
    let plants = one_plant(2010);
    let mut world = world_with_cycle(&plants, 0.0, 4.0, 20.0, 20.0);
    let beccus = tech("steel.bf-beccus", Phase::EndState, 1.0, 1.5, 1300.0, 340.0, 200.0, &[]);
    world.technologies[0].switches_to.push(TechId("steel.bf-beccus".into()));
    world.technologies.push(beccus);
    let mut s = scenario("zero", 1.0);
    s.decision_rule = DecisionRule::FastestAbatement;
    let outcome = decarb_engine::run(&world, &s, 1).unwrap();
    let d = outcome.decisions.iter().find(|d| d.plant == "P000" && d.year == 2030).unwrap();
    assert_eq!(d.to.as_ref().unwrap().as_str(), "steel.bf-beccus", "{d:?}");
    let row = outcome
        .summary
        .iter()
        .find(|r| r.year == 2031 && r.region.is_none() && r.sector == Sector::Steel)
        .unwrap();
    assert!(row.direct_emissions.0 < 0.0, "{row:?}");
}

/// A scenario whose moratorium and resource limits leave new plants nothing to build: from 2021
/// only the end-state routes may be built, and each needs a resource limited to zero.
fn moratorium_with_every_end_state_resource_at_zero() -> decarb_engine::scenario::Scenario {
    use decarb_engine::scenario::{Limit, LimitedResource, QuantityPath};
    let mut s = scenario("zero", 1.0);
    s.moratorium_year = Some(2021);
    for (resource, quantity) in [
        (LimitedResource::Hydrogen, "0 Mt"),
        (LimitedResource::Co2Storage, "0 Mt CO2"),
        (LimitedResource::Scrap, "0 Mt"),
    ] {
        s.limits.push(Limit {
            resource,
            region: "world".into(),
            quantity: QuantityPath::Constant(quantity.into()),
        });
    }
    s
}

/// Demand that needs new plants when the limits refuse every technology the moratorium allows is
/// met on the cheapest one the moratorium alone bans, as a plant at an investment point in that
/// position keeps its technology: the decision says `new-build-no-option` with the binding
/// limits, lists the banned option it took, and one warning names sector, region and years.
#[test]
fn new_plants_refused_every_allowed_option_are_built_unabated_and_say_so() {
    let world = common::world(&one_plant(2010), 0.05, 4.0, 20.0);
    let outcome = decarb_engine::run(&world, &moratorium_with_every_end_state_resource_at_zero(), 1).unwrap();
    let built: Vec<_> = outcome.decisions.iter().filter(|d| d.from.is_none()).collect();
    // Demand 0.8 x 3 Mt growing 5 %/yr first exceeds 0.95 x 3 Mt in 2024 (1.05^4 > 1.1875).
    assert_eq!(built.first().map(|d| d.year), Some(2024));
    for d in &built {
        assert_eq!(d.reason, decarb_engine::outcome::Reason::NewBuildNoOption, "{d:?}");
        assert_eq!(d.to.as_ref().map(|t| t.0.as_str()), Some("steel.bf"), "{d:?}");
        for limit in ["hydrogen@world", "co2_storage@world", "scrap@world"] {
            assert!(d.limited_by.iter().any(|l| l == limit), "{limit} missing from {d:?}");
        }
        assert!(d.options.iter().any(|(t, _)| t.0 == "steel.bf"), "{d:?}");
    }
    let warnings: Vec<_> = outcome.warnings.iter().filter(|w| w.contains("moratorium bans")).collect();
    assert_eq!(warnings.len(), 1, "{:?}", outcome.warnings);
    for part in ["steel in europe, 2024-", "new plants", "new-build-no-option"] {
        assert!(warnings[0].contains(part), "{part} missing from: {}", warnings[0]);
    }
}

/// When nothing at all may be built (the moratorium's only fallback excluded too), demand that
/// needs new plants is an error naming the sector, region, year and the binding limits, not a
/// silent shortfall.
#[test]
fn a_sector_left_without_any_feasible_option_is_an_error_naming_the_limits() {
    let world = common::world(&one_plant(2010), 0.05, 4.0, 20.0);
    let mut s = moratorium_with_every_end_state_resource_at_zero();
    s.excluded_technologies = vec!["steel.bf".into()];
    let err = decarb_engine::run(&world, &s, 1).unwrap_err().to_string();
    for part in ["2024", "steel", "europe", "hydrogen@world", "co2_storage@world", "scrap@world"] {
        assert!(err.contains(part), "{part} missing from: {err}");
    }
}

/// A technology's own `switch_family` overrides the family of its id prefix: a switch to a route
/// of the same prefix but another family buys a new asset (greenfield capex), not a conversion.
#[test]
fn a_technologys_switch_family_overrides_its_id_prefix() {
    let run = |family: Option<&str>| {
        let mut world = world_with_cycle(&one_plant(2015), 0.0, 4.0, 20.0, 10.0);
        let mut host = tech(
            "steel.bf-bof-host",
            Phase::Initial,
            2.2,
            0.0,
            900.0,
            50.0,
            120.0,
            &["steel.bf-bof-capture"],
        );
        host.reinvestment_cycle = Years(10.0);
        let mut capture = tech("steel.bf-bof-capture", Phase::EndState, 2.2, 0.9, 950.0, 50.0, 120.0, &[]);
        capture.reinvestment_cycle = Years(10.0);
        capture.switch_family = family.map(str::to_owned);
        world.technologies = vec![host, capture];
        world.start_rules.truncate(1);
        world.start_rules[0].mix = vec![(TechId("steel.bf-bof-host".into()), 1.0)];
        decarb_engine::run(&world, &scenario("zero", 1.0), 1).unwrap()
    };
    let (same, other) = (run(None), run(Some("steel.capture-plant")));
    let cost = |o: &decarb_engine::Outcome| option_cost(o, "P000", 2025, "steel.bf-bof-capture");
    // In the host's family the switch pays max(renewal 50, 950 - 900 + 50) = 100 per t/yr; in its
    // own family the whole greenfield 950: the levelised cost rises.
    assert!(cost(&other) > cost(&same) + 10.0, "{} vs {}", cost(&other), cost(&same));
    // Staying costs the same in both worlds.
    let stay = |o: &decarb_engine::Outcome| option_cost(o, "P000", 2025, "steel.bf-bof-host");
    assert!((stay(&other) - stay(&same)).abs() < 1e-9);
}

/// A route confined to some regions (`switch_regions`; MPP cement: gas kilns only in
/// `REGIONS_NATURAL_GAS`) is neither switched to nor built elsewhere, however cheap; a plant
/// already on it keeps it.
#[test]
fn a_route_confined_to_regions_is_taken_up_only_there() {
    let run = |regions: Vec<Region>, start_on_cheap: bool| {
        let mut world = world_with_cycle(&one_plant(2015), 0.05, 4.0, 20.0, 10.0);
        let host =
            tech("steel.bf-bof-host", Phase::Initial, 2.2, 0.0, 900.0, 50.0, 120.0, &["steel.bf-bof-cheap"]);
        let mut cheap =
            tech("steel.bf-bof-cheap", Phase::Initial, 1.2, 0.0, 800.0, 40.0, 100.0, &["steel.bf-bof-host"]);
        cheap.switch_regions = regions;
        world.technologies = vec![host, cheap];
        world.start_rules.truncate(1);
        let start = if start_on_cheap { "steel.bf-bof-cheap" } else { "steel.bf-bof-host" };
        world.start_rules[0].mix = vec![(TechId(start.into()), 1.0)];
        decarb_engine::run(&world, &scenario("zero", 1.0), 1).unwrap()
    };
    let took_up = |o: &decarb_engine::Outcome| {
        o.decisions.iter().any(|d| {
            d.to.as_ref().is_some_and(|t| t.as_str() == "steel.bf-bof-cheap")
                && d.from.as_ref() != d.to.as_ref()
        })
    };
    // The plant is in Germany (Europe); demand grows 5 %/yr, so new plants are built too.
    assert!(took_up(&run(Vec::new(), false)));
    assert!(took_up(&run(vec![Region::Europe], false)));
    let confined = run(vec![Region::NorthAmerica], false);
    assert!(!took_up(&confined), "{:?}", confined.decisions);
    let kept = run(vec![Region::NorthAmerica], true);
    assert!(
        kept.decisions.iter().any(|d| d.reason == Reason::Renewal
            && d.to.as_ref().is_some_and(|t| t.as_str() == "steel.bf-bof-cheap")),
        "{:?}",
        kept.decisions
    );
}
