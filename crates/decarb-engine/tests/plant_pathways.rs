//! Per-plant pathways on decarb's bundled world: the plant rows add up to the region and world
//! rows; runs that do not record plants keep none.

use decarb_engine::examples::example;
use decarb_engine::{RunOptions, Scenario};
mod common;

use common::bundled::{bundled, close, summary_values};

#[test]
fn plant_rows_add_up_to_the_region_and_world_rows() {
    let (_, outcome) = bundled();
    assert!(outcome.plants.len() > 4000, "{} plants", outcome.plants.len());
    let years = usize::try_from(outcome.end_year - outcome.base_year + 1).unwrap();
    for row in &outcome.summary {
        let yi = usize::try_from(row.year - outcome.base_year).unwrap();
        let mut sum = [0.0; 5];
        for p in outcome
            .plants
            .iter()
            .filter(|p| p.sector == row.sector && row.region.is_none_or(|r| r == p.region))
        {
            assert_eq!(p.production.len(), years);
            if p.counts_production() {
                sum[0] += p.production[yi];
                sum[1] += p.capacity[yi];
            }
            sum[2] += p.direct[yi];
            sum[3] += p.captured[yi];
            sum[4] += p.indirect[yi];
        }
        let want = summary_values(row);
        for k in 0..5 {
            assert!(
                close(sum[k], want[k]),
                "{} {} {:?} column {k}: plants {} vs row {}",
                row.year,
                row.sector,
                row.region,
                sum[k],
                want[k]
            );
        }
    }
    // Engine-built plants have no fleet index and a country.
    assert!(outcome.plants.iter().any(decarb_engine::outcome::PlantPathway::is_new_build));
    assert!(outcome.plants.iter().filter(|p| p.is_new_build()).all(|p| p.id.starts_with("new.")));
}

#[test]
fn ensemble_style_runs_record_no_plants() {
    let (world, _) = bundled();
    let scenario: Scenario = decarb_scenario::load(example("baseline").unwrap(), "baseline", world).unwrap();
    let outcome =
        decarb_engine::run_with_options(world, &scenario, 1, RunOptions { record_plants: false }).unwrap();
    assert!(outcome.plants.is_empty());
}
