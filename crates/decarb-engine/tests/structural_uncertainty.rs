//! Uncertain structural inputs on the bundled world and the net-zero-2050 example: a factor on a
//! resource limit (`target = "limit"`) and on the power path's grid emission factors
//! (`target = "grid_emissions"`).

use decarb_engine::Scenario;
use decarb_engine::examples::example;
use decarb_engine::inputs::World;
use decarb_engine::outcome::Outcome;
use decarb_engine::scenario::LimitedResource;
use decarb_engine::uncertainty::{DistributionKind, Target, UncertainInput, Uncertainty};
use decarb_model::Sector;

fn input(name: &str, target: Target) -> UncertainInput {
    UncertainInput {
        min: Some(0.5),
        max: Some(2.0),
        ..UncertainInput::new(name, target, DistributionKind::Uniform, "test")
    }
}

fn net_zero() -> (World, Scenario) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example("net-zero-2050").unwrap(), "net-zero-2050", &world).unwrap();
    (world, scenario)
}

/// The run of `scenario` with `input` set to `value` (the example's own inputs left out).
fn try_with(
    world: &World,
    scenario: &Scenario,
    input: UncertainInput,
    value: f64,
) -> Result<Outcome, decarb_engine::error::EngineError> {
    let uncertainty = Uncertainty { vary_seed: false, inputs: vec![input], correlations: vec![] };
    let resolved = uncertainty.resolve(world, scenario).unwrap_or_else(|e| panic!("{e}"));
    let (world, scenario) = resolved.apply(world, scenario, &[Some(value)]);
    decarb_engine::run(&world, &scenario, scenario.seed)
}

fn run_with(world: &World, scenario: &Scenario, input: UncertainInput, value: f64) -> Outcome {
    try_with(world, scenario, input, value).unwrap_or_else(|e| panic!("{e}"))
}

/// The world CO2-storage limit row of `year`: (limit, booked), t CO2.
fn world_storage(outcome: &Outcome, year: i32) -> (f64, f64) {
    let row = outcome
        .limits
        .iter()
        .find(|r| r.year == year && r.region.is_none() && r.resource == LimitedResource::Co2Storage)
        .unwrap_or_else(|| panic!("no world co2_storage limit row in {year}"));
    (row.limit, row.booked)
}

/// Half the net-zero set's CO2 storage is too little for the example as written: from 2030 its
/// moratorium leaves cement only CCS kilns to build, and they need about 1 Gt CO2/yr of storage
/// in the early 2030s (a factor of 0.7 runs, 0.6 fails in 2031, 0.5 in 2030). The halving is
/// checked with the moratorium lifted; the example as written is checked at 0.7 and shown
/// infeasible, not wrong, at 0.5.
#[test]
fn a_co2_storage_limit_factor_scales_the_reported_limit_and_bookings_stay_within_it() {
    let (world, mut scenario) = net_zero();
    let mut storage = input("storage", Target::Limit);
    storage.resource = Some("co2_storage".into());
    let base = run_with(&world, &scenario, storage.clone(), 1.0);
    let (base_limit, _) = world_storage(&base, 2050);
    // The net-zero set's world limit in 2050: IEA WEO 2021 NZE, 7,602 Mt CO2 captured.
    assert!((base_limit - 7.602e9).abs() <= 1e-9 * 7.602e9, "{base_limit}");
    let reduced = run_with(&world, &scenario, storage.clone(), 0.7);
    let (reduced_limit, _) = world_storage(&reduced, 2050);
    assert!((reduced_limit - 0.7 * base_limit).abs() <= 1e-9 * base_limit, "{reduced_limit}");
    let err = try_with(&world, &scenario, storage.clone(), 0.5).unwrap_err().to_string();
    assert!(err.contains("co2_storage@world"), "{err}");

    scenario.moratorium_year = None;
    let base = run_with(&world, &scenario, storage.clone(), 1.0);
    let half = run_with(&world, &scenario, storage, 0.5);
    let (base_limit, _) = world_storage(&base, 2050);
    let (half_limit, half_booked) = world_storage(&half, 2050);
    assert!((half_limit - 0.5 * base_limit).abs() <= 1e-9 * base_limit, "{half_limit} vs 0.5 x {base_limit}");
    assert!(half_booked <= half_limit, "{half_booked} > {half_limit}");
    for row in half.limits.iter().filter(|r| r.resource == LimitedResource::Co2Storage) {
        assert!(row.booked <= row.limit * (1.0 + 1e-9) + 1e-6, "{row:?}");
    }
    // Every year's world limit is halved, not 2050's alone.
    for year in [2030, 2035, 2040, 2045] {
        let (one, half) = (world_storage(&base, year).0, world_storage(&half, year).0);
        assert!((half - 0.5 * one).abs() <= 1e-9 * one, "{year}: {half} vs 0.5 x {one}");
    }
}

