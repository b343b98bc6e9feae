//! The gap to net zero (`Outcome::gap_to_net_zero`) on the bundled world: the figures the CLI's
//! run summary prints and the API's milestones return.

use decarb_engine::examples::example;
use decarb_engine::gap::straight_line;

#[test]
fn the_gap_adds_up_the_world_rows_and_judges_against_the_straight_line() {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example("carbon-price").unwrap(), "carbon-price", &world).unwrap();
    let outcome = decarb_engine::run(&world, &scenario, 42).unwrap();
    let gap = outcome.gap_to_net_zero();
    assert_eq!((gap.base_year, gap.milestone_year, gap.end_year), (2020, 2030, 2050));
    assert_eq!(gap.sectors.len(), outcome.sectors.len());
    // The base year is the bundled world's calibration: 6,707.9 Mt direct CO2 of the four
    // sectors in 2020 (`decarb run --example carbon-price` prints it; steel 3,058.3 Mt against
    // MPP's 3,161 Mt scope-1 reference).
    assert!((gap.total.base.to_mt() - 6707.9).abs() < 5.0, "{}", gap.total.base.to_mt());
    for year_total in [(2020, gap.total.base), (2030, gap.total.milestone), (2050, gap.total.end)] {
        let world_rows = outcome.total_direct(year_total.0).to_mt();
        assert!((year_total.1.to_mt() - world_rows).abs() < 1e-6, "{year_total:?} vs {world_rows}");
    }
    let steel = gap.sectors.iter().find(|(s, _)| *s == decarb_model::Sector::Steel).unwrap().1;
    assert!((steel.base.to_mt() - 3058.3).abs() < 5.0, "{}", steel.base.to_mt());
    let line = gap.straight_line_at_milestone();
    assert!((line - straight_line(gap.total.base.to_mt(), 2020, 2050, 2030)).abs() < 1e-9);
    assert!((line - gap.total.base.to_mt() * 2.0 / 3.0).abs() < 1e-6, "{line}");
    let remaining = gap.remaining_pct();
    assert!((remaining - 100.0 * gap.total.end.to_mt() / gap.total.base.to_mt()).abs() < 1e-9);
    assert!(remaining > 0.0 && remaining < 100.0, "{remaining}");
}
