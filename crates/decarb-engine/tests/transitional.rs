//! Transitional switches (optional scenario setting, the MPP steel model's mechanic): one switch
//! within the technology's family between main investment points, inside the window.

mod common;

use common::{PlantSpec, scenario, world};
use decarb_engine::outcome::{Outcome, Reason};
use decarb_engine::scenario::TransitionalSwitches;
use decarb_model::Route;

/// One works started in 2015: its next main investment point is 2035, its window 2018-2027.
fn specs() -> Vec<PlantSpec> {
    vec![PlantSpec { country: "DEU", route: Route::BfBof, capacity_mt: 4.0, start: 2015 }]
}

fn settings() -> TransitionalSwitches {
    TransitionalSwitches {
        opens_after: 3,
        closes_before: 8,
        families: vec![vec!["steel.bf".into(), "steel.bf-ccs".into()], vec!["steel.dri-h2".into()]],
    }
}

fn run(transitional: Option<TransitionalSwitches>, seed: u64) -> Outcome {
    let world = world(&specs(), 0.0, 4.0, 60.0);
    let mut s = scenario("ramp", 3.0);
    s.transitional_switches = transitional;
    decarb_engine::run(&world, &s, seed).unwrap()
}

fn switches(outcome: &Outcome) -> Vec<(i32, String, String)> {
    outcome
        .decisions
        .iter()
        .filter(|d| d.reason == Reason::Switch && d.plant == "P000")
        .map(|d| {
            let id =
                |t: &Option<decarb_model::TechId>| t.as_ref().map(ToString::to_string).unwrap_or_default();
            (d.year, id(&d.from), id(&d.to))
        })
        .collect()
}

#[test]
fn without_the_setting_the_plant_waits_for_its_main_point() {
    let outcome = run(None, 7);
    assert!(
        outcome.decisions.iter().filter(|d| d.plant == "P000").all(|d| d.year >= 2035),
        "{:?}",
        outcome.decisions
    );
}

#[test]
fn with_it_the_plant_switches_once_within_its_family_inside_the_window() {
    let outcome = run(Some(settings()), 7);
    let early: Vec<_> = switches(&outcome).into_iter().filter(|(y, _, _)| *y < 2035).collect();
    assert_eq!(early.len(), 1, "{early:?}");
    let (year, from, to) = &early[0];
    assert!((2018..=2027).contains(year), "{year}");
    assert_eq!((from.as_str(), to.as_str()), ("steel.bf", "steel.bf-ccs"));
    // The switch cuts direct emissions from then on.
    let direct = |y: i32| {
        outcome.summary.iter().find(|r| r.year == y && r.region.is_none()).unwrap().direct_emissions.0
    };
    assert!(direct(*year) < 0.5 * direct(2020), "{} vs {}", direct(*year), direct(2020));
}

#[test]
fn a_closed_window_or_a_family_of_one_means_no_switch() {
    let mut closed = settings();
    closed.closes_before = 20;
    assert!(switches(&run(Some(closed), 7)).iter().all(|(y, _, _)| *y >= 2035));
    let mut alone = settings();
    alone.families = vec![vec!["steel.bf".into()], vec!["steel.bf-ccs".into()]];
    assert!(switches(&run(Some(alone), 7)).iter().all(|(y, _, _)| *y >= 2035));
}

#[test]
fn unknown_family_members_are_scenario_errors_naming_the_key() {
    let world = world(&specs(), 0.0, 4.0, 60.0);
    let mut s = scenario("ramp", 1.0);
    let mut bad = settings();
    bad.families[1].push("steel.nope".into());
    s.transitional_switches = Some(bad);
    let err = decarb_engine::run(&world, &s, 1).unwrap_err().to_string();
    assert!(err.contains("transitional_switches.families[1][1]") && err.contains("steel.nope"), "{err}");
}

#[test]
fn the_same_seed_gives_the_same_switches() {
    assert_eq!(
        format!("{:?}", run(Some(settings()), 3).decisions),
        format!("{:?}", run(Some(settings()), 3).decisions)
    );
}
