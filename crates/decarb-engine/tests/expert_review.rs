//! The bundled world read as an expert reviewer would (issue 12): a baseline adopts a route only
//! where it is cheaper than the incumbent without any carbon price, and net zero takes the
//! cheapest feasible option, hydrogen included, within its limits. The adoptions are listed
//! (`cargo test -p decarb-engine --test expert_review -- --nocapture`).

use decarb_engine::Scenario;
use decarb_engine::examples::example;
use decarb_engine::outcome::{Outcome, Reason};
use decarb_model::Sector;
use std::collections::BTreeMap;

fn run(name: &str) -> (Scenario, Outcome) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example(name).unwrap(), name, &world).unwrap();
    let outcome = decarb_engine::run(&world, &scenario, scenario.seed).unwrap();
    (scenario, outcome)
}

#[test]
fn the_baseline_adopts_a_route_only_where_it_is_cheaper_than_the_incumbent() {
    let (scenario, outcome) = run("baseline");
    assert_eq!(scenario.carbon_price.path, "zero", "a baseline has no carbon price");
    // (from, to) -> (plants, sum of cost difference to - from, USD/t of product)
    let mut adoptions: BTreeMap<(String, String), (usize, f64)> = BTreeMap::new();
    for d in outcome.decisions.iter().filter(|d| d.reason == Reason::Switch) {
        let (from, to) = (d.from.as_ref().unwrap(), d.to.as_ref().unwrap());
        let cost = |id: &decarb_model::TechId| d.options.iter().find(|(o, _)| o == id).map(|(_, c)| *c);
        let (Some(incumbent), Some(chosen)) = (cost(from), cost(to)) else {
            panic!("a switch lists both its incumbent and its choice among the options: {d:?}")
        };
        assert!(
            chosen <= incumbent + 1e-9,
            "{} switched {from} -> {to} at a higher cost: {chosen} > {incumbent}",
            d.plant
        );
        let entry = adoptions.entry((from.to_string(), to.to_string())).or_default();
        entry.0 += 1;
        entry.1 += chosen - incumbent;
    }
    println!("baseline switches (no carbon price): from -> to, plants, mean cost difference USD/t");
    for ((from, to), (plants, sum)) in &adoptions {
        println!("  {from} -> {to}: {plants}, {:.1}", sum / *plants as f64);
    }
    assert!(!adoptions.is_empty());
}

#[test]
fn net_zero_takes_the_cheapest_feasible_option_and_uses_hydrogen() {
    let (_, outcome) = run("net-zero-2050");
    for d in outcome
        .decisions
        .iter()
        .filter(|d| matches!(d.reason, Reason::Switch | Reason::Renewal | Reason::Rebuild | Reason::NewBuild))
    {
        let cheapest = d.options.iter().min_by(|a, b| a.1.total_cmp(&b.1)).map(|(id, _)| id);
        if d.to.as_ref() != cheapest {
            assert!(
                !d.limited_by.is_empty(),
                "{} {} took {:?} over the cheaper {cheapest:?} with no limit refusing it",
                d.plant,
                d.year,
                d.to
            );
        }
    }
    let hydrogen: f64 = outcome.hydrogen_demand(2050).iter().map(|(_, t)| t).sum();
    let steel: f64 =
        outcome.hydrogen_demand(2050).iter().filter(|(s, _)| *s == Sector::Steel).map(|(_, t)| t).sum();
    // IEA NZR 2023: 41 Mt of low-emission hydrogen in steel in 2050 (the scenario's limit for all).
    assert!(hydrogen > 5e6 && hydrogen <= 41e6 * 1.0001, "{hydrogen}");
    assert!(steel > 1e6, "{steel}");
}

/// Issue 13's stability measure, held by the plant-level world: in the baseline (a scenario without
/// steps) no sector's world direct CO2 moves by more than 10 % of its 2020 value from one year to
/// the next. (The cohort world broke it: ammonia -41 % in 2030 when China's one coal row switched.)
#[test]
fn the_baseline_moves_smoothly_from_year_to_year() {
    let (_, outcome) = run("baseline");
    for &sector in &outcome.sectors {
        let direct = |year: i32| outcome.world(sector, year).map_or(0.0, |r| r.direct_emissions.0);
        let base = direct(2020);
        for year in 2021..=2050 {
            let step = (direct(year) - direct(year - 1)).abs() / base;
            assert!(step <= 0.10, "{sector} {year}: {:.1} % of 2020", step * 100.0);
        }
    }
}

/// The fastest-abatement defect of issue 12: BF-BOF+BECCUS had taken 70 % of 2050 steel on 4.6 EJ
/// of unlimited biomass. Under the net-zero limit set (sustainable biomass for industry 10 EJ in
/// 2020 falling to 1 EJ in 2050, MPP steel Bio Model "Prudent") the biomass used stays within the
/// limit with a new user's 20-year commitment, and steel's direct CO2 is not driven negative.
#[test]
fn fastest_abatement_keeps_biomass_within_its_limit() {
    let (_, outcome) = run("fastest-abatement");
    for row in
        outcome.limits.iter().filter(|r| r.resource == decarb_engine::scenario::LimitedResource::Biomass)
    {
        // Plants book at the previous year's utilisation, and users between investment points
        // keep their use while utilisation drifts up: a year may open a few hundredths of a
        // percent over a falling limit before its deciding users move off.
        if row.year >= 2030 {
            assert!(row.booked <= row.limit * 1.001, "{row:?}");
        }
    }
    let steel = outcome.world(Sector::Steel, 2050).unwrap();
    assert!(steel.direct_emissions.0 >= 0.0, "{steel:?}");
}

/// Issue 13's seed-stability measure: net-zero-2050's all-sector world direct CO2 in 2030 lies
/// within 3 % of its mean across seeds 1-8. (Before the capacity-stratified investment draws and
/// the merit order it ranged 4850-5169 Mt, -2.6/+3.8 % of the mean: whether a few large blast
/// furnaces drew an investment point before 2030, and which plant came first to scrap, moved it.)
#[test]
fn net_zero_2030_emissions_hardly_depend_on_the_seed() {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example("net-zero-2050").unwrap(), "net-zero-2050", &world).unwrap();
    let totals: Vec<f64> = (1..=8)
        .map(|seed| {
            let outcome = decarb_engine::run(&world, &scenario, seed).unwrap();
            outcome
                .sectors
                .iter()
                .map(|&sector| outcome.world(sector, 2030).map_or(0.0, |r| r.direct_emissions.to_mt()))
                .sum()
        })
        .collect();
    let mean = totals.iter().sum::<f64>() / 8.0;
    println!("net-zero-2050 2030 direct CO2 by seed 1-8, Mt: {totals:.0?}, mean {mean:.0}");
    for (i, total) in totals.iter().enumerate() {
        assert!((total / mean - 1.0).abs() <= 0.03, "seed {}: {total:.0} Mt, mean {mean:.0} Mt", i + 1);
    }
}
