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

/// Each plant's technology by year (its start technology and its decisions) accounts for the
/// run's technology mix: summing plant production by the technology a plant has that year gives
/// every world row of the mix (grinding stations have no technology and are their own row).
#[test]
fn plant_technologies_by_year_add_up_to_the_technology_mix() {
    use std::collections::{BTreeMap, HashMap};
    let (_, outcome) = bundled();
    let mut decisions: HashMap<&str, Vec<&decarb_engine::outcome::Decision>> = HashMap::new();
    for d in &outcome.decisions {
        decisions.entry(d.plant.as_str()).or_default().push(d);
    }
    let mut by_tech: BTreeMap<(i32, String), f64> = BTreeMap::new();
    for plant in &outcome.plants {
        let techs = plant
            .technologies(outcome.base_year, decisions.get(plant.id.as_str()).map_or(&[], Vec::as_slice));
        assert_eq!(techs.len(), plant.production.len());
        for (i, tech) in techs.iter().enumerate() {
            let year = outcome.base_year + i32::try_from(i).unwrap();
            match tech {
                Some(tech) => {
                    *by_tech.entry((year, tech.as_str().to_owned())).or_default() += plant.production[i];
                }
                None => assert!(
                    plant.production[i] == 0.0 || plant.start_technology.is_none() && !plant.is_new_build(),
                    "{} produces {} t in {year} without a technology",
                    plant.id,
                    plant.production[i]
                ),
            }
        }
    }
    let mut rows = 0;
    for row in outcome.technology_mix.iter().filter(|r| r.region.is_none()) {
        if row.technology.as_str() == "cement.grinding-station" {
            continue;
        }
        let plants = by_tech.get(&(row.year, row.technology.as_str().to_owned())).copied().unwrap_or(0.0);
        assert!(
            close(plants, row.production.0),
            "{} {}: plants {plants} vs mix {}",
            row.year,
            row.technology,
            row.production.0
        );
        rows += 1;
    }
    assert!(rows > 100, "{rows} mix rows compared");
    // SSAB Luleå's blast furnaces (GEM GIST P100000120845) start on best-practice BF-BOF:
    // Sweden is not one of the average-BF-BOF countries (MPP steel plant file).
    let lulea = outcome.plants.iter().find(|p| p.id == "world.steel.SWE.P100000120845.bf-bof").unwrap();
    assert_eq!(lulea.start_technology.as_ref().map(decarb_model::TechId::as_str), Some("steel.bf-bof-bat"));
}