#[test]
fn a_limit_factor_for_one_region_leaves_the_others_alone() {
    let (world, scenario) = net_zero();
    let mut storage = input("storage", Target::Limit);
    storage.resource = Some("co2_storage".into());
    storage.region = Some("world".into());
    let uncertainty = Uncertainty { vary_seed: false, inputs: vec![storage], correlations: vec![] };
    let resolved = uncertainty.resolve(&world, &scenario).unwrap();
    let (_, applied) = resolved.apply(&world, &scenario, &[Some(0.5)]);
    assert_eq!(applied.limit_factors.len(), 1);
    let set = world.limit_set("net-zero").unwrap();
    let world_limit = set.limits.iter().find(|l| l.resource == LimitedResource::Co2Storage).unwrap();
    assert!(applied.limit_factors[0].applies_to(world_limit));
    let announced = world.limit_sets.iter().flat_map(|s| &s.limits).find(|l| l.region.is_some()).unwrap();
    assert!(!applied.limit_factors[0].applies_to(announced));
}

/// Aluminium: its indirect emissions are the grid electricity it buys (smelting, about 14 MWh/t)
/// times the region's grid factor (`costs.rs`: indirect = grid electricity x grid factor), and the
/// example prices scope 1 only, so doubling the grid factors changes no choice and doubles the
/// indirect emissions exactly. Every sector's indirect emissions are this product; aluminium's
/// are the largest, so the check is the least sensitive to rounding.
#[test]
fn a_grid_emissions_factor_of_two_doubles_indirect_emissions() {
    let (world, scenario) = net_zero();
    let grid = input("grid", Target::GridEmissions);
    let base = run_with(&world, &scenario, grid.clone(), 1.0);
    let doubled = run_with(&world, &scenario, grid, 2.0);
    let indirect = |o: &Outcome| {
        o.summary
            .iter()
            .filter(|r| r.year == 2025 && r.sector == Sector::Aluminium && r.region.is_some())
            .map(|r| r.indirect_emissions.0)
            .sum::<f64>()
    };
    let (one, two) = (indirect(&base), indirect(&doubled));
    assert!(one > 1e6, "aluminium's 2025 indirect emissions {one}");
    assert!((two / one - 2.0).abs() < 0.01, "{two} vs 2 x {one}");
    let direct = |o: &Outcome| {
        o.summary
            .iter()
            .filter(|r| r.year == 2025 && r.region.is_some())
            .map(|r| r.direct_emissions.0)
            .sum::<f64>()
    };
    assert!((direct(&base) - direct(&doubled)).abs() <= 1e-9 * direct(&base));
}

#[test]
fn an_unknown_or_unlimited_resource_is_an_error_naming_the_input_key_and_value() {
    let (world, scenario) = net_zero();
    let resolve = |input: UncertainInput| {
        Uncertainty { vary_seed: false, inputs: vec![input], correlations: vec![] }
            .resolve(&world, &scenario)
            .unwrap_err()
            .to_string()
    };
    let mut bad = input("storage", Target::Limit);
    bad.resource = Some("unobtainium".into());
    let err = resolve(bad);
    assert!(err.contains("uncertainty.inputs[0].resource"), "{err}");
    assert!(
        err.contains("unobtainium") && err.contains("\"storage\"") && err.contains("co2_storage"),
        "{err}"
    );

    let mut missing = input("storage", Target::Limit);
    let err = resolve(missing.clone());
    assert!(err.contains("uncertainty.inputs[0].resource") && err.contains("missing"), "{err}");

    // The example limits scrap for the world only.
    missing.resource = Some("scrap".into());
    missing.region = Some("europe".into());
    let err = resolve(missing.clone());
    assert!(err.contains("uncertainty.inputs[0].region") && err.contains("scrap in europe"), "{err}");

    missing.region = Some("atlantis".into());
    let err = resolve(missing);
    assert!(err.contains("uncertainty.inputs[0].region") && err.contains("atlantis"), "{err}");

    let mut high = input("storage", Target::Limit);
    high.resource = Some("co2_storage".into());
    high.max = Some(50.0);
    let err = resolve(high);
    assert!(err.contains("uncertainty.inputs[0].max") && err.contains("50"), "{err}");

    let mut grid = input("grid", Target::GridEmissions);
    grid.resource = Some("co2_storage".into());
    let err = resolve(grid);
    assert!(err.contains("uncertainty.inputs[0].resource"), "{err}");
}
